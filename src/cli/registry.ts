// The generators `gen` offers, all loaded, in the order `gen list` shows them:
// for doctor and the lifecycle commands, which need every one. Built from
// builtins.ts, the one list of them (a run of one generator loads it alone).
import type { GeneratorDef } from "../core/generator.js";
import { BUILTIN_NAMES, loadBuiltin } from "./builtins.js";

/** Every built-in generator, loaded. */
export async function loadAllBuiltins(): Promise<readonly GeneratorDef[]> {
  return Promise.all(BUILTIN_NAMES.map(async (name) => (await loadBuiltin(name)) as GeneratorDef));
}

/**
 * The generators a recorded run may name, for re-planning it (gen status,
 * undo, upgrade, inspect --upgrade-check): the given ones, then
 * create-otp-app's own (`app`, `phoenix-app`), whose runs are recorded too.
 */
export async function withCreationGenerators(generators: readonly GeneratorDef[]): Promise<GeneratorDef[]> {
  const { default: app } = await import("../../generators/app/index.js");
  const { default: phoenixApp } = await import("../../generators/phoenix-app/index.js");
  return [...generators, app as unknown as GeneratorDef, phoenixApp as unknown as GeneratorDef];
}
