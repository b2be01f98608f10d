// Node's own modules that only some runs need (child_process and readline for
// the formatter's BEAM and git), required on first use rather than when the
// bundle starts: each is compiled by Node when first required, and
// child_process brings net and dgram with it (npm run bench; `gen --version`
// loaded 65 of Node's modules before this).
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** `require(id)`, on the first call only. */
export function lazyBuiltin<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}

export const childProcess = lazyBuiltin<typeof import("node:child_process")>("node:child_process");
export const readline = lazyBuiltin<typeof import("node:readline")>("node:readline");
/** node:tty loads net: required only when a run asks whether a person is at the terminal. */
export const tty = lazyBuiltin<typeof import("node:tty")>("node:tty");
