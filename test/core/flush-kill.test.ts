// A flush killed (SIGKILL) at random points, hundreds of times: once a later
// command has run (it recovers from the journal first), the project is always
// exactly as before or exactly as after, with no temporary file left.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { JOURNAL, flush } from "../../src/core/flush.js";
import type { Change } from "../../src/core/tree.js";
import { Tree } from "../../src/core/tree.js";
import { runGen, snapshot, tempDir } from "../helpers.js";

let driver: string;
let template: string;
let changes: Change[];
let before: Record<string, string>;
let after: Record<string, string>;
let totalCalls: number;

/** A fresh copy of the project, and the spec file the driver reads. */
function fresh(killAt: number): { root: string; spec: string } {
  const dir = tempDir("otpgen-kill-");
  const root = path.join(dir, "demo");
  cpSync(template, root, { recursive: true });
  const spec = path.join(dir, "spec.json");
  writeFileSync(spec, JSON.stringify({ root, changes, killAt }));
  return { root, spec };
}

beforeAll(async () => {
  const out = tempDir("otpgen-driver-");
  driver = path.join(out, "driver.mjs");
  await build({ entryPoints: [path.join(import.meta.dirname, "kill-driver.ts")], bundle: true, platform: "node", format: "esm", outfile: driver, logLevel: "silent" });

  template = path.join(tempDir(), "demo");
  mkdirSync(path.join(template, "lib", "demo"), { recursive: true });
  writeFileSync(path.join(template, "mix.exs"), 'defmodule Demo.MixProject do\n  use Mix.Project\n  def project, do: [app: :demo, version: "0.1.0"]\nend\n');
  for (let i = 0; i < 6; i++) writeFileSync(path.join(template, "lib", "demo", `kept_${i}.ex`), `defmodule Demo.Kept${i} do\nend\n`);
  writeFileSync(path.join(template, "lib", "demo", "gone.ex"), "defmodule Demo.Gone do\nend\n");
  const tree = new Tree(template);
  for (let i = 0; i < 30; i++) tree.write(`lib/demo/new_${Math.floor(i / 10)}/mod_${i}.ex`, `defmodule Demo.New${i} do\n  def n, do: ${i}\nend\n`);
  for (let i = 0; i < 6; i++) tree.patch(`lib/demo/kept_${i}.ex`, `defmodule Demo.Kept${i} do\n  def changed, do: true\nend\n`);
  tree.write(".otpgen/runs/20261202-000000-test.json", `${JSON.stringify({ schema: 1, id: "20261202-000000-test", generator: "none-such", command: "test", version: "0.1.0", at: "", options: {}, files: [] })}\n`);
  changes = [
    ...tree.changes(),
    { path: "lib/demo/gone.ex", action: "delete", before: "defmodule Demo.Gone do\nend\n", after: "", mode: undefined, patched: false },
  ];
  before = snapshot(template);
  const { root, spec } = fresh(0);
  totalCalls = Number((await execa("node", [driver, spec])).stdout);
  after = snapshot(root);
  expect(Object.keys(after).length).toBe(Object.keys(before).length + 30);
});

type Outcome = "before" | "after";

async function killedRun(kill: (spec: string) => Promise<unknown>): Promise<{ outcome: Outcome; recovered: boolean }> {
  const { root, spec } = fresh(0);
  await kill(spec);
  // Any later command recovers first: here gen status, in-process.
  const r = await runGen(root, ["status", "--json"]);
  expect(r.code, r.err).toBe(0);
  const now = snapshot(root);
  expect(Object.keys(now).filter((f) => f.includes(".otpgen-") || f.endsWith(JOURNAL))).toEqual([]);
  if (JSON.stringify(now) === JSON.stringify(before)) return { outcome: "before", recovered: r.err.includes("interrupted") };
  expect(now).toEqual(after);
  return { outcome: "after", recovered: r.err.includes("interrupted") };
}

describe("a flush killed with SIGKILL", () => {
  it("at each of its file-system calls, and at 300 random ones: always exactly before or after once recovered", async () => {
    // Every call once, then random ones up to 300 kills in all.
    const points = Array.from({ length: totalCalls }, (_, i) => i + 1);
    while (points.length < 300) points.push(1 + Math.floor(Math.random() * totalCalls));
    const seen = { before: 0, after: 0, recovered: 0 };
    for (const killAt of points) {
      const r = await killedRun(async (spec) => {
        writeFileSync(spec, JSON.stringify({ ...JSON.parse((await import("node:fs")).readFileSync(spec, "utf8")), killAt }));
        const child = await execa("node", [driver, spec], { reject: false });
        expect(child.signal).toBe("SIGKILL");
      });
      seen[r.outcome]++;
      if (r.recovered) seen.recovered++;
    }
    // Both sides of the commit point were hit, and most kills left a journal to recover from.
    expect(seen.before).toBeGreaterThan(20);
    expect(seen.after).toBeGreaterThan(20);
    expect(seen.recovered).toBeGreaterThan(points.length / 2);
    console.log(`flush of ${changes.length} files, ${totalCalls} file-system calls; ${points.length} kills: ${seen.before} before, ${seen.after} after, ${seen.recovered} recovered from a journal`);
  });

  it("by another process at random times, 100 times: always exactly before or after once recovered", async () => {
    const { spec } = fresh(0);
    const started = performance.now();
    await execa("node", [driver, spec]);
    const whole = performance.now() - started;
    const seen = { before: 0, after: 0, recovered: 0 };
    for (let i = 0; i < 100; i++) {
      const r = await killedRun(async (spec) => {
        const child = execa("node", [driver, spec], { reject: false });
        // Node's start-up is most of a run: the kills are spread over its last two thirds.
        await new Promise((res) => setTimeout(res, whole * (0.33 + Math.random() * 0.77)));
        child.kill("SIGKILL");
        await child;
      });
      seen[r.outcome]++;
      if (r.recovered) seen.recovered++;
    }
    console.log(`100 kills by timer over a ${whole.toFixed(0)} ms run: ${seen.before} before, ${seen.after} after, ${seen.recovered} recovered from a journal`);
    expect(seen.before + seen.after).toBe(100);
  });

  it("a journal whose writer is still running is left alone: the next command says so and exits 1; once the writer is gone it is recovered", async () => {
    const { root } = fresh(0);
    const writer = execa("sleep", ["60"], { reject: false });
    const tmp = "lib/demo/.late.ex.otpgen-1.tmp";
    writeFileSync(path.join(root, tmp), "defmodule Demo.Late do\nend\n");
    writeFileSync(path.join(root, JOURNAL), JSON.stringify({ version: 1, pid: writer.pid, phase: "commit", files: [{ path: "lib/demo/late.ex", action: "create", tmp }], dirs: [] }));
    const during = snapshot(root);
    const busy = await runGen(root, ["status"]);
    expect(busy.code).toBe(1);
    expect(busy.err.trim()).toBe(`gen: another run (pid ${writer.pid}) is writing files in ${root}; run this again when it has finished`);
    expect(snapshot(root)).toEqual(during);
    // A flush that starts while the other writes (its journal appeared after this process started) refuses too.
    await expect(flush(root, changes)).rejects.toThrow(/another run \(pid \d+\) is writing files/);
    expect(snapshot(root)).toEqual(during);
    writer.kill("SIGKILL");
    await writer;
    const after = await runGen(root, ["status"]);
    expect(after.code, after.err).toBe(0);
    expect(after.err).toContain("it had reached its commit point, so it was completed (1 file written)");
    expect(snapshot(root)["lib/demo/late.ex"]).toBe("defmodule Demo.Late do\nend\n");
  });
});
