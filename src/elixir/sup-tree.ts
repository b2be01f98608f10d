// The static supervision tree of a Mix project, read from source (the
// tree-sitter reader): from the application's start/2 into every Supervisor
// of the project's own, with strategies, restart settings and names as
// written. Children that are computed (a function of config, a conditional)
// are shown as what they are, never guessed. Needs `loadReader()` first.
import { callArgs, callName, callReceiver, codeChildren, findAll, functions, keywordValue, modules, parse, type Node } from "./reader.js";
import { headOf, resolveLists, supervisorCall } from "./children.js";

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
  /** The registered name as written: `{:via, Registry, ...}`, `{:global, ...}`, `MyApp.Name`. */
  name?: string;
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
}

/** Where a project's modules are: relative .ex paths and a way to read each (from disk, or through a run's virtual tree). */
export interface Sources {
  files: string[];
  read(file: string): string | undefined;
}

export interface ModuleInfo {
  file: string;
  node: Node;
  body: Node | undefined;
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

function fullName(node: Node, name: string): string {
  let full = name;
  for (let p = node.parent; p; p = p.parent) if (callName(p) === "defmodule") full = `${callArgs(p)[0]?.text ?? ""}.${full}`;
  return full;
}

/** Every module the sources define, with what it `use`s. */
export function moduleIndex(sources: Sources): Map<string, ModuleInfo> {
  const index = new Map<string, ModuleInfo>();
  for (const file of sources.files) {
    const source = sources.read(file);
    if (source === undefined) continue;
    for (const m of modules(parse(source).rootNode)) {
      const uses = codeChildren(m.body ?? m.node)
        .filter((n) => callName(n) === "use")
        .map((n) => callArgs(n)[0]?.text ?? "");
      index.set(fullName(m.node, m.name), { file, node: m.node, body: m.body, uses });
    }
  }
  return index;
}

const line = (n: Node): number => n.startPosition.row + 1;
/** Source text on one line, whole (a computed child's identity). */
const flat = (text: string): string => text.replace(/\s+/g, " ").trim();
const oneLine = (text: string): string => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 70 ? `${flat.slice(0, 67)}...` : flat;
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

const pairKey = (p: Node): string => p.childForFieldName("key")?.text.replace(/:\s*$/, "").trim() ?? "";

/** `strategy: :one_for_one`, `max_restarts: 10`... as written. */
function settingsOf(pairs: Node[]): string[] {
  return pairs
    .filter((p) => ["strategy", "max_restarts", "max_seconds", "max_children"].includes(pairKey(p)))
    .map((p) => `${pairKey(p)}: ${oneLine(p.childForFieldName("value")?.text ?? "")}`);
}

/** The `name:` among options, as written. */
function nameOf(pairs: Node[]): string | undefined {
  const pair = pairs.find((p) => pairKey(p) === "name");
  return pair ? oneLine(pair.childForFieldName("value")?.text ?? "") : undefined;
}

/** The `name:` written anywhere in a child's options (`{Registry, keys: :unique, name: X}`). */
function nameIn(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const pair = findAll(node, (n) => n.type === "pair" && n.childForFieldName("key")?.text.trim() === "name:")[0];
  return pair ? oneLine(pair.childForFieldName("value")?.text ?? "") : undefined;
}

/** The options of a supervisor call written as its last argument (`strategy: ...`), or a variable's text. */
function callOptions(call: Node): Node | undefined {
  const args = callArgs(call);
  return args.length >= 2 ? args[args.length - 1] : undefined;
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
    const def = functions(info.body, "start", 2, ["def"]).find((d) => supervisorCall(d));
    const root: SupNode = { id: appModule, kind: "application", settings: [], file: info.file, line: line(info.node), children: [] };
    if (!def) {
      root.note = "start/2 does not call Supervisor.start_link with its children";
      return root;
    }
    const call = supervisorCall(def) as Node;
    root.line = line(call);
    const pairs = optionPairs(callOptions(call), def, info.body);
    root.settings = settingsOf(pairs);
    root.name = nameOf(pairs);
    root.children = this.childrenOf(callArgs(call)[0], def, info);
    return root;
  }

  private childrenOf(expr: Node | undefined, scope: Node, info: ModuleInfo): SupNode[] {
    if (!expr) return [];
    if (expr.type === "list") return codeChildren(expr).map((el) => this.child(el, info));
    if (expr.type === "binary_operator" && expr.childForFieldName("operator")?.text === "++") {
      return [...this.childrenOf(expr.childForFieldName("left") ?? undefined, scope, info), ...this.childrenOf(expr.childForFieldName("right") ?? undefined, scope, info)];
    }
    if (expr.type === "identifier") {
      // `children = ...` earlier in the function: what it is bound to, `++` parts and all.
      const bindings = findAll(scope, (n) => n.type === "binary_operator" && n.childForFieldName("operator")?.text === "=" && n.childForFieldName("left")?.text === expr.text && n.startIndex < expr.startIndex);
      const rhs = bindings.length === 1 ? bindings[0]?.childForFieldName("right") : undefined;
      if (rhs) return this.childrenOf(rhs, scope, info);
    }
    const conditional = expr.type === "call" && ["if", "unless", "case", "cond"].includes(callName(expr) ?? "");
    if (!conditional) {
      const r = resolveLists(expr, scope, info.body, 0, () => true);
      if ("lists" in r && r.lists.length === 1) return this.childrenOf(r.lists[0], scope, info);
    }
    return [{ id: flat(expr.text), kind: "computed", settings: [], file: info.file, line: line(expr), children: [] }];
  }

  /** One element of a children list. */
  private child(el: Node, info: ModuleInfo): SupNode {
    const at: Omit<SupNode, "id" | "kind"> = { file: info.file, line: line(el), children: [], settings: [] };
    const isSpecCall = el.type === "call" && ((!callReceiver(el) && ["worker", "supervisor"].includes(callName(el) ?? "")) || (callReceiver(el) === "Supervisor" && callName(el) === "child_spec"));
    if (!(el.type === "alias" || el.type === "tuple" || isSpecCall)) return { ...at, id: flat(el.text), kind: "computed" };
    const module = expandAlias(headOf(el), info);
    if (!/^[A-Z][\w.]*$/.test(module)) return { ...at, id: flat(el.text), kind: "computed" };
    // The child's options: `{Mod, opts}`, `worker(Mod, args)`, `Supervisor.child_spec({Mod, opts}, ...)`.
    const inner = el.type === "call" && callReceiver(el) === "Supervisor" ? callArgs(el)[0] : el;
    if (inner !== el) {
      const id = optionPairs(callArgs(el)[1]).find((p) => pairKey(p) === "id");
      if (id) at.childId = oneLine(id.childForFieldName("value")?.text ?? "");
    }
    const opts = inner?.type === "tuple" ? codeChildren(inner)[1] : inner?.type === "call" ? callArgs(inner)[1] : undefined;
    const library = LIBRARY_KINDS[module];
    if (library) {
      const node: SupNode = { ...at, id: module, kind: library, name: attributeValue(nameIn(opts), info) };
      if (library === "dynamic-supervisor" || library === "supervisor") {
        node.settings = settingsOf(optionPairs(opts));
        node.note = "children started at run time";
      }
      return node;
    }
    return this.projectModule(module, at, nameIn(opts));
  }

  /** A child that is a module: the project's own are read (supervisors followed into init/1). */
  private projectModule(module: string, at: Omit<SupNode, "id" | "kind">, specName: string | undefined): SupNode {
    const info = this.index.get(module);
    const node: SupNode = { ...at, id: module, kind: "process", name: specName };
    // Not in the sources read (a dependency's module): Phoenix's naming says what a Repo is.
    if (!info) return module.endsWith(".Repo") ? { ...node, kind: "repo" } : node;
    if (info.uses.some((u) => u === "Phoenix.Endpoint" || u.startsWith("Phoenix.Endpoint,"))) return { ...node, kind: "endpoint" };
    if (info.uses.some((u) => u === "Ecto.Repo" || u.startsWith("Ecto.Repo,"))) return { ...node, kind: "repo" };
    node.name = attributeValue(node.name, info) ?? this.startName(info);
    // A module of the project's own wrapping a library process: `def start_link(...), do: Registry.start_link(...)`.
    const wrapped = this.wrappedKind(info);
    if (wrapped) return { ...node, kind: wrapped };
    if (info.uses.includes("DynamicSupervisor")) {
      const init = functions(info.body, "init", 1, ["def"])[0];
      const call = init ? findAll(init, (n) => callReceiver(n) === "DynamicSupervisor" && callName(n) === "init")[0] : undefined;
      return { ...node, kind: "dynamic-supervisor", settings: settingsOf(optionPairs(call ? callArgs(call)[0] : undefined, init, info.body)), note: "children started at run time" };
    }
    if (!info.uses.some((u) => u === "Supervisor" || u.startsWith("Supervisor,"))) return node;
    node.kind = "supervisor";
    if (this.visiting.has(module)) return { ...node, note: "already shown above (a cycle)" };
    const init = functions(info.body, "init", 1, ["def"]).find((d) => supervisorCall(d));
    if (!init) return { ...node, note: "init/1 does not call Supervisor.init with its children" };
    const call = supervisorCall(init) as Node;
    node.settings = settingsOf(optionPairs(callOptions(call), init, info.body));
    this.visiting.add(module);
    node.children = this.childrenOf(callArgs(call)[0], init, info);
    this.visiting.delete(module);
    return node;
  }

  /** The library process a module starts (`Registry.start_link(...)` in start_link, `Task.Supervisor.child_spec(...)` in child_spec). */
  private wrappedKind(info: ModuleInfo): Kind | undefined {
    for (const [fn, callee] of [["start_link", "start_link"], ["child_spec", "child_spec"]] as const) for (const def of functions(info.body, fn, undefined, ["def"])) {
      const call = findAll(def, (n) => callName(n) === callee && callReceiver(n) !== undefined)[0];
      const kind = call ? LIBRARY_KINDS[callReceiver(call) ?? ""] : undefined;
      if (kind && kind !== "supervisor") return kind;
    }
    return undefined;
  }

  /** The name a module's start_link registers it under, as written (`name: __MODULE__` is the module). */
  private startName(info: ModuleInfo): string | undefined {
    const start = functions(info.body, "start_link", undefined, ["def"]);
    for (const def of start) {
      const call = findAll(def, (n) => ["start_link", "start"].includes(callName(n) ?? "") && callReceiver(n) !== undefined)[0];
      const name = call ? (nameOf(optionPairs(callOptions(call), def, info.body)) ?? keywordValue(call, "name")?.text) : undefined;
      if (name) return attributeValue(name, info);
    }
    return undefined;
  }
}

/** A name as the module's `alias`es make it: `Producer` after `alias MyApp.Ingest.Producer` is `MyApp.Ingest.Producer`. */
function expandAlias(name: string, info: ModuleInfo): string {
  if (!info.body) return name;
  const [first, ...rest] = name.split(".");
  for (const n of codeChildren(info.body).filter((c) => callName(c) === "alias")) {
    const [target, opts] = callArgs(n);
    const text = target?.text.replace(/\s+/g, "") ?? "";
    const as = opts ? findAll(opts, (p) => p.type === "pair" && p.childForFieldName("key")?.text.trim() === "as:")[0]?.childForFieldName("value")?.text : undefined;
    const multi = /^([\w.]+)\.\{(.+)\}$/.exec(text);
    const candidates = multi ? (multi[2] as string).split(",").map((m) => `${multi[1]}.${m}`) : [text];
    for (const full of candidates) {
      const short = as ?? full.split(".").pop();
      if (short === first) return [full, ...rest].join(".");
    }
  }
  if (first === "__MODULE__") return [fullName(info.node, callArgs(info.node)[0]?.text ?? ""), ...rest].join(".");
  return name;
}

/** `@registry` (alone or inside a term) as the value the module sets it to (`@registry MyApp.Registry`). */
function attributeValue(text: string | undefined, info: ModuleInfo): string | undefined {
  if (!text?.includes("@") || !info.body) return text;
  const body = info.body;
  return text.replace(/@([a-z_]\w*)/g, (whole, name: string) => {
    const set = codeChildren(body).find((n) => n.type === "unary_operator" && n.text.startsWith("@") && callName(codeChildren(n)[0] as Node) === name);
    const value = set ? callArgs(codeChildren(set)[0] as Node)[0] : undefined;
    return value ? oneLine(value.text) : whole;
  });
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
