// create-otp-app --phoenix, for real: the registry's phx_new (Phoenix 1.8.9)
// in the newest Elixir's chroot makes the app (the product's own process runner
// pointed into the chroot), the layer goes on top; then gen context and gen
// live in it, and the app's own `mix precommit` (compile --warnings-as-errors,
// format, credo --strict, dialyzer, the tests on PostgreSQL) passes. And where
// phx.new is missing, one line says how to install it: exit 2, nothing written.
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { createOtpApp } from "../../src/cli/create-main.js";
import { gen } from "../../src/cli/gen-main.js";
import { dropDatabasesNext, startPostgresNext } from "../hex.js";
import type { Prompter } from "../../src/core/io.js";
import { WRITE_QUESTION, captureIo, mixNext, elixirNextDir, snapshot, elixirNextGatesAt, elixirNextRoot, expectGatesPass, nextRunner, precommitNext, tempDir, testCounts, type NextProject } from "../helpers.js";
import { probeAll } from "../elixir/probe.js";
import { runOk } from "../e2e/packed.js";
import { inspectJson } from "../inspect.js";

const LONG = 1_800_000;
const APP = "pxa";
let at: NextProject;
let created: { code: number; out: string; err: string };

beforeAll(async () => {
  startPostgresNext(elixirNextRoot());
  dropDatabasesNext(elixirNextRoot(), [`${APP}_dev`, `${APP}_test`]);
  const { inside, outside } = elixirNextDir();
  const io = { ...captureIo(outside), mix: nextRunner() };
  const code = await createOtpApp([APP, "--phoenix", "--yes", "--no-install", "--no-git", "--no-check"], io);
  created = { code, out: io.text(), err: io.errText() };
  at = { outside: path.join(outside, APP), inside: `${inside}/${APP}` };
}, LONG);

describe("create-otp-app --phoenix", () => {
  it("writes phx.new's app and the layer in one plan, nothing left staged beside it", async () => {
    expect(created.code, created.err).toBe(0);
    expect(readdirSync(path.dirname(at.outside))).toEqual([APP]);
    const read = (f: string): string => readFileSync(path.join(at.outside, f), "utf8");
    // phx.new's own files, the favicon byte for byte as a binary.
    expect(read(`lib/${APP}_web/router.ex`)).toContain("defmodule PxaWeb.Router do");
    // (phx.new 1.8's favicon.ico is a PNG: its signature survives, so the bytes were not read as text.)
    expect(readFileSync(path.join(at.outside, "priv/static/favicon.ico")).subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    // mix.exs, read by Elixir: credo and dialyxir in deps, dialyzer/0, the precommit that runs them.
    const [credoDep, dialyxirDep] = await probeAll([
      { source: read("mix.exs"), what: "children::credo" },
      { source: read("mix.exs"), what: "children::dialyxir" },
    ]);
    expect(credoDep?.parses).toBe(true);
    expect(credoDep?.found.length).toBe(1);
    expect(dialyxirDep?.found.length).toBe(1);
    expect(read("mix.exs")).toMatch(/precommit: \[\s+"compile --warnings-as-errors",\s+"deps.unlock --unused",\s+"format --check-formatted",\s+"credo --strict",\s+"sobelow --config",\s+"dialyzer",\s+"test --cover"\s+\]/);
    expect(read("mix.exs")).toContain('{:sobelow, "~> 0.13", only: [:dev, :test], runtime: false}');
    // Sobelow's one ignore, named with why (the inline theme script and dev tools a CSP would need to allow).
    expect(read(".sobelow-conf")).toMatch(/exit: :low,[\s\S]*private: true,[\s\S]*# Config\.CSP: [\s\S]*"Config\.CSP"\n  \]\n\]\n$/);
    expect(read("mix.exs")).toContain("      test_coverage: test_coverage()\n");
    expect(read("mix.exs")).toContain("defp dialyzer do");
    expect(read(".gitignore")).toContain("/priv/plts/");
    expect(read(".credo.exs")).toContain(`"lib/${APP}_web/components/core_components.ex"`);
    // CI: PostgreSQL as a service, credo and dialyzer as steps.
    const ci = parseYaml(read(".github/workflows/ci.yml"));
    expect(ci.jobs.test.services.postgres.image).toMatch(/^postgres:/);
    const steps = (ci.jobs.test.steps as { run?: string }[]).map((s) => s.run).filter(Boolean);
    expect(steps).toEqual(expect.arrayContaining(["mix deps.unlock --check-unused", "mix assets.setup && mix assets.build", "mix credo --strict", "mix sobelow --config", "mix dialyzer --format github", "mix test --cover"]));
    expect(ci.concurrency["cancel-in-progress"]).toBe(true);
    expect(created.out).toContain("mix precommit");
    // The run is recorded by hashes only: phx.new's output is never re-planned, so no copies (its vendored JS is large).
    const [runFile] = readdirSync(path.join(at.outside, ".otpgen/runs"));
    const record = JSON.parse(read(`.otpgen/runs/${runFile}`)) as { generator: string; files: { path: string; sha256: string; written?: unknown }[] };
    expect(record.generator).toBe("phoenix-app");
    expect(record.files.find((f) => f.path === "mix.exs")?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(record.files.filter((f) => f.written !== undefined)).toEqual([]);
  });

  it("gen context, live --upload, genserver, presence, worker, telemetry --otel, rate-limiter --plug, live-component and hook, run from the installed package, work in it and gen tree shows the tree; the gates, credo --strict over every file, and its own mix precommit with dialyzer and Sobelow pass", async () => {
    for (const args of [
      ["context", "Blog", "Post", "posts", "title:string", "body:text"],
      // With an upload: the store, static_paths, the test config, .gitignore and Sobelow's ignore.
      ["live", "Catalog", "Product", "products", "name:string", "price:decimal", "--upload", "photo"],
      ["genserver", "Counter"],
      ["presence"],
      // Sobelow scans these too in precommit: an Oban job, tracing, the rate-limit Plug, a component and a hook.
      ["worker", "Emails.Digest", "--unique", "60s"],
      ["telemetry", "--otel"],
      ["rate-limiter", "RateLimiter", "--plug"],
      ["live-component", "Catalog.Note", "--live", "ProductLive.Show"],
      ["hook", "LocalTime", "--live", "ProductLive.Index"],
    ]) {
      // As a user runs them: the bins of the package npm pack made, installed (test/global-setup.ts).
      await runOk("gen", [...args, "--no-check"], at.outside);
    }
    // Re-planned at once, the four runs are up to date; phx.new's own run is not re-planned, and says why.
    const check = captureIo(at.outside);
    expect(await gen(["upgrade", "--check", "--json"], check), check.text()).toBe(0);
    const statuses = (JSON.parse(check.text()) as { runs: { generator: string; status: string; reason?: string }[] }).runs;
    expect(statuses.map((r) => [r.generator, r.status])).toEqual([
      ["phoenix-app", "skipped"],
      ...["context", "live", "genserver", "presence", "worker", "telemetry", "rate-limiter", "live-component", "hook"].map((g) => [g, "up to date"]),
    ]);
    expect(statuses[0]?.reason).toContain("not reproducible");
    // gen tree reads the supervision tree phx.new wrote, with the new children in it (the Endpoint last).
    const tree = captureIo(at.outside);
    expect(await gen(["tree"], tree), tree.errText()).toBe(0);
    const lines = tree.text().split("\n");
    expect(lines[0]).toMatch(/^Pxa\.Application/);
    const children = lines.filter((l) => /^[├└]── /.test(l)).map((l) => l.replace(/^[├└]── /, "").split(" ")[0]);
    expect(children).toEqual(expect.arrayContaining(["PxaWeb.Telemetry", "Pxa.Repo", "Phoenix.PubSub", "PxaWeb.Presence", "Pxa.Counter", "Oban", "Pxa.RateLimiter"]));
    expect(children[children.length - 1]).toBe("PxaWeb.Endpoint");
    const web = readFileSync(path.join(at.outside, "lib/pxa_web.ex"), "utf8");
    expect(web).toContain("def static_paths, do: ~w(assets fonts images favicon.ico robots.txt uploads)");
    expect(readFileSync(path.join(at.outside, ".sobelow-conf"), "utf8")).toContain('ignore_files: ["lib/pxa_web/uploads.ex", "lib/pxa_web/uploads/local.ex"]');
    expect(readFileSync(path.join(at.outside, ".gitignore"), "utf8")).toContain("\n/priv/static/uploads/\n");
    expect(readFileSync(path.join(at.outside, "config/test.exs"), "utf8")).toContain('config :pxa, PxaWeb.Uploads, dir: Path.join(System.tmp_dir!(), "pxa_uploads")');
    const gates = await elixirNextGatesAt(at, { credo: "all" });
    expectGatesPass(gates);
    expect(testCounts(gates.test.output)?.tests, gates.test.output).toBeGreaterThanOrEqual(20);
    const out = await precommitNext(at);
    expect(out.exitCode, out.output).toBe(0);
    expect(out.output).toMatch(/done \(passed successfully\)/);
    // Sobelow scanned the app and its generated code: no finding (a finding prints its confidence).
    expect(out.output).toContain("... SCAN COMPLETE ...");
    expect(out.output).not.toMatch(/ - (High|Medium|Low) Confidence/);
    // Above the coverage gate, phx.new's untested scaffolding left out by name in mix.exs.
    expect(Number(/([\d.]+)% \| Total/.exec(out.output)?.[1]), out.output).toBeGreaterThanOrEqual(85);
    expect(readFileSync(path.join(at.outside, "mix.exs"), "utf8")).toContain("      summary: [threshold: 85],\n      ignore_modules: [\n        PxaWeb,\n        PxaWeb.CoreComponents,\n");
    expect(testCounts(out.output)?.failures, out.output).toBe(0);
  }, LONG);
});

describe("gen inspect on the Phoenix app, with mix phx.gen.auth and phx.gen.live", () => {
  it("live_sessions with their on_mount, the auth LiveViews by route, the User and UserToken schemas, the user scope, the upload field, migrations, Presence, Oban, OpenTelemetry and the gates; the JSON valid", async () => {
    for (const args of [["phx.gen.auth", "Accounts", "User", "users", "--live"], ["deps.get"], ["phx.gen.live", "Inventory", "Category", "categories", "name:string"]]) {
      const r = await mixNext(at, args);
      expect(r.exitCode, `${args.join(" ")}: ${r.output}`).toBe(0);
    }
    const d = await inspectJson(at.outside);
    const a = d.apps[0];
    const router = a?.phoenix?.routers[0];
    expect(router?.liveSessions.map((s) => [s.name, s.onMount])).toEqual(
      expect.arrayContaining([
        ["require_authenticated_user", ["{PxaWeb.UserAuth, :require_authenticated}"]],
        ["current_user", ["{PxaWeb.UserAuth, :mount_current_scope}"]],
      ]),
    );
    expect(router?.routes.map((r) => `${r.verb} ${r.path}`)).toEqual(expect.arrayContaining(["live /users/log-in", "live /users/register", "post /users/log-in", "delete /users/log-out"]));
    expect(a?.phoenix?.liveViews.find((l) => l.module === "PxaWeb.UserLive.Login")?.routes).toEqual(["/users/log-in :new"]);
    expect(a?.phoenix?.liveViews.map((l) => l.module)).toEqual(expect.arrayContaining(["PxaWeb.CategoryLive.Index", "PxaWeb.ProductLive.Form"]));
    expect(a?.phoenix?.liveComponents.length).toBeGreaterThanOrEqual(1);
    expect(a?.phoenix?.presence.map((p) => p.module)).toEqual(["PxaWeb.Presence"]);
    const schemas = new Map(a?.ecto?.schemas.map((s) => [s.module, s]));
    for (const m of ["Pxa.Accounts.User", "Pxa.Accounts.UserToken", "Pxa.Catalog.Product", "Pxa.Inventory.Category", "Pxa.Blog.Post"]) expect(schemas.has(m), m).toBe(true);
    expect(schemas.get("Pxa.Catalog.Product")?.fields.map((f) => f.name)).toContain("photo");
    expect(schemas.get("Pxa.Accounts.UserToken")?.associations.map((x) => `${x.kind} ${x.name}`)).toContain("belongs_to user");
    expect(a?.ecto?.scopes).toEqual([expect.objectContaining({ name: "user", default: true, module: "Pxa.Accounts.Scope" })]);
    expect(a?.ecto?.migrations[0]?.count).toBeGreaterThanOrEqual(5);
    expect(a?.supervisionTree?.children.map((c) => c.id)).toEqual(expect.arrayContaining(["Oban", "PxaWeb.Presence"]));
    expect(a?.observability.reporters.map((r) => r.what).join(" ")).toMatch(/Opentelemetry\w*\.setup/);
    expect(a?.quality).toMatchObject({ credo: { strict: true }, coverage: { threshold: 85 }, sobelow: { file: ".sobelow-conf" }, precommit: { alias: "precommit" } });
    expect(a?.generated.runs.map((r) => r.generator)).toEqual(expect.arrayContaining(["phoenix-app", "live", "worker"]));
    expect(a?.findings).toEqual([]);
    for (const u of d.unread) expect(u.reason.length).toBeGreaterThan(20);
  }, LONG);
});

describe("create-otp-app --phoenix at a terminal", () => {
  it("asks phx.new's choices and the layer's, shows the plan, confirms once; the answers write what the flags write", async () => {
    const { outside } = elixirNextDir();
    const asked: string[] = [];
    const picks: Record<string, unknown> = {
      "A database, with Ecto?": true,
      Database: "sqlite3",
      "LiveView?": true,
      "A mailer (Swoosh)?": false,
      "LiveDashboard?": false,
      [WRITE_QUESTION]: true,
    };
    const pick = <T>(message: string, fallback: T): T => {
      asked.push(message);
      return (message in picks ? picks[message] : fallback) as T;
    };
    const prompter: Prompter = {
      input: async (o) => pick(o.message, o.default ?? ""),
      confirm: async (o) => pick(o.message, o.default),
      select: async (o) => pick(o.message, o.default ?? o.choices[0]?.value ?? ""),
      checkbox: async (o) => pick(o.message, o.choices.filter((c) => c.checked).map((c) => c.value)),
      search: async (o) => pick(o.message, o.choices[0]?.value ?? ""),
    };
    const asked1 = { ...captureIo(path.join(outside, "a"), { interactive: true, prompter }), mix: nextRunner() };
    mkdirSync(path.join(outside, "a"));
    mkdirSync(path.join(outside, "b"));
    expect(await createOtpApp(["lite", "--phoenix", "--no-install", "--no-git", "--no-check"], asked1), asked1.errText()).toBe(0);
    expect(asked).toEqual(expect.arrayContaining(["A database, with Ecto?", "Database", "LiveView?", "A mailer (Swoosh)?", "LiveDashboard?", WRITE_QUESTION]));
    // One confirmation, after the plan.
    expect(asked.filter((q) => q === WRITE_QUESTION)).toHaveLength(1);
    expect(asked1.text()).toContain("mix.exs");

    const flags = { ...captureIo(path.join(outside, "b")), mix: nextRunner() };
    const args = ["lite", "--phoenix", "--database", "sqlite3", "--no-mailer", "--no-dashboard", "--yes", "--no-install", "--no-git", "--no-check"];
    expect(await createOtpApp(args, flags), flags.errText()).toBe(0);
    const a = snapshot(path.join(outside, "a", "lite"));
    const b = snapshot(path.join(outside, "b", "lite"));
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    // phx.new's secrets and salts are random; the layer's files and the rest are the same.
    for (const f of ["mix.exs", ".credo.exs", ".github/workflows/ci.yml", ".gitignore", "lib/lite/application.ex", "lib/lite_web/router.ex"]) expect(a[f], f).toBe(b[f]);
    expect(a["mix.exs"]).toContain(":ecto_sqlite3");
    expect(a["mix.exs"]).not.toContain(":swoosh");
    // No PostgreSQL service for SQLite.
    expect(parseYaml(a[".github/workflows/ci.yml"] as string).jobs.test.services).toBeUndefined();
  }, LONG);
});

describe("create-otp-app --phoenix without phx.new", () => {
  it("says how to install it in one line, exits 2 and writes nothing", async () => {
    // The host's Elixir (1.14) has no phx_new archive: Phoenix 1.8's needs 1.15.
    const cwd = tempDir();
    const io = captureIo(cwd);
    expect(await createOtpApp(["shop", "--phoenix", "--yes"], io)).toBe(2);
    const lines = io.errText().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/--phoenix needs the phx_new archive \(mix phx\.new\), which is not installed: mix archive\.install hex phx_new 1\.8/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("rejects a bad option before anything runs: exit 2, one line naming the input and the rule", async () => {
    const cwd = tempDir();
    const io = captureIo(cwd);
    expect(await createOtpApp(["shop", "--phoenix", "--database", "oracle", "--yes"], io)).toBe(2);
    expect(io.errText().trim().split("\n")).toHaveLength(1);
    expect(io.errText()).toMatch(/database/);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
