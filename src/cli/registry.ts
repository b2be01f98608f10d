// The generators `gen` offers, in the order `gen list` shows them.
import agent from "../../generators/agent/index.js";
import dynamicSupervisor from "../../generators/dynamic-supervisor/index.js";
import genserver from "../../generators/genserver/index.js";
import registry from "../../generators/registry/index.js";
import supervisor from "../../generators/supervisor/index.js";
import taskSupervisor from "../../generators/task-supervisor/index.js";
import type { GeneratorDef } from "../core/generator.js";

export const genGenerators: readonly GeneratorDef[] = [genserver, supervisor, dynamicSupervisor, registry, agent, taskSupervisor] as unknown as GeneratorDef[];
