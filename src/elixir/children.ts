// Adds a child to the `children = [...]` list of a supervisor's start/2 or
// init/1. Pure: source in, new source / "already there" / a refusal with the
// exact snippet to add by hand out. It never throws on odd input, and applying
// it twice leaves the second result unchanged.
import { Scan } from "./lexer.js";

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

interface ListSite {
  open: number;
  close: number;
}

/** Where `children = [` is, inside `def start(` or `def init(`; refuses zero or several. */
function findList(scan: Scan, fn: "start" | "init"): ListSite | string {
  const code = scan.codeOnly();
  const defs = [...code.matchAll(/\b(defp?|defmacrop?)\s+([a-z_][\w?!]*)/g)].map((m) => ({ at: m.index, name: m[2] }));
  const sites: ListSite[] = [];
  for (const m of code.matchAll(/\bchildren\s*=\s*\[/g)) {
    const open = m.index + m[0].length - 1;
    const enclosing = defs.filter((d) => d.at < m.index).pop();
    if (!enclosing || enclosing.name !== fn) continue;
    const close = scan.matching(open);
    if (close === -1) return "its children list has no closing bracket";
    sites.push({ open, close });
  }
  if (sites.length === 0) return `no \`children = [...]\` list was found in ${fn === "start" ? "start/2" : "init/1"}`;
  if (sites.length > 1) return `${fn === "start" ? "start/2" : "init/1"} has ${sites.length} children lists; which one is meant is not clear`;
  return sites[0] as ListSite;
}

interface Element {
  start: number;
  end: number;
  /** Code of the element with comments removed, whitespace collapsed. */
  text: string;
}

function elements(scan: Scan, site: ListSite): Element[] {
  const out: Element[] = [];
  let depth = 0;
  let segStart = site.open + 1;
  const push = (from: number, to: number): void => {
    const code = scan.codeOnly(from, to);
    const first = code.search(/\S/);
    if (first === -1) return;
    const last = code.length - code.trimEnd().length;
    out.push({ start: from + first, end: to - last, text: code.trim().replace(/\s+/g, " ") });
  };
  for (let i = site.open + 1; i < site.close; i++) {
    if (!scan.isCode(i)) continue;
    const ch = scan.source[i] as string;
    if ("([{".includes(ch)) depth++;
    else if (")]}".includes(ch)) depth--;
    else if (ch === "," && depth === 0) {
      push(segStart, i);
      segStart = i + 1;
    }
  }
  push(segStart, site.close);
  return out;
}

/** The first term of an element: `MyApp.Worker` of `{MyApp.Worker, []}`, `:credo` of `{:credo, "~> 1.7"}`, `releases` of `releases: ...`. */
function firstTerm(text: string): string {
  return (/^\{?\s*(:?[A-Za-z_][\w.]*)/.exec(text)?.[1] ?? "").trim();
}

function isSame(el: Element, child: ChildSpec): boolean {
  const head = firstTerm(el.text);
  return child.ids.some((id) => head === id || new RegExp(`\\bname: ${id.replace(/\./g, "\\.")}(?![\\w.])`).test(el.text));
}

const mentions = (el: Element, names: string[]): boolean =>
  names.some((n) => new RegExp(`(^|[^\\w.])${n.replace(/\./g, "\\.")}(?![\\w.])`).test(el.text));

function lineStart(source: string, i: number): number {
  return source.lastIndexOf("\n", i - 1) + 1;
}

function indentAt(source: string, i: number): string {
  const ls = lineStart(source, i);
  return /^[ \t]*/.exec(source.slice(ls))?.[0] ?? "";
}

export function addChild(source: string, child: ChildSpec, fn: "start" | "init" = "start"): PatchResult {
  return addToList(source, child, (scan) => findList(scan, fn));
}

/** The list literal a function returns directly: `defp deps do [` or `def project do [`. */
function listReturnedBy(scan: Scan, fn: string): ListSite | string {
  const code = scan.codeOnly();
  const matches = [...code.matchAll(new RegExp(`\\bdefp?\\s+${fn}(?:\\(\\))?\\s+do\\s*\\[`, "g"))];
  if (matches.length !== 1) return `no \`${fn}\` function returning a list was found`;
  const open = (matches[0] as RegExpMatchArray).index! + (matches[0] as RegExpMatchArray)[0].length - 1;
  const close = scan.matching(open);
  return close === -1 ? `the list of ${fn} has no closing bracket` : { open, close };
}

/** Add a dependency tuple to mix.exs `deps/0`, e.g. `{:libcluster, "~> 3.4"}`; present when the name is there. */
export function addDep(source: string, name: string, code: string): PatchResult {
  return addToList(source, { code, ids: [`:${name}`] }, (scan) => listReturnedBy(scan, "deps"));
}

/** Add a `key: value` entry to mix.exs `project/0`; present when the key is there. */
export function addProjectEntry(source: string, key: string, code: string): PatchResult {
  return addToList(source, { code, ids: [key] }, (scan) => listReturnedBy(scan, "project"));
}

function addToList(source: string, child: ChildSpec, locate: (scan: Scan) => ListSite | string): PatchResult {
  const snippet = child.code;
  let scan: Scan;
  try {
    scan = new Scan(source);
  } catch {
    return { status: "refused", reason: "the file could not be read as Elixir", snippet };
  }
  const site = locate(scan);
  if (typeof site === "string") return { status: "refused", reason: site, snippet };
  const els = elements(scan, site);
  if (els.some((el) => isSame(el, child))) return { status: "present", source };

  const s = source;
  const multiLine = s.slice(site.open, site.close).includes("\n");

  const afterIndex = child.after ? els.map((e) => mentions(e, child.after ?? [])).lastIndexOf(true) : -1;

  if (!multiLine) {
    const inner = els.map((e) => s.slice(e.start, e.end));
    const idx =
      afterIndex !== -1 ? afterIndex + 1 : child.first ? 0 : child.before ? els.findIndex((e) => mentions(e, child.before ?? [])) : -1;
    inner.splice(idx === -1 ? inner.length : idx, 0, child.code);
    const oneLine = `[${inner.join(", ")}]`;
    const ls = lineStart(s, site.open);
    const lineEnd = s.indexOf("\n", site.close);
    const after = s.slice(site.close + 1, lineEnd === -1 ? s.length : lineEnd);
    if (site.open - ls + oneLine.length + after.length <= MAX_LINE) {
      return { status: "added", source: s.slice(0, site.open) + oneLine + s.slice(site.close + 1) };
    }
    const base = indentAt(s, site.open);
    const body = inner.map((x) => `${base}  ${x}`).join(",\n");
    return { status: "added", source: `${s.slice(0, site.open)}[\n${body}\n${base}]${s.slice(site.close + 1)}` };
  }

  const closeIndent = indentAt(s, site.open);
  const itemIndent = els[0] ? indentAt(s, els[0].start) : `${indentAt(s, site.open)}  `;
  const afterEl = els[afterIndex];
  if (afterEl) {
    // Right after that element, on a line of its own.
    const rest = scan.codeOnly(afterEl.end, site.close);
    if (rest.trimStart().startsWith(",")) {
      const comma = afterEl.end + rest.indexOf(",") + 1;
      return { status: "added", source: `${s.slice(0, comma)}\n${itemIndent}${child.code},${s.slice(comma)}` };
    }
    return { status: "added", source: `${s.slice(0, afterEl.end)},\n${itemIndent}${child.code}${s.slice(afterEl.end)}` };
  }
  const target = child.first ? els[0] : child.before ? els.find((e) => mentions(e, child.before ?? [])) : undefined;
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
    return { status: "added", source: s.slice(0, at) + text + s.slice(at) };
  }

  if (child.first) {
    // No element yet: the top of the list, above any comments.
    return { status: "added", source: `${s.slice(0, site.open + 1)}\n${itemIndent}${child.code}${els.length > 0 ? "," : ""}${s.slice(site.open + 1)}` };
  }

  // At the end: after the last element (adding its comma) and any comments, before the closing bracket.
  let out = s;
  let shift = 0;
  const last = els[els.length - 1];
  if (last) {
    const afterLast = scan.codeOnly(last.end, site.close);
    if (!afterLast.trimStart().startsWith(",")) {
      out = `${out.slice(0, last.end)},${out.slice(last.end)}`;
      shift = 1;
    }
  }
  const close = site.close + shift;
  const closeLine = lineStart(out, close);
  if (out.slice(closeLine, close).trim() === "") {
    return { status: "added", source: `${out.slice(0, closeLine)}${itemIndent}${child.code}\n${out.slice(closeLine)}` };
  }
  // `]` shares a line with the last element: break before it.
  return { status: "added", source: `${out.slice(0, close)}\n${itemIndent}${child.code}\n${closeIndent}${out.slice(close)}` };
}

/** Add a function (its full source, indented for the module body) before the module's last `end`; present when `def`/`defp name` exists. */
export function addFunction(source: string, name: string, code: string): PatchResult {
  const scan = new Scan(source);
  const body = scan.codeOnly();
  if (new RegExp(`\\bdefp?\\s+${name}\\b`).test(body)) return { status: "present", source };
  const last = body.search(/\bend\s*$/);
  if (last === -1) return { status: "refused", reason: "the module's closing `end` was not found", snippet: code };
  const before = source.slice(0, last).replace(/\s*$/, "");
  return { status: "added", source: `${before}\n\n${code.replace(/\s*$/, "")}\n${source.slice(last)}` };
}
