import app from "../../generators/app/index.js";
import { runGenerator } from "../core/engine.js";
import type { GeneratorDef } from "../core/generator.js";
import type { Io } from "../core/io.js";

export function createOtpApp(argv: string[], io: Io): Promise<number> {
  return runGenerator(app as unknown as GeneratorDef, argv, io, "create-otp-app");
}
