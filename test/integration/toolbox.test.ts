// The plain-Elixir part of the OTP toolbox: gen mix-task, gen protocol and gen
// singleton, beyond the runs every generator gets (test/runs.ts): bad input,
// a protocol for the project's own struct through the real gates, and what the
// generators say about the project around them.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createOtpApp } from "../../src/cli/create-main.js";
import { gen } from "../../src/cli/gen-main.js";
import { captureIo, copyOf, elixirGates, expectGatesPass, snapshot, tempDir, testCounts, unformatted } from "../helpers.js";
import { unparsable } from "../e2e/packed.js";

let template: string;
beforeAll(async () => {
  const cwd = tempDir();
  expect(await createOtpApp(["app", "--yes", "--no-install", "--no-git", "--no-check", "--no-ci"], captureIo(cwd))).toBe(0);
  template = path.join(cwd, "app");
});

async function run(cwd: string, args: string[]) {
  const io = captureIo(cwd);
  const code = await gen(args, io);
  return { code, out: io.text(), err: io.errText() };
}

const read = (dir: string, file: string): string => readFileSync(path.join(dir, file), "utf8");

describe("bad input: one line naming the input and the rule, exit 2, nothing written", () => {
  it.each([
    [["mix-task", "Seed"], 'invalid <name> "Seed": a task name is snake_case words separated by dots'],
    [["mix-task", "seed", "--switches", "limit:int"], 'invalid --switches "limit:int": switch "limit:int": the type is one of boolean, integer, float, string, count'],
    [["mix-task", "seed", "--switches", "help"], 'switch "help": --help is Mix\'s own (mix help TASK)'],
    [["mix-task", "seed", "--switches", "a:string,a:integer"], 'switch "a" is given twice'],
    [["protocol", "Describable", "--for", "Any"], "Any is not a type to list: pass --fallback-to-any"],
    [["protocol", "Describable", "--for", "Map,Map"], "a type is listed twice"],
    [["protocol", "Describable", "--for", "map"], 'type "map": each segment of a module name must start with an uppercase letter'],
    [["protocol", "Describable", "--for", "App.Missing"], 'invalid --for "App.Missing": no file under lib/ defines App.Missing (generate the struct first)'],
    [["protocol", "Describable", "--for", "Map", "--functions", "Describe"], 'function "Describe": a function name is snake_case'],
    [["singleton", "leader"], 'invalid <name> "leader": each segment of a module name must start with an uppercase letter'],
  ])("gen %j", async (args, message) => {
    const dir = copyOf(template);
    const before = snapshot(dir);
    const r = await run(dir, [...args, "--no-check"]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toContain(message);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("gen protocol for the project's own struct", () => {
  it("implements it for the struct and built-in types, falls back to Any, and passes the gates", async () => {
    const dir = copyOf(template);
    writeFileSync(path.join(dir, "lib/app/user.ex"), 'defmodule App.User do\n  @moduledoc "A user."\n  defstruct [:name]\nend\n');
    const r = await run(dir, ["protocol", "Exportable", "--for", "App.User,Map", "--fallback-to-any", "--functions", "to_csv,to_json", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    const source = read(dir, "lib/app/exportable.ex");
    expect(source).toContain("defimpl App.Exportable, for: App.User do\n  def to_csv(data), do: {App.User, data}");
    expect(source).toContain("@fallback_to_any true");
    expect(source).toContain("@spec to_json(t()) :: term()");
    const test = read(dir, "test/app/exportable_test.exs");
    expect(test).toContain("data = struct(App.User)");
    const gates = await elixirGates(dir);
    expectGatesPass(gates);
    // Two implementations, the fallback, and the application's own test.
    expect(testCounts(gates.test.output)?.tests).toBeGreaterThanOrEqual(4);
  });
});

describe("gen mix-task and Dialyzer", () => {
  it("says to add :mix to the PLT where the project's Dialyzer config lacks it; create-otp-app's has it", async () => {
    const ours = copyOf(template);
    expect(read(ours, "mix.exs")).toContain("plt_add_apps: [:mix]");
    const quiet = await run(ours, ["mix-task", "seed", "--no-check"]);
    expect(quiet.code, quiet.err).toBe(0);
    expect(quiet.out).not.toContain("plt_add_apps");

    const theirs = copyOf(template);
    writeFileSync(path.join(theirs, "mix.exs"), read(theirs, "mix.exs").replace("      plt_add_apps: [:mix],\n", ""));
    const told = await run(theirs, ["mix-task", "seed", "--no-check"]);
    expect(told.code, told.err).toBe(0);
    expect(told.out).toContain("add :mix to Dialyzer's PLT (dialyzer: [plt_add_apps: [:mix]] in mix.exs)");
  });
});

describe("gen behaviour", () => {
  // Mox comes from hex.pm, which this machine cannot reach: the tests that need it are checked for syntax and format.
  const CALLBACKS = "fetch(id :: term()) :: {:ok, term()} | {:error, term()}; store(id :: term(), value :: term()) :: :ok; count() :: non_neg_integer() | nil";

  it("wires the Mox mock into test_helper.exs, config/test.exs and mix.exs (once), and the mock's test is expect/3 with verify_on_exit!", async () => {
    const dir = copyOf(template);
    const r = await run(dir, ["behaviour", "Storage", "--callbacks", CALLBACKS, "--no-check"]);
    expect(r.code, r.err).toBe(0);
    expect(read(dir, "test/test_helper.exs")).toBe("ExUnit.start()\nMox.defmock(App.StorageMock, for: App.Storage)\n");
    expect(read(dir, "config/test.exs")).toMatch(/\nconfig :app, App\.Storage, App\.StorageMock\n$/);
    expect(read(dir, "mix.exs")).toContain('{:mox, "~> 1.2", only: :test}');
    const mockTest = read(dir, "test/app/storage_test.exs");
    expect(mockTest).toContain("setup :verify_on_exit!");
    expect(mockTest).toContain("expect(App.StorageMock, :store, fn id, value ->");
    expect(mockTest).toContain("assert Storage.count() == :count_result");
    // Mox cannot be fetched here: its test is checked for syntax and format only.
    expect(await unparsable(dir, ["test/app/storage_test.exs"])).toEqual([]);
    expect(await unformatted(dir, ["test/app/storage_test.exs"])).toBe("");
    expect(read(dir, "lib/app/storage.ex")).toContain("@implementation Application.compile_env(:app, __MODULE__, App.Storage.Default)");

    const again = await run(dir, ["behaviour", "Storage", "--callbacks", CALLBACKS, "--no-check", "--json"]);
    expect(again.code, again.err).toBe(0);
    expect((JSON.parse(again.out).files as { action: string }[]).every((f) => f.action === "identical")).toBe(true);
  });

  it("with Mox left out (its defmock, config line and test), the dispatch and the default implementation pass the gates", async () => {
    const dir = copyOf(template);
    const r = await run(dir, ["behaviour", "Storage", "--callbacks", CALLBACKS, "--no-check"]);
    expect(r.code, r.err).toBe(0);
    for (const [file, line] of [["test/test_helper.exs", "Mox.defmock(App.StorageMock, for: App.Storage)\n"], ["config/test.exs", "config :app, App.Storage, App.StorageMock\n"]] as const) {
      expect(read(dir, file)).toContain(line);
      writeFileSync(path.join(dir, file), read(dir, file).replace(line, ""));
    }
    rmSync(path.join(dir, "test/app/storage_test.exs"));
    const mixExs = read(dir, "mix.exs");
    expect(mixExs).toMatch(/,\n\s+\{:mox, "~> 1\.2", only: :test\}\n/);
    writeFileSync(path.join(dir, "mix.exs"), mixExs.replace(/,\n\s+\{:mox, "~> 1\.2", only: :test\}\n/, "\n"));
    const gates = await elixirGates(dir);
    expectGatesPass(gates);
    expect(gates.test.output).not.toMatch(/StorageMock/);
    const defaults = read(dir, "lib/app/storage/default.ex");
    expect(defaults).toContain("def fetch(_id), do: {:error, :not_implemented}");
    expect(defaults).toContain("def count, do: nil");
  });

  it("refuses callbacks it cannot read, at exit 2 with nothing written", async () => {
    const dir = copyOf(template);
    const before = snapshot(dir);
    for (const [callbacks, message] of [
      ["fetch(id :: term()", 'invalid --callbacks "fetch(id :: term()": callback "fetch(id :: term()": write name(arg :: type, ...) :: return_type'],
      ["fetch(id)", 'callback "fetch(id)": write name(arg :: type, ...) :: return_type'],
      ["get(a :: t, a :: t) :: t", "two arguments share a name"],
      ["get(a :: t) :: t; get(b :: t) :: t", "callback get/1 is given twice"],
      ["", "give at least one callback"],
    ]) {
      const r = await run(dir, ["behaviour", "Storage", "--callbacks", callbacks as string, "--no-check"]);
      expect(r.code, callbacks).toBe(2);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).toContain(message);
    }
    expect(snapshot(dir)).toEqual(before);
  });
});
