// The manifest: one JSON file per run under `.otpgen/runs/`, committed with
// the project. A run records the generator, this package's version, the
// options as validated (what `--answers` replays), and every file it created
// or changed: a hash of what it wrote, the content it wrote (the base of a
// later three-way merge), and for a changed file the diff from what was there
// before (so that `gen undo` can take back just that change).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { UserError } from "./errors.js";
import { hasConflictMarkers, lines } from "./merge.js";
import { sha256 } from "./hash.js";
import type { Change } from "./tree.js";

export const RUNS_DIR = ".otpgen/runs";

export interface FileRecord {
  path: string;
  action: "create" | "update";
  /** Changed by a patcher (children, routes, deps, config), not rendered over the file. */
  patched?: boolean;
  /** sha256 of the content written. */
  sha256: string;
  /** The content written, line by line; left out for a run that can never be re-planned (phx.new's). */
  written?: string[];
  /** For a changed file: the unified diff from the content before the run to `written`. */
  patch?: string[];
}

export interface RunRecord {
  schema: 1;
  id: string;
  generator: string;
  command: string;
  version: string;
  at: string;
  options: Record<string, unknown>;
  files: FileRecord[];
  /** Each `gen upgrade` that re-planned this run. */
  upgrades?: { at: string; version: string }[];
  undone?: { at: string; version: string };
}

export const runPath = (id: string): string => `${RUNS_DIR}/${id}.json`;

/** An id that sorts by time: 20261202-103512-genserver (-2, -3… within one second). */
export function newRunId(root: string, generator: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const slug = generator.replace(/[^a-zA-Z0-9_-]+/g, "-");
  let id = `${stamp}-${slug}`;
  for (let n = 2; existsSync(path.join(root, runPath(id))); n++) id = `${stamp}-${slug}-${n}`;
  return id;
}

export async function diffLines(before: string, after: string, file: string): Promise<string[]> {
  const { createPatch } = await import("diff");
  // The header lines (Index, ===, ---, +++) are dropped: the record names the file.
  return lines(createPatch(file, before, after, undefined, undefined, { context: 3 })).slice(4);
}

/** The file as the run wrote it. */
export const writtenOf = (f: FileRecord): string => (f.written ?? []).join("");

/** The file as it was before the run (for a changed file), from the written content and the diff. */
export async function beforeOf(f: FileRecord): Promise<string | undefined> {
  if (f.action === "create") return undefined;
  const { applyPatch, parsePatch, reversePatch } = await import("diff");
  const [parsed] = parsePatch(`--- a/${f.path}\n+++ b/${f.path}\n${(f.patch ?? []).join("")}`);
  if (!parsed) return undefined;
  const before = applyPatch(writtenOf(f), reversePatch(parsed));
  return before === false ? undefined : before;
}

export async function fileRecord(c: Change): Promise<FileRecord> {
  const base = { path: c.path, action: c.action as "create" | "update", sha256: sha256(c.after), written: lines(c.after) };
  if (c.action === "create") return base;
  return { ...base, ...(c.patched ? { patched: true } : {}), patch: await diffLines(c.before ?? "", c.after, c.path) };
}

/** `content`: keep what was written (the base of later merges); false keeps hashes only. */
export async function newRecord(id: string, generator: string, command: string, version: string, options: Record<string, unknown>, changes: readonly Change[], content = true): Promise<RunRecord> {
  const files: FileRecord[] = [];
  for (const c of changes) {
    if (c.action !== "create" && c.action !== "update") continue;
    const f = await fileRecord(c);
    files.push(content ? f : { path: f.path, action: f.action, sha256: f.sha256 });
  }
  return { schema: 1, id, generator, command, version, at: new Date().toISOString(), options, files };
}

export const serialize = (r: RunRecord): string => `${JSON.stringify(r, null, 2)}\n`;

/** The change that writes a record (a new run, or an existing one updated). */
export function recordChange(root: string, record: RunRecord, before?: string): Change {
  const rel = runPath(record.id);
  const existing = before ?? (existsSync(path.join(root, rel)) ? readFileSync(path.join(root, rel), "utf8") : undefined);
  const after = serialize(record);
  const action = existing === undefined ? "create" : existing === after ? "identical" : "update";
  return { path: rel, action, before: existing, after, mode: undefined, patched: false };
}

/**
 * Every recorded run of the project, oldest first: by the time it ran (ids
 * carry only the second, and two runs in one second sort by name), then id.
 * A record that cannot be read is an error naming it.
 */
export function readRuns(root: string): RunRecord[] {
  const dir = path.join(root, RUNS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const rel = `${RUNS_DIR}/${f}`;
      let r: RunRecord;
      try {
        r = JSON.parse(readFileSync(path.join(dir, f), "utf8")) as RunRecord;
      } catch (err) {
        throw new UserError(`${rel}: not valid JSON (${(err as Error).message}); fix or remove it`);
      }
      if (r?.schema !== 1 || typeof r.id !== "string" || !Array.isArray(r.files) || typeof r.generator !== "string") {
        throw new UserError(`${rel}: not a run record of create-otp-app (schema 1 with id, generator and files)`);
      }
      return r;
    })
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export type FileState = "as written" | "edited" | "conflicted" | "deleted";

export function stateOf(root: string, f: FileRecord): { state: FileState; current: string | undefined } {
  const abs = path.join(root, f.path);
  const current = existsSync(abs) ? readFileSync(abs, "utf8") : undefined;
  if (current === undefined) return { state: "deleted", current };
  if (sha256(current) === f.sha256) return { state: "as written", current };
  return { state: hasConflictMarkers(current) ? "conflicted" : "edited", current };
}

/**
 * After the check step: files the formatter changed are recorded as they are
 * now on disk (they are still as the run left them). The record is rewritten
 * only when something changed.
 */
export async function refreshRecord(root: string, run: RunRecord, changes: readonly Change[]): Promise<void> {
  let changed = false;
  const files: FileRecord[] = [];
  for (const f of run.files) {
    const abs = path.join(root, f.path);
    const now = existsSync(abs) ? readFileSync(abs, "utf8") : undefined;
    if (now === undefined || sha256(now) === f.sha256) {
      files.push(f);
      continue;
    }
    const c = changes.find((x) => x.path === f.path);
    changed = true;
    const next = await fileRecord({ path: f.path, action: f.action, before: c?.before, after: now, mode: undefined, patched: f.patched ?? false });
    files.push(f.written ? next : { path: f.path, action: f.action, sha256: next.sha256 });
  }
  if (!changed) return;
  const { flush } = await import("./flush.js");
  await flush(root, [recordChange(root, { ...run, files })]);
}
