import { describe, expect, it } from "vitest";
import { hasConflictMarkers, lines, merge3 } from "../../src/core/merge.js";
import { beforeOf, fileRecord, readRuns, writtenOf } from "../../src/core/manifest.js";
import { tempDir, writeIn } from "../helpers.js";

const labels = { ours: "yours", theirs: "new" };
const base = ["a", "b", "c", "d", "e", "f", "g", "h", "i"].map((l) => `${l}\n`).join("");

describe("merge3", () => {
  it("keeps lines as they are, endings included", () => {
    expect(lines("x\ny\nz")).toEqual(["x\n", "y\n", "z"]);
    expect(lines("").join("")).toBe("");
  });

  it("merges changes in different regions without a conflict", () => {
    const ours = base.replace("b\n", "B (yours)\n");
    const theirs = base.replace("h\n", "H (new)\n");
    const r = merge3(ours, base, theirs, { labels });
    expect(r).toEqual({ text: base.replace("b\n", "B (yours)\n").replace("h\n", "H (new)\n"), conflicts: 0, kept: 0 });
  });

  it("takes the one side that changed, and the same change once", () => {
    const changed = base.replace("e\n", "E\n");
    expect(merge3(base, base, changed, { labels }).text).toBe(changed);
    expect(merge3(changed, base, base, { labels }).text).toBe(changed);
    expect(merge3(changed, base, changed, { labels })).toEqual({ text: changed, conflicts: 0, kept: 0 });
  });

  it("marks a region both sides changed differently, or takes theirs there when told", () => {
    const ours = base.replace("e\n", "E (yours)\n");
    const theirs = base.replace("e\n", "E (new)\n").replace("a\n", "A\n");
    const marked = merge3(ours, base, theirs, { labels });
    expect(marked.conflicts).toBe(1);
    expect(marked.text).toContain("<<<<<<< yours\nE (yours)\n=======\nE (new)\n>>>>>>> new\n");
    expect(marked.text.startsWith("A\n")).toBe(true);
    expect(hasConflictMarkers(marked.text)).toBe(true);
    const forced = merge3(ours, base, theirs, { labels, onConflict: "theirs" });
    expect(forced).toEqual({ text: theirs, conflicts: 1, kept: 0 });
    expect(hasConflictMarkers(forced.text)).toBe(false);
  });
});

describe("merge3, withdrawing one change (gen undo --force)", () => {
  const before = "children = [\n  # comment\n]\n";
  const alpha = "children = [\n  # comment\n  Alpha\n]\n";
  it("takes out the lines the change added and keeps what a later change put beside them", () => {
    const both = "children = [\n  # comment\n  Alpha,\n  Beta\n]\n";
    const r = merge3(both, alpha, before, { labels, onConflict: "withdraw" });
    expect(r).toEqual({ text: "children = [\n  # comment\n  Beta\n]\n", conflicts: 1, kept: 0 });
  });
  it("where the user rewrote the change's lines and no later change is there, goes back to before there", () => {
    const rewritten = "children = [\n  # comment\n  {Alpha, name: A}\n]\n";
    expect(merge3(rewritten, alpha, before, { labels, onConflict: "withdraw", protectedLines: ["  Beta\n"] })).toEqual({ text: before, conflicts: 1, kept: 0 });
  });
  it("where the change's lines are already gone, never puts before over what later changes added: the region stays", () => {
    // Alpha's line removed by hand; Beta and Gamma added by later runs.
    const later = "children = [\n  # comment\n  Beta,\n  Gamma\n]\n";
    const r = merge3(later, alpha, before, { labels, onConflict: "withdraw", protectedLines: ["  Beta\n", "  Beta,\n", "  Gamma\n"] });
    expect(r).toEqual({ text: later, conflicts: 1, kept: 1 });
    // Without knowing what later changes added, the same region would go back to before: Beta and Gamma lost.
    expect(merge3(later, alpha, before, { labels, onConflict: "withdraw" }).text).toBe(before);
  });
});

describe("a file record", () => {
  it("rebuilds the content before the run from what it wrote and its diff", async () => {
    const before = "defmodule A do\n  def a, do: 1\nend\n";
    const after = "defmodule A do\n  def a, do: 1\n\n  def b, do: 2\nend\n";
    const rec = await fileRecord({ path: "lib/a.ex", action: "update", before, after, mode: undefined, patched: true });
    expect(rec.patched).toBe(true);
    expect(writtenOf(rec)).toBe(after);
    expect(await beforeOf(rec)).toBe(before);
    const created = await fileRecord({ path: "lib/b.ex", action: "create", before: undefined, after, mode: undefined, patched: false });
    expect(created.patch).toBeUndefined();
    expect(await beforeOf(created)).toBeUndefined();
  });

  it("handles a file without a final newline", async () => {
    const before = "one\ntwo";
    const after = "one\ntwo\nthree";
    const rec = await fileRecord({ path: "x", action: "update", before, after, mode: undefined, patched: false });
    expect(await beforeOf(rec)).toBe(before);
  });

  it("runs are read in the order they ran, also two in one second (whose ids sort by generator name)", () => {
    const root = tempDir();
    const run = (id: string, at: string) => writeIn(root, `.otpgen/runs/${id}.json`, JSON.stringify({ schema: 1, id, generator: id.split("-")[2], command: "", version: "", at, options: {}, files: [] }));
    run("20261202-114621-live", "2026-12-02T11:46:21.100Z");
    run("20261202-114621-genserver", "2026-12-02T11:46:21.900Z");
    run("20261202-114620-context", "2026-12-02T11:46:20.500Z");
    expect(readRuns(root).map((r) => r.generator)).toEqual(["context", "live", "genserver"]);
  });
});
