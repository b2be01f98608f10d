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
import { confirmOrCancel, type Io } from "../core/io.js";
import { changesOf, CREATION, planUndo, replanAll, select, statusRows, type FileOutcome, type LifecycleContext, type RunOutcome, type StatusState } from "../core/lifecycle.js";
import { readRuns, recordChange, stateOf, type RunRecord } from "../core/manifest.js";
import { packageVersion } from "../core/paths.js";
import { findMixRoot } from "../elixir/project.js";
import { formatChanges, formatPlan, formatStep, printDryRun, unifiedDiff } from "../core/report.js";
import type { Change } from "../core/tree.js";
import type { StepResult } from "../mix/check.js";

export type { LifecycleContext } from "../core/lifecycle.js";

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

// ---------------------------------------------------------------------------
// Writing (undo and upgrade): dry-run, the one confirm, the flush, the check step

interface WriteOptions {
  dryRun: boolean;
  yes: boolean;
  json: boolean;
  mixCheck: boolean;
}

/**
 * Remove directories a removal left empty, up to the app the file is in (the
 * root, or for a file of an umbrella's other app, `../shop/...`, that app's).
 */
function pruneDirs(root: string, removed: readonly string[]): void {
  for (const f of removed) {
    const file = path.resolve(root, f);
    const app = findMixRoot(path.dirname(file)) ?? root;
    for (let d = path.dirname(file); d.startsWith(app + path.sep); d = path.dirname(d)) {
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
  if (!o.yes && !o.json && io.interactive) {
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
  const { files, overlay } = await planUndo(c.root, runs, run, force);
  const conflicts = files.filter((f) => f.outcome === "conflict");
  const changes = changesOf(c.root, overlay, undefined, c.project.umbrellaRoot);
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
  const changes = changesOf(c.root, overlay, modes, c.project.umbrellaRoot).filter((ch) => ch.action !== "identical");
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
  const rows = await statusRows(select(all, args.selector, "recorded"), all, c);
  if (args.flags.has("--json")) {
    io.stdout(`${JSON.stringify({ ok: true, command: "gen status", root: c.root, runs: rows }, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    io.stdout("No runs recorded in .otpgen/runs/ yet.\n");
    return 0;
  }
  const col = pc.createColors(io.color);
  const stateMark: Record<StatusState, string> = {
    "as written": col.green("as written"),
    "changed by later runs": col.green("later runs"),
    edited: col.yellow("edited    "),
    conflicted: col.red("conflicted"),
    deleted: col.red("deleted   "),
  };
  for (const r of rows) {
    const tail = r.undone ? col.dim(`  undone ${r.undone.at}`) : r.upgrade?.status === "skipped" ? col.dim(`  not re-planned: ${r.upgrade.reason}`) : "";
    io.stdout(`${col.bold(r.id)}  ${r.command}  (${r.version})${tail}\n`);
    if (r.undone) continue;
    for (const f of r.files) {
      // "changed by" names the later runs; on any other state they are said after the path.
      const by = !f.changedBy ? "" : f.state === "changed by later runs" ? `  by ${f.changedBy.join(", ")}` : col.dim(`  (also changed by ${f.changedBy.join(", ")})`);
      io.stdout(`  ${stateMark[f.state]}  ${f.path}${by}${f.behind ? col.cyan("  behind the templates") : ""}\n`);
    }
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
