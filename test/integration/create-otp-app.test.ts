import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { createOtpApp } from "../../src/cli/create-main.js";
import { nodeFsOps, type FsOps } from "../../src/core/flush.js";
import type { Prompter } from "../../src/core/io.js";
import { WRITE_QUESTION, captureIo, elixirGates, elixirNextGates, expectGatesPass, snapshot, tempDir } from "../helpers.js";

const QUIET = ["--yes", "--no-install", "--no-git", "--no-check"];
const read = (dir: string, file: string): string => readFileSync(path.join(dir, file), "utf8");

async function create(args: string[], overrides = {}) {
  const cwd = tempDir();
  const io = captureIo(cwd, overrides);
  const code = await createOtpApp(args, io);
  return { cwd, io, code };
}

describe("create-otp-app: generated projects pass real Elixir", () => {
  it("default extras: format, compile --warnings-as-errors and mix test pass", async () => {
    const { cwd, io, code } = await create(["demo", ...QUIET]);
    expect(code, io.errText()).toBe(0);
    const dir = path.join(cwd, "demo");
    expect(Object.keys(snapshot(dir)).sort()).toEqual([
      ".credo.exs", ".formatter.exs", ".github/workflows/ci.yml", ".gitignore", ".otpgen/runs/app.json", "README.md",
      "config/config.exs", "config/dev.exs", "config/prod.exs", "config/runtime.exs", "config/test.exs",
      "lib/demo.ex", "lib/demo/application.ex", "mix.exs", "test/demo/application_test.exs", "test/test_helper.exs",
    ]);
    expectGatesPass(await elixirGates(dir));

    const mixExs = read(dir, "mix.exs");
    expect(mixExs).toContain('elixir: "~> 1.14"');
    expect(mixExs).toContain('{:credo, "~> 1.7", only: [:dev, :test], runtime: false}');
    // Mix 1.14 reads :preferred_cli_env, 1.15+ cli/0 (1.19+ warns about the other): both, the first only on 1.14.
    expect(mixExs).toContain("preferred_cli_env: preferred_cli_env(),");
    expect(mixExs).toContain('if Version.match?(System.version(), "< 1.15.0"), do: [precommit: :test], else: []');
    expect(mixExs).toContain("def cli do\n    [preferred_envs: [precommit: :test]]\n  end");
    expect(mixExs).toMatch(/precommit: \[\s+"format --check-formatted",\s+"compile --warnings-as-errors",\s+"credo --strict",\s+"dialyzer",\s+"test --cover"\s+\]/);
    expect(mixExs).toContain("      test_coverage: [summary: [threshold: 85]],\n");
    expect(read(dir, ".credo.exs")).toContain("{Credo.Check.Readability.Specs, []}");
    expect(read(dir, "lib/demo/application.ex")).toContain("opts = [strategy: :one_for_one, name: Demo.Supervisor]");
  });

  it("no extras: a project with no deps passes the gates and its precommit omits the tools", async () => {
    const { cwd, code, io } = await create(["bare", "--no-credo", "--no-dialyxir", "--no-ex-doc", "--no-ci", ...QUIET]);
    expect(code, io.errText()).toBe(0);
    const dir = path.join(cwd, "bare");
    expect(existsSync(path.join(dir, ".credo.exs"))).toBe(false);
    expect(existsSync(path.join(dir, ".github"))).toBe(false);
    const mixExs = read(dir, "mix.exs");
    expect(mixExs).toContain("  defp deps do\n    []\n  end");
    expect(mixExs).not.toContain("credo");
    expect(mixExs).not.toContain("preferred_cli_env");
    expectGatesPass(await elixirGates(dir));
  });

  it("--app, --module and a hostile --description come out as given, escaped", async () => {
    const description = 'Bills "customers" \\ #{System.halt(1)} """ done';
    const { cwd, code, io } = await create(["services/billing-svc", "--app", "billing", "--module", "Acme.Billing", "--description", description, ...QUIET]);
    expect(code, io.errText()).toBe(0);
    const dir = path.join(cwd, "services/billing-svc");
    expect(read(dir, "lib/billing.ex")).toContain("defmodule Acme.Billing do");
    expect(read(dir, "lib/billing/application.ex")).toContain("name: Acme.Billing.Supervisor");
    expect(read(dir, "mix.exs")).toContain("app: :billing");
    expect(read(dir, "lib/billing.ex")).toContain('Bills "customers" \\\\ \\#{System.halt(1)} \\""" done');
    expectGatesPass(await elixirGates(dir));
  });

  it("--elixir 1.17 writes Mix 1.15+'s cli/0, and passes the gates on the newest Elixir", async () => {
    const { cwd, code } = await create(["modern", "--elixir", "1.17", ...QUIET]);
    expect(code).toBe(0);
    const dir = path.join(cwd, "modern");
    const mixExs = read(dir, "mix.exs");
    expect(mixExs).toContain('elixir: "~> 1.17"');
    expect(mixExs).toContain("def cli do\n    [preferred_envs: [precommit: :test]]\n  end");
    expect(mixExs).not.toContain("preferred_cli_env");
    // Elixir 1.14 refuses a project that requires ~> 1.17: the chroot's 1.20 runs it, credo included.
    expectGatesPass(await elixirNextGates(dir, { credo: "all" }));
  });

  it("the CI workflow is valid YAML pinned to the installed Elixir and OTP", async () => {
    const { cwd } = await create(["ci_app", ...QUIET]);
    const wf = parseYaml(read(path.join(cwd, "ci_app"), ".github/workflows/ci.yml"));
    const steps = wf.jobs.test.steps as { uses?: string; run?: string; with?: Record<string, string> }[];
    const beam = steps.find((s) => s.uses === "erlef/setup-beam@v1");
    expect(beam?.with).toEqual({ "otp-version": "25", "elixir-version": "1.14" });
    expect(steps.map((s) => s.run).filter(Boolean)).toEqual([
      "mix deps.get", "mix deps.unlock --check-unused", "mix format --check-formatted", "mix compile --warnings-as-errors", "mix credo --strict",
      "mix test --cover", "mix dialyzer --plt", "mix dialyzer --format github",
    ]);
    expect(JSON.stringify(wf)).toContain("${{ hashFiles('**/mix.lock') }}");
    expect(wf.concurrency).toEqual({ group: "ci-${{ github.workflow }}-${{ github.ref }}", "cancel-in-progress": true });
  });
});

describe("create-otp-app: the check step", () => {
  it("runs format and compile in the project and reports credo as absent", async () => {
    const { cwd, io, code } = await create(["checked", "--no-credo", "--no-dialyxir", "--no-ex-doc", "--yes", "--no-install", "--no-git", "--json"]);
    expect(code, io.errText()).toBe(0);
    const result = JSON.parse(io.text());
    const steps = Object.fromEntries(result.checks.map((s: { step: string }) => [s.step, s]));
    // Templates emit formatted code: mix format is a safety net that changes nothing.
    expect(steps.format).toMatchObject({ status: "passed", detail: "11 files already formatted" });
    expect(steps.compile.status).toBe("passed");
    expect(steps.credo).toMatchObject({ status: "skipped", detail: "credo is not a dependency of this project" });
    expect(existsSync(path.join(cwd, "checked/_build/dev/lib/checked/ebin/Elixir.Checked.Application.beam"))).toBe(true);
  });

  it("reports unfetched deps (or missing Hex) as skipped with the fixing command, never as a failure", async () => {
    const { io, code } = await create(["withdeps", "--yes", "--no-install", "--no-git", "--json"]);
    expect(code).toBe(0);
    const checks = JSON.parse(io.text()).checks as { step: string; status: string; detail: string }[];
    expect(checks.find((c) => c.step === "format")?.status).toBe("passed");
    expect(checks.some((c) => c.status === "failed")).toBe(false);
    const credo = checks.find((c) => c.step === "credo");
    expect(credo?.status).toBe("skipped");
    expect(credo?.detail).toMatch(/mix deps\.get/);
  });

  it("names the file and line of a compiler warning; --check=strict exits 1 and --rollback-on-fail restores", async () => {
    const cwd = tempDir();
    const dir = path.join(cwd, "broken");
    mkdirSync(path.join(dir, "lib"), { recursive: true });
    writeFileSync(path.join(dir, "lib/bad.ex"), "defmodule Broken.Bad do\n  def f(x) do\n    y = 1\n    x\n  end\nend\n");
    const before = snapshot(dir);
    const io = captureIo(cwd);
    const code = await createOtpApp(
      ["broken", "--force", "--no-credo", "--no-dialyxir", "--no-ex-doc", "--no-ci", "--yes", "--no-install", "--no-git", "--check=strict", "--rollback-on-fail"],
      io,
    );
    expect(code).toBe(1);
    expect(io.text()).toMatch(/✖ compile .*\n\s+lib\/bad\.ex:3 warning: variable "y" is unused/);
    expect(io.text()).toContain("Rolled back");
    const after = snapshot(dir);
    expect(Object.keys(after).filter((f) => !f.startsWith("_build/"))).toEqual(Object.keys(before));
  });

  it("without --check=strict a failing check is reported and the run exits 0", async () => {
    const cwd = tempDir();
    const dir = path.join(cwd, "lenient");
    mkdirSync(path.join(dir, "lib"), { recursive: true });
    writeFileSync(path.join(dir, "lib/bad.ex"), "defmodule Lenient.Bad do\n  def f(x) do\n    y = 1\n    x\n  end\nend\n");
    const io = captureIo(cwd);
    const code = await createOtpApp(["lenient", "--force", "--no-credo", "--no-dialyxir", "--no-ex-doc", "--no-ci", "--yes", "--no-install", "--no-git"], io);
    expect(code).toBe(0);
    expect(io.text()).toMatch(/Checks failed: format, deps passed; compile failed/);
    expect(existsSync(path.join(dir, "mix.exs"))).toBe(true);
  });
});

describe("create-otp-app: git init", () => {
  const gitTask = (io: { text: () => string }) => (JSON.parse(io.text()) as { tasks: { task: string }[] }).tasks.find((t) => t.task === "git init");

  it("initialises a repository in the new project", async () => {
    const { cwd, io, code } = await create(["gitted", "--yes", "--no-install", "--no-check", "--json"]);
    expect(code, io.errText()).toBe(0);
    expect(gitTask(io)).toEqual({ task: "git init", status: "passed", detail: "" });
    expect(readFileSync(path.join(cwd, "gitted/.git/HEAD"), "utf8")).toMatch(/^ref: refs\/heads\//);
  });

  it("a git that fails is a warning with git's own message; no git on PATH is a warning naming it; both exit 0", async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, "broken.gitconfig"), "[core\nbad");
    const broken = await create(["brokengit", "--yes", "--no-install", "--no-check", "--json"], {
      env: { ...process.env, NO_COLOR: "1", GIT_CONFIG_GLOBAL: path.join(cwd, "broken.gitconfig") },
    });
    expect(broken.code, broken.io.errText()).toBe(0);
    expect(gitTask(broken.io)).toEqual({ task: "git init", status: "warning", detail: expect.stringMatching(/^failed: fatal: bad config line 1 in file .*broken\.gitconfig$/) });
    mkdirSync(path.join(cwd, "empty-path"));
    const none = await create(["nogit", "--yes", "--no-install", "--no-check", "--json"], { env: { ...process.env, NO_COLOR: "1", PATH: path.join(cwd, "empty-path") } });
    expect(none.code, none.io.errText()).toBe(0);
    expect(gitTask(none.io)).toEqual({ task: "git init", status: "warning", detail: "git was not found on PATH; skipped" });
    expect(existsSync(path.join(none.cwd, "nogit/.git"))).toBe(false);
  });
});

describe("create-otp-app: bad input, conflicts and safety", () => {
  it.each([
    [["x", "--app", "MyApp"], 'invalid --app "MyApp": an app name must start with a lowercase letter'],
    [["x", "--app", "logger"], 'invalid --app "logger": "logger" is an application shipped with Elixir/OTP'],
    [["x", "--module", "my_app"], 'invalid --module "my_app": each segment of a module name must start with an uppercase letter'],
    [["123"], 'cannot name the app after the directory "123" (an app name must start with a lowercase letter'],
    [["x", "--module", `A${"b".repeat(248)}`], "a module name becomes the atom Elixir.<name>, and an atom holds at most 255 characters (this one has 256)"],
    [["x", "--app", `a${"b".repeat(255)}`], "an atom holds at most 255 characters (this one has 256)"],
    [["x", "--elixir", "latest"], 'invalid --elixir "latest": an Elixir version must look like 1.17'],
    [["x", "--bogus"], "unknown option '--bogus'"],
    [["x", "--check=sometimes"], 'invalid --check "sometimes"'],
  ])("%j: one line naming the input and the rule, exit 2, nothing written", async (args, message) => {
    const { cwd, io, code } = await create([...args, "--yes", ...(args.some((a) => a.startsWith("--check")) ? [] : ["--no-check"])]);
    expect(code).toBe(2);
    expect(io.errText().trim().split("\n")).toHaveLength(1);
    expect(io.errText()).toContain(message);
    expect(snapshot(cwd)).toEqual({});
  });

  it("a directory name that is not an app name is cleaned as a person would (Bad-Name -> bad_name, BadName)", async () => {
    const { cwd, code, io } = await create(["Bad-Name", "--yes", "--no-check"]);
    expect(code, io.errText()).toBe(0);
    const mix = readFileSync(path.join(cwd, "Bad-Name/mix.exs"), "utf8");
    expect(mix).toContain("      app: :bad_name,\n");
    expect(mix).toContain("defmodule BadName.MixProject do");
    expect(existsSync(path.join(cwd, "Bad-Name/lib/bad_name/application.ex"))).toBe(true);
  });

  it("a module name at the atom limit (248 + Elixir.) is accepted", async () => {
    const module = `A${"b".repeat(200)}.C${"d".repeat(45)}`;
    expect(module).toHaveLength(248);
    const { code, io } = await create(["x", "--module", module, "--yes", "--no-check"]);
    expect(code, io.errText()).toBe(0);
  });

  it("without a terminal, a missing directory is an error naming the argument, not a hang", async () => {
    const { cwd, io, code } = await create(["--no-check"]);
    expect(code).toBe(2);
    expect(io.errText()).toBe("create-otp-app: missing <dir> (no terminal to ask at); pass <dir> on the command line\n");
    expect(snapshot(cwd)).toEqual({});
  });

  it("--dry-run prints the unified diff and writes nothing; --json adds the diff per file", async () => {
    const { cwd, io, code } = await create(["dry", "--dry-run", "--yes"]);
    expect(code).toBe(0);
    expect(io.text()).toContain("--- /dev/null\n+++ b/mix.exs");
    expect(io.text()).toContain("+defmodule Dry.MixProject do");
    expect(io.text()).toContain("Dry run: nothing was written.");
    expect(existsSync(path.join(cwd, "dry"))).toBe(false);

    const json = await create(["dry", "--dry-run", "--yes", "--json"]);
    const result = JSON.parse(json.io.text());
    expect(result).toMatchObject({ ok: true, dryRun: true, exitCode: 0 });
    expect(result.files.find((f: { path: string }) => f.path === "mix.exs")).toMatchObject({ action: "create" });
    expect(result.files.find((f: { path: string }) => f.path === "mix.exs").diff).toContain("+  use Mix.Project");
  });

  it("refuses a non-empty directory without --force and changes nothing", async () => {
    const cwd = tempDir();
    mkdirSync(path.join(cwd, "taken/lib"), { recursive: true });
    writeFileSync(path.join(cwd, "taken/mix.exs"), "# mine\n");
    writeFileSync(path.join(cwd, "taken/lib/mine.ex"), "defmodule Mine do\nend\n");
    const before = snapshot(cwd);
    const io = captureIo(cwd);
    expect(await createOtpApp(["taken", ...QUIET], io)).toBe(2);
    expect(io.errText()).toBe(
      'create-otp-app: directory "taken" is not empty; 1 existing files differ and would be overwritten: mix.exs; pass --force to write into it\n',
    );
    expect(snapshot(cwd)).toEqual(before);

    expect(await createOtpApp(["taken", "--force", ...QUIET], captureIo(cwd))).toBe(0);
    expect(read(cwd, "taken/mix.exs")).toContain("defmodule Taken.MixProject do");
    expect(read(cwd, "taken/lib/mine.ex")).toBe("defmodule Mine do\nend\n");
  });

  it("at a terminal, asks once before writing into a non-empty directory", async () => {
    const cwd = tempDir();
    mkdirSync(path.join(cwd, "asked"));
    writeFileSync(path.join(cwd, "asked/mix.exs"), "# mine\n");
    const questions: string[] = [];
    const prompter = (answer: boolean): Prompter => ({
      input: () => Promise.reject(new Error("unexpected")),
      select: () => Promise.reject(new Error("unexpected")),
      checkbox: () => Promise.reject(new Error("unexpected")),
      search: () => Promise.reject(new Error("unexpected")),
      confirm: async ({ message }) => {
        questions.push(message);
        return answer;
      },
    });
    const args = ["asked", "--app", "asked", "--module", "Asked", "--credo", "--dialyxir", "--ex-doc", "--ci", "--no-git", "--no-install", "--no-check"];
    const no = captureIo(cwd, { interactive: true, prompter: prompter(false) });
    expect(await createOtpApp(args, no)).toBe(1);
    expect(read(cwd, "asked/mix.exs")).toBe("# mine\n");
    expect(questions).toEqual(['Directory "asked" is not empty; 1 existing files differ and would be overwritten: mix.exs. Write into it anyway?']);

    expect(await createOtpApp(args, captureIo(cwd, { interactive: true, prompter: prompter(true) }))).toBe(0);
    expect(read(cwd, "asked/mix.exs")).toContain("defmodule Asked.MixProject");
  });

  it("at a terminal, prompts for what is missing (defaults derived) and uses the answers", async () => {
    const asked: string[] = [];
    const prompter: Prompter = {
      input: async ({ message, default: d, validate }) => {
        asked.push(`${message} [${d}]`);
        if (message === "Project directory") return "shop";
        expect(validate?.("Bad Name")).not.toBe(true);
        return d ?? "";
      },
      confirm: async ({ message }) => {
        asked.push(message);
        return message === WRITE_QUESTION;
      },
      select: () => Promise.reject(new Error("unexpected")),
      checkbox: async ({ choices }) => {
        asked.push(`Extras: ${choices.map((c) => c.value).join(",")}`);
        return ["credo"];
      },
      search: () => Promise.reject(new Error("unexpected")),
    };
    const { cwd, code, io } = await create(["--no-check"], { interactive: true, prompter });
    expect(code, io.errText()).toBe(0);
    expect(asked).toEqual([
      "Project directory [undefined]",
      "App name [shop]",
      "Module name [Shop]",
      "Extras: credo,dialyxir,exDoc,ci",
      "Initialise a git repository?",
      "Fetch dependencies now (mix deps.get)?",
      WRITE_QUESTION,
    ]);
    expect(io.text()).toMatch(/^Plan \(in shop\)\n(  create +\S+\n)+  create +test\/test_helper\.exs\n/m);
    const mixExs = read(path.join(cwd, "shop"), "mix.exs");
    expect(mixExs).toContain(":credo");
    expect(mixExs).not.toContain(":dialyxir");
    expect(existsSync(path.join(cwd, "shop/.github"))).toBe(false);
  });

  it("Ctrl-C at a prompt exits cleanly with nothing written", async () => {
    const ctrlC = Object.assign(new Error("User force closed the prompt with SIGINT"), { name: "ExitPromptError" });
    const prompter: Prompter = {
      input: async ({ message }) => {
        if (message === "Project directory") return "interrupted";
        throw ctrlC;
      },
      confirm: () => Promise.reject(ctrlC),
      select: () => Promise.reject(ctrlC),
      checkbox: () => Promise.reject(ctrlC),
      search: () => Promise.reject(ctrlC),
    };
    const { cwd, io, code } = await create(["--no-check"], { interactive: true, prompter });
    expect(code).toBe(130);
    expect(io.errText()).toBe("create-otp-app: cancelled; nothing was written\n");
    expect(snapshot(cwd)).toEqual({});
  });

  it("a write failure midway leaves nothing behind", async () => {
    let writes = 0;
    const fs: FsOps = {
      ...nodeFsOps,
      async writeFile(file, content, mode) {
        if (++writes === 7) throw new Error("ENOSPC: no space left on device");
        return nodeFsOps.writeFile(file, content, mode);
      },
    };
    const { cwd, io, code } = await create(["full", ...QUIET], { fs });
    expect(code).toBe(1);
    expect(io.errText()).toBe("create-otp-app: writing files failed (ENOSPC: no space left on device); no file was changed\n");
    expect(existsSync(path.join(cwd, "full"))).toBe(false);
  });
});
