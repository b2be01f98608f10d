// The lifecycle of generated code, as functions over the project's manifest
// (.otpgen/runs/) and a virtual tree: which runs a selector names, re-planning
// a recorded run on today's templates and merging it (gen upgrade, gen status),
// what taking a run back does to each file (gen undo), and which run changed a
// file since (gen status). Nothing here writes, prompts or prints: the CLI
// (src/cli/lifecycle.ts) does, through the one flush.
import path from "node:path";
import { UserError } from "./errors.js";
import type { GeneratorDef } from "./generator.js";
import type { Io } from "./io.js";
import { beforeOf, fileRecord, stateOf, writtenOf, type FileRecord, type FileState, type RunRecord } from "./manifest.js";
import { sha256 } from "./hash.js";
import { merge3 } from "./merge.js";
import { packageVersion } from "./paths.js";
import type { Team } from "./team.js";
import { Tree, type Change } from "./tree.js";
import type { MixProject } from "../elixir/project.js";
import { legacyModulePath } from "../elixir/naming.js";

export interface LifecycleContext {
  root: string;
  project: MixProject;
  team: Team | undefined;
  generators: readonly GeneratorDef[];
  io: Io;
}

/** Runs named by an id (or the unique start of one) or a generator's name. */
export function select(runs: readonly RunRecord[], selector: string | undefined, what: string): RunRecord[] {
  if (selector === undefined) return [...runs];
  const exact = runs.filter((r) => r.id === selector);
  if (exact.length > 0) return exact;
  const byGenerator = runs.filter((r) => r.generator === selector);
  if (byGenerator.length > 0) return byGenerator;
  const byPrefix = runs.filter((r) => r.id.startsWith(selector));
  if (byPrefix.length === 1) return byPrefix;
  if (byPrefix.length > 1) throw new UserError(`"${selector}" names ${byPrefix.length} runs (${byPrefix.map((r) => r.id).join(", ")}); give more of the id`);
  throw new UserError(`no ${what} run or generator "${selector}" in .otpgen/runs/; gen status lists them`);
}

// ---------------------------------------------------------------------------
// Re-planning a recorded run (status and upgrade)

export interface FileOutcome {
  path: string;
  /** What upgrade does to the file. */
  outcome: "up to date" | "updated" | "merged" | "created" | "re-patched" | "conflict" | "refused" | "kept" | "not generated";
  detail?: string;
}

export interface RunOutcome {
  id: string;
  generator: string;
  status: "up to date" | "changes" | "conflicts" | "skipped";
  reason?: string;
  files: FileOutcome[];
  manual: string[];
}

/** An Ecto migration: priv/repo/migrations/20261202103512_create_posts.exs. */
const MIGRATION = /^(.*\/migrations\/)\d{14}_/;

interface Rendered {
  changes: Change[];
  manual: string[];
  external: string[];
}

async function render(def: GeneratorDef, options: unknown, overlay: ReadonlyMap<string, string | undefined>, c: LifecycleContext): Promise<Rendered> {
  // Plans never prompt; a re-plan is never at a terminal.
  const io: Io = { ...c.io, interactive: false };
  const plan = await def.plan(options as never, io, { project: c.project, team: c.team });
  if (path.resolve(plan.root) !== c.root) throw new UserError(`it would now write in ${plan.root}, not in this project`);
  const tree = new Tree(c.root, overlay, c.project.umbrellaRoot);
  const { renderPlan } = await import("../core/render.js");
  const r = await renderPlan(def, plan, tree, c.team);
  return { changes: tree.changes(), manual: r.manual, external: r.external };
}

interface Replanned {
  outcome: RunOutcome;
  /** The run's record with its new bases, when they changed. */
  record?: RunRecord;
}

/**
 * Re-plan one run with its recorded options on today's templates and merge
 * into `overlay` (the project as the earlier runs' upgrades leave it):
 * rendered files three-way (base: what the run wrote; ours: the file now;
 * theirs: the new output); patched files through the patchers, and only when
 * the patch itself changed (a child the user removed is not put back).
 */
export async function replan(run: RunRecord, overlay: Map<string, string | undefined>, modes: Map<string, number>, c: LifecycleContext, markers: boolean): Promise<Replanned> {
  const outcome: RunOutcome = { id: run.id, generator: run.generator, status: "skipped", files: [], manual: [] };
  const def = c.generators.find((g) => g.name === run.generator);
  if (!def) return { outcome: { ...outcome, reason: `no generator "${run.generator}" here now (a team generator removed?)` } };
  if (def.replay?.refuse) return { outcome: { ...outcome, reason: def.replay.refuse } };
  const given = def.replay?.options ? def.replay.options(run.options, c.root) : run.options;
  const parsed = await def.schema.safeParseAsync(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { outcome: { ...outcome, reason: `its recorded options are not valid now (${issue?.path.join(".")}: ${issue?.message})` } };
  }
  let now: Rendered;
  try {
    now = await render(def, parsed.data, overlay, c);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { outcome: { ...outcome, reason: `re-planning it failed: ${err.message}` } };
  }
  outcome.manual = now.manual;
  const recorded = new Map(run.files.map((f) => [f.path, f]));
  // A module's file the run wrote where versions before modulePath put it (lib/shop2/ in app shop_2):
  // re-planned in that place, not written a second time in the app's folder.
  const disk = new Tree(c.root, undefined, c.project.umbrellaRoot);
  now.changes = now.changes.map((ch) => {
    const was = ch.patched || recorded.has(ch.path) ? undefined : legacyModulePath(c.project, ch.path);
    const rec = was === undefined ? undefined : recorded.get(was);
    if (was === undefined || rec === undefined || rec.patched) return ch;
    const ours = overlay.has(was) ? overlay.get(was) : disk.readDisk(was);
    return { ...ch, path: was, before: ours, action: ours === undefined ? "create" : ours === ch.after ? "identical" : "update" };
  });
  const files = new Map(run.files.map((f) => [f.path, f]));
  const version = packageVersion();

  // What the new patchers would have done to each patched file as it was before the run.
  const patched = now.changes.filter((ch) => ch.patched && recorded.get(ch.path)?.patched);
  const beforeRun = new Map(overlay);
  for (const ch of patched) {
    const before = await beforeOf(recorded.get(ch.path) as FileRecord);
    if (before !== undefined) beforeRun.set(ch.path, before);
  }
  const onBefore = patched.length > 0 ? (await render(def, parsed.data, beforeRun, c)).changes : [];

  // A migration's name carries the time it was generated: the re-planned one is the recorded one.
  const stamped = (p: string): string => p.replace(MIGRATION, "$1<timestamp>_");
  for (const ch of now.changes) {
    const same = recorded.get(ch.path) ?? run.files.find((f) => MIGRATION.test(f.path) && stamped(f.path) === stamped(ch.path));
    if (same && MIGRATION.test(same.path)) {
      // A migration that has run is history: it is never re-written.
      outcome.files.push({ path: same.path, outcome: ch.after === writtenOf(same) ? "up to date" : "kept", ...(ch.after === writtenOf(same) ? {} : { detail: "a migration is never re-written; add a new one for the change" }) });
      continue;
    }
    const rec = recorded.get(ch.path);
    const ours = ch.before;
    const theirs = ch.after;
    if (ch.patched) {
      if (rec?.patched) {
        const was = onBefore.find((x) => x.path === ch.path);
        const before = await beforeOf(rec);
        if (!was || before === undefined || was.after === writtenOf(rec)) {
          outcome.files.push({ path: ch.path, outcome: "up to date" });
          continue;
        }
        files.set(ch.path, await fileRecord({ ...was, before, action: "update", patched: true }));
      } else {
        files.set(ch.path, await fileRecord({ ...ch, action: ours === undefined ? "create" : "update" }));
      }
      if (ch.action === "identical") outcome.files.push({ path: ch.path, outcome: "up to date" });
      else {
        overlay.set(ch.path, theirs);
        outcome.files.push({ path: ch.path, outcome: "re-patched" });
      }
      continue;
    }
    if (!rec) {
      // A file the templates write now that the run did not.
      if (ours === undefined) {
        overlay.set(ch.path, theirs);
        if (ch.mode !== undefined) modes.set(ch.path, ch.mode);
        files.set(ch.path, await fileRecord(ch));
        outcome.files.push({ path: ch.path, outcome: "created" });
      } else if (ours === theirs) {
        files.set(ch.path, await fileRecord({ ...ch, action: "create" }));
        outcome.files.push({ path: ch.path, outcome: "up to date" });
      } else {
        outcome.files.push({ path: ch.path, outcome: "refused", detail: "the templates write it now, and a different file is there" });
      }
      continue;
    }
    const base = writtenOf(rec);
    if (ours === undefined) {
      outcome.files.push({ path: ch.path, outcome: "kept", detail: "deleted since the run; not written again" });
      continue;
    }
    const next = await fileRecord({ ...ch, action: rec.action, before: (await beforeOf(rec)) ?? "", patched: false });
    if (theirs === base || ours === theirs) {
      if (ours === theirs && theirs !== base) files.set(ch.path, next);
      outcome.files.push({ path: ch.path, outcome: "up to date" });
      continue;
    }
    const merged = merge3(ours, base, theirs, { labels: { ours: `${ch.path} (yours)`, theirs: `${ch.path} (${run.generator}, ${version})` } });
    if (merged.conflicts > 0 && !markers) {
      outcome.files.push({ path: ch.path, outcome: "refused", detail: `${merged.conflicts} conflicting region${merged.conflicts === 1 ? "" : "s"}; left as it is (--no-conflict-markers)` });
      continue;
    }
    overlay.set(ch.path, merged.text);
    files.set(ch.path, next);
    if (merged.conflicts > 0) {
      outcome.files.push({ path: ch.path, outcome: "conflict", detail: `${merged.conflicts} conflicting region${merged.conflicts === 1 ? "" : "s"} marked with <<<<<<< and >>>>>>>` });
    } else outcome.files.push({ path: ch.path, outcome: ours === base ? "updated" : "merged" });
  }
  for (const f of run.files) {
    if (!f.patched && !MIGRATION.test(f.path) && !now.changes.some((ch) => ch.path === f.path)) {
      outcome.files.push({ path: f.path, outcome: "not generated", detail: "the re-planned run does not write it (written only when missing, or dropped from the templates); left as it is" });
    }
  }
  const newFiles = [...files.values()];
  const changed = JSON.stringify(newFiles) !== JSON.stringify(run.files);
  const conflicted = outcome.files.some((f) => f.outcome === "conflict" || f.outcome === "refused");
  const changing = outcome.files.some((f) => !["up to date", "kept", "not generated"].includes(f.outcome));
  outcome.status = conflicted ? "conflicts" : changing ? "changes" : "up to date";
  const record = changed || changing ? { ...run, files: newFiles, upgrades: [...(run.upgrades ?? []), { at: new Date().toISOString(), version }] } : undefined;
  return { outcome, record };
}

export async function replanAll(runs: readonly RunRecord[], c: LifecycleContext, markers: boolean): Promise<{ outcomes: RunOutcome[]; overlay: Map<string, string | undefined>; modes: Map<string, number>; records: RunRecord[] }> {
  const overlay = new Map<string, string | undefined>();
  const modes = new Map<string, number>();
  const outcomes: RunOutcome[] = [];
  const records: RunRecord[] = [];
  for (const run of runs) {
    const r = await replan(run, overlay, modes, c, markers);
    outcomes.push(r.outcome);
    if (r.record) records.push(r.record);
  }
  return { outcomes, overlay, modes, records };
}

/** The overlay as changes against the disk; `modes`: of files created (a script the new templates add keeps its executable bit). */
export function changesOf(root: string, overlay: ReadonlyMap<string, string | undefined>, modes: ReadonlyMap<string, number> = new Map(), outer?: string): Change[] {
  const disk = new Tree(root, undefined, outer);
  return [...overlay.keys()].sort().flatMap((p): Change[] => {
    const before = disk.readDisk(p);
    const after = overlay.get(p);
    if (after === undefined) return before === undefined ? [] : [{ path: p, action: "delete", before, after: "", mode: undefined, patched: false }];
    const action = before === undefined ? "create" : before === after ? "identical" : "update";
    return [{ path: p, action, before, after, mode: action === "create" ? modes.get(p) : undefined, patched: false }];
  });
}


// ---------------------------------------------------------------------------
// Taking a run back (gen undo)

/** Runs that created the project: never taken back by gen undo. */
export const CREATION = ["app", "phoenix-app"];

export interface UndoFile {
  path: string;
  outcome: "removed" | "reverted" | "already gone" | "left" | "conflict";
  detail?: string;
}

/** Live runs after `run` that recorded `file`, oldest first. */
function laterRuns(runs: readonly RunRecord[], run: RunRecord, file: string): RunRecord[] {
  return runs.filter((r) => !r.undone && r.at > run.at && r.files.some((x) => x.path === file));
}

/** The lines a run added to a file: all it wrote for a file it created, the diff's added lines for one it changed. */
function addedLines(f: FileRecord): string[] {
  if (f.action === "create") return f.written ?? [];
  return (f.patch ?? []).filter((l) => l.startsWith("+") && !l.startsWith("+++")).map((l) => l.slice(1));
}

/**
 * What taking `run` back does to each of its files: a file it created and
 * nobody edited is removed; a file it changed is merged back three ways
 * (base: what it wrote; theirs: before it). A region edited since is a
 * conflict, unless `force`: then only the lines the run added are taken out
 * there, and where none of them is left (the team removed or rewrote them),
 * the region stays as it is when a later run added lines to it, and goes back
 * to before the run only when no later run did.
 */
export async function planUndo(root: string, runs: readonly RunRecord[], run: RunRecord, force: boolean): Promise<{ files: UndoFile[]; overlay: Map<string, string | undefined> }> {
  const files: UndoFile[] = [];
  const overlay = new Map<string, string | undefined>();
  for (const f of run.files) {
    const { state, current } = stateOf(root, f);
    if (f.action === "create") {
      if (state === "deleted") files.push({ path: f.path, outcome: "already gone" });
      else if (state === "as written" || force) {
        overlay.set(f.path, undefined);
        files.push({ path: f.path, outcome: "removed", ...(state === "edited" ? { detail: "edited since the run (--force)" } : {}) });
      } else files.push({ path: f.path, outcome: "conflict", detail: "created by the run and edited since" });
      continue;
    }
    const before = await beforeOf(f);
    if (current === undefined) {
      files.push({ path: f.path, outcome: "left", detail: "deleted since the run" });
      continue;
    }
    if (before === undefined) {
      files.push({ path: f.path, outcome: "conflict", detail: "its record's diff no longer applies to what the run wrote" });
      continue;
    }
    const later = laterRuns(runs, run, f.path);
    const protectedLines = later.flatMap((r) => r.files.filter((x) => x.path === f.path).flatMap(addedLines));
    const merged = merge3(current, writtenOf(f), before, { labels: { ours: "yours", theirs: "before the run" }, onConflict: "withdraw", protectedLines });
    if (merged.conflicts > 0 && !force) {
      const why = later.length > 0 ? `; later runs changed it too (${later.map((r) => r.id).join(", ")}): undo them first` : "";
      files.push({ path: f.path, outcome: "conflict", detail: `edited where the run changed it${why}` });
      continue;
    }
    overlay.set(f.path, merged.text);
    const detail = merged.conflicts === 0 ? undefined : merged.kept > 0 ? "edited where the run changed it, and the run's lines were already gone there: left as it is (--force)" : "edited where the run changed it (--force: the lines the run added taken out there too)";
    files.push({ path: f.path, outcome: "reverted", ...(detail ? { detail } : {}) });
  }
  return { files, overlay };
}

// ---------------------------------------------------------------------------
// Who changed a file since a run (gen status)

export type StatusState = FileState | "changed by later runs";

/**
 * A run's file as it is now, told apart from what later runs did to it:
 * `as written`; `changed by later runs` (every change since is a later live
 * run's, listed in `changedBy`); `edited` (a change no run made: a hand edit
 * after the last run, or between two runs); `conflicted`; `deleted`.
 */
export async function fileStatus(root: string, runs: readonly RunRecord[], run: RunRecord, f: FileRecord): Promise<{ state: StatusState; changedBy: string[] }> {
  const { state, current } = stateOf(root, f);
  const later = run.undone ? [] : laterRuns(runs, run, f.path);
  const changedBy = later.map((r) => r.id);
  if (state === "deleted" || state === "conflicted" || current === undefined) return { state, changedBy };
  if (later.length === 0) return { state, changedBy };
  // Each later run must have found the file as the run before it left it, and the last one left it as it is now.
  let previous = writtenOf(f);
  for (const r of later) {
    const rec = r.files.find((x) => x.path === f.path) as FileRecord;
    const before = rec.action === "create" ? undefined : await beforeOf(rec);
    if (before !== previous) return { state: "edited", changedBy };
    previous = writtenOf(rec);
  }
  const last = later[later.length - 1]?.files.find((x) => x.path === f.path) as FileRecord;
  return { state: sha256(current) === last.sha256 ? "changed by later runs" : "edited", changedBy };
}

/** `gen status`'s rows: each run, and each of its files with its state and whether today's templates would change it. */
export async function statusRows(runs: readonly RunRecord[], all: readonly RunRecord[], c: LifecycleContext) {
  const live = runs.filter((r) => !r.undone);
  const { outcomes } = await replanAll(live, c, true);
  const rows = [];
  for (const r of runs) {
    const outcome = outcomes.find((x) => x.id === r.id);
    const files = [];
    for (const f of r.files) {
      const { state, changedBy } = await fileStatus(c.root, all, r, f);
      const up = outcome?.files.find((x) => x.path === f.path);
      files.push({ path: f.path, action: f.action, state, ...(changedBy.length > 0 ? { changedBy } : {}), behind: up !== undefined && up.outcome !== "up to date" && up.outcome !== "kept" });
    }
    rows.push({
      id: r.id,
      generator: r.generator,
      command: r.command,
      version: r.version,
      at: r.at,
      ...(r.undone ? { undone: r.undone } : {}),
      upgrade: outcome ? { status: outcome.status, ...(outcome.reason ? { reason: outcome.reason } : {}) } : undefined,
      files,
    });
  }
  return rows;
}
