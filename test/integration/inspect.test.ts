// gen inspect: a project's architecture from source, as a summary, Markdown
// (its Mermaid checked by Mermaid's parser) and versioned JSON (checked by
// the zod schema and by the published JSON Schema, with ajv); what cannot
// be read listed with its reason; bad input refused with nothing written.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Inspection, inspectJsonSchema, SCHEMA_VERSION } from "../../src/elixir/inspect/schema.js";
import { copyOf, runGen, snapshot, tempDir, writeIn } from "../helpers.js";
import { parseMermaid } from "../mermaid.js";
import { inspectJson, PUBLISHED_SCHEMA as PUBLISHED } from "../inspect.js";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures");

let shop: string;
let doc: Inspection;
beforeAll(async () => {
  shop = copyOf(path.join(FIXTURES, "inspect_shop"));
  doc = await inspectJson(shop);
});

describe("gen inspect on a Phoenix app with Ecto, clustering, a release and CI (test/fixtures/inspect_shop)", () => {
  it("project: the app, its Elixir requirement, its deps by role", () => {
    expect(doc.schemaVersion).toBe(SCHEMA_VERSION);
    expect(doc.umbrella).toBe(false);
    const [app] = doc.apps;
    expect(app).toMatchObject({ app: "my_shop2", path: ".", module: "MyShop2", applicationModule: "MyShop2.Application", version: "0.3.1", elixir: "~> 1.15" });
    const names = (role: keyof NonNullable<typeof app>["deps"]) => app?.deps[role].map((d) => d.name);
    expect(names("web")).toEqual(["phoenix", "phoenix_live_view"]);
    expect(names("data")).toEqual(["ecto_sql", "postgrex"]);
    expect(names("processing")).toEqual(["oban"]);
    expect(names("distribution")).toEqual(["libcluster", "horde"]);
    expect(names("observability")).toEqual(["opentelemetry"]);
    expect(app?.deps.quality).toEqual([
      { name: "credo", requirement: "~> 1.7", only: "[:dev, :test]", runtime: false },
      { name: "dialyxir", requirement: "~> 1.4", only: ":dev", runtime: false },
    ]);
    expect(names("other")).toEqual(["my_lib"]);
  });

  it("supervision tree: every child in start order, with restart and shutdown where the source says them", () => {
    const tree = doc.apps[0]?.supervisionTree;
    expect(tree?.children.map((c) => c.id)).toEqual([
      "MyShop2Web.Telemetry",
      "MyShop2.Repo",
      "Cluster.Supervisor",
      "Phoenix.PubSub",
      "Registry",
      "Task.Supervisor",
      "MyShop2.Cache",
      "MyShop2.Poller",
      "MyShop2Web.Presence",
      "MyShop2Web.Endpoint",
      "MyShop2.Importer",
    ]);
    // Supervisor.child_spec/2's overrides win over `use GenServer, restart: :temporary`.
    expect(tree?.children[7]).toMatchObject({ restart: ":transient", shutdown: "10_000", name: "{:global, __MODULE__}", file: "lib/my_shop2/application.ex", line: 16 });
    // An Erlang module's child is a module, not something computed.
    expect(tree?.children[0]?.children.map((c) => [c.id, c.kind])).toEqual([[":telemetry_poller", "process"]]);
  });

  it("processes: GenServers, supervisors, the library processes and the ETS table with its access and owner", () => {
    const procs = doc.apps[0]?.processes ?? [];
    expect(procs.map((p) => [p.kind, p.module, p.name ?? null, p.supervisedBy ?? null])).toEqual([
      ["genserver", "MyShop2.Cache", "__MODULE__", "MyShop2.Application"],
      ["genserver", "MyShop2.Poller", "{:global, __MODULE__}", "MyShop2.Application"],
      ["supervisor", "MyShop2Web.Telemetry", "__MODULE__", "MyShop2.Application"],
      ["registry", "Registry", "MyShop2.Registry", "MyShop2.Application"],
      ["task_supervisor", "Task.Supervisor", "MyShop2.TaskSupervisor", "MyShop2.Application"],
      ["ets", "MyShop2.Cache", "__MODULE__", null],
    ]);
    // The options are a module attribute: read through it.
    expect(procs.at(-1)).toMatchObject({ access: "public", tableType: "ordered_set", owner: "the MyShop2.Cache process (init/1)", file: "lib/my_shop2/cache.ex", line: 11 });
  });

  it("phoenix: the endpoint's plugs in order, routes by scope and pipeline, live_sessions, LiveViews, channels and topics, Presence, PubSub", () => {
    const p = doc.apps[0]?.phoenix;
    const endpoint = p?.endpoints[0];
    expect(endpoint?.plugs.map((x) => [x.plug, x.conditional ?? null])).toEqual([
      ["Plug.Static", null],
      ["Phoenix.CodeReloader", "if code_reloading?"],
      ["MyShop2Web.Plugs.Health", null],
      ["Plug.RequestId", null],
      ["Plug.Telemetry", null],
      ["MyShop2Web.Router", null],
    ]);
    expect(endpoint?.sockets.map((s) => [s.path, s.module])).toEqual([
      ["/live", "Phoenix.LiveView.Socket"],
      ["/socket", "MyShop2Web.UserSocket"],
    ]);
    const router = p?.routers[0];
    expect(router?.pipelines.map((x) => [x.name, x.plugs.length])).toEqual([
      ["browser", 3],
      ["api", 1],
    ]);
    expect(router?.routes.map((r) => `${r.verb} ${r.path} ${r.target}${r.action ? ` :${r.action}` : ""} [${r.pipelines.join(",")}]${r.liveSession ? ` @${r.liveSession}` : ""}`)).toEqual([
      "get / MyShop2Web.PageController :home [browser]",
      "live /products MyShop2Web.ProductLive.Index :index [browser] @shop",
      "live /products/:id MyShop2Web.ProductLive.Show :show [browser] @shop",
      "resources /orders MyShop2Web.OrderController [browser]",
      "get /api/ready MyShop2Web.Api.HealthController :ready [api]",
      "forward /api/graphql MyShop2Web.Api.Absinthe.Plug [api]",
    ]);
    expect(router?.scopes.map((s) => [s.path, s.alias ?? null, s.pipelines, s.routes])).toEqual([
      ["/", "MyShop2Web", ["browser"], 4],
      ["/api", "MyShop2Web.Api", ["api"], 2],
      ["/admin", null, ["browser"], 0],
    ]);
    expect(router?.liveSessions).toEqual([expect.objectContaining({ name: "shop", onMount: ["{MyShop2Web.UserAuth, :mount_current_scope}"], liveViews: ["MyShop2Web.ProductLive.Index", "MyShop2Web.ProductLive.Show"] })]);
    expect(p?.liveViews.map((l) => [l.module, l.routes])).toEqual([
      ["MyShop2Web.ProductLive.Index", ["/products :index"]],
      ["MyShop2Web.ProductLive.Show", ["/products/:id :show"]],
    ]);
    expect(p?.liveComponents.map((l) => l.module)).toEqual(["MyShop2Web.CartComponent"]);
    expect(p?.channels).toEqual([expect.objectContaining({ module: "MyShop2Web.RoomChannel", topics: ["room:lobby", "room:*"], socket: "MyShop2Web.UserSocket" })]);
    expect(p?.presence).toEqual([expect.objectContaining({ module: "MyShop2Web.Presence", pubsub: "MyShop2.PubSub" })]);
    expect(p?.pubsub.servers.map((s) => s.name)).toEqual(["MyShop2.PubSub"]);
    expect(p?.pubsub.subscriptions.map((s) => s.topic)).toEqual(["products"]);
    expect(p?.pubsub.broadcasts.map((s) => s.topic)).toEqual(['"product:#{id}"']);
  });

  it("ecto: repos, schemas with fields, associations and embeds, migrations, phx.gen.auth's scopes", () => {
    const e = doc.apps[0]?.ecto;
    expect(e?.repos).toEqual([expect.objectContaining({ module: "MyShop2.Repo", adapter: "Ecto.Adapters.Postgres", otpApp: "my_shop2" })]);
    const product = e?.schemas.find((s) => s.module === "MyShop2.Catalog.Product");
    expect(product).toMatchObject({ source: "products", embedded: false, primaryKey: "{:id, :binary_id, autogenerate: true}", timestamps: true });
    expect(product?.fields.map((f) => `${f.name} ${f.type}`)).toEqual(["name :string", "price :decimal", "status Ecto.Enum", "sku :string"]);
    expect(product?.associations.map((a) => `${a.kind} ${a.name} ${a.target}`)).toEqual(["belongs_to category MyShop2.Catalog.Category", "has_many variants MyShop2.Catalog.Variant", "embeds_one address MyShop2.Catalog.Address"]);
    expect(e?.schemas.find((s) => s.module === "MyShop2.Catalog.Address")).toMatchObject({ embedded: true, fields: [expect.objectContaining({ name: "city" })] });
    expect(e?.migrations).toEqual([{ dir: "priv/repo/migrations", count: 2, latest: "20260301120000_add_sku.exs" }]);
    expect(e?.scopes).toEqual([{ name: "user", default: true, module: "MyShop2.Accounts.Scope", assignKey: "current_scope", file: "config/config.exs" }]);
  });

  it("distribution: libcluster topologies by environment, :pg, and the process that is one per cluster", () => {
    const d = doc.apps[0]?.distribution;
    expect(d?.libcluster.map((t) => [t.topology, t.strategy, t.env, t.file])).toEqual([
      ["local", "Cluster.Strategy.Epmd", "dev", "config/dev.exs"],
      ["k8s", "Cluster.Strategy.Kubernetes.DNS", "runtime", "config/runtime.exs"],
    ]);
    expect(d?.pg.map((x) => x.what)).toEqual([":pg.join(:my_shop2_pollers, self())"]);
    expect(d?.singletons).toEqual([expect.objectContaining({ module: "MyShop2.Poller", how: "one per cluster: {:global, __MODULE__}" })]);
  });

  it("deployment: the release, the Dockerfile's images with its ARGs substituted, Kubernetes probes and resources, health endpoints, the environment runtime.exs reads", () => {
    const dep = doc.apps[0]?.deployment;
    expect(dep?.releases).toEqual([expect.objectContaining({ name: "my_shop2", settings: ["include_executables_for: [:unix]", "steps: [:assemble, :tar]"] })]);
    expect(dep?.dockerfiles).toEqual([
      {
        file: "Dockerfile",
        stages: [
          { image: "hexpm/elixir:1.18.4-erlang-27.3-debian-bookworm-20250610-slim", name: "builder", line: 7 },
          { image: "debian:bookworm-20250610-slim", line: 11 },
        ],
        expose: ["4000"],
        cmd: '["/app/bin/server"]',
      },
    ]);
    expect(dep?.kubernetes).toEqual([
      {
        file: "k8s/deployment.yaml",
        kind: "Deployment",
        name: "my-shop2",
        replicas: 3,
        probes: { readiness: { kind: "httpGet", detail: "/healthz on 4000, periodSeconds 5", path: "/healthz", line: 13 }, liveness: { kind: "tcpSocket", detail: "port 4000" } },
        resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
      },
      { file: "k8s/deployment.yaml", kind: "Service", name: "my-shop2-headless" },
    ]);
    expect(dep?.health.map((h) => [h.path, h.via])).toEqual([
      ["/api/ready", "MyShop2Web.Router: get MyShop2Web.Api.HealthController :ready"],
      ["/healthz", "MyShop2Web.Endpoint: plug MyShop2Web.Plugs.Health"],
      ["/healthz", "Deployment my-shop2: readiness probe"],
    ]);
    expect(dep?.health.at(-1)).toMatchObject({ file: "k8s/deployment.yaml", line: 13 });
    expect(dep?.environment.map((e) => [e.name, e.required, e.default ?? null])).toEqual([
      ["DATABASE_URL", true, null],
      ["CLUSTER_SERVICE", false, '"my-shop2-headless"'],
      ["PORT", false, null],
    ]);
  });

  it("observability and quality gates: telemetry emitted, attached and measured; Logger metadata; credo, dialyzer, coverage, formatter, precommit, CI", () => {
    const o = doc.apps[0]?.observability;
    expect(o?.emitted.map((e) => e.event)).toEqual(["[:my_shop2, :poller, :start]"]);
    expect(o?.attached.map((a) => [a.handler, a.events])).toEqual([['"my_shop2-slow-queries"', "[:my_shop2, :repo, :query]"]]);
    expect(o?.metrics.map((m) => `${m.type} ${m.name}`)).toEqual(["summary phoenix.endpoint.stop.duration", "counter my_shop2.poller.start.count"]);
    expect(o?.reporters.map((r) => r.what)).toEqual([":telemetry_poller"]);
    expect(o?.loggerMetadata.map((m) => m.keys)).toEqual(["[:request_id, :trace_id]"]);
    const q = doc.apps[0]?.quality;
    expect(q?.credo).toEqual({ file: ".credo.exs", strict: true, checks: 2 });
    expect(q?.dialyzer?.settings).toEqual(['plt_local_path: "priv/plts"', "flags: [:unmatched_returns]"]);
    expect(q?.coverage).toMatchObject({ threshold: 90, file: "mix.exs" });
    expect(q?.formatter).toEqual({ importDeps: ["ecto", "ecto_sql", "phoenix"], plugins: ["Phoenix.LiveView.HTMLFormatter"], file: ".formatter.exs" });
    expect(q?.precommit).toMatchObject({ alias: "precommit", steps: ["format --check-formatted", "compile --warnings-as-errors", "credo --strict", "test --cover"] });
    expect(q?.aliases).toEqual(["setup", "precommit"]);
    expect(q?.ci).toEqual([{ file: ".github/workflows/ci.yml", jobs: [{ name: "Test on OTP 27", steps: ["actions/checkout@v4", "Install deps", "mix precommit"] }] }]);
  });

  it("findings by rule, no runs recorded, and every part it could not read listed with its file, line and reason", () => {
    expect(doc.apps[0]?.findings.map((f) => f.rule)).toEqual(["endpoint-last"]);
    expect(doc.apps[0]?.generated).toEqual({ runs: [] });
    expect(doc.unread.map((u) => [u.area, u.file, u.line ?? null, u.what])).toEqual([
      ["code", "lib/my_shop2/broken.ex", 6, "the file"],
      ["phoenix", "lib/my_shop2_web/router.ex", 35, 'ash_admin "/"'],
      ["deployment", "k8s/chart/templates/hpa.yaml", null, "the file"],
    ]);
    for (const u of doc.unread) expect(u.reason.length).toBeGreaterThan(20);
  });

  it("--markdown: a heading per area, tables, the tree as a Mermaid diagram Mermaid's parser reads, and the unread parts", async () => {
    const r = await runGen(shop, ["inspect", "--markdown"]);
    expect(r.code, r.err).toBe(0);
    const headings = r.out.split("\n").filter((l) => l.startsWith("## "));
    expect(headings).toEqual(["## Project", "## Supervision tree", "## Processes", "## Phoenix", "## Ecto", "## Distribution", "## Deployment", "## Observability", "## Quality gates", "## Generated code", "## Findings", "## Not read"]);
    const mermaid = /```mermaid\n([\s\S]*?)```/.exec(r.out)?.[1] ?? "";
    expect(mermaid).toContain("MyShop2.Poller");
    expect(await parseMermaid(mermaid)).toEqual({ ok: true, type: "flowchart-v2" });
    expect(r.out).toContain("| live | `/products` | `MyShop2Web.ProductLive.Index` `:index` | `:browser` | shop |  | `lib/my_shop2_web/router.ex:20` |");
    expect(r.out).toContain("| phoenix | `ash_admin \"/\"` | `lib/my_shop2_web/router.ex:35` |");
  });

  it("at a terminal: a short summary with counts per area and the two flags", async () => {
    const r = await runGen(shop, ["inspect"]);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trimEnd().split("\n");
    expect(lines.length).toBeLessThanOrEqual(16);
    expect(r.out).toContain("phoenix           1 endpoint, 6 routes, 2 LiveViews, 1 LiveComponent, 1 channel, 1 Presence");
    expect(r.out).toContain("ecto              1 repo, 2 schemas, 2 migrations, scopes: user");
    expect(r.out).toContain("unread: 3 parts");
    expect(lines.at(-1)).toContain("--markdown");
    expect(lines.at(-1)).toContain("--json");
  });

  it("the published JSON Schema is the zod schema's (npm run build writes it)", () => {
    expect(JSON.parse(readFileSync(PUBLISHED, "utf8"))).toEqual(JSON.parse(JSON.stringify(inspectJsonSchema())));
  });
});

describe("gen inspect on phx.new 1.8's app (test/fixtures/phx_app)", () => {
  it("the endpoint's plugs in phx.new's order, the dev routes with their compile-time condition, DNSCluster's query as written, the precommit alias; nothing unread", async () => {
    const d = await inspectJson(copyOf(path.join(FIXTURES, "phx_app")));
    const a = d.apps[0];
    expect(a?.supervisionTree?.children.map((c) => c.id)).toEqual(["ShopWeb.Telemetry", "Shop.Repo", "DNSCluster", "Phoenix.PubSub", "ShopWeb.Endpoint"]);
    expect(a?.phoenix?.endpoints[0]?.plugs.map((p) => p.plug)).toEqual([
      "Plug.Static",
      "Phoenix.LiveReloader",
      "Phoenix.CodeReloader",
      "Phoenix.Ecto.CheckRepoStatus",
      "Phoenix.LiveDashboard.RequestLogger",
      "Plug.RequestId",
      "Plug.Telemetry",
      "Plug.Parsers",
      "Plug.MethodOverride",
      "Plug.Head",
      "Plug.Session",
      "ShopWeb.Router",
    ]);
    expect(a?.phoenix?.routers[0]?.routes.map((r) => [r.verb, r.path, r.conditional ?? null])).toEqual([
      ["get", "/", null],
      ["live_dashboard", "/dev/dashboard", "if Application.compile_env(:shop, :dev_routes)"],
      ["forward", "/dev/mailbox", "if Application.compile_env(:shop, :dev_routes)"],
    ]);
    expect(a?.distribution.dnsCluster.map((x) => x.query)).toEqual(["Application.get_env(:shop, :dns_cluster_query) || :ignore"]);
    expect(a?.quality.precommit?.steps).toEqual(["compile --warning-as-errors", "deps.unlock --unused", "format", "test"]);
    expect(d.unread).toEqual([]);
  });
});

describe("gen inspect --out and bad input", () => {
  it("--out writes the document (the format from the flag or the extension) and refuses to replace a file without --force", async () => {
    const dir = copyOf(path.join(FIXTURES, "inspect_shop"));
    const w = await runGen(dir, ["inspect", "--out", "docs.md"]);
    expect(w.code, w.err).toBe(0);
    expect(w.out).toBe("gen inspect: wrote docs.md (markdown, 1 app, 3 unread parts)\n");
    expect(readFileSync(path.join(dir, "docs.md"), "utf8")).toMatch(/^# Architecture of my_shop2\n/);
    const before = snapshot(dir);
    const again = await runGen(dir, ["inspect", "--json", "--out", "docs.md"]);
    expect(again.code).toBe(2);
    expect(again.err).toBe('gen inspect: --out "docs.md" exists; pass --force to replace it (nothing was written)\n');
    expect(snapshot(dir)).toEqual(before);
    const forced = await runGen(dir, ["inspect", "--json", "--out=docs.md", "--force"]);
    expect(forced.code, forced.err).toBe(0);
    expect(Inspection.parse(JSON.parse(readFileSync(path.join(dir, "docs.md"), "utf8"))).apps[0]?.app).toBe("my_shop2");
  });

  it.each([
    [["--json", "--markdown"], "--json and --markdown cannot be used together"],
    [["--yaml"], 'unknown option "--yaml"'],
    [["--out"], "--out needs a file name"],
    [["--out", "arch.txt"], '--out "arch.txt": say --json or --markdown (or name the file .json or .md)'],
    [["--out", "no/such/dir/a.md"], '--out "no/such/dir/a.md": the folder no/such/dir does not exist'],
    [["--app", "web"], 'invalid --app "web": this project\'s app is my_shop2 (--app is for umbrella projects)'],
  ])("gen inspect %j: one line naming the input and the rule, exit 2, nothing written", async (args, message) => {
    const before = snapshot(shop);
    const r = await runGen(shop, ["inspect", ...args]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toContain(message);
    expect(r.out).toBe("");
    expect(snapshot(shop)).toEqual(before);
  });

  it("--help prints the usage, exit 0", async () => {
    const r = await runGen(shop, ["inspect", "--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: gen inspect \[--json \| --markdown\]/);
  });

  it("outside a Mix project: says where it looked, exit 2", async () => {
    const r = await runGen(tempDir(), ["inspect"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("no mix.exs in");
  });
});

describe("gen inspect in an umbrella", () => {
  let umbrella: string;
  beforeAll(() => {
    umbrella = path.join(tempDir(), "platform_2");
    writeIn(umbrella, "mix.exs", `defmodule Platform2.MixProject do
  use Mix.Project

  def project do
    [apps_path: "apps", version: "0.1.0", start_permanent: Mix.env() == :prod, deps: [], releases: [platform_2: [applications: [billing_core: :permanent, web_2: :permanent]]]]
  end
end
`);
    writeIn(umbrella, "config/config.exs", `import Config

config :logger, :default_formatter, metadata: [:request_id]
`);
    writeIn(umbrella, "config/runtime.exs", `import Config

config :libcluster, topologies: [dns: [strategy: Cluster.Strategy.DNSPoll, config: [query: System.get_env("DNS_QUERY", "platform.internal")]]]
`);
    writeIn(umbrella, "Dockerfile", "FROM hexpm/elixir:1.18.4-erlang-27.3-alpine-3.21.3 AS build\nFROM alpine:3.21.3\n");
    for (const [app, mod, children] of [
      ["billing_core", "BillingCore", "[BillingCore.Repo, {Registry, keys: :unique, name: BillingCore.Registry}]"],
      ["web_2", "Web2", "[{Phoenix.PubSub, name: Web2.PubSub}, Web2.Endpoint]"],
    ] as const) {
      writeIn(umbrella, `apps/${app}/mix.exs`, `defmodule ${mod}.MixProject do
  use Mix.Project

  def project do
    [app: :${app}, version: "0.1.0", build_path: "../../_build", config_path: "../../config/config.exs", deps_path: "../../deps", lockfile: "../../mix.lock", elixir: "~> 1.15", deps: deps()]
  end

  def application, do: [mod: {${mod}.Application, []}]

  defp deps, do: [${app === "web_2" ? '{:phoenix, "~> 1.8"}, {:billing_core, in_umbrella: true}' : '{:ecto_sql, "~> 3.13"}'}]
end
`);
      writeIn(umbrella, `apps/${app}/lib/${app}/application.ex`, `defmodule ${mod}.Application do
  use Application

  def start(_type, _args), do: Supervisor.start_link(${children}, strategy: :one_for_one)
end
`);
    }
    writeIn(umbrella, "apps/web_2/lib/web_2/endpoint.ex", "defmodule Web2.Endpoint do\n  use Phoenix.Endpoint, otp_app: :web_2\n\n  plug Plug.RequestId\nend\n");
    writeIn(umbrella, "apps/billing_core/lib/billing_core/repo.ex", "defmodule BillingCore.Repo do\n  use Ecto.Repo, otp_app: :billing_core, adapter: Ecto.Adapters.Postgres\nend\n");
  });

  it("each app from its own folder, paths from the umbrella's root; the shared config, release and Dockerfile once, at the root", async () => {
    const d = await inspectJson(umbrella);
    expect(d.umbrella).toBe(true);
    expect(d.apps.map((a) => [a.app, a.path, a.supervisionTree?.children.map((c) => c.id)])).toEqual([
      ["billing_core", "apps/billing_core", ["BillingCore.Repo", "Registry"]],
      ["web_2", "apps/web_2", ["Phoenix.PubSub", "Web2.Endpoint"]],
    ]);
    expect(d.apps[1]?.deps.other).toEqual([{ name: "billing_core", inUmbrella: true }]);
    expect(d.apps[1]?.phoenix?.endpoints.map((e) => [e.module, e.file])).toEqual([["Web2.Endpoint", "apps/web_2/lib/web_2/endpoint.ex"]]);
    expect(d.apps[0]?.ecto?.repos.map((r) => r.file)).toEqual(["apps/billing_core/lib/billing_core/repo.ex"]);
    expect(d.apps[0]?.distribution.libcluster).toEqual([]);
    expect(d.umbrellaRoot?.distribution.libcluster.map((t) => [t.topology, t.strategy, t.file])).toEqual([["dns", "Cluster.Strategy.DNSPoll", "config/runtime.exs"]]);
    expect(d.umbrellaRoot?.deployment.releases.map((r) => r.name)).toEqual(["platform_2"]);
    expect(d.umbrellaRoot?.deployment.dockerfiles[0]?.stages.map((s) => s.image)).toEqual(["hexpm/elixir:1.18.4-erlang-27.3-alpine-3.21.3", "alpine:3.21.3"]);
    expect(d.umbrellaRoot?.deployment.environment.map((e) => e.name)).toEqual(["DNS_QUERY"]);
    expect(d.umbrellaRoot?.observability.loggerMetadata.map((m) => m.keys)).toEqual(["[:request_id]"]);
  });

  it("--app NAME: that app alone; an app that is not there is refused with the list", async () => {
    const one = await inspectJson(umbrella, ["--app", "web_2"]);
    expect(one.apps.map((a) => a.app)).toEqual(["web_2"]);
    const r = await runGen(umbrella, ["inspect", "--app", "shop"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe('gen inspect: invalid --app "shop": the umbrella\'s apps are billing_core, web_2\n');
  });

  it("from inside an app's folder: that app is the project", async () => {
    const d = await inspectJson(path.join(umbrella, "apps", "web_2"));
    expect(d.umbrella).toBe(false);
    expect(d.apps.map((a) => [a.app, a.path])).toEqual([["web_2", "."]]);
  });
});

