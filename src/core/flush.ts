// The only code that writes generated files to disk. All or nothing: every
// file is first written next to its target under a temporary name, then the
// temporaries are renamed over their targets. If any step fails, what was
// already renamed is restored from memory, temporaries are removed and
// directories this run created are removed again.
import * as nodeFs from "node:fs/promises";
import path from "node:path";
import { WriteError } from "./errors.js";
import type { Change } from "./tree.js";

/** The file-system calls flush makes: a seam for fault-injection tests. */
export interface FsOps {
  mkdir(dir: string): Promise<void>;
  writeFile(file: string, content: string, mode?: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  rmdir(dir: string): Promise<void>;
  exists(p: string): Promise<boolean>;
  mode(file: string): Promise<number | undefined>;
}

export const nodeFsOps: FsOps = {
  async mkdir(dir) {
    await nodeFs.mkdir(dir);
  },
  async writeFile(file, content, mode) {
    await nodeFs.writeFile(file, content, mode === undefined ? {} : { mode });
  },
  rename: (from, to) => nodeFs.rename(from, to),
  unlink: (file) => nodeFs.unlink(file),
  rmdir: (dir) => nodeFs.rmdir(dir),
  async exists(p) {
    try {
      await nodeFs.lstat(p);
      return true;
    } catch {
      return false;
    }
  },
  async mode(file) {
    try {
      return (await nodeFs.stat(file)).mode & 0o7777;
    } catch {
      return undefined;
    }
  },
};

/** What a flush did, enough to undo it (rollback after a failed check). */
export interface WriteRecord {
  root: string;
  /** Relative paths of files that did not exist before. */
  created: string[];
  /** Relative paths and previous contents of files that were replaced. */
  updated: { path: string; before: string; mode: number | undefined }[];
  /** Absolute paths of directories this run created, parents first. */
  createdDirs: string[];
}

async function ensureDir(fs: FsOps, dir: string, created: string[]): Promise<void> {
  if (await fs.exists(dir)) return;
  await ensureDir(fs, path.dirname(dir), created);
  await fs.mkdir(dir);
  created.push(dir);
}

/** Undo a write: restore replaced files, delete created ones and the directories made for them. */
export async function undo(record: WriteRecord, fs: FsOps = nodeFsOps): Promise<string[]> {
  const problems: string[] = [];
  for (const u of record.updated) {
    try {
      await fs.writeFile(path.join(record.root, u.path), u.before, u.mode);
    } catch (err) {
      problems.push(`${u.path}: ${(err as Error).message}`);
    }
  }
  for (const rel of record.created) {
    try {
      await fs.unlink(path.join(record.root, rel));
    } catch (err) {
      problems.push(`${rel}: ${(err as Error).message}`);
    }
  }
  for (const dir of [...record.createdDirs].reverse()) {
    try {
      await fs.rmdir(dir);
    } catch {
      // Not empty any more (e.g. _build from a check): leave it.
    }
  }
  return problems;
}

export async function flush(
  root: string,
  changes: readonly Change[],
  fs: FsOps = nodeFsOps,
): Promise<WriteRecord> {
  const pending = changes.filter((c) => c.action !== "identical");
  const record: WriteRecord = { root, created: [], updated: [], createdDirs: [] };
  const temps: string[] = [];
  const tempName = (abs: string): string =>
    path.join(path.dirname(abs), `.${path.basename(abs)}.otpgen-${process.pid}.tmp`);

  try {
    // Phase 1: every file's content next to its target, under a temporary name.
    for (const c of pending) {
      const abs = path.join(root, c.path);
      await ensureDir(fs, path.dirname(abs), record.createdDirs);
      const mode = c.action === "update" ? await fs.mode(abs) : c.mode;
      const tmp = tempName(abs);
      temps.push(tmp);
      await fs.writeFile(tmp, c.after, mode);
    }
    // Phase 2: rename over the targets, remembering how to undo each.
    for (const c of pending) {
      const abs = path.join(root, c.path);
      const mode = await fs.mode(abs);
      await fs.rename(tempName(abs), abs);
      temps.splice(temps.indexOf(tempName(abs)), 1);
      if (c.action === "update") {
        record.updated.push({ path: c.path, before: c.before ?? "", mode });
      } else {
        record.created.push(c.path);
      }
    }
    return record;
  } catch (err) {
    for (const tmp of temps) {
      await fs.unlink(tmp).catch(() => undefined);
    }
    const problems = await undo(record, fs);
    const detail = (err as Error).message;
    const tail =
      problems.length === 0
        ? "no file was changed"
        : `could not restore: ${problems.join("; ")}`;
    throw new WriteError(`writing files failed (${detail}); ${tail}`, { cause: err });
  }
}
