// The second Elixir of the suite: Debian unstable's Elixir (1.20 on OTP 29), in
// the chroot scripts/elixir-next.sh makes. Every OTP, release and cluster
// generator's output, in a create-otp-app project and in a project made by that
// Elixir's own `mix new --sup`: formatted, compiled with --warnings-as-errors
// (1.20's type checker included), and its generated tests run.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { inspectJson } from "../inspect.js";
import { createOtpApp } from "../../src/cli/create-main.js";
import { gen } from "../../src/cli/gen-main.js";
import { captureIo, elixirGates, elixirNextDir, elixirNextGates, expectGatesPass, inElixirNext, precommitNext, tempDir, testCounts } from "../helpers.js";
import { DISTRIBUTION, RUNS } from "../runs.js";
import { expectTelemetryTestsRan, telemetryProject } from "../telemetry-events.js";

async function applyAll(project: string, prefix: string, distribution: { before: string[][]; after: string[][] }): Promise<void> {
  for (const args of [...distribution.before, ...RUNS(prefix), ...distribution.after]) {
    const io = captureIo(project);
    expect(await gen([...args, "--no-check"], io), `${args.join(" ")}: ${io.errText()}`).toBe(0);
  }
}

let version: string;
let ours: string;
let plain: string;

beforeAll(async () => {
  const cwd = tempDir();
  // The default extras: credo, dialyxir and ex_doc in mix.exs, as a user gets them.
  expect(await createOtpApp(["ours", "--yes", "--no-install", "--no-git", "--no-check"], captureIo(cwd))).toBe(0);
  ours = path.join(cwd, "ours");
  await applyAll(ours, "Ours", DISTRIBUTION.nextOurs);

  // `mix new --sup` of the newest Elixir itself, then the generators.
  const { inside, outside } = elixirNextDir();
  const made = await inElixirNext(inside, ["mix", "new", "plain", "--sup"]);
  expect(made.exitCode, made.output).toBe(0);
  plain = path.join(tempDir(), "plain");
  cpSync(path.join(outside, "plain"), plain, { recursive: true });
  await applyAll(plain, "Plain", DISTRIBUTION.nextPlain);
  version = (await inElixirNext(inside, ["elixir", "--short-version"])).output.trim();
});

describe("the newest Elixir (Debian unstable's, in a chroot)", () => {
  it("is 1.20 or later on OTP 29 or later", async () => {
    expect(version).toMatch(/^1\.(2\d|[3-9]\d)\./);
    const { inside } = elixirNextDir();
    const otp = await inElixirNext(inside, ["erl", "-noshell", "-eval", "io:format(\"~s\", [erlang:system_info(otp_release)]), halt()."]);
    expect(Number(otp.output.trim())).toBeGreaterThanOrEqual(29);
  });

  it("a create-otp-app project with every OTP, toolbox, cluster, release and telemetry generator, with its real deps: format, compile --warnings-as-errors (dev and test), credo --strict and the generated tests pass", async () => {
    const gates = await elixirNextGates(ours, { credo: "all" });
    expectGatesPass(gates);
    // And its own mix precommit: format, compile, credo --strict, dialyzer (dialyxir), tests.
    const pre = await precommitNext(gates.at);
    expect(pre.exitCode, pre.output).toBe(0);
    expect(pre.output).toContain("done (passed successfully)");
    // Above the coverage gate (85%) there too, its peer nodes measured.
    expect(Number(/([\d.]+)% \| Total/.exec(pre.output)?.[1]), pre.output).toBeGreaterThanOrEqual(85);
    expect(testCounts(gates.test.output)?.tests).toBeGreaterThanOrEqual(90);
  }, 1_800_000);

  it("gen inspect reads what gen release --k8s and gen cluster wrote: the release, the Dockerfile's images, the Deployment's probes and resources, the headless Service, the DNS topology, the environment runtime.exs reads", async () => {
    const d = await inspectJson(ours);
    const dep = d.apps[0]?.deployment;
    expect(dep?.releases.map((r) => r.name)).toEqual(["ours"]);
    expect(dep?.dockerfiles[0]?.stages.length).toBeGreaterThanOrEqual(2);
    expect(dep?.dockerfiles[0]?.stages.every((s) => !s.image.includes("${"))).toBe(true);
    const deployment = dep?.kubernetes.find((k) => k.kind === "Deployment");
    expect(deployment?.probes?.readiness?.kind).toBe("httpGet");
    expect(deployment?.probes?.liveness).toBeDefined();
    expect(deployment?.resources?.requests).toBeDefined();
    expect(dep?.kubernetes.some((k) => k.kind === "Service")).toBe(true);
    expect(dep?.health.length).toBeGreaterThan(0);
    expect(dep?.environment.map((e) => e.name)).toEqual(expect.arrayContaining(["CLUSTER_DNS_QUERY"]));
    expect(d.apps[0]?.distribution.libcluster.map((t) => t.strategy).join(" ")).toMatch(/DNS/);
    // The generated files agree with each other: gen doctor's release and cluster checks find nothing.
    expect(d.apps[0]?.findings).toEqual([]);
  });

  it("a team's moduledoc footer, written with no blank line, after moduledocs that end in a doctest: format, compile, credo --strict and the doctests pass", async () => {
    const cwd = tempDir();
    expect(await createOtpApp(["footed", "--yes", "--no-install", "--no-git", "--no-check", "--no-dialyxir", "--no-ex-doc"], captureIo(cwd))).toBe(0);
    const dir = path.join(cwd, "footed");
    mkdirSync(path.join(dir, ".otpgen/templates/_partials"), { recursive: true });
    writeFileSync(path.join(dir, ".otpgen/templates/_partials/moduledoc_footer.hbs"), "  Owned by {{str module}} & <platform>.\n");
    for (const args of [["genserver", "Ticker"], ["circuit-breaker", "Breaker"], ["rate-limiter", "Limiter"]]) {
      const io = captureIo(dir);
      expect(await gen([...args, "--no-check"], io), io.errText()).toBe(0);
    }
    expectGatesPass(await elixirNextGates(dir, { credo: "all" }));
  }, 1_800_000);

  it("its own mix new --sup project with the same generators passes the same gates", async () => {
    expectGatesPass(await elixirNextGates(plain));
  });

  it("catches what 1.14 cannot: a conditional that 1.20's type checker proves constant fails the compile gate there only", async () => {
    const dir = path.join(tempDir(), "ours");
    cpSync(ours, dir, { recursive: true });
    writeFileSync(
      path.join(dir, "lib/ours/stub.ex"),
      `defmodule Ours.Stub do
  @moduledoc false

  @spec check(term()) :: :ok | :error
  def check(x), do: if(allowed?(x), do: :ok, else: :error)

  defp allowed?(_x), do: true
end
`,
    );
    const old = await elixirGates(dir);
    expect(old.compile.exitCode, old.compile.output).toBe(0);
    const next = await elixirNextGates(dir);
    expect(next.compile.exitCode).not.toBe(0);
    expect(next.compile.output).toMatch(/lib\/ours\/stub\.ex:\d+/);
  });

  it("the :telemetry variant of the limiter, breaker and cache, with the real :telemetry: the gates pass and the event tests run", async () => {
    const cwd = tempDir();
    // Required Elixir 1.15: mix.exs has cli/0, which 1.20 expects instead of :preferred_cli_env.
    const { dir, steps } = await telemetryProject(cwd, "evnext", ["--elixir", "1.15"]);
    expect(steps).toContain("[:evnext, :cache, :lookup]");
    const gates = await elixirNextGates(dir, { credo: "all", testArgs: ["--trace"] });
    expectGatesPass(gates);
    expectTelemetryTestsRan(gates.test.output);
  });
});
