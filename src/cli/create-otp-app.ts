import app from "../../generators/app/index.js";
import { runGenerator } from "../core/engine.js";
import type { GeneratorDef } from "../core/generator.js";
import type { Io } from "../core/io.js";
import { processIo } from "./io.js";

export function createOtpApp(argv: string[], io: Io): Promise<number> {
  return runGenerator(app as unknown as GeneratorDef, argv, io, "create-otp-app");
}

process.exitCode = await createOtpApp(process.argv.slice(2), processIo());
