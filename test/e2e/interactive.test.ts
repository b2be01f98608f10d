// Every generator at a real terminal (a pseudo-terminal, real key presses),
// through the installed package: the questions and their defaults, answers
// that reach the code, a bad answer re-asked, and Ctrl-C leaving the project
// byte-identical. A prompt run is compared with the flag-driven run of the same
// options, tree for tree: a flag, a prompt and an answers file never disagree.
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { WRITE_QUESTION, copyOf, elixirGates, expectGatesPass, phoenixUnformatted, snapshot, tempDir } from "../helpers.js";
import { FIXTURES, fixtureCopy, runInPty, runOk, treeHash, unparsable, type PtyStep } from "./packed.js";

const W = WRITE_QUESTION;
const M = "Module name";
const U = "Start it under which supervisor?";
const down = (n: number): string => "<down>".repeat(n);
const clear = (n: number): string => "<backspace>".repeat(n);
const TYPES = ["string", "text", "integer", "float", "decimal", "boolean", "date", "time", "naive_datetime", "utc_datetime", "uuid", "binary", "map", "enum", "references", "array"];
/** Keys that pick `type` in the field type list (string is preselected). */
const type = (t: string): string => `${down(TYPES.indexOf(t))}<enter>`;

/**
 * A project's files, migrations' timestamps left out (two runs a second apart
 * name them differently). In a run's record the options are left out too: a
 * prompt records the value it offered (the table, the strategy) where the
 * flags leave it to the generator to derive; the files are what must agree.
 */
function filesOf(dir: string): Record<string, string> {
  const stamp = (t: string): string => t.replace(/(migrations\/)\d{14}_/g, "$1TIMESTAMP_");
  return Object.fromEntries(
    Object.entries(snapshot(dir)).map(([p, c]) => {
      if (!p.includes(".otpgen/runs/")) return [stamp(p), c];
      const { options: _options, ...record } = JSON.parse(c) as Record<string, unknown>;
      return [stamp(p), stamp(JSON.stringify(record, null, 2))];
    }),
  );
}

interface Flow {
  gen: string;
  project: "otp" | "phx";
  /** Enter at every question (the name typed): the question sequence, ending at the confirm. */
  defaults: PtyStep[];
  /** The flags that give the same files as `defaults`. */
  defaultFlags: string[];
  /** Answers other than the defaults... */
  custom: PtyStep[];
  /** ...and the flags that give the same files. */
  customFlags: string[];
  /** Where a non-default answer shows in the code. */
  reaches: [file: string, text: string];
  /** A bad answer, re-asked with the rule, then a good one, to the end (none where every question is a list or yes/no). */
  bad?: PtyStep[];
  /** The flags that give the same files as `bad` (default: defaultFlags). */
  badFlags?: string[];
  /** Text every default run shows (a default, or a choice's explanation). */
  shows?: string[];
}

const name = (n: string): PtyStep => [M, `${n}<enter>`];
const badName = (good: string): PtyStep[] => [
  [M, "bad name<enter>"],
  ["must start with an uppercase letter", `${clear(8)}${good}<enter>`],
];

const FLOWS: Flow[] = [
  {
    gen: "genserver",
    project: "otp",
    defaults: [name("Ticker"), ["Features", "<enter>"], [U, "<enter>"], [W, ""]],
    defaultFlags: ["Ticker"],
    custom: [name("Ticker"), ["Features", "<space><down><space><down><space><enter>"], ["Interval between runs", "5s<enter>"], [U, "<down><enter>"], [W, ""]],
    customFlags: ["Ticker", "--continue", "--every", "5s", "--registry", "--under", "Demo.Workers"],
    reaches: ["lib/demo/ticker.ex", "@default_interval :timer.seconds(5)"],
    // A name that clashes with the project's own module is re-asked too (the rule needs the project).
    bad: [
      [M, "bad name<enter>"],
      ["must start with an uppercase letter", `${clear(8)}Application<enter>`],
      ["Demo.Application already exists as the project's own module", `${clear(11)}Ticker<enter>`],
      ["Features", "<down><space><enter>"],
      ["Interval between runs", "soon<enter>"],
      ["a duration is", `${clear(4)}<enter>`],
      [U, "<enter>"],
      [W, ""],
    ],
    badFlags: ["Ticker", "--every", "30s"],
    shows: ["Periodic work (the interval is asked next)", "Demo.Workers"],
  },
  {
    gen: "supervisor",
    project: "otp",
    defaults: [name("Pool"), ["Restart strategy", "<enter>"], ["Restarts allowed", "<enter>"], ["The window, in seconds", "<enter>"], [U, "<enter>"], [W, ""]],
    defaultFlags: ["Pool"],
    custom: [name("Pool"), ["Restart strategy", `${down(2)}<enter>`], ["Restarts allowed", "10<enter>"], ["The window, in seconds", "60<enter>"], [U, "<enter>"], [W, ""]],
    customFlags: ["Pool", "--strategy", "rest_for_one", "--max-restarts", "10", "--max-seconds", "60"],
    reaches: ["lib/demo/pool.ex", "strategy: :rest_for_one, max_restarts: 10, max_seconds: 60"],
    bad: [name("Pool"), ["Restart strategy", "<enter>"], ["Restarts allowed", "-1<enter>"], ["--max-restarts must be 0 or more", `${clear(2)}<enter>`], ["The window, in seconds", "<enter>"], [U, "<enter>"], [W, ""]],
    shows: ["a crashed child is restarted alone (independent children)"],
  },
  {
    gen: "dynamic-supervisor",
    project: "otp",
    defaults: [name("Rooms"), ["Restart policy of the workers", "<enter>"], [U, "<enter>"], [W, ""]],
    defaultFlags: ["Rooms"],
    custom: [name("Rooms"), ["Restart policy of the workers", "<down><enter>"], [U, "<enter>"], [W, ""]],
    customFlags: ["Rooms", "--restart", "transient"],
    reaches: ["lib/demo/rooms/worker.ex", "use GenServer, restart: :transient"],
    bad: [...badName("Rooms"), ["Restart policy of the workers", "<enter>"], [U, "<enter>"], [W, ""]],
    shows: ["crashes in some keys never stop the others"],
  },
  ...(["registry", "agent", "task-supervisor"] as const).map((gen): Flow => {
    const n = { registry: "Lookup", agent: "Settings", "task-supervisor": "Jobs" }[gen];
    return {
      gen,
      project: "otp",
      defaults: [name(n), [U, "<enter>"], [W, ""]],
      defaultFlags: [n],
      custom: [name(n), [U, "<down><enter>"], [W, ""]],
      customFlags: [n, "--under", "Demo.Workers"],
      reaches: ["lib/demo/workers.ex", `      Demo.${n}\n`],
      bad: [...badName(n), [U, "<enter>"], [W, ""]],
    };
  }),
  {
    gen: "ets-cache",
    project: "otp",
    defaults: [name("Cache"), ["TTL", "<enter>"], [U, "<enter>"], [W, ""]],
    defaultFlags: ["Cache"],
    custom: [name("Cache"), ["TTL", "15m<enter>"], [U, "<enter>"], [W, ""]],
    customFlags: ["Cache", "--ttl", "15m"],
    reaches: ["lib/demo/cache.ex", ":timer.minutes(15)"],
    bad: [name("Cache"), ["TTL", "5x<enter>"], ["a duration is", `${clear(2)}15m<enter>`], [U, "<enter>"], [W, ""]],
    badFlags: ["Cache", "--ttl", "15m"],
    shows: ["(Enter for none)"],
  },
  {
    gen: "rate-limiter",
    project: "otp",
    defaults: [name("Limiter"), ["Actions allowed per key", "<enter>"], ["The window", "<enter>"], [U, "<enter>"], [W, ""]],
    defaultFlags: ["Limiter"],
    custom: [name("Limiter"), ["Actions allowed per key", "100<enter>"], ["The window", "1m<enter>"], [U, "<enter>"], [W, ""]],
    customFlags: ["Limiter", "--limit", "100", "--per", "1m"],
    reaches: ["lib/demo/limiter.ex", ":timer.minutes(1)"],
    bad: [name("Limiter"), ["Actions allowed per key", "0<enter>"], ["--limit must be 1 or more", `${clear(1)}5<enter>`], ["The window", "<enter>"], [U, "<enter>"], [W, ""]],
    badFlags: ["Limiter", "--limit", "5"],
    shows: ["(10)", "(1s)"],
  },
  {
    gen: "circuit-breaker",
    project: "otp",
    defaults: [name("Breaker"), ["Percent of calls failing", "<enter>"], ["Calls within the window", "<enter>"], ["The window the failure rate", "<enter>"], ["How long it stays open", "<enter>"], [U, "<enter>"], [W, ""]],
    defaultFlags: ["Breaker"],
    custom: [name("Breaker"), ["Percent of calls failing", "40<enter>"], ["Calls within the window", "10<enter>"], ["The window the failure rate", "5s<enter>"], ["How long it stays open", "10s<enter>"], [U, "<enter>"], [W, ""]],
    customFlags: ["Breaker", "--failure-rate", "40", "--minimum-calls", "10", "--window", "5s", "--reset", "10s"],
    reaches: ["lib/demo/breaker.ex", ":timer.seconds(10)"],
    bad: [name("Breaker"), ["Percent of calls failing", "0<enter>"], ["--failure-rate must be 1 to 100", `${clear(1)}30<enter>`], ["Calls within the window", "<enter>"], ["The window the failure rate", "<enter>"], ["How long it stays open", "later<enter>"], ["a duration is", `${clear(5)}<enter>`], [U, "<enter>"], [W, ""]],
    badFlags: ["Breaker", "--failure-rate", "30"],
    shows: ["(25)", "(20)", "(10s)", "(30s)"],
  },
  {
    gen: "retry",
    project: "otp",
    defaults: [[M, "<enter>"], [W, ""]],
    defaultFlags: [],
    custom: [[M, "Http.Retry<enter>"], [W, ""]],
    customFlags: ["Http.Retry"],
    reaches: ["lib/demo/http/retry.ex", "defmodule Demo.Http.Retry do"],
    bad: [[M, "http retry<enter>"], ["must start with an uppercase letter", `${clear(10)}Retry<enter>`], [W, ""]],
    shows: ["(Retry)"],
  },
  {
    gen: "periodic",
    project: "otp",
    defaults: [name("Sweep"), ["Interval: from the end of one run", "<enter>"], [U, "<enter>"], [W, ""]],
    defaultFlags: ["Sweep"],
    custom: [name("Sweep"), ["Interval: from the end of one run", "1h<enter>"], [U, "<enter>"], [W, ""]],
    customFlags: ["Sweep", "--every", "1h"],
    reaches: ["lib/demo/sweep.ex", ":timer.hours(1)"],
    bad: [name("Sweep"), ["Interval: from the end of one run", "0s<enter>"], ["a duration is", `${clear(2)}<enter>`], [U, "<enter>"], [W, ""]],
    shows: ["(1m)"],
  },
  {
    gen: "singleton",
    project: "otp",
    defaults: [name("Leader"), [U, "<enter>"], [W, ""]],
    defaultFlags: ["Leader"],
    custom: [name("Leader"), [U, "<down><enter>"], [W, ""]],
    customFlags: ["Leader", "--under", "Demo.Workers"],
    reaches: ["lib/demo/workers.ex", "      Demo.Leader.Singleton\n"],
    bad: [...badName("Leader"), [U, "<enter>"], [W, ""]],
  },
  {
    gen: "protocol",
    project: "otp",
    defaults: [name("Describable"), ["Implement it for", "Map,List<enter>"], ["Fall back to an implementation for Any", "<enter>"], [W, ""]],
    defaultFlags: ["Describable", "--for", "Map,List"],
    custom: [name("Describable"), ["Implement it for", "Tuple<enter>"], ["Fall back to an implementation for Any", "y<enter>"], [W, ""]],
    customFlags: ["Describable", "--for", "Tuple", "--fallback-to-any"],
    reaches: ["lib/demo/describable.ex", "defimpl Demo.Describable, for: Any do"],
    bad: [name("Describable"), ["Implement it for", "Any<enter>"], ["pass --fallback-to-any", `${clear(3)}Map,List<enter>`], ["Fall back to an implementation for Any", "<enter>"], [W, ""]],
  },
  {
    gen: "behaviour",
    project: "otp",
    defaults: [name("Storage"), ["Callbacks, separated by", "fetch(id :: term()) :: {:ok, term()} | :error<enter>"], [W, ""]],
    defaultFlags: ["Storage", "--callbacks", "fetch(id :: term()) :: {:ok, term()} | :error"],
    custom: [name("Storage"), ["Callbacks, separated by", "get(key :: atom()) :: term(); put(key :: atom(), value :: term()) :: :ok<enter>"], [W, ""]],
    customFlags: ["Storage", "--callbacks", "get(key :: atom()) :: term(); put(key :: atom(), value :: term()) :: :ok"],
    reaches: ["lib/demo/storage.ex", "@callback put(key :: atom(), value :: term()) :: :ok"],
    bad: [name("Storage"), ["Callbacks, separated by", "fetch(<enter>"], ["write name(arg :: type, ...) :: return_type", `${clear(6)}fetch(id :: term()) :: {:ok, term()} | :error<enter>`], [W, ""]],
  },
  {
    gen: "pool",
    project: "otp",
    defaults: [name("Conns"), ["How many resources", "<enter>"], ["Use Poolboy", "<enter>"], [U, "<enter>"], [W, ""]],
    defaultFlags: ["Conns"],
    custom: [name("Conns"), ["How many resources", "12<enter>"], ["Use Poolboy", "y<enter>"], [U, "<enter>"], [W, ""]],
    customFlags: ["Conns", "--size", "12", "--poolboy"],
    reaches: ["lib/demo/conns.ex", "size: 12"],
    bad: [name("Conns"), ["How many resources", "0<enter>"], ["--size must be 1 or more", `${clear(1)}<enter>`], ["Use Poolboy", "<enter>"], [U, "<enter>"], [W, ""]],
    shows: ["(5)"],
  },
  {
    gen: "pipeline",
    project: "otp",
    defaults: [name("Ingest"), ["The most events a stage asks for", "<enter>"], ["Use Broadway", "<enter>"], [U, "<enter>"], [W, ""]],
    defaultFlags: ["Ingest"],
    custom: [name("Ingest"), ["The most events a stage asks for", "8<enter>"], ["Use Broadway", "y<enter>"], [U, "<enter>"], [W, ""]],
    customFlags: ["Ingest", "--max-demand", "8", "--broadway"],
    reaches: ["lib/demo/ingest.ex", "use Broadway"],
    bad: [name("Ingest"), ["The most events a stage asks for", "1<enter>"], ["--max-demand must be 2 or more", `${clear(1)}<enter>`], ["Use Broadway", "<enter>"], [U, "<enter>"], [W, ""]],
    shows: ["(50)"],
  },
  {
    gen: "mix-task",
    project: "otp",
    defaults: [["Task name", "seed<enter>"], ["What it does, in one line", "<enter>"], ["Its options", "<enter>"], [W, ""]],
    defaultFlags: ["seed"],
    custom: [["Task name", "db.import<enter>"], ["What it does, in one line", "Imports rows.<enter>"], ["Its options", "file:string,limit:integer<enter>"], [W, ""]],
    customFlags: ["db.import", "--description", "Imports rows.", "--switches", "file:string,limit:integer"],
    reaches: ["lib/mix/tasks/demo.db.import.ex", "@switches [file: :string, limit: :integer]"],
    bad: [["Task name", "Seed<enter>"], ["a task name is snake_case", `${clear(4)}seed<enter>`], ["What it does, in one line", "<enter>"], ["Its options", "limit:int<enter>"], ["the type is one of", `${clear(3)}integer<enter>`], [W, ""]],
    badFlags: ["seed", "--switches", "limit:integer"],
    shows: ["(dry_run:boolean)"],
  },
  {
    gen: "cluster",
    project: "otp",
    defaults: [["Clustering strategy in production", "<enter>"], ["Distributed process layer", "<enter>"], [W, ""]],
    defaultFlags: [],
    custom: [["Clustering strategy in production", `${down(2)}<enter>`], ["Distributed process layer", "<down><enter>"], [W, ""]],
    customFlags: ["--strategy", "dns", "--registry", "pg"],
    reaches: ["config/runtime.exs", "Cluster.Strategy.DNSPoll"],
    shows: ["a fixed list of nodes in CLUSTER_NODES; no dependency"],
  },
  {
    gen: "release",
    project: "otp",
    defaults: [["Deployment files", "<enter>"], ["Erlang distribution port", "<enter>"], [W, ""]],
    defaultFlags: [],
    custom: [["Deployment files", "<down><space><enter>"], ["Erlang distribution port", "9200<enter>"], [W, ""]],
    customFlags: ["--k8s", "--dist-port", "9200"],
    reaches: ["k8s/deployment.yaml", "9200"],
    bad: [["Deployment files", "<enter>"], ["Erlang distribution port", "80<enter>"], ["--dist-port must be 1024 to 65535", `${clear(2)}<enter>`], [W, ""]],
    shows: ["(9100)"],
  },
  {
    gen: "telemetry",
    project: "otp",
    defaults: [["Also serve the metrics for Prometheus?", "<enter>"], ["Also trace with OpenTelemetry", "<enter>"], [W, ""]],
    defaultFlags: [],
    custom: [["Also serve the metrics for Prometheus?", "y<enter>"], ["Also trace with OpenTelemetry", "y<enter>"], [W, ""]],
    customFlags: ["--prometheus", "--otel"],
    reaches: ["mix.exs", ":opentelemetry_exporter"],
  },
  {
    gen: "channel",
    project: "phx",
    defaults: [["Channel name", "Room<enter>"], ["Topic pattern", "<enter>"], [W, ""]],
    defaultFlags: ["Room"],
    custom: [["Channel name", "Room<enter>"], ["Topic pattern", "lobby:*<enter>"], [W, ""]],
    customFlags: ["Room", "--topic", "lobby:*"],
    reaches: ["lib/shop_web/channels/room_channel.ex", '"lobby:'],
    bad: [["Channel name", "Room<enter>"], ["Topic pattern", "Lobby!<enter>"], ["a topic pattern is", `${clear(6)}<enter>`], [W, ""]],
    shows: ["(room:*)"],
  },
  {
    gen: "presence",
    project: "phx",
    defaults: [["Presence module name", "<enter>"], [W, ""]],
    defaultFlags: [],
    custom: [["Presence module name", "Tracker<enter>"], [W, ""]],
    customFlags: ["Tracker"],
    reaches: ["lib/shop_web/tracker.ex", "defmodule ShopWeb.Tracker do"],
    bad: [["Presence module name", "tracker<enter>"], ["must start with an uppercase letter", `${clear(7)}<enter>`], [W, ""]],
    shows: ["(Presence)"],
  },
  {
    gen: "live-component",
    project: "phx",
    // The fixture has no LiveView yet: only the name is asked (--live lists them where there are some).
    defaults: [["Component name", "Title<enter>"], [W, ""]],
    defaultFlags: ["Title"],
    custom: [["Component name", "Product.Note<enter>"], [W, ""]],
    customFlags: ["Product.Note"],
    reaches: ["lib/shop_web/product/note_component.ex", "defmodule ShopWeb.Product.NoteComponent do"],
    bad: [["Component name", "title<enter>"], ["must start with an uppercase letter", `${clear(5)}Title<enter>`], [W, ""]],
    badFlags: ["Title"],
  },
  {
    gen: "hook",
    project: "phx",
    defaults: [["Hook name", "LocalTime<enter>"], [W, ""]],
    defaultFlags: ["LocalTime"],
    custom: [["Hook name", "Clipboard<enter>"], [W, ""]],
    customFlags: ["Clipboard"],
    reaches: ["lib/shop_web/clipboard.ex", 'phx-hook=".Clipboard"'],
  },
  ...(["context", "live"] as const).map(
    (gen): Flow => ({
      gen,
      project: "phx",
      defaults: [["Context", "Catalog<enter>"], ["Schema", "Product<enter>"], ["Table name", "<enter>"], ["Add a field?", "<enter>"], [W, ""]],
      defaultFlags: ["Catalog", "Product"],
      custom: [
        ["Context", "Catalog<enter>"],
        ["Schema", "Product<enter>"],
        ["Table name", "items<enter>"],
        ["Add a field?", "y<enter>"],
        ["Field 1: name", "title<enter>"],
        ["Type of title", "<enter>"],
        ["Modifiers of title", "<space><enter>"],
        ["Add another field?", "y<enter>"],
        ["Field 2: name", "status<enter>"],
        ["Type of status", type("enum")],
        ["Values of status", "draft, published<enter>"],
        ["Modifiers of status", "<enter>"],
        ["Add another field?", "<enter>"],
        [W, ""],
      ],
      customFlags: ["Catalog", "Product", "--table", "items", "title:string:unique", "status:enum:draft,published"],
      reaches: ["lib/shop/catalog/product.ex", 'schema "items" do'],
      bad: [
        ["Context", "Catalog<enter>"],
        ["Schema", "Product<enter>"],
        ["Table name", "<enter>"],
        ["Add a field?", "y<enter>"],
        ["Field 1: name", "Title<enter>"],
        ["a field name starts with a lowercase letter", `${clear(5)}title<enter>`],
        ["Type of title", "<enter>"],
        ["Modifiers of title", "<enter>"],
        ["Add another field?", "<enter>"],
        [W, ""],
      ],
      badFlags: ["Catalog", "Product", "title:string"],
      shows: ["(products)"],
    }),
  ),
];

let otpBase: string;
let phxBase: string;

beforeAll(async () => {
  const root = tempDir();
  await runOk("create-otp-app", ["demo", "--yes", "--no-install", "--no-git", "--no-check", "--no-ci"], root);
  otpBase = path.join(root, "demo");
  // A supervisor of the project's own, for --under to offer.
  await runOk("gen", ["supervisor", "Workers", "--yes", "--no-check"], otpBase);
  phxBase = fixtureCopy("phx_app", "shop");
}, 60_000);

const base = (f: Flow): string => (f.project === "otp" ? otpBase : phxBase);
/** Answer `steps` at a terminal; the confirm at the end is answered with `last`. */
const withLast = (steps: PtyStep[], last: string): PtyStep[] => [...steps.slice(0, -1), [W, last]];

async function flagRun(f: Flow, flags: string[]): Promise<string> {
  const dir = copyOf(base(f));
  await runOk("gen", [f.gen, ...flags, "--yes", "--no-check"], dir);
  return dir;
}

describe.concurrent("each generator at a real terminal", () => {
  for (const f of FLOWS) {
    it(`${f.gen}: Enter through the questions gives the defaults' output; Ctrl-C at the first and the last question writes nothing`, async () => {
      const dir = copyOf(base(f));
      const r = await runInPty(dir, "gen", [f.gen, "--no-check"], withLast(f.defaults, "<enter>"));
      expect(r.exit, r.output).toBe(0);
      expect(r.output).toMatch(/^Plan$/m);
      for (const text of f.shows ?? []) expect(r.output).toContain(text);
      expect(filesOf(dir)).toEqual(filesOf(await flagRun(f, f.defaultFlags)));

      for (const steps of [[[f.defaults[0]?.[0] as string, "<ctrl-c>"]] as PtyStep[], withLast(f.defaults, "<ctrl-c>")]) {
        const untouched = copyOf(base(f));
        const before = treeHash(untouched);
        const c = await runInPty(untouched, "gen", [f.gen, "--no-check"], steps);
        expect(c.exit, c.output).toBe(130);
        expect(c.output).toContain(`gen ${f.gen}: cancelled; nothing was written`);
        expect(treeHash(untouched)).toEqual(before);
      }
    }, 60_000);

    it(`${f.gen}: answers other than the defaults reach the code, as the flags would`, async () => {
      const dir = copyOf(base(f));
      const r = await runInPty(dir, "gen", [f.gen, "--no-check"], withLast(f.custom, "<enter>"));
      expect(r.exit, r.output).toBe(0);
      expect(readFileSync(path.join(dir, f.reaches[0]), "utf8")).toContain(f.reaches[1]);
      expect(filesOf(dir)).toEqual(filesOf(await flagRun(f, f.customFlags)));
    }, 60_000);

    if (f.bad) {
      const bad = f.bad;
      const badFlags = f.badFlags ?? f.defaultFlags;
      it(`${f.gen}: a bad answer is re-asked with the rule, not fatal`, async () => {
        const dir = copyOf(base(f));
        const r = await runInPty(dir, "gen", [f.gen, "--no-check"], withLast(bad, "<enter>"));
        expect(r.exit, r.output).toBe(0);
        expect(filesOf(dir)).toEqual(filesOf(await flagRun(f, badFlags)));
      }, 60_000);
    }
  }
});

describe("a newcomer, by answering questions only", () => {
  it("creates a project, picks gen genserver from the list with periodic work; it passes the gates; --record repeats it", async () => {
    const cwd = tempDir();
    const created = await runInPty(cwd, "create-otp-app", [], [
      ["Project directory", "newbie<enter>"],
      ["App name", "<enter>"],
      ["Module name", "<enter>"],
      ["Extras", "<enter>"],
      ["Initialise a git repository?", "n<enter>"],
      ["Fetch dependencies now", "n<enter>"],
      [W, "<enter>"],
    ]);
    expect(created.exit, created.output).toBe(0);
    const project = path.join(cwd, "newbie");
    const fresh = copyOf(project);
    const record = path.join(tempDir(), "answers.json");

    const r = await runInPty(project, "gen", ["--no-check", "--record", record], [
      ["Which generator?", "genser"],
      ["❯ genserver", "<enter>"],
      [M, "Ticker<enter>"],
      ["Features", "<down><space><enter>"],
      ["Interval between runs", "5s<enter>"],
      [W, "<enter>"],
    ]);
    expect(r.exit, r.output).toBe(0);
    expect(r.output).toContain("A GenServer: client API");
    expect(readFileSync(path.join(project, "lib/newbie/ticker.ex"), "utf8")).toContain("@default_interval :timer.seconds(5)");
    expect(JSON.parse(readFileSync(record, "utf8"))).toMatchObject({ name: "Ticker", every: "5s", continue: false, registry: false });
    await runOk("gen", ["genserver", "--answers", record, "--no-check"], fresh);
    expect(filesOf(fresh)).toEqual(filesOf(project));
    expectGatesPass(await elixirGates(project));
    // The suite's own limit (900 s): the gates build deps on a cold machine, and a loaded one passed 180 s.
  });

  it("adds a LiveView CRUD with four typed fields in a Phoenix app, the same as the flags write, parsed and formatted", async () => {
    const dir = fixtureCopy("phx_app", "shop");
    const r = await runInPty(dir, "gen", ["--no-check"], [
      ["Which generator?", "live"],
      ["❯ live", "<enter>"],
      ["Context", "Catalog<enter>"],
      ["Schema", "Product<enter>"],
      ["Table name", "<enter>"],
      ["Add a field?", "y<enter>"],
      ["Field 1: name", "title<enter>"],
      ["Type of title", "<enter>"],
      ["Modifiers of title", "<enter>"],
      ["Add another field?", "y<enter>"],
      ["Field 2: name", "price<enter>"],
      ["Type of price", type("decimal")],
      ["Modifiers of price", "<enter>"],
      ["Add another field?", "y<enter>"],
      ["Field 3: name", "status<enter>"],
      ["Type of status", type("enum")],
      ["Values of status", "draft,published<enter>"],
      ["Modifiers of status", "<enter>"],
      ["Add another field?", "y<enter>"],
      ["Field 4: name", "published_on<enter>"],
      ["Type of published_on", type("date")],
      ["Modifiers of published_on", "<enter>"],
      ["Add another field?", "<enter>"],
      [W, "<enter>"],
    ]);
    expect(r.exit, r.output).toBe(0);
    const flags = copyOf(phxBase);
    await runOk("gen", ["live", "Catalog", "Product", "title:string", "price:decimal", "status:enum:draft,published", "published_on:date", "--yes", "--no-check"], flags);
    expect(filesOf(dir)).toEqual(filesOf(flags));
    const untouched = snapshot(phxBase);
    const written = Object.entries(snapshot(dir))
      .filter(([p, c]) => /\.(ex|exs)$/.test(p) && untouched[p] !== c)
      .map(([p]) => p);
    expect(written.length).toBeGreaterThan(8);
    expect(await unparsable(dir, written)).toEqual([]);
    expect(await phoenixUnformatted(dir, written)).toBe("");
    const schema = readFileSync(path.join(dir, "lib/shop/catalog/product.ex"), "utf8");
    for (const field of ["field :title, :string", "field :price, :decimal", "field :status, Ecto.Enum, values: [:draft, :published]", "field :published_on, :date"]) {
      expect(schema).toContain(field);
    }
  }, 120_000);

  it("is asked the scope when the app configures several, and 'no scope' gives --no-scope's output", async () => {
    const dir = fixtureCopy("phx_app", "shop");
    cpSync(path.join(FIXTURES, "phx_auth_overlay"), dir, { recursive: true });
    const config = path.join(dir, "config/config.exs");
    writeFileSync(
      config,
      readFileSync(config, "utf8").replace(
        "config :shop,\n  ecto_repos",
        "config :shop, :scopes,\n  organization: [\n    module: Shop.Accounts.Scope,\n    assign_key: :current_scope,\n    access_path: [:organization, :id],\n    schema_key: :org_id,\n    schema_type: :id,\n    schema_table: :organizations\n  ]\n\nconfig :shop,\n  ecto_repos",
      ),
    );
    const flags = copyOf(dir);
    const r = await runInPty(dir, "gen", ["context", "--no-check"], [
      ["Context", "Catalog<enter>"],
      ["Schema", "Product<enter>"],
      ["Table name", "<enter>"],
      ["Add a field?", "<enter>"],
      ["Scope the records by", `${down(2)}<enter>`],
      [W, "<enter>"],
    ]);
    expect(r.exit, r.output).toBe(0);
    expect(r.output).toContain("the default scope");
    await runOk("gen", ["context", "Catalog", "Product", "--no-scope", "--yes", "--no-check"], flags);
    expect(filesOf(dir)).toEqual(filesOf(flags));
    expect(existsSync(path.join(dir, "lib/shop/catalog/product.ex"))).toBe(true);
  }, 60_000);

  it("is asked where the routes go when the router has several browser scopes (live_sessions and pipelines by name, scopes by line), and the answer is --router-scope's output", async () => {
    const dir = fixtureCopy("phx_app", "shop");
    const routerFile = path.join(dir, "lib/shop_web/router.ex");
    const router = readFileSync(routerFile, "utf8");
    const second = '\n  scope "/", ShopWeb do\n    pipe_through [:browser, :require_admin]\n\n    get "/admin", PageController, :admin\n  end\n';
    const at = router.indexOf("\n", router.indexOf("get \"/\", PageController, :home"));
    const end = router.indexOf("  end\n", at) + "  end\n".length;
    writeFileSync(routerFile, router.slice(0, end) + second + router.slice(end));
    const flags = copyOf(dir);
    const printed = copyOf(dir);

    const r = await runInPty(dir, "gen", ["live", "--no-check"], [
      ["Context", "Catalog<enter>"],
      ["Schema", "Product<enter>"],
      ["Table name", "<enter>"],
      ["Add a field?", "<enter>"],
      // "none" is the default (as --yes), last: two down from it (round to the top), the second pipeline by name.
      ["Add the routes where?", `${down(2)}<enter>`],
      [W, "<enter>"],
    ]);
    expect(r.exit, r.output).toBe(0);
    expect(r.output).toContain("--router-scope require_admin");
    await runOk("gen", ["live", "Catalog", "Product", "--router-scope", "require_admin", "--yes", "--no-check"], flags);
    expect(filesOf(dir)).toEqual(filesOf(flags));
    const routed = readFileSync(routerFile, "utf8");
    expect(routed.indexOf('live "/products", ProductLive.Index, :index')).toBeGreaterThan(routed.indexOf(":require_admin"));
    expect(await unparsable(dir, ["lib/shop_web/router.ex"])).toEqual([]);

    // "none": the router is left as it is and the routes are printed, as with --yes.
    const untouched = readFileSync(path.join(printed, "lib/shop_web/router.ex"), "utf8");
    const none = await runInPty(printed, "gen", ["live", "--no-check"], [
      ["Context", "Catalog<enter>"],
      ["Schema", "Product<enter>"],
      ["Table name", "<enter>"],
      ["Add a field?", "<enter>"],
      ["Add the routes where?", "<enter>"],
      [W, "<enter>"],
    ]);
    expect(none.exit, none.output).toBe(0);
    expect(readFileSync(path.join(printed, "lib/shop_web/router.ex"), "utf8")).toBe(untouched);
    expect(none.output).toContain('live "/products", ProductLive.Index, :index');
  }, 120_000);
});
