// Aliases in a module, as credo wants them: `alias X` lines in its first
// alias block, kept in AliasOrder's order (segment by segment). Pure
// functions over sources; the reader must be loaded first.
import { callArgs, callName, codeChildren, modules, parse, type Node } from "./reader.js";

/** Aliases sorted as credo's AliasOrder wants them (segment by segment). */
export function sortAliases(modules: string[]): string[] {
  const key = (m: string): string[] => m.split(".");
  return [...new Set(modules)].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] !== y[i]) return (x[i] as string) < (y[i] as string) ? -1 : 1;
    }
    return x.length - y.length;
  });
}

/** Add `alias X` for each module to the module's first alias block (kept in credo's order), or after the moduledoc. */
export function addAliases(source: string, module: string, wanted: string[]): string {
  const body = modules(parse(source).rootNode).find((m) => m.name === module)?.body;
  if (!body) return source;
  const kids = codeChildren(body);
  const isAlias = (n: Node | undefined): boolean => n !== undefined && callName(n) === "alias" && callArgs(n).length === 1;
  const present = kids.filter(isAlias).map((n) => (callArgs(n)[0] as Node).text);
  const missing = wanted.filter((m) => !present.includes(m));
  if (missing.length === 0) return source;
  const lineStart = (i: number): number => source.lastIndexOf("\n", i - 1) + 1;
  const first = kids.findIndex(isAlias);
  if (first !== -1) {
    // The first run of alias lines, kept in credo's order with the new ones.
    let last = first;
    while (isAlias(kids[last + 1])) last++;
    const run = kids.slice(first, last + 1).map((n) => (callArgs(n)[0] as Node).text);
    const from = lineStart((kids[first] as Node).startIndex);
    const to = (kids[last] as Node).endIndex;
    const indent = source.slice(from, (kids[first] as Node).startIndex);
    const lines = sortAliases([...run, ...missing]).map((a) => `${indent}alias ${a}`);
    return `${source.slice(0, from)}${lines.join("\n")}${source.slice(to)}`;
  }
  // No alias yet: after the last use/import, else after the @moduledoc, else at the top of the body.
  const anchor = [...kids].reverse().find((n) => callName(n) === "use" || callName(n) === "import") ?? kids.find((n) => n.type === "unary_operator" && n.text.startsWith("@moduledoc"));
  const at = anchor ? source.indexOf("\n", anchor.endIndex) + 1 : source.indexOf("\n", body.startIndex) + 1;
  const lines = sortAliases(missing).map((a) => `  alias ${a}`);
  return `${source.slice(0, at)}\n${lines.join("\n")}\n${source.slice(at)}`;
}
