// `gen inspect`'s readers of an app's code under lib/: processes and ETS
// tables, Phoenix (endpoints, routers, LiveViews, channels, Presence,
// PubSub), Ecto schemas and repos, telemetry, and the distribution calls.
// By syntax only: what a macro or a run-time value hides is listed as unread.
import { callArgs, callName, callReceiver, codeChildren, doBlock, functions, type Node } from "../reader.js";
import type { ModuleInfo, SupNode } from "../sup-tree.js";
import { atomText, callOpts, enclosingFunction, environmentReads, throughAttribute, oneLine, pairKey, pairs, stringOrText, topologies, stringValue, useCall, usesKind, valueOf, type Files } from "./common.js";
import type { Deployment, Distribution, EctoReport, Observability, PhoenixReport, ProcessItem } from "./schema.js";

export interface CodeContext {
  files: Files;
  index: Map<string, ModuleInfo>;
  tree: SupNode | undefined;
  startName(info: ModuleInfo): { name?: string };
}

/** A module's calls, keyword pairs and tuples, found in one walk inside the reader (each module walked once). */
interface Shapes {
  calls: { node: Node; name: string; receiver: string }[];
  pairs: Node[];
  tuples: Node[];
}
const shapesCache = new WeakMap<ModuleInfo, Shapes>();
function shapes(info: ModuleInfo): Shapes {
  let s = shapesCache.get(info);
  if (!s) {
    const found = info.node.descendantsOfType(["call", "pair", "tuple"]).filter((n): n is Node => n !== null);
    s = {
      calls: found.filter((n) => n.type === "call").map((node) => ({ node, name: callName(node) ?? "", receiver: callReceiver(node) ?? "" })),
      pairs: found.filter((n) => n.type === "pair"),
      tuples: found.filter((n) => n.type === "tuple"),
    };
    shapesCache.set(info, s);
  }
  return s;
}
/** `Receiver.name(...)` calls in a module (any name when `names` is left out). */
const calls = (info: ModuleInfo, receivers: readonly string[], names?: readonly string[]): Node[] =>
  shapes(info).calls.filter((c) => receivers.includes(c.receiver) && (names === undefined || names.includes(c.name))).map((c) => c.node);

const loc = (c: CodeContext, info: ModuleInfo, node: Node = info.node): { file: string; line: number } => c.files.loc(info.file, node);

/** Each node of the static tree with its parent's id. */
function treeNodes(root: SupNode | undefined): { node: SupNode; parent: string | undefined }[] {
  const out: { node: SupNode; parent: string | undefined }[] = [];
  const walk = (n: SupNode, parent: string | undefined): void => {
    out.push({ node: n, parent });
    for (const ch of n.children) walk(ch, n.id);
  };
  if (root) walk(root, undefined);
  return out;
}

// --- Processes -------------------------------------------------------------

const BEHAVIOURS: [readonly string[], ProcessItem["kind"]][] = [
  [["GenServer"], "genserver"],
  [["GenStateMachine", ":gen_statem"], "gen_statem"],
  [["Agent"], "agent"],
  [["Task"], "task"],
  [["DynamicSupervisor"], "dynamic_supervisor"],
  [["Supervisor"], "supervisor"],
  [["GenStage"], "gen_stage"],
  [["Broadway"], "broadway"],
];

const LIBRARY: Record<string, ProcessItem["kind"]> = {
  registry: "registry",
  "task-supervisor": "task_supervisor",
  "dynamic-supervisor": "dynamic_supervisor",
  supervisor: "supervisor",
};

/** The values a module sets the attribute `name` to (`@behaviour :gen_statem` → the `:gen_statem` node), read by syntax. */
function attributeValues(info: ModuleInfo, names: readonly string[]): Node[] {
  return codeChildren(info.body ?? info.node).flatMap((n) => {
    const set = n.type === "unary_operator" && n.text.startsWith("@") ? codeChildren(n)[0] : undefined;
    const value = set && names.includes(callName(set) ?? "") ? callArgs(set)[0] : undefined;
    return value ? [value] : [];
  });
}

function behaviourOf(info: ModuleInfo): ProcessItem["kind"] | undefined {
  const declared = attributeValues(info, ["behaviour", "behavior"]).map((v) => v.text);
  for (const [names, kind] of BEHAVIOURS) if (names.some((m) => info.uses.includes(m) || declared.includes(m))) return kind;
  return undefined;
}

export function processes(c: CodeContext): ProcessItem[] {
  const out: ProcessItem[] = [];
  const nodes = treeNodes(c.tree);
  for (const info of c.index.values()) {
    const kind = behaviourOf(info);
    if (!kind || !info.body) continue;
    const inTree = nodes.find((t) => t.node.id === info.name && t.node.kind !== "computed");
    const name = inTree?.node.name ?? c.startName(info).name;
    out.push({ kind, module: info.name, ...(name ? { name } : {}), ...(inTree?.parent ? { supervisedBy: inTree.parent } : {}), ...loc(c, info) });
  }
  // Library processes the tree starts directly: `{Registry, keys: :unique, name: X}`, `{Task.Supervisor, name: Y}`.
  for (const { node, parent } of nodes) {
    const kind = LIBRARY[node.kind];
    // A library process, or a module of the project's own that wraps one (gen task-supervisor's) and uses no behaviour.
    if (!kind || (c.index.has(node.id) && out.some((p) => p.module === node.id))) continue;
    out.push({ kind, module: node.id, ...(node.name ? { name: node.name } : {}), ...(parent ? { supervisedBy: parent } : {}), file: c.files.rel(node.file), line: node.line });
  }
  // ETS tables, named or not, and who owns each: the process running the function that creates it.
  for (const info of c.index.values()) {
    for (const call of calls(info, [":ets"], ["new"])) {
      const [nameWritten, optsWritten] = callArgs(call);
      const nameArg = nameWritten && throughAttribute(nameWritten, info);
      const optsArg = optsWritten && throughAttribute(optsWritten, info);
      const opts = optsArg?.type === "list" ? codeChildren(optsArg).map((o) => o.text) : [];
      const named = opts.includes(":named_table");
      const access = opts.find((o) => [":public", ":protected", ":private"].includes(o))?.slice(1) ?? (optsArg?.type === "list" ? "protected" : undefined);
      const tableType = opts.find((o) => [":set", ":ordered_set", ":bag", ":duplicate_bag"].includes(o))?.slice(1) ?? (optsArg?.type === "list" ? "set" : undefined);
      const fn = enclosingFunction(call);
      const owner = fn === "init/1" && behaviourOf(info) ? `the ${info.name} process (init/1)` : `the process calling ${info.name}.${fn ?? "?"}`;
      out.push({
        kind: "ets",
        module: info.name,
        ...(named ? { name: oneLine(nameArg?.text ?? "?") } : {}),
        ...(access ? { access } : {}),
        ...(tableType ? { tableType } : {}),
        owner,
        ...loc(c, info, call),
      });
      if (optsArg && optsArg.type !== "list") c.files.note("processes", info.file, call, `:ets.new(${oneLine(nameArg?.text ?? "", 30)}, ...)`, "its options are computed, so its access and type are not known");
    }
  }
  return out;
}

// --- Phoenix -----------------------------------------------------------------

type Plug = PhoenixReport["endpoints"][number]["plugs"][number];

/** The `plug` calls of a block in order; those under `if ... do` carry the condition. */
function plugsOf(c: CodeContext, info: ModuleInfo, block: Node | undefined, conditional?: string): Plug[] {
  if (!block) return [];
  const out: Plug[] = [];
  for (const n of codeChildren(block)) {
    const name = callName(n);
    if (name === "plug" && !callReceiver(n)) {
      const [plug, opts] = callArgs(n);
      const at = stringValue(valueOf(opts, "path") ?? valueOf(opts, "at"));
      out.push({ plug: plug?.text ?? "?", ...(opts ? { options: oneLine(opts.text, 60) } : {}), ...(at !== undefined ? { path: at } : {}), ...(conditional ? { conditional } : {}), ...loc(c, info, n) });
    } else if ((name === "if" || name === "unless") && !callReceiver(n)) {
      const cond = `${name} ${oneLine(callArgs(n)[0]?.text ?? "", 100)}`;
      const block2 = doBlock(n);
      // `if x do ... else ... end`: the do part (the else part rarely plugs).
      out.push(...plugsOf(c, info, block2, conditional ? `${conditional}; ${cond}` : cond));
    }
  }
  return out;
}

const VERBS = ["get", "post", "put", "patch", "delete", "options", "head", "match", "live", "forward", "resources", "live_dashboard", "connect", "trace"];
const ROUTER_KNOWN = new Set(["pipe_through", "plug", "import", "alias", "require", "use", "if", "unless", "pipeline", "scope", "live_session", "def", "defp", "defmacro", "defmacrop", "defdelegate", "for"]);

type Router = PhoenixReport["routers"][number];

function joinPath(a: string, b: string): string {
  const j = `${a.replace(/\/$/, "")}/${b.replace(/^\//, "")}`;
  return j === "" ? "/" : j.length > 1 ? j.replace(/\/$/, "") : j;
}

function readRouter(c: CodeContext, info: ModuleInfo): Router {
  const router: Router = { module: info.name, pipelines: [], scopes: [], routes: [], liveSessions: [], ...loc(c, info) };
  interface Scope {
    path: string;
    alias: string | undefined;
    pipes: string[];
    session: string | undefined;
    /** Variables of an enclosing `for x <- ["/a", "/b"]`, each with the value being read. */
    vars: Map<string, string>;
    /** The compile-time conditions around (`if Mix.env() == :dev`). */
    cond?: string;
  }
  const aliasJoin = (a: string | undefined, b: string | undefined): string | undefined => (a && b ? `${a}.${b}` : (b ?? a));
  /** Reads a block's routes; returns the pipelines in force at its end. */
  const walk = (block: Node | undefined, s: Scope): string[] => {
    const pipes = [...s.pipes];
    if (!block) return pipes;
    for (const n of codeChildren(block)) {
      if (n.type === "unary_operator") continue; // @attributes
      const name = callName(n);
      if (n.type !== "call" || !name || callReceiver(n)) {
        if (n.type === "call") c.files.note("phoenix", info.file, n, oneLine(n.text, 60), "a call in the router the reader does not know; any routes it defines are not listed");
        continue;
      }
      const args = callArgs(n);
      if (name === "pipeline") {
        router.pipelines.push({ name: atomText(args[0]) ?? "?", plugs: plugsOf(c, info, doBlock(n)), ...loc(c, info, n) });
      } else if (name === "pipe_through") {
        const arg = args[0];
        const items = arg?.type === "list" ? codeChildren(arg) : arg ? [arg] : [];
        pipes.push(...items.map((i) => atomText(i) ?? i.text));
      } else if (name === "scope") {
        let p = "";
        let alias: string | undefined;
        for (const a of args) {
          if (a.type === "string") p = stringValue(a) ?? a.text;
          else if (a.type === "identifier" && s.vars.has(a.text)) p = s.vars.get(a.text) as string;
          else if (a.type === "alias") alias = a.text;
          else if (a.type === "keywords" || a.type === "list") {
            const pathV = valueOf(a, "path");
            const aliasV = valueOf(a, "alias");
            if (pathV) p = stringOrText(pathV);
            if (aliasV?.type === "alias") alias = aliasV.text;
          }
        }
        const scope: Scope = { ...s, path: joinPath(s.path, p), alias: aliasJoin(s.alias, alias), pipes: [...pipes] };
        const before = router.routes.length;
        const entry = { path: scope.path, ...(scope.alias ? { alias: scope.alias } : {}), pipelines: scope.pipes, routes: 0, ...loc(c, info, n) };
        router.scopes.push(entry);
        entry.pipelines = walk(doBlock(n), scope);
        entry.routes = router.routes.length - before;
      } else if (name === "live_session") {
        const onMount = valueOf(callOpts(n), "on_mount");
        const mounts = onMount?.type === "list" ? codeChildren(onMount).map((m) => oneLine(m.text, 60)) : onMount ? [oneLine(onMount.text, 60)] : [];
        const session = { name: atomText(args[0]) ?? "?", onMount: mounts, liveViews: [] as string[], ...loc(c, info, n) };
        const before = router.routes.length;
        walk(doBlock(n), { ...s, pipes, session: session.name });
        session.liveViews = [...new Set(router.routes.slice(before).filter((r) => r.verb === "live").map((r) => r.target))];
        router.liveSessions.push(session);
      } else if (name === "if" || name === "unless") {
        // A pipe_through under a compile-time condition applies to the routes after it, when the condition holds.
        const cond = `${name} ${oneLine(args[0]?.text ?? "", 100)}`;
        const after = walk(doBlock(n), { ...s, pipes, cond: s.cond ? `${s.cond}; ${cond}` : cond });
        pipes.push(...after.slice(pipes.length).map((p) => `${p} (${cond})`));
      } else if (name === "for") {
        // `for prefix <- ["/", "/repos/:repository"] do scope prefix do ... end end`: each value in turn.
        const gen = args[0];
        const isGen = gen?.type === "binary_operator" && gen.childForFieldName("operator")?.text === "<-";
        const variable = isGen ? gen.childForFieldName("left") : undefined;
        const values = isGen ? gen.childForFieldName("right") : undefined;
        const strings = values?.type === "list" ? codeChildren(values).map((v) => stringValue(v)) : [];
        if (args.length === 1 && variable?.type === "identifier" && strings.length > 0 && strings.every((v) => v !== undefined)) {
          for (const v of strings as string[]) walk(doBlock(n), { ...s, pipes, vars: new Map([...s.vars, [variable.text, v]]) });
        } else c.files.note("phoenix", info.file, n, oneLine(n.text, 60), "a comprehension over values not written in the router; the routes it defines are not listed");
      } else if (["def", "defp", "defmacro", "defmacrop", "defdelegate"].includes(name)) {
        continue;
      } else if (VERBS.includes(name)) {
        // `match :*, "/path", Controller, :action`: the methods first.
        const [p, target, action] = name === "match" ? args.slice(1) : args;
        const module = target?.type === "alias" ? (aliasJoin(s.alias, target.text) ?? target.text) : name === "live_dashboard" ? "Phoenix.LiveDashboard" : oneLine(target?.text ?? "?", 60);
        router.routes.push({
          verb: name === "match" ? `match ${args[0]?.text ?? "?"}` : name,
          path: joinPath(s.path, stringOrText(p)),
          target: module,
          ...(action?.type === "atom" ? { action: action.text.slice(1) } : {}),
          pipelines: pipes,
          ...(s.session ? { liveSession: s.session } : {}),
          ...(s.cond ? { conditional: s.cond } : {}),
          ...loc(c, info, n),
        });
        if (name === "resources") walk(doBlock(n), { ...s, pipes, path: joinPath(s.path, `${stringOrText(p)}/:id`) });
      } else if (!ROUTER_KNOWN.has(name)) {
        c.files.note("phoenix", info.file, n, oneLine(n.text, 60), "a macro in the router (from a library or the app); any routes it defines are not listed");
      }
    }
    return pipes;
  };
  walk(info.body, { path: "", alias: undefined, pipes: [], session: undefined, vars: new Map() });
  return router;
}

/** The topics a channel joins: `"room:lobby"` as written, `"room:" <> _` as `room:*`. */
function joinTopics(info: ModuleInfo): string[] {
  const topics: string[] = [];
  for (const def of functions(info.body, "join", 3, ["def"])) {
    let head = callArgs(def)[0];
    if (head?.type === "binary_operator" && head.childForFieldName("operator")?.text === "when") head = head.childForFieldName("left") ?? undefined;
    const first = head?.type === "call" ? callArgs(head)[0] : undefined;
    if (!first) continue;
    if (first.type === "string") topics.push(stringValue(first) ?? first.text);
    else if (first.type === "binary_operator" && first.childForFieldName("operator")?.text === "<>") topics.push(`${stringValue(first.childForFieldName("left") ?? undefined) ?? "?"}*`);
    else topics.push("*");
  }
  return [...new Set(topics)];
}

export function phoenix(c: CodeContext): PhoenixReport {
  const report: PhoenixReport = { endpoints: [], routers: [], liveViews: [], liveComponents: [], channels: [], presence: [], pubsub: { servers: [], broadcasts: [], subscriptions: [] } };
  const socketChannels = new Map<string, { socket: string; topic: string }>();
  for (const info of c.index.values()) {
    if (!info.body) continue;
    if (info.uses.includes("Phoenix.Endpoint")) {
      // Sockets at the top and under `if code_reloading? do` (the live reload socket).
      const top = codeChildren(info.body);
      const conditional = top.filter((n) => ["if", "unless"].includes(callName(n) ?? "") && doBlock(n)).flatMap((n) => codeChildren(doBlock(n) as Node));
      const sockets = [...top, ...conditional]
        .filter((n) => callName(n) === "socket" && !callReceiver(n))
        .sort((a, b) => a.startIndex - b.startIndex)
        .map((n) => ({ path: stringOrText(callArgs(n)[0]), module: callArgs(n)[1]?.text ?? "?", ...loc(c, info, n) }));
      const otpApp = atomText(valueOf(callOpts(useCall(info, "Phoenix.Endpoint") as Node), "otp_app"));
      report.endpoints.push({ module: info.name, ...(otpApp ? { otpApp } : {}), plugs: plugsOf(c, info, info.body), sockets, ...loc(c, info) });
    }
    if (usesKind(info, ["Phoenix.Router"], ["router"])) report.routers.push(readRouter(c, info));
    if (usesKind(info, ["Phoenix.LiveView"], ["live_view"])) report.liveViews.push({ module: info.name, routes: [], ...loc(c, info) });
    if (usesKind(info, ["Phoenix.LiveComponent"], ["live_component"])) report.liveComponents.push({ module: info.name, ...loc(c, info) });
    if (usesKind(info, ["Phoenix.Socket"])) {
      for (const n of codeChildren(info.body).filter((x) => callName(x) === "channel" && !callReceiver(x))) {
        const [topic, mod] = callArgs(n);
        if (mod) socketChannels.set(mod.text, { socket: info.name, topic: stringOrText(topic) });
      }
    }
    if (usesKind(info, ["Phoenix.Channel"], ["channel"])) report.channels.push({ module: info.name, topics: joinTopics(info), ...loc(c, info) });
    const presence = useCall(info, "Phoenix.Presence");
    if (presence) {
      const pubsub = valueOf(callOpts(presence), "pubsub_server")?.text;
      report.presence.push({ module: info.name, ...(pubsub ? { pubsub } : {}), ...loc(c, info) });
    }
    const topicOf = (call: Node, i: number): string => stringOrText(callArgs(call)[i]);
    for (const call of shapes(info).calls.filter((x) => /^(broadcast|broadcast!|broadcast_from|broadcast_from!|local_broadcast|local_broadcast_from|subscribe)$/.test(x.name)).map((x) => x.node)) {
      const receiver = callReceiver(call) ?? "";
      const name = callName(call) ?? "";
      const isPubSub = receiver === "Phoenix.PubSub" || receiver === "PubSub";
      const isEndpoint = receiver.endsWith("Endpoint") || (receiver === "" && false);
      if (!isPubSub && !isEndpoint) continue;
      // Phoenix.PubSub.broadcast(server, topic, msg); Endpoint.broadcast(topic, event, payload); *_from: the pid first.
      const i = (isPubSub ? 1 : 0) + (name.includes("_from") ? 1 : 0);
      const entry = { topic: topicOf(call, i), ...loc(c, info, call) };
      (name === "subscribe" ? report.pubsub.subscriptions : report.pubsub.broadcasts).push(entry);
    }
  }
  for (const ch of report.channels) {
    const through = socketChannels.get(ch.module) ?? [...socketChannels.entries()].find(([m]) => ch.module.endsWith(`.${m}`))?.[1];
    if (through) ch.socket = through.socket;
  }
  for (const lv of report.liveViews) {
    lv.routes = report.routers.flatMap((r) => r.routes.filter((x) => x.verb === "live" && x.target === lv.module).map((x) => `${x.path}${x.action ? ` :${x.action}` : ""}`));
  }
  for (const { node } of treeNodes(c.tree)) if (node.kind === "pubsub") report.pubsub.servers.push({ name: node.name ?? node.id, file: c.files.rel(node.file), line: node.line });
  return report;
}

// --- Ecto ----------------------------------------------------------------------

const ASSOCIATIONS = ["belongs_to", "has_many", "has_one", "many_to_many", "embeds_one", "embeds_many"];

export function ecto(c: CodeContext): Pick<EctoReport, "repos" | "schemas"> {
  const out: Pick<EctoReport, "repos" | "schemas"> = { repos: [], schemas: [] };
  for (const info of c.index.values()) {
    if (!info.body) continue;
    const repo = useCall(info, "Ecto.Repo");
    if (repo) {
      const opts = callOpts(repo);
      const otpApp = atomText(valueOf(opts, "otp_app"));
      out.repos.push({ module: info.name, adapter: valueOf(opts, "adapter")?.text ?? "Ecto.Adapters.Postgres", ...(otpApp ? { otpApp } : {}), ...loc(c, info) });
    }
    const def = codeChildren(info.body).find((n) => (callName(n) === "schema" || callName(n) === "embedded_schema") && !callReceiver(n) && doBlock(n));
    if (!def) continue;
    const embedded = callName(def) === "embedded_schema";
    const source = embedded ? undefined : stringOrText(callArgs(def)[0]);
    const pkValue = attributeValues(info, ["primary_key"])[0];
    const schema: EctoReport["schemas"][number] = {
      module: info.name,
      ...(source !== undefined ? { source } : {}),
      embedded,
      ...(pkValue ? { primaryKey: oneLine(pkValue.text, 60) } : {}),
      fields: [],
      associations: [],
      timestamps: false,
      ...loc(c, info, def),
    };
    for (const n of codeChildren(doBlock(def) as Node)) {
      const name = callName(n) ?? "";
      const args = callArgs(n);
      if (name === "field") schema.fields.push({ name: atomText(args[0]) ?? "?", type: args[1] && args[1].type !== "keywords" ? oneLine(args[1].text, 60) : ":string", ...loc(c, info, n) });
      else if (ASSOCIATIONS.includes(name)) schema.associations.push({ kind: name, name: atomText(args[0]) ?? "?", target: oneLine(args[1]?.text ?? "?", 60), ...loc(c, info, n) });
      else if (name === "timestamps") schema.timestamps = true;
      else if (n.type === "call" && name !== "") c.files.note("ecto", info.file, n, oneLine(n.text, 60), "a call in the schema block the reader does not know (a macro); the fields it adds are not listed");
    }
    out.schemas.push(schema);
  }
  return out;
}

// --- Observability -------------------------------------------------------------

const METRICS = ["counter", "sum", "last_value", "summary", "distribution"];

export function observability(c: CodeContext): Omit<Observability, "loggerMetadata"> & { loggerMetadata: Observability["loggerMetadata"] } {
  const out: Observability = { emitted: [], attached: [], metrics: [], reporters: [], loggerMetadata: [] };
  for (const info of c.index.values()) {
    for (const call of calls(info, [":telemetry"], ["execute", "span"])) {
      out.emitted.push({ event: oneLine(callArgs(call)[0]?.text ?? "?", 80), how: `:telemetry.${callName(call)}`, ...loc(c, info, call) });
    }
    for (const call of calls(info, [":telemetry"], ["attach", "attach_many"])) {
      const [id, events] = callArgs(call);
      out.attached.push({ handler: oneLine(id?.text ?? "?", 60), events: oneLine(events?.text ?? "?", 80), ...loc(c, info, call) });
    }
    for (const call of shapes(info).calls.filter((x) => METRICS.includes(x.name) && ["", "Telemetry.Metrics", "Metrics"].includes(x.receiver)).map((x) => x.node)) {
      const first = callArgs(call)[0];
      if (first?.type !== "string") continue;
      out.metrics.push({ type: callName(call) as string, name: stringOrText(first), ...loc(c, info, call) });
    }
    for (const call of shapes(info).calls.filter((x) => x.name === "setup" && /^Opentelemetry|^OpenTelemetry/.test(x.receiver)).map((x) => x.node)) {
      out.reporters.push({ what: oneLine(call.text, 60), ...loc(c, info, call) });
    }
    for (const call of calls(info, ["Logger"], ["metadata"])) {
      if (callArgs(call).length > 0) out.loggerMetadata.push({ keys: oneLine(callArgs(call)[0]?.text ?? "", 80), ...loc(c, info, call) });
    }
  }
  for (const { node } of treeNodes(c.tree)) {
    if (/Reporter|Prometheus|StatsD|Statsd|PromEx|:telemetry_poller|TelemetryPoller|OpenTelemetry|Opentelemetry/.test(node.id)) out.reporters.push({ what: node.id, file: c.files.rel(node.file), line: node.line });
  }
  return out;
}

// --- Distribution in code ------------------------------------------------------

export function distribution(c: CodeContext): Omit<Distribution, "libcluster"> & { libcluster: Distribution["libcluster"] } {
  const out: Distribution = { libcluster: [], dnsCluster: [], horde: [], pg: [], global: [], singletons: [] };
  for (const { node } of treeNodes(c.tree)) {
    const at = { file: c.files.rel(node.file), line: node.line };
    if (node.id === "DNSCluster") out.dnsCluster.push({ query: "(see the child's query: option)", ...at });
    if (node.id.startsWith("Horde.")) out.horde.push({ what: `${node.id}${node.name ? ` ${node.name}` : ""} in the tree`, ...at });
    if (node.id === ":pg" || node.id === "pg") out.pg.push({ what: "a :pg scope in the tree", ...at });
    const name = node.name ?? "";
    if (/^\{:global,|^\{:via, :global,/.test(name)) out.singletons.push({ module: node.id, how: `one per cluster: ${name}`, ...at });
    else if (/^\{:via, Horde\.Registry,/.test(name)) out.singletons.push({ module: node.id, how: `one per cluster: ${name}`, ...at });
  }
  for (const info of c.index.values()) {
    if (!info.body) continue;
    for (const u of info.uses.filter((x) => x.startsWith("Horde."))) out.horde.push({ what: `${info.name} uses ${u}`, ...loc(c, info) });
    // Process groups: :pg, and :syn (its scopes and groups).
    for (const call of calls(info, [":pg", ":syn"])) out.pg.push({ what: oneLine(call.text, 70), ...loc(c, info, call) });
    const globalCalls = calls(info, [":global"]);
    for (const call of globalCalls) out.global.push({ what: oneLine(call.text, 70), ...loc(c, info, call) });
    // A module that registers names through :global itself (a `:via` module): what it names runs once in the cluster.
    const registers = globalCalls.find((call) => callName(call) === "register_name");
    if (registers) out.singletons.push({ module: info.name, how: "registers its processes through :global (one per cluster; a :via module)", ...loc(c, info, registers) });
    // DNSCluster's query, written where the child is.
    for (const t of shapes(info).tuples.filter((n) => codeChildren(n)[0]?.text === "DNSCluster")) {
      const q = valueOf(codeChildren(t)[1], "query");
      const found = out.dnsCluster.find((d) => d.file === c.files.rel(info.file) && d.line === t.startPosition.row + 1);
      if (found && q) found.query = oneLine(q.text, 70);
    }
    // A default name through :global or Horde makes a process one per cluster.
    const kind = behaviourOf(info);
    const name = kind ? c.startName(info).name : undefined;
    if (name && /^\{:global,|^\{:via, :global,|^\{:via, Horde\.Registry,/.test(name) && !out.singletons.some((s) => s.module === info.name)) {
      out.singletons.push({ module: info.name, how: `one per cluster: ${name}`, ...loc(c, info) });
    }
  }
  // libcluster topologies written in code (`topologies = [name: [strategy: Cluster.Strategy.X]]`).
  for (const info of c.index.values()) {
    for (const t of topologies(shapes(info).pairs)) out.libcluster.push({ topology: t.topology, strategy: t.strategy, env: "code", ...loc(c, info, t.at) });
  }
  return out;
}

export { pairs };

// --- Environment read in code --------------------------------------------------

/** `System.get_env("NAME")` and `System.fetch_env!("NAME")` in lib/: variables a deployment must set, beside the config's. */
export function environmentInCode(c: CodeContext): Deployment["environment"] {
  const out: Deployment["environment"] = [];
  for (const info of c.index.values()) {
    for (const { at, ...read } of environmentReads(calls(info, ["System"]))) out.push({ ...read, env: "code", ...loc(c, info, at) });
  }
  return out;
}
