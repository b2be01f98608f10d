// gen tree: the supervision tree read from source, as text, Mermaid (checked
// by Mermaid's own parser) and JSON; the tree before and after in --dry-run;
// and gen doctor --ci on seeded mistakes.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createOtpApp } from "../../src/cli/create-main.js";
import { captureIo, copyOf, runGen, snapshot, tempDir, writeIn } from "../helpers.js";
import { parseMermaid } from "../mermaid.js";
import { probeAll } from "../elixir/probe.js";
import { SHAPES } from "../elixir/shape-table.js";
import { loadReader } from "../../src/elixir/reader.js";
import { TreeReader, addedNodes, markAdded, renderText, type SupNode } from "../../src/elixir/sup-tree.js";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures");

const run = runGen;
const write = writeIn;

/** A create-otp-app project with OTP generators run in it. */
let built: string;
beforeAll(async () => {
  const cwd = tempDir();
  expect(await createOtpApp(["tt", "--yes", "--no-install", "--no-git", "--no-check", "--no-ci"], captureIo(cwd))).toBe(0);
  built = path.join(cwd, "tt");
  for (const args of [["supervisor", "Workers"], ["genserver", "Worker", "--under", "Tt.Workers"], ["dynamic-supervisor", "Rooms"], ["registry", "Lookup"], ["task-supervisor", "Tasks"], ["ets-cache", "Cache"], ["singleton", "Leader"], ["pool", "Conns"], ["pipeline", "Ingest"], ["cluster"]]) {
    const r = await run(built, [...args, "--no-check"]);
    expect(r.code, r.err).toBe(0);
  }
});

const BUILT_TEXT = `Tt.Application  (strategy: :one_for_one)  name: Tt.Supervisor  lib/tt/application.ex:30
├── Tt.Cluster.Connector
├── Tt.Workers  (Supervisor, strategy: :one_for_one, max_restarts: 3, max_seconds: 5)
│   └── Tt.Worker
├── Tt.Rooms  (Supervisor, strategy: :rest_for_one)
│   ├── Registry  name: Tt.Rooms.Registry
│   └── DynamicSupervisor  (strategy: :one_for_one)  name: Tt.Rooms.DynamicSupervisor  — children started at run time
├── Tt.Lookup  (Registry)
├── Tt.Tasks  (Task.Supervisor)
├── Tt.Cache
├── Tt.Leader.Singleton
├── Tt.Conns  name: opts[:name]
└── Tt.Ingest  (Supervisor, strategy: :rest_for_one)  name: opts[:name]
    ├── Tt.Ingest.Producer  name: stage(name, Producer)
    ├── Tt.Ingest.Processor  name: stage(name, Processor)
    └── Tt.Ingest.Consumer  name: stage(name, Consumer)
`;

describe("gen tree", () => {
  it("a create-otp-app project with the OTP generators: every process under its supervisor, with strategies and names as written", async () => {
    const r = await run(built, ["tree"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(BUILT_TEXT);
  });

  it("--mermaid: the same tree as a flowchart that Mermaid's parser reads", async () => {
    const r = await run(built, ["tree", "--mermaid"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out.split("\n").slice(0, 8).join("\n")).toBe(
      [
        "flowchart TD",
        '  n0["Tt.Application<br/>(strategy: :one_for_one)  name: Tt.Supervisor"]',
        '  n1["Tt.Cluster.Connector"]',
        "  n0 --> n1",
        '  n2["Tt.Workers<br/>(Supervisor, strategy: :one_for_one, max_restarts: 3, max_seconds: 5)"]',
        "  n0 --> n2",
        '  n3["Tt.Worker"]',
        "  n2 --> n3",
      ].join("\n"),
    );
    // One node per line of the text tree, each but the root under its parent.
    expect(r.out.match(/^ {2}n\d+\["/gm)).toHaveLength(BUILT_TEXT.trim().split("\n").length);
    expect(r.out.match(/ --> /g)).toHaveLength(BUILT_TEXT.trim().split("\n").length - 1);
    expect(await parseMermaid(r.out)).toEqual({ ok: true, type: "flowchart-v2" });
    // A broken diagram is refused by the same parser: the check can fail.
    expect((await parseMermaid(r.out.replace('"]', '"'))).ok).toBe(false);
  });

  it("--json: the tree with kinds, settings, names, files and lines", async () => {
    const r = await run(built, ["tree", "--json"]);
    expect(r.code, r.err).toBe(0);
    const { apps } = JSON.parse(r.out) as { apps: { app: string; tree: { id: string; kind: string; children: { id: string; kind: string; file: string; line: number; settings: string[] }[] } }[] };
    expect(apps.map((a) => a.app)).toEqual(["tt"]);
    const root = apps[0]?.tree;
    expect(root?.kind).toBe("application");
    expect(root?.children.map((c) => `${c.id}:${c.kind}`)).toEqual([
      "Tt.Cluster.Connector:process", "Tt.Workers:supervisor", "Tt.Rooms:supervisor", "Tt.Lookup:registry", "Tt.Tasks:task-supervisor",
      "Tt.Cache:process", "Tt.Leader.Singleton:process", "Tt.Conns:process", "Tt.Ingest:supervisor",
    ]);
    // A child is where its supervisor lists it; its own children, where it lists them.
    expect(root?.children[1]).toMatchObject({ file: "lib/tt/application.ex", settings: ["strategy: :one_for_one", "max_restarts: 3", "max_seconds: 5"] });
    expect((root?.children[1] as unknown as { children: { file: string }[] }).children[0]?.file).toBe("lib/tt/workers.ex");
  });

  it("a Phoenix app as mix phx.new writes it: Repo, PubSub and Endpoint labelled; options bound to a variable read", async () => {
    const dir = copyOf(path.join(FIXTURES, "phx_app"));
    const r = await run(dir, ["tree"]);
    expect(r.out).toBe(`Shop.Application  (strategy: :one_for_one)  name: Shop.Supervisor  lib/shop/application.ex:24
├── ShopWeb.Telemetry
├── Shop.Repo  (Ecto Repo)
├── DNSCluster
├── Phoenix.PubSub  name: Shop.PubSub
└── ShopWeb.Endpoint  (Phoenix Endpoint)
`);
    const mermaid = await run(dir, ["tree", "--mermaid"]);
    expect(mermaid.out).toBe(`flowchart TD
  n0["Shop.Application<br/>(strategy: :one_for_one)  name: Shop.Supervisor"]
  n1["ShopWeb.Telemetry"]
  n0 --> n1
  n2["Shop.Repo<br/>(Ecto Repo)"]
  n0 --> n2
  n3["DNSCluster"]
  n0 --> n3
  n4["Phoenix.PubSub<br/>name: Shop.PubSub"]
  n0 --> n4
  n5["ShopWeb.Endpoint<br/>(Phoenix Endpoint)"]
  n0 --> n5
`);
    expect(await parseMermaid(mermaid.out)).toEqual({ ok: true, type: "flowchart-v2" });
  });

  it("children that are computed are shown as what they are; a private function's list and an explicit id are read", async () => {
    const dir = copyOf(built);
    write(dir, "lib/tt/application.ex", `defmodule Tt.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    children =
      [
        {Registry, keys: :unique, name: Tt.Registry},
        Supervisor.child_spec({Tt.Cache, []}, id: :second_cache),
        # Tt.Commented.Out,
        {Task.Supervisor, name: Tt.TaskSupervisor}
      ] ++ extra_children() ++ Application.get_env(:tt, :more_children, []) ++ if(pollers?(), do: [Tt.Poller], else: [])

    Supervisor.start_link(children, strategy: :rest_for_one, max_restarts: 10, name: Tt.Supervisor)
  end

  defp extra_children, do: [Tt.Workers]

  defp pollers?, do: Application.get_env(:tt, :pollers, true)
end
`);
    const r = await run(dir, ["tree"]);
    expect(r.out).toBe(`Tt.Application  (strategy: :rest_for_one, max_restarts: 10)  name: Tt.Supervisor  lib/tt/application.ex:15
├── Registry  name: Tt.Registry
├── Tt.Cache  id: :second_cache
├── Task.Supervisor  name: Tt.TaskSupervisor
├── Tt.Workers  (Supervisor, strategy: :one_for_one, max_restarts: 3, max_seconds: 5)
│   └── Tt.Worker
├── computed: Application.get_env(:tt, :more_children, [])
└── computed: if(pollers?(), do: [Tt.Poller], else: [])
`);
    // Labels with quotes, brackets and parentheses are escaped for Mermaid, which reads them.
    const mermaid = (await run(dir, ["tree", "--mermaid"])).out;
    expect(mermaid).toContain('  n6["computed: Application.get_env(:tt, :more_children, [])"]\n  n0 --> n6\n');
    expect(await parseMermaid(mermaid)).toEqual({ ok: true, type: "flowchart-v2" });
  });

  it("children named through aliases (one, several in braces, `as:`, __MODULE__) and attributes are read as the modules they are", async () => {
    const dir = copyOf(built);
    write(dir, "lib/tt/application.ex", `defmodule Tt.Application do
  @moduledoc false
  use Application

  alias Tt.Ingest.{Consumer, Producer}
  alias Tt.Workers, as: Crew

  @registry Tt.Names

  @impl true
  def start(_type, _args) do
    children = [
      {Registry, keys: :unique, name: @registry},
      {Producer, name: {:via, Registry, {@registry, :producer}}},
      Consumer,
      Crew,
      __MODULE__.Extra
    ]

    Supervisor.start_link(children, strategy: :rest_for_one)
  end
end
`);
    const r = await run(dir, ["tree", "--json"]);
    type N = { id: string; kind: string; name?: string; registry?: string };
    const kids = (JSON.parse(r.out) as { apps: { tree: { children: N[] } }[] }).apps[0]?.tree.children ?? [];
    expect(kids.map((k) => `${k.id} ${k.kind} ${k.name ?? "-"} ${k.registry ?? "-"}`)).toEqual([
      "Registry registry Tt.Names -",
      "Tt.Ingest.Producer process {:via, Registry, {Tt.Names, :producer}} Tt.Names",
      // As the Consumer's own start_link registers it.
      "Tt.Ingest.Consumer process opts[:name] -",
      "Tt.Workers supervisor - -",
      "Tt.Application.Extra process - -",
    ]);
  });

  it("an umbrella: each app's tree, its files named from the umbrella's root", async () => {
    const root = tempDir();
    write(root, "mix.exs", 'defmodule Umbrella.MixProject do\n  use Mix.Project\n\n  def project, do: [apps_path: "apps", deps: []]\nend\n');
    for (const app of ["alpha", "beta"]) {
      const mod = app[0]?.toUpperCase() + app.slice(1);
      write(root, `apps/${app}/mix.exs`, `defmodule ${mod}.MixProject do\n  use Mix.Project\n\n  def project, do: [app: :${app}, version: "0.1.0"]\n\n  def application, do: [mod: {${mod}.Application, []}]\nend\n`);
      write(root, `apps/${app}/lib/${app}/application.ex`, `defmodule ${mod}.Application do\n  @moduledoc false\n  use Application\n\n  def start(_type, _args) do\n    Supervisor.start_link([${mod}.Worker], strategy: :one_for_one)\n  end\nend\n`);
    }
    const r = await run(root, ["tree"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(
      "Alpha.Application  (strategy: :one_for_one)  apps/alpha/lib/alpha/application.ex:6\n└── Alpha.Worker\n" +
        "Beta.Application  (strategy: :one_for_one)  apps/beta/lib/beta/application.ex:6\n└── Beta.Worker\n",
    );
  });

  it("a library with no application module says so (nothing is supervised)", async () => {
    const dir = tempDir();
    write(dir, "mix.exs", 'defmodule Lib.MixProject do\n  use Mix.Project\n\n  def project, do: [app: :lib, version: "0.1.0"]\n\n  def application, do: [extra_applications: [:logger]]\nend\n');
    write(dir, "lib/lib.ex", "defmodule Lib do\n  @moduledoc false\nend\n");
    const r = await run(dir, ["tree"]);
    expect(r.code).toBe(0);
    expect(r.out).toBe("lib: no application module (no mod: in mix.exs application/0), so nothing is supervised\n");
    expect(JSON.parse((await run(dir, ["tree", "--json"])).out)).toEqual({ apps: [{ app: "lib", tree: null }] });
  });

  it("bad options, or no Mix project: one line, exit 2", async () => {
    const r = await run(built, ["tree", "--svg"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe('gen tree: unknown option "--svg"; usage: gen tree [--mermaid | --json]\n');
    const both = await run(built, ["tree", "--json", "--mermaid"]);
    expect([both.code, both.err]).toEqual([2, "gen tree: --mermaid and --json cannot be used together; usage: gen tree [--mermaid | --json]\n"]);
    const doctor = await run(built, ["doctor", "--strict"]);
    expect([doctor.code, doctor.err, doctor.out]).toEqual([2, 'gen doctor: unknown option "--strict"; usage: gen doctor [--ci] [--app NAME]\n', ""]);
    const outside = tempDir();
    const nowhere = await run(outside, ["tree"]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.err).toBe(`gen: no mix.exs in ${outside} or any directory above it; run gen inside a Mix project (create one with: npx create-otp-app my_app)\n`);
  });
});

describe("--dry-run shows the supervision tree before and after", () => {
  it("the new child marked, under which supervisor and after which child; JSON has both trees", async () => {
    const dir = copyOf(built);
    const before = snapshot(dir);
    const r = await run(dir, ["genserver", "Audit", "--under", "Tt.Workers", "--dry-run"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("Supervision tree before:\nTt.Application");
    expect(r.out).toContain("Supervision tree after (+ new):\n");
    expect(r.out).toContain("│   ├── Tt.Worker\n│   └── + Tt.Audit\n");
    expect(r.out).toContain("  adds Tt.Audit under Tt.Workers, after Tt.Worker\n");
    expect(r.out.trimEnd().endsWith("Dry run: nothing was written.")).toBe(true);
    const json = JSON.parse((await run(dir, ["genserver", "Audit", "--dry-run", "--json"])).out) as { tree: { after: { children: { id: string; added?: boolean }[] } } };
    expect(json.tree.after.children.filter((c) => c.added).map((c) => c.id)).toEqual(["Tt.Audit"]);
    expect(snapshot(dir)).toEqual(before);
  });

  it("a run that does not change the tree shows none", async () => {
    const r = await run(copyOf(built), ["retry", "--dry-run"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).not.toContain("Supervision tree");
  });
});

describe("gen doctor: OTP findings", () => {
  it("finds a seeded mistake with file:line, why and fix; --ci exits 1 on it, plain doctor 0; nothing in the generated project", async () => {
    const clean = await run(built, ["doctor", "--ci"]);
    expect(clean.code, clean.out).toBe(0);
    expect(clean.out).toContain("✔ OTP checks: nothing found in the supervision tree or the code");

    const dir = copyOf(built);
    write(dir, "lib/tt/audit.ex", 'defmodule Tt.Audit do\n  @moduledoc false\n  require Logger\n  def log(x), do: Logger.warn("audit: #{inspect(x)}")\nend\n');
    const advice = await run(dir, ["doctor"]);
    expect(advice.code).toBe(0);
    expect(advice.out).toContain("  ⚠ lib/tt/audit.ex:4: [logger-warn] Logger.warn/1 is deprecated\n      why: ");
    expect(advice.out).toContain("      fix: call Logger.warning/2\n");
    expect(advice.out).toContain("gen doctor: 1 OTP finding\n");
    const ci = await run(dir, ["doctor", "--ci"]);
    expect(ci.code).toBe(1);
    expect(ci.out).toContain("  ✖ lib/tt/audit.ex:4: [logger-warn]");
  });
});

describe("gen tree on the application shapes of the reader's table (test/elixir/shape-table.ts)", () => {
  const file = "lib/app/application.ex";
  const treeOf = (source: string) => new TreeReader({ files: [file], read: (f) => (f === file ? source : undefined) }).application("App.Application");
  const shapes = SHAPES.filter((s) => s.kind === "children" && s.source.includes("defmodule App.Application") && s.source.includes("def start("));

  beforeAll(loadReader);

  it("covers the table's application shapes", () => {
    expect(shapes.length).toBeGreaterThanOrEqual(15);
  });

  it.each(shapes.map((s) => [s.name, s] as const))("%s: read before and after the patch; the new child shows, where it lands", (_name, shape) => {
    const before = treeOf(shape.source);
    expect(before).toBeDefined();
    const text = renderText(before as SupNode);
    expect(text.split("\n")[0]).toMatch(/^App\.Application/);
    const r = shape.patch(shape.source);
    if (r.status === "refused") return;
    const after = markAdded(before, treeOf(r.source) as SupNode);
    const added = addedNodes(after);
    const isChild = (n: SupNode): boolean => /App\.(RateLimiter|Registry)/.test(`${n.id} ${n.name ?? ""}`);
    if (r.status === "present") {
      // Already there: the tree is the same, and shows it (or the computed part that holds it).
      expect(added).toEqual([]);
      return;
    }
    // A literal list gains the child itself; a conditional that holds it is computed, and shows changed.
    expect(added.length, renderText(after)).toBeGreaterThanOrEqual(1);
    expect(added.every((a) => isChild(a.node) || a.node.kind === "computed"), renderText(after)).toBe(true);
  });
});

describe("an application that starts the project's own supervisor (wiring round 2)", () => {
  it("gen genserver follows start/2 into that supervisor's init/1: the child lands there, once, and gen tree shows it", async () => {
    const dir = copyOf(built);
    const appFile = "lib/tt/application.ex";
    write(dir, appFile, `defmodule Tt.Application do\n  @moduledoc false\n  use Application\n\n  @impl true\n  def start(_type, _args), do: Tt.Supervisor.start_link([])\nend\n`);
    const supervisor = `defmodule Tt.Supervisor do\n  @moduledoc false\n  use Supervisor\n\n  def start_link(opts), do: Supervisor.start_link(__MODULE__, opts, name: __MODULE__)\n\n  @impl true\n  def init(_opts) do\n    children = [\n      # the cache first\n      Tt.Cache\n    ]\n\n    Supervisor.init(children, strategy: :one_for_one)\n  end\nend\n`;
    write(dir, "lib/tt/supervisor.ex", supervisor);
    const before = snapshot(dir)[appFile];

    const r = await run(dir, ["genserver", "Meter", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    const after = snapshot(dir);
    // The application is left as it was; the supervisor's list has the child, checked by Elixir's parser.
    expect(after[appFile]).toBe(before);
    const [probe] = await probeAll([{ source: after["lib/tt/supervisor.ex"] as string, what: "children:Tt.Meter" }]);
    expect(probe).toMatchObject({ parses: true, formatted: true, found: ["Tt.Cache,Tt.Meter"] });

    // Idempotent, and the tree shows it under Tt.Supervisor.
    const again = await run(dir, ["genserver", "Meter", "--no-check"]);
    expect(again.code, again.err).toBe(0);
    expect(snapshot(dir)["lib/tt/supervisor.ex"]).toBe(after["lib/tt/supervisor.ex"]);
    const tree = await run(dir, ["tree"]);
    expect(tree.code, tree.err).toBe(0);
    expect(tree.out).toContain("Tt.Application");
    expect(tree.out).toMatch(/└── Tt\.Supervisor {2}\(Supervisor, strategy: :one_for_one\)[^\n]*\n {4}├── Tt\.Cache\n {4}└── Tt\.Meter\n/);
  });
});
