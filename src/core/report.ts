// What the user sees: the human report on stdout, or one JSON document with --json.
import pc from "picocolors";
import type { StepResult } from "../mix/check.js";
import type { Io } from "./io.js";
import type { Change } from "./tree.js";
import type { ExternalResult } from "./render.js";

export interface TaskResult {
  task: string;
  status: "passed" | "warning";
  detail: string;
}

export interface RunReport {
  ok: boolean;
  command: string;
  root: string;
  dryRun: boolean;
  files: { path: string; action: Change["action"]; diff?: string }[];
  tasks: TaskResult[];
  checks: StepResult[];
  rolledBack: boolean;
  /** Changes a patcher could not make safely: what to do by hand. */
  manual: string[];
  /** Team actions that write outside the virtual tree: run after the write, never under --dry-run. */
  external: ExternalResult[];
  exitCode: number;
  nextSteps: string[];
  /** The run's id in the project's manifest (.otpgen/runs/ID.json): what gen undo and gen upgrade name. */
  run?: string;
  /** --dry-run of a run that changes the supervision tree: the tree before, and after with the new children marked `added`. */
  tree?: { before: unknown; after: unknown };
}

export async function unifiedDiff(c: Change): Promise<string> {
  const { createTwoFilesPatch } = await import("diff");
  const from = c.before === undefined ? "/dev/null" : `a/${c.path}`;
  const to = c.action === "delete" ? "/dev/null" : `b/${c.path}`;
  return createTwoFilesPatch(from, to, c.before ?? "", c.after, undefined, undefined, { context: 3 });
}

const colorsFor = (io: Io) => pc.createColors(io.color);

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

export function formatChanges(io: Io, changes: readonly Change[]): string {
  const c = colorsFor(io);
  const label = { create: c.green("create   "), update: c.yellow("update   "), identical: c.dim("identical"), delete: c.red("remove   ") };
  return changes.map((ch) => `  ${label[ch.action]} ${ch.path}\n`).join("");
}

export function formatStep(io: Io, r: StepResult): string {
  const c = colorsFor(io);
  const mark = r.status === "passed" ? c.green("✔") : r.status === "failed" ? c.red("✖") : c.yellow("–");
  const time = r.status === "skipped" ? "      " : ` ${c.dim(seconds(r.ms).padStart(5))}`;
  const detail = r.detail ? `  ${r.status === "skipped" ? `skipped: ${r.detail}` : r.detail}` : "";
  const problems = r.problems.map((p) => `\n      ${c.bold(`${p.file}:${p.line}`)} ${p.message}`).join("");
  return `  ${mark} ${r.step.padEnd(8)}${time}${detail}${problems}\n`;
}

export function formatTask(io: Io, t: TaskResult): string {
  const c = colorsFor(io);
  const mark = t.status === "passed" ? c.green("✔") : c.yellow("!");
  return `  ${mark} ${t.task}${t.detail ? `  ${t.detail}` : ""}\n`;
}

export function formatManual(io: Io, manual: readonly string[]): string {
  if (manual.length === 0) return "";
  const c = colorsFor(io);
  return `${c.yellow("Do by hand")} (the file's shape was not one that can be patched safely):\n${manual.map((m) => `  ${m.replace(/\n/g, "\n  ")}`).join("\n")}\n`;
}

export function formatExternal(io: Io, external: readonly ExternalResult[]): string {
  if (external.length === 0) return "";
  const c = colorsFor(io);
  const mark = { ran: c.green("✔"), failed: c.red("✖"), "not run": c.yellow("–") };
  const lines = external.map((e) => `  ${mark[e.status]} ${e.action}  ${e.status}${e.detail ? `: ${e.detail}` : ""}\n`);
  return `${c.yellow("Team actions outside the virtual tree")}\n${lines.join("")}`;
}

export async function printDryRun(io: Io, changes: readonly Change[], manual: readonly string[], external: readonly ExternalResult[] = [], extra = ""): Promise<void> {
  for (const ch of changes) if (ch.action !== "identical") io.stdout(await unifiedDiff(ch));
  io.stdout(formatChanges(io, changes));
  io.stdout(formatManual(io, manual));
  io.stdout(formatExternal(io, external));
  io.stdout(extra);
  io.stdout(colorsFor(io).dim("Dry run: nothing was written.\n"));
}

/** The plan shown before a confirm at a terminal: what --dry-run prints, without the diff. */
export function formatPlan(io: Io, where: string, changes: readonly Change[], manual: readonly string[], external: readonly string[]): string {
  const c = colorsFor(io);
  const shown = changes.filter((ch) => ch.action !== "identical");
  const same = changes.length - shown.length;
  const unchanged = same > 0 ? `  ${c.dim(`(${same} file${same === 1 ? "" : "s"} already as generated)`)}\n` : "";
  const team = external.length > 0 ? `${c.yellow("Then runs")} (team actions outside the virtual tree):\n${external.map((e) => `  ${e}\n`).join("")}` : "";
  return `${c.bold("Plan")}${where === "." ? "" : ` (in ${where})`}\n${formatChanges(io, shown)}${unchanged}${formatManual(io, manual)}${team}`;
}

/** The closing lines: what passed, failed or was skipped, then next steps. */
export function printSummary(io: Io, report: RunReport): void {
  const c = colorsFor(io);
  const failed = report.checks.filter((r) => r.status === "failed");
  const skipped = report.checks.filter((r) => r.status === "skipped");
  if (report.checks.length > 0) {
    const passed = report.checks.filter((r) => r.status === "passed").map((r) => r.step);
    io.stdout(
      `${failed.length > 0 ? c.red("Checks failed") : c.green("Checks done")}: ` +
        `${passed.length ? passed.join(", ") : "none"} passed` +
        `${failed.length ? `; ${failed.map((r) => r.step).join(", ")} failed` : ""}` +
        `${skipped.length ? `; ${skipped.map((r) => r.step).join(", ")} skipped` : ""}\n`,
    );
  }
  if (report.rolledBack) io.stdout(c.yellow("Rolled back: the files this run wrote were restored.\n"));
  else if (report.run) io.stdout(c.dim(`Recorded as run ${report.run} (gen status, gen undo, gen upgrade)\n`));
  if (report.nextSteps.length > 0 && !report.rolledBack) {
    io.stdout(`\n${c.bold("Next steps")}\n${report.nextSteps.map((s) => `  ${s}`).join("\n")}\n`);
  }
}

export async function jsonReport(report: RunReport, changes: readonly Change[]): Promise<string> {
  const files = [];
  for (const ch of changes) {
    const withDiff = report.dryRun && ch.action !== "identical";
    files.push({ path: ch.path, action: ch.action, ...(withDiff ? { diff: await unifiedDiff(ch) } : {}) });
  }
  return `${JSON.stringify({ ...report, files }, null, 2)}\n`;
}
