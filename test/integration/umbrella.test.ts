// create-otp-app --umbrella, and gen in an umbrella's apps, for real: the
// umbrella's config/ is the one its apps load, so that is where the
// generators' config goes (read back by Elixir's Config.Reader, as Mix reads
// it); the team's tools run at the root over every app (its own mix
// precommit: format, compile, credo --strict, dialyzer, each app's tests
// held to its coverage gate); an undo takes back from the shared files only
// what its run wrote; and the release is built as its Dockerfile builds it,
// from the umbrella's root with only what the Dockerfile copies.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { createOtpApp } from "../../src/cli/create-main.js";
import { captureIo, copyOf, depsGet, elixirGates, elixirNextGates, expectGatesPass, hexEnv, precommitHost, precommitNext, runGen, snapshot, tempDir, testCounts } from "../helpers.js";

const APP = "billing_v2";
const OTHER = "ledger_9";
let root: string;
let beforeRelease: Record<string, string>;
const runs: { args: string[]; out: string }[] = [];

const read = (file: string): string => readFileSync(path.join(root, file), "utf8");

/** gen in `cwd` (the umbrella's root or a folder of an app): it must succeed. */
async function genIn(cwd: string, args: string[]): Promise<void> {
  const r = await runGen(cwd, [...args, "--no-check"]);
  expect(r.code, `${args.join(" ")}: ${r.err}`).toBe(0);
  runs.push({ args, out: r.out });
}

/** The umbrella's config as Mix loads it for `env` (runtime.exs too), read by Elixir: `app`'s keys, inspected. */
async function configOf(env: string, app: string, key: string, vars: Record<string, string> = {}): Promise<string> {
  const script = `
    c = Config.Reader.read!("config/config.exs", env: :${env})
    r = Config.Reader.read!("config/runtime.exs", env: :${env})
    merged = Config.Reader.merge(c, r)
    IO.inspect(get_in(merged, [:${app}, ${key}]))
  `;
  return (await execa("elixir", ["-e", script], { cwd: root, env: vars })).stdout.trim();
}

beforeAll(async () => {
  const cwd = tempDir();
  const io = captureIo(cwd);
  expect(await createOtpApp(["my_shop_2", "--umbrella", "--app", APP, "--yes", "--no-install", "--no-git", "--no-check"], io), io.errText()).toBe(0);
  root = path.join(cwd, "my_shop_2");
  // A second app, as a team adds one (mix new in apps/ writes the umbrella's paths), that the first depends on.
  await execa("mix", ["new", OTHER, "--sup"], { cwd: path.join(root, "apps"), stdin: "ignore" });
  // The team's own code meets its credo --strict (mix new's hello/0 has no @spec).
  const hello = path.join(root, "apps", OTHER, "lib", "ledger9.ex");
  writeFileSync(hello, readFileSync(hello, "utf8").replace("  def hello do", "  @spec hello() :: :world\n  def hello do"));
  // Its coverage gate as the umbrella's README says (Mix's default is 90%).
  const otherMix = path.join(root, "apps", OTHER, "mix.exs");
  writeFileSync(otherMix, readFileSync(otherMix, "utf8").replace("      deps: deps()\n", "      test_coverage: [summary: [threshold: 85]],\n      deps: deps()\n"));
  const mixExs = path.join(root, "apps", APP, "mix.exs");
  writeFileSync(mixExs, readFileSync(mixExs, "utf8").replace("  defp deps do\n    []\n  end", `  defp deps do\n    [{:${OTHER}, in_umbrella: true}]\n  end`));

  await genIn(root, ["genserver", "RateKeeper", "--app", APP]);
  await genIn(root, ["behaviour", "PaymentGateway", "--callbacks", "charge(amount :: pos_integer()) :: {:ok, String.t()} | {:error, term()}", "--app", APP]);
  // From inside the other app's folder: no --app, and its config still goes to the root.
  await genIn(path.join(root, "apps", OTHER, "lib"), ["pipeline", "Ingest", "--broadway"]);
  await genIn(root, ["periodic", "Sweeper", "--every", "5m", "--app", OTHER]);
  beforeRelease = snapshot(root);
  await genIn(root, ["release", "--app", APP]);
}, 120_000);

describe("create-otp-app --umbrella", () => {
  it("writes the umbrella's root (tools, config, CI) and the app under apps/, with the umbrella's paths", async () => {
    for (const file of ["mix.exs", ".formatter.exs", ".credo.exs", ".github/workflows/ci.yml", "config/config.exs", "config/test.exs", "config/runtime.exs", `apps/${APP}/mix.exs`, `apps/${APP}/lib/${APP}/application.ex`]) {
      expect(existsSync(path.join(root, file)), file).toBe(true);
    }
    // mix.exs files read by Elixir: the root is an umbrella with the tools; the app points at the root's build, config, deps and lock.
    const script = `
      {:ok, ast} = Code.string_to_quoted(File.read!("mix.exs"))
      {_, kw} = Macro.prewalk(ast, nil, fn
        {:def, _, [{:project, _, _}, [do: body]]} = n, _ -> {n, body}
        n, acc -> {n, acc}
      end)
      {:ok, app} = Code.string_to_quoted(File.read!("apps/${APP}/mix.exs"))
      {_, app_kw} = Macro.prewalk(app, nil, fn
        {:def, _, [{:project, _, _}, [do: body]]} = n, _ -> {n, body}
        n, acc -> {n, acc}
      end)
      IO.inspect({kw[:apps_path], Keyword.take(app_kw, [:build_path, :config_path, :deps_path, :lockfile])}, width: :infinity)
    `;
    expect((await execa("elixir", ["-e", script], { cwd: root })).stdout).toBe(
      '{"apps", [build_path: "../../_build", config_path: "../../config/config.exs", deps_path: "../../deps", lockfile: "../../mix.lock"]}',
    );
    expect(read("mix.exs")).toMatch(/\{:credo, "~> 1\.7", only: \[:dev, :test\], runtime: false\}/);
    expect(read(`apps/${APP}/mix.exs`)).not.toContain(":credo");
    expect(read(".credo.exs")).toContain('included: ["apps/*/lib/", "apps/*/src/", "apps/*/test/"]');
    const ci = parseYaml(read(".github/workflows/ci.yml")) as { jobs: { test: { steps: { run?: string }[] } } };
    expect(ci.jobs.test.steps.map((s) => s.run).filter(Boolean)).toEqual(expect.arrayContaining(["mix cmd mix test --cover", "mix credo --strict", "mix dialyzer --format github"]));
  });
});

describe("gen in an umbrella's apps", () => {
  it("writes the config its apps need into the umbrella's config/, the one they load, never an app-level config/", async () => {
    for (const app of [APP, OTHER]) expect(existsSync(path.join(root, "apps", app, "config")), app).toBe(false);
    for (const { args, out } of runs) expect(out, args.join(" ")).not.toContain("Do by hand");
    // Next steps are the app's: from the root, a cd there first; from inside the app, none.
    expect(runs[0]?.out).toContain(`Next steps\n  cd apps/${APP}\n  mix test test/${APP}/rate_keeper_test.exs\n`);
    expect(runs[2]?.out).toContain("Next steps\n  mix deps.get (for Broadway)\n");
    // As Mix loads it: the mock in test, the dummy producer outside prod, the health port in prod.
    expect(await configOf("test", APP, "BillingV2.PaymentGateway")).toBe("BillingV2.PaymentGatewayMock");
    expect(await configOf("test", OTHER, "Ledger9.Ingest")).toContain("Broadway.DummyProducer");
    expect(await configOf("prod", OTHER, "Ledger9.Ingest")).toBe("nil");
    expect(await configOf("prod", APP, "BillingV2.Health", { HEALTH_PORT: "9100" })).toBe("[port: 9100]");
    // Both apps' Logger metadata in the one :logger config they share.
    const metadata = (await execa("elixir", ["-e", 'IO.inspect(Config.Reader.read!("config/config.exs", env: :dev)[:logger][:console][:metadata])'], { cwd: root })).stdout;
    for (const key of ["server", "unexpected_message", "scheduler", "reason"]) expect(metadata).toContain(`:${key}`);
    // The release is documented in the umbrella's README, built in the app's folder.
    expect(read("README.md")).toContain(`## Running the release of :${APP}\n\n\`\`\`sh\ncd apps/${APP}`);
  });

  it("gen doctor at the root checks each app from its own folder; gen tree shows each app's tree", async () => {
    const doctor = await runGen(root, ["doctor", "--ci"]);
    expect(doctor.code, doctor.out + doctor.err).toBe(0);
    expect(doctor.out).toContain(`apps/${APP}\n`);
    expect(doctor.out).toContain(`apps/${OTHER}\n`);
    expect(doctor.out.match(/gen doctor: all good/g)).toHaveLength(2);
    const tree = await runGen(root, ["tree"]);
    expect(tree.code, tree.err).toBe(0);
    expect(tree.out).toContain("BillingV2.RateKeeper");
    expect(tree.out).toContain("Ledger9.Ingest");
  });

  it("at the root without --app, gen status and gen upgrade are the root's own run (create-otp-app's); with --app, the app's", async () => {
    const status = await runGen(root, ["status"]);
    expect(status.code, status.err).toBe(0);
    expect(status.out).toMatch(/^\d{8}-\d{6}-app  create-otp-app /);
    expect(status.out).toContain(`  as written  apps/${APP}/lib/${APP}.ex\n`);
    // The fixture added a dependency to the app's mix.exs, and later runs changed the shared config: said so.
    expect(status.out).toContain(`  edited      apps/${APP}/mix.exs\n`);
    expect(status.out).toContain("  edited      config/config.exs\n");
    const upgrade = await runGen(root, ["upgrade", "--check"]);
    expect(upgrade.code, upgrade.out + upgrade.err).toBe(0);
    expect(upgrade.out).toContain("Up to date with the templates.");
    const app = await runGen(root, ["status", "--app", APP]);
    expect(app.out).toMatch(/-genserver  gen genserver /);
    expect(app.out).not.toContain("create-otp-app");
  });

  it("undo takes back from the umbrella's files only what its run wrote", async () => {
    const copy = copyOf(root);
    const r = await runGen(copy, ["undo", "--app", APP]);
    expect(r.code, r.err).toBe(0);
    const after = snapshot(copy);
    // Every file is as it was before the release, the run's record (kept, as undone) aside.
    expect(JSON.parse(after[`apps/${APP}/.otpgen/runs/release.json`] as string).generator).toBe("release");
    delete after[`apps/${APP}/.otpgen/runs/release.json`];
    expect(after).toEqual(beforeRelease);
  });

  it("the umbrella passes the gates at its root: format, compile --warnings-as-errors, credo --strict, both apps' tests", async () => {
    expectGatesPass(await elixirGates(root, { credo: "all" }));
  }, 900_000);

  it("passes its own mix precommit at the root, dialyzer and each app's coverage gate included", async () => {
    const r = await precommitHost(root);
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toContain("done (passed successfully)");
    const totals = [...r.output.matchAll(/([\d.]+)% \| Total/g)].map((m) => Number(m[1]));
    expect(totals, r.output).toHaveLength(2);
    for (const total of totals) expect(total, r.output).toBeGreaterThanOrEqual(85);
    expect(testCounts(r.output)?.failures, r.output).toBe(0);
  }, 900_000);

  it("the release builds as its Dockerfile builds it: from the umbrella's root, with only what the Dockerfile copies", async () => {
    // The lock the image copies (written by the gates' deps.get when they ran first).
    if (!existsSync(path.join(root, "mix.lock"))) await depsGet(root);
    const dockerfile = read(`apps/${APP}/Dockerfile`);
    const image = path.join(tempDir(), "app");
    const r = await replayBuilder(root, dockerfile, image);
    expect(r.failed, r.log).toBeUndefined();
    const bin = path.join(image, "_build/prod/rel", APP, "bin", APP);
    // The app it depends on in the umbrella is in the release.
    const loaded = await execa(bin, ["eval", "IO.inspect({Code.ensure_loaded?(Ledger9.Application), Code.ensure_loaded?(BillingV2.RateKeeper)})"], { reject: false, all: true });
    expect(loaded.all).toBe("{true, true}");
  }, 900_000);
});

describe("create-otp-app --umbrella on the newest Elixir", () => {
  it("--elixir 1.17 (Mix's cli/0): with genserver, periodic and telemetry --otel in its app, the gates and its own mix precommit pass on 1.20", async () => {
    const cwd = tempDir();
    const io = captureIo(cwd);
    expect(await createOtpApp(["hub_3", "--umbrella", "--elixir", "1.17", "--yes", "--no-install", "--no-git", "--no-check"], io), io.errText()).toBe(0);
    const hub = path.join(cwd, "hub_3");
    expect(readFileSync(path.join(hub, "mix.exs"), "utf8")).toContain("def cli do\n    [preferred_envs: [precommit: :test]]\n  end");
    for (const args of [["genserver", "Relay"], ["periodic", "Pruner", "--every", "1m"], ["telemetry", "--otel"]]) {
      const r = await runGen(hub, [...args, "--app", "hub_3", "--no-check"]);
      expect(r.code, `${args.join(" ")}: ${r.err}`).toBe(0);
    }
    // The tracing test reads the runtime config beside mix.exs's config_path: the umbrella's.
    const gates = await elixirNextGates(hub, { credo: "all" });
    expectGatesPass(gates);
    const out = await precommitNext(gates.at);
    expect(out.exitCode, out.output).toBe(0);
    expect(out.output).toMatch(/done \(passed successfully\)/);
    expect(Number(/([\d.]+)% \| Total/.exec(out.output)?.[1]), out.output).toBeGreaterThanOrEqual(85);
  }, 900_000);
});

/**
 * The Dockerfile's builder stage run here: WORKDIR, ENV, COPY (from the
 * context into `image`) and RUN (the Mix steps; apt-get and Hex's set-up are
 * the image's), stopping at the second FROM. What a step needs and the
 * Dockerfile does not copy is not there, as in the image.
 */
async function replayBuilder(context: string, dockerfile: string, image: string): Promise<{ failed?: string; log: string }> {
  const env: Record<string, string> = { ...hexEnv() };
  let cwd = image;
  let log = "";
  let stages = 0;
  mkdirSync(image, { recursive: true });
  const expand = (s: string): string => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => env[(a ?? b) as string] ?? "");
  const inImage = (p: string): string => (p.startsWith("/app") ? path.join(image, p.slice("/app".length)) : path.join(cwd, p));
  for (const line of dockerfile.replace(/\\\n/g, " ").split("\n")) {
    const [, op, rest] = /^([A-Z]+)\s+(.*)$/.exec(line) ?? [];
    if (op === "FROM" && ++stages > 1) break;
    if (op === "WORKDIR") mkdirSync((cwd = inImage(rest as string)), { recursive: true });
    if (op === "ENV") for (const m of (rest as string).matchAll(/(\w+)="?([^"\s]*)"?/g)) env[m[1] as string] = m[2] as string;
    if (op === "COPY") {
      const words = (rest as string).split(/\s+/).map(expand);
      const dest = words.pop() as string;
      for (const src of words) {
        if (!existsSync(path.join(context, src))) return { failed: `COPY ${src}: not in the context`, log };
        const target = dest.endsWith("/") || words.length > 1 ? path.join(inImage(dest), path.basename(src)) : inImage(dest);
        mkdirSync(path.dirname(target), { recursive: true });
        cpSync(path.join(context, src), target, { recursive: true });
      }
    }
    if (op === "RUN" && !/apt-get|mix local\./.test(rest as string)) {
      const r = await execa("sh", ["-c", rest as string], { cwd, env, reject: false, all: true, stdin: "ignore" });
      log += `$ ${rest}\n${r.all ?? ""}\n`;
      if (r.exitCode !== 0) return { failed: `RUN ${rest}: exit ${r.exitCode}`, log };
    }
  }
  return { log };
}
