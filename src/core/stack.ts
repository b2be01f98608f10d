// Readable stack traces from the minified bundle, at no start-up cost: only
// when an internal error is printed, the bundle's source map (shipped beside
// it as dist/cli.cjs.map) is read and every `dist/cli.cjs:LINE:COL` in the
// trace becomes the original `src/...ts:LINE:COL`. From src/ (tests), or
// without the map, the trace is printed as it is.
import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";

const FRAME = /([^\s(]*?dist[\\/]cli\.cjs):(\d+):(\d+)/g;

export function readableStack(err: unknown): string {
  const stack = err instanceof Error ? (err.stack ?? String(err)) : String(err);
  const bundle = [...stack.matchAll(FRAME)][0]?.[1];
  if (!bundle) return stack;
  let map: SourceMap;
  try {
    map = new SourceMap(JSON.parse(readFileSync(`${bundle.replace(/^file:\/\//, "")}.map`, "utf8")));
  } catch {
    return stack;
  }
  const root = path.dirname(path.dirname(bundle));
  return stack.replace(FRAME, (whole, _file: string, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (!entry?.originalSource) return whole;
    // Sources are recorded relative to the map (../src/core/engine.ts); show them from the package root.
    const source = path.relative(root, path.resolve(path.dirname(bundle), entry.originalSource.replace(/^file:\/\//, "")));
    return `${source}:${(entry.originalLine ?? 0) + 1}:${(entry.originalColumn ?? 0) + 1}`;
  });
}
