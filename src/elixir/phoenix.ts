// Patchers and readers for a Phoenix app's router, endpoint and socket, and
// for adding definitions to a module wherever it sits in a file, all on the
// tree-sitter reader: calls in any spelling (`pipe_through :browser`,
// `pipe_through(:browser)`, `pipe_through [:browser]`), comments and strings
// never count as code. Pure functions; `loadReader()` first.
import type { PatchResult } from "./children.js";
import { addAliases } from "./aliases.js";
import { bodyExpressions, callArgs, callName, callReceiver, clauseParams, codeChildren, doBlock, findAll, functions, modules, parse, type Node, type Tree } from "./reader.js";

/** The text of a string literal without interpolation, or undefined. */
export function stringValue(node: Node | undefined): string | undefined {
  if (node?.type !== "string") return undefined;
  const parts = codeChildren(node);
  if (parts.some((p) => p.type !== "quoted_content" && p.type !== "escape_sequence")) return undefined;
  return parts.map((p) => p.text).join("");
}

/** The atoms a `pipe_through` call names, in any spelling: `:browser`, `(:browser)`, `[:browser, :auth]`. */
function pipelines(call: Node): string[] | undefined {
  const arg = callArgs(call)[0];
  if (!arg) return undefined;
  const items = arg.type === "list" ? codeChildren(arg) : [arg];
  return items.every((i) => i.type === "atom") ? items.map((i) => i.text.slice(1)) : undefined;
}

/** A block of code to add lines to: the end of its last expression (or comment) and the indentation of its body. */
interface Block {
  after: number;
  indent: string;
}

function blockOf(source: string, block: Node): Block | undefined {
  const kids = block.namedChildren.filter((c): c is Node => c !== null);
  const last = kids[kids.length - 1];
  const first = kids[0];
  if (!last || !first) return undefined;
  const lineStart = source.lastIndexOf("\n", first.startIndex) + 1;
  return { after: last.endIndex, indent: source.slice(lineStart, first.startIndex) };
}

/** `live "/path", Module, :action` calls, as "path Module action". */
function liveRoutes(tree: Tree): Set<string> {
  return new Set(
    findAll(tree.rootNode, (n) => callName(n) === "live").map((n) => {
      const [p, m, a] = callArgs(n);
      return `${stringValue(p) ?? "?"} ${m?.text ?? "?"} ${a?.text ?? "?"}`;
    }),
  );
}

export interface RouteTarget {
  /** `browser`: the one `scope "/", Web do` that pipes through exactly :browser; `authenticated`: the one live_session whose on_mount requires an authenticated user. */
  kind: "browser" | "authenticated";
  web: string;
  /** With several browser scopes: the line on which the chosen one starts (`--router-scope`); 0: none, print the routes. */
  line?: number;
  /** `--router-scope NAME`: a live_session (`require_authenticated_user`) or a pipeline (`browser`, `admin`) naming the place. */
  name?: string;
}

/** A `scope "/", Web do` block that pipes through :browser (alone or with others): where browser routes can go. */
export interface BrowserScope {
  line: number;
  path: string;
  pipelines: string[];
}

/** `scope ... do` blocks and `live_session ... do` blocks, in source order. */
const scopeNodes = (root: Node): Node[] => findAll(root, (n) => callName(n) === "scope" && doBlock(n) !== undefined);
const sessionNodes = (root: Node): Node[] => findAll(root, (n) => callName(n) === "live_session" && doBlock(n) !== undefined);

/** The pipelines a scope's own `pipe_through` calls name, in order. */
function scopePipelines(scope: Node): string[] {
  return codeChildren(doBlock(scope) as Node)
    .filter((c) => callName(c) === "pipe_through")
    .flatMap((pipe) => pipelines(pipe) ?? []);
}

const hasLiveSession = (scope: Node): boolean => sessionNodes(doBlock(scope) as Node).length > 0;

/** live_sessions whose on_mount requires an authenticated user (phx.gen.auth's `:require_authenticated...`). */
function authenticatedSessionNodes(root: Node): Node[] {
  return sessionNodes(root).filter((n) => findAll(callArgs(n).find((a) => a.type === "keywords") ?? n, (x) => x.type === "atom" && x.text === ":require_authenticated").length > 0);
}

/** `scope "/"` blocks aliased `web` (or not aliased) whose pipelines pass `test`. */
function rootScopes(tree: Tree, web: string, test: (pipes: string[]) => boolean): Node[] {
  return scopeNodes(tree.rootNode).filter((n) => {
    const { path, alias } = scopeHead(n);
    return path === "/" && (alias === web || alias === undefined) && test(scopePipelines(n));
  });
}

const browserScopeNodes = (tree: Tree, web: string): Node[] => rootScopes(tree, web, (pipes) => pipes.includes("browser"));

/** The router's browser scopes, to choose among when there are several. */
export function browserScopes(source: string, web: string): BrowserScope[] {
  const tree = parse(source);
  if (tree.rootNode.hasError) return [];
  return browserScopeNodes(tree, web).map((n) => ({ line: n.startPosition.row + 1, path: stringValue(callArgs(n)[0]) ?? "/", pipelines: scopePipelines(n) }));
}

/** The names of the router's live_sessions whose on_mount requires an authenticated user (phx.gen.auth's `:require_authenticated_user`). */
export function authenticatedSessions(source: string): string[] {
  return authenticatedSessionNodes(parse(source).rootNode).map((n) => callArgs(n)[0]?.text ?? "?");
}

/** A `scope` call's path and alias: `scope "/", AppWeb do` -> {"/", "AppWeb"}; `scope "/" do` -> {"/", undefined}. */
function scopeHead(n: Node): { path: string | undefined; alias: string | undefined | false } {
  const args = callArgs(n);
  const path = stringValue(args[0]);
  const second = args[1];
  if (second?.type === "alias") return { path, alias: second.text };
  const kw = args.find((a) => a.type === "keywords");
  const aliasKw = kw ? codeChildren(kw).find((p) => p.childForFieldName("key")?.text.trim() === "alias:")?.childForFieldName("value") : undefined;
  if (aliasKw?.type === "alias") return { path, alias: aliasKw.text };
  if (aliasKw?.text === "false") return { path, alias: false };
  return { path, alias: undefined };
}

/**
 * Whether the generated routes (module names relative to `web`, paths from
 * the root) can go inside `block`: every scope around it has path "/" and the
 * alias `web` or none. `relative`: some scope aliases `web` (module names as
 * they are); else they are written in full.
 */
function placement(block: Node, web: string): { relative: boolean } | string {
  let relative = false;
  for (let sc = block.parent; sc; sc = sc.parent) {
    if (callName(sc) !== "scope" || doBlock(sc) === undefined) continue;
    const { path, alias } = scopeHead(sc);
    const line = sc.startPosition.row + 1;
    if (path !== "/") return `the scope on line ${line} has the path ${path === undefined ? "?" : `"${path}"`}, which would move the pages away from the paths their links use`;
    if (alias === web) relative = true;
    else if (alias !== undefined && alias !== false) return `the scope on line ${line} aliases ${alias}, which would prefix the LiveView modules`;
  }
  return { relative };
}

function routeNamesOf(tree: Tree): { sessions: string[]; pipelines: string[] } {
  const sessions = sessionNodes(tree.rootNode).map((n) => callArgs(n)[0]?.text.replace(/^:/, "") ?? "?");
  return { sessions: [...new Set(sessions)], pipelines: [...new Set(scopeNodes(tree.rootNode).flatMap(scopePipelines))] };
}

/** The live_sessions and pipelines `--router-scope NAME` can name in a router, for the question and for errors. */
export function routeNames(source: string): { sessions: string[]; pipelines: string[] } {
  const tree = parse(source);
  return tree.rootNode.hasError ? { sessions: [], pipelines: [] } : routeNamesOf(tree);
}

/** The block a name chooses: the live_session of that name, else the one "/" scope piping through that pipeline (into its live_session, when it has one). */
function namedBlock(tree: Tree, name: string): Node | string {
  const bare = name.replace(/^:/, "");
  const sessions = sessionNodes(tree.rootNode).filter((n) => callArgs(n)[0]?.text === `:${bare}`);
  if (sessions.length === 1) return doBlock(sessions[0] as Node) as Node;
  if (sessions.length > 1) return `${sessions.length} live_sessions named :${bare}`;
  const scopes = scopeNodes(tree.rootNode).filter((n) => scopePipelines(n).includes(bare));
  if (scopes.length === 0) return `no live_session named :${bare} and no scope piping through :${bare}`;
  const root = scopes.filter((n) => scopeHead(n).path === "/");
  // Several: the ones piping through that pipeline alone, then the one of those without a live_session.
  let chosen = root;
  if (chosen.length > 1) chosen = chosen.filter((n) => scopePipelines(n).join(",") === bare);
  if (chosen.length > 1) chosen = chosen.filter((n) => !hasLiveSession(n));
  if (chosen.length !== 1) {
    const lines = (root.length > 0 ? root : scopes).map((n) => n.startPosition.row + 1).join(", ");
    return root.length === 0 ? `no scope "/" piping through :${bare} (the ones on lines ${lines} have other paths)` : `${root.length} scopes "/" piping through :${bare} (lines ${lines}): give the line of one`;
  }
  const scope = chosen[0] as Node;
  const inner = sessionNodes(doBlock(scope) as Node);
  if (inner.length > 1) return `the scope on line ${scope.startPosition.row + 1} has ${inner.length} live_sessions: name one (${inner.map((c) => callArgs(c)[0]?.text).join(", ")})`;
  return inner.length === 1 ? (doBlock(inner[0] as Node) as Node) : (doBlock(scope) as Node);
}

/** Where routes go, or why nowhere: none or several candidates. */
function routeBlock(tree: Tree, target: RouteTarget): Node | string {
  if (target.name !== undefined) return namedBlock(tree, target.name);
  if (target.kind === "browser" && target.line !== undefined) {
    const chosen = browserScopeNodes(tree, target.web).find((n) => n.startPosition.row + 1 === target.line);
    return chosen ? (doBlock(chosen) as Node) : `no \`scope "/", ${target.web} do\` block piping through :browser on line ${target.line}`;
  }
  if (target.kind === "browser") {
    const scopes = rootScopes(tree, target.web, (pipes) => pipes.join(",") === "browser");
    // mix phx.gen.auth adds a second such scope around its own live_session: the plain one is meant.
    const plain = scopes.length > 1 ? scopes.filter((n) => !hasLiveSession(n)) : scopes;
    if (plain.length !== 1) {
      const names = routeNamesOf(tree);
      const choose = scopes.length > 1 ? `; name the place: --router-scope ${[...names.sessions, ...names.pipelines].join("|")}, or the line of a scope` : "";
      return `${scopes.length === 0 ? "no" : scopes.length} \`scope "/"\` block${scopes.length > 1 ? "s" : ""} piping through :browser alone${choose}`;
    }
    return doBlock(plain[0] as Node) as Node;
  }
  const sessions = authenticatedSessionNodes(tree.rootNode);
  if (sessions.length !== 1) return `${sessions.length === 0 ? "no" : sessions.length} live_session${sessions.length > 1 ? "s" : ""} requiring an authenticated user`;
  return doBlock(sessions[0] as Node) as Node;
}

/**
 * Add `live` routes (lines such as `live "/products", ProductLive.Index, :index`)
 * to the router. Present when the routes are there as code (a route in a
 * comment is not there); refused, with the lines, when the place is not clear.
 */
export function addRoutes(source: string, routes: readonly string[], target: RouteTarget): PatchResult {
  const snippet = routes.join("\n");
  const tree = parse(source);
  if (tree.rootNode.hasError) return { status: "refused", reason: "the router does not parse as Elixir", snippet };
  // A route is there when its path and action are, with the module as given or in full (`Web.` before it).
  const have = liveRoutes(tree);
  const parsed = routes.map((r) => /^live "([^"]*)", ([\w.]+), (:\w+)$/.exec(r));
  const missing = routes.filter((r, i) => {
    const m = parsed[i];
    if (!m) return !have.has(r);
    return !have.has(`${m[1]} ${m[2]} ${m[3]}`) && !have.has(`${m[1]} ${target.web}.${m[2]} ${m[3]}`);
  });
  if (missing.length === 0) return { status: "present", source };
  if (target.kind === "browser" && target.line === 0) return { status: "refused", reason: "the routes are to be added by hand (--router-scope 0)", snippet };
  const block = routeBlock(tree, target);
  if (typeof block === "string") return { status: "refused", reason: `it has ${block}`, snippet };
  const place = placement(block, target.web);
  if (typeof place === "string") return { status: "refused", reason: place, snippet };
  const at = blockOf(source, block);
  if (!at) return { status: "refused", reason: "the block is empty", snippet };
  // In a scope without the web alias (`scope "/" do`), the modules are written in full.
  const lines = place.relative ? missing : missing.map((l) => l.replace(/^(live "[^"]*", )([\w.]+)/, `$1${target.web}.$2`));
  const text = `\n\n${lines.map((l) => `${at.indent}${l}`).join("\n")}`;
  return { status: "added", source: source.slice(0, at.after) + text + source.slice(at.after) };
}

/** The `socket` the endpoint serves at `path`, in any spelling: its module, or undefined. */
export function socketAt(endpointSource: string, path: string): { module: string } | undefined {
  const tree = parse(endpointSource);
  const call = findAll(tree.rootNode, (n) => callName(n) === "socket" && stringValue(callArgs(n)[0]) === path)[0];
  const module = call ? callArgs(call)[1] : undefined;
  return module?.type === "alias" ? { module: module.text } : call ? { module: module?.text ?? "?" } : undefined;
}

/** Add `socket "/path", Module, opts...` (the full lines, indented) before the endpoint's first socket or plug; present when a socket serves that path. */
export function addSocket(source: string, path: string, lines: string): PatchResult {
  const tree = parse(source);
  if (tree.rootNode.hasError) return { status: "refused", reason: "the endpoint does not parse as Elixir", snippet: lines };
  if (socketAt(source, path)) return { status: "present", source };
  const body = modules(tree.rootNode)[0]?.body;
  const anchor = body ? codeChildren(body).find((n) => callName(n) === "socket" || callName(n) === "plug") : undefined;
  if (!anchor) return { status: "refused", reason: "it has no socket or plug to put the socket before", snippet: lines };
  const lineStart = source.lastIndexOf("\n", anchor.startIndex) + 1;
  return { status: "added", source: source.slice(0, lineStart) + lines + source.slice(lineStart) };
}

/** Add `channel "topic", Module` to the socket module: after its last channel, else after `use Phoenix.Socket`; present when the topic is routed. */
export function addChannel(source: string, socketModule: string, topic: string, channelModule: string): PatchResult {
  const line = `channel "${topic}", ${channelModule}`;
  const tree = parse(source);
  const module = modules(tree.rootNode).find((m) => m.name === socketModule);
  if (tree.rootNode.hasError || !module?.body) return { status: "refused", reason: `no module ${socketModule} was found in it`, snippet: line };
  const body = codeChildren(module.body);
  if (body.some((n) => callName(n) === "channel" && stringValue(callArgs(n)[0]) === topic)) return { status: "present", source };
  const lastChannel = body.filter((n) => callName(n) === "channel").pop();
  const use = body.find((n) => callName(n) === "use" && callArgs(n)[0]?.text === "Phoenix.Socket");
  const anchor = lastChannel ?? use;
  if (!anchor) return { status: "refused", reason: `${socketModule} has no \`use Phoenix.Socket\``, snippet: line };
  const indent = source.slice(source.lastIndexOf("\n", anchor.startIndex) + 1, anchor.startIndex);
  const text = lastChannel ? `\n${indent}${line}` : `\n\n${indent}${line}`;
  return { status: "added", source: source.slice(0, anchor.endIndex) + text + source.slice(anchor.endIndex) };
}

/** What a unit of a module body defines, to tell whether the module has it already. */
export type Definition = { kind: "def"; name: string } | { kind: "type"; name: string } | { kind: "describe"; name: string };

function definedIn(body: Node, d: Definition): boolean {
  const kids = codeChildren(body);
  if (d.kind === "def") return functions(body, d.name).length > 0;
  if (d.kind === "describe") return kids.some((n) => callName(n) === "describe" && stringValue(callArgs(n)[0]) === d.name);
  return kids.some((n) => n.type === "unary_operator" && /^@type(p|opaque)?\s/.test(n.text) && new RegExp(`^@type\\w*\\s+${d.name}\\b`).test(n.text));
}

/**
 * Append units (functions with their docs, types, describe blocks) to the body
 * of the module named `module`, wherever it sits in the file (other modules,
 * `defimpl` or `defprotocol` blocks before or after it), before its own `end`;
 * units it already defines are left out. Present when none is missing.
 */
export function addToModule(source: string, module: string, units: readonly { text: string; defines: Definition | undefined }[]): PatchResult {
  const snippet = units.map((u) => u.text).join("\n\n");
  const tree = parse(source);
  const found = modules(tree.rootNode).find((m) => m.name === module);
  if (tree.rootNode.hasError || !found?.body) return { status: "refused", reason: `no module ${module} was found in it`, snippet };
  const missing = units.filter((u) => !u.defines || !definedIn(found.body as Node, u.defines));
  if (missing.length === 0) return { status: "present", source };
  // The do-block ends with its `end` keyword: insert before that line.
  const endAt = found.body.endIndex - 3;
  const endLine = source.lastIndexOf("\n", endAt - 1);
  const before = source.slice(0, endLine).replace(/\s*$/, "");
  return { status: "added", source: `${before}\n\n${missing.map((u) => u.text.replace(/\s+$/, "")).join("\n\n")}${source.slice(endLine)}` };
}

/** Add `plug Module` right before the first of the plugs `before` names that the endpoint has; present when the plug is there. */
export function addPlugBefore(source: string, plug: string, before: readonly string[]): PatchResult {
  const line = `plug ${plug}`;
  const tree = parse(source);
  if (tree.rootNode.hasError) return { status: "refused", reason: "it does not parse as Elixir", snippet: line };
  const plugs = findAll(tree.rootNode, (n) => callName(n) === "plug");
  if (plugs.some((n) => callArgs(n)[0]?.text === plug)) return { status: "present", source };
  // The first of `before` the endpoint has (a health check before Plug.RequestId and Plug.Telemetry is neither logged nor timed).
  const anchor = before.map((b) => plugs.find((n) => callArgs(n)[0]?.text === b)).find((n) => n !== undefined);
  if (!anchor) return { status: "refused", reason: `it has none of ${before.map((b) => `\`plug ${b}\``).join(", ")}`, snippet: line };
  const lineStart = source.lastIndexOf("\n", anchor.startIndex - 1) + 1;
  const indent = source.slice(lineStart, anchor.startIndex);
  return { status: "added", source: `${source.slice(0, lineStart)}${indent}${line}\n${source.slice(lineStart)}` };
}

/** The pipelines a router defines (`pipeline :browser do`), by name, in order. */
export function pipelineNames(source: string): string[] {
  const tree = parse(source);
  if (tree.rootNode.hasError) return [];
  return findAll(tree.rootNode, (n) => callName(n) === "pipeline" && doBlock(n) !== undefined).map((n) => callArgs(n)[0]?.text.replace(/^:/, "") ?? "?");
}

/**
 * Add `line` (`plug Module` and its options) as the last plug of the router's
 * `pipeline :name do ... end`: after what it has (phx.gen.auth's
 * fetch_current_scope_for_user included). Present when that pipeline plugs
 * the module already, whatever its options.
 */
export function addPlugToPipeline(source: string, pipeline: string, plug: string, line: string): PatchResult {
  const tree = parse(source);
  if (tree.rootNode.hasError) return { status: "refused", reason: "the router does not parse as Elixir", snippet: line };
  const found = findAll(tree.rootNode, (n) => callName(n) === "pipeline" && callArgs(n)[0]?.text === `:${pipeline}` && doBlock(n) !== undefined);
  if (found.length !== 1) {
    const names = pipelineNames(source);
    const known = names.length > 0 ? ` (it has ${names.map((n) => `:${n}`).join(", ")})` : "";
    return { status: "refused", reason: `it has ${found.length === 0 ? "no" : found.length} \`pipeline :${pipeline}\`${known}`, snippet: line };
  }
  const block = doBlock(found[0] as Node) as Node;
  if (codeChildren(block).some((n) => callName(n) === "plug" && callArgs(n)[0]?.text === plug)) return { status: "present", source };
  const at = blockOf(source, block);
  if (!at) return { status: "refused", reason: `its pipeline :${pipeline} is empty`, snippet: line };
  return { status: "added", source: `${source.slice(0, at.after)}\n${at.indent}${line}${source.slice(at.after)}` };
}

/**
 * Add a `handle_info/2` clause (`clause`: its full text, `@impl true` first)
 * to `module`: see addCallbackClause. Present when a clause of it already
 * matches messages tagged `tag` (`{Tag, ...}`); where the module had no
 * handle_info/2, `fallback` (a catch-all) follows it: a LiveView without
 * handle_info/2 ignores other messages, and one with a single clause would
 * crash on them.
 */
export function addHandleInfo(source: string, module: string, tag: string, clause: string, fallback: string): PatchResult {
  return addCallbackClause(source, module, { name: "handle_info", arity: 2, first: { tuple: tag } }, clause, fallback);
}

/** What a clause's first parameter is, by syntax: a tuple tagged `{Tag, ...}`, or a string literal. */
export type FirstParam = { tuple: string } | { string: string };

function firstParamIs(def: Node, want: FirstParam): boolean {
  const first = clauseParams(def)[0];
  if (!first) return false;
  if ("tuple" in want) return first.type === "tuple" && codeChildren(first)[0]?.text === want.tuple;
  return stringValue(first) === want.string;
}

/**
 * Add a clause of a callback (`clause`: its full text, `@impl true` first) to
 * `module`: before its first clause of that function (and that clause's
 * attributes), so that the clauses stay together and a catch-all stays last;
 * at the end of the module when it has none, followed by `fallback` if given.
 * Present when a clause's first parameter is already `fn.first`.
 * With `alias`, `alias Alias` is added to the module (credo's AliasUsage).
 */
export function addCallbackClause(
  source: string,
  module: string,
  fn: { name: string; arity: number; first: FirstParam },
  clause: string,
  fallback: string | undefined,
  alias?: string,
): PatchResult {
  const tree = parse(source);
  const found = modules(tree.rootNode).find((m) => m.name === module);
  if (tree.rootNode.hasError || !found?.body) return { status: "refused", reason: `no module ${module} was found in it`, snippet: clause };
  const clauses = functions(found.body, fn.name, fn.arity);
  if (clauses.some((c) => firstParamIs(c, fn.first))) return { status: "present", source };
  const withAlias = (text: string): string => (alias === undefined ? text : addAliases(text, module, [alias]));
  const first = clauses[0];
  if (!first) {
    const text = fallback === undefined ? clause : `${clause.replace(/\s+$/, "")}\n\n${fallback}`;
    const r = addToModule(source, module, [{ text, defines: undefined }]);
    return r.status === "added" ? { status: "added", source: withAlias(r.source) } : r;
  }
  // The clause's own attributes and doc (`@impl true`) go with it: ours goes above them.
  const kids = codeChildren(found.body);
  let at = kids.indexOf(first);
  while (at > 0 && (kids[at - 1] as Node).type === "unary_operator" && (kids[at - 1] as Node).text.startsWith("@")) at--;
  const anchorNode = kids[at] as Node;
  const lineStart = source.lastIndexOf("\n", anchorNode.startIndex - 1) + 1;
  return { status: "added", source: withAlias(`${source.slice(0, lineStart)}${clause.replace(/\s+$/, "")}\n\n${source.slice(lineStart)}`) };
}

/** The name a `{Phoenix.PubSub, name: X}` child in a source gives its PubSub, by syntax. */
export function pubsubName(source: string): string | undefined {
  const tree = parse(source);
  for (const t of findAll(tree.rootNode, (n) => n.type === "tuple")) {
    const [head, opts] = codeChildren(t);
    if (head?.text !== "Phoenix.PubSub" || opts?.type !== "keywords") continue;
    const pair = codeChildren(opts).find((p) => p.childForFieldName("key")?.text.trim() === "name:");
    const value = pair?.childForFieldName("value");
    if (value?.type === "alias") return value.text;
  }
  return undefined;
}

/** Whether a config source has a `config APP, KEY, ...` call (or `config APP, ...` when key is undefined), by syntax. */
export function hasConfig(source: string, app: string, key?: string): boolean {
  const tree = parse(source);
  return findAll(tree.rootNode, (n) => callName(n) === "config").some((n) => {
    const [a, k] = callArgs(n);
    return a?.text === app && (key === undefined || k?.text === key);
  });
}

/** The pair `key:` of a keyword list node (`keywords`, or a `list` holding one). */
function pairOf(node: Node | undefined, key: string): Node | undefined {
  if (!node) return undefined;
  const kw = node.type === "keywords" ? node : node.type === "list" ? codeChildren(node).find((c) => c.type === "keywords") : undefined;
  return kw ? codeChildren(kw).find((p) => p.childForFieldName("key")?.text.trim() === `${key}:`) : undefined;
}

/**
 * config/prod.exs: `path` excluded from the endpoint's `force_ssl` redirect
 * (`exclude: [paths: [...], hosts: [...]]`), so that load balancers and the
 * kubelet, which call over plain HTTP, get the health check's answer rather
 * than a 301. phx.new writes the line commented out (`# paths: ["/health"],`):
 * it is uncommented; otherwise `paths:` is added to `exclude:`. A file
 * without `force_ssl` needs nothing; a shape this cannot edit safely is
 * refused with the snippet.
 */
export function excludeFromForceSsl(source: string, endpoint: string, path: string): PatchResult {
  const tree = parse(source);
  const snippet = `force_ssl: [rewrite_on: [:x_forwarded_proto], exclude: [paths: [${JSON.stringify(path)}], hosts: ["localhost", "127.0.0.1"]]]`;
  if (tree.rootNode.hasError) return { status: "refused", reason: "it does not parse as Elixir", snippet };
  const configs = findAll(tree.rootNode, (n) => callName(n) === "config" && callArgs(n)[1]?.text === endpoint);
  const forceSsl = configs.map((c) => pairOf(callArgs(c).find((a) => a.type === "keywords"), "force_ssl")).find((p) => p !== undefined);
  if (!forceSsl) return { status: "present", source };
  const exclude = pairOf(forceSsl.childForFieldName("value") ?? undefined, "exclude");
  const value = exclude?.childForFieldName("value") ?? undefined;
  if (!exclude || !value || value.type !== "list") return { status: "refused", reason: "its force_ssl has no `exclude: [hosts: ...]` list to add the path to", snippet };
  const paths = pairOf(value, "paths");
  if (paths) {
    if (paths.text.includes(JSON.stringify(path))) return { status: "present", source };
    return { status: "refused", reason: `its force_ssl already excludes other paths`, snippet: `paths: [${JSON.stringify(path)}, ...]` };
  }
  const first = codeChildren(codeChildren(value).find((c) => c.type === "keywords") ?? value)[0];
  if (!first || first.type !== "pair") return { status: "refused", reason: "its force_ssl's exclude is not a keyword list", snippet };
  // phx.new's commented-out line, inside the list: uncommented in place.
  const commented = findAll(value, (n) => n.type === "comment").find((c) => c.text.replace(/\s+/g, "") === `#paths:[${JSON.stringify(path)}],`);
  let out: string;
  if (commented) {
    out = `${source.slice(0, commented.startIndex)}paths: [${JSON.stringify(path)}],${source.slice(commented.endIndex)}`;
  } else {
    const lineStart = source.lastIndexOf("\n", first.startIndex - 1) + 1;
    const indent = source.slice(lineStart, first.startIndex);
    out = /^\s*$/.test(indent)
      ? `${source.slice(0, lineStart)}${indent}paths: [${JSON.stringify(path)}],\n${source.slice(lineStart)}`
      : `${source.slice(0, first.startIndex)}paths: [${JSON.stringify(path)}], ${source.slice(first.startIndex)}`;
  }
  if (parse(out).rootNode.hasError) return { status: "refused", reason: "the edit would not parse", snippet };
  return { status: "added", source: out };
}

/** Whether an application module starts phx.new's DNSCluster (the alias as code, not in a comment). */
export function startsDnsCluster(source: string): boolean {
  const tree = parse(source);
  return findAll(tree.rootNode, (n) => n.type === "alias" && n.text === "DNSCluster").length > 0;
}

/**
 * phx.new's `AppWeb.Telemetry` extended with the app's own telemetry module
 * `appTelemetry` (gen telemetry in a Phoenix app), instead of a second
 * supervisor and poller beside it: `metrics/0`'s list gets
 * `++ App.Telemetry.metrics()` (so LiveDashboard shows the recipes' metrics
 * too), and init/1 starts the reporters the config chooses,
 * `App.Telemetry.reporters(metrics())`, beside its poller. Each edit is made
 * only where the function has phx.new's shape (a list literal; a `children`
 * variable given to `Supervisor.init/2`); any other is refused with the
 * snippet. Present when both are there.
 */
export function extendWebTelemetry(source: string, module: string, appTelemetry: string): PatchResult {
  const metricsCall = `${appTelemetry}.metrics()`;
  const reportersCall = `${appTelemetry}.reporters(metrics())`;
  const snippet = `# in ${module}.metrics/0, after its list:\n    ] ++ ${metricsCall}\n# in ${module}.init/1:\n    reporters = ${reportersCall}\n    Supervisor.init(children ++ reporters, strategy: :one_for_one)`;
  const tree = parse(source);
  const found = modules(tree.rootNode).find((m) => m.name === module);
  if (tree.rootNode.hasError || !found?.body) return { status: "refused", reason: `no module ${module} was found in it`, snippet };
  const edits: { at: number; text: string }[] = [];

  const [metrics, ...moreMetrics] = functions(found.body, "metrics", 0, ["def"]);
  if (!metrics || moreMetrics.length > 0) return { status: "refused", reason: `${module} has no single metrics/0`, snippet };
  if (!metrics.text.includes(metricsCall)) {
    // A list, a concatenation of lists, a variable or a plain call: `++` appends to its value
    // (not to a pipeline's last step, nor inside a case).
    const last = bodyExpressions(metrics).at(-1);
    const appendable =
      last?.type === "list" ||
      last?.type === "identifier" ||
      (last?.type === "call" && callName(last) !== undefined && doBlock(last) === undefined) ||
      (last?.type === "binary_operator" && last.childForFieldName("operator")?.text === "++");
    if (!last || !appendable) return { status: "refused", reason: `${module}.metrics/0 does not end with a list, a ++ of lists or a call`, snippet };
    edits.push({ at: last.endIndex, text: ` ++ ${metricsCall}` });
  }

  const [init, ...moreInits] = functions(found.body, "init", 1, ["def"]);
  if (!init || moreInits.length > 0) return { status: "refused", reason: `${module} has no single init/1`, snippet };
  if (!init.text.includes(`${appTelemetry}.reporters(`)) {
    const calls = findAll(init, (n) => callName(n) === "init" && callReceiver(n) === "Supervisor");
    const children = calls.length === 1 ? callArgs(calls[0] as Node)[0] : undefined;
    if (!children || children.type !== "identifier") {
      return { status: "refused", reason: `${module}.init/1 does not give a children variable to Supervisor.init/2`, snippet };
    }
    // Never shadow a variable of the user's.
    if (findAll(init, (n) => n.type === "identifier" && n.text === "reporters").length > 0) {
      return { status: "refused", reason: `${module}.init/1 already has a variable named reporters`, snippet };
    }
    const call = calls[0] as Node;
    const lineStart = source.lastIndexOf("\n", call.startIndex - 1) + 1;
    const indent = source.slice(lineStart, call.startIndex);
    if (!/^\s*$/.test(indent)) return { status: "refused", reason: `${module}.init/1's Supervisor.init/2 call does not start its line`, snippet };
    edits.push({ at: children.endIndex, text: " ++ reporters" });
    edits.push({ at: lineStart, text: `${indent}reporters = ${reportersCall}\n` });
  }
  if (edits.length === 0) return { status: "present", source };
  let out = source;
  for (const e of edits.sort((a, b) => b.at - a.at)) out = `${out.slice(0, e.at)}${e.text}${out.slice(e.at)}`;
  if (parse(out).rootNode.hasError) return { status: "refused", reason: "the edit would not parse", snippet };
  return { status: "added", source: out };
}

/** What gen channel needs of phx.gen.auth's `UserAuth` to tie a socket to the login session. */
export interface SessionAuth {
  /** The accounts context, as written in UserAuth (`Accounts`) and resolved through its aliases (`Shop.Accounts`). */
  accounts: string;
  /** The schema's singular name in the context's functions: `user` of `get_user_by_session_token/1`. */
  singular: string;
  /** The topic prefix of the session's live_socket_id, which log-out broadcasts "disconnect" on: `users_sessions`. */
  topicPrefix: string;
  /** Whether `get_<singular>_by_session_token/1` returns `{user, inserted_at}` (phx.gen.auth 1.8) rather than the user. */
  tuple: boolean;
}

/**
 * phx.gen.auth's session handling, read from its UserAuth module: the
 * context that looks a session token up, the schema's name, the
 * `live_socket_id` topic log-out broadcasts on, and the lookup's return shape.
 * Undefined when the module is not phx.gen.auth's shape (then a socket
 * cannot be tied to the session and keeps its signed token).
 */
export function sessionAuth(source: string): SessionAuth | undefined {
  const tree = parse(source);
  if (tree.rootNode.hasError) return undefined;
  const lookup = findAll(tree.rootNode, (n) => /^get_\w+_by_session_token$/.test(callName(n) ?? "") && callReceiver(n) !== undefined)[0];
  if (!lookup) return undefined;
  const singular = (callName(lookup) as string).replace(/^get_/, "").replace(/_by_session_token$/, "");
  const receiver = callReceiver(lookup) as string;
  // `alias Shop.Accounts` (or `alias Shop.Accounts, as: Accounts`) names the receiver's module.
  let accounts = receiver;
  for (const a of findAll(tree.rootNode, (n) => callName(n) === "alias")) {
    const [target, opts] = callArgs(a);
    const as = opts?.type === "keywords" ? codeChildren(opts).find((p) => p.childForFieldName("key")?.text.trim() === "as:")?.childForFieldName("value")?.text : undefined;
    if (target?.type === "alias" && (as ?? target.text.split(".").pop()) === receiver.split(".")[0]) accounts = `${target.text}${receiver.slice(receiver.split(".")[0]?.length ?? 0)}`;
  }
  // The live_socket_id's topic: "users_sessions:#{Base.url_encode64(token)}".
  const topic = findAll(tree.rootNode, (n) => n.type === "string")
    .map((s) => /^"(\w+):#\{Base\.url_encode64\(\w+\)\}"$/.exec(s.text)?.[1])
    .find((t) => t !== undefined);
  if (!topic) return undefined;
  // `{user, token_inserted_at} <- Accounts.get_user_by_session_token(token)` (1.8) or `user = ...`/`user <- ...`.
  const parent = lookup.parent;
  const tuple = parent?.type === "binary_operator" && ["<-", "="].includes(parent.childForFieldName("operator")?.text ?? "") && parent.childForFieldName("left")?.type === "tuple";
  return { accounts, singular, topicPrefix: topic, tuple };
}

/** Whether a source sets or reads the module attribute `@name` as code (a comment or a string does not count). */
export function usesAttribute(source: string, name: string): boolean {
  return findAll(parse(source).rootNode, (n) => n.type === "unary_operator" && new RegExp(`^@${name}\\b`).test(n.text)).length > 0;
}

/**
 * lib/app_web.ex: `name` added to `static_paths/0`'s `~w(...)` word list (the
 * folders and files the endpoint's Plug.Static serves). Any other shape of
 * static_paths is refused with the snippet.
 */
export function addStaticPath(source: string, web: string, name: string): PatchResult {
  const tree = parse(source);
  const snippet = `def static_paths, do: ~w(assets fonts images favicon.ico robots.txt ${name})`;
  if (tree.rootNode.hasError) return { status: "refused", reason: "it does not parse as Elixir", snippet };
  const mod = modules(tree.rootNode).find((m) => m.name === web);
  const defs = functions(mod?.body, "static_paths", 0, ["def"]);
  const only = defs.length === 1 ? bodyExpressions(defs[0] as Node) : [];
  const sigil = only.length === 1 && only[0]?.type === "sigil" ? only[0] : undefined;
  const words = sigil && codeChildren(sigil).find((c) => c.type === "quoted_content");
  if (!sigil || codeChildren(sigil).find((c) => c.type === "sigil_name")?.text !== "w" || !words) {
    return { status: "refused", reason: `${web}.static_paths/0 is not one ~w(...) word list`, snippet: `"${name}" among ${web}.static_paths/0's paths` };
  }
  if (words.text.split(/\s+/).includes(name)) return { status: "present", source };
  return { status: "added", source: `${source.slice(0, words.endIndex)} ${name}${source.slice(words.endIndex)}` };
}

/**
 * .sobelow-conf: `file` added to `ignore_files: [...]`, after a comment
 * saying why (each ignore is justified in the file). Refused with the
 * snippet when the file has no `ignore_files:` list.
 */
export function addSobelowIgnoreFile(source: string, file: string, why: readonly string[]): PatchResult {
  const tree = parse(source);
  const entry = JSON.stringify(file);
  const snippet = `ignore_files: [${entry}]`;
  if (tree.rootNode.hasError) return { status: "refused", reason: "it does not parse as Elixir", snippet };
  const pair = findAll(tree.rootNode, (n) => n.type === "pair" && n.childForFieldName("key")?.text.trim() === "ignore_files:")[0];
  const list = pair?.childForFieldName("value");
  if (!pair || list?.type !== "list") return { status: "refused", reason: "it has no `ignore_files: [...]` list", snippet };
  const items = codeChildren(list);
  if (items.some((i) => stringValue(i) === file)) return { status: "present", source };
  const lineStart = source.lastIndexOf("\n", pair.startIndex - 1) + 1;
  const indent = source.slice(lineStart, pair.startIndex);
  if (!/^\s*$/.test(indent)) return { status: "refused", reason: "its ignore_files: is not on a line of its own", snippet };
  const comment = why.map((l) => `${indent}# ${l}\n`).join("");
  const inner = items.length === 0 ? entry : `${source.slice(items[0]!.startIndex, list.endIndex - 1).trim().replace(/,$/, "")}, ${entry}`;
  const out = `${source.slice(0, lineStart)}${comment}${indent}ignore_files: [${inner}]${source.slice(list.endIndex)}`;
  if (parse(out).rootNode.hasError) return { status: "refused", reason: "the edit would not parse", snippet };
  return { status: "added", source: out };
}
