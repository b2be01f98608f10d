// The one entry of the bundle (dist/cli.cjs): bin/load.cjs calls main with
// the command the user ran.
import { createOtpApp } from "./create-main.js";
import { gen } from "./gen-main.js";
import { processIo } from "./io.js";
import { setImporter, type Importer } from "../core/import-file.js";

/** `importModule`: the bin's own `import()`, for users' ES modules (see core/import-file.ts). */
export async function main(command: "gen" | "create-otp-app", importModule?: Importer): Promise<void> {
  if (importModule) setImporter(importModule);
  const argv = process.argv.slice(2);
  process.exitCode = command === "gen" ? await gen(argv, processIo()) : await createOtpApp(argv, processIo());
}
