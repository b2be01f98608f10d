import app from "../../generators/app/index.js";
import { runGenerator } from "../core/engine.js";
import type { GeneratorDef } from "../core/generator.js";
import type { Io } from "../core/io.js";
import { UserError } from "../core/errors.js";
import { teamAt } from "../core/team-dir.js";

export async function createOtpApp(argv: string[], io: Io): Promise<number> {
  let team;
  try {
    // The team config's schemas (zod) load only where there is a team folder.
    team = await teamAt(io.cwd, io.cwd);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    io.stderr(`create-otp-app: ${err.message}\n`);
    return err.exitCode;
  }
  // `--phoenix`: mix phx.new's app with the team's layer (its own options: create-otp-app --phoenix --help).
  if (argv.includes("--phoenix")) {
    const rest = argv.filter((a) => a !== "--phoenix");
    const { default: phoenixApp } = await import("../../generators/phoenix-app/index.js");
    return runGenerator(phoenixApp as unknown as GeneratorDef, rest, io, "create-otp-app --phoenix", { project: undefined, team });
  }
  return runGenerator(app as unknown as GeneratorDef, argv, io, "create-otp-app", { project: undefined, team });
}
