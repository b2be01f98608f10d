// The document `gen inspect --json` prints: versioned, validated by this zod
// schema, and published as JSON Schema (schema/inspect.schema.json, written
// by `npm run build` and checked against this file by the tests). Paths are
// relative to the inspected root, `/`-separated; lines start at 1. Anything
// the reader could not read is in `unread`, with its file, line and reason.
import { z } from "zod";

import { SCHEMA_VERSION } from "./version.js";

export { SCHEMA_VERSION };

const Loc = { file: z.string(), line: z.number().int().min(1) };

export const Unread = z.object({
  area: z.string(),
  file: z.string(),
  line: z.number().int().min(1).optional(),
  what: z.string(),
  reason: z.string(),
});

export interface SupTreeNode {
  id: string;
  kind: string;
  file: string;
  line: number;
  settings: string[];
  name?: string | undefined;
  childId?: string | undefined;
  restart?: string | undefined;
  shutdown?: string | undefined;
  note?: string | undefined;
  children: SupTreeNode[];
}

export const SupTree: z.ZodType<SupTreeNode> = z.lazy(() =>
  z.object({
    id: z.string(),
    kind: z.string(),
    ...Loc,
    settings: z.array(z.string()),
    name: z.string().optional(),
    childId: z.string().optional(),
    restart: z.string().optional(),
    shutdown: z.string().optional(),
    note: z.string().optional(),
    children: z.array(SupTree),
  }),
).meta({ id: "SupervisionTreeNode" });

const Dep = z.object({ name: z.string(), requirement: z.string().optional(), only: z.string().optional(), runtime: z.boolean().optional(), inUmbrella: z.boolean().optional() });

export const DEP_ROLES = ["web", "data", "processing", "distribution", "observability", "quality", "other"] as const;

const Process = z.object({
  kind: z.enum(["genserver", "gen_statem", "agent", "task", "supervisor", "dynamic_supervisor", "task_supervisor", "registry", "gen_stage", "broadway", "ets", "other"]),
  module: z.string().optional(),
  /** The registered name as written, for a named process or table. */
  name: z.string().optional(),
  /** The supervisor the static tree starts it under; absent when it is started at run time (or not at all). */
  supervisedBy: z.string().optional(),
  /** ETS: the table's access (public, protected, private) and type. */
  access: z.string().optional(),
  tableType: z.string().optional(),
  /** ETS: the module and function that create the table, so the process that owns it. */
  owner: z.string().optional(),
  ...Loc,
});

/** A plug as written; `path`: the string its `path:` or `at:` option gives (a health plug's, Plug.Static's). */
const Plug = z.object({ plug: z.string(), options: z.string().optional(), path: z.string().optional(), conditional: z.string().optional(), ...Loc });
const Route = z.object({
  verb: z.string(),
  path: z.string(),
  target: z.string(),
  action: z.string().optional(),
  pipelines: z.array(z.string()),
  liveSession: z.string().optional(),
  /** The compile-time condition the route is under (`if Application.compile_env(:shop, :dev_routes)`). */
  conditional: z.string().optional(),
  ...Loc,
});

const Phoenix = z.object({
  endpoints: z.array(z.object({ module: z.string(), otpApp: z.string().optional(), plugs: z.array(Plug), sockets: z.array(z.object({ path: z.string(), module: z.string(), ...Loc })), ...Loc })),
  routers: z.array(
    z.object({
      module: z.string(),
      pipelines: z.array(z.object({ name: z.string(), plugs: z.array(Plug), ...Loc })),
      scopes: z.array(z.object({ path: z.string(), alias: z.string().optional(), pipelines: z.array(z.string()), routes: z.number().int(), ...Loc })),
      routes: z.array(Route),
      liveSessions: z.array(z.object({ name: z.string(), onMount: z.array(z.string()), liveViews: z.array(z.string()), ...Loc })),
      ...Loc,
    }),
  ),
  liveViews: z.array(z.object({ module: z.string(), routes: z.array(z.string()), ...Loc })),
  liveComponents: z.array(z.object({ module: z.string(), ...Loc })),
  channels: z.array(z.object({ module: z.string(), topics: z.array(z.string()), socket: z.string().optional(), ...Loc })),
  presence: z.array(z.object({ module: z.string(), pubsub: z.string().optional(), ...Loc })),
  pubsub: z.object({
    servers: z.array(z.object({ name: z.string(), ...Loc })),
    broadcasts: z.array(z.object({ topic: z.string(), ...Loc })),
    subscriptions: z.array(z.object({ topic: z.string(), ...Loc })),
  }),
});

const Ecto = z.object({
  repos: z.array(z.object({ module: z.string(), adapter: z.string(), otpApp: z.string().optional(), ...Loc })),
  schemas: z.array(
    z.object({
      module: z.string(),
      source: z.string().optional(),
      embedded: z.boolean(),
      primaryKey: z.string().optional(),
      fields: z.array(z.object({ name: z.string(), type: z.string(), ...Loc })),
      associations: z.array(z.object({ kind: z.string(), name: z.string(), target: z.string(), ...Loc })),
      timestamps: z.boolean(),
      ...Loc,
    }),
  ),
  migrations: z.array(z.object({ dir: z.string(), count: z.number().int(), latest: z.string().optional() })),
  scopes: z.array(z.object({ name: z.string(), default: z.boolean(), module: z.string(), assignKey: z.string(), file: z.string() })),
});

const Distribution = z.object({
  libcluster: z.array(z.object({ topology: z.string(), strategy: z.string(), env: z.string(), ...Loc })),
  dnsCluster: z.array(z.object({ query: z.string(), ...Loc })),
  horde: z.array(z.object({ what: z.string(), ...Loc })),
  /** Process groups: `:pg` and `:syn` calls and scopes. */
  pg: z.array(z.object({ what: z.string(), ...Loc })),
  global: z.array(z.object({ what: z.string(), ...Loc })),
  singletons: z.array(z.object({ module: z.string(), how: z.string(), ...Loc })),
});

/** A probe: its kind and settings in a line; for an httpGet probe, the path and the line that sets it. */
const Probe = z.object({ kind: z.string(), detail: z.string(), path: z.string().optional(), line: z.number().int().min(1).optional() });

const Deployment = z.object({
  releases: z.array(z.object({ name: z.string(), settings: z.array(z.string()), ...Loc })),
  dockerfiles: z.array(z.object({ file: z.string(), stages: z.array(z.object({ image: z.string(), name: z.string().optional(), line: z.number().int() })), expose: z.array(z.string()), cmd: z.string().optional() })),
  kubernetes: z.array(
    z.object({
      file: z.string(),
      kind: z.string(),
      name: z.string(),
      replicas: z.number().optional(),
      probes: z.object({ liveness: Probe.optional(), readiness: Probe.optional(), startup: Probe.optional() }).optional(),
      resources: z.object({ requests: z.record(z.string(), z.string()).optional(), limits: z.record(z.string(), z.string()).optional() }).optional(),
    }),
  ),
  health: z.array(z.object({ path: z.string(), via: z.string(), ...Loc })),
  /** The environment variables the config reads (runtime.exs above all): what a deployment must set. */
  environment: z.array(z.object({ name: z.string(), required: z.boolean(), default: z.string().optional(), env: z.string(), ...Loc })),
  other: z.array(z.object({ file: z.string(), what: z.string() })),
});

const Observability = z.object({
  emitted: z.array(z.object({ event: z.string(), how: z.string(), ...Loc })),
  attached: z.array(z.object({ handler: z.string(), events: z.string(), ...Loc })),
  metrics: z.array(z.object({ type: z.string(), name: z.string(), ...Loc })),
  reporters: z.array(z.object({ what: z.string(), ...Loc })),
  loggerMetadata: z.array(z.object({ keys: z.string(), ...Loc })),
});

const Quality = z.object({
  credo: z.object({ file: z.string(), strict: z.boolean().optional(), checks: z.number().int().optional() }).optional(),
  dialyzer: z.object({ settings: z.array(z.string()), ignoreFile: z.string().optional(), ...Loc }).optional(),
  coverage: z.object({ threshold: z.number(), via: z.string(), file: z.string() }).optional(),
  formatter: z.object({ importDeps: z.array(z.string()), plugins: z.array(z.string()), file: z.string() }).optional(),
  sobelow: z.object({ file: z.string() }).optional(),
  precommit: z.object({ alias: z.string(), steps: z.array(z.string()), ...Loc }).optional(),
  aliases: z.array(z.string()),
  ci: z.array(z.object({ file: z.string(), jobs: z.array(z.object({ name: z.string(), steps: z.array(z.string()) })) })),
});

const Generated = z.object({
  runs: z.array(
    z.object({
      id: z.string(),
      generator: z.string(),
      command: z.string(),
      version: z.string(),
      at: z.string(),
      undone: z.boolean(),
      files: z.number().int(),
      /** Files today's templates would change (gen upgrade --dry-run shows how); absent when not re-planned. */
      behind: z.number().int().optional(),
      edited: z.number().int(),
    }),
  ),
  /** Why "behind" is not given (the runs were not re-planned). */
  behindNote: z.string().optional(),
});

const Finding = z.object({ rule: z.string(), message: z.string(), file: z.string().optional(), line: z.number().int().optional() });

export const AppReport = z.object({
  app: z.string(),
  /** The app's folder from the inspected root ("." for a single project). */
  path: z.string(),
  module: z.string(),
  applicationModule: z.string().optional(),
  version: z.string().optional(),
  elixir: z.string().optional(),
  deps: z.record(z.enum(DEP_ROLES), z.array(Dep)),
  supervisionTree: SupTree.nullable(),
  processes: z.array(Process),
  phoenix: Phoenix.optional(),
  ecto: Ecto.optional(),
  distribution: Distribution,
  deployment: Deployment,
  observability: Observability,
  quality: Quality,
  generated: Generated,
  findings: z.array(Finding),
});

export const Inspection = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.object({ name: z.literal("create-otp-app"), version: z.string() }),
  root: z.string(),
  umbrella: z.boolean(),
  /** The umbrella's root (its mix.exs, config, CI and deployment), when it is one. */
  umbrellaRoot: z.object({ deployment: Deployment, quality: Quality, generated: Generated, distribution: Distribution, observability: Observability }).optional(),
  apps: z.array(AppReport),
  unread: z.array(Unread),
});

export type Inspection = z.infer<typeof Inspection>;
export type AppReport = z.infer<typeof AppReport>;
export type UnreadItem = z.infer<typeof Unread>;
export type Deployment = z.infer<typeof Deployment>;
export type Quality = z.infer<typeof Quality>;
export type Generated = z.infer<typeof Generated>;
export type Distribution = z.infer<typeof Distribution>;
export type Observability = z.infer<typeof Observability>;
export type PhoenixReport = z.infer<typeof Phoenix>;
export type EctoReport = z.infer<typeof Ecto>;
export type ProcessItem = z.infer<typeof Process>;
export type DepItem = z.infer<typeof Dep>;
export type DepRole = (typeof DEP_ROLES)[number];

/** The document's JSON Schema (draft 2020-12), as the build publishes it in schema/inspect.schema.json. */
export function inspectJsonSchema(): Record<string, unknown> {
  return {
    // As input: a reader of version 1 accepts the fields later versions add.
    ...z.toJSONSchema(Inspection, { target: "draft-2020-12", io: "input" }),
    title: "gen inspect --json",
    description: "A Mix project's architecture as create-otp-app's `gen inspect --json` prints it, read from source. Paths are relative to the inspected root; lines start at 1.",
  };
}
