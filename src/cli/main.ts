// The one entry of the bundle (dist/cli.cjs): bin/load.cjs calls main with
// the command the user ran.
import { processIo } from "./io.js";
import { setImporter, type Importer } from "../core/import-file.js";
import { readableStack } from "../core/stack.js";

/** `importModule`: the bin's own `import()`, for users' ES modules (see core/import-file.ts). */
export async function main(command: "gen" | "create-otp-app", importModule?: Importer): Promise<void> {
  if (importModule) setImporter(importModule);
  const argv = process.argv.slice(2);
  try {
    // Each command loads its own code: create-otp-app's generator (and zod) is not on gen's path.
    process.exitCode =
      command === "gen" ? await (await import("./gen-main.js")).gen(argv, processIo()) : await (await import("./create-main.js")).createOtpApp(argv, processIo());
  } catch (err) {
    // A bug outside a generator's run: the trace, mapped back to the sources.
    process.stderr.write(`${command}: internal error (please report it)\n${readableStack(err)}\n`);
    process.exitCode = 1;
  }
}
