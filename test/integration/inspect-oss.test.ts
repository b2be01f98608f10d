// gen inspect on real projects: the files of seven open-source Phoenix and
// OTP applications (test/fixtures/oss, with their sources and licences), and
// four OTP libraries unpacked from the local Hex mirror. No crash, the JSON
// valid against the published schema, each project's telling facts read, and
// every part the reader cannot read listed with its reason.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Inspection } from "../../src/elixir/inspect/schema.js";
import { copyOf, tempDir } from "../helpers.js";
import { mirrorDir } from "../hex.js";
import { inspectJson } from "../inspect.js";

const OSS = path.resolve(import.meta.dirname, "../fixtures/oss");

async function inspectFixture(name: string): Promise<Inspection> {
  const doc = await inspectJson(copyOf(path.join(OSS, name)));
  for (const u of doc.unread) {
    expect(u.file, JSON.stringify(u)).not.toBe("");
    expect(u.reason.length, JSON.stringify(u)).toBeGreaterThan(20);
  }
  return doc;
}

const app = (d: Inspection) => d.apps[0] as Inspection["apps"][number];
const ids = (d: Inspection) => app(d).supervisionTree?.children.map((c) => c.id) ?? [];
const unread = (d: Inspection) => d.unread.map((u) => `${u.area}: ${u.what}`);

describe("gen inspect on open-source applications' files", () => {
  it("hexpm (Phoenix, 23 KB router): 296 routes with for-comprehension scopes expanded, host scopes, live_sessions, conditional plugs, 54 environment variables (two read in lib/); the computed goth child and libcluster's run-time topologies listed as unread", async () => {
    const d = await inspectFixture("hexpm");
    const router = app(d).phoenix?.routers[0];
    expect(router?.routes).toHaveLength(296);
    const paths = router?.routes.map((r) => `${r.verb} ${r.path}`) ?? [];
    expect(paths).toContain("post /api/publish");
    expect(paths).toContain("post /api/repos/:repository/publish");
    expect(paths).toContain("match :* /*path");
    expect(router?.liveSessions.map((s) => [s.name, s.liveViews.length])).toEqual([
      ["packages", 3],
      ["preview", 1],
    ]);
    const plugs = app(d).phoenix?.endpoints[0]?.plugs ?? [];
    expect(plugs.find((p) => p.plug === "Plug.SSL")?.conditional).toBe("if Mix.env() == :prod");
    expect(plugs.at(-1)?.plug).toBe("HexpmWeb.Router");
    expect(app(d).phoenix?.endpoints[0]?.sockets.map((s) => s.path)).toEqual(["/live", "/phoenix/live_reload/socket"]);
    expect(app(d).deployment.releases.map((r) => r.name)).toEqual(["hexpm"]);
    expect(new Set(app(d).deployment.environment.map((e) => e.name)).size).toBe(54);
    expect(app(d).deployment.environment.filter((e) => e.env === "code").map((e) => e.name)).toEqual(["HEXPM_READ_ONLY_MODE", "HEXPM_CLUSTER"]);
    expect(app(d).deployment.environment.find((e) => e.name === "HEXPM_SIGNING_KEY")).toMatchObject({ required: true, env: "runtime" });
    expect(ids(d)).toContain("Cluster.Supervisor");
    expect(unread(d)).toEqual(["supervision tree: goth_spec()", "distribution: Cluster.Supervisor"]);
  });

  it("changelog.com (Supervisor.Spec era): the deprecated worker/supervisor children found by rule; nested resources read; a mix.exs whose mod: names a module not in lib/ said so", async () => {
    const d = await inspectFixture("changelog");
    expect(app(d).supervisionTree).toBeNull();
    expect(unread(d)).toEqual(["supervision tree: mod: {Changelog, _}"]);
    expect(app(d).phoenix?.routers[0]?.routes.map((r) => r.path)).toContain("/admin/podcasts/:id/episodes");
    expect(app(d).phoenix?.routers[0]?.pipelines.map((p) => p.name)).toEqual(["browser", "api", "admin", "public"]);
    expect(app(d).deployment.health.map((h) => h.via)).toEqual(["ChangelogWeb.Endpoint: plug ChangelogWeb.Plug.HealthCheck"]);
  });

  it("supabase realtime: children appended with ++ and a rebinding through case shown, computed parts unread; :syn groups; a pipe_through under `unless Mix.env()` kept with its condition; three PartitionSupervisors are not duplicate ids", async () => {
    const d = await inspectFixture("realtime");
    expect(ids(d).slice(-4)).toEqual(["Cachex", "extensions_supervisors()", "Realtime.Tenants.ScheduledMessageCleanup", "children = case Replica.replica() do Realtime.Repo -> children replica -> List.insert_at(children, 2, replica) end"]);
    expect(unread(d)).toEqual([
      "supervision tree: extensions_supervisors()",
      "supervision tree: children = case Replica.replica() do Realtime.Repo -> children repl...",
      "distribution: Cluster.Supervisor",
    ]);
    expect(app(d).distribution.pg.map((p) => p.what)).toContain(":syn.join(RegionNodes, region, self(), node: node())");
    expect(app(d).findings).toEqual([]);
    const admin = app(d).phoenix?.routers[0]?.routes.find((r) => r.path === "/admin");
    expect(admin?.pipelines).toEqual(["browser", "dashboard_admin (unless Mix.env() in [:dev, :test])"]);
    expect(app(d).quality.dialyzer?.settings).toContain("plt_add_apps: [:mix]");
  });

  it("nerves_hub_web: children through functions with several clauses, a case and an if (SocketDrano), the release's applications", async () => {
    const d = await inspectFixture("nerves_hub");
    expect(ids(d)).toEqual([
      "Ecto.Migrator",
      "Registry",
      "Registry",
      "Finch",
      "NervesHub.Metrics",
      "NervesHub.RateLimit",
      "NervesHub.LoadBalancer",
      "NervesHub.Repo",
      "NervesHub.ObanRepo",
      "Phoenix.PubSub",
      "DNSCluster",
      "Task.Supervisor",
      "Oban",
      "NervesHub.Tracker",
      "NervesHub.Devices.Supervisor",
      "NervesHubWeb.DeviceEndpoint",
      "NervesHubWeb.Endpoint",
      "NervesHub.Deployments.Supervisor",
      "SocketDrano",
    ]);
    expect(app(d).deployment.releases[0]?.settings).toContain("applications: [ opentelemetry_exporter: :permanent, opentelemetry: :temporary, nerves_hub: :permanent ]");
    expect(app(d).distribution.dnsCluster).toHaveLength(1);
    expect(app(d).deps.processing.map((x) => x.name)).toEqual(["oban", "oban_web"]);
    expect(app(d).quality.precommit?.alias).toBe("check");
  });

  it("asciinema-server, bob, papercups: a poolboy child computed, Supervisor.Spec found; a stale mod: said; a catch-all route and the swagger forward", async () => {
    const a = await inspectFixture("asciinema");
    expect(unread(a)).toEqual(["supervision tree: :poolboy.child_spec(:worker, Asciinema.PngGenerator.Rsvg.poolboy_co..."]);
    expect(app(a).findings.map((f) => f.rule)).toEqual(["supervisor-spec", "supervisor-spec"]);
    const b = await inspectFixture("bob");
    expect(unread(b)).toEqual(["supervision tree: mod: {Bob, _}"]);
    const p = await inspectFixture("papercups");
    expect(ids(p)).toEqual(["ChatApi.Repo", "ChatApiWeb.Telemetry", "Phoenix.PubSub", "ChatApiWeb.Presence", "ChatApiWeb.Endpoint", "Pow.Postgres.Store.AutoDeleteExpired"]);
    const routes = app(p).phoenix?.routers[0]?.routes.map((r) => `${r.verb} ${r.path}`) ?? [];
    expect(routes).toContain("forward /api/swagger");
    expect(routes).toContain("get /*path");
    expect(routes).toContain("live_dashboard /dashboard");
    // Its PubSub's options come from a `case` over the Redis URL: the name is not guessed.
    expect(unread(p)).toEqual(["supervision tree: Phoenix.PubSub's options: pub_sub_opts"]);
  });
});

describe.runIf(mirrorDir() !== undefined)("gen inspect on OTP libraries from the Hex mirror", () => {
  const unpack = (pkg: string): string => {
    const dir = path.join(tempDir(), pkg);
    mkdirSync(path.join(dir, "src"), { recursive: true });
    execFileSync("tar", ["-xf", path.join(mirrorDir() as string, "registry", "tarballs", `${pkg}.tar`), "-C", dir]);
    execFileSync("tar", ["-xzf", path.join(dir, "contents.tar.gz"), "-C", path.join(dir, "src")]);
    return path.join(dir, "src");
  };

  it.each([
    ["oban-2.23.1", "Oban.Application", ["Oban.Registry"], "genserver"],
    ["broadway-1.3.0", "Broadway.Application", [], "gen_stage"],
    ["horde-0.10.0", undefined, [], "genserver"],
    ["finch-0.23.0", undefined, [], "gen_statem"],
  ] as const)("%s: the application's tree, its processes, and nothing left out silently", async (pkg, appModule, children, kind) => {
    const dir = unpack(pkg);
    expect(existsSync(path.join(dir, "mix.exs"))).toBe(true);
    const d = await inspectJson(dir);
    expect(app(d).applicationModule).toBe(appModule);
    expect(app(d).supervisionTree?.children.map((c) => c.id) ?? []).toEqual(children);
    expect(app(d).processes.map((p) => p.kind)).toContain(kind);
    for (const u of d.unread) expect(u.reason.length).toBeGreaterThan(20);
  });
});
