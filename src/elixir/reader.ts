// The one reader of Elixir source: the tree-sitter-elixir grammar (maintained
// by the Elixir team) through web-tree-sitter, as WebAssembly (no native
// build). Loaded only when a file is actually patched or read: `loadReader()`
// once (async), then `parse()` is synchronous, so patchers stay pure functions
// of their source. Node ranges are string indexes, so patchers splice text at
// exact positions and keep the user's layout and comments.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import type { Language, Node, Parser as ParserType, Tree } from "web-tree-sitter";
import { packageRoot } from "../core/paths.js";

export type { Node, Tree };

let parser: ParserType | undefined;
let loading: Promise<void> | undefined;

/** The grammar files: beside the bundle in the installed package, from node_modules in development. */
function wasmPath(file: "tree-sitter.wasm" | "tree-sitter-elixir.wasm"): string {
  const shipped = path.join(packageRoot(), "dist", file);
  if (existsSync(shipped)) return shipped;
  const require = createRequire(path.join(packageRoot(), "package.json"));
  return file === "tree-sitter.wasm" ? require.resolve("web-tree-sitter/tree-sitter.wasm") : require.resolve("tree-sitter-elixir/tree-sitter-elixir.wasm");
}

/** Load the parser and the Elixir grammar (once; later calls return at once). */
export function loadReader(): Promise<void> {
  loading ??= (async () => {
    // V8 would also compile the 1.4 MB grammar with its optimising tier, on
    // background threads the process then waits for at exit: about 150 ms of
    // a 200 ms run (npm run bench). The baseline compiler alone parses an
    // application.ex in a few milliseconds. Only this process's WebAssembly is affected.
    setFlagsFromString("--liftoff-only");
    // Each function of the grammar is validated when first called, with its
    // compilation, instead of all 1.4 MB at load: about 4 ms of a generator run
    // (npm run bench). The grammar is the one this package ships (dist/).
    setFlagsFromString("--wasm-lazy-validation");
    const { Parser, Language } = await import("web-tree-sitter");
    // Read here, synchronously: web-tree-sitter's own reads go through
    // fs/promises, one more of Node's modules to load and a wait on the thread pool.
    await Parser.init({ wasmBinary: readFileSync(wasmPath("tree-sitter.wasm")) });
    const elixir: Language = await Language.load(readFileSync(wasmPath("tree-sitter-elixir.wasm")));
    const p = new Parser();
    p.setLanguage(elixir);
    parser = p;
  })();
  return loading;
}

/** Parse Elixir source; `loadReader()` must have finished. */
export function parse(source: string): Tree {
  if (!parser) throw new Error("the Elixir reader is not loaded (await loadReader() first)");
  const tree = parser.parse(source);
  if (!tree) throw new Error("tree-sitter returned no tree");
  return tree;
}

// --- Queries over the syntax tree. Comments and strings are nodes of their own,
// --- so nothing here ever mistakes them for code.

/** Named children, comments left out. */
export function codeChildren(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== "comment");
}

/** The name of a call's target: `def` of `def start(...)`, `start_link` of `Supervisor.start_link(...)`. */
export function callName(node: Node): string | undefined {
  if (node.type !== "call") return undefined;
  const target = node.childForFieldName("target");
  if (!target) return undefined;
  if (target.type === "identifier") return target.text;
  if (target.type === "dot") return target.childForFieldName("right")?.text;
  return undefined;
}

/** The receiver of a remote call: `Supervisor` of `Supervisor.start_link(...)`. */
export function callReceiver(node: Node): string | undefined {
  const target = node.childForFieldName("target");
  return target?.type === "dot" ? target.childForFieldName("left")?.text : undefined;
}

/** A call's arguments (comments left out), or []. */
export function callArgs(node: Node): Node[] {
  const args = node.namedChildren.find((c) => c?.type === "arguments");
  return args ? codeChildren(args) : [];
}

/** A call's do-block, if it has one. */
export function doBlock(node: Node): Node | undefined {
  return node.namedChildren.find((c): c is Node => c?.type === "do_block") ?? undefined;
}

/** Every node below `node` (itself included) for which `test` holds, in source order. */
export function findAll(node: Node, test: (n: Node) => boolean): Node[] {
  const out: Node[] = [];
  const walk = (n: Node): void => {
    if (test(n)) out.push(n);
    for (const c of n.namedChildren) if (c) walk(c);
  };
  walk(node);
  return out;
}

/**
 * The calls below `node` (itself included) for which `test` holds, in source
 * order: findAll for calls, walked inside the reader (descendantsOfType), which
 * is several times faster on whole files than walking namedChildren here.
 */
export function findCalls(node: Node, test: (n: Node) => boolean = () => true): Node[] {
  const below = node.descendantsOfType("call").filter((n): n is Node => n !== null && n.id !== node.id && test(n));
  return node.type === "call" && test(node) ? [node, ...below] : below;
}

/** `defmodule Name do ... end` calls, with their full names (a `defmodule Inner` nested in `defmodule Outer` is `Outer.Inner`). */
export function modules(root: Node): { name: string; node: Node; body: Node | undefined }[] {
  return findCalls(root, (n) => callName(n) === "defmodule").map((node) => {
    let name = callArgs(node)[0]?.text ?? "";
    for (let p = node.parent; p; p = p.parent) if (callName(p) === "defmodule") name = `${callArgs(p)[0]?.text ?? ""}.${name}`;
    return { name, node, body: doBlock(node) };
  });
}

/** The arity of a `def`/`defp` head: `start(_type, _args)` -> 2, `init(opts) when ...` -> 1. */
export function defHead(def: Node): { name: string; arity: number; defaults: number } | undefined {
  let head = callArgs(def)[0];
  if (head?.type === "binary_operator" && head.childForFieldName("operator")?.text === "when") head = head.childForFieldName("left") ?? undefined;
  if (!head) return undefined;
  if (head.type === "identifier") return { name: head.text, arity: 0, defaults: 0 };
  if (head.type === "call") {
    const name = callName(head);
    const args = callArgs(head);
    // `opts \\ []`: a default argument, so the function has each arity down to arity - defaults.
    const defaults = args.filter((a) => a.type === "binary_operator" && a.childForFieldName("operator")?.text === "\\\\").length;
    return name ? { name, arity: args.length, defaults } : undefined;
  }
  return undefined;
}

/** A `def`/`defp` clause's parameters, as written in its head (a guard left out). */
export function clauseParams(def: Node): Node[] {
  let head = callArgs(def)[0];
  if (head?.type === "binary_operator" && head.childForFieldName("operator")?.text === "when") head = head.childForFieldName("left") ?? undefined;
  return head?.type === "call" ? callArgs(head) : [];
}

/** `def`/`defp` clauses named `name` (of `arity`, when given) directly in a module body. */
export function functions(body: Node | undefined, name: string, arity?: number, kinds = ["def", "defp"]): Node[] {
  if (!body) return [];
  return codeChildren(body).filter((n) => {
    const kind = callName(n);
    if (!kind || !kinds.includes(kind)) return false;
    const head = defHead(n);
    return head?.name === name && (arity === undefined || head.arity === arity);
  });
}

/**
 * Whether a module body defines the public function `name/arity`, counting
 * default arguments: `def run(events, opts \\ [])` is run/1 and run/2.
 */
export function definesPublic(body: Node | undefined, name: string, arity: number): boolean {
  return functions(body, name, undefined, ["def"]).some((def) => {
    const head = defHead(def);
    return head !== undefined && arity <= head.arity && arity >= head.arity - head.defaults;
  });
}

/** The expressions of a function's body: its do-block, or the `do:` keyword's value. */
export function bodyExpressions(def: Node): Node[] {
  const block = doBlock(def);
  if (block) return codeChildren(block);
  const kw = callArgs(def).find((a) => a.type === "keywords");
  const pair = kw ? codeChildren(kw).find((p) => p.childForFieldName("key")?.text.trim() === "do:") : undefined;
  const value = pair?.childForFieldName("value");
  return value ? [value] : [];
}

/** The value of keyword `key` in a call's trailing keyword list (`name: X` in `foo(a, name: X)`). */
export function keywordValue(node: Node, key: string): Node | undefined {
  const kw = callArgs(node).find((a) => a.type === "keywords");
  const pair = kw ? codeChildren(kw).find((p) => p.childForFieldName("key")?.text.trim() === `${key}:`) : undefined;
  return pair?.childForFieldName("value") ?? undefined;
}

/** True when the tree has syntax errors (a file tree-sitter could not read fully). */
export function hasErrors(tree: Tree): boolean {
  return tree.rootNode.hasError;
}
