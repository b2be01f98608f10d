// create-otp-app --phoenix --umbrella, for real: phx.new 1.8's umbrella
// (apps/<app> with Ecto, apps/<app>_web) in the newest Elixir's chroot, the
// team's layer at the root and each app's coverage gate in its own mix.exs;
// gen in both apps, their config in the umbrella's config/; then the
// umbrella's own `mix precommit` at the root (compile --warnings-as-errors,
// format, credo --strict, dialyzer, each app's tests on PostgreSQL in its own
// folder, above its gate).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { inspectJson } from "../inspect.js";
import { parse as parseYaml } from "yaml";
import { createOtpApp } from "../../src/cli/create-main.js";
import { gen } from "../../src/cli/gen-main.js";
import { dropDatabasesNext, startPostgresNext } from "../hex.js";
import { captureIo, elixirNextDir, elixirNextGatesAt, elixirNextRoot, expectGatesPass, nextRunner, precommitNext, snapshot, testCounts, type NextProject } from "../helpers.js";

const LONG = 1_800_000;
const APP = "mkt_2";
const WEB = `${APP}_web`;
let at: NextProject;
let created: { code: number; out: string; err: string };
const read = (f: string): string => readFileSync(path.join(at.outside, f), "utf8");

beforeAll(async () => {
  startPostgresNext(elixirNextRoot());
  dropDatabasesNext(elixirNextRoot(), [`${APP}_dev`, `${APP}_test`]);
  const { inside, outside } = elixirNextDir();
  const io = { ...captureIo(outside), mix: nextRunner() };
  const code = await createOtpApp(["market", "--phoenix", "--umbrella", "--app", APP, "--yes", "--no-install", "--no-git", "--no-check"], io);
  created = { code, out: io.text(), err: io.errText() };
  at = { outside: path.join(outside, "market"), inside: `${inside}/market` };
}, LONG);

describe("create-otp-app --phoenix --umbrella", () => {
  it("writes phx.new's umbrella in DIR, the tools and precommit at its root, each app's coverage gate in its own mix.exs", () => {
    expect(created.code, created.err).toBe(0);
    for (const f of [`apps/${APP}/lib/${APP}/repo.ex`, `apps/${WEB}/lib/${WEB}/router.ex`, "config/runtime.exs"]) expect(existsSync(path.join(at.outside, f)), f).toBe(true);
    const root = read("mix.exs");
    expect(root).toContain('apps_path: "apps"');
    expect(root).toMatch(/\{:credo, "~> 1\.7", only: \[:dev, :test\], runtime: false\}/);
    expect(root).toMatch(/precommit: \[\s+"compile --warnings-as-errors",\s+"deps.unlock --unused",\s+"format --check-formatted",\s+"credo --strict",\s+"cmd --app mkt_2_web mix sobelow --config",\s+"dialyzer",\s+"cmd mix test --cover"\s+\]/);
    expect(root).not.toContain("test_coverage");
    expect(read(`apps/${APP}/mix.exs`)).toContain("      ignore_modules: [\n        Mkt2.Application,\n        Mkt2.Repo,\n        Mkt2.DataCase\n      ]");
    expect(read(`apps/${WEB}/mix.exs`)).toContain("      ignore_modules: [\n        Mkt2Web,\n        Mkt2Web.CoreComponents,\n");
    expect(read(".credo.exs")).toContain(`"apps/${WEB}/lib/${WEB}/components/core_components.ex"`);
    expect(read(".credo.exs")).toContain('included: ["apps/*/lib/", "apps/*/src/", "apps/*/test/"]');
    const ci = parseYaml(read(".github/workflows/ci.yml"));
    const steps = (ci.jobs.test.steps as { run?: string }[]).map((s) => s.run).filter(Boolean);
    expect(steps).toEqual(expect.arrayContaining([`mix cmd --app ${WEB} mix assets.setup && mix cmd --app ${WEB} mix assets.build`, "mix cmd mix test --cover", "mix credo --strict", `mix cmd --app ${WEB} mix sobelow --config`]));
    // Sobelow scans one Phoenix app, from its folder: its dep and config are the web app's.
    expect(read(`apps/${WEB}/.sobelow-conf`)).toContain('"Config.CSP"');
    expect(read(`apps/${WEB}/mix.exs`)).toContain('{:sobelow, "~> 0.13", only: [:dev, :test], runtime: false}');
    expect(root).not.toContain(":sobelow");
  });

  it("gen works in both apps, their config in the umbrella's config/; gen live, presence and channel in the web app with the context in the domain app; the gates and the umbrella's own mix precommit pass at the root", async () => {
    for (const [cwd, args] of [
      [at.outside, ["genserver", "Counter", "--app", APP]],
      [at.outside, ["context", "Catalog", "Product", "products", "name:string", "price:integer", "--app", APP]],
      [path.join(at.outside, "apps", WEB), ["periodic", "Refresher", "--every", "1m"]],
    ] as const) {
      const io = captureIo(cwd);
      expect(await gen([...args, "--no-check"], io), `${args.join(" ")}: ${io.errText()}`).toBe(0);
      expect(io.text()).not.toContain("Do by hand");
    }
    for (const app of [APP, WEB]) expect(existsSync(path.join(at.outside, "apps", app, "config")), app).toBe(false);
    expect(read("config/config.exs")).toMatch(/metadata: \[[^\]]*:scheduler/);

    // The Phoenix generators go in the web app; in the domain app they are refused with where to run them
    // (one line, exit 2, nothing written).
    const apps = path.join(at.outside, "apps");
    const before = snapshot(apps);
    const refused = captureIo(at.outside);
    expect(await gen(["live", "Shelf", "Item", "items", "name:string", "--app", APP, "--no-check"], refused)).toBe(2);
    expect(refused.errText()).toBe(`gen live: gen live writes into the umbrella's web app: run it with --app ${WEB} (or from apps/${WEB}); what belongs to ${APP} goes there\n`);
    expect(snapshot(apps)).toEqual(before);

    // gen live from the web app: the context, its schema, migration, tests and fixtures in the domain app, the
    // LiveViews and routes in the web app, with an upload (its store, static_paths, the test config, .gitignore and
    // Sobelow's ignore in the web app); its undo takes back all of it, to the byte.
    const tried = captureIo(at.outside);
    expect(await gen(["live", "Shelf", "Item", "items", "name:string", "--upload", "photo", "--app", WEB, "--no-check"], tried), tried.errText()).toBe(0);
    expect(read(`apps/${WEB}/lib/${WEB}.ex`)).toContain("robots.txt uploads)");
    expect(read("config/test.exs")).toContain(`config :${WEB}, Mkt2Web.Uploads, dir:`);
    expect(existsSync(path.join(apps, APP, "lib", APP, "shelf.ex"))).toBe(true);
    expect(existsSync(path.join(apps, WEB, "lib", WEB, "live", "item_live", "index.ex"))).toBe(true);
    const undone = captureIo(at.outside);
    expect(await gen(["undo", "--app", WEB, "--yes", "--no-mix-check"], undone), undone.errText()).toBe(0);
    const after = snapshot(apps);
    // Every file is as before, the run's record (kept, as undone) aside.
    expect(JSON.parse(after[`${WEB}/.otpgen/runs/live.json`] as string).generator).toBe("live");
    delete after[`${WEB}/.otpgen/runs/live.json`];
    expect(after).toEqual(before);

    for (const [cwd, args] of [
      [path.join(apps, WEB), ["live", "Catalog", "Item", "items", "title:string", "stock:integer", "--upload", "photo"]],
      [path.join(apps, WEB), ["presence"]],
      [at.outside, ["channel", "Room", "--app", WEB]],
      // In the web app, with its Plug in the :browser pipeline: Sobelow scans it in precommit.
      [path.join(apps, WEB), ["rate-limiter", "RateLimiter", "--plug"]],
      [path.join(apps, WEB), ["live-component", "Title", "--live", "ItemLive.Show"]],
      [path.join(apps, WEB), ["hook", "LocalTime", "--live", "ItemLive.Show"]],
    ] as const) {
      const io = captureIo(cwd);
      expect(await gen([...args, "--no-check"], io), `${args.join(" ")}: ${io.errText()}`).toBe(0);
      expect(io.text()).not.toContain("Do by hand");
    }
    // Both gen context runs went to the one context module, in the domain app.
    const catalog = read(`apps/${APP}/lib/${APP}/catalog.ex`);
    expect(catalog).toContain("def list_products");
    expect(catalog).toContain("def list_items");
    expect(read(`apps/${WEB}/lib/${WEB}/router.ex`)).toContain('live "/items", ItemLive.Index, :index');
    expect(read(`apps/${WEB}/lib/${WEB}/router.ex`)).toMatch(/plug :put_secure_browser_headers\n {4}plug Mkt2Web\.Plugs\.RateLimiter\n {2}end/);
    // The Presence is started by the web app, before its Endpoint; the PubSub it uses is the domain app's.
    expect(read(`apps/${WEB}/lib/${WEB}/presence.ex`)).toContain("pubsub_server: Mkt2.PubSub");
    expect(read(`apps/${WEB}/lib/${WEB}/application.ex`)).toMatch(/Mkt2Web\.Presence,[\s\S]*Mkt2Web\.Endpoint/);

    const gates = await elixirNextGatesAt(at, { credo: "all" });
    expectGatesPass(gates);
    const out = await precommitNext(at);
    expect(out.exitCode, out.output).toBe(0);
    expect(out.output).toMatch(/done \(passed successfully\)/);
    // Sobelow scanned the web app: no finding.
    expect(out.output).toContain("... SCAN COMPLETE ...");
    expect(out.output).not.toMatch(/ - (High|Medium|Low) Confidence/);
    // Each app held to its own gate, in its own folder.
    const totals = [...out.output.matchAll(/([\d.]+)% \| Total/g)].map((m) => Number(m[1]));
    expect(totals, out.output).toHaveLength(2);
    for (const total of totals) expect(total, out.output).toBeGreaterThanOrEqual(85);
    expect(testCounts(out.output)?.failures, out.output).toBe(0);
  }, LONG);

  it("gen inspect at the umbrella's root: both apps from their folders, paths from the root, the web app's endpoint and routes, the domain app's repo and schema, the umbrella's own gates and runs; the JSON valid", async () => {
    const d = await inspectJson(at.outside);
    expect(d.umbrella).toBe(true);
    expect(d.apps.map((a) => [a.app, a.path])).toEqual([
      [APP, `apps/${APP}`],
      [WEB, `apps/${WEB}`],
    ]);
    const [domain, web] = d.apps;
    expect(domain?.ecto?.repos.map((r) => r.file)).toEqual([`apps/${APP}/lib/${APP}/repo.ex`]);
    expect(domain?.ecto?.schemas.map((s) => s.module)).toContain("Mkt2.Catalog.Product");
    expect(domain?.supervisionTree?.children.map((c) => c.id)).toContain("Mkt2.Counter");
    expect(web?.phoenix?.endpoints.map((e) => e.module)).toEqual(["Mkt2Web.Endpoint"]);
    expect(web?.phoenix?.routers[0]?.routes.length).toBeGreaterThan(0);
    expect(web?.deps.other.map((x) => x.name)).toContain(APP);
    expect(web?.deps.other.find((x) => x.name === APP)?.inUmbrella).toBe(true);
    expect(d.umbrellaRoot?.quality.precommit?.alias).toBe("precommit");
    expect(d.umbrellaRoot?.generated.runs.length).toBeGreaterThan(0);
    expect(d.umbrellaRoot?.observability.loggerMetadata.map((m) => m.keys).join(" ")).toContain(":scheduler");
    for (const u of d.unread) expect(u.reason.length).toBeGreaterThan(20);
  });
});
