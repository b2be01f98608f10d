// The lifecycle of generated code, from the project's manifest (.otpgen/runs/):
//   gen status   which generated files are as written, edited, deleted, or behind the templates
//   gen undo     take back a run: three-way, so later edits elsewhere stay
//   gen upgrade  re-plan recorded runs on today's templates and merge (base = what the run wrote)
// Every write goes through the one flush (journaled, all or nothing).
import { existsSync, readdirSync, rmdirSync } from "node:fs";
import path from "node:path";
import pc from "picocolors";
import { CancelledError, UserError, WriteError } from "../core/errors.js";
import { flush, nodeFsOps } from "../core/flush.js";
import type { GeneratorDef } from "../core/generator.js";
import { confirmOrCancel, type Io } from "../core/io.js";
import { beforeOf, fileRecord, readRuns, recordChange, stateOf, writtenOf, type FileRecord, type FileState, type RunRecord } from "../core/manifest.js";
import { merge3 } from "../core/merge.js";
import { packageVersion } from "../core/paths.js";
import { formatChanges, formatPlan, formatStep, printDryRun, unifiedDiff } from "../core/report.js";
import type { Team } from "../core/team.js";
import { Tree, type Change } from "../core/tree.js";
import type { MixProject } from "../elixir/project.js";
import type { StepResult } from "../mix/check.js";

export interface LifecycleContext {
  root: string;
  project: MixProject;
  team: Team | undefined;
  generators: readonly GeneratorDef[];
  io: Io;
}

const USAGES = {
  status: "gen status [GENERATOR|RUN] [--json]",
  undo: "gen undo [RUN] [--dry-run] [--force] [--yes] [--json] [--no-mix-check]",
  upgrade: "gen upgrade [GENERATOR|RUN] [--dry-run] [--check] [--no-conflict-markers] [--yes] [--json] [--no-mix-check]",
};

const FLAGS = {
  status: ["--json"],
  undo: ["--dry-run", "--force", "--yes", "-y", "--json", "--no-mix-check"],
  upgrade: ["--dry-run", "--check", "--no-conflict-markers", "--yes", "-y", "--json", "--no-mix-check"],
};

export type LifecycleCommand = keyof typeof USAGES;

interface Args {
  flags: Set<string>;
  selector: string | undefined;
}

function parseArgs(command: LifecycleCommand, argv: readonly string[]): Args {
  const flags = new Set<string>();
  const positional: string[] = [];
  for (const a of argv) {
    if (a.startsWith("-")) {
      if (!FLAGS[command].includes(a)) throw new UserError(`unknown option ${JSON.stringify(a)}; usage: ${USAGES[command]}`);
      flags.add(a === "-y" ? "--yes" : a);
    } else positional.push(a);
  }
  if (positional.length > 1) throw new UserError(`one run or generator at most, got ${positional.join(" ")}; usage: ${USAGES[command]}`);
  return { flags, selector: positional[0] };
}

/** Runs named by an id (or the unique start of one) or a generator's name. */
function select(runs: readonly RunRecord[], selector: string | undefined, what: string): RunRecord[] {
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

interface FileOutcome {
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
  const tree = new Tree(c.root, overlay);
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
async function replan(run: RunRecord, overlay: Map<string, string | undefined>, modes: Map<string, number>, c: LifecycleContext, markers: boolean): Promise<Replanned> {
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

async function replanAll(runs: readonly RunRecord[], c: LifecycleContext, markers: boolean): Promise<{ outcomes: RunOutcome[]; overlay: Map<string, string | undefined>; modes: Map<string, number>; records: RunRecord[] }> {
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
function changesOf(root: string, overlay: ReadonlyMap<string, string | undefined>, modes: ReadonlyMap<string, number> = new Map()): Change[] {
  const disk = new Tree(root);
  return [...overlay.keys()].sort().flatMap((p): Change[] => {
    const before = disk.readDisk(p);
    const after = overlay.get(p);
    if (after === undefined) return before === undefined ? [] : [{ path: p, action: "delete", before, after: "", mode: undefined, patched: false }];
    const action = before === undefined ? "create" : before === after ? "identical" : "update";
    return [{ path: p, action, before, after, mode: action === "create" ? modes.get(p) : undefined, patched: false }];
  });
}

// ---------------------------------------------------------------------------
// Writing (undo and upgrade): dry-run, the one confirm, the flush, the check step

interface WriteOptions {
  dryRun: boolean;
  yes: boolean;
  json: boolean;
  mixCheck: boolean;
}

/** Remove directories a removal left empty, up to the root. */
function pruneDirs(root: string, removed: readonly string[]): void {
  for (const f of removed) {
    for (let d = path.dirname(path.join(root, f)); d.startsWith(root) && d !== root; d = path.dirname(d)) {
      if (!existsSync(d) || readdirSync(d).length > 0) break;
      rmdirSync(d);
    }
  }
}

/** `question`: what to ask at a terminal, and its default (no, when conflict markers would be written). */
async function write(c: LifecycleContext, changes: readonly Change[], records: readonly Change[], o: WriteOptions, question: { message: string; fallback: boolean }): Promise<{ written: boolean; checks: StepResult[] }> {
  const { io } = c;
  const shown = changes.filter((ch) => ch.action !== "identical");
  if (o.dryRun) {
    if (!o.json) await printDryRun(io, shown, []);
    return { written: false, checks: [] };
  }
  if (io.interactive && !o.yes && !o.json) {
    io.stdout(formatPlan(io, ".", shown, [], []));
    if (!(await confirmOrCancel(io, question.message, question.fallback))) throw new CancelledError("cancelled; nothing was written", 1);
  }
  await flush(c.root, [...shown, ...records], io.fs ?? nodeFsOps);
  pruneDirs(c.root, shown.filter((ch) => ch.action === "delete").map((ch) => ch.path));
  if (!o.json) io.stdout(formatChanges(io, shown));
  const elixir = shown.filter((ch) => ch.action !== "delete" && /\.exs?$/.test(ch.path)).map((ch) => ch.path);
  if (!o.mixCheck || shown.length === 0) return { written: true, checks: [] };
  if (!o.json) io.stdout("Checks\n");
  const { runChecks } = await import("../mix/check.js");
  const checks = await runChecks(c.root, elixir, io, { onEnd: (r) => (o.json ? undefined : io.stdout(formatStep(io, r))) });
  return { written: true, checks };
}

const writeOptions = (a: Args): WriteOptions => ({
  // gen upgrade --check writes nothing either (and --json then carries the diffs).
  dryRun: a.flags.has("--dry-run") || a.flags.has("--check"),
  yes: a.flags.has("--yes"),
  json: a.flags.has("--json"),
  mixCheck: !a.flags.has("--no-mix-check"),
});

// ---------------------------------------------------------------------------
// gen undo

/** Runs that created the project: never taken back by gen undo. */
const CREATION = ["app", "phoenix-app"];

interface UndoFile {
  path: string;
  outcome: "removed" | "reverted" | "already gone" | "left" | "conflict";
  detail?: string;
}

async function undo(args: Args, c: LifecycleContext): Promise<number> {
  const { io } = c;
  const o = writeOptions(args);
  const force = args.flags.has("--force");
  const runs = readRuns(c.root);
  const live = runs.filter((r) => !r.undone);
  let run: RunRecord | undefined;
  if (args.selector === undefined) {
    run = live.filter((r) => !CREATION.includes(r.generator)).pop();
    if (!run) throw new UserError(`no run to undo: ${runs.length === 0 ? "no run is recorded in .otpgen/runs/" : "every recorded generator run was undone"}`);
  } else {
    const chosen = select(runs, args.selector, "recorded");
    run = chosen[chosen.length - 1] as RunRecord;
    if (run.undone) throw new UserError(`run ${run.id} was already undone (${run.undone.at})`);
  }
  if (CREATION.includes(run.generator)) {
    throw new UserError(`run ${run.id} created the project (${run.command}); gen undo does not take that back (remove the folder instead)`);
  }
  const files: UndoFile[] = [];
  const overlay = new Map<string, string | undefined>();
  for (const f of run.files) {
    const { state, current } = stateOf(c.root, f);
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
    const merged = merge3(current, writtenOf(f), before, { labels: { ours: "yours", theirs: "before the run" }, onConflict: "withdraw" });
    if (merged.conflicts > 0 && !force) {
      const later = runs.filter((r) => !r.undone && r.at > (run as RunRecord).at && r.files.some((x) => x.path === f.path)).map((r) => r.id);
      const why = later.length > 0 ? `; later runs changed it too (${later.join(", ")}): undo them first` : "";
      files.push({ path: f.path, outcome: "conflict", detail: `edited where the run changed it${why}` });
      continue;
    }
    overlay.set(f.path, merged.text);
    files.push({ path: f.path, outcome: "reverted", ...(merged.conflicts > 0 ? { detail: "edited where the run changed it (--force: the lines the run added taken out there too)" } : {}) });
  }
  const conflicts = files.filter((f) => f.outcome === "conflict");
  const changes = changesOf(c.root, overlay);
  const result = { ok: conflicts.length === 0, command: "gen undo", root: c.root, run: run.id, generator: run.generator, dryRun: o.dryRun, files, conflicts: conflicts.map((f) => f.path) };
  if (conflicts.length > 0) {
    const names = conflicts.map((f) => `${f.path} (${f.detail})`).join(", ");
    const message = `run ${run.id} (${run.command}) was not undone: ${names}; edit ${conflicts.length === 1 ? "it" : "them"} back, or pass --force to take the run's change back there too`;
    if (o.json) io.stdout(`${JSON.stringify({ ...result, exitCode: 1, error: message }, null, 2)}\n`);
    io.stderr(`gen undo: ${message}\n`);
    return 1;
  }
  const recordChanges = o.dryRun ? [] : [recordChange(c.root, { ...run, undone: { at: new Date().toISOString(), version: packageVersion() } })];
  if (!o.json) io.stdout(`Undo run ${run.id} (${run.command}, ${run.version})\n`);
  const { checks } = await write(c, changes, recordChanges, o, { message: `Take back run ${run.id}?`, fallback: true });
  const failed = checks.some((r) => r.status === "failed");
  if (o.json) io.stdout(`${JSON.stringify({ ...result, files: await withDiffs(files, changes, o.dryRun), checks, exitCode: failed ? 1 : 0 }, null, 2)}\n`);
  else if (!o.dryRun) io.stdout(`Run ${run.id} undone${failed ? pc.createColors(io.color).red(" (a check failed: the project needs your attention)") : ""}.\n`);
  return failed ? 1 : 0;
}

async function withDiffs<T extends { path: string }>(files: readonly T[], changes: readonly Change[], dryRun: boolean): Promise<(T & { diff?: string })[]> {
  if (!dryRun) return [...files];
  const out: (T & { diff?: string })[] = [];
  for (const f of files) {
    const ch = changes.find((x) => x.path === f.path && x.action !== "identical");
    out.push(ch ? { ...f, diff: await unifiedDiff(ch) } : { ...f });
  }
  return out;
}

// ---------------------------------------------------------------------------
// gen upgrade

function formatOutcomes(io: Io, outcomes: readonly RunOutcome[]): string {
  const c = pc.createColors(io.color);
  const mark: Record<FileOutcome["outcome"], string> = {
    "up to date": c.dim("up to date "),
    updated: c.green("updated    "),
    merged: c.green("merged     "),
    created: c.green("created    "),
    "re-patched": c.green("re-patched "),
    conflict: c.red("conflict   "),
    refused: c.red("refused    "),
    kept: c.yellow("kept       "),
    "not generated": c.yellow("not written"),
  };
  return outcomes
    .map((r) => {
      const head = `${c.bold(r.id)}  ${r.status}${r.reason ? `: ${r.reason}` : ""}\n`;
      const body = r.files
        .filter((f) => f.outcome !== "up to date")
        .map((f) => `  ${mark[f.outcome]} ${f.path}${f.detail ? c.dim(`  ${f.detail}`) : ""}\n`)
        .join("");
      const manual = r.manual.map((m) => `  ${c.yellow("by hand")}     ${m.replace(/\n/g, "\n      ")}\n`).join("");
      return head + body + manual;
    })
    .join("");
}

async function upgrade(args: Args, c: LifecycleContext): Promise<number> {
  const { io } = c;
  const o = writeOptions(args);
  const check = args.flags.has("--check");
  const runs = select(readRuns(c.root).filter((r) => !r.undone), args.selector, "live");
  if (runs.length === 0) {
    if (o.json) io.stdout(`${JSON.stringify({ ok: true, command: "gen upgrade", root: c.root, runs: [], files: [], conflicts: [], exitCode: 0 }, null, 2)}\n`);
    else io.stdout("No recorded runs to upgrade (.otpgen/runs/ is empty).\n");
    return 0;
  }
  const { outcomes, overlay, modes, records } = await replanAll(runs, c, !args.flags.has("--no-conflict-markers"));
  const changes = changesOf(c.root, overlay, modes).filter((ch) => ch.action !== "identical");
  const conflicts = outcomes.flatMap((r) => r.files.filter((f) => f.outcome === "conflict" || f.outcome === "refused").map((f) => f.path));
  const marked = outcomes.flatMap((r) => r.files.filter((f) => f.outcome === "conflict").map((f) => f.path));
  // Conflict markers an earlier upgrade left, not resolved yet.
  const unresolved = runs.flatMap((r) => r.files.filter((f) => stateOf(c.root, f).state === "conflicted").map((f) => f.path));
  for (const p of unresolved) if (!conflicts.includes(p)) conflicts.push(p);
  const behind = changes.length > 0 || conflicts.length > 0;
  if (!o.json) {
    io.stdout(`Upgrade to ${packageVersion()}: ${runs.length} recorded run${runs.length === 1 ? "" : "s"}\n`);
    io.stdout(formatOutcomes(io, outcomes));
  }
  const written = check ? { written: false, checks: [] as StepResult[] } : await write(
    c,
    changes,
    o.dryRun ? [] : records.map((r) => recordChange(c.root, r)),
    { ...o, mixCheck: o.mixCheck && conflicts.length === 0 },
    marked.length > 0
      ? { message: `Write the upgrade of ${changes.length} file${changes.length === 1 ? "" : "s"}, ${marked.length} with conflict markers (${marked.join(", ")})?`, fallback: false }
      : { message: `Write the upgrade of ${changes.length} file${changes.length === 1 ? "" : "s"}?`, fallback: true },
  );
  const failed = written.checks.some((r) => r.status === "failed");
  const exitCode = (check && behind) || conflicts.length > 0 || failed ? 1 : 0;
  if (o.json) {
    const files = [];
    for (const ch of changes) files.push({ path: ch.path, action: ch.action, ...(o.dryRun ? { diff: await unifiedDiff(ch) } : {}) });
    io.stdout(`${JSON.stringify({ ok: exitCode === 0, command: "gen upgrade", root: c.root, dryRun: o.dryRun, check, runs: outcomes, files, conflicts, checks: written.checks, exitCode }, null, 2)}\n`);
  } else if (check) {
    io.stdout(behind ? `Behind the templates: ${changes.length} file${changes.length === 1 ? "" : "s"} would change${conflicts.length ? `, ${conflicts.length} with conflicts` : ""} (gen upgrade writes them).\n` : "Up to date with the templates.\n");
  } else if (conflicts.length > 0 && written.written) {
    io.stdout(pc.red(`Conflicts in ${conflicts.length} file${conflicts.length === 1 ? "" : "s"}: ${conflicts.join(", ")}; resolve them, then run your checks (the check step was not run).\n`));
  } else if (changes.length === 0 && !o.dryRun) io.stdout("Nothing to upgrade.\n");
  return exitCode;
}

// ---------------------------------------------------------------------------
// gen status

async function status(args: Args, c: LifecycleContext): Promise<number> {
  const { io } = c;
  const all = readRuns(c.root);
  const runs = select(all, args.selector, "recorded");
  const live = runs.filter((r) => !r.undone);
  const { outcomes } = await replanAll(live, c, true);
  const rows = runs.map((r) => {
    const outcome = outcomes.find((x) => x.id === r.id);
    const files = r.files.map((f) => {
      const { state } = stateOf(c.root, f);
      const up = outcome?.files.find((x) => x.path === f.path);
      return { path: f.path, action: f.action, state: state as FileState, behind: up !== undefined && up.outcome !== "up to date" && up.outcome !== "kept" };
    });
    return {
      id: r.id,
      generator: r.generator,
      command: r.command,
      version: r.version,
      at: r.at,
      ...(r.undone ? { undone: r.undone } : {}),
      upgrade: outcome ? { status: outcome.status, ...(outcome.reason ? { reason: outcome.reason } : {}) } : undefined,
      files,
    };
  });
  if (args.flags.has("--json")) {
    io.stdout(`${JSON.stringify({ ok: true, command: "gen status", root: c.root, runs: rows }, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    io.stdout("No runs recorded in .otpgen/runs/ yet.\n");
    return 0;
  }
  const col = pc.createColors(io.color);
  const stateMark = { "as written": col.green("as written"), edited: col.yellow("edited    "), conflicted: col.red("conflicted"), deleted: col.red("deleted   ") };
  for (const r of rows) {
    const tail = r.undone ? col.dim(`  undone ${r.undone.at}`) : r.upgrade?.status === "skipped" ? col.dim(`  not re-planned: ${r.upgrade.reason}`) : "";
    io.stdout(`${col.bold(r.id)}  ${r.command}  (${r.version})${tail}\n`);
    if (r.undone) continue;
    for (const f of r.files) io.stdout(`  ${stateMark[f.state]}  ${f.path}${f.behind ? col.cyan("  behind the templates") : ""}\n`);
  }
  const behind = rows.reduce((n, r) => n + r.files.filter((f) => f.behind).length, 0);
  if (behind > 0) io.stdout(`${behind} file${behind === 1 ? "" : "s"} behind the templates: gen upgrade --dry-run shows the merge.\n`);
  return 0;
}

export async function lifecycle(command: LifecycleCommand, argv: readonly string[], c: LifecycleContext): Promise<number> {
  const json = argv.includes("--json");
  if (argv.includes("--help") || argv.includes("-h")) {
    c.io.stdout(`Usage: ${USAGES[command]}\n`);
    return 0;
  }
  try {
    const args = parseArgs(command, argv);
    if (command === "status") return await status(args, c);
    if (command === "undo") return await undo(args, c);
    return await upgrade(args, c);
  } catch (err) {
    if (err instanceof UserError) {
      c.io.stderr(`gen ${command}: ${err.message}\n`);
      if (json) c.io.stdout(`${JSON.stringify({ ok: false, error: err.message, exitCode: 2 })}\n`);
      return 2;
    }
    if (err instanceof CancelledError || err instanceof WriteError) {
      c.io.stderr(`gen ${command}: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}
