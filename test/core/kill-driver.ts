// Run by flush-kill.test.ts in a child process: a flush whose file-system
// calls SIGKILL the process itself just before call number KILL_AT (0: never;
// the child then prints how many calls the flush made).
import { readFileSync } from "node:fs";
import { flush, nodeFsOps, type FsOps } from "../../src/core/flush.js";
import type { Change } from "../../src/core/tree.js";

const { root, changes, killAt } = JSON.parse(readFileSync(process.argv[2] as string, "utf8")) as { root: string; changes: Change[]; killAt: number };
let calls = 0;
const counted = Object.fromEntries(
  Object.entries(nodeFsOps).map(([name, fn]) => [
    name,
    (...args: unknown[]) => {
      if (++calls === killAt) process.kill(process.pid, "SIGKILL");
      return (fn as (...a: unknown[]) => unknown)(...args);
    },
  ]),
) as unknown as FsOps;
await flush(root, changes, counted);
process.stdout.write(String(calls));
