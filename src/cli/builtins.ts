// The built-in generators by name, each loaded on its own: a run of one
// generator evaluates that generator's module (its zod schema, its patchers)
// and no other; `gen list` and the picker show their descriptions
// (generators/descriptions.ts) without loading any. Doctor and the lifecycle
// commands load them all (registry.ts). The order here is `gen list`'s.
import { DESCRIPTIONS } from "../../generators/descriptions.js";
import type { GeneratorDef } from "../core/generator.js";

type Loader = () => Promise<{ default: unknown }>;

const LOADERS: Record<string, Loader> = {
  genserver: () => import("../../generators/genserver/index.js"),
  supervisor: () => import("../../generators/supervisor/index.js"),
  "dynamic-supervisor": () => import("../../generators/dynamic-supervisor/index.js"),
  registry: () => import("../../generators/registry/index.js"),
  agent: () => import("../../generators/agent/index.js"),
  "task-supervisor": () => import("../../generators/task-supervisor/index.js"),
  "ets-cache": () => import("../../generators/ets-cache/index.js"),
  "rate-limiter": () => import("../../generators/rate-limiter/index.js"),
  "circuit-breaker": () => import("../../generators/circuit-breaker/index.js"),
  retry: () => import("../../generators/retry/index.js"),
  periodic: () => import("../../generators/periodic/index.js"),
  worker: () => import("../../generators/worker/index.js"),
  singleton: () => import("../../generators/singleton/index.js"),
  pool: () => import("../../generators/pool/index.js"),
  pipeline: () => import("../../generators/pipeline/index.js"),
  flow: () => import("../../generators/flow/index.js"),
  bench: () => import("../../generators/bench/index.js"),
  behaviour: () => import("../../generators/behaviour/index.js"),
  protocol: () => import("../../generators/protocol/index.js"),
  "mix-task": () => import("../../generators/mix-task/index.js"),
  release: () => import("../../generators/release/index.js"),
  cluster: () => import("../../generators/cluster/index.js"),
  telemetry: () => import("../../generators/telemetry/index.js"),
  channel: () => import("../../generators/channel/index.js"),
  presence: () => import("../../generators/presence/index.js"),
  context: () => import("../../generators/context/index.js"),
  live: () => import("../../generators/live/index.js"),
  "live-component": () => import("../../generators/live-component/index.js"),
  hook: () => import("../../generators/hook/index.js"),
};

export const BUILTIN_NAMES: readonly string[] = Object.keys(LOADERS);

/** What `gen list` and the picker show of the built-in generators, none of them loaded. */
export const BUILTIN_LISTING: readonly { name: string; description: string }[] = BUILTIN_NAMES.map((name) => ({
  name,
  description: DESCRIPTIONS[name as keyof typeof DESCRIPTIONS],
}));

/** The built-in generator `name`, loaded alone; undefined for any other name. */
export async function loadBuiltin(name: string): Promise<GeneratorDef | undefined> {
  const load = Object.hasOwn(LOADERS, name) ? LOADERS[name] : undefined;
  return load ? ((await load()).default as GeneratorDef) : undefined;
}
