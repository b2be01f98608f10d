// Importing a user's ES module (a team's config.mjs, its plopfiles).
//
// The installed CLI runs its bundle through vm.Script (bin/load.cjs) to keep a
// V8 code cache on Node 20, and a script compiled that way, once it comes from
// the cache, has no loader for `import()`. So the bin hands in an importer of
// its own (an `import()` in a plain CommonJS file), and every dynamic import of
// a user's file goes through here. Tests use Node's own (the bundle has no
// `import()` left: the build makes each one a require, see scripts/build.mjs).
import { pathToFileURL } from "node:url";

export type Importer = (url: string) => Promise<unknown>;

let importer: Importer = (url) => import(url);

export function setImporter(fn: Importer): void {
  importer = fn;
}

/** Import a file by its path, as Node would import it from a plain module. */
export function importFile(file: string): Promise<unknown> {
  return importer(pathToFileURL(file).href);
}
