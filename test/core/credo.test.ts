// credo's findings reach the report and --json with their category and message,
// whether credo exits (caught by check.exs) or halts the VM. The lines below are
// credo 1.7.19's own output (--format flycheck) as reported from a user's
// machine; and the check step run with the real credo (from ../shared/hex) on
// a project whose deps are fetched.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createOtpApp } from "../../src/cli/create-main.js";
import { parseCredo, runChecks } from "../../src/mix/check.js";
import type { MixRunner } from "../../src/mix/runner.js";
import { captureIo, elixirGates, expectGatesPass, hexEnv, tempDir } from "../helpers.js";

const CREDO_LINE = "lib/demo/check_probe.ex:77: W: Logger metadata key server, unexpected_message not found in Logger config.";

describe("credo's output", () => {
  it("a flycheck line gives the file, the line, the category and the message", () => {
    expect(parseCredo([CREDO_LINE, "lib/demo/x.ex:3:5: R: Modules should have a @moduledoc tag.", "Checking 3 source files ..."])).toEqual([
      { file: "lib/demo/check_probe.ex", line: 77, message: "[W] Logger metadata key server, unexpected_message not found in Logger config." },
      { file: "lib/demo/x.ex", line: 3, message: "[R] Modules should have a @moduledoc tag." },
    ]);
  });

  /** The protocol check.exs speaks on stderr, around credo's own lines. */
  const transcript = (credoEnd: string[]): string[] => [
    "@@otpgen\tbegin\tformat",
    "@@otpgen\tend\tformat\tpassed\t12\t",
    "@@otpgen\tbegin\tdeps",
    "@@otpgen\tend\tdeps\tpassed\t3\t",
    "@@otpgen\tbegin\tcompile",
    "@@otpgen\tend\tcompile\tpassed\t400\t",
    "@@otpgen\tbegin\tcredo",
    CREDO_LINE,
    ...credoEnd,
  ];
  const replay = (lines: string[], exitCode: number): MixRunner => ({
    async run(_command, _args, opts) {
      for (const l of lines) opts.onLine?.(l);
      return { exitCode, output: lines.join("\n"), notFound: false };
    },
  });

  it.each([
    ["credo exits with status 16, caught by check.exs", transcript(["@@otpgen\tend\tcredo\tfailed\t300\texit status 16"]), 0],
    ["credo halts the VM with status 16", transcript([]), 16],
  ])("%s: the finding reaches the report with its message", async (_name, lines, exitCode) => {
    const io = captureIo("/nowhere", { mix: replay(lines, exitCode) });
    const results = await runChecks("/nowhere", ["lib/demo/check_probe.ex"], io);
    const credo = results.find((r) => r.step === "credo");
    expect(credo).toMatchObject({
      status: "failed",
      detail: "credo --strict reported 1 issue",
      problems: [{ file: "lib/demo/check_probe.ex", line: 77, message: "[W] Logger metadata key server, unexpected_message not found in Logger config." }],
    });
  });
});

describe("the check step with the real credo", () => {
  it("passes a clean file, and fails a file credo reports on with credo's own message, file and line", async () => {
    const cwd = tempDir();
    expect(await createOtpApp(["real", "--yes", "--no-install", "--no-git", "--no-check"], captureIo(cwd))).toBe(0);
    const dir = path.join(cwd, "real");
    // The deps fetched and built, as after `mix setup`.
    expectGatesPass(await elixirGates(dir));
    writeFileSync(path.join(dir, "lib/real/clean.ex"), 'defmodule Real.Clean do\n  @moduledoc "Clean."\n\n  @doc "One."\n  @spec one() :: 1\n  def one, do: 1\nend\n');
    writeFileSync(path.join(dir, "lib/real/dirty.ex"), "defmodule Real.Dirty do\n  @spec one() :: 1\n  def one, do: 1\nend\n");
    const io = (): ReturnType<typeof captureIo> => captureIo(dir, { env: { ...process.env, ...hexEnv(), NO_COLOR: "1" } });

    const clean = await runChecks(dir, ["lib/real/clean.ex"], io());
    expect(clean.map((r) => `${r.step}:${r.status}`)).toEqual(["format:passed", "deps:passed", "compile:passed", "credo:passed"]);

    const dirty = await runChecks(dir, ["lib/real/dirty.ex"], io());
    expect(dirty.find((r) => r.step === "credo")).toMatchObject({
      status: "failed",
      detail: "credo --strict reported 1 issue",
      problems: [{ file: "lib/real/dirty.ex", line: 1, message: "[R] Modules should have a @moduledoc tag." }],
    });
  });
});
