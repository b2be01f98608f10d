// Adds a child to the children of a supervisor's start/2 or init/1, found by
// syntax (the tree-sitter reader) wherever real applications keep them: the
// list given to Supervisor.start_link/init, a variable bound to it, the literal
// part of a `++` chain, every branch of an if/case, a private function, a
// module attribute; old `worker/2` specs count as children. Also adds to
// mix.exs's deps/0 and project/0 lists, and functions to a module.
// Pure: source in, new source / "already there" / a refusal with the exact
// snippet to add by hand out. It never throws on odd input, and applying it
// twice leaves the second result unchanged. Needs `loadReader()` first.
import { bodyExpressions, callArgs, callName, callReceiver, codeChildren, doBlock, findAll, functions, keywordValue, modules, parse, type Node, type Tree } from "./reader.js";

export interface ChildSpec {
  /** The child as it goes in the list, e.g. `{MyApp.RateLimiter, []}`. */
  code: string;
  /** Names identifying the child: an element whose first term is one of them, or that says `name: <id>`, is this child. */
  ids: string[];
  /** Place the child before the first element that mentions one of these names (e.g. a Registry before its users). */
  before?: string[];
  /** Place the child first in the list (e.g. a cluster supervisor). */
  first?: boolean;
  /** Place the child right after the last element that mentions one of these names (e.g. Presence after PubSub). */
  after?: string[];
}

export type PatchResult =
  | { status: "added"; source: string }
  | { status: "present"; source: string }
  | { status: "refused"; reason: string; snippet: string };

const MAX_LINE = 98;

/** A list literal to add to: `open` is its `[`, `close` its `]`. */
export interface ListSite {
  open: number;
  close: number;
  list: Node;
}

export const siteOf = (list: Node): ListSite => ({ open: list.startIndex, close: list.endIndex - 1, list });

/** At most this many hops from the supervisor call to the list (a variable, a function, an attribute...). */
const MAX_HOPS = 8;

export type Resolved = { lists: Node[] } | { why: string };

/**
 * The list literals that an expression evaluates to, followed through the
 * shapes real applications use: a literal list; a variable bound earlier in
 * the function; `++` chains (the literal part, not the conditional extras);
 * `if`/`unless`/`case`/`cond` whose branches are lists (every branch); a
 * private function returning the list; a module attribute. Anything else (a
 * function of config, a remote call) cannot be known.
 */
/** The `name = ...` bindings of a variable earlier in `scope` (a function), by syntax. */
export function bindingsOf(identifier: Node, scope: Node): Node[] {
  return findAll(
    scope,
    (n) => n.type === "binary_operator" && n.childForFieldName("operator")?.text === "=" && n.childForFieldName("left")?.text === identifier.text && n.startIndex < identifier.startIndex,
  );
}

export function resolveLists(expr: Node, scope: Node, module: Node | undefined, hops: number, prefer: (l: Node) => boolean): Resolved {
  if (hops > MAX_HOPS) return { why: "its children list is built through too many steps to follow" };
  const t = expr.type;
  if (t === "list") return { lists: [expr] };
  if (t === "block" || t === "body") {
    const last = codeChildren(expr).pop();
    return last ? resolveLists(last, scope, module, hops + 1, prefer) : { why: "an empty block" };
  }
  if (t === "identifier") {
    // The first binding of the variable in the function, `children = ...`.
    const bindings = bindingsOf(expr, scope);
    // `children = [A, B]`, then `children = children ++ extra()` or `children = if x, do: children ++ [C], else: children`:
    // the later bindings extend the first, whose literal is where a new child goes.
    const replacing = bindings.slice(1).find((b) => !usesVariable(b.childForFieldName("right"), expr.text));
    if (replacing) {
      const line = replacing.startPosition.row + 1;
      return { why: `\`${expr.text}\` is bound again on line ${line} without its earlier value; which list is meant is not clear` };
    }
    const rhs = bindings[0]?.childForFieldName("right");
    if (!rhs) return { why: `its children come from \`${expr.text}\`, which is not bound to a list in this function` };
    const first = resolveLists(rhs, scope, module, hops + 1, prefer);
    if ("lists" in first || bindings.length === 1) return first;
    // The first value is computed (`children = Enum.map(...)`): a later `children = children ++ [...]` has the literal.
    for (const later of bindings.slice(1)) {
      const r = resolveLists(later.childForFieldName("right") as Node, scope, module, hops + 1, prefer);
      if ("lists" in r) return r;
    }
    return first;
  }
  if (t === "binary_operator" && expr.childForFieldName("operator")?.text === "|>") {
    const right = expr.childForFieldName("right");
    // `Mix.env() |> children()`: a function of this module, given the piped value as its first argument.
    if (right?.type === "call" && !callReceiver(right) && module && definitionsOf(module, callName(right) ?? "", callArgs(right).length + 1).length > 0) {
      return fromFunction(right.text, callName(right) ?? "", callArgs(right).length + 1, module, hops, prefer);
    }
    // `[...] |> Enum.reject(&is_nil/1)`: the list that goes into the pipe.
    return resolveLists(expr.childForFieldName("left") as Node, scope, module, hops + 1, prefer);
  }
  if (t === "binary_operator" && expr.childForFieldName("operator")?.text === "++") {
    // The operands of the chain, left to right; lists inside conditionals are extras, not the app's own processes.
    const operands: Node[] = [];
    const flatten = (n: Node): void => {
      if (n.type === "binary_operator" && n.childForFieldName("operator")?.text === "++") {
        flatten(n.childForFieldName("left") as Node);
        flatten(n.childForFieldName("right") as Node);
      } else operands.push(n);
    };
    flatten(expr);
    const found: Node[] = [];
    for (const op of operands) {
      if (op.type === "call" && ["if", "unless", "case", "cond"].includes(callName(op) ?? "")) continue;
      const r = resolveLists(op, scope, module, hops + 1, prefer);
      if ("lists" in r && r.lists.length === 1) found.push(r.lists[0] as Node);
    }
    if (found.length === 0) return { why: "its children are a `++` of parts none of which is a list literal" };
    return { lists: [found.find(prefer) ?? (found[0] as Node)] };
  }
  if (t === "call" && ["if", "unless", "case", "cond"].includes(callName(expr) ?? "")) {
    // Every branch holds the list: the child goes into each.
    const branches: Node[] = [];
    const block = doBlock(expr);
    if (block) {
      if (callName(expr) === "case" || callName(expr) === "cond") {
        for (const clause of codeChildren(block).filter((c) => c.type === "stab_clause")) {
          const body = clause.childForFieldName("right");
          if (body) branches.push(body);
        }
      } else {
        const parts = codeChildren(block).filter((c) => c.type !== "else_block");
        const last = parts.pop();
        if (last) branches.push(last);
        const elseBlock = block.namedChildren.find((c) => c?.type === "else_block");
        const elseLast = elseBlock ? codeChildren(elseBlock).pop() : undefined;
        if (elseLast) branches.push(elseLast);
      }
    } else {
      for (const key of ["do", "else"]) {
        const v = keywordValue(expr, key);
        if (v) branches.push(v);
      }
    }
    const lists: Node[] = [];
    for (const b of branches) {
      const r = resolveLists(b, scope, module, hops + 1, prefer);
      if ("why" in r) return r;
      lists.push(...r.lists);
    }
    return lists.length > 0 ? { lists } : { why: `its children come from a \`${callName(expr)}\` whose branches are not lists` };
  }
  if (t === "call" && isListWrapper(expr)) {
    // `List.flatten(base_children)`, `Enum.reject(children, &is_nil/1)`: the list goes in as it is.
    return resolveLists(callArgs(expr)[0] as Node, scope, module, hops + 1, prefer);
  }
  if (t === "call" && !callReceiver(expr) && module) {
    // A function of this module returning the list: `children()`, `children(env)`. Each of its
    // definitions (clauses, or definitions in the branches of a module-level `if`) is one path.
    return fromFunction(expr.text, callName(expr) ?? "", callArgs(expr).length, module, hops, prefer);
  }
  if (t === "unary_operator" && expr.text.startsWith("@") && module) {
    // A module attribute: `@children [...]`.
    const name = expr.text.slice(1).trim();
    const defined = codeChildren(module).find((n) => n.type === "unary_operator" && n.text.startsWith("@") && callName(codeChildren(n)[0] as Node) === name && callArgs(codeChildren(n)[0] as Node).length === 1);
    const value = defined ? callArgs(codeChildren(defined)[0] as Node)[0] : undefined;
    return value ? resolveLists(value, module, module, hops + 1, prefer) : { why: `its children come from @${name}, which is not set in this module` };
  }
  return { why: `its children come from \`${expr.text.replace(/\s+/g, " ").slice(0, 60)}\`, which cannot be known without running the code` };
}

/** The lists every definition of `name/arity` in `module` returns (`text`: the call, for the reason). */
function fromFunction(text: string, name: string, arity: number, module: Node, hops: number, prefer: (l: Node) => boolean): Resolved {
  const defs = definitionsOf(module, name, arity);
  if (defs.length === 0) return { why: `its children come from \`${text}\`, which is not defined in this module` };
  const lists: Node[] = [];
  for (const def of defs) {
    const last = bodyExpressions(def).pop();
    if (!last) return { why: `a definition of ${name} returns nothing` };
    const r = resolveLists(last, def, module, hops + 1, prefer);
    if ("why" in r) return defs.length > 1 ? { why: `one of the ${defs.length} definitions of ${name}: ${r.why}` } : r;
    lists.push(...r.lists);
  }
  // The same list reached twice (two clauses calling one base function) is one place to add to.
  const unique = lists.filter((l, i) => lists.findIndex((o) => o.startIndex === l.startIndex) === i);
  // `[A, B | base_children()]` where base_children's list is also chosen: the child comes in through the tail.
  const through = unique.filter((l) => {
    const tail = codeChildren(l).pop();
    if (tail?.type !== "binary_operator" || tail.childForFieldName("operator")?.text !== "|") return false;
    const r = resolveLists(tail.childForFieldName("right") as Node, module, module, hops + 1, prefer);
    return "lists" in r && r.lists.every((t) => unique.some((u) => u.startIndex === t.startIndex));
  });
  return { lists: unique.filter((l) => !through.includes(l)) };
}

/** Whether `node` (an expression) reads the variable `name`. */
function usesVariable(node: Node | null, name: string): boolean {
  return node !== null && findAll(node, (n) => n.type === "identifier" && n.text === name).length > 0;
}

/** Calls that hand their first argument's elements on as children: `List.flatten/1`, `Enum.reject/2`, `Enum.filter/2`. */
function isListWrapper(call: Node): boolean {
  const receiver = callReceiver(call);
  const name = callName(call);
  const arity = callArgs(call).length;
  return (receiver === "List" && name === "flatten" && arity === 1) || (receiver === "Enum" && (name === "reject" || name === "filter") && arity === 2);
}

/** The definitions of `name/arity` in a module body: its clauses, and those in the branches of a module-level `if`/`unless`. */
function definitionsOf(module: Node, name: string, arity: number): Node[] {
  const defs = functions(module, name, arity);
  for (const n of codeChildren(module)) {
    if (n.type !== "call" || !["if", "unless"].includes(callName(n) ?? "")) continue;
    const block = doBlock(n);
    if (!block) continue;
    defs.push(...functions(block, name, arity));
    const elseBlock = block.namedChildren.find((c) => c?.type === "else_block");
    if (elseBlock) defs.push(...functions(elseBlock, name, arity));
  }
  return defs;
}

/** The supervisor call of start/2 or init/1: `Supervisor.start_link(children, ...)`, `Supervisor.init(children, ...)`, `supervise(children, ...)`. */
export function supervisorCall(def: Node): Node | undefined {
  return findAll(def, (n) => {
    const name = callName(n);
    const receiver = callReceiver(n);
    return (receiver === "Supervisor" && (name === "start_link" || name === "init")) || (!receiver && name === "supervise");
  })[0];
}

/** The children a supervisor call is given: its first argument, or what is piped into it (`[A, B] |> Supervisor.start_link(opts)`). */
export function childrenArgument(call: Node): Node | undefined {
  const parent = call.parent;
  const piped = parent?.type === "binary_operator" && parent.childForFieldName("operator")?.text === "|>" && parent.childForFieldName("right")?.startIndex === call.startIndex;
  return piped ? (parent.childForFieldName("left") ?? undefined) : callArgs(call)[0];
}

/** `App.Supervisor` when start/2 returns `App.Supervisor.start_link(...)`: the application starts the project's own supervisor. */
export function startDelegate(defs: Node[]): string | undefined {
  const targets = defs.flatMap((def) => {
    const last = bodyExpressions(def).pop();
    const receiver = last?.type === "call" && callName(last) === "start_link" ? callReceiver(last) : undefined;
    return receiver && receiver !== "Supervisor" && /^[A-Z][\w.]*$/.test(receiver) ? [receiver] : [];
  });
  return targets.length > 0 && targets.every((t) => t === targets[0]) ? targets[0] : undefined;
}

/**
 * The module the application's start/2 hands over to when it starts the
 * project's own supervisor (`def start(_, _), do: App.Supervisor.start_link([])`)
 * instead of calling Supervisor.start_link itself; undefined otherwise.
 */
export function delegatedSupervisor(source: string): string | undefined {
  let tree: Tree;
  try {
    tree = parse(source);
  } catch {
    return undefined;
  }
  if (tree.rootNode.hasError) return undefined;
  const defs = modules(tree.rootNode).flatMap((m) => functions(m.body, "start", 2, ["def"]));
  if (defs.length === 0 || defs.some((d) => supervisorCall(d))) return undefined;
  return startDelegate(defs);
}

/** Where the children lists of a supervisor's start/2 or init/1 are; a reason when they cannot be known. */
function findLists(tree: Tree, fn: "start" | "init", prefer: (l: Node) => boolean): ListSite[] | string {
  const where = fn === "start" ? "start/2" : "init/1";
  if (tree.rootNode.hasError) return "the file does not parse as Elixir";
  const clauses = modules(tree.rootNode).flatMap((m) => functions(m.body, fn, fn === "start" ? 2 : 1, ["def"]).map((def) => ({ def, module: m.body })));
  if (clauses.length === 0) return `no ${where} was found`;
  // The clause that starts the supervisor (another may delegate to it: `def start({:takeover, _}, args), do: start(:normal, args)`).
  const found = clauses.flatMap((c) => {
    const call = supervisorCall(c.def);
    return call ? [{ ...c, call }] : [];
  });
  if (found.length === 0) {
    const delegate = fn === "start" ? startDelegate(clauses.map((c) => c.def)) : undefined;
    if (delegate) return `${where} starts ${delegate}, whose init/1 holds the children`;
    return `${where} does not call Supervisor.${fn === "start" ? "start_link" : "init"} with its children`;
  }
  if (found.length > 1) return `${found.length} clauses of ${where} start a supervisor; which one is meant is not clear`;
  const { def, module, call } = found[0] as { def: Node; module: Node | undefined; call: Node };
  const first = childrenArgument(call);
  if (!first) return "its supervisor call has no children argument";
  const r = resolveLists(first, def, module, 0, prefer);
  return "why" in r ? r.why : r.lists.map(siteOf);
}

interface Element {
  start: number;
  end: number;
  node: Node;
  /** Index just after the comma that follows the element, if one does. */
  comma: number | undefined;
  /** For a keyword pair (`releases: ...`), its key. */
  key?: string;
}

function elements(site: ListSite): Element[] {
  const all = site.list.children.filter((c): c is Node => c !== null);
  const out: Element[] = [];
  all.forEach((c, i) => {
    if (!c.isNamed || c.type === "comment") return;
    const next = all.slice(i + 1).find((n) => n.type !== "comment");
    out.push({ start: c.startIndex, end: c.endIndex, node: c, comma: next?.type === "," ? next.endIndex : undefined });
  });
  return out;
}

/**
 * What names an element: `MyApp.Worker` of `MyApp.Worker` and `{MyApp.Worker, []}`,
 * of `worker(MyApp.Worker, [])` and `Supervisor.child_spec({MyApp.Worker, []}, id: :x)`;
 * `:credo` of `{:credo, "~> 1.7"}`; `releases` of `releases: ...`.
 */
export function headOf(node: Node): string {
  if (node.type === "alias" || node.type === "atom") return node.text;
  if (node.type === "tuple") {
    const first = codeChildren(node)[0];
    return first ? headOf(first) : "";
  }
  if (node.type === "call") {
    const name = callName(node);
    if (!callReceiver(node) && (name === "worker" || name === "supervisor")) return callArgs(node)[0]?.text ?? "";
    if (callReceiver(node) === "Supervisor" && name === "child_spec") {
      const first = callArgs(node)[0];
      return first ? headOf(first) : "";
    }
    return node.text.split("(")[0] ?? "";
  }
  if (node.type === "keywords") return codeChildren(node)[0]?.childForFieldName("key")?.text.replace(/:\s*$/, "") ?? "";
  return node.text;
}

/** The same child: the same head (`Mod`, `{Mod, ...}`), or registered under the same `name:` anywhere in it (by syntax). */
function isSame(el: Element, child: ChildSpec): boolean {
  const head = el.key ?? headOf(el.node);
  const isName = (n: Node): boolean => n.type === "pair" && n.childForFieldName("key")?.text.trim() === "name:";
  const names = findAll(el.node, isName).map((p) => p.childForFieldName("value")?.text);
  return child.ids.some((id) => head === id || names.includes(id));
}

/** Whether code in `node` names one of these modules (an alias, by syntax: a string or a comment does not count). */
const namesModule = (node: Node, names: readonly string[]): boolean => findAll(node, (n) => n.type === "alias" && names.includes(n.text)).length > 0;
const mentions = (el: Element, names: readonly string[]): boolean => namesModule(el.node, names);

function lineStart(source: string, i: number): number {
  return source.lastIndexOf("\n", i - 1) + 1;
}

function indentAt(source: string, i: number): string {
  const ls = lineStart(source, i);
  return /^[ \t]*/.exec(source.slice(ls))?.[0] ?? "";
}

export function addChild(source: string, child: ChildSpec, fn: "start" | "init" = "start"): PatchResult {
  // In a Phoenix app the list to use is the one holding the Endpoint (which stays last).
  const prefer = (l: Node): boolean => namesModule(l, child.before ?? []);
  return addToList(source, child, (tree) => findLists(tree, fn, prefer));
}

/** The list literal a function returns: `defp deps do [...] end` or `def project, do: [...]`. */
function listReturnedBy(tree: Tree, fn: string): ListSite[] | string {
  if (tree.rootNode.hasError) return "the file does not parse as Elixir";
  const defs = modules(tree.rootNode).flatMap((m) => functions(m.body, fn, 0));
  if (defs.length !== 1) return `no \`${fn}\` function returning a list was found`;
  const last = bodyExpressions(defs[0] as Node).pop();
  return last?.type === "list" ? [siteOf(last)] : `\`${fn}\` does not return a list literal`;
}

/** Add a dependency tuple to mix.exs `deps/0`, e.g. `{:libcluster, "~> 3.4"}`; present when the name is there. */
export function addDep(source: string, name: string, code: string): PatchResult {
  return addToList(source, { code, ids: [`:${name}`] }, (tree) => listReturnedBy(tree, "deps"));
}

/** Add a `key: value` entry to mix.exs `project/0`; present when the key is there. */
export function addProjectEntry(source: string, key: string, code: string): PatchResult {
  return addToList(source, { code, ids: [key] }, (tree) => listReturnedBy(tree, "project"));
}

/**
 * Set the value of the alias `name` in mix.exs `aliases/0` to the list
 * `steps`, laid out one step a line as mix format does; present when it holds
 * exactly those steps already. Found by syntax: a comment or a string that
 * looks like the alias does not count.
 */
export function setAlias(source: string, name: string, steps: readonly string[]): PatchResult {
  const list = (indent: string): string => `[\n${steps.map((s) => `${indent}  ${JSON.stringify(s)}`).join(",\n")}\n${indent}]`;
  const snippet = `${name}: ${list("      ")}`;
  let tree: Tree;
  try {
    tree = parse(source);
  } catch {
    return { status: "refused", reason: "the file could not be read as Elixir", snippet };
  }
  const sites = listReturnedBy(tree, "aliases");
  if (typeof sites === "string") return { status: "refused", reason: sites, snippet };
  const pair = (keywordElements(sites[0] as ListSite) ?? []).find((e) => e.key === name);
  const value = pair?.node.childForFieldName("value");
  if (!pair || !value) return { status: "refused", reason: `aliases/0 has no ${name} alias`, snippet };
  const current = value.type === "list" ? codeChildren(value).map((c) => (c.type === "string" ? c.text.slice(1, -1) : c.text)) : [];
  if (current.length === steps.length && current.every((s, i) => s === steps[i])) return { status: "present", source };
  const indent = indentAt(source, pair.start);
  return { status: "added", source: source.slice(0, value.startIndex) + list(indent) + source.slice(value.endIndex) };
}

/** `keywords` elements (`[app: :x, version: "1"]` parses as one keywords node): their pairs are the elements. */
function keywordElements(site: ListSite): Element[] | undefined {
  const kids = codeChildren(site.list);
  if (kids.length !== 1 || kids[0]?.type !== "keywords") return undefined;
  const pairs = (kids[0] as Node).children.filter((c): c is Node => c !== null);
  const out: Element[] = [];
  pairs.forEach((c, i) => {
    if (c.type !== "pair") return;
    const next = pairs.slice(i + 1).find((n) => n.type !== "comment");
    const key = c.childForFieldName("key")?.text.replace(/:\s*$/, "") ?? "";
    out.push({ start: c.startIndex, end: c.endIndex, node: c, comma: next?.type === "," ? next.endIndex : undefined, key });
  });
  // A trailing comma after the last pair belongs to the list node.
  const last = out[out.length - 1];
  if (last && last.comma === undefined) {
    const after = site.list.children.filter((c): c is Node => c !== null).find((c) => c.startIndex >= last.end && c.type === ",");
    if (after) last.comma = after.endIndex;
  }
  return out;
}

/** Add `child` to the list literals `locate` finds, in each list's own layout; present when one of its ids is there. */
export function addToList(source: string, child: ChildSpec, locate: (tree: Tree) => ListSite[] | string): PatchResult {
  const snippet = child.code;
  let tree: Tree;
  try {
    tree = parse(source);
  } catch {
    return { status: "refused", reason: "the file could not be read as Elixir", snippet };
  }
  const sites = locate(tree);
  if (typeof sites === "string") return { status: "refused", reason: sites, snippet };
  const unique = sites.filter((site, i) => sites.findIndex((o) => o.open === site.open) === i);
  const todo = unique.filter((site) => !(keywordElements(site) ?? elements(site)).some((el) => isSame(el, child)));
  if (todo.length === 0) return { status: "present", source };
  // From the last list to the first, so that the positions of the earlier ones hold.
  let out = source;
  for (const site of [...todo].sort((a, b) => b.open - a.open)) out = insertInto(out, site, child);
  return { status: "added", source: out };
}

/** The source with the child added to one list, placed as the ChildSpec asks, in the list's own layout. */
function insertInto(s: string, site: ListSite, child: ChildSpec): string {
  const els = keywordElements(site) ?? elements(site);
  // `[a, b | rest]`: the tail stays last; a child that would go at the end goes before `b | rest`.
  const tail = els[els.length - 1];
  const consTail = tail?.node.type === "binary_operator" && tail.node.childForFieldName("operator")?.text === "|" ? tail : undefined;
  const multiLine = s.slice(site.open, site.close).includes("\n");
  const afterIndex = child.after ? els.map((e) => mentions(e, child.after ?? [])).lastIndexOf(true) : -1;

  if (!multiLine) {
    const inner = els.map((e) => s.slice(e.start, e.end));
    const idx =
      afterIndex !== -1 ? afterIndex + 1 : child.first ? 0 : child.before ? els.findIndex((e) => mentions(e, child.before ?? [])) : -1;
    inner.splice(idx === -1 ? (consTail ? inner.length - 1 : inner.length) : idx, 0, child.code);
    const oneLine = `[${inner.join(", ")}]`;
    const ls = lineStart(s, site.open);
    const lineEnd = s.indexOf("\n", site.close);
    const after = s.slice(site.close + 1, lineEnd === -1 ? s.length : lineEnd);
    if (site.open - ls + oneLine.length + after.length <= MAX_LINE) {
      return s.slice(0, site.open) + oneLine + s.slice(site.close + 1);
    }
    const base = indentAt(s, site.open);
    const body = inner.map((x) => `${base}  ${x}`).join(",\n");
    return `${s.slice(0, site.open)}[\n${body}\n${base}]${s.slice(site.close + 1)}`;
  }

  const closeIndent = indentAt(s, site.open);
  const itemIndent = els[0] ? indentAt(s, els[0].start) : `${indentAt(s, site.open)}  `;
  const afterEl = els[afterIndex];
  if (afterEl) {
    // Right after that element, on a line of its own.
    if (afterEl.comma !== undefined) return `${s.slice(0, afterEl.comma)}\n${itemIndent}${child.code},${s.slice(afterEl.comma)}`;
    return `${s.slice(0, afterEl.end)},\n${itemIndent}${child.code}${s.slice(afterEl.end)}`;
  }
  const target = (child.first ? els[0] : child.before ? els.find((e) => mentions(e, child.before ?? [])) : undefined) ?? consTail;
  if (target) {
    // Before an existing element, on its own line.
    const ownLine = s.slice(lineStart(s, target.start), target.start).trim() === "";
    let at = ownLine ? lineStart(s, target.start) : target.start;
    // Keep the comment lines that introduce the target element with it.
    while (ownLine && at > site.open + 1) {
      const prev = lineStart(s, at - 1);
      if (!s.slice(prev, at).trim().startsWith("#")) break;
      at = prev;
    }
    const text = at === target.start ? `${child.code},\n${itemIndent}` : `${itemIndent}${child.code},\n`;
    return s.slice(0, at) + text + s.slice(at);
  }

  if (child.first) {
    // No element yet: the top of the list, above any comments.
    return `${s.slice(0, site.open + 1)}\n${itemIndent}${child.code}${els.length > 0 ? "," : ""}${s.slice(site.open + 1)}`;
  }

  // At the end: after the last element (adding its comma) and any comments, before the closing bracket.
  let out = s;
  let shift = 0;
  const last = els[els.length - 1];
  if (last && last.comma === undefined) {
    out = `${out.slice(0, last.end)},${out.slice(last.end)}`;
    shift = 1;
  }
  const close = site.close + shift;
  const closeLine = lineStart(out, close);
  if (out.slice(closeLine, close).trim() === "") {
    return `${out.slice(0, closeLine)}${itemIndent}${child.code}\n${out.slice(closeLine)}`;
  }
  // `]` shares a line with the last element: break before it.
  return `${out.slice(0, close)}\n${itemIndent}${child.code}\n${closeIndent}${out.slice(close)}`;
}

/**
 * Add a function (its full source, indented for the module body) at the end of
 * the body of the module `module` (default: the file's first), before its own
 * `end`; present when a `def`/`defp name` is in that module.
 */
export function addFunction(source: string, name: string, code: string, module?: string): PatchResult {
  let tree: Tree;
  try {
    tree = parse(source);
  } catch {
    return { status: "refused", reason: "the file could not be read as Elixir", snippet: code };
  }
  const all = modules(tree.rootNode);
  const target = module ? all.find((m) => m.name === module) : all[0];
  if (!target?.body || tree.rootNode.hasError) return { status: "refused", reason: `no module ${module ?? ""} was found to add ${name} to`.replace("  ", " "), snippet: code };
  if (functions(target.body, name).length > 0) return { status: "present", source };
  // The do-block ends with `end`: insert before that keyword.
  const endAt = target.body.endIndex - 3;
  const before = source.slice(0, endAt).replace(/\s*$/, "");
  return { status: "added", source: `${before}\n\n${code.replace(/\s*$/, "")}\n${indentAt(source, endAt)}${source.slice(endAt)}` };
}

/**
 * `.formatter.exs`'s keyword list (its last expression) and the value of `key`
 * in it, read by syntax; a reason when the file is not that shape.
 */
function formatterKey(source: string, key: string): { top: Node; value: Node | undefined } | string {
  let tree: Tree;
  try {
    tree = parse(source);
  } catch {
    return "the file could not be read as Elixir";
  }
  const top = codeChildren(tree.rootNode).at(-1);
  if (tree.rootNode.hasError || top?.type !== "list") return "it does not end with a keyword list";
  return { top, value: (keywordElements(siteOf(top)) ?? []).find((e) => e.key === key)?.node.childForFieldName("value") ?? undefined };
}

/**
 * `.formatter.exs`: `dep` in `import_deps`, so that `mix format` keeps its
 * macros without parentheses (StreamData's `check all ... do`). Added to an
 * `import_deps: [...]` list that is there, else `import_deps: [dep]` put first
 * in the file's list; present when it is there. A file whose last expression
 * is not a list literal is refused.
 */
export function addFormatterImportDep(source: string, dep: string): PatchResult {
  const atom = `:${dep}`;
  const found = formatterKey(source, "import_deps");
  if (typeof found === "string") return { status: "refused", reason: found, snippet: `import_deps: [${atom}]` };
  const { top, value } = found;
  if (!value) return addToList(source, { code: `import_deps: [${atom}]`, ids: ["import_deps"], first: true }, () => [siteOf(top)]);
  if (value.type !== "list") return { status: "refused", reason: "its import_deps is not a list literal", snippet: `import_deps: [..., ${atom}]` };
  return addToList(source, { code: atom, ids: [atom] }, () => [siteOf(value)]);
}

/**
 * `.formatter.exs`: `glob` in `inputs`, so that `mix format` formats the files
 * it matches (bench/'s scripts); present when that exact glob is there. A file
 * without an `inputs: [...]` list literal is refused.
 */
export function addFormatterInput(source: string, glob: string): PatchResult {
  const code = JSON.stringify(glob);
  const found = formatterKey(source, "inputs");
  const snippet = `inputs: [..., ${code}]`;
  if (typeof found === "string") return { status: "refused", reason: found, snippet };
  const inputs = found.value;
  if (inputs?.type !== "list") return { status: "refused", reason: "it has no inputs: [...] list", snippet };
  return addToList(source, { code, ids: [code] }, () => [siteOf(inputs)]);
}

/** Add the alias `name` to mix.exs `aliases/0`; present when an alias of that name is there (the team's own is kept). */
export function addAlias(source: string, name: string, steps: readonly string[]): PatchResult {
  return addToList(source, { code: `${name}: [${steps.map((s) => JSON.stringify(s)).join(", ")}]`, ids: [name] }, (tree) => listReturnedBy(tree, "aliases"));
}

/**
 * `code` (a call, e.g. `App.Telemetry.setup_tracing()`) as the first
 * expression of the application's `start/2`, before its children start;
 * present when the function calls it already (by syntax). A start/2 written
 * as a one-line `do:`, or defined in more than one clause, is refused.
 */
export function addStartCall(source: string, code: string): PatchResult {
  const snippet = code;
  let tree: Tree;
  try {
    tree = parse(source);
  } catch {
    return { status: "refused", reason: "the file could not be read as Elixir", snippet };
  }
  if (tree.rootNode.hasError) return { status: "refused", reason: "the file does not parse as Elixir", snippet };
  const defs = modules(tree.rootNode).flatMap((m) => functions(m.body, "start", 2, ["def"]));
  if (defs.length !== 1) return { status: "refused", reason: defs.length === 0 ? "it defines no start/2" : "its start/2 has more than one clause", snippet };
  const def = defs[0] as Node;
  // The call to add, read as a call: present when start/2 makes it, with whatever arguments.
  const wanted = codeChildren(parse(code).rootNode)[0];
  const same = (n: Node): boolean => wanted !== undefined && callName(n) === callName(wanted) && callReceiver(n) === callReceiver(wanted);
  if (findAll(def, (n) => n.type === "call" && same(n)).length > 0) return { status: "present", source };
  const block = doBlock(def);
  const first = block ? codeChildren(block)[0] : undefined;
  if (!block || !first) return { status: "refused", reason: "its start/2 has no do ... end body to add to", snippet };
  // Before the first expression, at its indentation, with the comments that introduce it kept with it.
  let at = lineStart(source, first.startIndex);
  const indent = indentAt(source, first.startIndex);
  while (at > block.startIndex) {
    const prev = lineStart(source, at - 1);
    if (!source.slice(prev, at).trim().startsWith("#")) break;
    at = prev;
  }
  return { status: "added", source: `${source.slice(0, at)}${indent}${code}\n\n${source.slice(at)}` };
}
