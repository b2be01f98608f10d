// The generators `gen` offers, in the order `gen list` shows them.
import agent from "../../generators/agent/index.js";
import bench from "../../generators/bench/index.js";
import behaviour from "../../generators/behaviour/index.js";
import channel from "../../generators/channel/index.js";
import circuitBreaker from "../../generators/circuit-breaker/index.js";
import context from "../../generators/context/index.js";
import cluster from "../../generators/cluster/index.js";
import dynamicSupervisor from "../../generators/dynamic-supervisor/index.js";
import etsCache from "../../generators/ets-cache/index.js";
import flow from "../../generators/flow/index.js";
import genserver from "../../generators/genserver/index.js";
import live from "../../generators/live/index.js";
import liveComponent from "../../generators/live-component/index.js";
import hook from "../../generators/hook/index.js";
import mixTask from "../../generators/mix-task/index.js";
import pipeline from "../../generators/pipeline/index.js";
import periodic from "../../generators/periodic/index.js";
import pool from "../../generators/pool/index.js";
import presence from "../../generators/presence/index.js";
import protocol from "../../generators/protocol/index.js";
import singleton from "../../generators/singleton/index.js";
import rateLimiter from "../../generators/rate-limiter/index.js";
import registry from "../../generators/registry/index.js";
import release from "../../generators/release/index.js";
import retry from "../../generators/retry/index.js";
import supervisor from "../../generators/supervisor/index.js";
import taskSupervisor from "../../generators/task-supervisor/index.js";
import telemetry from "../../generators/telemetry/index.js";
import worker from "../../generators/worker/index.js";
import type { GeneratorDef } from "../core/generator.js";

export const genGenerators: readonly GeneratorDef[] = [
  genserver,
  supervisor,
  dynamicSupervisor,
  registry,
  agent,
  taskSupervisor,
  etsCache,
  rateLimiter,
  circuitBreaker,
  retry,
  periodic,
  worker,
  singleton,
  pool,
  pipeline,
  flow,
  bench,
  behaviour,
  protocol,
  mixTask,
  release,
  cluster,
  telemetry,
  channel,
  presence,
  context,
  live,
  liveComponent,
  hook,
] as unknown as GeneratorDef[];
