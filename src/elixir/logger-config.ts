// Declares the Logger metadata keys a generated module logs with, in the
// project's config (what credo's MissedMetadataKeyInLoggerConfig reads, and
// what makes the keys appear in log lines): `metadata:` of
// `config :logger, :default_formatter` (Elixir 1.15+, phx.new) or, where a
// project has only that, `config :logger, :console` (the 1.14 form, which newer
// Elixirs still honour). Pure: source in, new source / already there / a
// refusal with the exact snippet out; comments and strings are never code.
import type { PatchResult } from "./children.js";
import { Scan } from "./lexer.js";

const MAX_LINE = 98;

/** A top-level `config :logger, :default_formatter | :console, ...` call: where its arguments end. */
interface LoggerCall {
  formatter: "default_formatter" | "console";
  /** Index just after `:console` / `:default_formatter`. */
  afterKey: number;
  /** Index of the call's closing `)` when parenthesised, else the end of its last argument. */
  end: number;
  parens: boolean;
}

function loggerCalls(source: string, scan: Scan): LoggerCall[] {
  const code = scan.codeOnly();
  const calls: LoggerCall[] = [];
  const re = /^[ \t]*config(\s*\(\s*|\s+):logger\s*,\s*:(default_formatter|console)\b/gm;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const parens = (m[1] as string).includes("(");
    const afterKey = m.index + m[0].length;
    let end: number;
    if (parens) {
      end = scan.matching(code.indexOf("(", m.index));
      if (end === -1) continue;
    } else {
      // Without parentheses the call runs on while a line ends in a comma or a bracket is open.
      let depth = 0;
      let last = afterKey;
      end = code.length;
      for (let i = afterKey; i < code.length; i++) {
        const ch = code[i] as string;
        if (ch === "(" || ch === "[" || ch === "{") depth++;
        else if (ch === ")" || ch === "]" || ch === "}") depth--;
        else if (ch === "\n" && depth === 0 && code[last] !== ",") {
          end = last + 1;
          break;
        }
        // Strings are blanked in `code`; they still end an argument.
        if (!/\s/.test(source[i] as string) && !scan.isComment(i)) last = i;
        if (i === code.length - 1) end = last + 1;
      }
    }
    calls.push({ formatter: m[2] as LoggerCall["formatter"], afterKey, end, parens });
  }
  return calls;
}

const atomList = (keys: readonly string[]): string => keys.map((k) => `:${k}`).join(", ");

function snippet(formatter: string, keys: readonly string[]): string {
  return `config :logger, :${formatter}, metadata: [${atomList(keys)}]`;
}

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
  const scan = new Scan(source);
  const code = scan.codeOnly();
  const calls = loggerCalls(source, scan);
  // credo reads :default_formatter's metadata first, then :console's.
  const call = calls.find((c) => c.formatter === "default_formatter") ?? calls.find((c) => c.formatter === "console");
  if (!call) {
    // A new block, before the environment's config is imported (so that it can still override it).
    const imp = /^import_config\b/m.exec(code);
    const at = imp ? imp.index : source.length;
    const before = source.slice(0, at);
    const sep = before.endsWith("\n\n") || before === "" ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    return { status: "added", source: `${before}${sep}${block(preferred, keys)}${imp ? "\n" : ""}${source.slice(at)}` };
  }
  const args = code.slice(call.afterKey, call.end);
  const meta = /(^|[\s,(])metadata:\s*/.exec(args);
  if (!meta) {
    // No metadata yet: add it as the call's last keyword (before `)` when parenthesised).
    const callStart = source.lastIndexOf("\n", call.afterKey) + 1;
    if (!call.parens && !source.slice(callStart, call.end).includes("\n")) {
      const args = topLevelArgs(code, source, call.afterKey, call.end).map((value) => ({ key: "", value }));
      const indent = /^\s*/.exec(source.slice(callStart))?.[0] ?? "";
      const laid = layoutCall(indent, call.formatter, [...args, { key: "metadata", value: `[${atomList(keys)}]` }]);
      return { status: "added", source: replaceCall(source, callStart, call.end, laid) };
    }
    const insert = call.end;
    const line = source.slice(source.lastIndexOf("\n", call.afterKey) + 1, call.afterKey);
    const indent = /^\s*/.exec(line)?.[0] ?? "";
    const multiline = source.slice(call.afterKey, call.end).includes("\n");
    const text = multiline ? `,\n${indent}  metadata: [${atomList(keys)}]` : `, metadata: [${atomList(keys)}]`;
    return { status: "added", source: source.slice(0, insert) + text + source.slice(insert) };
  }
  const valueAt = call.afterKey + meta.index + meta[0].length;
  if (code.startsWith(":all", valueAt)) return { status: "present", source };
  if (code[valueAt] !== "[") {
    return {
      status: "refused",
      reason: "its Logger metadata is not a literal list",
      snippet: `add ${atomList(keys)} to the metadata of config :logger, :${call.formatter}`,
    };
  }
  const close = scan.matching(valueAt);
  if (close === -1) return { status: "refused", reason: "its Logger metadata list is not closed", snippet: snippet(call.formatter, keys) };
  const inside = code.slice(valueAt + 1, close);
  const present = new Set([...inside.matchAll(/:([a-z_][A-Za-z0-9_]*[?!]?)/g)].map((m) => m[1] as string));
  const missing = keys.filter((k) => !present.has(k));
  if (missing.length === 0) return { status: "present", source };
  const items = inside.trim() === "" ? [] : inside.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (source.slice(valueAt, close).includes("\n")) {
    // One item per line: add ours the same way, before the closing bracket.
    const lastItem = valueAt + 1 + inside.trimEnd().length;
    const itemLine = source.slice(source.lastIndexOf("\n", lastItem - 1) + 1, lastItem);
    const indent = /^\s*/.exec(itemLine)?.[0] ?? "    ";
    const trailingComma = source.slice(valueAt + 1, lastItem).endsWith(",");
    const add = missing.map((k, i) => `${i === 0 && trailingComma ? "" : ","}\n${indent}:${k}`).join("");
    return { status: "added", source: source.slice(0, lastItem) + add + source.slice(lastItem) };
  }
  const list = [...items, ...missing.map((k) => `:${k}`)];
  if (!items.every((i) => /^:[a-z_]\w*[?!]?$/.test(i))) {
    // Not only atoms: add ours before the bracket and leave the layout to mix format.
    const sep = items.length === 0 ? "" : ", ";
    return { status: "added", source: `${source.slice(0, close)}${sep}${atomList(missing)}${source.slice(close)}` };
  }
  const callStart = source.lastIndexOf("\n", call.afterKey) + 1;
  const callEnd = call.parens ? call.end + 1 : call.end;
  if (!call.parens && !source.slice(callStart, callEnd).includes("\n")) {
    // The whole call is on one line: lay it out again as mix format would, with the longer list.
    const args = topLevelArgs(code, source, call.afterKey, call.end).map((a) =>
      a.startsWith("metadata:") ? { key: "metadata", value: `[${list.join(", ")}]` } : { key: "", value: a },
    );
    const indent = /^\s*/.exec(source.slice(callStart))?.[0] ?? "";
    return { status: "added", source: replaceCall(source, callStart, callEnd, layoutCall(indent, call.formatter, args)) };
  }
  const lineStart = source.lastIndexOf("\n", valueAt) + 1;
  const lineEnd = source.indexOf("\n", close) === -1 ? source.length : source.indexOf("\n", close);
  const oneLine = `${source.slice(lineStart, valueAt)}[${list.join(", ")}]${source.slice(close + 1, lineEnd)}`;
  if (oneLine.length <= MAX_LINE) {
    return { status: "added", source: `${source.slice(0, valueAt)}[${list.join(", ")}]${source.slice(close + 1)}` };
  }
  // Too long for one line: one item per line, as mix format lays it out.
  const indent = /^\s*/.exec(source.slice(lineStart, valueAt))?.[0] ?? "";
  const broken = `[\n${list.map((i) => `${indent}  ${i}`).join(",\n")}\n${indent}]`;
  return { status: "added", source: `${source.slice(0, valueAt)}${broken}${source.slice(close + 1)}` };
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

/** The arguments after `:console` / `:default_formatter` (without the leading comma), split at top-level commas. */
function topLevelArgs(code: string, source: string, from: number, to: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i <= to; i++) {
    const ch = i === to ? "," : (code[i] as string);
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (ch === "," && depth === 0) {
      const arg = source.slice(start, i).trim();
      if (arg !== "") args.push(arg);
      start = i + 1;
    }
  }
  return args;
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
