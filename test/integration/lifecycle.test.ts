// The lifecycle of generated code, on real projects with real Elixir: the
// manifest each run leaves, gen status, gen undo and gen upgrade.
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createOtpApp } from "../../src/cli/create-main.js";
import type { Prompter } from "../../src/core/io.js";
import { sha256 } from "../../src/core/hash.js";
import { probeAll } from "../elixir/probe.js";
import { captureIo, copyOf, elixirGates, elixirNextGates, expectGatesPass, runGen, snapshot, tempDir, testCounts, writeIn } from "../helpers.js";

const BARE = ["--yes", "--no-install", "--no-git", "--no-check", "--no-ci", "--no-credo", "--no-dialyxir", "--no-ex-doc"];
const read = (dir: string, file: string): string => readFileSync(path.join(dir, file), "utf8");
const LIB = "lib/life/rate_limiter.ex";
const TEST = "test/life/rate_limiter_test.exs";
const TEMPLATE = ".otpgen/templates/genserver/lib/module.ex.hbs";
const TEST_TEMPLATE = ".otpgen/templates/genserver/test/module_test.exs.hbs";

/** Replace `from` with `to` in a file, failing when `from` is not there. */
function edit(dir: string, file: string, from: string, to: string): void {
  const source = read(dir, file);
  expect(source, `${file} should contain ${from}`).toContain(from);
  writeFileSync(path.join(dir, file), source.replace(from, to));
}

const json = (out: string): Record<string, unknown> => JSON.parse(out) as Record<string, unknown>;
const runs = (dir: string): string[] => readdirSync(path.join(dir, ".otpgen", "runs")).sort();

let template: string;
let ejected: string;
beforeAll(async () => {
  const cwd = tempDir();
  expect(await createOtpApp(["life", ...BARE], captureIo(cwd))).toBe(0);
  template = path.join(cwd, "life");
  // The same project with the genserver templates ejected into the team folder, then a run on them.
  ejected = copyOf(template);
  expect((await runGen(ejected, ["eject", "genserver", "--yes"])).code).toBe(0);
  const r = await runGen(ejected, ["genserver", "RateLimiter", "--no-check"]);
  expect(r.code, r.err).toBe(0);
});

/** A new version of the team's genserver templates: delete/3, its server clause and its test. */
function newTemplateVersion(dir: string): void {
  edit(dir, TEMPLATE, "    GenServer.call(server, {:put, key, value}, timeout)\n  end\n", [
    "    GenServer.call(server, {:put, key, value}, timeout)",
    "  end",
    "",
    '  @doc "Removes `key` and its value, if there is one."',
    "  @spec delete(GenServer.server(), term(), timeout()) :: :ok",
    "  def delete(server, key, timeout \\\\ @default_timeout) do",
    "    GenServer.call(server, {:delete, key}, timeout)",
    "  end",
    "",
  ].join("\n"));
  edit(dir, TEMPLATE, "    {:reply, :ok, %{state | values: Map.put(state.values, key, value)}}\n  end\n", [
    "    {:reply, :ok, %{state | values: Map.put(state.values, key, value)}}",
    "  end",
    "",
    "  def handle_call({:delete, key}, _from, state) do",
    "    {:reply, :ok, %{state | values: Map.delete(state.values, key)}}",
    "  end",
    "",
  ].join("\n"));
  edit(dir, TEST_TEMPLATE, '    assert {{testAlias}}.fetch(server, :key) == {:ok, "value"}\n', [
    '    assert {{testAlias}}.fetch(server, :key) == {:ok, "value"}',
    "    assert {{testAlias}}.delete(server, :key) == :ok",
    "    assert {{testAlias}}.fetch(server, :key) == :error",
    "",
  ].join("\n"));
}

describe("the manifest", () => {
  it("records each run: generator, version, options as validated, and every file with its hash and base; a run that changes nothing records nothing", async () => {
    const dir = copyOf(template);
    const [created] = runs(dir);
    expect(created).toMatch(/^\d{8}-\d{6}-app\.json$/);
    const r = await runGen(dir, ["genserver", "RateLimiter", "--registry", "--no-check", "--json"]);
    expect(r.code, r.err).toBe(0);
    const id = json(r.out).run as string;
    expect(runs(dir)).toEqual([created, `${id}.json`]);
    const record = json(read(dir, `.otpgen/runs/${id}.json`)) as { generator: string; version: string; options: Record<string, unknown>; files: { path: string; action: string; sha256: string; written: string[]; patch?: string[]; patched?: boolean }[] };
    expect(record.generator).toBe("genserver");
    expect(record.version).toBe(JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../package.json"), "utf8")).version);
    expect(record.options).toMatchObject({ name: "RateLimiter", registry: true });
    for (const f of record.files) {
      expect(sha256(read(dir, f.path)), f.path).toBe(f.sha256);
      expect(f.written.join(""), f.path).toBe(read(dir, f.path));
    }
    const app = record.files.find((f) => f.path === "lib/life/application.ex");
    expect(app).toMatchObject({ action: "update", patched: true });
    expect(app?.patch?.filter((l) => l.startsWith("+")).join("")).toContain("{Registry, keys: :unique");
    expect(record.files.find((f) => f.path === LIB)).toMatchObject({ action: "create" });

    // The recorded options are what --answers replays: the same run, again, elsewhere.
    const other = copyOf(template);
    writeIn(other, "answers.json", JSON.stringify(record.options));
    expect((await runGen(other, ["genserver", "--answers", "answers.json", "--no-check"])).code).toBe(0);
    expect(read(other, LIB)).toBe(read(dir, LIB));

    // Again on the same project: every file identical, nothing recorded.
    const again = await runGen(dir, ["genserver", "RateLimiter", "--registry", "--no-check", "--json"]);
    expect(again.code, again.err).toBe(0);
    expect(json(again.out).run).toBeUndefined();
    expect(runs(dir)).toHaveLength(2);
  });

  it("a .otpgen/ holding only runs is not a team folder, so an umbrella's team folder above still applies", async () => {
    const dir = copyOf(template);
    const status = await runGen(dir, ["status", "--json"]);
    expect(status.code, status.err).toBe(0);
    expect((json(status.out).runs as { generator: string; upgrade: { status: string } }[])[0]).toMatchObject({ generator: "app", upgrade: { status: "up to date" } });
  });
});

describe("gen upgrade", () => {
  it("every generator's run, re-planned at once on unchanged templates, is up to date, including defaults that depend on the project (telemetry, cluster strategy, singleton)", async () => {
    const dir = copyOf(template);
    const runs = [
      ["genserver", "Ticker", "--every", "5s", "--registry"], ["supervisor", "Workers"], ["dynamic-supervisor", "Rooms"], ["registry", "Names"],
      ["agent", "Settings"], ["task-supervisor", "Tasks"], ["ets-cache", "Cache", "--ttl", "1m"], ["rate-limiter", "Limiter"],
      ["circuit-breaker", "Breaker"], ["retry"], ["periodic", "Sweep"], ["singleton", "Leader"], ["pool", "Conns"], ["pool", "Old", "--poolboy"],
      ["pipeline", "Events"], ["pipeline", "Batches", "--broadway"], ["flow", "Totals", "--stages", "2"], ["protocol", "Shape", "--for", "Map"], ["mix-task", "seed"],
      // Each of these changes a default of a generator that ran before it.
      ["cluster"], ["telemetry"], ["release", "--k8s"],
      ["rate-limiter", "Limiter2"], ["periodic", "Sweep2"], ["cluster", "--force"],
    ];
    for (const args of runs) {
      const r = await runGen(dir, [...args, "--yes", "--no-check"]);
      expect(r.code, `${args.join(" ")}: ${r.err}`).toBe(0);
    }
    expect(read(dir, "lib/life/limiter2.ex")).toContain(":telemetry.execute(");
    expect(read(dir, "lib/life/limiter.ex")).not.toContain(":telemetry.execute(");
    const r = await runGen(dir, ["upgrade", "--check", "--json"]);
    const report = json(r.out) as { runs: { id: string; status: string }[]; files: unknown[] };
    expect(report.runs.filter((x) => x.status !== "up to date")).toEqual([]);
    expect(report.runs).toHaveLength(runs.length + 1);
    expect(report.files).toEqual([]);
    expect(r.code).toBe(0);

    // --telemetry is asked for by name where there is no :telemetry to emit to: bad input.
    const plain = copyOf(template);
    const before = snapshot(plain);
    const bad = await runGen(plain, ["rate-limiter", "Limiter", "--telemetry", "--no-check"]);
    expect(bad.code).toBe(2);
    expect(bad.err.trim()).toBe('gen rate-limiter: --telemetry needs :telemetry in mix.exs\'s deps (add {:telemetry, "~> 1.0"}, or gen telemetry)');
    expect(snapshot(plain)).toEqual(before);
  });

  it("in a Phoenix app too: context (its migration's name carries a time), live, channel, presence", async () => {
    const dir = copyOf(path.resolve(import.meta.dirname, "../fixtures/phx_app"));
    for (const args of [["context", "Catalog", "Product", "products", "name:string", "price:decimal"], ["live", "Blog", "Post", "posts", "title:string", "body:text"], ["channel", "Room"], ["presence", "Presence"]]) {
      const r = await runGen(dir, [...args, "--yes", "--no-check"]);
      expect(r.code, `${args.join(" ")}: ${r.err}`).toBe(0);
    }
    const r = await runGen(dir, ["upgrade", "--check", "--json"]);
    expect(r.code, r.out).toBe(0);
    expect((json(r.out) as { runs: { status: string }[] }).runs.map((x) => x.status)).toEqual(["up to date", "up to date", "up to date", "up to date"]);
  });

  it("a run of a version that put an app's modules under the module's name (lib/shop2/ in app shop_2) is upgraded in place: the user's edit kept, no second module in lib/shop_2/", async () => {
    const cwd = tempDir();
    expect(await createOtpApp(["shop_2", ...BARE], captureIo(cwd))).toBe(0);
    const dir = path.join(cwd, "shop_2");
    const r = await runGen(dir, ["genserver", "Counter", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(path.join(dir, "lib/shop_2/counter.ex"))).toBe(true);
    // As the earlier version laid the run out: its files and its record under lib/shop2/ and test/shop2/.
    const [record] = runs(dir).filter((f) => f.endsWith("-genserver.json"));
    const recordPath = path.join(dir, ".otpgen", "runs", record as string);
    for (const [now, was] of [["lib/shop_2/counter.ex", "lib/shop2/counter.ex"], ["test/shop_2/counter_test.exs", "test/shop2/counter_test.exs"]] as const) {
      writeIn(dir, was, read(dir, now));
      rmSync(path.join(dir, now));
      writeFileSync(recordPath, read(path.dirname(recordPath), record as string).replace(now, was));
    }
    edit(dir, "lib/shop2/counter.ex", "  use GenServer\n", "  use GenServer\n\n  # Ours.\n");
    const before = snapshot(dir);
    const check = await runGen(dir, ["upgrade", "--check", "--json"]);
    expect(check.code, check.out).toBe(0);
    expect((json(check.out) as { runs: { status: string }[] }).runs.map((x) => x.status)).toEqual(["up to date", "up to date"]);
    const up = await runGen(dir, ["upgrade", "--yes", "--no-mix-check"]);
    expect(up.code, up.err).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(path.join(dir, "lib/shop_2/counter.ex"))).toBe(false);
  });

  it("merges a new template version into a file the user edited in other hunks; the project formats, compiles and passes its tests (with the new test)", async () => {
    const dir = copyOf(ejected);
    edit(dir, LIB, "  A GenServer that keeps a map of values in its state.\n", "  Counts requests per client, in our own words.\n");
    edit(dir, "lib/life/application.ex", "  use Application\n", "  use Application\n\n  # Our note: the order of children matters here.\n");
    newTemplateVersion(dir);

    const status = await runGen(dir, ["status"]);
    expect(status.out).toMatch(/edited\s+lib\/life\/rate_limiter\.ex\s+behind the templates/);
    expect(status.out).toMatch(/as written\s+test\/life\/rate_limiter_test\.exs\s+behind the templates/);

    const check = await runGen(dir, ["upgrade", "--check"]);
    expect(check.code).toBe(1);
    expect(check.out).toContain("Behind the templates: 2 files would change");

    const before = snapshot(dir);
    const dry = await runGen(dir, ["upgrade", "--dry-run", "--json"]);
    expect(dry.code, dry.err).toBe(0);
    const plan = json(dry.out) as { files: { path: string; action: string; diff: string }[]; conflicts: string[] };
    expect(plan.files.map((f) => [f.path, f.action])).toEqual([[TEST, "update"], [LIB, "update"]].sort());
    expect(plan.files.find((f) => f.path === LIB)?.diff).toContain("+  def delete(server, key, timeout \\\\ @default_timeout) do");
    expect(plan.conflicts).toEqual([]);
    expect(snapshot(dir)).toEqual(before);

    const up = await runGen(dir, ["upgrade", "--yes", "--no-mix-check", "--json"]);
    expect(up.code, up.err).toBe(0);
    const outcome = (json(up.out).runs as { generator: string; files: { path: string; outcome: string }[] }[]).find((r) => r.generator === "genserver");
    expect(outcome?.files.filter((f) => f.outcome !== "up to date")).toEqual([
      { path: LIB, outcome: "merged" },
      { path: TEST, outcome: "updated" },
    ]);
    const lib = read(dir, LIB);
    expect(lib).toContain("  Counts requests per client, in our own words.\n");
    expect(read(dir, "lib/life/application.ex")).toContain("# Our note: the order of children matters here.");
    const [probe] = await probeAll([{ source: lib, what: "def:delete" }]);
    expect(probe?.parses).toBe(true);
    expect(probe?.found).toEqual(["defmodule Life.RateLimiter"]);

    // Up to date now; the record's base is the new output, and the version is noted.
    expect((await runGen(dir, ["upgrade", "--check"])).code).toBe(0);
    const record = JSON.parse(read(dir, `.otpgen/runs/${runs(dir).find((f) => f.includes("genserver"))}`)) as { upgrades: unknown[] };
    expect(record.upgrades).toHaveLength(1);
    // The merged project on both Elixirs: the host's (1.14) and the newest, in the chroot.
    const gates = await elixirGates(dir);
    expectGatesPass(gates);
    expect(testCounts(gates.test.output)?.tests).toBeGreaterThan(0);
    expectGatesPass(await elixirNextGates(dir));
  });

  it("an edit in the same hunk as the template's change: conflict markers, listed, exit 1; --no-conflict-markers leaves the file byte-identical", async () => {
    const dir = copyOf(ejected);
    edit(dir, LIB, "  A GenServer that keeps a map of values in its state.\n", "  Counts requests per client, in our own words.\n");
    edit(dir, TEMPLATE, "{{heredoc description 2}}\n", "{{heredoc description 2}}\n  Owned by the platform team.\n");
    edit(dir, TEMPLATE, "  @moduledoc \"\"\"\n", "  @moduledoc \"\"\"\n  Rate limiting, the team's way.\n");
    const untouched = copyOf(dir);
    const mine = read(dir, LIB);

    // At a terminal the question names the conflicts, and its default is no: Enter writes nothing.
    const asked: { message: string; default?: boolean }[] = [];
    const prompter = { confirm: async (q: { message: string; default?: boolean }) => (asked.push(q), q.default ?? false) } as unknown as Prompter;
    const atTerminal = copyOf(dir);
    const declined = await runGen(atTerminal, ["upgrade"], { interactive: true, prompter });
    expect(declined.code).toBe(1);
    expect(asked).toEqual([{ message: `Write the upgrade of 1 file, 1 with conflict markers (${LIB})?`, default: false }]);
    expect(read(atTerminal, LIB)).toBe(mine);

    const refused = await runGen(untouched, ["upgrade", "--yes", "--no-conflict-markers", "--json"]);
    expect(refused.code).toBe(1);
    expect(json(refused.out).conflicts).toEqual([LIB]);
    expect(read(untouched, LIB)).toBe(mine);

    const r = await runGen(dir, ["upgrade", "--yes"]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/conflict\s+lib\/life\/rate_limiter\.ex/);
    expect(r.out).toContain("Conflicts in 1 file: lib/life/rate_limiter.ex");
    const marked = read(dir, LIB);
    expect(marked).toMatch(/<<<<<<< lib\/life\/rate_limiter\.ex \(yours\)\n(?:.*\n)*?  Counts requests per client, in our own words\.\n=======\n/);
    expect(marked).toMatch(/=======\n(?:.*\n)*?  Owned by the platform team\.\n>>>>>>> lib\/life\/rate_limiter\.ex \(genserver, \d+\.\d+\.\d+\)\n/);
    // Until the markers are resolved, status says so and --check fails.
    expect((await runGen(dir, ["status"])).out).toMatch(/conflicted\s+lib\/life\/rate_limiter\.ex/);
    expect((await runGen(dir, ["upgrade", "--check"])).code).toBe(1);
  });
});

describe("a team's plop generator", () => {
  const plopfile = (body: string, owner = false): string => `export default function (plop) {
  plop.setGenerator("service", {
    description: "A team service module",
    prompts: [{ type: "input", name: "name", message: "Service name" }],
    actions: [
      { type: "add", path: "lib/{{project.app}}/{{snakeCase name}}.ex", template: ${JSON.stringify(body)} },
      { type: "append", path: "README.md", template: "- {{pascalCase name}} service" },
      ${owner ? '{ type: "append", path: "README.md", template: "  (owned by the {{name}} team)" },' : ""}
    ],
  });
}
`;
  const v1 = '# Service.\ndefmodule {{project.module}}.{{pascalCase name}} do\n  @moduledoc "The {{name}} service."\n\n  @doc "Its name."\n  @spec name() :: String.t()\n  def name, do: "{{name}}"\nend\n';
  const v2 = v1.replace("  def name, do: \"{{name}}\"\n", '  def name, do: "{{name}}"\n\n  @doc "Its version."\n  @spec version() :: pos_integer()\n  def version, do: 2\n');

  it("its runs are recorded and upgraded too: the template's new function merged under the user's edit; the README re-patched with the new line only", async () => {
    const dir = copyOf(template);
    writeIn(dir, ".otpgen/generators/team.mjs", plopfile(v1));
    const r = await runGen(dir, ["service", "billing", "--no-check", "--json"]);
    expect(r.code, r.err).toBe(0);
    expect(json(r.out).run).toMatch(/-service$/);
    edit(dir, "lib/life/billing.ex", "# Service.\n", "# Service, owned by the billing team.\n");
    // The new version under a new file name: this process has imported team.mjs already (ES modules are cached by URL).
    rmSync(path.join(dir, ".otpgen/generators/team.mjs"));
    writeIn(dir, ".otpgen/generators/team-v2.mjs", plopfile(v2, true));

    const up = await runGen(dir, ["upgrade", "service", "--yes", "--no-mix-check"]);
    expect(up.code, up.out + up.err).toBe(0);
    const lib = read(dir, "lib/life/billing.ex");
    expect(lib.startsWith("# Service, owned by the billing team.\n")).toBe(true);
    expect(lib).toContain("def version, do: 2");
    // The README's patch changed (a second line): the patcher runs again on the README as it is, adding only the new line.
    const readme = read(dir, "README.md");
    expect(readme.match(/- Billing service/g)).toHaveLength(1);
    expect(readme.match(/\(owned by the billing team\)/g)).toHaveLength(1);
    expect(up.out).toMatch(/re-patched\s+README\.md/);
    expect((await runGen(dir, ["upgrade", "--check"])).code).toBe(0);
    const [probe] = await probeAll([{ source: lib, what: "def:version" }]);
    expect(probe).toMatchObject({ parses: true, formatted: true, found: ["defmodule Life.Billing"] });
  });
});

describe("gen undo", () => {
  it("takes back the last run after later edits elsewhere: created files removed, the child taken out of application.ex, the user's edits kept; it compiles and passes", async () => {
    const dir = copyOf(template);
    const original = snapshot(dir);
    const r = await runGen(dir, ["genserver", "RateLimiter", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    edit(dir, "lib/life/application.ex", "  use Application\n", "  use Application\n\n  # Our note, added after the run.\n");

    const before = snapshot(dir);
    const dry = await runGen(dir, ["undo", "--dry-run", "--json"]);
    expect(dry.code, dry.err).toBe(0);
    const planned = json(dry.out) as { files: { path: string; outcome: string; diff?: string }[] };
    expect(planned.files.map((f) => [f.path, f.outcome])).toEqual([
      ["config/config.exs", "reverted"],
      ["lib/life/application.ex", "reverted"],
      [LIB, "removed"],
      [TEST, "removed"],
    ]);
    expect(planned.files.find((f) => f.path === "lib/life/application.ex")?.diff).toContain("-      Life.RateLimiter\n");
    expect(snapshot(dir)).toEqual(before);

    const undone = await runGen(dir, ["undo", "--yes", "--no-mix-check"]);
    expect(undone.code, undone.err).toBe(0);
    expect(existsSync(path.join(dir, LIB))).toBe(false);
    expect(existsSync(path.join(dir, TEST))).toBe(false);
    const app = read(dir, "lib/life/application.ex");
    expect(app).toContain("# Our note, added after the run.");
    const [probe] = await probeAll([{ source: app, what: "children:Life.RateLimiter" }]);
    expect(probe).toMatchObject({ parses: true, formatted: true, found: [] });
    // Everything else is as before the run, but for the note and the record of the undo.
    const now = snapshot(dir);
    for (const [file, content] of Object.entries(original)) {
      if (file !== "lib/life/application.ex") expect(now[file], file).toBe(content);
    }
    const record = Object.entries(now).find(([f]) => f.includes("runs/genserver"))?.[1] as string;
    expect(JSON.parse(record).undone.version).toBeDefined();
    expectGatesPass(await elixirGates(dir));
    expectGatesPass(await elixirNextGates(dir));

    // The project's creation is not taken back; nothing else is left to undo.
    const none = await runGen(dir, ["undo", "--yes"]);
    expect(none.code).toBe(2);
    expect(none.err.trim()).toBe("gen undo: no run to undo: every recorded generator run was undone");
  });

  it("a file edited where the run changed it is named and nothing is taken back; --force takes the run back there too", async () => {
    const dir = copyOf(template);
    expect((await runGen(dir, ["genserver", "RateLimiter", "--no-check"])).code).toBe(0);
    edit(dir, LIB, "  use GenServer\n", "  use GenServer, restart: :transient\n");
    edit(dir, "lib/life/application.ex", "      Life.RateLimiter\n", "      {Life.RateLimiter, name: Life.Limiter}\n");
    const before = snapshot(dir);
    const r = await runGen(dir, ["undo", "--yes", "--json"]);
    expect(r.code).toBe(1);
    expect(json(r.out).conflicts).toEqual(["lib/life/application.ex", LIB]);
    expect(r.err).toContain("lib/life/application.ex (edited where the run changed it)");
    expect(r.err).toContain(`${LIB} (created by the run and edited since)`);
    expect(snapshot(dir)).toEqual(before);

    const forced = await runGen(dir, ["undo", "--yes", "--force", "--no-mix-check"]);
    expect(forced.code, forced.err).toBe(0);
    expect(existsSync(path.join(dir, LIB))).toBe(false);
    const [probe] = await probeAll([{ source: read(dir, "lib/life/application.ex"), what: "children:Life.RateLimiter" }]);
    expect(probe).toMatchObject({ parses: true, found: [] });
  });

  it("an earlier run whose lines a later run touched: named with the later run; --force takes out only its child, the later one's stays, and the project passes", async () => {
    const dir = copyOf(template);
    const alpha = json((await runGen(dir, ["genserver", "Alpha", "--no-check", "--json"])).out).run as string;
    const beta = json((await runGen(dir, ["genserver", "Beta", "--no-check", "--json"])).out).run as string;
    const r = await runGen(dir, ["undo", alpha, "--yes"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`lib/life/application.ex (edited where the run changed it; later runs changed it too (${beta}): undo them first)`);
    const forced = await runGen(dir, ["undo", alpha, "--yes", "--force", "--no-mix-check"]);
    expect(forced.code, forced.err).toBe(0);
    const [gone, kept] = await probeAll([
      { source: read(dir, "lib/life/application.ex"), what: "children:Life.Alpha" },
      { source: read(dir, "lib/life/application.ex"), what: "children:Life.Beta" },
    ]);
    expect(gone).toMatchObject({ parses: true, found: [] });
    expect(kept?.found).toHaveLength(1);
    expect(existsSync(path.join(dir, "lib/life/alpha.ex"))).toBe(false);
    expectGatesPass(await elixirGates(dir));
  });

  it("the review's case: the team removed an earlier run's child by hand; --force keeps every child later runs added, and gen status tells later runs' changes from hand edits", async () => {
    const dir = copyOf(template);
    const ran: Record<string, string> = {};
    for (const [gen, name] of [["agent", "Store"], ["ets-cache", "HotCache"], ["rate-limiter", "ApiLimiter"], ["circuit-breaker", "PaymentsBreaker"]] as const) {
      const r = await runGen(dir, [gen, name, "--no-check", "--json"]);
      expect(r.code, r.err).toBe(0);
      ran[name] = json(r.out).run as string;
    }
    const APP = "lib/life/application.ex";
    const statusOf = async (run: string) => {
      const r = await runGen(dir, ["status", run, "--json"]);
      expect(r.code, r.err).toBe(0);
      const [row] = json(r.out).runs as { files: { path: string; state: string; changedBy?: string[] }[] }[];
      return row?.files.find((f) => f.path === APP);
    };
    // Only later runs changed application.ex since the agent's run: that is not a hand edit.
    const later = [ran.HotCache, ran.ApiLimiter, ran.PaymentsBreaker];
    expect(await statusOf(ran.Store as string)).toMatchObject({ state: "changed by later runs", changedBy: later });
    expect(await statusOf(ran.PaymentsBreaker as string)).toMatchObject({ state: "as written" });
    const text = await runGen(dir, ["status", ran.Store as string]);
    expect(text.out).toMatch(new RegExp(`later runs\\s+${APP.replace(/\./g, "\\.")}\\s+by ${later.join(", ")}`));

    // The team deletes the Store child by hand: now it is an edit, with the later runs named beside it.
    edit(dir, APP, "      Life.Store,\n", "");
    expect(await statusOf(ran.Store as string)).toMatchObject({ state: "edited", changedBy: later });

    const refused = await runGen(dir, ["undo", ran.Store as string, "--yes"]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`later runs changed it too (${later.join(", ")}): undo them first`);

    const forced = await runGen(dir, ["undo", ran.Store as string, "--yes", "--force", "--no-mix-check", "--json"]);
    expect(forced.code, forced.err).toBe(0);
    const app = (json(forced.out).files as { path: string; detail?: string }[]).find((f) => f.path === APP);
    expect(app?.detail).toContain("the run's lines were already gone there: left as it is");
    const source = read(dir, APP);
    const probes = await probeAll(["Store", "HotCache", "ApiLimiter", "PaymentsBreaker"].map((m) => ({ source, what: `children:Life.${m}` })));
    expect(probes.map((p) => p.found.length)).toEqual([0, 1, 1, 1]);
    expect(existsSync(path.join(dir, "lib/life/store.ex"))).toBe(false);
    expectGatesPass(await elixirGates(dir));
  });

  it("at a terminal the plan is shown and one question asked; answering no writes nothing", async () => {
    const dir = copyOf(template);
    expect((await runGen(dir, ["genserver", "Cache", "--no-check"])).code).toBe(0);
    const before = snapshot(dir);
    const asked: string[] = [];
    const prompter = { confirm: async (o: { message: string }) => (asked.push(o.message), false) } as unknown as Prompter;
    const r = await runGen(dir, ["undo"], { interactive: true, prompter });
    expect(r.code).toBe(1);
    expect(asked).toEqual([expect.stringMatching(/^Take back run \d{8}-\d{6}-genserver\?$/)]);
    expect(r.out).toMatch(/remove\s+lib\/life\/cache\.ex/);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("bad input", () => {
  it.each([
    [["undo", "nonesuch"], 'gen undo: no recorded run or generator "nonesuch" in .otpgen/runs/; gen status lists them'],
    [["upgrade", "--bogus"], 'gen upgrade: unknown option "--bogus"; usage: gen upgrade'],
    [["status", "a", "b"], "gen status: one run or generator at most, got a b"],
  ])("gen %j: one line, exit 2, nothing written", async (args, message) => {
    const dir = copyOf(template);
    const before = snapshot(dir);
    const r = await runGen(dir, args);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toContain(message);
    expect(snapshot(dir)).toEqual(before);
  });

  it("a record that is not valid JSON is named, exit 2", async () => {
    const dir = copyOf(template);
    writeIn(dir, ".otpgen/runs/20260101-000000-genserver.json", "{ not json");
    const r = await runGen(dir, ["status"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^gen status: \.otpgen\/runs\/20260101-000000-genserver\.json: not valid JSON/);
  });
});
