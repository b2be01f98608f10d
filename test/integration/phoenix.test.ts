// Phoenix for real, on the newest Elixir (Phoenix 1.8 needs Elixir 1.15+), in
// its chroot, with PostgreSQL. Two baselines made here with the registry's
// phx_new: a plain `mix phx.new` app, and one with `mix phx.gen.auth Accounts
// User users --live` (Phoenix 1.8 scopes). In each: gen context, gen live
// (enum and references; scoped and unscoped), gen channel and gen presence;
// then the real gates against the real libraries (deps.get, format, compile
// --warnings-as-errors in dev and test, credo --strict on the files the
// generators wrote or changed, with credo added as create-otp-app adds it, the
// tests on PostgreSQL) and the app's own `mix precommit`. Both get Oban
// workers (gen worker): unique, scheduled, two crontab entries in one config.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { diffLines } from "diff";
import { beforeAll, describe, expect, it } from "vitest";
import { createOtpApp } from "../../src/cli/create-main.js";
import { probeAll } from "../elixir/probe.js";
import { gen } from "../../src/cli/gen-main.js";
import { dropDatabasesNext, startPostgresNext } from "../hex.js";
import { captureIo, depsNext, elixirNextDir, elixirNextGatesAt, elixirNextRoot, expectGatesPass, mixNext, snapshot, tempDir, testCounts, type NextProject } from "../helpers.js";

const RUNS: Record<"shop" | "store", string[][]> = {
  // phx.new alone: no scopes.
  shop: [
    ["context", "Blog", "Post", "posts", "title:string", "body:text", "published:boolean", "views:integer"],
    ["live", "Blog", "Comment", "comments", "body:text", "post_id:references:posts"],
    ["live", "Catalog", "Product", "products", "name:string:unique", "price:decimal", "status:enum:draft,live"],
    ["channel", "Room"],
    ["presence"],
    // phx.new's ShopWeb.Telemetry extended: the app's metrics in LiveDashboard's list, Prometheus by config.
    ["telemetry", "--prometheus"],
    // Oban set up (config, migration, child after the Repo) with a unique job.
    ["worker", "Emails.Digest", "--unique", "60s"],
    // A limiter and its Plug in the :api pipeline (429 with retry-after per client address).
    ["rate-limiter", "Edge.Throttle", "--plug", "--pipeline", "api"],
    // A LiveComponent, its parent's handle_info/2 clause added among gen live's own.
    ["live-component", "Catalog.Note", "--live", "ProductLive.Show"],
    // A colocated JS hook, its report handled by a LiveView that has handle_event/3 clauses already.
    ["hook", "LocalTime", "--live", "ProductLive.Index"],
  ],
  // phx.gen.auth --live: the user scope is the default.
  store: [
    ["context", "Blog", "Post", "posts", "title:string", "body:text"],
    ["live", "Catalog", "Product", "products", "name:string", "status:enum:draft,live", "post_id:references:posts"],
    ["live", "Notes", "Note", "notes", "body:text", "--no-scope", "--public"],
    // Unscoped but behind log-in, by name: the tests log in, and a logged-out visitor is sent away.
    ["live", "Board", "Pin", "pins", "title:string", "--no-scope", "--router-scope", "require_authenticated_user"],
    ["channel", "Room"],
    ["presence"],
    // Health (its plug before the router, the check's test), the Release module, bin/migrate.
    ["release", "--k8s"],
    // With tracing: Bandit's, Phoenix's and Ecto's spans set up in start/2, a query's span in its test.
    ["telemetry", "--otel"],
    // Two scheduled jobs in their own queues: the second adds to the crontab the first made.
    ["worker", "Billing.Sweep", "--queue", "billing", "--max-attempts", "5", "--cron", "*/5 * * * *"],
    ["worker", "Reports.Weekday", "--queue", "reports", "--cron", "0 9-17 * * MON-FRI", "--unique", "24h", "--timeout", "30m"],
    // Per logged-in user, after the :browser pipeline's fetch_current_scope_for_user.
    ["rate-limiter", "RateLimiter", "--plug", "--by", "user", "--limit", "100", "--per", "1m"],
    // Into a LiveView with no handle_info/2 (phx.gen.auth's settings page, which sends mail).
    ["live-component", "Profile.Nickname", "--live", "UserLive.Settings"],
  ],
};

const LONG = 1_800_000;
const apps: Record<"shop" | "store", NextProject> = { shop: { outside: "", inside: "" }, store: { outside: "", inside: "" } };
/** The Elixir files each app's generators created or changed, from their --json reports. */
const written: Record<"shop" | "store", Set<string>> = { shop: new Set(), store: new Set() };
/** Each app's files before the generators ran (the baseline), to tell their lines from the generators'. */
const baseline: Record<"shop" | "store", Record<string, string>> = { shop: {}, store: {} };

/** Line numbers (1-based) of `after` that are not in `before`. */
function addedLines(before: string, after: string): Set<number> {
  const out = new Set<number>();
  let line = 1;
  for (const part of diffLines(before, after)) {
    const n = part.count ?? 0;
    if (part.added) for (let i = 0; i < n; i++) out.add(line + i);
    if (!part.removed) line += n;
  }
  return out;
}

/**
 * credo --strict over the generated files that the project's .credo.exs
 * covers (lib/ and test/; not priv/'s migrations), counting findings on the
 * lines the generators wrote: a file they only patched (phx.gen.auth's Scope,
 * which gets `@type t`) keeps its own findings to itself.
 */
function credoOf(app: "shop" | "store"): { credo: string[]; credoLines: (file: string, line: number) => boolean } {
  const files = [...written[app]].filter((f) => /^(lib|test)\//.test(f));
  const changed = new Map<string, Set<number>>();
  for (const f of files) {
    const before = baseline[app][f];
    if (before !== undefined) changed.set(f, addedLines(before, readFileSync(path.join(apps[app].outside, f), "utf8")));
  }
  return { credo: files, credoLines: (file, line) => changed.get(file)?.has(line) ?? true };
}

async function mixOk(p: NextProject, args: string[]): Promise<string> {
  const r = await mixNext(p, args);
  expect(r.exitCode, `mix ${args.join(" ")}:\n${r.output}`).toBe(0);
  return r.output;
}

/** credo as create-otp-app adds it: the dev/test dependency and its strict .credo.exs. */
function addCredo(dir: string, credoExs: string): void {
  const mixExs = path.join(dir, "mix.exs");
  const source = readFileSync(mixExs, "utf8");
  const added = source.replace(/ {2}defp deps do\n {4}\[\n/, (m) => `${m}      {:credo, "~> 1.7", only: [:dev, :test], runtime: false},\n`);
  expect(added).not.toBe(source);
  writeFileSync(mixExs, added);
  writeFileSync(path.join(dir, ".credo.exs"), credoExs);
}

beforeAll(async () => {
  startPostgresNext(elixirNextRoot());
  dropDatabasesNext(elixirNextRoot(), ["shop_dev", "shop_test", "store_dev", "store_test"]);
  const { inside, outside } = elixirNextDir();
  const top = { inside, outside };
  for (const app of ["shop", "store"] as const) {
    await mixOk(top, ["phx.new", app, "--no-install"]);
    apps[app] = { inside: `${inside}/${app}`, outside: path.join(outside, app) };
  }
  // phx.gen.auth runs in the app: its deps first (from the cache when it has them).
  const deps = await depsNext(apps.store);
  expect(deps.exitCode, deps.output).toBe(0);
  await mixOk(apps.store, ["phx.gen.auth", "Accounts", "User", "users", "--live"]);

  const cwd = tempDir();
  expect(await createOtpApp(["ref", "--yes", "--no-install", "--no-git", "--no-check"], captureIo(cwd))).toBe(0);
  const credoExs = readFileSync(path.join(cwd, "ref", ".credo.exs"), "utf8");
  for (const app of ["shop", "store"] as const) {
    addCredo(apps[app].outside, credoExs);
    for (const top of ["lib", "test"]) {
      for (const [f, text] of Object.entries(snapshot(path.join(apps[app].outside, top)))) baseline[app][`${top}/${f}`] = text;
    }
    for (const args of RUNS[app]) {
      const io = captureIo(apps[app].outside);
      expect(await gen([...args, "--no-check", "--json"], io), `${args.join(" ")}: ${io.errText()}`).toBe(0);
      const report = JSON.parse(io.text()) as { files: { path: string; action: string }[]; manual: unknown[] };
      expect(report.manual, args.join(" ")).toEqual([]);
      for (const f of report.files) if (/\.exs?$/.test(f.path) && f.action !== "identical") written[app].add(f.path);
    }
  }
}, LONG);

describe("Phoenix 1.8 on the newest Elixir, with PostgreSQL", () => {
  it("a plain phx.new app with context, live (enum, references), channel and presence passes the gates, credo --strict on the generated files included", async () => {
    const files = [...written.shop];
    expect(files).toEqual(expect.arrayContaining(["lib/shop/blog.ex", "lib/shop_web/live/product_live/index.ex", "lib/shop_web/channels/room_channel.ex", "lib/shop_web/router.ex", "lib/shop/application.ex", "test/shop_web/presence_test.exs"]));
    const gates = await elixirNextGatesAt(apps.shop, credoOf("shop"));
    expectGatesPass(gates);
    // gen telemetry extended phx.new's ShopWeb.Telemetry (real Elixir reads it) and started no second supervisor.
    const [telemetry, application] = await probeAll([
      { source: readFileSync(path.join(apps.shop.outside, "lib/shop_web/telemetry.ex"), "utf8"), what: "telemetry:ShopWeb.Telemetry" },
      { source: readFileSync(path.join(apps.shop.outside, "lib/shop/application.ex"), "utf8"), what: "children:ShopWeb.Telemetry" },
    ]);
    expect(telemetry?.found).toEqual(["reporters: Shop.Telemetry.reporters(metrics())", "init: children ++ reporters", "metrics: Shop.Telemetry.metrics()"]);
    expect(application?.found.join(",").split(",").filter((c) => c.endsWith("Telemetry"))).toEqual(["ShopWeb.Telemetry"]);
    // phx.new's own tests, and the generated ones: context, three LiveViews' worth, the channel and its socket, presence.
    expect(testCounts(gates.test.output)?.tests, gates.test.output).toBeGreaterThanOrEqual(40);
  }, LONG);

  it("a phx.gen.auth --live app with scoped context and live, an unscoped live, channel and presence passes the gates, credo --strict on the generated files included", async () => {
    const files = [...written.store];
    expect(files).toEqual(expect.arrayContaining(["lib/store/blog.ex", "lib/store_web/live/note_live/index.ex", "lib/store_web/router.ex"]));
    expect(readFileSync(path.join(apps.store.outside, "lib/store/catalog.ex"), "utf8")).toContain("def list_products(%Scope{} = scope)");
    const gates = await elixirNextGatesAt(apps.store, credoOf("store"));
    expectGatesPass(gates);
    // The release serves HTTP (PHX_SERVER) and carries its assets, built after compile (colocated hooks).
    const read = (f: string): string => readFileSync(path.join(apps.store.outside, f), "utf8");
    expect(read("rel/overlays/bin/server")).toContain("PHX_SERVER=true exec ./store start");
    expect(read("Dockerfile")).toMatch(/COPY assets assets\nRUN mix compile\n.*\nRUN mix assets\.deploy\n/);
    expect(read("lib/store_web/endpoint.ex")).toContain("plug StoreWeb.Plugs.Health");
    // The channel's socket belongs to the login session (its generated test logs in and out through UserAuth).
    expect(read("lib/store_web/endpoint.ex")).toContain('socket "/socket", StoreWeb.UserSocket,\n    websocket: [connect_info: [session: @session_options]],');
    expect(read("lib/store_web/channels/user_socket.ex")).toContain("def id(socket), do: socket.assigns.session_topic");
    // phx.new's StoreWeb.Telemetry extended, no console reporter in dev (LiveDashboard shows the metrics).
    expect(read("config/dev.exs")).not.toContain("Store.Telemetry");
    // Oban: its child right after the Repo (read by Elixir), one migration for two workers, stored not run in test.
    const [children] = await probeAll([{ source: read("lib/store/application.ex"), what: "children:Store.Repo" }]);
    const heads = children?.found.join(",").split(",") ?? [];
    expect(heads[heads.indexOf("Store.Repo") + 1], heads.join(" ")).toBe("Oban");
    expect(readdirSync(path.join(apps.store.outside, "priv/repo/migrations")).filter((f) => f.endsWith("_add_oban_jobs_table.exs"))).toHaveLength(1);
    expect(read("config/test.exs")).toContain("config :store, Oban, testing: :manual\n");
    // Tracing: the libraries' instrumentation where the app has them, before the tree starts.
    expect(read("lib/store/telemetry.ex")).toMatch(/def setup_tracing do\n {4}OpentelemetryBandit\.setup\(\)\n {4}OpentelemetryPhoenix\.setup\(adapter: :bandit\)\n {4}OpentelemetryEcto\.setup\(\[:store, :repo\]\)\n/);
    expect(testCounts(gates.test.output)?.tests, gates.test.output).toBeGreaterThanOrEqual(100);
    // The settings page got a handle_info/2 for the component and still ignores the other messages it is
    // sent (Swoosh's test adapter mails it {:email, email}): no LiveView process crashed in the tests.
    expect(gates.test.output).not.toContain("FunctionClauseError");
    expect(gates.test.output).not.toMatch(/StoreWeb\.UserLive\.Settings.*terminating|terminating[\s\S]{0,400}UserLive\.Settings/);
  }, LONG);

  it.each(["shop", "store"] as const)("the %s app passes its own mix precommit (phx.new's: compile --warnings-as-errors, deps.unlock --unused, format, test)", async (app) => {
    const out = await mixOk(apps[app], ["precommit"]);
    expect(testCounts(out)?.failures, out).toBe(0);
  }, LONG);
});
