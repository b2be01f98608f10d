// The generators `gen` offers, in the order `gen list` shows them.
import type { GeneratorDef } from "../core/generator.js";

export const genGenerators: readonly GeneratorDef[] = [];
