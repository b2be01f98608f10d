// The only code that writes generated files to disk. All or nothing, and
// crash-safe:
// 1. a journal (`.otpgen-journal.json` at the root, written to a temporary
//    name, fsync'd, renamed, the directory fsync'd) lists every file the
//    flush will write or remove, its temporary name and the directories it
//    will create: phase "prepare";
// 2. every file's content is written next to its target under a temporary
//    name and fsync'd;
// 3. the journal is replaced by the same list in phase "commit";
// 4. the temporaries are renamed over their targets (removals unlink), and
//    the directories are fsync'd;
// 5. the journal is removed.
// A process killed at any point leaves a journal that `recover` (run by every
// later command) uses to roll back ("prepare": temporaries and new
// directories removed) or complete ("commit": the remaining temporaries
// renamed), so the project is exactly before or exactly after. A failure
// inside the process is undone at once from memory.
import * as fs from "node:fs";
import path from "node:path";
import { WriteError } from "./errors.js";
import type { Change } from "./tree.js";

export const JOURNAL = ".otpgen-journal.json";

/** The file-system calls flush makes: a seam for fault-injection and kill tests. */
export interface FsOps {
  mkdir(dir: string): Promise<void>;
  /** Write and fsync. */
  writeFile(file: string, content: string, mode?: number): Promise<void>;
  readFile(file: string): Promise<string>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  rmdir(dir: string): Promise<void>;
  exists(p: string): Promise<boolean>;
  mode(file: string): Promise<number | undefined>;
  /** fsync a directory, so that the names in it (renames, unlinks) are durable. */
  syncDir(dir: string): Promise<void>;
}

/**
 * Node's fs/promises would be one more of its modules to load at every run
 * that writes, and each of its calls a round trip through the thread pool
 * (npm run bench: a generator run waited about 5 ms on them). So the
 * metadata calls and the writes themselves are synchronous, and only the
 * fsync, the one call that waits on the disk, goes to the thread pool: the
 * files of a flush still reach the disk in parallel.
 */
function fsyncThenClose(fd: number): Promise<void> {
  return new Promise((resolve, reject) =>
    fs.fsync(fd, (err) => {
      try {
        fs.closeSync(fd);
      } catch (closeErr) {
        if (!err) return reject(closeErr);
      }
      return err ? reject(err) : resolve();
    }),
  );
}

export const nodeFsOps: FsOps = {
  async mkdir(dir) {
    fs.mkdirSync(dir);
  },
  async writeFile(file, content, mode) {
    const fd = fs.openSync(file, "w", mode);
    try {
      fs.writeFileSync(fd, content);
      if (mode !== undefined) fs.fchmodSync(fd, mode);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    await fsyncThenClose(fd);
  },
  readFile: async (file) => fs.readFileSync(file, "utf8"),
  rename: async (from, to) => fs.renameSync(from, to),
  unlink: async (file) => fs.unlinkSync(file),
  rmdir: async (dir) => fs.rmdirSync(dir),
  async exists(p) {
    try {
      return fs.lstatSync(p, { throwIfNoEntry: false }) !== undefined;
    } catch {
      return false;
    }
  },
  async mode(file) {
    try {
      return fs.statSync(file).mode & 0o7777;
    } catch {
      return undefined;
    }
  },
  async syncDir(dir) {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } catch {
      // Some file systems refuse fsync on a directory; the rename is then as durable as they make it.
    } finally {
      fs.closeSync(fd);
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
  /** Relative paths and previous contents of files that were removed. */
  deleted: { path: string; before: string; mode: number | undefined }[];
  /** Absolute paths of directories this run created, parents first. */
  createdDirs: string[];
}

interface JournalEntry {
  path: string;
  action: "create" | "update" | "delete";
  /** The temporary name (relative to the root) holding the new content; none for a removal. */
  tmp?: string;
}

export interface Journal {
  version: 1;
  pid: number;
  phase: "prepare" | "commit";
  files: JournalEntry[];
  /** Directories (relative to the root) the flush creates, parents first. */
  dirs: string[];
}

/** Undo a write: restore replaced and removed files, delete created ones and the directories made for them. */
export async function undo(record: WriteRecord, fs: FsOps = nodeFsOps): Promise<string[]> {
  const problems: string[] = [];
  for (const u of [...record.updated, ...record.deleted]) {
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

async function writeJournal(fs: FsOps, root: string, journal: Journal): Promise<void> {
  const file = path.join(root, JOURNAL);
  await fs.writeFile(`${file}.tmp`, `${JSON.stringify(journal, null, 1)}\n`);
  await fs.rename(`${file}.tmp`, file);
  await fs.syncDir(root);
}

async function removeJournal(fs: FsOps, root: string): Promise<void> {
  const file = path.join(root, JOURNAL);
  if (await fs.exists(`${file}.tmp`)) await fs.unlink(`${file}.tmp`);
  if (await fs.exists(file)) await fs.unlink(file);
  await fs.syncDir(root);
}

/** The directories above-and-including `dir` that do not exist, parents first. */
async function absent(fs: FsOps, dir: string): Promise<string[]> {
  const out: string[] = [];
  for (let d = dir; !(await fs.exists(d)); d = path.dirname(d)) {
    out.unshift(d);
    if (path.dirname(d) === d) break;
  }
  return out;
}

/** Directories to create for these files, parents first (absolute). */
async function missingDirs(fs: FsOps, root: string, files: readonly string[]): Promise<string[]> {
  const dirs: string[] = [];
  for (const f of files) {
    for (const d of await absent(fs, path.dirname(path.join(root, f)))) if (!dirs.includes(d)) dirs.push(d);
  }
  return dirs;
}

export async function flush(
  root: string,
  changes: readonly Change[],
  fs: FsOps = nodeFsOps,
): Promise<WriteRecord> {
  root = path.resolve(root);
  const pending = changes.filter((c) => c.action !== "identical");
  const record: WriteRecord = { root, created: [], updated: [], deleted: [], createdDirs: [] };
  if (pending.length === 0) return record;
  const tempName = (rel: string): string =>
    path.posix.join(path.posix.dirname(rel), `.${path.posix.basename(rel)}.otpgen-${process.pid}.tmp`);
  const abs = (rel: string): string => path.join(root, rel);
  const writes = pending.filter((c) => c.action !== "delete");
  const temps: string[] = [];
  let journaled = false;

  try {
    for (const d of await absent(fs, root)) {
      await fs.mkdir(d);
      record.createdDirs.push(d);
    }
    // One writer at a time: a journal here is another run's (a crashed one's was recovered at start-up).
    if (await fs.exists(path.join(root, JOURNAL))) {
      const other = JSON.parse(await fs.readFile(path.join(root, JOURNAL))) as Journal;
      throw new BusyError(root, other.pid);
    }
    const dirs = await missingDirs(fs, root, writes.map((c) => c.path));
    const journal: Journal = {
      version: 1,
      pid: process.pid,
      phase: "prepare",
      files: pending.map((c) => ({ path: c.path, action: c.action as JournalEntry["action"], ...(c.action === "delete" ? {} : { tmp: tempName(c.path) }) })),
      dirs: dirs.map((d) => path.relative(root, d).split(path.sep).join("/")),
    };
    journaled = true;
    await writeJournal(fs, root, journal);

    // Phase 1: every file's content next to its target, under a temporary name.
    for (const d of dirs) {
      await fs.mkdir(d);
      record.createdDirs.push(d);
    }
    // Written (and fsync'd) side by side, so the disk can batch the flushes; all settle before a failure is handled.
    temps.push(...writes.map((c) => abs(tempName(c.path))));
    const settled = await Promise.allSettled(
      writes.map(async (c) => fs.writeFile(abs(tempName(c.path)), c.after, c.action === "update" ? await fs.mode(abs(c.path)) : c.mode)),
    );
    const failed = settled.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
    await writeJournal(fs, root, { ...journal, phase: "commit" });

    // Phase 2: rename over the targets (or remove), remembering how to undo each.
    const touched = new Set<string>();
    for (const c of pending) {
      const target = abs(c.path);
      const mode = await fs.mode(target);
      touched.add(path.dirname(target));
      if (c.action === "delete") {
        await fs.unlink(target);
        record.deleted.push({ path: c.path, before: c.before ?? "", mode });
        continue;
      }
      await fs.rename(abs(tempName(c.path)), target);
      temps.splice(temps.indexOf(abs(tempName(c.path))), 1);
      if (c.action === "update") {
        record.updated.push({ path: c.path, before: c.before ?? "", mode });
      } else {
        record.created.push(c.path);
      }
    }
    for (const d of touched) await fs.syncDir(d);
    await removeJournal(fs, root);
    return record;
  } catch (err) {
    for (const tmp of temps) {
      await fs.unlink(tmp).catch(() => undefined);
    }
    const problems = await undo(record, fs);
    if (journaled) await removeJournal(fs, root).catch(() => undefined);
    if (record.createdDirs.includes(root)) await fs.rmdir(root).catch(() => undefined);
    const detail = (err as Error).message;
    const tail =
      problems.length === 0
        ? "no file was changed"
        : `could not restore: ${problems.join("; ")}`;
    throw new WriteError(`writing files failed (${detail}); ${tail}`, { cause: err });
  }
}

/** Whether a process with this pid exists (signal 0 checks without sending). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Another run is writing files in the project right now. */
export class BusyError extends WriteError {
  constructor(root: string, pid: number) {
    super(`another run (pid ${pid}) is writing files in ${root}; run this again when it has finished`);
    this.name = "BusyError";
  }
}

export interface Recovery {
  /** "rolled back": the flush had not reached its renames; "completed": it had. */
  outcome: "rolled back" | "completed";
  files: string[];
}

/**
 * Finish a flush a killed process left behind: roll it back before its
 * commit point, complete it after. Undefined when there was nothing to do.
 */
export async function recover(root: string, fs: FsOps = nodeFsOps): Promise<Recovery | undefined> {
  const file = path.join(root, JOURNAL);
  if (!(await fs.exists(file))) {
    // Killed while writing the first journal: nothing else had been touched.
    if (await fs.exists(`${file}.tmp`)) {
      await fs.unlink(`${file}.tmp`);
      await fs.syncDir(root);
    }
    return undefined;
  }
  const journal = JSON.parse(await fs.readFile(file)) as Journal;
  // A journal whose writer is still running is that run's, not a crash's.
  if (journal.pid !== process.pid && alive(journal.pid)) throw new BusyError(root, journal.pid);
  const abs = (rel: string): string => path.join(root, rel);
  if (journal.phase === "prepare") {
    for (const f of journal.files) {
      if (f.tmp && (await fs.exists(abs(f.tmp)))) await fs.unlink(abs(f.tmp));
    }
    for (const d of [...journal.dirs].reverse()) await fs.rmdir(abs(d)).catch(() => undefined);
  } else {
    const touched = new Set<string>();
    for (const f of journal.files) {
      touched.add(path.dirname(abs(f.path)));
      if (f.action === "delete") {
        if (await fs.exists(abs(f.path))) await fs.unlink(abs(f.path));
      } else if (f.tmp && (await fs.exists(abs(f.tmp)))) {
        await fs.rename(abs(f.tmp), abs(f.path));
      }
    }
    for (const d of touched) await fs.syncDir(d);
  }
  await removeJournal(fs, root);
  return { outcome: journal.phase === "prepare" ? "rolled back" : "completed", files: journal.files.map((f) => f.path) };
}

/** Recover an interrupted flush under `root`, saying so on stderr (before anything else is done). */
export async function recoverAndSay(root: string, stderr: (s: string) => void, command: string): Promise<Recovery | undefined> {
  const r = await recover(root);
  if (!r) return undefined;
  const n = `${r.files.length} file${r.files.length === 1 ? "" : "s"}`;
  const what =
    r.outcome === "completed"
      ? `it had reached its commit point, so it was completed (${n} written)`
      : `it had not reached its commit point, so it was rolled back (none of its ${n} written)`;
  stderr(`${command}: an earlier run was interrupted while writing files in ${root}; ${what}\n`);
  return r;
}
