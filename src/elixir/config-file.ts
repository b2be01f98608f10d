// Where config/*.exs takes new top-level blocks. Needs `loadReader()` first.
import { callName, codeChildren, parse } from "./reader.js";

/** Where a new top-level config block goes: before the file's first top-level `import_config`, else at the end. */
export function configInsertAt(source: string): number {
  const tree = parse(source);
  const imp = codeChildren(tree.rootNode).find((n) => callName(n) === "import_config");
  if (!imp) return source.length;
  // Keep the comment lines that introduce the import_config with it.
  let at = source.lastIndexOf("\n", imp.startIndex - 1) + 1;
  for (;;) {
    const prev = source.lastIndexOf("\n", at - 2) + 1;
    if (at === 0 || !source.slice(prev, at).trim().startsWith("#")) break;
    at = prev;
  }
  return at;
}
