import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { WriteError } from "../../src/core/errors.js";
import { flush, nodeFsOps, undo, type FsOps } from "../../src/core/flush.js";
import { Tree } from "../../src/core/tree.js";
import { snapshot, tempDir } from "../helpers.js";

function treeWith(root: string, files: Record<string, string>): Tree {
  const tree = new Tree(root);
  for (const [p, c] of Object.entries(files)) tree.write(p, c);
  return tree;
}

describe("Tree", () => {
  it("classifies files as create, update or identical against the disk", () => {
    const root = tempDir();
    writeFileSync(path.join(root, "same.txt"), "same\n");
    writeFileSync(path.join(root, "old.txt"), "old\n");
    const tree = treeWith(root, { "same.txt": "same\n", "old.txt": "new\n", "dir/new.txt": "n\n" });
    expect(tree.changes().map((c) => [c.path, c.action])).toEqual([
      ["dir/new.txt", "create"],
      ["old.txt", "update"],
      ["same.txt", "identical"],
    ]);
  });

  it("refuses paths that escape the root", () => {
    expect(() => new Tree(tempDir()).write("../x", "")).toThrow(/escapes/);
  });
});

describe("flush", () => {
  it("writes creates and updates, and undo restores the previous state", async () => {
    const root = tempDir();
    writeFileSync(path.join(root, "keep.txt"), "before\n");
    const before = snapshot(root);
    const tree = treeWith(root, { "keep.txt": "after\n", "a/b/c.txt": "c\n" });
    const record = await flush(root, tree.changes());
    expect(snapshot(root)).toEqual({ "keep.txt": "after\n", "a/b/c.txt": "c\n" });
    expect(await undo(record)).toEqual([]);
    expect(snapshot(root)).toEqual(before);
  });

  it("leaves nothing changed when a write fails midway (injected fault)", async () => {
    const root = tempDir();
    writeFileSync(path.join(root, "existing.txt"), "mine\n");
    const before = snapshot(root);
    let writes = 0;
    const failing: FsOps = {
      ...nodeFsOps,
      async writeFile(file, content, mode) {
        if (++writes === 4) throw new Error("disk full");
        return nodeFsOps.writeFile(file, content, mode);
      },
    };
    const files = Object.fromEntries(["a.txt", "b/c.txt", "existing.txt", "z/y/x.txt", "zz.txt"].map((f) => [f, `${f}\n`]));
    await expect(flush(root, treeWith(root, files).changes(), failing)).rejects.toThrow(WriteError);
    expect(snapshot(root)).toEqual(before);
  });

  it("leaves nothing changed when a rename fails after others succeeded", async () => {
    const root = tempDir();
    writeFileSync(path.join(root, "b.txt"), "original b\n");
    const before = snapshot(root);
    let renames = 0;
    const failing: FsOps = {
      ...nodeFsOps,
      async rename(from, to) {
        if (++renames === 3) throw new Error("EIO");
        return nodeFsOps.rename(from, to);
      },
    };
    const tree = treeWith(root, { "a.txt": "a\n", "b.txt": "new b\n", "c/d.txt": "d\n", "e.txt": "e\n" });
    await expect(flush(root, tree.changes(), failing)).rejects.toThrow(/no file was changed/);
    expect(snapshot(root)).toEqual(before);
  });

  it("leaves nothing changed when the file system refuses a directory (real failure)", async () => {
    const root = tempDir();
    // A regular file where the run needs a directory: mkdir fails for real.
    writeFileSync(path.join(root, "lib"), "not a directory\n");
    mkdirSync(path.join(root, "config"));
    const before = snapshot(root);
    const tree = treeWith(root, { ".formatter.exs": "[]\n", "config/config.exs": "import Config\n", "lib/app.ex": "x\n" });
    await expect(flush(root, tree.changes())).rejects.toThrow(WriteError);
    expect(snapshot(root)).toEqual(before);
  });
});
