// One run, one direction:
// argv -> raw options -> prompts (TTY only) -> zod -> plan -> virtual tree ->
// changes -> conflict policy -> --dry-run? -> flush -> tasks -> checks -> report.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { StepResult } from "../mix/check.js";
import { CancelledError, UserError, WriteError } from "./errors.js";
import { flush, nodeFsOps, recoverAndSay, undo, type WriteRecord } from "./flush.js";
import type { GeneratorDef, Plan, PlanContext, Task } from "./generator.js";
import { confirmOrCancel, type Io } from "./io.js";
import { buildCommand, commanderFailure, issueMessage, parseArgv, resolveOptions, type CommonOptions } from "./options.js";
import { formatChanges, formatExternal, formatManual, formatPlan, formatStep, formatTask, jsonReport, printDryRun, printSummary, type RunReport, type TaskResult } from "./report.js";
import { Tree, type Change } from "./tree.js";
import { builtinTemplatesDir, packageVersion } from "./paths.js";
import { readableStack } from "./stack.js";
import { sha256 } from "./hash.js";
import type { Team } from "./team.js";
import type { z } from "zod";

/** Options given outside argv (team defaults, an answers file), checked against the schema: "key: rule", or undefined. */
async function partialProblem(def: GeneratorDef, value: unknown): Promise<string | undefined> {
  const parsed = await def.schema.partial().strict().safeParseAsync(value);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  const key = issue.path.length > 0 ? issue.path.join(".") : ((issue as { keys?: string[] }).keys?.join(", ") ?? "");
  return `${key}: ${issue.message}`;
}

/** The team's defaults for a generator, checked against its schema. */
async function teamDefaults(def: GeneratorDef, team: Team | undefined, io: Io): Promise<Record<string, unknown>> {
  if (!team) return {};
  const given: Record<string, unknown> = { ...(team.config.defaults[def.name] ?? {}) };
  if (def.name === "app" && team.config.elixir && given.elixir === undefined) given.elixir = team.config.elixir;
  const problem = await partialProblem(def, given);
  if (problem) {
    const where = path.relative(io.cwd, path.join(team.dir, "config")) || team.dir;
    throw new UserError(`${where}: defaults.${def.name}.${problem}`);
  }
  return given;
}

/** Answers from --answers FILE, checked against the generator's schema. */
async function readAnswers(def: GeneratorDef, file: string | undefined, io: Io): Promise<Record<string, unknown>> {
  if (!file) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.resolve(io.cwd, file), "utf8"));
  } catch (err) {
    throw new UserError(`--answers ${file}: cannot read it as JSON (${(err as Error).message})`);
  }
  const problem = await partialProblem(def, raw);
  if (problem) throw new UserError(`--answers ${file}: ${problem}`);
  return raw as Record<string, unknown>;
}

/** Built-in templates a team ejected that have changed upstream since. */
export function driftOf(generator: string, team: Team | undefined, builtin = builtinTemplatesDir()): string[] {
  const record = team?.ejected[generator];
  if (!record) return [];
  return Object.entries(record.files)
    .filter(([file, hash]) => {
      const upstream = path.join(builtin, file);
      return !existsSync(upstream) || sha256(readFileSync(upstream, "utf8")) !== hash;
    })
    .map(([file]) => file);
}

function listDir(dir: string): string[] | undefined {
  try {
    return readdirSync(dir);
  } catch {
    return undefined;
  }
}

const NOT_RUN = "writes outside the virtual tree, so --dry-run does not run it";

const rel = (io: Io, p: string): string => path.relative(io.cwd, p) || ".";


/**
 * Existing user files are never replaced without --force or a yes at a prompt.
 * Without a terminal a conflict is an error; at one, it is the question to ask
 * (undefined: nothing would be overwritten).
 */
function conflictQuestion(plan: Plan, changes: readonly Change[], common: CommonOptions, interactive: boolean, io: Io): string | undefined {
  if (common.force) return undefined;
  const updates = changes.filter((c) => c.action === "update" && !c.patched).map((c) => c.path);
  const shown = updates.length > 8 ? `${updates.slice(0, 8).join(", ")}, …` : updates.join(", ");
  const entries = plan.requireEmptyRoot ? listDir(plan.root) : undefined;

  if (entries !== undefined && entries.length > 0) {
    const where = rel(io, plan.root);
    const overwrite = updates.length > 0 ? `; ${updates.length} existing files differ and would be overwritten: ${shown}` : "";
    if (!interactive) throw new UserError(`directory "${where}" is not empty${overwrite}; pass --force to write into it`);
    return `Directory "${where}" is not empty${overwrite}. Write into it anyway?`;
  }
  if (updates.length > 0) {
    if (!interactive) {
      throw new UserError(`${updates.length} existing files differ from the generated ones: ${shown}; pass --force to overwrite them (--dry-run shows the diff)`);
    }
    return `${updates.length} existing files differ and would be overwritten: ${shown}. Overwrite them?`;
  }
  return undefined;
}

/**
 * At a terminal (without --yes), the plan is shown and confirmed once before
 * anything is written; a conflict is that one question, defaulting to no.
 */
async function confirmPlan(plan: Plan, changes: readonly Change[], manual: readonly string[], external: readonly string[], common: CommonOptions, io: Io): Promise<void> {
  const interactive = !common.yes && !common.json && io.interactive;
  const conflict = conflictQuestion(plan, changes, common, interactive, io);
  if (!interactive) return;
  const writes = changes.some((c) => c.action !== "identical");
  if (writes) io.stdout(formatPlan(io, rel(io, plan.root), changes, manual, external));
  if (!writes && conflict === undefined) return;
  if (!(await confirmOrCancel(io, conflict ?? "Write these changes?", conflict === undefined))) {
    throw new CancelledError("cancelled; nothing was written", 1);
  }
}

async function runTask(task: Task, root: string, io: Io): Promise<TaskResult> {
  if (task.kind === "write-binary") {
    for (const f of task.files) {
      mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true });
      writeFileSync(path.join(root, f.path), f.content);
    }
    return { task: `write ${task.files.map((f) => f.path).join(", ")}`, status: "passed", detail: "" };
  }
  if (task.kind === "deps.get") {
    const r = await io.mix.run("mix", ["deps.get"], { cwd: root, env: io.env });
    const later = `run it later: cd ${rel(io, root)} && mix deps.get`;
    if (r.notFound) return { task: "mix deps.get", status: "warning", detail: `mix was not found on PATH; install Elixir, then ${later}` };
    if (r.exitCode !== 0) {
      const hex = /Could not find Hex/.test(r.output);
      const why = hex ? "Hex is not installed (mix local.hex --force)" : (r.output.trim().split("\n").pop() ?? "").trim();
      return { task: "mix deps.get", status: "warning", detail: `failed (${why}); ${later}` };
    }
    return { task: "mix deps.get", status: "passed", detail: "" };
  }
  const r = await io.mix.run("git", ["init", "--quiet"], { cwd: root, env: io.env });
  if (r.notFound) return { task: "git init", status: "warning", detail: "git was not found on PATH; skipped" };
  if (r.exitCode !== 0) return { task: "git init", status: "warning", detail: `failed: ${r.output.trim()}` };
  return { task: "git init", status: "passed", detail: "" };
}

async function rollback(record: WriteRecord): Promise<void> {
  await undo(record);
  // A project directory this run created holds only what this run put there (and _build).
  if (record.createdDirs.includes(record.root)) rmSync(record.root, { recursive: true, force: true });
}

async function spinnerFor(io: Io) {
  if (!io.color || !io.interactive) return undefined;
  const { default: yoctoSpinner } = await import("yocto-spinner");
  return yoctoSpinner({ stream: process.stderr });
}

/**
 * The next steps of a run in an umbrella's app, started from outside the
 * app's folder (the umbrella's root, with --app): a `cd` there first, since
 * its steps (`mix test test/...`) are the app's.
 */
function inAppFolder(plan: Plan, ctx: PlanContext, io: Io): string[] {
  const app = ctx.project?.umbrellaRoot !== undefined ? ctx.project.root : undefined;
  const from = path.relative(app ?? io.cwd, io.cwd);
  if (app === undefined || !from.startsWith("..") || plan.nextSteps.length === 0 || plan.nextSteps.some((s) => s.startsWith("cd "))) return plan.nextSteps;
  return [`cd ${path.relative(io.cwd, app)}`, ...plan.nextSteps];
}

export async function runGenerator(
  def: GeneratorDef,
  argv: string[],
  io: Io,
  commandName: string,
  ctx: PlanContext = { project: undefined },
): Promise<number> {
  let json = argv.includes("--json");
  try {
    const cmd = buildCommand(commandName, def, io);
    let parsed: ReturnType<typeof parseArgv>;
    try {
      parsed = parseArgv(cmd, def, argv);
    } catch (err) {
      if (err instanceof UserError) throw err;
      const failure = commanderFailure(err);
      if (failure.message) throw new UserError(failure.message);
      return failure.exitCode;
    }
    const { common } = parsed;
    json = common.json;
    const team = ctx.team;
    if (!parsed.checkGiven && team?.config.check) common.check = team.config.check;
    const answers = await readAnswers(def, common.answers, io);
    const values = await resolveOptions(def, parsed.raw, common, io, answers, await teamDefaults(def, team, io), ctx.project);
    const options = await def.schema.safeParseAsync(values);
    if (!options.success) throw new UserError(issueMessage(def, options.error, values));
    if (common.record) {
      writeFileSync(path.resolve(io.cwd, common.record), `${JSON.stringify(options.data, null, 2)}\n`);
    }

    if (ctx.project) {
      // Generators in a project patch its files: the Elixir reader's WebAssembly compiles
      // on V8's background threads while node-plop and the templates load (errors surface at its use).
      void import("../elixir/reader.js").then((r) => r.loadReader()).catch(() => undefined);
    }
    const plan = await def.plan(options.data, io, ctx);
    // A flush a killed process left here is finished before this run reads the project.
    if (!common.dryRun && existsSync(plan.root)) await recoverAndSay(plan.root, io.stderr, commandName);
    const drift = driftOf(def.name, team);
    if (drift.length > 0) {
      const from = team?.ejected[def.name]?.version;
      io.stderr(
        `${commandName}: warning: the built-in templates you ejected changed since ${from} (now ${packageVersion()}): ${drift.join(", ")}; see: gen templates diff ${def.name}\n`,
      );
    }
    // An umbrella app's run may write the umbrella's config/ too (the config its apps load).
    const outer = ctx.project && path.resolve(plan.root) === path.resolve(ctx.project.root) ? ctx.project.umbrellaRoot : undefined;
    const tree = new Tree(plan.root, undefined, outer);
    // node-plop and handlebars load here, not at start-up (--help, bad input).
    const { renderPlan } = await import("./render.js");
    const rendered = await renderPlan(def, plan, tree, team);
    const { manual } = rendered;
    const changes = tree.changes();
    const report: RunReport = {
      ok: true,
      command: commandName,
      root: plan.root,
      dryRun: common.dryRun,
      files: changes.map((c) => ({ path: c.path, action: c.action })),
      tasks: [],
      checks: [],
      rolledBack: false,
      manual,
      external: rendered.external.map((action) => ({ action, status: "not run", detail: NOT_RUN })),
      exitCode: 0,
      nextSteps: inAppFolder(plan, ctx, io),
    };
    if (common.dryRun) {
      // A run that changes the supervision tree shows it before and after.
      const supTree = ctx.project ? await import("../elixir/sup-tree.js") : undefined;
      const tree = ctx.project ? supTree?.treeChange(ctx.project, changes) : undefined;
      if (json) io.stdout(await jsonReport(tree ? { ...report, tree } : report, changes));
      else await printDryRun(io, changes, manual, report.external, tree && supTree ? supTree.formatTreeChange(tree) : "");
      return 0;
    }

    await confirmPlan(plan, changes, manual, rendered.external, common, io);
    // The run is recorded in the project's manifest, in the same all-or-nothing write.
    const manifest = def.record === false ? undefined : await import("./manifest.js");
    const run = manifest && changes.some((c) => c.action === "create" || c.action === "update")
      ? await manifest.newRecord(manifest.newRunId(plan.root, def.name), def.name, commandName, packageVersion(), { ...(options.data as Record<string, unknown>), ...plan.resolved }, changes, !def.replay?.refuse)
      : undefined;
    const toWrite = run && manifest ? [...changes, manifest.recordChange(plan.root, run)] : changes;
    const record = await flush(plan.root, toWrite, io.fs ?? nodeFsOps);
    if (run) report.run = run.id;
    if (!json) io.stdout(formatChanges(io, changes) + formatManual(io, manual));
    if (rendered.external.length > 0) {
      // Team actions that write to disk themselves run once the plan's files are written.
      report.external = await rendered.runExternal();
      if (!json) io.stdout(formatExternal(io, report.external));
      if (report.external.some((e) => e.status === "failed")) report.exitCode = 1;
    }

    for (const task of plan.tasks) {
      const result = await runTask(task, plan.root, io);
      report.tasks.push(result);
      if (!json) io.stdout(formatTask(io, result));
    }

    if (common.check !== "off" && !plan.noCheck) {
      // An umbrella app is checked from the umbrella's root, where its formatter, compiler and credo are.
      const checkRoot = outer ?? plan.root;
      const written = changes.filter((c) => c.action !== "identical").map((c) => path.relative(checkRoot, path.resolve(plan.root, c.path)).split(path.sep).join("/"));
      const spinner = json ? undefined : await spinnerFor(io);
      if (!json) io.stdout("Checks\n");
      const { runChecks } = await import("../mix/check.js");
      report.checks = await runChecks(checkRoot, written, io, {
        onBegin: (step) => spinner?.start(`${step}…`),
        onEnd: (r: StepResult) => {
          spinner?.stop();
          if (!json) io.stdout(formatStep(io, r));
        },
      });
      const failed = report.checks.some((r) => r.status === "failed");
      if (failed) {
        const n = record.created.length + record.updated.length;
        const rollBack =
          common.rollbackOnFail ||
          (io.interactive && !common.yes && !json && (await confirmOrCancel(io, `A check failed. Roll back the ${n} files this run wrote?`, false)));
        if (rollBack) {
          await rollback(record);
          report.rolledBack = true;
        }
        if (common.check === "strict" || report.rolledBack) report.exitCode = 1;
      }
    }
    // The check step's formatter or a team's action may have changed what was written: the record
    // keeps what is on disk. Without them the files are as flushed (the tasks, git init, mix deps.get
    // and phx.new's binary files, write none of them), and are not read back.
    const touchedAfterFlush = report.checks.length > 0 || report.external.some((e) => e.status !== "not run");
    if (run && manifest && !report.rolledBack && touchedAfterFlush) await manifest.refreshRecord(plan.root, run, changes);
    report.ok = report.exitCode === 0;
    if (json) io.stdout(await jsonReport(report, changes));
    else printSummary(io, report);
    return report.exitCode;
  } catch (err) {
    if (err instanceof UserError) {
      io.stderr(`${commandName}: ${err.message}\n`);
      if (json) io.stdout(`${JSON.stringify({ ok: false, error: err.message, exitCode: 2 })}\n`);
      return err.exitCode;
    }
    if (err instanceof CancelledError) {
      io.stderr(`${commandName}: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof WriteError) {
      io.stderr(`${commandName}: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr(`${commandName}: internal error (please report it)\n${readableStack(err)}\n`);
    return 1;
  }
}
