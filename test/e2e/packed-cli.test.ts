// The built CLI, installed from `npm pack` output as a user gets it (see
// test/global-setup.ts): create-otp-app, every built-in generator group, the
// check step, --json against its schema, bad input, prompts at a real
// terminal, and the loader's code cache.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { Ajv2020 } from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import { copyOf, elixirGates, expectGatesPass, hexEnv, phoenixUnformatted, snapshot, tempDir, testCounts, unformatted, withTelemetryDep } from "../helpers.js";
import { RUNS } from "../runs.js";
import { parseMermaid } from "../mermaid.js";
import { REPO, binDir, errorReportSchema, fixtureCopy, jsonReport, runBin, runInPty, runOk, statusSchema, treeHash, undoSchema, unparsable, upgradeSchema } from "./packed.js";

const BARE = ["--yes", "--no-install", "--no-git", "--no-check", "--no-ci", "--no-credo", "--no-dialyxir", "--no-ex-doc"];

/** A bare project (no tool deps: credo, dialyxir, ex_doc), made by the installed create-otp-app once per file. */
let bare: string;
beforeAll(async () => {
  const cwd = tempDir();
  await runOk("create-otp-app", ["packed", ...BARE], cwd);
  bare = path.join(cwd, "packed");
});

describe("create-otp-app, installed", () => {
  it("create-otp-app demo --yes writes a project that passes format, compile and tests", async () => {
    const cwd = tempDir();
    const r = await runBin("create-otp-app", ["demo", "--yes", "--no-install", "--no-git"], cwd);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("create    mix.exs");
    expect(r.stdout).toMatch(/✔ format/);
    expect(r.stdout).toContain("Next steps");
    expectGatesPass(await elixirGates(path.join(cwd, "demo")));
  });

  it("--umbrella: the root and apps/<app>; gen in the app, checked from the root, its config in the umbrella's config/; the gates pass at the root", async () => {
    const cwd = tempDir();
    const r = await runBin("create-otp-app", ["plat_1", "--umbrella", "--app", "core_1", "--yes", "--no-install", "--no-git"], cwd);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("create    apps/core_1/mix.exs");
    expect(r.stdout).toMatch(/✔ format/);
    const root = path.join(cwd, "plat_1");
    const g = await runBin("gen", ["genserver", "Pump", "--app", "core_1"], root);
    expect(g.code, g.stdout + g.stderr).toBe(0);
    expect(g.stdout).toContain("update    ../../config/config.exs");
    // Checked from the umbrella's root (formatted by the root's .formatter.exs and its subdirectories).
    expect(g.stdout).toMatch(/✔ format/);
    expect(existsSync(path.join(root, "apps/core_1/config"))).toBe(false);
    expectGatesPass(await elixirGates(root, { credo: "all" }));
  });

  it("writes byte for byte what the sources write (the bundle's precompiled templates match the templates); the result, a team's partial in it, passes the gates", async () => {
    const { createOtpApp } = await import("../../src/cli/create-main.js");
    const { gen } = await import("../../src/cli/gen-main.js");
    const { captureIo } = await import("../helpers.js");
    const fromBin = tempDir();
    const fromSrc = tempDir();
    await runOk("create-otp-app", ["same", ...BARE], fromBin);
    expect(await createOtpApp(["same", ...BARE], captureIo(fromSrc))).toBe(0);
    // A team's partial under the built-in (precompiled) templates renders as the templates do: unescaped.
    for (const root of [fromBin, fromSrc]) {
      mkdirSync(path.join(root, "same/.otpgen/templates/_partials"), { recursive: true });
      writeFileSync(path.join(root, "same/.otpgen/templates/_partials/moduledoc_footer.hbs"), "  Owned by {{str module}} & <platform>.\n");
    }
    for (const args of [["genserver", "Ticker", "--continue", "--every", "5s", "--registry"], ["periodic", "Sweep", "--singleton"], ["ets-cache", "Cache", "--ttl", "1m"]]) {
      await runOk("gen", [...args, "--no-check"], path.join(fromBin, "same"));
      expect(await gen([...args, "--no-check"], captureIo(path.join(fromSrc, "same")))).toBe(0);
    }
    // With :telemetry in the deps, the limiter and the breaker emit events.
    for (const root of [fromBin, fromSrc]) {
      const mixExs = path.join(root, "same", "mix.exs");
      writeFileSync(mixExs, withTelemetryDep(readFileSync(mixExs, "utf8")));
    }
    for (const args of [["rate-limiter", "Limiter"], ["circuit-breaker", "Breaker"]]) {
      await runOk("gen", [...args, "--no-check"], path.join(fromBin, "same"));
      expect(await gen([...args, "--no-check"], captureIo(path.join(fromSrc, "same")))).toBe(0);
    }
    expect(readFileSync(path.join(fromBin, "same/lib/same/breaker.ex"), "utf8")).toContain("@reject_event [:same, :circuit_breaker, :reject]");
    // Unescaped, and a paragraph of its own (after the moduledoc's last doctest).
    expect(readFileSync(path.join(fromBin, "same/lib/same/ticker.ex"), "utf8")).toContain('\n\n  Owned by "Same.Ticker" & <platform>.\n  """\n');
    expect(readFileSync(path.join(fromBin, "same/lib/same/breaker.ex"), "utf8")).toContain('      {:error, :open}\n\n  Owned by "Same.Breaker" & <platform>.\n');
    expect(snapshot(path.join(fromBin, "same"))).toEqual(snapshot(path.join(fromSrc, "same")));
    // Real Elixir on what the installed package wrote: format, compile (dev and test), the generated tests.
    expectGatesPass(await elixirGates(path.join(fromBin, "same")));
  });

  it("create-otp-app initialises a git repository from the installed package (git through Node's spawnSync)", async () => {
    const cwd = tempDir();
    const r = await runOk("create-otp-app", ["gitted", "--yes", "--no-install", "--no-check", "--json"], cwd);
    expect(jsonReport(r.stdout).tasks).toEqual([{ task: "git init", status: "passed", detail: "" }]);
    expect(readFileSync(path.join(cwd, "gitted/.git/HEAD"), "utf8")).toMatch(/^ref: refs\/heads\//);
  });

  it("output into a reader that has gone (gen list | true): exit 0, nothing on stderr", async () => {
    const cwd = tempDir();
    await runOk("create-otp-app", ["piped", ...BARE], cwd);
    // The reader exits at once; gen, starting later, writes into a closed pipe (EPIPE).
    const r = await execa("bash", ["-c", `"${path.join(binDir(), "gen")}" list | true; exit \${PIPESTATUS[0]}`], {
      cwd: path.join(cwd, "piped"),
      reject: false,
      env: { NO_COLOR: "1" },
    });
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
  });

  it("--json: one document that matches the schema, file by file", async () => {
    const cwd = tempDir();
    const r = await runOk("create-otp-app", ["jsoned", ...BARE, "--json"], cwd);
    const report = jsonReport(r.stdout);
    expect(report.ok).toBe(true);
    expect(report.files.map((f) => f.path)).toContain("lib/jsoned/application.ex");
    expect(report.files.every((f) => f.action === "create")).toBe(true);
  });

  it("--dry-run changes nothing on disk, byte for byte; its --json carries each file's diff", async () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, "keep.txt"), "mine\n");
    const before = treeHash(cwd);
    const r = await runOk("create-otp-app", ["dry", "--yes", "--dry-run", "--json"], cwd);
    expect(treeHash(cwd)).toEqual(before);
    const report = jsonReport(r.stdout);
    expect(report.dryRun).toBe(true);
    expect(report.files.find((f) => f.path === "mix.exs")?.diff).toContain("+++ b/mix.exs");
  });

  it("a bad name: exit 2, one line on stderr naming the input and the rule, nothing written; --json gives the error document", async () => {
    const cwd = tempDir();
    const r = await runBin("create-otp-app", ["demo", "--app", "Demo", "--yes"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual(['create-otp-app: invalid --app "Demo": an app name must start with a lowercase letter and contain only lowercase letters, digits and underscores']);
    const long = await runBin("create-otp-app", ["demo", "--module", `A${"b".repeat(300)}`, "--yes", "--json"], cwd);
    expect(long.code).toBe(2);
    expect(long.stderr).toContain("an atom holds at most 255 characters (this one has 308)");
    expect(errorReportSchema.parse(JSON.parse(long.stdout)).error).toContain("--module");
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("--phoenix where phx.new is not installed (the host's Elixir): one line saying how, exit 2, nothing written; --help lists phx.new's options", async () => {
    const cwd = tempDir();
    const r = await runBin("create-otp-app", ["shop", "--phoenix", "--yes"], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      "create-otp-app --phoenix: --phoenix needs the phx_new archive (mix phx.new), which is not installed: mix archive.install hex phx_new 1.8",
    ]);
    expect(readdirSync(cwd)).toEqual([]);
    const help = await runBin("create-otp-app", ["--phoenix", "--help"], cwd);
    expect(help.code).toBe(0);
    for (const flag of ["--no-ecto", "--database", "--binary-id", "--no-live", "--no-mailer", "--no-dashboard", "--no-ci"]) expect(help.stdout).toContain(flag);
  });

  it("a directory name that is no app name: cleaned (Bad-Name -> bad_name) or refused naming --app", async () => {
    const cwd = tempDir();
    await runOk("create-otp-app", ["Bad-Name", ...BARE], cwd);
    expect(readFileSync(path.join(cwd, "Bad-Name/mix.exs"), "utf8")).toContain("app: :bad_name,");
    const r = await runBin("create-otp-app", ["1st", ...BARE], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^create-otp-app: cannot name the app after the directory "1st" \(.*\); pass --app NAME$/);
    expect(existsSync(path.join(cwd, "1st"))).toBe(false);
  });

  it("at a real terminal, Ctrl-C at the first prompt exits cleanly and writes nothing", async () => {
    const cwd = tempDir();
    const r = await runInPty(cwd, "create-otp-app", [], [["Project directory", "<ctrl-c>"]]);
    expect(r.output).toContain("cancelled; nothing was written");
    expect(r.exit, r.output).toBe(130);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("at a real terminal, the prompts take answers and the project is written", async () => {
    const cwd = tempDir();
    // Answer the directory, then confirm the plan shown.
    const r = await runInPty(
      cwd,
      "create-otp-app",
      ["--no-install", "--no-git", "--no-check", "--no-ci", "--no-credo", "--no-dialyxir", "--no-ex-doc", "--app", "typed_app", "--module", "TypedApp"],
      [["Project directory", "typed_app<enter>"], ["Write these changes?", "<enter>"]],
    );
    expect(r.exit, r.output).toBe(0);
    expect(r.output).toMatch(/^Plan \(in typed_app\)$/m);
    expect(existsSync(path.join(cwd, "typed_app/lib/typed_app/application.ex"))).toBe(true);
  });
});

describe("gen, installed", () => {
  it("gen inspect from the installed package: the summary, --markdown, --json valid against the schema the package ships, and bad input refused", async () => {
    const dir = fixtureCopy("inspect_shop");
    const before = snapshot(dir);
    expect((await runOk("gen", ["inspect"], dir)).stdout).toContain("phoenix           1 endpoint, 6 routes, 2 LiveViews");
    expect((await runOk("gen", ["inspect", "--markdown"], dir)).stdout).toMatch(/^# Architecture of my_shop2\n/);
    const shipped = path.join(binDir(), "..", "create-otp-app", "schema", "inspect.schema.json");
    const doc = JSON.parse((await runOk("gen", ["inspect", "--json"], dir)).stdout) as { schemaVersion: number; apps: { phoenix: { routers: { routes: unknown[] }[] } }[] };
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(shipped, "utf8")));
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.apps[0]?.phoenix.routers[0]?.routes).toHaveLength(6);
    const bad = await runBin("gen", ["inspect", "--yaml"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toEqual(['gen inspect: unknown option "--yaml"; usage: gen inspect [--json | --markdown] [--out FILE [--force]] [--app NAME] [--upgrade-check]']);
    expect(snapshot(dir)).toEqual(before);
  });

  it("gen tree (text and Mermaid), the tree in --dry-run, and gen doctor --ci on a seeded mistake", async () => {
    const cwd = tempDir();
    await runOk("create-otp-app", ["treed", ...BARE], cwd);
    const dir = path.join(cwd, "treed");
    await runOk("gen", ["supervisor", "Workers", "--yes", "--no-check"], dir);
    await runOk("gen", ["genserver", "Worker", "--under", "Treed.Workers", "--yes", "--no-check"], dir);
    const text = await runOk("gen", ["tree"], dir);
    expect(text.stdout).toBe(
      "Treed.Application  (strategy: :one_for_one)  name: Treed.Supervisor  lib/treed/application.ex:22\n" +
        "└── Treed.Workers  (Supervisor, strategy: :one_for_one, max_restarts: 3, max_seconds: 5)\n" +
        "    └── Treed.Worker",
    );
    const json = JSON.parse((await runOk("gen", ["tree", "--json"], dir)).stdout) as { apps: { app: string; tree: { children: { id: string; kind: string }[] } }[] };
    expect(json.apps[0]?.tree.children.map((c) => `${c.kind} ${c.id}`)).toEqual(["supervisor Treed.Workers"]);
    const mermaid = await runOk("gen", ["tree", "--mermaid"], dir);
    expect(await parseMermaid(mermaid.stdout)).toEqual({ ok: true, type: "flowchart-v2" });
    const dry = await runOk("gen", ["agent", "Settings", "--dry-run"], dir);
    expect(dry.stdout).toContain("└── + Treed.Settings\n");
    expect(dry.stdout).toContain("  adds Treed.Settings under Treed.Application, after Treed.Workers\n");
    expect((await runBin("gen", ["doctor", "--ci"], dir)).code).toBe(0);
    writeFileSync(path.join(dir, "lib/treed/audit.ex"), 'defmodule Treed.Audit do\n  @moduledoc false\n  require Logger\n  def log(x), do: Logger.warn(inspect(x))\nend\n');
    const ci = await runBin("gen", ["doctor", "--ci"], dir);
    expect(ci.code).toBe(1);
    expect(ci.stdout).toContain("✖ lib/treed/audit.ex:4: [logger-warn] Logger.warn/1 is deprecated");
  });

  it("gen --help, gen --version, gen list, and gen outside a project", async () => {
    const cwd = tempDir();
    const help = await runOk("gen", ["--help"], cwd);
    expect(help.stdout).toMatch(/^Usage: gen <generator>/);
    const version = await runOk("gen", ["--version"], cwd);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")).version);
    const list = await runOk("gen", ["list"], cwd);
    for (const name of ["genserver", "dynamic-supervisor", "release", "cluster", "telemetry", "context", "live", "live-component", "hook", "channel", "presence", "singleton", "pool", "pipeline", "behaviour", "protocol", "mix-task"]) {
      expect(list.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
    }
    const outside = await runBin("gen", ["genserver", "X"], cwd);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/^gen: no mix\.exs in .* run gen inside a Mix project/);
  });

  it("the OTP generators, each with its main options, then the check step: format, compile --warnings-as-errors and the generated tests pass", async () => {
    const dir = copyOf(bare);
    for (const args of RUNS("Packed")) await runOk("gen", [...args, "--no-check"], dir);
    await runOk("gen", ["periodic", "Boot", "--run-at-start", "--no-check"], dir);
    expect(readFileSync(path.join(dir, "lib/packed/boot.ex"), "utf8")).toContain("    run_at_start: true\n  ]");
    // Before the deps are fetched, the check step says so rather than report a broken file; the
    // formatter, which imports StreamData's rules (the property tests brought it), formats without them.
    const unfetched = jsonReport((await runOk("gen", ["genserver", "Early", "--check=strict", "--json"], dir)).stdout);
    expect(unfetched.checks.map((c) => `${c.step}:${c.status}`)).toEqual(["format:passed", "deps:skipped", "compile:skipped", "credo:skipped"]);
    expect(unfetched.checks[0]?.detail).toMatch(/files already formatted, without the formatter rules of deps not fetched yet \(run: mix deps.get\)$/);
    expectGatesPass(await elixirGates(dir));
    // With them fetched and built, the check step itself, from the installed package, reported as JSON.
    const checked = await runOk("gen", ["genserver", "Checked", "--check=strict", "--json"], dir, { env: hexEnv() });
    const report = jsonReport(checked.stdout);
    expect(report.checks.map((c) => `${c.step}:${c.status}`)).toEqual(expect.arrayContaining(["format:passed", "deps:passed", "compile:passed"]));
    const gates = await elixirGates(dir);
    expectGatesPass(gates);
    expect(testCounts(gates.test.output)?.tests).toBeGreaterThanOrEqual(90);
  });

  it("gen --dry-run changes nothing on disk, byte for byte, for a new module and for a patch of application.ex", async () => {
    const dir = copyOf(bare);
    const before = treeHash(dir);
    const r = await runOk("gen", ["dynamic-supervisor", "Rooms", "--dry-run"], dir);
    expect(r.stdout).toContain("+++ b/lib/packed/rooms.ex");
    expect(r.stdout).toContain("+++ b/lib/packed/application.ex");
    expect(r.stdout).toContain("Dry run: nothing was written.");
    expect(treeHash(dir)).toEqual(before);
  });

  it("release, cluster (hosts): written, wired, and the project passes the gates; telemetry with Prometheus and OpenTelemetry too, with its real deps", async () => {
    const dir = copyOf(bare);
    await runOk("gen", ["cluster", "--strategy", "hosts", "--no-check"], dir);
    const release = jsonReport((await runOk("gen", ["release", "--k8s", "--no-check", "--json"], dir)).stdout);
    expect(release.files.map((f) => f.path)).toEqual(expect.arrayContaining(["rel/env.sh.eex", "Dockerfile", "mix.exs"]));
    expectGatesPass(await elixirGates(dir));
    // gen doctor reads them together: Kubernetes cannot keep a fixed CLUSTER_NODES (the hosts strategy).
    const doctor = await runBin("gen", ["doctor"], dir);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain("a fixed CLUSTER_NODES cannot follow pod IPs; use gen cluster --strategy dns");

    // telemetry brings hex deps (telemetry_metrics, the poller, the Prometheus reporter): fetched from the registry, compiled and tested.
    const tele = copyOf(bare);
    // With --otel: the SDK and exporter, setup_tracing/0 in start/2, and the tracing test against the SDK.
    const t = jsonReport((await runOk("gen", ["telemetry", "--prometheus", "--otel", "--no-check", "--json"], tele)).stdout);
    expect(t.files.map((f) => f.path)).toEqual(expect.arrayContaining(["lib/packed/telemetry.ex", "test/packed/telemetry_tracing_test.exs", "lib/packed/application.ex", "mix.exs"]));
    expectGatesPass(await elixirGates(tele));
  });

  it("Phoenix: context, live --upload, channel, presence, live-component and rate-limiter --plug in a phx.new 1.8 app: parse, formatted as Phoenix formats, routes, socket, pipeline, static_paths and handle_info wired", async () => {
    const dir = fixtureCopy("phx_app", "shop");
    const written = new Set<string>();
    for (const args of [
      ["context", "Blog", "Post", "posts", "title:string", "body:text", "published:boolean"],
      ["live", "Catalog", "Product", "products", "name:string", "price:decimal", "status:enum:draft,live", "--upload", "photo"],
      ["channel", "Room"],
      ["presence"],
      ["live-component", "Catalog.Note", "--live", "ProductLive.Show"],
      ["rate-limiter", "Edge.Throttle", "--plug", "--pipeline", "api"],
      ["hook", "LocalTime", "--live", "ProductLive.Index"],
    ]) {
      const report = jsonReport((await runOk("gen", [...args, "--no-check", "--json"], dir)).stdout);
      // The fixture has no config/: the plug's test exemption is the one step left to do, with its lines.
      const missing = { "rate-limiter": "ShopWeb.Plugs.Throttle, exempt: [{127, 0, 0, 1}]", live: 'ShopWeb.Uploads, dir: Path.join(System.tmp_dir!(), "shop_uploads")' }[args[0] as string];
      const manual = missing ? [`config/test.exs is missing: create it with\n    import Config\n    config :shop, ${missing}`] : [];
      expect(report.manual, args.join(" ")).toEqual(manual);
      for (const f of report.files) if (/\.exs?$/.test(f.path)) written.add(f.path);
    }
    const files = [...written];
    expect(files).toEqual(expect.arrayContaining(["lib/shop/blog.ex", "lib/shop_web/live/product_live/index.ex", "lib/shop_web/channels/room_channel.ex", "lib/shop_web/router.ex", "lib/shop_web/catalog/note_component.ex", "lib/shop_web/plugs/throttle.ex", "lib/shop_web/local_time.ex", "lib/shop_web/uploads.ex", "lib/shop_web/uploads/local.ex", "lib/shop_web.ex"]));
    expect(await unparsable(dir, files)).toEqual([]);
    expect(await phoenixUnformatted(dir, files)).toBe("");
    expect(readFileSync(path.join(dir, "lib/shop_web/router.ex"), "utf8")).toContain('live "/products", ProductLive.Index, :index');
    expect(readFileSync(path.join(dir, "lib/shop_web.ex"), "utf8")).toContain("def static_paths, do: ~w(assets fonts images favicon.ico robots.txt uploads)");
    expect(readFileSync(path.join(dir, "lib/shop_web/router.ex"), "utf8")).toMatch(/plug :accepts, \["json"\]\n {4}plug ShopWeb\.Plugs\.Throttle\n/);
    expect(readFileSync(path.join(dir, "lib/shop_web/live/product_live/show.ex"), "utf8")).toContain("def handle_info({ShopWeb.Catalog.NoteComponent, {:saved, _id, value}}, socket) do");
  });

  it("gen worker: refused without a repo (exit 2, nothing written); in a Phoenix app with one, Oban's files parse and are formatted as the app formats them", async () => {
    const dir = fixtureCopy("phx_app", "shop");
    const before = treeHash(dir);
    const refused = await runBin("gen", ["worker", "Emails.Digest", "--no-check"], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split("\n")).toEqual([
      "gen worker: this project has no Ecto repo, and Oban keeps its jobs in the database: no module under lib/ uses Ecto.Repo (start from mix phx.new, or add ecto_sql and a repo)",
    ]);
    expect(treeHash(dir)).toEqual(before);

    writeFileSync(path.join(dir, "lib/shop/repo.ex"), "defmodule Shop.Repo do\n  use Ecto.Repo, otp_app: :shop, adapter: Ecto.Adapters.Postgres\nend\n");
    mkdirSync(path.join(dir, "config"));
    writeFileSync(path.join(dir, "config/config.exs"), 'import Config\n\nimport_config "#{config_env()}.exs"\n');
    writeFileSync(path.join(dir, "config/test.exs"), "import Config\n");
    const written = new Set<string>();
    for (const args of [["worker", "Emails.Digest", "--unique", "60s"], ["worker", "Reports.Nightly", "--queue", "reports", "--cron", "@daily"]]) {
      const report = jsonReport((await runOk("gen", [...args, "--no-check", "--json"], dir)).stdout);
      expect(report.manual, args.join(" ")).toEqual([]);
      for (const f of report.files) if (/\.exs?$/.test(f.path)) written.add(f.path);
    }
    const files = [...written];
    expect(files.filter((f) => f.startsWith("priv/repo/migrations/"))).toHaveLength(1);
    expect(await unparsable(dir, files)).toEqual([]);
    expect(await phoenixUnformatted(dir, files)).toBe("");
    expect(readFileSync(path.join(dir, "config/config.exs"), "utf8")).toMatch(/queues: \[default: 10, reports: 10\],[\s\S]*\{"@daily", Shop\.Reports\.Nightly\}[\s\S]*\nimport_config/);
  });
});

describe("the loader", () => {
  /** A private copy of the install, so its bundle can be changed without touching the shared one. */
  function privateInstall(): { gen: string; bundle: string } {
    const prefix = path.join(tempDir(), "prefix");
    cpSync(path.dirname(path.dirname(binDir())), prefix, { recursive: true, verbatimSymlinks: true });
    return { gen: path.join(prefix, "node_modules/.bin/gen"), bundle: path.join(prefix, "node_modules/create-otp-app/dist/cli.cjs") };
  }

  /** Change the bundle's usage line without changing its length (V8 checks only the length). */
  function sameLengthEdit(bundle: string, from: string, to: string, stamp?: string): void {
    const source = readFileSync(bundle, "utf8");
    expect(source).toContain(from);
    let next = source.replace(from, to);
    if (stamp) next = next.replace(/\/\/ otpgen-bundle [0-9a-f]{64}\n$/, `// otpgen-bundle ${stamp}\n`);
    expect(next.length).toBe(source.length);
    const { atime, mtime } = statSync(bundle);
    writeFileSync(bundle, next);
    // npm gives every packed file the same time: an upgrade can keep both size and time.
    utimesSync(bundle, atime, mtime);
  }

  /**
   * A folder with a team folder (an empty config): `gen list` there is the
   * bundle's, since a team's generators would be listed too (without one,
   * bin/load.cjs prints the list beside the bundle).
   */
  function withTeam(dir: string = tempDir()): string {
    mkdirSync(path.join(dir, ".otpgen"), { recursive: true });
    writeFileSync(path.join(dir, ".otpgen/config.json"), "{}\n");
    return dir;
  }

  it("an upgrade whose bundle keeps the size and time runs the new code, not the cached old code", async () => {
    const install = privateInstall();
    const cwd = withTeam();
    const env = { XDG_CACHE_HOME: tempDir("otpgen-cache-") };
    const caches = () => readdirSync(path.join(env.XDG_CACHE_HOME, "create-otp-app")).filter((f) => f.endsWith(".v8cache"));
    expect((await runOk(install.gen, ["list"], cwd, { env })).stdout).toMatch(/^Generators \(gen/);
    expect((await runOk(install.gen, ["list"], cwd, { env })).stdout).toMatch(/^Generators \(gen/);
    expect(caches()).toHaveLength(1);
    // A new release: different code, same length, same time, a new content stamp (the build writes it).
    sameLengthEdit(install.bundle, "Generators (gen <generator>", "GENERATORS (gen <generator>", "f".repeat(64));
    expect((await runOk(install.gen, ["list"], cwd, { env })).stdout).toMatch(/^GENERATORS \(gen/);
    // The old cache is gone; the new one serves the next run.
    expect(caches()).toHaveLength(1);
    expect((await runOk(install.gen, ["list"], cwd, { env })).stdout).toMatch(/^GENERATORS \(gen/);
  });

  it("each kind of run keeps its own code cache: gen list first does not leave generator runs uncached", async () => {
    const install = privateInstall();
    const dir = withTeam(copyOf(bare));
    const env = { XDG_CACHE_HOME: tempDir("otpgen-cache-") };
    const caches = () => readdirSync(path.join(env.XDG_CACHE_HOME, "create-otp-app")).filter((f) => f.endsWith(".v8cache")).map((f) => /-([a-z]+)\.v8cache$/.exec(f)?.[1]).sort();
    await runOk(install.gen, ["list"], dir, { env });
    await runOk(install.gen, ["agent", "Settings", "--no-check"], dir, { env });
    await runOk(install.gen, ["status"], dir, { env });
    expect(caches()).toEqual(["list", "run", "status"]);
    // A second generator run uses the run cache: no new file, and the cache is
    // not written again. V8 rejects a cache made under other flags than the
    // run's (a flag the reader sets that the loader does not, say), and the
    // loader then rewrites it at every run, which never starts from it.
    const runCache = path.join(env.XDG_CACHE_HOME, "create-otp-app", readdirSync(path.join(env.XDG_CACHE_HOME, "create-otp-app")).find((f) => f.endsWith("-run.v8cache")) as string);
    const written = statSync(runCache);
    await runOk(install.gen, ["registry", "Sessions", "--no-check"], dir, { env });
    expect(caches()).toEqual(["list", "run", "status"]);
    const after = statSync(runCache);
    expect([after.ino, after.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
  });

  it("gen --help and gen --version are answered without starting the bundle, with the bundle's own text", async () => {
    const install = privateInstall();
    const cwd = tempDir();
    const fromBundle = (await runOk(install.gen, ["--help", "extra"], cwd)).stdout;
    expect(fromBundle).toMatch(/^Usage: gen <generator>/);
    // A bundle that cannot even start: the two still answer.
    writeFileSync(install.bundle, 'throw new Error("not started");\n');
    expect((await runOk(install.gen, ["--help"], cwd)).stdout).toBe(fromBundle);
    expect((await runOk(install.gen, ["-h"], cwd)).stdout).toBe(fromBundle);
    expect((await runOk(install.gen, ["--version"], cwd)).stdout).toBe(JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")).version);
    expect((await runBin(install.gen, ["tree"], copyOf(bare))).code).not.toBe(0);
  });

  it("gen list is printed beside the bundle, byte for byte the bundle's list; a team folder or an unfinished flush has the bundle answer", async () => {
    const install = privateInstall();
    const dir = copyOf(bare);
    const env = { XDG_CACHE_HOME: tempDir("otpgen-cache-") };
    // The bundle's own list (a team folder with no generators of its own lists the built-ins alone).
    const fromBundle = (await runOk(install.gen, ["list"], withTeam(), { env })).stdout;
    expect(fromBundle).toMatch(/^Generators \(gen <generator> --help for options\):\n  genserver /);
    // A bundle that cannot start: the list still comes, the same, inside a project and outside one.
    writeFileSync(install.bundle, 'throw new Error("not started");\n');
    expect((await runOk(install.gen, ["list"], dir, { env })).stdout).toBe(fromBundle);
    expect((await runOk(install.gen, ["list"], path.join(dir, "lib"), { env })).stdout).toBe(fromBundle);
    expect((await runOk(install.gen, ["list"], tempDir(), { env })).stdout).toBe(fromBundle);
    // A flush a killed run left: gen finishes it before listing, so the bundle is started (and fails here).
    writeFileSync(path.join(dir, ".otpgen-journal.json"), "{}\n");
    expect((await runBin(install.gen, ["list"], path.join(dir, "lib"), { env })).code).not.toBe(0);
    rmSync(path.join(dir, ".otpgen-journal.json"));
    // A team folder in the project: its generators would be listed, so the bundle is started.
    expect((await runBin(install.gen, ["list"], withTeam(dir), { env })).code).not.toBe(0);
    // A .otpgen/ holding only the runs is not a team folder.
    rmSync(path.join(dir, ".otpgen/config.json"));
    expect((await runOk(install.gen, ["list"], dir, { env })).stdout).toBe(fromBundle);
  });

  it("a bundle edited in place (patch-package) keeps its stamp but runs the edit", async () => {
    const install = privateInstall();
    const cwd = withTeam();
    const env = { XDG_CACHE_HOME: tempDir("otpgen-cache-") };
    await runOk(install.gen, ["list"], cwd, { env });
    await runOk(install.gen, ["list"], cwd, { env });
    const source = readFileSync(install.bundle, "utf8");
    writeFileSync(install.bundle, source.replace("Generators (gen <generator>", "Generators (gen <patched!>"));
    expect((await runOk(install.gen, ["list"], cwd, { env })).stdout).toMatch(/^Generators \(gen <patched!>/);
  });

  it("an internal error prints a stack trace mapped back to the sources (src/...ts:line), through the shipped source map", async () => {
    const install = privateInstall();
    const source = readFileSync(install.bundle, "utf8");
    // Make `gen list` fail inside the bundle, as a bug would: a throw where its text is made.
    const statement = /return`Generators \(gen <generator> --help for options\):/.exec(source);
    expect(statement).not.toBeNull();
    const at = statement?.index ?? 0;
    writeFileSync(install.bundle, `${source.slice(0, at)}throw new Error("injected bug");${source.slice(at)}`);
    const r = await runBin(install.gen, ["list"], withTeam(copyOf(bare)), { env: { XDG_CACHE_HOME: tempDir("otpgen-cache-") } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^gen: internal error \(please report it\)\nError: injected bug\n/);
    expect(r.stderr).not.toMatch(/cli\.cjs:\d+/);
    // The top frame is the line of gen-list.ts that makes the list.
    const frame = /\(src\/cli\/gen-list\.ts:(\d+):\d+\)/.exec(r.stderr);
    expect(frame, r.stderr).not.toBeNull();
    const line = readFileSync(path.join(REPO, "src/cli/gen-list.ts"), "utf8").split("\n")[Number(frame?.[1]) - 1];
    expect(line).toContain("Generators (gen <generator> --help for options)");
  });
});

describe("what stays the user's", () => {
  it("a generated file the user edited is not overwritten without --force; nothing is written", async () => {
    const dir = copyOf(bare);
    await runOk("gen", ["agent", "Settings", "--no-check"], dir);
    writeFileSync(path.join(dir, "lib/packed/settings.ex"), "defmodule Packed.Settings do\nend\n");
    const before = snapshot(dir);
    const r = await runBin("gen", ["agent", "Settings", "--no-check"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("lib/packed/settings.ex; pass --force");
    expect(snapshot(dir)).toEqual(before);
  });
});

describe("the lifecycle, installed", () => {
  it("gen status, gen upgrade (--check, --dry-run, a merge at a real terminal), gen undo with the check step, and a journal left by a killed run finished by the next command", async () => {
    const dir = copyOf(bare);
    await runOk("gen", ["eject", "genserver", "--yes"], dir);
    const made = jsonReport((await runOk("gen", ["genserver", "Ticker", "--no-check", "--json"], dir)).stdout);
    expect(made.run).toMatch(/-genserver$/);
    const lib = path.join(dir, "lib/packed/ticker.ex");
    writeFileSync(lib, readFileSync(lib, "utf8").replace("  A GenServer that keeps a map of values in its state.\n", "  Ticks, in our words.\n"));
    const team = path.join(dir, ".otpgen/templates/genserver/lib/module.ex.hbs");
    const source = readFileSync(team, "utf8");
    const changed = source.replace("  @impl true\n", '  @doc "The number of values held."\n  @spec size(GenServer.server()) :: non_neg_integer()\n  def size(server), do: GenServer.call(server, :size)\n\n  @impl true\n');
    expect(changed).not.toBe(source);
    writeFileSync(team, changed.replace("  def handle_call({:fetch, key}, _from, state) do\n", "  def handle_call(:size, _from, state), do: {:reply, map_size(state.values), state}\n\n  def handle_call({:fetch, key}, _from, state) do\n"));

    const status = statusSchema.parse(JSON.parse((await runOk("gen", ["status", "--json"], dir)).stdout));
    const ticker = status.runs.find((r) => r.generator === "genserver");
    expect(ticker?.files.find((f) => f.path === "lib/packed/ticker.ex")).toEqual({ path: "lib/packed/ticker.ex", action: "create", state: "edited", behind: true });
    expect((await runBin("gen", ["upgrade", "--check"], dir)).code).toBe(1);
    const before = snapshot(dir);
    const dry = upgradeSchema.parse(JSON.parse((await runOk("gen", ["upgrade", "--dry-run", "--json"], dir)).stdout));
    expect(dry.files.map((f) => f.path)).toEqual(["lib/packed/ticker.ex"]);
    expect(snapshot(dir)).toEqual(before);
    // At a real terminal: the outcome per run, the plan, one question (Enter: yes), the write, the check step.
    const up = await runInPty(dir, "gen", ["upgrade"], [["Write the upgrade of 1 file?", "<enter>"]]);
    expect(up.exit, up.output).toBe(0);
    expect(up.output).toMatch(/merged\s+lib\/packed\/ticker\.ex/);
    expect(up.output).toMatch(/Plan\n\s+update\s+lib\/packed\/ticker\.ex/);
    expect(up.output).toMatch(/✔ compile/);
    const merged = readFileSync(lib, "utf8");
    expect(merged).toContain("  Ticks, in our words.\n");
    expect(merged).toContain("def size(server)");
    expect((await runBin("gen", ["upgrade", "--check"], dir)).code).toBe(0);

    // A journal in its commit phase, as a run killed after its commit point leaves it: the next command completes it.
    writeFileSync(path.join(dir, "lib/packed/.late.ex.otpgen-99999.tmp"), "defmodule Packed.Late do\nend\n");
    writeFileSync(path.join(dir, ".otpgen-journal.json"), JSON.stringify({ version: 1, pid: 99999, phase: "commit", files: [{ path: "lib/packed/late.ex", action: "create", tmp: "lib/packed/.late.ex.otpgen-99999.tmp" }], dirs: [] }));
    const recovered = await runOk("gen", ["status"], dir);
    expect(recovered.stderr).toContain("an earlier run was interrupted while writing files");
    expect(readFileSync(path.join(dir, "lib/packed/late.ex"), "utf8")).toBe("defmodule Packed.Late do\nend\n");
    expect(existsSync(path.join(dir, ".otpgen-journal.json"))).toBe(false);
    rmSync(path.join(dir, "lib/packed/late.ex"));

    // --telemetry where the project has no :telemetry: one line, exit 2, nothing written.
    const beforeBad = snapshot(dir);
    const bad = await runBin("gen", ["rate-limiter", "Limiter", "--telemetry", "--no-check"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toEqual([`gen rate-limiter: --telemetry needs :telemetry in mix.exs's deps (add {:telemetry, "~> 1.0"}, or gen telemetry)`]);
    expect(snapshot(dir)).toEqual(beforeBad);

    const undone = undoSchema.parse(JSON.parse((await runOk("gen", ["undo", "--yes", "--force", "--json"], dir)).stdout));
    expect(undone.files.filter((f) => f.outcome === "conflict")).toEqual([]);
    expect(undone.checks?.find((c) => c.step === "compile")?.status).toBe("passed");
    expect(existsSync(lib)).toBe(false);
  });
});

