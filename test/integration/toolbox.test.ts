// The plain-Elixir part of the OTP toolbox: gen mix-task, gen protocol and gen
// singleton, beyond the runs every generator gets (test/runs.ts): bad input,
// a protocol for the project's own struct through the real gates, and what the
// generators say about the project around them.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { createOtpApp } from "../../src/cli/create-main.js";
import { captureIo, copyOf, expectRefused, hexEnv, runGen, elixirGates, expectGatesPass, snapshot, tempDir, testCounts, unformatted } from "../helpers.js";
import { unparsable } from "../e2e/packed.js";
import type { Prompter } from "../../src/core/io.js";

let template: string;
beforeAll(async () => {
  const cwd = tempDir();
  expect(await createOtpApp(["app", "--yes", "--no-install", "--no-git", "--no-check", "--no-ci"], captureIo(cwd))).toBe(0);
  template = path.join(cwd, "app");
});

const run = runGen;

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
    [["flow", "Totals", "--stages", "0"], 'invalid --stages "0": --stages must be 1 or more'],
    [["flow", "Totals", "--max-demand", "lots"], 'invalid --max-demand "lots": must be a number'],
    [["bench", "Sorting"], 'invalid <name> "Sorting": a benchmark name is snake_case, e.g. order_totals'],
    [["bench", "x", "--for", "total"], 'invalid --for "total": name a function as Module.function/arity, e.g. Shop.Orders.total/1'],
    [["bench", "x", "--for", "App.Missing.total/1"], 'invalid --for "App.Missing.total/1": no file under lib/ defines App.Missing'],
    [["bench", "x", "--for", "App.start/0"], 'invalid --for "App.start/0": App (lib/app.ex) has no public function start/0'],
    [["rate-limiter", "Limiter", "--plug"], "gen rate-limiter --plug works in a Phoenix project (one made by mix phx.new); mix.exs has no :phoenix dependency"],
    [["rate-limiter", "Limiter", "--by", "user"], "--by goes with --plug (the Plug that puts the limiter in a router pipeline)"],
    [["rate-limiter", "Limiter", "--plug", "--pipeline", "Admin"], 'invalid --pipeline "Admin": a pipeline is named like an atom, e.g. browser or api'],
    [["worker", "Digest"], "this project has no Ecto repo, and Oban keeps its jobs in the database: no module under lib/ uses Ecto.Repo"],
    [["worker", "Digest", "--queue", "Mail"], 'invalid --queue "Mail": a queue name is lowercase letters, digits and underscores, starting with a letter'],
    [["worker", "Digest", "--cron", "61 * * * *"], 'invalid --cron "61 * * * *": the minute field "61" must be within 0-59'],
    [["worker", "Digest", "--cron", "every day"], 'invalid --cron "every day": a schedule has five fields (minute hour day-of-month month day-of-week)'],
    [["worker", "Digest", "--cron", "@reboot"], 'invalid --cron "@reboot": @reboot runs at every start of a node, not on a schedule'],
    [["worker", "Digest", "--unique", "1500ms"], 'invalid --unique "1500ms": a unique period is whole seconds (60s, 5m, 1h)'],
    [["worker", "Digest", "--unique", "200h"], 'invalid --unique "200h": a unique period must be at most 168h'],
    [["worker", "Digest", "--timeout", "2h"], 'invalid --timeout "2h": a timeout must be under 1h'],
    [["worker", "Digest", "--max-attempts", "0"], 'invalid --max-attempts "0": --max-attempts must be 1 or more'],
  ])("gen %j", async (args, message) => expectRefused(copyOf(template), args, message));
});

describe("gen pipeline --broadway in a project without config/test.exs (as mix new writes it)", () => {
  it("names the DummyProducer in config/config.exs outside prod only; the app starts in test and the gates pass", async () => {
    const dir = copyOf(template);
    rmSync(path.join(dir, "config"), { recursive: true });
    const r = await run(dir, ["pipeline", "Events", "--broadway", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    // The Logger metadata's block made the file; the producer's block follows it.
    expect(read(dir, "config/config.exs")).toMatch(
      /^import Config\n[\s\S]*\n# Production names the real one\.\nif config_env\(\) != :prod do\n  config :app, App\.Events, producer: \{Broadway\.DummyProducer, \[\]\}\nend\n$/,
    );
    // Read by Elixir's Config.Reader: the producer in test, none in prod.
    const producer = async (env: string): Promise<string> =>
      (await execa("elixir", ["-e", `IO.inspect(Config.Reader.read!("config/config.exs", env: :${env})[:app][App.Events])`], { cwd: dir })).stdout;
    expect(await producer("test")).toBe("[producer: {Broadway.DummyProducer, []}]");
    expect(await producer("prod")).toBe("nil");
    expectGatesPass(await elixirGates(dir, { credo: "all" }));
    const again = await run(dir, ["pipeline", "Events", "--broadway", "--no-check", "--json"]);
    expect((JSON.parse(again.out).files as { action: string }[]).every((f) => f.action === "identical")).toBe(true);
  });
});

describe("gen periodic --run-at-start", () => {
  it("makes the first run start at once by default; without it, after one interval", async () => {
    const dir = copyOf(template);
    for (const args of [["periodic", "Boot", "--run-at-start"], ["periodic", "Later"]]) {
      const r = await run(dir, [...args, "--no-check"]);
      expect(r.code, r.err).toBe(0);
    }
    expect(read(dir, "lib/app/boot.ex")).toContain("    drain: 25_000,\n    run_at_start: true\n  ]");
    expect(read(dir, "lib/app/later.ex")).toContain("    drain: 25_000,\n    run_at_start: false\n  ]");
    expectGatesPass(await elixirGates(dir, { credo: "all" }));
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

describe("gen telemetry --otel", () => {
  it("traces with the real SDK: setup_tracing/0 first in start/2, runs as spans, refusals as span events, OTLP only where the environment names a collector; the gates pass", async () => {
    const dir = copyOf(template);
    for (const args of [["periodic", "NightlyReport"], ["rate-limiter", "Api.Throttle"], ["telemetry", "--otel"]]) {
      const r = await run(dir, [...args, "--no-check"]);
      expect(r.code, r.err).toBe(0);
    }
    // The exporter before the SDK (it must start first), and no Phoenix or Ecto instrumentation in a plain project.
    const mix = read(dir, "mix.exs");
    expect(mix.indexOf("{:opentelemetry_exporter,")).toBeLessThan(mix.indexOf("{:opentelemetry,"));
    expect(mix).not.toMatch(/opentelemetry_(phoenix|bandit|ecto)/);
    expect(read(dir, "lib/app/application.ex")).toMatch(/def start\(_type, _args\) do\n {4}App\.Telemetry\.setup_tracing\(\)\n\n {4}children = \[/);
    expect(read(dir, "config/config.exs")).toMatch(/config :opentelemetry,\n {2}resource: \[service: \[name: "app"\]\],\n {2}traces_exporter: :none\n\nimport_config/);
    const gates = await elixirGates(dir, { credo: "all" });
    expectGatesPass(gates);
    // The tracing test's three (a run's span, a refusal's event, the export config) among the rest.
    expect(gates.test.output).not.toMatch(/TelemetryTracingTest.*fail/);
    expect(testCounts(gates.test.output)?.tests).toBeGreaterThanOrEqual(20);
    const again = await run(dir, ["telemetry", "--otel", "--no-check", "--json"]);
    expect((JSON.parse(again.out).files as { action: string }[]).every((f) => f.action === "identical")).toBe(true);
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
    expect(read(dir, "lib/app/storage.ex")).toContain("def implementation, do: Application.get_env(:app, __MODULE__, App.Storage.Default)");

    const again = await run(dir, ["behaviour", "Storage", "--callbacks", CALLBACKS, "--no-check", "--json"]);
    expect(again.code, again.err).toBe(0);
    expect((JSON.parse(again.out).files as { action: string }[]).every((f) => f.action === "identical")).toBe(true);
  });

  it("with the real Mox: compiles in dev and test with --warnings-as-errors (the mock exists only once test_helper.exs runs), credo --strict finds nothing, and the mock's and the default's tests pass", async () => {
    const dir = copyOf(template);
    const r = await run(dir, ["behaviour", "Storage", "--callbacks", CALLBACKS, "--no-check"]);
    expect(r.code, r.err).toBe(0);
    const gates = await elixirGates(dir, { credo: "all", testArgs: ["--trace"] });
    expectGatesPass(gates);
    expect(gates.test.output).toContain("the test config names the mock");
    expect(gates.test.output).toContain("implements every callback of App.Storage");
    const defaults = read(dir, "lib/app/storage/default.ex");
    expect(defaults).toContain("def fetch(_id), do: {:error, :not_implemented}");
    expect(defaults).toContain("def count, do: nil");
  });

  it("in a project without config/test.exs (mix new writes no config/), the mock is named in test_helper.exs instead", async () => {
    const dir = copyOf(template);
    rmSync(path.join(dir, "config"), { recursive: true });
    const r = await run(dir, ["behaviour", "Storage", "--callbacks", CALLBACKS, "--no-check"]);
    expect(r.code, r.err).toBe(0);
    expect(read(dir, "test/test_helper.exs")).toBe("ExUnit.start()\nMox.defmock(App.StorageMock, for: App.Storage)\nApplication.put_env(:app, App.Storage, App.StorageMock)\n");
    expect(r.out).not.toContain("config/test.exs");
  });

  it("a placeholder from the return type read by syntax (a `|` inside a tuple is not an alternative); a test_helper that does not parse is left as it is", async () => {
    const dir = copyOf(template);
    writeFileSync(path.join(dir, "test/test_helper.exs"), "ExUnit.start(\n");
    const r = await run(dir, ["behaviour", "Cache", "--callbacks", "get(key :: atom()) :: {:ok, String.t() | nil} | :error", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    expect(read(dir, "lib/app/cache/default.ex")).toContain("def get(_key), do: :error");
    expect(read(dir, "test/test_helper.exs")).toBe("ExUnit.start(\n");
    expect(r.out).toContain("  test/test_helper.exs does not parse as Elixir: add\n      Mox.defmock(App.CacheMock, for: App.Cache)");
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

describe("gen pool and gen pipeline: what they write (compiled and tested with the real NimblePool, Poolboy, GenStage and Broadway in gen-all and elixir-next, test/runs.ts)", () => {
  /** The generated Elixir files parse and are format-clean; `mix.exs` gained the dep; the child is in the application. */
  async function expectWritten(dir: string, out: string, dep: string, child: string): Promise<string[]> {
    const files = [...out.matchAll(/create +(\S+\.exs?)$/gm)].map((m) => m[1] as string);
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(await unparsable(dir, files)).toEqual([]);
    expect(await unformatted(dir, files)).toBe("");
    expect(read(dir, "mix.exs")).toContain(dep);
    expect(read(dir, "lib/app/application.ex")).toContain(`      ${child}\n`);
    return files;
  }

  it("pool: NimblePool's callbacks and checkout!/3 with a timeout; the size bound, timeout and replacement tested", async () => {
    const dir = copyOf(template);
    const r = await run(dir, ["pool", "ConnectionPool", "--size", "8", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    await expectWritten(dir, r.out, '{:nimble_pool, "~> 1.1"}', "App.ConnectionPool");
    const lib = read(dir, "lib/app/connection_pool.ex");
    for (const text of ["@behaviour NimblePool", "def init_worker(pool_state)", "def handle_checkout(:checkout, _from, resource, pool_state)", "def handle_checkin(:ok, _from, resource, pool_state)", "def terminate_worker(_reason, resource, pool_state)", "opts = Keyword.validate!(opts, size: 8, name: __MODULE__)"]) {
      expect(lib).toContain(text);
    }
    expect(lib).toMatch(/NimblePool\.checkout!\(\s*pool,\s*:checkout,/);
    const test = read(dir, "test/app/connection_pool_test.exs");
    for (const text of ["never lends more resources at once than the pool holds", "exits after its timeout", "a resource that crashes is replaced"]) expect(test).toContain(text);
  });

  it("pool --poolboy: a worker module, :poolboy.child_spec with no overflow, transaction/3", async () => {
    const dir = copyOf(template);
    const r = await run(dir, ["pool", "Ldap.Pool", "--poolboy", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    const files = await expectWritten(dir, r.out, '{:poolboy, "~> 1.5"}', "App.Ldap.Pool");
    expect(files).toContain("lib/app/ldap/pool/worker.ex");
    const lib = read(dir, "lib/app/ldap/pool.ex");
    expect(lib).toContain(":poolboy.child_spec(opts[:name], config, [])");
    expect(lib).toContain("max_overflow: 0");
    expect(lib).toContain(":poolboy.transaction(pool, fun, timeout)");
  });

  it("pipeline: three stages under :rest_for_one, subscribed with min and max demand; a backpressure test", async () => {
    const dir = copyOf(template);
    const r = await run(dir, ["pipeline", "Ingest", "--max-demand", "100", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    await expectWritten(dir, r.out, '{:gen_stage, "~> 1.2"}', "App.Ingest");
    const sup = read(dir, "lib/app/ingest.ex");
    expect(sup).toContain("Supervisor.init(children, strategy: :rest_for_one)");
    expect(sup).toContain("max_demand: max, min_demand: div(max * 3, 4)");
    // Laid out by Elixir's formatter (the plan formats its files).
    expect(sup).toContain("    defaults = [\n      name: __MODULE__,\n      max_demand: 100,\n      max_buffer: 10_000,\n");
    expect(sup).toContain("{Producer, name: stage(name, Producer), max_buffer: opts[:max_buffer]}");
    expect(read(dir, "lib/app/ingest/producer.ex")).toContain("{:reply, {:error, :full}, [], state}");
    expect(read(dir, "lib/app/ingest/processor.ex")).toContain("{:producer_consumer, :ok, subscribe_to: subscribe_to}");
    expect(read(dir, "lib/app/ingest/consumer.ex")).toContain("{:consumer, opts[:handler], subscribe_to: opts[:subscribe_to]}");
    expect(read(dir, "test/app/ingest_test.exs")).toContain("assert buffered >= 100 - 2 * @max_demand");
  });

  it("pipeline --broadway: handle_message/3, handle_batch/4, handle_failed/2; tested with test_message and test_batch on the DummyProducer", async () => {
    const dir = copyOf(template);
    const r = await run(dir, ["pipeline", "Orders.Ingest", "--broadway", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    await expectWritten(dir, r.out, '{:broadway, "~> 1.1"}', "App.Orders.Ingest");
    const lib = read(dir, "lib/app/orders/ingest.ex");
    for (const text of ["use Broadway", "def handle_message(_processor, %Message{} = message, %{process: process})", "def handle_batch(_batcher, messages, _batch_info, _context)", "def handle_failed(messages, _context)", "Broadway.DummyProducer"]) {
      expect(lib).toContain(text);
    }
    const test = read(dir, "test/app/orders/ingest_test.exs");
    expect(test).toContain("Broadway.test_message(name, \"event\")");
    expect(test).toContain("Broadway.test_batch(name, [1, :invalid, 3])");
    // Logger metadata the module logs with is declared, as credo's check wants.
    expect(read(dir, "config/config.exs")).toMatch(/metadata: \[[^\]]*:reason/);
  });

  it("each is idempotent: a second run changes nothing", async () => {
    const dir = copyOf(template);
    for (const args of [["pool", "ConnectionPool"], ["pool", "Ldap.Pool", "--poolboy"], ["pipeline", "Ingest"], ["pipeline", "Orders.Ingest", "--broadway"]]) {
      expect((await run(dir, [...args, "--no-check"])).code).toBe(0);
      const again = await run(dir, [...args, "--no-check", "--json"]);
      expect(again.code, again.err).toBe(0);
      expect((JSON.parse(again.out).files as { path: string; action: string }[]).filter((f) => f.action !== "identical"), args.join(" ")).toEqual([]);
    }
  });
});

describe("gen bench: a Benchee script under bench/, run with mix run", () => {
  it("writes the script, benchee for dev only and the bench alias; with --for, a project function (default arguments counted); the scripts run and report time and memory", async () => {
    const dir = copyOf(template);
    writeFileSync(
      path.join(dir, "lib/app/stats.ex"),
      'defmodule App.Stats do\n  @moduledoc "Statistics."\n\n  @doc "The sum, scaled."\n  @spec total([number()], number()) :: number()\n  def total(list, scale \\\\ 1), do: Enum.sum(list) * scale\nend\n',
    );
    for (const args of [["bench", "sorting"], ["bench", "totals", "--for", "App.Stats.total/1"]]) {
      const r = await run(dir, [...args, "--no-check"]);
      expect(r.code, r.err).toBe(0);
    }
    expect(read(dir, "mix.exs")).toContain('{:benchee, "~> 1.3", only: :dev}');
    expect(read(dir, "mix.exs")).toContain('bench: ["run bench/sorting.exs"]');
    expect(read(dir, ".formatter.exs")).toContain('"bench/*.exs"');
    expect(read(dir, "bench/totals.exs")).toContain('"App.Stats.total/1" => fn input -> App.Stats.total(input) end');
    expectGatesPass(await elixirGates(dir, { credo: "all" }));
    expect(await unformatted(dir, ["bench/sorting.exs", "bench/totals.exs"])).toBe("");
    // mix format's own inputs now take bench/'s scripts: the project's check passes with them.
    const fmt = await execa("mix", ["format", "--check-formatted"], { cwd: dir, env: hexEnv(), reject: false, all: true });
    expect(fmt.exitCode, fmt.all).toBe(0);

    for (const [script, jobs] of [["bench/sorting.exs", ["Enum.map/2", "for comprehension"]], ["bench/totals.exs", ["App.Stats.total/1"]]] as const) {
      const r = await execa("mix", ["run", script], { cwd: dir, env: { ...hexEnv(), BENCH_SECONDS: "0.05" }, reject: false, all: true });
      expect(r.exitCode, r.all).toBe(0);
      // Three inputs, each with its run times and its memory.
      for (const input of ["small (10)", "medium (1,000)", "large (100,000)"]) expect(r.all).toContain(`##### With input ${input} #####`);
      expect(r.all?.match(/Memory usage statistics:/g)).toHaveLength(3);
      for (const job of jobs) expect(r.all).toContain(job);
    }
    const bad = await execa("mix", ["run", "bench/sorting.exs"], { cwd: dir, env: { ...hexEnv(), BENCH_SECONDS: "soon" }, reject: false, all: true });
    expect(bad.all).toContain("BENCH_SECONDS must be a number of seconds above 0");

    const again = await run(dir, ["bench", "sorting", "--no-check", "--json"]);
    expect((JSON.parse(again.out).files as { action: string }[]).every((f) => f.action === "identical")).toBe(true);
  });
});

/** A question asked, with the values offered when it was a choice. */
type Asked = { message: string; choices?: string[] };

/**
 * A prompter answering from `answers` (by the start of each question), else
 * with the question's default (`confirmed` for a yes/no without one); each
 * question is recorded in `asked`.
 */
function scriptedPrompter(answers: Record<string, unknown>, asked: Asked[], confirmed: boolean): Prompter {
  const pick = (message: string, fallback: unknown, choices?: string[]): never => {
    asked.push({ message, ...(choices ? { choices } : {}) });
    const key = Object.keys(answers).find((k) => message.startsWith(k));
    return (key === undefined ? fallback : answers[key]) as never;
  };
  return {
    input: async (o) => pick(o.message, o.default ?? ""),
    confirm: async (o) => pick(o.message, o.default ?? confirmed),
    select: async (o) => pick(o.message, o.default, o.choices.map((c) => String(c.value))),
    checkbox: async (o) => pick(o.message, []),
    search: async (o) => pick(o.message, o.choices[0]?.value),
  };
}

describe("gen worker at a terminal", () => {
  it("asks for the queue (the Oban config's, or a new one), the attempts, uniqueness, a schedule and the timeout; the answers are the flags' run", async () => {
    const dir = copyOf(template);
    writeFileSync(path.join(dir, "lib/app/repo.ex"), 'defmodule App.Repo do\n  use Ecto.Repo, otp_app: :app, adapter: Ecto.Adapters.Postgres\nend\n');
    const asked: Asked[] = [];
    const answering = (answers: Record<string, string>): Prompter => scriptedPrompter(answers, asked, true);
    // No Oban config yet: the queue is a name, defaulting to "default".
    const first = await runGen(dir, ["worker", "Billing.Sweep", "--no-check"], {
      interactive: true,
      prompter: answering({ "Queue name": "billing", Attempts: "5", "Unique for": "60s", "Also run it": "", Timeout: "30m" }),
    });
    expect(first.code, first.err).toBe(0);
    const messages = asked.map((a) => a.message);
    expect(messages.slice(0, 5).map((m) => m.split(/[ :(]/)[0])).toEqual(["Queue", "Attempts", "Unique", "Also", "Timeout"]);
    const sweep = read(dir, "lib/app/billing/sweep.ex");
    expect(sweep).toContain("queue: :billing");
    expect(sweep).toContain("max_attempts: 5");
    expect(sweep).toMatch(/unique: \[period: 60/);
    expect(sweep).not.toContain("Cron");
    expect(read(dir, "config/config.exs")).toContain("queues: [billing: 10]");

    // Now the config runs a queue: it is offered, with a new one; a schedule this time.
    asked.length = 0;
    const second = await runGen(dir, ["worker", "Reports.Nightly", "--no-check"], {
      interactive: true,
      prompter: answering({ "Queue it runs in": "billing", "Also run it": "@daily", "Unique for": "" }),
    });
    expect(second.code, second.err).toBe(0);
    expect(asked[0]?.choices?.[0]).toBe("billing");
    expect(asked[0]?.choices).toHaveLength(2);
    expect(read(dir, "config/config.exs")).toContain("queues: [billing: 10]");
    expect(read(dir, "config/config.exs")).toMatch(/crontab: \[\{"@daily", App\.Reports\.Nightly\}\]/);

    // The same answers as flags give the same files.
    const flags = copyOf(template);
    writeFileSync(path.join(flags, "lib/app/repo.ex"), read(dir, "lib/app/repo.ex"));
    expect((await runGen(flags, ["worker", "Billing.Sweep", "--queue", "billing", "--max-attempts", "5", "--unique", "60s", "--timeout", "30m", "--yes", "--no-check"])).code).toBe(0);
    expect(read(flags, "lib/app/billing/sweep.ex")).toBe(sweep);
  });
});

describe("gen rate-limiter and gen live-component at a terminal, in a Phoenix app", () => {
  const asking = (answers: Record<string, unknown>, asked: Asked[]): Prompter => scriptedPrompter(answers, asked, false);

  it("--plug is offered, then the router's pipelines and what a client is; the answers write what the flags write", async () => {
    const phx = path.resolve(import.meta.dirname, "../fixtures/phx_app");
    const dir = copyOf(phx);
    const asked: Asked[] = [];
    const answers = { "Also a Plug": true, "In which pipeline?": "api", "A client is": "user", "Write these changes?": true };
    const r = await runGen(dir, ["rate-limiter", "Throttle", "--no-check"], { interactive: true, prompter: asking(answers, asked) });
    expect(r.code, r.err).toBe(0);
    expect(asked.find((a) => a.message === "In which pipeline?")?.choices).toEqual(["browser", "api"]);
    expect(read(dir, "lib/shop_web/router.ex")).toMatch(/plug :accepts, \["json"\]\n {4}plug ShopWeb\.Plugs\.Throttle, by: :user\n/);

    const flags = copyOf(phx);
    expect((await runGen(flags, ["rate-limiter", "Throttle", "--plug", "--pipeline", "api", "--by", "user", "--yes", "--no-check"])).code).toBe(0);
    for (const f of ["lib/shop_web/router.ex", "lib/shop_web/plugs/throttle.ex", "test/shop_web/plugs/throttle_test.exs", "lib/shop/throttle.ex"]) expect(read(dir, f), f).toBe(read(flags, f));
  });

  it("--live offers the app's LiveViews, or none", async () => {
    const dir = copyOf(path.resolve(import.meta.dirname, "../fixtures/phx_app"));
    expect((await runGen(dir, ["live", "Catalog", "Product", "products", "name:string", "--yes", "--no-check"])).code).toBe(0);
    const asked: Asked[] = [];
    const answers = { "Which LiveView renders it?": "ShopWeb.ProductLive.Show", "Write these changes?": true };
    const r = await runGen(dir, ["live-component", "Note", "--no-check"], { interactive: true, prompter: asking(answers, asked) });
    expect(r.code, r.err).toBe(0);
    const offered = asked.find((a) => a.message.startsWith("Which LiveView renders it?"))?.choices ?? [];
    expect(offered[0]).toBe("\u0000none");
    expect(offered.slice(1).sort()).toEqual(["ShopWeb.ProductLive.Form", "ShopWeb.ProductLive.Index", "ShopWeb.ProductLive.Show"]);
    expect(read(dir, "lib/shop_web/live/product_live/show.ex")).toContain("def handle_info({ShopWeb.NoteComponent, {:saved, _id, value}}, socket) do");
  });
});

describe("gen hook: the colocated JS, run as the browser runs it", () => {
  it("on mount and reconnect it reports the browser (time zone, language); a push for its element replaces its text, one for another element does not reach it", async () => {
    const dir = copyOf(path.resolve(import.meta.dirname, "../fixtures/phx_app"));
    expect((await runGen(dir, ["live", "Catalog", "Product", "products", "name:string", "--yes", "--no-check"])).code).toBe(0);
    const r = await runGen(dir, ["hook", "LocalTime", "--live", "ProductLive.Show", "--yes", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    const source = read(dir, "lib/shop_web/local_time.ex");
    const script = /<script :type=\{Phoenix\.LiveView\.ColocatedHook\} name="\.LocalTime">\n([\s\S]*?)\n\s*<\/script>/.exec(source)?.[1];
    expect(script).toBeDefined();
    const hook = new Function("navigator", "Intl", (script as string).replace("export default", "return"))({ language: "pt-BR" }, Intl) as Record<string, (...a: unknown[]) => void>;
    const pushed: unknown[][] = [];
    const handlers = new Map<string, (payload: unknown) => void>();
    const page = ["first", "second"].map((id) => ({
      el: { id, textContent: id },
      pushEvent: (...a: unknown[]) => pushed.push(a),
      handleEvent: (event: string, callback: (payload: unknown) => void) => handlers.set(`${event}@${id}`, callback),
    }));
    for (const ctx of page) hook.mounted?.call({ ...ctx, announce: hook.announce });
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(pushed).toEqual([
      ["local_time:mounted", { id: "first", time_zone: zone, language: "pt-BR" }],
      ["local_time:mounted", { id: "second", time_zone: zone, language: "pt-BR" }],
    ]);
    // Each element listens to its own event only: a push for the second is not the first's.
    expect([...handlers.keys()]).toEqual(["local_time:first@first", "local_time:second@second"]);
    handlers.get("local_time:second@second")?.({ text: "hello" });
    expect(page.map((p) => p.el.textContent)).toEqual(["first", "hello"]);
    hook.reconnected?.call({ ...page[0], announce: hook.announce });
    expect(pushed).toHaveLength(3);
    // The LiveView handles the report, with the module aliased (credo); it parses and is formatted.
    const show = read(dir, "lib/shop_web/live/product_live/show.ex");
    expect(show).toContain("  alias ShopWeb.LocalTime\n");
    expect(show).toContain('  def handle_event("local_time:mounted", params, socket) do\n    case LocalTime.browser(params) do');
    expect(await unparsable(dir, ["lib/shop_web/live/product_live/show.ex", "lib/shop_web/local_time.ex", "test/shop_web/local_time_test.exs"])).toEqual([]);
  });
});

describe("gen live-component, gen hook, gen live --upload and gen rate-limiter --plug: bad input in a Phoenix app is one line, exit 2, nothing written", () => {
  let phx: string;
  beforeAll(() => {
    phx = copyOf(path.resolve(import.meta.dirname, "../fixtures/phx_app"));
  });
  it.each([
    [["live-component", "title"], 'invalid <name> "title"'],
    [["live-component", "Component"], 'invalid <name> "Component": name the component, e.g. Title'],
    [["live-component", "Title", "--max-length", "0"], 'invalid --max-length "0": --max-length must be 1 or more'],
    [["live-component", "Title", "--live", "NoSuchLive"], 'invalid --live "NoSuchLive": no file under lib/ defines ShopWeb.NoSuchLive'],
    [["hook", "local_time"], 'invalid <name> "local_time"'],
    [["hook", "LocalTime", "--live", "NoSuchLive"], 'invalid --live "NoSuchLive": no file under lib/ defines ShopWeb.NoSuchLive'],
    [["rate-limiter", "Limiter", "--plug", "--pipeline", "admin"], 'invalid --pipeline "admin": lib/shop_web/router.ex has no pipeline :admin (it has :browser, :api)'],
    [["live", "Catalog", "Product", "products", "name:string", "--upload", "Photo"], 'invalid --upload "Photo": --upload is the name of the field that keeps the file\'s URL, in snake_case (e.g. photo)'],
    [["live", "Catalog", "Product", "products", "photo:string", "--upload", "photo"], "--upload photo: products has a field of that name already; name the upload's field otherwise"],
    [["live", "Catalog", "Product", "products", "name:string", "--accept", "png"], "--accept goes with --upload: name the field that keeps the file's URL, e.g. --upload photo"],
    [["live", "Catalog", "Product", "products", "name:string", "--upload", "photo", "--accept", "png,svg"], 'invalid --accept "png,svg": --accept svg: a .svg file served from this site can run script in its pages; store such files on another domain'],
    [["live", "Catalog", "Product", "products", "name:string", "--upload", "photo", "--accept", "p/g"], 'invalid --accept "p/g": --accept is a list of file extensions, e.g. jpg,png,pdf ("p/g" is not one)'],
    [["rate-limiter", "Limiter", "--plug", "--by", "nobody"], "option '--by <value>' argument 'nobody' is invalid. Allowed choices are ip, user."],
  ])("%j", async (args, message) => {
    await expectRefused(phx, args, message);
  });
});
