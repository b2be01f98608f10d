// Shared test helpers: a captured Io, temp dirs, and the real-Elixir checks.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { expect, inject } from "vitest";
import { NEXT_CACHE, hostCache } from "./hex.js";
import type { Io, Prompter } from "../src/core/io.js";
import { execaRunner, type MixRunner } from "../src/mix/runner.js";

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

/**
 * Every file under dir (relative paths) with its content: a snapshot to
 * compare. A run's record (.otpgen/runs/ID.json) is there under its
 * generator's name, with its id and times blanked, so that two runs with the
 * same options compare equal and a run that writes nothing still shows.
 */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const abs = path.join(d, e);
      if (statSync(abs).isDirectory()) walk(abs);
      else {
        const rel = path.relative(dir, abs);
        const run = /^(.*\.otpgen\/runs\/)\d{8}-\d{6}-(.+?)(?:-\d+)?\.json$/.exec(rel);
        const content = readFileSync(abs, "utf8");
        if (!run) out[rel] = content;
        else {
          let key = `${run[1]}${run[2]}.json`;
          for (let n = 2; key in out; n++) key = `${run[1]}${run[2]}-${n}.json`;
          out[key] = content.replace(/"(id|at)": "[^"]*"/g, '"$1": "…"');
        }
      }
    }
  };
  walk(dir);
  return out;
}

/** mix.exs with `{:telemetry, "~> 1.0"}` first in deps/0 (a project that has :telemetry), as mix format writes it. */
export function withTelemetryDep(source: string): string {
  // deps on one line (`[]`, or `[{:stream_data, ...}]` after gen ets-cache) become one a line.
  const oneLine = /( {2}defp deps do\n) {4}\[(.*)\]\n/.exec(source);
  const added = oneLine
    ? source.replace(oneLine[0], `${oneLine[1]}    [\n      {:telemetry, "~> 1.0"}${oneLine[2] ? `,\n      ${oneLine[2]}` : ""}\n    ]\n`)
    : source.replace(/ {2}defp deps do\n {4}\[/, '  defp deps do\n    [\n      {:telemetry, "~> 1.0"},');
  expect(added).not.toBe(source);
  return added;
}

export interface Step {
  exitCode: number;
  output: string;
}

export interface ElixirResult {
  version: string;
  /** `mix deps.get` from the registry (../shared/hex, else hex.pm), then the deps built in dev and test (the libraries' own warnings are theirs). */
  deps: Step;
  format: Step;
  /** compile --warnings-as-errors in dev, then in test. */
  compileDev: Step;
  compile: Step;
  /** `mix credo --strict` on the files given (undefined: not run). */
  credo?: Step;
  test: Step;
}

export interface GateOptions {
  /** Files for `mix credo --strict` (the project must have credo); "all": the project's own config and files. */
  credo?: string[] | "all";
  /**
   * Which findings count (by file and line): in a file a generator changed,
   * the lines it wrote. Findings elsewhere are the file's own and are only
   * counted in the step's output. Without it, every finding counts.
   */
  credoLines?: (file: string, line: number) => boolean;
  /** Extra arguments for mix test. */
  testArgs?: string[];
  /** Extra environment for every mix command (e.g. a database URL). */
  env?: Record<string, string>;
}

/** One place a project is built: the host's Elixir, or the newest Elixir's chroot. */
interface Elixir {
  version: string;
  /** The compiled-deps cache, a path on the host. */
  cache: string;
  run(dir: string, args: string[], env?: Record<string, string>): Promise<Step>;
}

let hostElixir: Elixir | undefined;
async function onHost(): Promise<Elixir> {
  if (hostElixir) return hostElixir;
  const hex = inject("hexHost");
  const version = (await execa("elixir", ["-e", 'IO.write("#{System.otp_release()}-#{System.version()}")'])).stdout;
  hostElixir = {
    version,
    cache: path.join(hostCache(), `deps-${version}`),
    run: async (dir, args, env = {}) => {
      const r = await execa("mix", args, { cwd: dir, env: { ...hex, ...env }, reject: false, all: true, stdin: "ignore" });
      return { exitCode: r.exitCode ?? 1, output: r.all ?? "" };
    },
  };
  return hostElixir;
}

let nextElixir: Elixir | undefined;
async function inNext(): Promise<Elixir> {
  if (nextElixir) return nextElixir;
  const root = elixirNextRoot();
  const hex = inject("hexNext");
  const version = (await inElixirNext("/", ["elixir", "-e", 'IO.write("#{System.otp_release()}-#{System.version()}")'])).output.trim();
  nextElixir = {
    version,
    cache: path.join(root, NEXT_CACHE, `deps-${version}`),
    run: (dir, args, env = {}) => inElixirNext(dir, ["mix", ...args], { ...hex, ...env }),
  };
  return nextElixir;
}

/** The environment mix needs on the host for the project's deps (Hex from the registry), for tests that run mix themselves. */
export const hexEnv = (): Record<string, string> => inject("hexHost");

/** `mix deps.get` on the host (the registry's packages); throws with Mix's output when it fails. */
export async function depsGet(dir: string): Promise<void> {
  const r = await (await onHost()).run(dir, ["deps.get"]);
  expect(r.exitCode, r.output).toBe(0);
}

/**
 * Compiled deps are kept per Elixir and mix.lock: `deps/` as built and
 * `_build/{dev,test}/lib/DEP` for each DEP in it, without the `.fetch` marks
 * deps.get leaves (they would make Mix build them again). Restored after
 * deps.get, they make a project's compile build only the project itself.
 */
function depsCacheDir(elixir: Elixir, dir: string): string {
  const lock = existsSync(path.join(dir, "mix.lock")) ? readFileSync(path.join(dir, "mix.lock"), "utf8") : "";
  return path.join(elixir.cache, createHash("sha256").update(lock).digest("hex").slice(0, 20));
}

const ENVS = ["dev", "test"];

function restoreDeps(cache: string, dir: string): void {
  if (!existsSync(cache)) return;
  for (const env of ENVS) {
    if (!existsSync(path.join(cache, env))) continue;
    for (const dep of readdirSync(path.join(cache, env))) {
      const target = path.join(dir, "_build", env, "lib", dep);
      rmSync(target, { recursive: true, force: true });
      cpSync(path.join(cache, env, dep), target, { recursive: true, verbatimSymlinks: true });
    }
  }
  // The fetched sources as they were built: rebar3 deps keep their beams in deps/DEP/ebin.
  const deps = path.join(cache, "deps");
  for (const dep of existsSync(deps) ? readdirSync(deps) : []) {
    const target = path.join(dir, "deps", dep);
    rmSync(target, { recursive: true, force: true });
    cpSync(path.join(cache, "deps", dep), target, { recursive: true, verbatimSymlinks: true });
  }
}

/** Make `cache` by filling a temporary folder and renaming it: parallel workers never see half of one. */
function saveOnce(cache: string, fill: (tmp: string) => void): void {
  if (existsSync(cache)) return;
  const tmp = `${cache}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(path.dirname(cache), { recursive: true });
  fill(tmp);
  try {
    renameSync(tmp, cache);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another worker saved it first
  }
}

function saveDeps(cache: string, dir: string): void {
  saveOnce(cache, (tmp) => fillDeps(tmp, dir));
}

function fillDeps(tmp: string, dir: string): void {
  // A project without deps has no deps/ folder: an empty entry says so.
  const deps = existsSync(path.join(dir, "deps")) ? readdirSync(path.join(dir, "deps")) : [];
  for (const env of ENVS) {
    const lib = path.join(dir, "_build", env, "lib");
    if (!existsSync(lib)) continue;
    for (const dep of readdirSync(lib).filter((d) => deps.includes(d))) {
      cpSync(path.join(lib, dep), path.join(tmp, env, dep), { recursive: true, verbatimSymlinks: true });
      rmSync(path.join(tmp, env, dep, ".mix", "compile.fetch"), { force: true });
    }
  }
  mkdirSync(tmp, { recursive: true });
  for (const dep of deps) {
    cpSync(path.join(dir, "deps", dep), path.join(tmp, "deps", dep), { recursive: true, verbatimSymlinks: true });
    // deps.get's mark that the dep is new, which would make Mix build it again.
    rmSync(path.join(tmp, "deps", dep, ".fetch"), { force: true });
  }
}

const SKIPPED: Step = { exitCode: 1, output: "not run: an earlier gate failed" };

/**
 * The real gates against the real libraries: mix deps.get (from ../shared/hex,
 * else hex.pm), format --check-formatted, compile --warnings-as-errors in dev
 * and in test, credo --strict (files given), and mix test --warnings-as-errors.
 * `dir` is where the project is for `elixir.run` (a path inside the chroot for
 * the newest Elixir); `host` the same folder seen from here.
 */
/** deps.get, then the compiled deps restored from the cache (or built, in dev and test, and saved): one step. */
async function buildDeps(elixir: Elixir, dir: string, host: string, env: Record<string, string>): Promise<Step> {
  const fetched = await elixir.run(dir, ["deps.get"], env);
  if (fetched.exitCode !== 0) return fetched;
  const cache = depsCacheDir(elixir, host);
  restoreDeps(cache, host);
  let deps = fetched;
  for (const mixEnv of ENVS) {
    // deps.loadpaths builds what is not built yet (all of it, or nothing after a restore), as compile would.
    const built = await elixir.run(dir, ["deps.loadpaths"], { ...env, MIX_ENV: mixEnv });
    deps = { exitCode: built.exitCode, output: `${deps.output}\n${built.output}` };
    if (built.exitCode !== 0) return deps;
  }
  saveDeps(cache, host);
  return deps;
}

async function gates(elixir: Elixir, dir: string, host: string, opts: GateOptions): Promise<ElixirResult> {
  const env = opts.env ?? {};
  const deps = await buildDeps(elixir, dir, host, env);
  if (deps.exitCode !== 0) return { version: elixir.version, deps, format: SKIPPED, compileDev: SKIPPED, compile: SKIPPED, test: SKIPPED };
  const format = await elixir.run(dir, ["format", "--check-formatted"], env);
  const compileDev = await elixir.run(dir, ["compile", "--warnings-as-errors", "--force"], { ...env, MIX_ENV: "dev" });
  const compile = await elixir.run(dir, ["compile", "--warnings-as-errors", "--force"], { ...env, MIX_ENV: "test" });
  const credo = opts.credo ? await credoStep(elixir, dir, opts.credo, opts.credoLines, env) : undefined;
  const test = await elixir.run(dir, ["test", "--warnings-as-errors", ...(opts.testArgs ?? [])], { ...env, MIX_ENV: "test" });
  return { version: elixir.version, deps, format, compileDev, compile, credo, test };
}

/**
 * The project's own `mix precommit` (create-otp-app's: format check, compile
 * --warnings-as-errors, credo --strict, dialyzer, test), with its deps already
 * built by the gates. dialyxir's PLTs (priv/plts) are kept beside the compiled
 * deps, by Elixir version and mix.lock: the first run builds them (minutes),
 * later ones only check them.
 */
async function precommit(elixir: Elixir, dir: string, host: string): Promise<Step> {
  const cache = `${depsCacheDir(elixir, host)}-plts`;
  const plts = path.join(host, "priv", "plts");
  if (existsSync(cache)) cpSync(cache, plts, { recursive: true });
  const r = await elixir.run(dir, ["precommit"], { MIX_ENV: "test" });
  if (r.exitCode === 0 && existsSync(plts)) saveOnce(cache, (tmp) => cpSync(plts, tmp, { recursive: true }));
  return r;
}

/** `mix precommit` on the host's Elixir (run the gates first: they fetch and build the deps). */
export async function precommitHost(project: string): Promise<Step> {
  return precommit(await onHost(), project, project);
}

/** `mix precommit` for a project inside the chroot (run the gates first). */
export async function precommitNext(p: NextProject): Promise<Step> {
  return precommit(await inNext(), p.inside, p.outside);
}

async function credoStep(elixir: Elixir, dir: string, files: string[] | "all", lines: GateOptions["credoLines"], env: Record<string, string>): Promise<Step> {
  const args = ["credo", "--strict", ...(lines ? ["--format", "flycheck"] : []), ...(files === "all" ? [] : files)];
  const r = await elixir.run(dir, args, { ...env, MIX_ENV: "test" });
  if (!lines) return r;
  const findings = r.output.split("\n").map((l) => /^(\S+?):(\d+)(?::\d+)?: \w: /.exec(l)).filter((m) => m !== null);
  const counted = findings.filter((m) => lines(m[1] as string, Number(m[2])));
  // credo exits non-zero when it finds anything; what counts here is the findings kept.
  const ran = r.exitCode === 0 || findings.length > 0;
  if (!ran) return r;
  const others = findings.length - counted.length;
  return counted.length > 0
    ? { exitCode: 1, output: counted.map((m) => m.input).join("\n") }
    : { exitCode: 0, output: `found no issues on the lines the generators wrote (${others} elsewhere in the files they changed)` };
}

/** The real gates on the host's Elixir (1.14 here), in the project's own folder. */
export async function elixirGates(project: string, opts: GateOptions = {}): Promise<ElixirResult> {
  return gates(await onHost(), project, project, opts);
}

export function expectGatesPass(r: ElixirResult): void {
  expect(r.deps.exitCode, r.deps.output).toBe(0);
  expect(r.format.exitCode, r.format.output).toBe(0);
  for (const compile of [r.compileDev, r.compile]) {
    expect(compile.exitCode, compile.output).toBe(0);
    expect(compile.output).not.toMatch(/warning/i);
  }
  if (r.credo) {
    expect(r.credo.exitCode, r.credo.output).toBe(0);
    expect(r.credo.output).toMatch(/found no issues|no issues/);
  }
  expect(r.test.exitCode, r.test.output).toBe(0);
  const counts = testCounts(r.test.output);
  expect(counts, r.test.output).toBeDefined();
  expect(counts?.failures).toBe(0);
}

/**
 * ExUnit's closing line, in either form: `3 doctests, 2 properties, 90 tests,
 * 0 failures` (up to 1.19) or `Result: 95 passed (3 doctests, 2 properties,
 * 90 tests)` (1.20); doctests and properties only when there are some.
 */
export function testCounts(output: string): { tests: number; doctests: number; properties: number; failures: number } | undefined {
  const old = /(?:(\d+) doctests?, )?(?:(\d+) propert(?:y|ies), )?(\d+) tests?, (\d+) failures?/.exec(output);
  if (old) return { doctests: Number(old[1] ?? 0), properties: Number(old[2] ?? 0), tests: Number(old[3]), failures: Number(old[4]) };
  const next = /Result: (?:(\d+) passed)?(?:, )?(?:(\d+) failed)?[^(\n]*(?:\((?:(\d+) doctests?)?(?:, )?(?:(\d+) propert(?:y|ies))?(?:, )?(?:(\d+) tests?)?\))?/.exec(output);
  if (!next) return undefined;
  const passed = Number(next[1] ?? 0);
  const failures = Number(next[2] ?? 0);
  const doctests = Number(next[3] ?? 0);
  const properties = Number(next[4] ?? 0);
  // Without the breakdown in parentheses (1.20 omits it when there are no doctests), every case is a test.
  const tests = next[5] !== undefined ? Number(next[5]) : passed + failures - doctests - properties;
  return { doctests, properties, tests, failures };
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
  pipe_through: 1, live_dashboard: 2, forward: 2, pipeline: 2, scope: 2, scope: 3, live_session: 2, live_session: 3,
  attr: 2, attr: 3, slot: 1, slot: 2, slot: 3,
  property: 1, property: 2, check: 1, check: 2, all: :*, assert_enqueued: 1, assert_enqueued: 2, refute_enqueued: 1,
  refute_enqueued: 2]`;
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

/**
 * The product's process runner (Io.mix) for the newest Elixir: `mix` and `git`
 * run inside the chroot with the registry's Hex, paths under the chroot seen
 * from here mapped to theirs inside it (cwd and arguments).
 */
export function nextRunner(): MixRunner {
  const root = elixirNextRoot();
  const inside = (p: string): string => (p.startsWith(`${root}/`) ? `/${path.relative(root, p)}` : p);
  return {
    async run(command, args, opts) {
      const hex = inject("hexNext");
      const r = await inElixirNext(inside(opts.cwd), [command, ...args.map(inside)], hex);
      for (const line of r.output.split("\n")) opts.onLine?.(line);
      return { exitCode: r.exitCode, output: r.output, notFound: false };
    },
  };
}

/** A folder inside the chroot for one project, removed after the test file. */
export function elixirNextDir(): { inside: string; outside: string } {
  const root = elixirNextRoot();
  const outside = mkdtempSync(path.join(root, "work", "otpgen-"));
  created.push(outside);
  return { outside, inside: `/${path.relative(root, outside)}` };
}

/** A project already inside the chroot (`outside` seen from here, `inside` from there): mix with the chroot's Hex. */
export interface NextProject {
  outside: string;
  inside: string;
}

/** mix in a project inside the newest Elixir's chroot, with Hex from the registry. */
export async function mixNext(p: NextProject, args: string[], env: Record<string, string> = {}): Promise<Step> {
  return (await inNext()).run(p.inside, args, env);
}

/** deps.get and the deps built (from the cache when it has them) for a project inside the chroot. */
export async function depsNext(p: NextProject): Promise<Step> {
  return buildDeps(await inNext(), p.inside, p.outside, {});
}

/** The real gates for a project already inside the chroot. */
export async function elixirNextGatesAt(p: NextProject, opts: GateOptions = {}): Promise<ElixirResult> {
  return gates(await inNext(), p.inside, p.outside, opts);
}

/** The real gates on the newest Elixir: the project copied into the chroot (without _build and deps), as elixirGates does them. */
export async function elixirNextGates(project: string, opts: GateOptions = {}): Promise<ElixirResult & { at: NextProject }> {
  const { inside, outside } = elixirNextDir();
  const name = path.basename(project);
  cpSync(project, path.join(outside, name), {
    recursive: true,
    filter: (src) => !["_build", "deps"].includes(path.basename(src)) || path.dirname(src) !== project,
  });
  const at = { inside: `${inside}/${name}`, outside: path.join(outside, name) };
  return { ...(await gates(await inNext(), at.inside, at.outside, opts)), at };
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
