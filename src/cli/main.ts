// The one entry of the bundle (dist/cli.cjs): bin/load.cjs calls main with
// the command the user ran.
import { createOtpApp } from "./create-main.js";
import { gen } from "./gen-main.js";
import { processIo } from "./io.js";
import { setImporter, type Importer } from "../core/import-file.js";
import { readableStack } from "../core/stack.js";

/** `importModule`: the bin's own `import()`, for users' ES modules (see core/import-file.ts). */
export async function main(command: "gen" | "create-otp-app", importModule?: Importer): Promise<void> {
  if (importModule) setImporter(importModule);
  const argv = process.argv.slice(2);
  try {
    process.exitCode = command === "gen" ? await gen(argv, processIo()) : await createOtpApp(argv, processIo());
  } catch (err) {
    // A bug outside a generator's run: the trace, mapped back to the sources.
    process.stderr.write(`${command}: internal error (please report it)\n${readableStack(err)}\n`);
    process.exitCode = 1;
  }
}
