// The generators `gen` offers, in the order `gen list` shows them.
import genserver from "../../generators/genserver/index.js";
import type { GeneratorDef } from "../core/generator.js";

export const genGenerators: readonly GeneratorDef[] = [genserver as unknown as GeneratorDef];
