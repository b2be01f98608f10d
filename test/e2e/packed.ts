// Running the installed package as a user runs it: the bins that
// test/global-setup.ts installed from `npm pack` output, in a shell-like
// environment (no colour, a code cache of the test file's own), never src/.
import { createHash } from "node:crypto";
import { cpSync, lstatSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { expect, inject } from "vitest";
import { z } from "zod";
import { tempDir } from "../helpers.js";

export const REPO = path.resolve(import.meta.dirname, "../..");
export const FIXTURES = path.join(REPO, "test/fixtures");

/** The folder holding the installed bins (create-otp-app, gen). */
export const binDir = (): string => inject("packedBin");

/** The code cache this test file's runs share: the first run writes it, later ones start from it. */
const cacheHome = tempDir("otpgen-cache-");

export interface BinResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run an installed bin. `bin` may be a path (a private copy of the install). */
export async function runBin(
  bin: "gen" | "create-otp-app" | string,
  args: string[],
  cwd: string,
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<BinResult> {
  const file = bin.includes(path.sep) ? bin : path.join(binDir(), bin);
  const r = await execa(file, args, {
    cwd,
    reject: false,
    env: { NO_COLOR: "1", XDG_CACHE_HOME: cacheHome, ...options.env },
    ...(options.input === undefined ? { stdin: "ignore" as const } : { input: options.input }),
  });
  return { code: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
}

/** Run and require exit 0, showing the output when it is not. */
export async function runOk(bin: string, args: string[], cwd: string, options: Parameters<typeof runBin>[3] = {}): Promise<BinResult> {
  const r = await runBin(bin, args, cwd, options);
  expect(r.code, `${bin} ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

/**
 * Every entry under dir, as lines `path type mode sha256` (links by target):
 * two equal results mean the tree is byte-identical, entries and modes included.
 */
export function treeHash(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const abs = path.join(d, name);
      const rel = path.relative(dir, abs);
      const st = lstatSync(abs);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out.push(`${rel} link ${mode} ${readlinkSync(abs)}`);
      else if (st.isDirectory()) {
        out.push(`${rel} dir ${mode}`);
        walk(abs);
      } else out.push(`${rel} file ${mode} ${createHash("sha256").update(readFileSync(abs)).digest("hex")}`);
    }
  };
  walk(dir);
  return out;
}

/** A project copied from a fixture folder. */
export function fixtureCopy(name: string, as = name): string {
  const dir = path.join(tempDir(), as);
  cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** Files that real Elixir cannot parse (Code.string_to_quoted), with the reason; empty when all parse. */
export async function unparsable(dir: string, files: string[]): Promise<string[]> {
  const script = `
    for f <- System.argv() do
      case Code.string_to_quoted(File.read!(f), file: f, columns: true) do
        {:ok, _} -> :ok
        {:error, reason} -> IO.puts("#{f}: #{inspect(reason)}")
      end
    end
  `;
  const r = await execa("elixir", ["-e", script, ...files], { cwd: dir, all: true });
  return (r.all ?? "").split("\n").filter((l) => l !== "");
}

// The --json document, as the README promises it. Strict: a field the schema
// does not know is an error, so the schema and the output cannot drift apart.
const problem = z.object({ file: z.string(), line: z.number().int().nonnegative(), message: z.string() }).strict();
const step = z
  .object({
    step: z.enum(["format", "deps", "compile", "credo"]),
    status: z.enum(["passed", "failed", "skipped"]),
    ms: z.number().nonnegative(),
    detail: z.string(),
    problems: z.array(problem),
  })
  .strict();
export const runReportSchema = z
  .object({
    ok: z.boolean(),
    command: z.string(),
    root: z.string(),
    dryRun: z.boolean(),
    files: z.array(
      z.object({ path: z.string(), action: z.enum(["create", "update", "identical"]), diff: z.string().optional() }).strict(),
    ),
    tasks: z.array(z.object({ task: z.string(), status: z.enum(["passed", "warning"]), detail: z.string() }).strict()),
    checks: z.array(step),
    rolledBack: z.boolean(),
    manual: z.array(z.string()),
    external: z.array(z.object({ action: z.string(), status: z.enum(["ran", "failed", "not run"]), detail: z.string() }).strict()),
    exitCode: z.number().int(),
    nextSteps: z.array(z.string()),
    /** The run's id in .otpgen/runs/ (absent when nothing was written). */
    run: z.string().regex(/^\d{8}-\d{6}-[\w-]+$/).optional(),
  })
  .strict();

// gen status / gen undo / gen upgrade --json, strict as above.
const fileOutcome = z.object({ path: z.string(), outcome: z.string(), detail: z.string().optional() }).strict();
export const statusSchema = z
  .object({
    ok: z.literal(true),
    command: z.literal("gen status"),
    root: z.string(),
    runs: z.array(
      z
        .object({
          id: z.string(),
          generator: z.string(),
          command: z.string(),
          version: z.string(),
          at: z.string(),
          undone: z.object({ at: z.string(), version: z.string() }).strict().optional(),
          upgrade: z.object({ status: z.enum(["up to date", "changes", "conflicts", "skipped"]), reason: z.string().optional() }).strict().optional(),
          files: z.array(z.object({ path: z.string(), action: z.enum(["create", "update"]), state: z.enum(["as written", "changed by later runs", "edited", "conflicted", "deleted"]), changedBy: z.array(z.string()).min(1).optional(), behind: z.boolean() }).strict()),
        })
        .strict(),
    ),
  })
  .strict();
export const upgradeSchema = z
  .object({
    ok: z.boolean(),
    command: z.literal("gen upgrade"),
    root: z.string(),
    dryRun: z.boolean(),
    check: z.boolean(),
    runs: z.array(
      z
        .object({
          id: z.string(),
          generator: z.string(),
          status: z.enum(["up to date", "changes", "conflicts", "skipped"]),
          reason: z.string().optional(),
          files: z.array(fileOutcome),
          manual: z.array(z.string()),
        })
        .strict(),
    ),
    files: z.array(z.object({ path: z.string(), action: z.enum(["create", "update", "delete"]), diff: z.string().optional() }).strict()),
    conflicts: z.array(z.string()),
    checks: z.array(step),
    exitCode: z.number().int(),
  })
  .strict();
export const undoSchema = z
  .object({
    ok: z.boolean(),
    command: z.literal("gen undo"),
    root: z.string(),
    run: z.string(),
    generator: z.string(),
    dryRun: z.boolean(),
    files: z.array(z.object({ path: z.string(), outcome: z.enum(["removed", "reverted", "already gone", "left", "conflict"]), detail: z.string().optional(), diff: z.string().optional() }).strict()),
    conflicts: z.array(z.string()),
    checks: z.array(step).optional(),
    error: z.string().optional(),
    exitCode: z.number().int(),
  })
  .strict();
export const errorReportSchema = z.object({ ok: z.literal(false), error: z.string(), exitCode: z.literal(2) }).strict();

export type RunReportJson = z.output<typeof runReportSchema>;

/** Parse a --json document and check it against the schema. */
export function jsonReport(stdout: string): RunReportJson {
  return runReportSchema.parse(JSON.parse(stdout));
}

/** A key press or text for runInPty: "<enter>", "<down>", "<space>", "<ctrl-c>", or text to type. */
export type PtyStep = [expect: string, send: string];

export interface PtyResult {
  /** Everything the terminal showed, ANSI codes left out. */
  output: string;
  /** The exit code, or "timeout" (with the step that was waited for in the output). */
  exit: number | "timeout";
}

/**
 * Run an installed bin in a real pseudo-terminal (test/e2e/run_in_pty.py),
 * answering each prompt when its text shows, with real key presses.
 */
export async function runInPty(cwd: string, bin: "gen" | "create-otp-app", args: string[], steps: PtyStep[]): Promise<PtyResult> {
  const r = await execa("python3", [path.join(REPO, "test/e2e/run_in_pty.py"), cwd, JSON.stringify(steps), path.join(binDir(), bin), ...args], {
    reject: false,
    env: { XDG_CACHE_HOME: cacheHome },
  });
  const lines = r.stdout.trimEnd().split("\n");
  const last = lines.pop() ?? "";
  const code = last.replace(/^exit=/, "");
  return { output: lines.join("\n").replace(/\r+\n/g, "\n"), exit: code === "timeout" ? "timeout" : Number(code) };
}
