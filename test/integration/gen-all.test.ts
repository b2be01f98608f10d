// Every generator, with its main option combinations, applied to a fresh
// create-otp-app project and to a plain `mix new --sup` project; then the real
// gates against the real libraries (deps.get from ../shared/hex, format,
// compile --warnings-as-errors in dev and test, credo --strict, the generated
// tests) and Dialyzer over the result.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { gen } from "../../src/cli/gen-main.js";
import { execFileSync } from "node:child_process";
import { captureIo, tempDir, elixirGates, expectGatesPass, oursAndPlain, precommitHost, specsWithStructs, testCounts } from "../helpers.js";
import { DISTRIBUTION, RUNS } from "../runs.js";
import { inspectJson } from "../inspect.js";

async function applyAll(project: string, prefix: string, distribution: { before: string[][]; after: string[][] }): Promise<{ args: string[]; code: number; err: string }[]> {
  const results = [];
  for (const args of [...distribution.before, ...RUNS(prefix), ...distribution.after]) {
    const io = captureIo(project);
    const code = await gen([...args, "--no-check"], io);
    results.push({ args, code, err: io.errText() });
  }
  return results;
}

let ours: string;
let plain: string;
let oursRuns: Awaited<ReturnType<typeof applyAll>>;
let plainRuns: Awaited<ReturnType<typeof applyAll>>;

beforeAll(async () => {
  ({ ours, plain } = await oursAndPlain());
  oursRuns = await applyAll(ours, "Ours", DISTRIBUTION.hostOurs);
  plainRuns = await applyAll(plain, "Plain", DISTRIBUTION.hostPlain);
});

describe("gen: every generator in a create-otp-app project and a mix new --sup project", () => {
  it("every run exits 0", () => {
    for (const r of [...oursRuns, ...plainRuns]) expect(r.code, `${r.args.join(" ")}: ${r.err}`).toBe(0);
  });

  it("the create-otp-app project, with its real deps, passes format, compile --warnings-as-errors (dev and test), credo --strict and the generated tests", async () => {
    const gates = await elixirGates(ours, { credo: "all" });
    expectGatesPass(gates);
    // The generated test files all ran: 35 runs write test files of 2 to 7 tests each, and the
    // limiter, breaker, cache and retry StreamData properties (two runs of each).
    const [, doctests, properties, tests] = /(\d+) doctests, (\d+) properties, (\d+) tests, 0 failures/.exec(gates.test.output) ?? [];
    expect(Number(doctests)).toBeGreaterThanOrEqual(15);
    expect(Number(properties)).toBeGreaterThanOrEqual(12);
    expect(Number(tests)).toBeGreaterThanOrEqual(90);
  });

  it("the create-otp-app project passes its own mix precommit (format, compile, credo --strict, dialyzer through dialyxir, tests above the coverage gate) with its real deps", async () => {
    const r = await precommitHost(ours);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain("done (passed successfully)");
    // The coverage gate (test --cover, threshold 85 in mix.exs): every generator's tests keep the project above it.
    expect(Number(/([\d.]+)% \| Total/.exec(r.output)?.[1]), r.output).toBeGreaterThanOrEqual(85);
    expect(testCounts(r.output)?.failures, r.output).toBe(0);
  }, 900_000);

  it("no @spec in the generated modules names a struct literal (credo's SpecWithStruct), read by Elixir", async () => {
    const files = execFileSync("find", ["lib", "-name", "*.ex"], { cwd: ours, encoding: "utf8" }).trim().split("\n");
    expect(files.length).toBeGreaterThan(20);
    expect(await specsWithStructs(ours, files)).toEqual([]);
  });

  it("the mix new --sup project passes the same gates", async () => {
    expectGatesPass(await elixirGates(plain));
  });

  it("wires every process into the application, registries before their users, in order", () => {
    const app = readFileSync(path.join(ours, "lib/ours/application.ex"), "utf8");
    const list = /children = \[\n([\s\S]*?)\n {4}\]/.exec(app)?.[1];
    expect(list).toBe(
      [
        // gen cluster and gen telemetry ran first: clustering leads the tree, telemetry next.
        "      Ours.Cluster,",
        "      Ours.Cluster.Distributed,",
        "      Ours.Telemetry,",
        "      # Processes to supervise, in start order, e.g. {Ours.Worker, []}",
        "      Ours.RateLimiter,",
        "      Ours.Inventory,",
        "      {Registry, keys: :unique, name: Ours.Registry},",
        "      Ours.Workers,",
        "      Ours.Pipeline,",
        "      Ours.Sessions,",
        "      Ours.Games.Rooms,",
        "      Ours.Lookup.Registry,",
        "      Ours.Settings,",
        "      Ours.TaskSupervisor,",
        "      Ours.Cache,",
        "      Ours.Sessions.Cache,",
        "      Ours.Limiter,",
        "      Ours.Api.Throttle,",
        "      Ours.PaymentsBreaker,",
        "      Ours.Geo.Breaker,",
        // With a cluster, periodic jobs are singletons by default.
        "      Ours.Cleanup.Singleton,",
        "      Ours.Reports.Nightly.Singleton,",
        "      Ours.Billing.Sweep.Singleton,",
        "      Ours.Leader.Singleton,",
        "      Ours.ConnectionPool,",
        "      Ours.Ldap.Pool,",
        "      Ours.Ingest,",
        "      Ours.Orders.Ingest",
      ].join("\n"),
    );
    const workers = readFileSync(path.join(ours, "lib/ours/workers.ex"), "utf8");
    expect(workers).toContain("      # Children, in start order, e.g. {Ours.Worker, []}\n      Ours.Worker\n    ]");
  });

  it("gen tree shows every process under its supervisor, and gen doctor --ci finds nothing in the generated code", async () => {
    const io = captureIo(ours);
    expect(await gen(["tree", "--json"], io)).toBe(0);
    type Node = { id: string; kind: string; name?: string; children: Node[] };
    const root = (JSON.parse(io.text()) as { apps: { tree: Node }[] }).apps[0]?.tree as Node;
    expect(root.children.map((c) => c.id)).toEqual([
      "Ours.Cluster", "Ours.Cluster.Distributed", "Ours.Telemetry",
      "Ours.RateLimiter", "Ours.Inventory", "Registry", "Ours.Workers", "Ours.Pipeline", "Ours.Sessions", "Ours.Games.Rooms", "Ours.Lookup.Registry",
      "Ours.Settings", "Ours.TaskSupervisor", "Ours.Cache", "Ours.Sessions.Cache", "Ours.Limiter", "Ours.Api.Throttle", "Ours.PaymentsBreaker",
      "Ours.Geo.Breaker", "Ours.Cleanup.Singleton", "Ours.Reports.Nightly.Singleton", "Ours.Billing.Sweep.Singleton", "Ours.Leader.Singleton",
      "Ours.ConnectionPool", "Ours.Ldap.Pool", "Ours.Ingest", "Ours.Orders.Ingest",
    ]);
    const byId = new Map(root.children.map((c) => [c.id, c]));
    expect(byId.get("Ours.Workers")?.children.map((c) => c.id)).toEqual(["Ours.Worker"]);
    expect(byId.get("Ours.Sessions")?.children.map((c) => `${c.kind} ${c.name}`)).toEqual(["registry Ours.Sessions.Registry", "dynamic-supervisor Ours.Sessions.DynamicSupervisor"]);
    expect(byId.get("Ours.Registry")).toBeUndefined();
    expect(byId.get("Registry")?.name).toBe("Ours.Registry");
    expect(byId.get("Ours.TaskSupervisor")?.kind).toBe("task-supervisor");

    const doctor = captureIo(ours);
    expect(await gen(["doctor", "--ci"], doctor), doctor.text()).toBe(0);
    expect(doctor.text()).toContain("✔ OTP checks: nothing found in the supervision tree or the code");
  });

  it("gen inspect: every area the project has is filled (processes, distribution with Horde and the gossip topology, telemetry, gates, the runs), the JSON valid against its schema; --upgrade-check agrees with gen status on what is behind", async () => {
    const d = await inspectJson(ours, ["--upgrade-check"]);
    const a = d.apps[0];
    expect(a?.app).toBe("ours");
    expect(a?.supervisionTree?.children).toHaveLength(27);
    const kinds = new Set(a?.processes.map((p) => p.kind));
    for (const k of ["genserver", "supervisor", "dynamic_supervisor", "registry", "agent", "task_supervisor", "gen_stage", "broadway", "ets"]) expect(kinds, k).toContain(k);
    expect(a?.processes.filter((p) => p.kind === "ets").every((p) => p.owner?.includes("process"))).toBe(true);
    expect(a?.distribution.libcluster.map((t) => t.strategy)).toContain("Cluster.Strategy.Gossip");
    expect(a?.distribution.horde.map((h) => h.what).join(" ")).toContain("Horde.Registry");
    expect(a?.distribution.singletons.map((s) => s.module)).toEqual(expect.arrayContaining(["Ours.Leader.Singleton", "Ours.Billing.Sweep.Singleton"]));
    expect(a?.observability.emitted.length).toBeGreaterThan(10);
    expect(a?.observability.metrics.length).toBeGreaterThan(0);
    expect(a?.quality).toMatchObject({ credo: { strict: true }, coverage: { threshold: 85 }, precommit: { alias: "precommit" } });
    expect(a?.quality.ci[0]?.jobs.length).toBeGreaterThan(0);
    expect(a?.findings).toEqual([]);
    // Every recorded run is listed; a fresh project is behind the templates nowhere, as gen status says.
    const runs = a?.generated.runs ?? [];
    expect(runs.map((r) => r.generator)).toEqual(expect.arrayContaining(["app", "genserver", "cluster", "telemetry", "flow"]));
    const status = captureIo(ours);
    expect(await gen(["status", "--json"], status)).toBe(0);
    const rows = (JSON.parse(status.text()) as { runs: { id: string; files: { behind: boolean }[] }[] }).runs;
    expect(runs.map((r) => [r.id, r.behind])).toEqual(rows.map((r) => [r.id, r.files.filter((f) => f.behind).length]));
    expect(d.unread.map((u) => u.area)).not.toContain("code");
  });

  it("running every generator again changes nothing, and refuses to undo a user's edits", async () => {
    for (const args of RUNS("Ours")) {
      const io = captureIo(ours);
      const code = await gen([...args, "--no-check", "--json"], io);
      if (args.join(" ") === "supervisor Workers") {
        // `gen genserver Worker --under Ours.Workers` edited workers.ex since: a conflict, not an overwrite.
        expect(code).toBe(2);
        expect(io.errText()).toContain("1 existing files differ from the generated ones: lib/ours/workers.ex; pass --force");
        continue;
      }
      expect(code, io.errText()).toBe(0);
      const files = JSON.parse(io.text()).files as { path: string; action: string }[];
      expect(files.filter((f) => f.action !== "identical"), args.join(" ")).toEqual([]);
    }
    expect(readFileSync(path.join(ours, "lib/ours/workers.ex"), "utf8")).toContain("      Ours.Worker\n    ]");
  });

  it("Dialyzer finds nothing, with unmatched returns and error handling checks on", async () => {
    const versions = (await execa("elixir", ["-e", 'IO.write("#{System.otp_release()}-#{System.version()}")'])).stdout;
    const cache = path.join(homedir(), ".cache", "create-otp-app");
    mkdirSync(cache, { recursive: true });
    // Mix is in the PLT as the generated mix.exs puts it there (plt_add_apps: [:mix]), for the Mix tasks.
    const plt = path.join(cache, `dialyzer-${versions}-mix.plt`);
    const libDir = async (app: string): Promise<string> => (await execa("elixir", ["-e", `IO.write(:code.lib_dir(:${app}, :ebin))`])).stdout;
    const elixirEbin = await libDir("elixir");
    const loggerEbin = await libDir("logger");
    const mixEbin = await libDir("mix");
    if (!existsSync(plt)) {
      // Built once per machine (about a minute and a half on two cores), then reused.
      await execa("dialyzer", ["-pa", elixirEbin, "--build_plt", "--apps", "erts", "kernel", "stdlib", "compiler", elixirEbin, loggerEbin, mixEbin, "--output_plt", plt], {
        reject: false,
      });
    }
    // The libraries the app runs with (its .app's applications, and theirs), in a PLT of their own, kept by mix.lock.
    const lib = path.join(ours, "_build/test/lib");
    const runtime = new Set<string>();
    const visit = (app: string): void => {
      const file = path.join(lib, app, "ebin", `${app}.app`);
      if (runtime.has(app) || !existsSync(file)) return;
      if (app !== "ours") runtime.add(app);
      const apps = /\{applications,\s*\[([^\]]*)\]/.exec(readFileSync(file, "utf8"))?.[1] ?? "";
      for (const a of apps.split(",").map((x) => x.trim()).filter(Boolean)) visit(a);
    };
    visit("ours");
    expect([...runtime]).toEqual(expect.arrayContaining(["nimble_pool", "poolboy", "gen_stage", "broadway", "telemetry", "libcluster", "horde"]));
    const lockHash = createHash("sha256").update(readFileSync(path.join(ours, "mix.lock"))).digest("hex").slice(0, 16);
    const depsPlt = path.join(cache, `dialyzer-${versions}-deps-${lockHash}.plt`);
    if (!existsSync(depsPlt)) {
      await execa("dialyzer", ["-pa", elixirEbin, "--build_plt", "--output_plt", depsPlt, ...[...runtime].map((a) => path.join(lib, a, "ebin"))], { reject: false });
    }
    expect(existsSync(depsPlt)).toBe(true);
    // The code that runs: the app's modules, with its protocols as Mix consolidated them (as dialyxir reads them).
    const ebin = tempDir("otpgen-ebin-");
    cpSync(path.join(ours, "_build/test/lib/ours/ebin"), ebin, { recursive: true });
    const consolidated = path.join(ours, "_build/test/lib/ours/consolidated");
    for (const beam of readdirSync(consolidated)) {
      if (existsSync(path.join(ebin, beam))) cpSync(path.join(consolidated, beam), path.join(ebin, beam));
    }
    expect(existsSync(path.join(ebin, "Elixir.Ours.RateLimiter.beam"))).toBe(true);
    expect(existsSync(path.join(ebin, "Elixir.Ours.Describable.beam"))).toBe(true);
    const r = await execa(
      "dialyzer",
      ["-pa", elixirEbin, "--plts", plt, depsPlt, "--no_check_plt", "-Wunmatched_returns", "-Werror_handling", "-Wextra_return", "-Wmissing_return", ebin],
      { reject: false, all: true },
    );
    expect(r.all).toContain("done (passed successfully)");
    expect(r.exitCode, r.all).toBe(0);
  }, 600_000);
});
