// Shared test helpers: a captured Io, temp dirs, and the real-Elixir checks.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { expect } from "vitest";
import type { Io, Prompter } from "../src/core/io.js";
import { execaRunner } from "../src/mix/runner.js";

const created: string[] = [];

/** A new temporary directory, removed after the test file (test/setup.ts). */
export function tempDir(prefix = "otpgen-"): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A fresh copy of a project made once per test file, under the same folder name. */
export function copyOf(project: string): string {
  const dir = path.join(tempDir(), path.basename(project));
  cpSync(project, dir, { recursive: true });
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface CapturedIo extends Io {
  out: string[];
  err: string[];
  text(): string;
  errText(): string;
}

const noPrompts: Prompter = {
  input: () => Promise.reject(new Error("unexpected prompt")),
  confirm: () => Promise.reject(new Error("unexpected prompt")),
  select: () => Promise.reject(new Error("unexpected prompt")),
  checkbox: () => Promise.reject(new Error("unexpected prompt")),
  search: () => Promise.reject(new Error("unexpected prompt")),
};

/** The question a run asks at a terminal before writing (its plan shown above it). */
export const WRITE_QUESTION = "Write these changes?";

export function captureIo(cwd: string, overrides: Partial<Io> = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    cwd,
    env: { ...process.env, NO_COLOR: "1" },
    interactive: false,
    color: false,
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    prompter: noPrompts,
    mix: execaRunner,
    ...overrides,
    out,
    err,
    text: () => out.join(""),
    errText: () => err.join(""),
  };
}

/** Every file under dir (relative paths) with its content: a snapshot to compare. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const abs = path.join(d, e);
      if (statSync(abs).isDirectory()) walk(abs);
      else out[path.relative(dir, abs)] = readFileSync(abs, "utf8");
    }
  };
  walk(dir);
  return out;
}

/**
 * mix.exs with its hex dependencies list emptied. Hex itself cannot be
 * installed on the machines this suite runs on (hex.pm is unreachable), and
 * Mix refuses to load a project whose deps have no SCM. The dev-only tool deps
 * (credo, dialyxir, ex_doc) are not used by the generated code, so the code is
 * compiled and tested against this copy, passed to Mix through MIX_EXS. The
 * generated mix.exs itself is checked by mix format and by the assertion below
 * that only the deps list differs.
 */
export function mixExsWithoutHexDeps(source: string): string {
  const stripped = source.replace(/ {2}defp deps do\n {4}\[(?:\n[\s\S]*?\n {4})?\]\n {2}end/, "  defp deps do\n    []\n  end");
  const removed = source.split("\n").filter((l) => !stripped.split("\n").includes(l));
  for (const line of removed) {
    if (/^\s+#/.test(line)) continue; // comments in the list (mix new writes some)
    expect(line).toMatch(/^\s+\{:(credo|dialyxir|ex_doc), "~> [\d.]+", only: .*runtime: false\},?$/);
  }
  return stripped;
}

/** mix.exs with `{:telemetry, "~> 1.0"}` first in deps/0 (a project that has :telemetry). */
export function withTelemetryDep(source: string): string {
  const added = source.replace(/ {2}defp deps do\n {4}\[/, '  defp deps do\n    [\n      {:telemetry, "~> 1.0"},');
  expect(added).not.toBe(source);
  return added;
}

export interface ElixirResult {
  format: { exitCode: number; output: string };
  compile: { exitCode: number; output: string };
  test: { exitCode: number; output: string };
}

async function mix(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = await execa("mix", args, { cwd, env, reject: false, all: true, stdin: "ignore" });
  return { exitCode: r.exitCode ?? 1, output: r.all ?? "" };
}

/** The real gates: mix format --check-formatted, compile --warnings-as-errors, mix test. */
export async function elixirGates(project: string): Promise<ElixirResult> {
  const mixExs = path.join(project, ".otpgen-test-mix.exs");
  writeFileSync(mixExs, mixExsWithoutHexDeps(readFileSync(path.join(project, "mix.exs"), "utf8")));
  try {
    const env = { MIX_EXS: mixExs, MIX_ENV: "test" };
    const format = await mix(["format", "--check-formatted"], project);
    const compile = await mix(["compile", "--warnings-as-errors", "--force"], project, env);
    const test = await mix(["test", "--warnings-as-errors"], project, env);
    return { format, compile, test };
  } finally {
    rmSync(mixExs, { force: true });
  }
}

export function expectGatesPass(r: ElixirResult): void {
  expect(r.format.exitCode, r.format.output).toBe(0);
  expect(r.compile.exitCode, r.compile.output).toBe(0);
  expect(r.compile.output).not.toMatch(/warning/i);
  expect(r.test.exitCode, r.test.output).toBe(0);
  const counts = testCounts(r.test.output);
  expect(counts, r.test.output).toBeDefined();
  expect(counts?.failures).toBe(0);
}

/**
 * ExUnit's closing line, in either form: `3 doctests, 90 tests, 0 failures`
 * (up to 1.19) or `Result: 93 passed (3 doctests, 90 tests)` (1.20).
 */
export function testCounts(output: string): { tests: number; doctests: number; failures: number } | undefined {
  const old = /(?:(\d+) doctests?, )?(\d+) tests?, (\d+) failures?/.exec(output);
  if (old) return { doctests: Number(old[1] ?? 0), tests: Number(old[2]), failures: Number(old[3]) };
  const next = /Result: (?:(\d+) passed)?(?:, )?(?:(\d+) failed)?[^(\n]*(?:\((?:(\d+) doctests?)?(?:, )?(?:(\d+) tests?)?\))?/.exec(output);
  if (!next) return undefined;
  const passed = Number(next[1] ?? 0);
  const failures = Number(next[2] ?? 0);
  const doctests = Number(next[3] ?? 0);
  // Without the breakdown in parentheses (1.20 omits it when there are no doctests), every case is a test.
  const tests = next[4] !== undefined ? Number(next[4]) : passed + failures - doctests;
  return { doctests, tests, failures };
}

/** Files Elixir's formatter would change, with these calls written without parentheses (empty: the default formatter). */
export async function unformatted(dir: string, files: string[], localsWithoutParens = "[]"): Promise<string> {
  const script = `
    opts = [locals_without_parens: ${localsWithoutParens}]
    for f <- System.argv(), src = File.read!(f), IO.iodata_to_binary([Code.format_string!(src, opts), "\\n"]) != src do
      IO.puts("unformatted: " <> f)
    end
  `;
  return (await execa("elixir", ["-e", script, ...files], { cwd: dir, all: true })).all ?? "";
}

/** The Ecto and Phoenix DSLs' calls without parentheses (as their .formatter.exs export them). */
export const PHOENIX_DSLS = `[field: 2, field: 3, timestamps: 0, timestamps: 1, add: 2, add: 3, create: 1, create: 2,
  plug: 1, plug: 2, socket: 2, socket: 3, channel: 2, channel: 3, live: 3, live: 4, get: 3, post: 3, delete: 3,
  pipe_through: 1, live_dashboard: 2, forward: 2, pipeline: 2, scope: 2, scope: 3, live_session: 2, live_session: 3]`;
export const phoenixUnformatted = (dir: string, files: string[]): Promise<string> => unformatted(dir, files, PHOENIX_DSLS);


/**
 * The suite's second Elixir: Debian unstable's (1.20 on OTP 29) in the chroot
 * that scripts/elixir-next.sh makes (setup.sh runs it). Missing, it is an
 * error that says how to make it: the tests that need it fail, never skip.
 */
export function elixirNextRoot(): string {
  const root = process.env.OTPGEN_ELIXIR_NEXT_ROOT ?? "/var/cache/create-otp-app/elixir-next";
  if (!existsSync(path.join(root, ".otpgen-ready")) || !existsSync(path.join(root, "usr/bin/elixir"))) {
    throw new Error(`the newest Elixir's chroot is missing at ${root}; make it with: bash scripts/elixir-next.sh (as root; it needs debootstrap and Debian's unstable suite)`);
  }
  return root;
}

/** Run a command inside the newest Elixir's chroot, in `dir` (a path inside it). */
export async function inElixirNext(dir: string, command: string[], env: Record<string, string> = {}) {
  const root = elixirNextRoot();
  const vars = Object.entries({ HOME: "/root", LANG: "C.UTF-8", PATH: "/usr/local/bin:/usr/bin:/bin", ...env }).map(([k, v]) => `${k}=${v}`);
  const r = await execa("chroot", [root, "/usr/bin/env", "-i", ...vars, "sh", "-c", 'cd "$0" && exec "$@"', dir, ...command], {
    reject: false,
    all: true,
    stdin: "ignore",
  });
  return { exitCode: r.exitCode ?? 1, output: r.all ?? "" };
}

/** A folder inside the chroot for one project, removed after the test file. */
export function elixirNextDir(): { inside: string; outside: string } {
  const root = elixirNextRoot();
  const outside = mkdtempSync(path.join(root, "work", "otpgen-"));
  created.push(outside);
  return { outside, inside: `/${path.relative(root, outside)}` };
}

/** The real gates on the newest Elixir: the project copied into the chroot (without _build and deps), as elixirGates does them. */
export async function elixirNextGates(project: string): Promise<ElixirResult & { version: string }> {
  const { inside, outside } = elixirNextDir();
  const name = path.basename(project);
  cpSync(project, path.join(outside, name), {
    recursive: true,
    filter: (src) => !["_build", "deps", ".otpgen-test-mix.exs"].includes(path.basename(src)) || path.dirname(src) !== project,
  });
  const dir = `${inside}/${name}`;
  writeFileSync(path.join(outside, name, ".otpgen-test-mix.exs"), mixExsWithoutHexDeps(readFileSync(path.join(project, "mix.exs"), "utf8")));
  const env = { MIX_EXS: `${dir}/.otpgen-test-mix.exs`, MIX_ENV: "test" };
  const version = (await inElixirNext(dir, ["elixir", "--short-version"])).output.trim();
  const format = await inElixirNext(dir, ["mix", "format", "--check-formatted"]);
  const compile = await inElixirNext(dir, ["mix", "compile", "--warnings-as-errors", "--force"], env);
  const test = await inElixirNext(dir, ["mix", "test", "--warnings-as-errors"], env);
  return { format, compile, test, version };
}

/**
 * `@spec`s that name a struct literal (`%Scope{}`), found in the AST by real
 * Elixir, as "file:line": credo's SpecWithStruct reports them (a compile-time
 * dependency). Empty when there are none.
 */
export async function specsWithStructs(dir: string, files: string[]): Promise<string[]> {
  const script = `
    for f <- System.argv() do
      f
      |> File.read!()
      |> Code.string_to_quoted!(file: f)
      |> Macro.prewalk([], fn
        {:@, meta, [{:spec, _, [spec]}]} = ast, acc ->
          {_, found} = Macro.prewalk(spec, false, fn
            {:%, _, [_struct, _fields]} = s, _ -> {s, true}
            s, found -> {s, found}
          end)
          {ast, if(found, do: ["#{f}:#{meta[:line]}" | acc], else: acc)}
        ast, acc -> {ast, acc}
      end)
      |> elem(1)
      |> Enum.each(&IO.puts/1)
    end
  `;
  const r = await execa("elixir", ["-e", script, ...files], { cwd: dir, all: true });
  return (r.all ?? "").split("\n").filter((l) => l !== "");
}

/** Two fresh projects in one folder: `ours` by create-otp-app (default extras) and `plain` by `mix new --sup`. */
export async function oursAndPlain(): Promise<{ cwd: string; ours: string; plain: string }> {
  const { createOtpApp } = await import("../src/cli/create-main.js");
  const cwd = tempDir();
  expect(await createOtpApp(["ours", "--yes", "--no-install", "--no-git", "--no-check"], captureIo(cwd))).toBe(0);
  await execa("mix", ["new", "plain", "--sup"], { cwd, stdin: "ignore" });
  return { cwd, ours: path.join(cwd, "ours"), plain: path.join(cwd, "plain") };
}

/** Write `content` to `file` under `dir`, making its folders. */
export function writeIn(dir: string, file: string, content: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), content);
}

/** Run `gen` in-process in `cwd`: its exit code, stdout and stderr. */
export async function runGen(cwd: string, args: string[], overrides: Partial<Io> = {}): Promise<{ code: number; out: string; err: string }> {
  const { gen } = await import("../src/cli/gen-main.js");
  const io = captureIo(cwd, overrides);
  const code = await gen(args, io);
  return { code, out: io.text(), err: io.errText() };
}

/** Bad input: one line naming it and the rule, exit 2, nothing written. */
export async function expectRefused(dir: string, args: string[], message: string): Promise<void> {
  const before = snapshot(dir);
  const r = await runGen(dir, [...args, "--no-check"]);
  expect(r.code).toBe(2);
  expect(r.err.trim().split("\n")).toHaveLength(1);
  expect(r.err).toContain(message);
  expect(snapshot(dir)).toEqual(before);
}

/**
 * `gen behaviour`'s output with Mox left out, as this machine must (Mox comes
 * from hex.pm): its defmock, its config/test.exs line, its test and the dep.
 * What remains (the dispatch, the default implementation and its test) is
 * plain Elixir. `module` is the behaviour, `testFile` the Mox test.
 */
export function withoutMox(dir: string, app: string, module: string, testFile: string): void {
  const edits: [string, string | RegExp][] = [
    ["test/test_helper.exs", `Mox.defmock(${module}Mock, for: ${module})\n`],
    ["config/test.exs", `config :${app}, ${module}, ${module}Mock\n`],
    ["mix.exs", /,\n\s+\{:mox, "~> 1\.2", only: :test\}\n/],
  ];
  for (const [file, text] of edits) {
    const source = readFileSync(path.join(dir, file), "utf8");
    const changed = source.replace(text, typeof text === "string" ? "" : "\n");
    expect(changed, `${file} has no ${String(text)}`).not.toBe(source);
    writeFileSync(path.join(dir, file), changed);
  }
  rmSync(path.join(dir, testFile));
}
