// The static supervision tree of a Mix project, read from source (the
// tree-sitter reader): from the application's start/2 into every Supervisor
// of the project's own, with strategies, restart settings and names as
// written. Children that are computed (a function of config, a conditional)
// are shown as what they are, never guessed. Needs `loadReader()` first.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { bodyExpressions, callArgs, callName, callReceiver, codeChildren, doBlock, findAll, functions, modules, parse, type Node } from "./reader.js";
import { bindingsOf, childrenArgument, headOf, resolveLists, startDelegate, supervisorCall } from "./children.js";
import { libSources, type MixProject, type Sources } from "./project.js";

export type { Sources };

export type Kind =
  | "application"
  | "supervisor"
  | "dynamic-supervisor"
  | "registry"
  | "pubsub"
  | "task-supervisor"
  | "endpoint"
  | "repo"
  | "finch"
  | "process"
  | "computed";

export interface SupNode {
  /** What the child list says: a module, or the computed expression. */
  id: string;
  kind: Kind;
  /** Strategy and restart settings as written (supervisors). */
  settings: string[];
  /** The strategy as written (`:one_for_one`), for the lints. */
  strategy?: string;
  /** The registered name as written: `{:via, Registry, ...}`, `{:global, ...}`, `MyApp.Name` (module attributes read). */
  name?: string;
  /** `R` when the name is `{:via, Registry, {R, key}}`, read from the syntax. */
  registry?: string;
  /** Where the child (or, for the root, the supervisor call) is written. */
  file: string;
  line: number;
  children: SupNode[];
  /** Why its children are not listed (started at run time, or not readable). */
  note?: string;
  /** Added by the run being previewed (--dry-run). */
  added?: boolean;
  /** An `id:` given with Supervisor.child_spec/2. */
  childId?: string;
  /** `restart:` and `shutdown:` as the source says them: in Supervisor.child_spec/2, the module's `use GenServer, ...` or its child_spec/1. */
  restart?: string;
  shutdown?: string;
  /** A library child whose options are computed (a variable, a call): its `name:` is not known. */
  optionsComputed?: string;
}

export interface ModuleInfo {
  name: string;
  file: string;
  node: Node;
  body: Node | undefined;
  /** The modules it `use`s (`use Supervisor` -> "Supervisor"). */
  uses: string[];
}

const KIND_LABEL: Record<Kind, string> = {
  application: "Application",
  supervisor: "Supervisor",
  "dynamic-supervisor": "DynamicSupervisor",
  registry: "Registry",
  pubsub: "Phoenix.PubSub",
  "task-supervisor": "Task.Supervisor",
  endpoint: "Phoenix Endpoint",
  repo: "Ecto Repo",
  finch: "Finch",
  process: "",
  computed: "computed",
};

const LIBRARY_KINDS: Record<string, Kind> = {
  Registry: "registry",
  "Phoenix.PubSub": "pubsub",
  "Task.Supervisor": "task-supervisor",
  DynamicSupervisor: "dynamic-supervisor",
  Finch: "finch",
  Supervisor: "supervisor",
};

/** Every module the sources define (full names), with what it `use`s. */
export function moduleIndex(sources: Sources): Map<string, ModuleInfo> {
  const index = new Map<string, ModuleInfo>();
  for (const file of sources.files) {
    const tree = sources.tree?.(file) ?? (() => {
      const source = sources.read(file);
      return source === undefined ? undefined : parse(source);
    })();
    if (tree === undefined) continue;
    for (const m of modules(tree.rootNode)) {
      const uses = codeChildren(m.body ?? m.node)
        .filter((n) => callName(n) === "use")
        .map((n) => callArgs(n)[0]?.text ?? "");
      index.set(m.name, { name: m.name, file, node: m.node, body: m.body, uses });
    }
  }
  return index;
}

/** The project's own Supervisor modules (`use Supervisor` under lib/), in path order: what `--under` may name. */
export function supervisorModules(root: string): { module: string; file: string }[] {
  return [...moduleIndex(libSources(root)).values()].filter((m) => m.body && m.uses.includes("Supervisor")).map((m) => ({ module: m.name, file: m.file }));
}

/** The project's LiveViews: modules that `use Web, :live_view` (or `use Phoenix.LiveView`), with their files. */
export function liveViewModules(root: string, web: string): { module: string; file: string }[] {
  const isLive = (n: Node): boolean => {
    if (callName(n) !== "use") return false;
    const [what, kind] = callArgs(n);
    return (what?.text === web && kind?.text === ":live_view") || what?.text === "Phoenix.LiveView";
  };
  return [...moduleIndex(libSources(root)).values()].filter((m) => m.body && codeChildren(m.body).some(isLive)).map((m) => ({ module: m.name, file: m.file }));
}

/**
 * The project's Phoenix endpoints (`use Phoenix.Endpoint` under lib/), with
 * their files: recognised by what they are, not by name (`Web.Endpoint` is one).
 * phx.new's `lib/<app>_web/endpoint.ex` is read first; the rest of lib/ only
 * when that file holds no endpoint.
 */
export function endpointModules(root: string, usualFile?: string): { module: string; file: string }[] {
  const endpoints = (sources: Sources) =>
    [...moduleIndex(sources).values()].filter((m) => m.uses.includes("Phoenix.Endpoint")).map((m) => ({ module: m.name, file: m.file }));
  if (usualFile !== undefined) {
    const read = (file: string): string | undefined => (existsSync(path.join(root, file)) ? readFileSync(path.join(root, file), "utf8") : undefined);
    const usual = endpoints({ files: [usualFile], read });
    if (usual.length > 0) return usual;
  }
  return endpoints(libSources(root));
}

const line = (n: Node): number => n.startPosition.row + 1;
/** Source text on one line, whole (a computed child's identity). */
const flat = (text: string): string => text.replace(/\s+/g, " ").trim();
/** Source text on one line, shortened for display. */
const oneLine = (text: string): string => {
  const f = flat(text);
  return f.length > 70 ? `${f.slice(0, 67)}...` : f;
};

/** The keyword pairs of options as written: trailing keywords, a `[...]` literal, or a variable bound to one in `scope`. */
function optionPairs(opts: Node | undefined, scope?: Node, module?: Node): Node[] {
  if (!opts) return [];
  let node: Node | undefined = opts;
  if (node.type === "identifier" && scope) {
    const r = resolveLists(node, scope, module, 0, () => true);
    node = "lists" in r && r.lists.length === 1 ? r.lists[0] : undefined;
  }
  if (node?.type === "list") node = codeChildren(node).find((c) => c.type === "keywords");
  return node?.type === "keywords" ? codeChildren(node).filter((c) => c.type === "pair") : [];
}

/** A keyword pair's key without its colon (`name` of `name: X`). */
export const pairKey = (p: Node): string => p.childForFieldName("key")?.text.replace(/:\s*$/, "").trim() ?? "";
const pairValue = (pairs: Node[], key: string): Node | undefined => pairs.find((p) => pairKey(p) === key)?.childForFieldName("value") ?? undefined;

/** `strategy: :one_for_one`, `max_restarts: 10`... as written, and the strategy alone. */
function settingsOf(pairs: Node[]): { settings: string[]; strategy?: string } {
  const settings = pairs
    .filter((p) => ["strategy", "max_restarts", "max_seconds", "max_children"].includes(pairKey(p)))
    .map((p) => `${pairKey(p)}: ${oneLine(p.childForFieldName("value")?.text ?? "")}`);
  const strategy = pairValue(pairs, "strategy")?.text;
  return strategy ? { settings, strategy } : { settings };
}

/** The `name:` value written anywhere in a child's options (`{Registry, keys: :unique, name: X}`). */
function nameNodeIn(node: Node | undefined): Node | undefined {
  if (!node) return undefined;
  return findAll(node, (n) => n.type === "pair" && pairKey(n) === "name")[0]?.childForFieldName("value") ?? undefined;
}

/** The options of a supervisor call written as its last argument (`strategy: ...`), or a variable's text. */
function callOptions(call: Node): Node | undefined {
  const args = callArgs(call);
  // Piped children (`[A] |> Supervisor.start_link(opts)`): every written argument is an option.
  const piped = args.length > 0 && childrenArgument(call)?.startIndex !== args[0]?.startIndex;
  return args.length >= (piped ? 1 : 2) ? args[args.length - 1] : undefined;
}

/** The value a module attribute is set to in the module (`@registry MyApp.Registry`), by syntax. */
function attributeSet(name: string, info: ModuleInfo): Node | undefined {
  if (!info.body) return undefined;
  const set = codeChildren(info.body).find((n) => n.type === "unary_operator" && n.text.startsWith("@") && callName(codeChildren(n)[0] as Node) === name);
  return set ? callArgs(codeChildren(set)[0] as Node)[0] : undefined;
}

/** `@attr` as what it is set to: a node standing for the value, else itself. */
export function throughAttribute(node: Node, info: ModuleInfo): Node {
  const attr = node.type === "unary_operator" && node.text.startsWith("@") ? codeChildren(node)[0] : undefined;
  return (attr?.type === "identifier" ? attributeSet(attr.text, info) : undefined) ?? node;
}

/** A name node as text, with the module attributes in it replaced by their values (by syntax: each `@attr` node). */
function nameText(node: Node | undefined, info: ModuleInfo): string | undefined {
  if (!node) return undefined;
  const attrs = findAll(node, (n) => n.type === "unary_operator" && n.text.startsWith("@") && codeChildren(n)[0]?.type === "identifier");
  let text = node.text;
  for (const a of attrs.reverse()) {
    const value = throughAttribute(a, info);
    if (value === a) continue;
    const [from, to] = [a.startIndex - node.startIndex, a.endIndex - node.startIndex];
    text = text.slice(0, from) + value.text + text.slice(to);
  }
  return oneLine(text);
}

/** `R` of a name written `{:via, Registry, {R, key}}` (R an alias, or an attribute set to one). */
function viaRegistry(node: Node | undefined, info: ModuleInfo): string | undefined {
  if (node?.type !== "tuple") return undefined;
  const [via, mod, inner] = codeChildren(node);
  if (via?.text !== ":via" || mod?.text !== "Registry" || inner?.type !== "tuple") return undefined;
  const first = codeChildren(inner)[0];
  const r = first ? throughAttribute(first, info) : undefined;
  return r?.type === "alias" ? r.text : undefined;
}

export class TreeReader {
  readonly index: Map<string, ModuleInfo>;
  private readonly visiting = new Set<string>();

  constructor(sources: Sources) {
    this.index = moduleIndex(sources);
  }

  /** The tree from the application module's start/2. */
  application(appModule: string): SupNode | undefined {
    const info = this.index.get(appModule);
    if (!info) return undefined;
    const starts = functions(info.body, "start", 2, ["def"]);
    const def = starts.find((d) => supervisorCall(d));
    const root: SupNode = { id: appModule, kind: "application", settings: [], file: info.file, line: line(info.node), children: [] };
    if (!def) {
      // `def start(_, _), do: App.Supervisor.start_link([])`: the project's own supervisor is the tree.
      const delegate = startDelegate(starts);
      const module = delegate ? expandAlias(delegate, info) : undefined;
      if (module && this.index.has(module)) {
        root.children = [this.projectModule(module, { file: info.file, line: line(starts[0] as Node), children: [], settings: [] })];
        return root;
      }
      root.note = "start/2 does not call Supervisor.start_link with its children";
      return root;
    }
    const call = supervisorCall(def) as Node;
    root.line = line(call);
    const pairs = optionPairs(callOptions(call), def, info.body);
    Object.assign(root, settingsOf(pairs));
    root.name = nameText(pairValue(pairs, "name"), info);
    root.children = this.childrenOf(childrenArgument(call), def, info);
    return root;
  }

  private childrenOf(expr: Node | undefined, scope: Node, info: ModuleInfo): SupNode[] {
    if (!expr) return [];
    if (expr.type === "list") {
      return codeChildren(expr).flatMap((el) => {
        // `[poller | reporters(metrics())]`: the head, then the list the tail evaluates to.
        if (el.type === "binary_operator" && el.childForFieldName("operator")?.text === "|") {
          return [this.child(el.childForFieldName("left") as Node, info, scope), ...this.childrenOf(el.childForFieldName("right") ?? undefined, scope, info)];
        }
        return [this.child(el, info, scope)];
      });
    }
    if (expr.type === "binary_operator" && expr.childForFieldName("operator")?.text === "++") {
      return [...this.childrenOf(expr.childForFieldName("left") ?? undefined, scope, info), ...this.childrenOf(expr.childForFieldName("right") ?? undefined, scope, info)];
    }
    if (expr.type === "identifier") {
      // `children = ...` earlier in the function: what it is bound to, `++` parts and all.
      const bindings = bindingsOf(expr, scope);
      const rhs = bindings[0]?.childForFieldName("right");
      if (rhs) {
        const out = this.childrenOf(rhs, scope, info);
        // Bound again: `children = children ++ more` adds `more`; any other rebinding (a `case` over the list) is computed.
        for (const later of bindings.slice(1)) {
          const right = later.childForFieldName("right");
          const appended = right?.type === "binary_operator" && right.childForFieldName("operator")?.text === "++" && right.childForFieldName("left")?.text === expr.text;
          if (appended) out.push(...this.childrenOf(right.childForFieldName("right") ?? undefined, scope, info));
          else out.push({ id: flat(later.text), kind: "computed", settings: [], file: info.file, line: line(later), children: [] });
        }
        return out;
      }
    }
    const conditional = expr.type === "call" && ["if", "unless", "case", "cond"].includes(callName(expr) ?? "");
    const followed = conditional ? undefined : this.localCall(expr, info);
    if (followed) return followed;
    if (!conditional) {
      const r = resolveLists(expr, scope, info.body, 0, () => true);
      if ("lists" in r && r.lists.length === 1) return this.childrenOf(r.lists[0], scope, info);
      if ("lists" in r && r.lists.length > 1) {
        // Several definitions of a children function: what any of them starts, once each.
        const all = r.lists.flatMap((l) => this.childrenOf(l, scope, info));
        return all.filter((c, i) => all.findIndex((o) => o.id === c.id && o.kind === c.kind) === i);
      }
    }
    return [{ id: flat(expr.text), kind: "computed", settings: [], file: info.file, line: line(expr), children: [] }];
  }

  private readonly following = new Set<string>();

  /**
   * A call of the module's own function (`endpoints(env)`, `metrics()`): what
   * any of its clauses returns, `++` parts and branches of a final
   * `if`/`case`/`cond` included, once each; undefined when it is not one.
   */
  private localCall(expr: Node, info: ModuleInfo): SupNode[] | undefined {
    if (expr.type !== "call" || callReceiver(expr) || doBlock(expr)) return undefined;
    const name = callName(expr);
    const defs = name ? functions(info.body, name, callArgs(expr).length) : [];
    const key = `${info.name}.${name}/${callArgs(expr).length}`;
    if (defs.length === 0 || this.following.has(key)) return undefined;
    this.following.add(key);
    const all = defs.flatMap((d) => {
      const last = bodyExpressions(d).pop();
      return last ? branchValues(last).flatMap((v) => this.childrenOf(v, d, info)) : [];
    });
    this.following.delete(key);
    // Nothing known inside (`Enum.reduce(config, ...)`): the call itself, as written, is what is computed.
    if (all.every((c) => c.kind === "computed")) return undefined;
    return all.filter((c, i) => all.findIndex((o) => o.id === c.id && o.kind === c.kind) === i);
  }

  /** One element of a children list. */
  private child(el: Node, info: ModuleInfo, scope?: Node): SupNode {
    // A variable bound once to the child spec (`poller = {:telemetry_poller, ...}`): that spec.
    if (el.type === "identifier" && scope) {
      const bindings = bindingsOf(el, scope);
      const rhs = bindings.length === 1 ? bindings[0]?.childForFieldName("right") : undefined;
      if (rhs && ["tuple", "alias", "call"].includes(rhs.type)) {
        const node = this.child(rhs, info);
        return node.kind === "computed" ? { ...node, id: flat(el.text), line: line(el) } : { ...node, line: line(el) };
      }
    }
    const at: Omit<SupNode, "id" | "kind"> = { file: info.file, line: line(el), children: [], settings: [] };
    const isSpecCall = el.type === "call" && ((!callReceiver(el) && ["worker", "supervisor"].includes(callName(el) ?? "")) || (callReceiver(el) === "Supervisor" && callName(el) === "child_spec"));
    // `__MODULE__.Worker` is a dot on __MODULE__: a module name too.
    const moduleDot = el.type === "dot" && el.childForFieldName("left")?.text === "__MODULE__" && el.childForFieldName("right")?.type === "alias";
    if (!(el.type === "alias" || el.type === "tuple" || isSpecCall || moduleDot)) return { ...at, id: flat(el.text), kind: "computed" };
    const module = expandAlias(headOf(el), info);
    // A module: an alias, or an Erlang module's atom (`{:telemetry_poller, opts}`).
    if (!/^[A-Z][\w.]*$/.test(module) && !/^:[a-z][a-z0-9_]*$/.test(module)) return { ...at, id: flat(el.text), kind: "computed" };
    // The child's options: `{Mod, opts}`, `worker(Mod, args)`, `Supervisor.child_spec({Mod, opts}, ...)`.
    const inner = el.type === "call" && callReceiver(el) === "Supervisor" ? callArgs(el)[0] : el;
    if (inner !== el) {
      const overrides = optionPairs(callArgs(el)[1]);
      const id = pairValue(overrides, "id");
      if (id) at.childId = oneLine(id.text);
      for (const key of ["restart", "shutdown"] as const) {
        const v = pairValue(overrides, key);
        if (v) at[key] = oneLine(v.text);
      }
    }
    const opts = inner?.type === "tuple" ? codeChildren(inner)[1] : inner?.type === "call" ? callArgs(inner)[1] : undefined;
    const nameNode = nameNodeIn(opts);
    const named = { name: nameText(nameNode, info), registry: viaRegistry(nameNode, info) };
    const library = LIBRARY_KINDS[module];
    if (library) {
      const node: SupNode = { ...at, ...named, id: module, kind: library };
      // `{Phoenix.PubSub, pub_sub_opts}`: options computed, so the name they give is not known here.
      if (opts && !["list", "keywords"].includes(opts.type) && node.name === undefined) node.optionsComputed = oneLine(opts.text);
      if (library === "dynamic-supervisor" || library === "supervisor") {
        Object.assign(node, settingsOf(optionPairs(opts)));
        node.note = "children started at run time";
      }
      return node;
    }
    return this.projectModule(module, { ...at, ...named });
  }

  /** A child that is a module: the project's own are read (supervisors followed into init/1). */
  private projectModule(module: string, at: Omit<SupNode, "id" | "kind">): SupNode {
    const info = this.index.get(module);
    const node: SupNode = { ...at, id: module, kind: "process" };
    // Not in the sources read (a dependency's module): Phoenix's naming says what a Repo is.
    if (!info) return module.endsWith(".Repo") ? { ...node, kind: "repo" } : node;
    Object.assign(node, this.restartOf(info, node));
    if (info.uses.includes("Phoenix.Endpoint")) return { ...node, kind: "endpoint" };
    if (info.uses.includes("Ecto.Repo")) return { ...node, kind: "repo" };
    if (node.name === undefined) Object.assign(node, this.startName(info));
    // A module of the project's own wrapping a library process: `def start_link(...), do: Registry.start_link(...)`.
    const wrapped = this.wrappedKind(info);
    if (wrapped) return { ...node, kind: wrapped };
    if (info.uses.includes("DynamicSupervisor")) {
      const init = functions(info.body, "init", 1, ["def"])[0];
      const call = init ? findAll(init, (n) => callReceiver(n) === "DynamicSupervisor" && callName(n) === "init")[0] : undefined;
      return { ...node, ...settingsOf(optionPairs(call ? callArgs(call)[0] : undefined, init, info.body)), kind: "dynamic-supervisor", note: "children started at run time" };
    }
    if (!info.uses.includes("Supervisor")) return node;
    node.kind = "supervisor";
    if (this.visiting.has(module)) return { ...node, note: "already shown above (a cycle)" };
    const init = functions(info.body, "init", 1, ["def"]).find((d) => supervisorCall(d));
    if (!init) return { ...node, note: "init/1 does not call Supervisor.init with its children" };
    const call = supervisorCall(init) as Node;
    Object.assign(node, settingsOf(optionPairs(callOptions(call), init, info.body)));
    this.visiting.add(module);
    node.children = this.childrenOf(childrenArgument(call), init, info);
    this.visiting.delete(module);
    return node;
  }

  /** `restart:`/`shutdown:` from the module's `use X, ...` or a pair in its child_spec/1, unless the child spec already said them. */
  private restartOf(info: ModuleInfo, node: SupNode): { restart?: string; shutdown?: string } {
    const out: { restart?: string; shutdown?: string } = {};
    const uses = codeChildren(info.body ?? info.node).filter((n) => callName(n) === "use");
    const specs = functions(info.body, "child_spec", 1, ["def"]);
    for (const key of ["restart", "shutdown"] as const) {
      if (node[key] !== undefined) continue;
      const fromUse = uses.map((u) => pairValue(optionPairs(callArgs(u)[1]), key)).find((v) => v !== undefined);
      const fromSpec = specs.flatMap((d) => findAll(d, (n) => n.type === "pair" && pairKey(n) === key))[0]?.childForFieldName("value");
      const v = fromUse ?? fromSpec ?? undefined;
      if (v) out[key] = oneLine(v.text);
    }
    return out;
  }

  /** The library process a module starts (`Registry.start_link(...)` in start_link, `Task.Supervisor.child_spec(...)` in child_spec). */
  private wrappedKind(info: ModuleInfo): Kind | undefined {
    for (const fn of ["start_link", "child_spec"]) {
      for (const def of functions(info.body, fn, undefined, ["def"])) {
        const call = findAll(def, (n) => callName(n) === fn && callReceiver(n) !== undefined)[0];
        const kind = call ? LIBRARY_KINDS[callReceiver(call) ?? ""] : undefined;
        if (kind && kind !== "supervisor") return kind;
      }
    }
    return undefined;
  }

  /** The name a module's start_link registers it under, as written (`name: __MODULE__` is the module). */
  startName(info: ModuleInfo): { name?: string; registry?: string } {
    for (const def of functions(info.body, "start_link", undefined, ["def"])) {
      const call = findAll(def, (n) => ["start_link", "start"].includes(callName(n) ?? "") && callReceiver(n) !== undefined)[0];
      // The options are the call's last argument: `GenServer.start_link(__MODULE__, arg, name: X)`, `NimblePool.start_link(name: X)`.
      const value = call ? pairValue(optionPairs(callArgs(call).at(-1), def, info.body), "name") : undefined;
      if (value) return { name: nameText(value, info), registry: viaRegistry(value, info) };
    }
    return {};
  }
}

/** The values an expression may end in: each branch's last expression of an `if`/`unless`/`case`/`cond`, else itself. */
function branchValues(expr: Node): Node[] {
  if (expr.type !== "call" || !["if", "unless", "case", "cond"].includes(callName(expr) ?? "")) return [expr];
  const block = doBlock(expr);
  if (!block) {
    // `if c, do: a, else: b`
    const kw = callArgs(expr).find((a) => a.type === "keywords");
    return kw ? codeChildren(kw).flatMap((p) => (p.childForFieldName("value") ? branchValues(p.childForFieldName("value") as Node) : [])) : [expr];
  }
  const lastOf = (n: Node): Node[] => {
    const body = codeChildren(n).filter((c) => c.type !== "stab_clause" && c.type !== "else_block");
    const clauses = codeChildren(n).filter((c) => c.type === "stab_clause");
    if (clauses.length > 0) return clauses.flatMap((cl) => {
      const b = cl.childForFieldName("right");
      const last = b ? codeChildren(b).pop() : undefined;
      return last ? branchValues(last) : [];
    });
    const last = body.pop();
    return last ? branchValues(last) : [];
  };
  const elseBlock = codeChildren(block).find((c) => c.type === "else_block");
  return [...lastOf(block), ...(elseBlock ? lastOf(elseBlock) : [])];
}

/** A name as the module's `alias`es make it: `Producer` after `alias MyApp.Ingest.Producer` is `MyApp.Ingest.Producer`. */
function expandAlias(name: string, info: ModuleInfo): string {
  if (!info.body) return name;
  const [first, ...rest] = name.split(".");
  if (first === "__MODULE__") return [info.name, ...rest].join(".");
  for (const n of codeChildren(info.body).filter((c) => callName(c) === "alias")) {
    const [target, opts] = callArgs(n);
    const as = opts ? pairValue(optionPairs(opts), "as")?.text : undefined;
    // `alias A.B` or `alias A.{B, C}` (a dot whose right side is the tuple of names).
    const tuple = target?.type === "dot" ? target.childForFieldName("right") : undefined;
    const candidates =
      tuple?.type === "tuple"
        ? codeChildren(tuple).map((m) => `${target?.childForFieldName("left")?.text ?? ""}.${m.text}`)
        : target?.type === "alias"
          ? [target.text]
          : [];
    for (const full of candidates) {
      const short = as ?? full.split(".").pop();
      if (short === first) return [full, ...rest].join(".");
    }
  }
  return name;
}

/** The label of a node: its kind, settings and name. */
export function describe(n: SupNode): string {
  const kind = ["process", "application", "computed"].includes(n.kind) || KIND_LABEL[n.kind] === n.id ? "" : KIND_LABEL[n.kind];
  const parts = [kind, ...n.settings].filter((p) => p !== "");
  const name = n.name && n.name !== n.id && n.name !== "__MODULE__" ? `name: ${n.name}` : "";
  const id = n.childId ? `id: ${n.childId}` : "";
  return [parts.length ? `(${parts.join(", ")})` : "", id, name, n.note ? `— ${n.note}` : ""].filter(Boolean).join("  ");
}

const title = (n: SupNode): string => (n.kind === "computed" ? `computed: ${oneLine(n.id)}` : n.id);

/** The tree as text, one child a line, with box-drawing branches; `+` marks what a run adds. */
export function renderText(root: SupNode): string {
  const label = (n: SupNode): string => {
    const rest = describe(n);
    return `${n.added ? "+ " : ""}${title(n)}${rest ? `  ${rest}` : ""}`;
  };
  const out = [`${label(root)}  ${root.file}:${root.line}`];
  const walk = (n: SupNode, prefix: string): void => {
    n.children.forEach((c, i) => {
      const last = i === n.children.length - 1;
      out.push(`${prefix}${last ? "└── " : "├── "}${label(c)}`);
      walk(c, `${prefix}${last ? "    " : "│   "}`);
    });
  };
  walk(root, "");
  return `${out.join("\n")}\n`;
}

const mermaidText = (s: string): string => s.replace(/&/g, "#amp;").replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");

/** The trees as one Mermaid flowchart (renders in GitHub and in ExDoc); what a run adds is styled `added`. */
export function renderMermaid(roots: SupNode[]): string {
  const lines = ["flowchart TD"];
  const added: string[] = [];
  let next = 0;
  const walk = (n: SupNode, parent: string | undefined): void => {
    const id = `n${next++}`;
    const rest = describe(n);
    lines.push(`  ${id}["${mermaidText(title(n))}${rest ? `<br/>${mermaidText(rest)}` : ""}"]`);
    if (parent) lines.push(`  ${parent} --> ${id}`);
    if (n.added) added.push(id);
    for (const c of n.children) walk(c, id);
  };
  for (const r of roots) walk(r, undefined);
  if (added.length > 0) {
    lines.push("  classDef added fill:#d4f7d4,stroke:#2a7a2a,stroke-width:2px");
    lines.push(`  class ${added.join(",")} added`);
  }
  return `${lines.join("\n")}\n`;
}

/** Each child's key under its parent: its id, numbered when it repeats. */
function childKeys(n: SupNode): string[] {
  const counts = new Map<string, number>();
  return n.children.map((c) => {
    const k = c.childId ?? c.id;
    const i = (counts.get(k) ?? 0) + 1;
    counts.set(k, i);
    return `${k}#${i}`;
  });
}

/** `after` with the nodes that `before` lacks marked as added (by their path of ids). */
export function markAdded(before: SupNode | undefined, after: SupNode): SupNode {
  const seen = new Set<string>();
  const keys = (n: SupNode, path: string): void => {
    childKeys(n).forEach((k, i) => {
      seen.add(`${path}/${k}`);
      keys(n.children[i] as SupNode, `${path}/${k}`);
    });
  };
  if (before) keys(before, before.id);
  const mark = (n: SupNode, path: string): SupNode => {
    const ks = childKeys(n);
    return {
      ...n,
      children: n.children.map((c, i) => {
        const p = `${path}/${ks[i]}`;
        const marked = mark(c, p);
        return seen.has(p) ? marked : { ...marked, added: true };
      }),
    };
  };
  return mark(after, after.id);
}

/** The added nodes of a marked tree, with the supervisor each lands under and the child it follows. */
export function addedNodes(root: SupNode): { node: SupNode; under: SupNode; after: SupNode | undefined }[] {
  const out: { node: SupNode; under: SupNode; after: SupNode | undefined }[] = [];
  const walk = (n: SupNode): void => {
    n.children.forEach((c, i) => {
      if (c.added) out.push({ node: c, under: n, after: n.children[i - 1] });
      else walk(c);
    });
  };
  walk(root);
  return out;
}

/** The tree of one project (one app, read from disk): undefined when it has no application module. */
export function projectTree(project: Pick<MixProject, "root" | "appModule">): SupNode | undefined {
  return project.appModule ? new TreeReader(libSources(project.root)).application(project.appModule) : undefined;
}

const isLibSource = (file: string): boolean => file.startsWith("lib/") && file.endsWith(".ex");

/**
 * The supervision tree before and after a run's changes (for --dry-run), the
 * added children marked; undefined when the run leaves the tree as it is.
 */
export function treeChange(
  project: Pick<MixProject, "root" | "appModule">,
  changes: readonly { path: string; after: string; action: string }[],
): { before: SupNode | undefined; after: SupNode } | undefined {
  const written = changes.filter((c) => isLibSource(c.path));
  if (!project.appModule || !written.some((c) => c.action !== "identical")) return undefined;
  const disk = libSources(project.root);
  // Each file is read from disk once, for both trees.
  const cache = new Map<string, string | undefined>();
  const read = (f: string): string | undefined => {
    if (!cache.has(f)) cache.set(f, disk.read(f));
    return cache.get(f);
  };
  const changed = new Map(written.map((c) => [c.path, c.after]));
  const before = new TreeReader({ files: disk.files, read }).application(project.appModule);
  const files = [...new Set([...disk.files, ...changed.keys()])];
  const after = new TreeReader({ files, read: (f) => changed.get(f) ?? read(f) }).application(project.appModule);
  if (!after) return undefined;
  const marked = markAdded(before, after);
  return addedNodes(marked).length > 0 ? { before, after: marked } : undefined;
}

/** The before/after text --dry-run prints. */
export function formatTreeChange(change: { before: SupNode | undefined; after: SupNode }): string {
  const lines = addedNodes(change.after).map(({ node, under, after }) => `  adds ${node.id} under ${under.id}${after ? `, after ${after.id}` : ", first"}\n`);
  return `Supervision tree before:\n${change.before ? renderText(change.before) : "  (none)\n"}Supervision tree after (+ new):\n${renderText(change.after)}${lines.join("")}`;
}
