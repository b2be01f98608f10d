// Declares the Logger metadata keys a generated module logs with, in the
// project's config (what credo's MissedMetadataKeyInLoggerConfig reads, and
// what makes the keys appear in log lines): `metadata:` of
// `config :logger, :default_formatter` (Elixir 1.15+, phx.new) or, where a
// project has only that, `config :logger, :console` (the 1.14 form, which newer
// Elixirs still honour). Pure: source in, new source / already there / a
// refusal with the exact snippet out; comments and strings are never code.
import type { PatchResult } from "./children.js";
import { callArgs, callName, codeChildren, findAll, parse, type Node, type Tree } from "./reader.js";

const MAX_LINE = 98;

const atomList = (keys: readonly string[]): string => keys.map((k) => `:${k}`).join(", ");

/** The line that declares `keys` for `formatter`: what to paste where the file cannot be patched. */
export function loggerMetadataSnippet(formatter: string, keys: readonly string[]): string {
  return `config :logger, :${formatter}, metadata: [${atomList(keys)}]`;
}

/** `config :logger, :default_formatter | :console, ...` calls, by syntax. */
function loggerCalls(tree: Tree): { call: Node; formatter: "default_formatter" | "console" }[] {
  return findAll(tree.rootNode, (n) => callName(n) === "config").flatMap((call) => {
    const [app, key] = callArgs(call);
    if (app?.text !== ":logger" || (key?.text !== ":default_formatter" && key?.text !== ":console")) return [];
    return [{ call, formatter: key.text.slice(1) as "default_formatter" | "console" }];
  });
}

const lineStartOf = (source: string, i: number): number => source.lastIndexOf("\n", i - 1) + 1;

/**
 * Make `keys` part of the Logger formatter's metadata in a config file.
 * `preferred` is the formatter to configure when the file configures none.
 */
export function addLoggerMetadata(
  source: string | undefined,
  keys: readonly string[],
  preferred: "default_formatter" | "console",
): PatchResult {
  if (source === undefined) {
    return { status: "added", source: `import Config\n\n${block(preferred, keys)}` };
  }
  const tree = parse(source);
  if (tree.rootNode.hasError) return { status: "refused", reason: "it does not parse as Elixir", snippet: loggerMetadataSnippet(preferred, keys) };
  const calls = loggerCalls(tree);
  // credo reads :default_formatter's metadata first, then :console's.
  const found = calls.find((c) => c.formatter === "default_formatter") ?? calls.find((c) => c.formatter === "console");
  if (!found) {
    // A new block, before the environment's config is imported (so that it can still override it).
    const imp = findAll(tree.rootNode, (n) => callName(n) === "import_config")[0];
    const at = imp ? lineStartOf(source, imp.startIndex) : source.length;
    const before = source.slice(0, at);
    const sep = before.endsWith("\n\n") || before === "" ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    return { status: "added", source: `${before}${sep}${block(preferred, keys)}${imp ? "\n" : ""}${source.slice(at)}` };
  }
  const { call, formatter } = found;
  const args = callArgs(call);
  const kw = args.find((a) => a.type === "keywords");
  const pairs = kw ? codeChildren(kw).filter((p) => p.type === "pair") : [];
  const meta = pairs.find((p) => p.childForFieldName("key")?.text.trim() === "metadata:");
  const callStart = lineStartOf(source, call.startIndex);
  const indent = /^\s*/.exec(source.slice(callStart))?.[0] ?? "";
  const parens = source[(call.childForFieldName("target") as Node).endIndex] === "(";
  const oneLineCall = !parens && !source.slice(call.startIndex, call.endIndex).includes("\n");
  const argTexts = (metadata: string | undefined) =>
    [...args.slice(2).filter((a) => a.type !== "keywords").map((a) => ({ key: "", value: a.text }))].concat(
      pairs.filter((p) => p !== meta).map((p) => ({ key: "", value: p.text })),
      metadata === undefined ? [] : [{ key: "metadata", value: metadata }],
    );
  if (!meta) {
    // No metadata yet: add it as the call's last keyword.
    if (oneLineCall) return { status: "added", source: replaceCall(source, callStart, call.endIndex, layoutCall(indent, formatter, argTexts(`[${atomList(keys)}]`))) };
    const last = args[args.length - 1] as Node;
    const multiline = source.slice(call.startIndex, call.endIndex).includes("\n");
    const text = multiline ? `,\n${indent}  metadata: [${atomList(keys)}]` : `, metadata: [${atomList(keys)}]`;
    return { status: "added", source: source.slice(0, last.endIndex) + text + source.slice(last.endIndex) };
  }
  const value = meta.childForFieldName("value") as Node;
  if (value.type === "atom" && value.text === ":all") return { status: "present", source };
  if (value.type !== "list") {
    return { status: "refused", reason: "its Logger metadata is not a literal list", snippet: `add ${atomList(keys)} to the metadata of config :logger, :${formatter}` };
  }
  const items = codeChildren(value);
  const present = new Set(items.filter((i) => i.type === "atom").map((i) => i.text.slice(1)));
  const missing = keys.filter((k) => !present.has(k));
  if (missing.length === 0) return { status: "present", source };
  const lastItem = items[items.length - 1];
  if (lastItem && source.slice(value.startIndex, value.endIndex).includes("\n")) {
    // One item per line: add ours the same way, after the last one (and its trailing comma, if any).
    const itemIndent = source.slice(lineStartOf(source, lastItem.startIndex), lastItem.startIndex);
    const comma = value.children.find((c) => c !== null && c.type === "," && c.startIndex >= lastItem.endIndex);
    const at = comma ? comma.endIndex : lastItem.endIndex;
    const add = missing.map((k, i) => `${i === 0 && comma ? "" : ","}\n${itemIndent}:${k}`).join("");
    return { status: "added", source: source.slice(0, at) + add + source.slice(at) };
  }
  const list = [...items.map((i) => i.text), ...missing.map((k) => `:${k}`)];
  if (!items.every((i) => i.type === "atom")) {
    // Not only atoms: add ours before the bracket and leave the layout to mix format.
    const close = value.endIndex - 1;
    return { status: "added", source: `${source.slice(0, close)}${items.length === 0 ? "" : ", "}${atomList(missing)}${source.slice(close)}` };
  }
  if (oneLineCall) {
    // The whole call is on one line: lay it out again as mix format would, with the longer list.
    return { status: "added", source: replaceCall(source, callStart, call.endIndex, layoutCall(indent, formatter, argTexts(`[${list.join(", ")}]`))) };
  }
  const lineStart = lineStartOf(source, value.startIndex);
  const lineEnd = source.indexOf("\n", value.endIndex) === -1 ? source.length : source.indexOf("\n", value.endIndex);
  const oneLine = `${source.slice(lineStart, value.startIndex)}[${list.join(", ")}]${source.slice(value.endIndex, lineEnd)}`;
  if (oneLine.length <= MAX_LINE) {
    return { status: "added", source: `${source.slice(0, value.startIndex)}[${list.join(", ")}]${source.slice(value.endIndex)}` };
  }
  // Too long for one line: one item per line, as mix format lays it out.
  const keyIndent = /^\s*/.exec(source.slice(lineStart, value.startIndex))?.[0] ?? "";
  const broken = `[\n${list.map((i) => `${keyIndent}  ${i}`).join(",\n")}\n${keyIndent}]`;
  return { status: "added", source: `${source.slice(0, value.startIndex)}${broken}${source.slice(value.endIndex)}` };
}

function block(formatter: string, keys: readonly string[]): string {
  const call = layoutCall("", formatter, [{ key: "metadata", value: `[${atomList(keys)}]` }]);
  return `# Logger metadata shown in log lines (generators add the keys their modules log).\n${call}\n`;
}

/**
 * Put `text` in place of source[start, end). A call that now spans lines gets a
 * blank line on either side of it, as mix format separates multi-line
 * expressions (a comment right above stays attached).
 */
function replaceCall(source: string, start: number, end: number, text: string): string {
  let before = source.slice(0, start);
  let after = source.slice(end);
  if (text.includes("\n")) {
    const prev = before.slice(0, -1).split("\n").pop() ?? "";
    if (before.endsWith("\n") && prev.trim() !== "" && !prev.trim().startsWith("#")) before += "\n";
    const next = after.startsWith("\n") ? (after.slice(1).split("\n")[0] ?? "") : "";
    if (next.trim() !== "") after = `\n${after}`;
  }
  return before + text + after;
}

/**
 * `config :logger, :KEY, args...` as mix format lays it out: on one line when
 * it fits; else each keyword argument on its own line, and a list that still
 * does not fit one item per line.
 */
function layoutCall(indent: string, formatter: string, args: { key: string; value: string }[]): string {
  const head = `${indent}config :logger, :${formatter}`;
  const text = (a: { key: string; value: string }): string => (a.key ? `${a.key}: ${a.value}` : a.value);
  const one = `${head}, ${args.map(text).join(", ")}`;
  if (one.length <= MAX_LINE) return one;
  const lines = args.map((a) => {
    const line = `${indent}  ${text(a)}`;
    if (line.length <= MAX_LINE || !a.key || !a.value.startsWith("[")) return line;
    const items = a.value.slice(1, -1).split(",").map((s) => s.trim());
    return `${indent}  ${a.key}: [\n${items.map((i) => `${indent}    ${i}`).join(",\n")}\n${indent}  ]`;
  });
  return `${head},\n${lines.join(",\n")}`;
}
