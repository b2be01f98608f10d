// gen release + gen cluster --strategy hosts --registry pg, for real: the
// release builds, starts, answers rpc and stops; two nodes on loopback find
// each other, see each other's :pg members, and one notices the other's loss.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, parseAllDocuments, stringify as stringifyYaml } from "yaml";
import { portRangesWithout } from "../../generators/release/index.js";
import { createOtpApp } from "../../src/cli/create-main.js";
import { gen } from "../../src/cli/gen-main.js";
import { opsProblems } from "../../src/elixir/ops.js";
import { captureIo, elixirGates, expectGatesPass, hexEnv, tempDir } from "../helpers.js";
import { expectTelemetryTestsRan, telemetryProject } from "../telemetry-events.js";

const APP = "relapp";
let dir: string;
let rel: string;
const started: Record<string, string>[] = [];

beforeAll(async () => {
  const cwd = tempDir();
  expect(await createOtpApp([APP, "--yes", "--no-install", "--no-git", "--no-check"], captureIo(cwd))).toBe(0);
  dir = path.join(cwd, APP);
  for (const args of [["release", "--k8s"], ["cluster", "--strategy", "hosts", "--registry", "pg"]]) {
    const io = captureIo(dir);
    expect(await gen([...args, "--no-check"], io), io.errText()).toBe(0);
  }
  rel = path.join(dir, "_build/prod/rel", APP);
});

afterAll(async () => {
  for (const env of started) await execa(path.join(rel, "bin", APP), ["stop"], { env, reject: false });
});

const read = (file: string): string => readFileSync(path.join(dir, file), "utf8");

describe("gen release and gen cluster: the files", () => {
  it("pass format, compile --warnings-as-errors, credo --strict and the generated tests, with the real deps", async () => {
    expectGatesPass(await elixirGates(dir, { credo: "all" }));
  });

  it("put the clustering first in the tree, and the node list in runtime config", () => {
    expect(read(`lib/${APP}/application.ex`)).toContain(
      "    children = [\n      Relapp.Cluster.Connector,\n      Relapp.Cluster.Groups,\n      # Processes to supervise, in start order, e.g. {Relapp.Worker, []}\n      Relapp.Health\n    ]",
    );
    expect(read("config/runtime.exs")).toContain("config :relapp, Relapp.Cluster.Connector,\n  nodes:\n    \"CLUSTER_NODES\"");
    expect(read("mix.exs")).toContain("      releases: releases()\n    ]");
  });

  it("the Dockerfile: two stages, builder pinned to the installed Elixir/OTP, non-root, health-checked", () => {
    const lines = read("Dockerfile").split("\n");
    const versions = { elixir: "", otp: "" };
    for (const l of lines) {
      versions.elixir ||= /^ARG ELIXIR_VERSION=(.+)$/.exec(l)?.[1] ?? "";
      versions.otp ||= /^ARG OTP_VERSION=(.+)$/.exec(l)?.[1] ?? "";
    }
    expect(versions).toEqual({ elixir: "1.14.0", otp: readFileSync("/usr/lib/erlang/releases/25/OTP_VERSION", "utf8").trim() });
    expect(lines.filter((l) => l.startsWith("FROM "))).toEqual(["FROM ${BUILDER_IMAGE} AS builder", "FROM ${RUNNER_IMAGE} AS runner"]);
    expect(lines).toContain("USER nobody");
    expect(lines).toContain('HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["/app/bin/health", "--live"]');
    // Distribution is neither published nor run on the image's own cookie.
    expect(lines.filter((l) => l.startsWith("EXPOSE"))).toEqual([]);
    expect(lines).toContain("ENV RELEASE_REQUIRE_COOKIE=1");
    expect(lines).toContain('CMD ["/app/bin/server"]');
    expect(lines).toContain(`COPY --from=builder --chown=nobody:root /app/_build/\${MIX_ENV}/rel/${APP} ./`);
  });

  it("names, cookie and ports agree across rel/, the Dockerfile and the manifests", async () => {
    const env = read("rel/env.sh.eex");
    const port = /\$\{DIST_PORT:-(\d+)\}/.exec(env)?.[1];
    expect(port).toBe("9100");
    const deployment = parseYaml(read("k8s/deployment.yaml"));
    const container = deployment.spec.template.spec.containers[0];
    expect(container.ports.map((p: { containerPort: number }) => p.containerPort)).toEqual([4369, Number(port), 8081]);
    const envs = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value ?? e]));
    expect(envs.DIST_PORT).toBe(port);
    expect(envs.RELEASE_DISTRIBUTION).toBe("name");
    expect(envs.POD_IP).toEqual({ name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } });
    expect(envs.RELEASE_COOKIE.valueFrom.secretKeyRef.name).toBe(`${APP}-cookie`);
    expect(env).toContain('RELEASE_NODE="<%= @release.name %>@${POD_IP}"');
    // Readiness is the deep check; liveness that the VM answers; both over HTTP (no second VM), with explicit timeouts.
    expect(envs.HEALTH_PORT).toBe("8081");
    expect(container.ports.find((p: { name: string }) => p.name === "health")?.containerPort).toBe(8081);
    expect(container.readinessProbe.httpGet).toEqual({ path: "/ready", port: "health" });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/live", port: "health" });
    expect(container.readinessProbe.exec).toBeUndefined();
    // Not root, no privilege escalation, no capabilities, a read-only root with /tmp for the release's own files.
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534 });
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(envs.RELEASE_TMP).toBe("/tmp");
    expect(container.volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
    expect(container.readinessProbe.timeoutSeconds).toBeGreaterThanOrEqual(5);
    expect(container.livenessProbe.timeoutSeconds).toBeGreaterThanOrEqual(1);
    const policy = parseYaml(read("k8s/networkpolicy.yaml"));
    expect(policy.kind).toBe("NetworkPolicy");
    expect(policy.spec.ingress[0].from).toEqual([{ podSelector: { matchLabels: { app: APP } } }]);
    expect(policy.spec.ingress[0].ports.map((p: { port: number }) => p.port)).toEqual([4369, Number(port)]);
    // Every other TCP port is open to anyone: the policy closes distribution, not the app's HTTP or metrics.
    const open = (p: number): boolean =>
      policy.spec.ingress[2].from === undefined &&
      policy.spec.ingress[2].ports.some((r: { protocol: string; port: number; endPort?: number }) => r.protocol === "TCP" && r.port <= p && p <= (r.endPort ?? r.port));
    expect([4369, Number(port), 9568].filter(open)).toEqual([]);
    expect([1, 80, 443, 4000, 4368, 4370, 8081, 9099, 9101, 9567, 9569, 65535].filter((p) => !open(p))).toEqual([]);
    // Metrics (Prometheus' 9568) only for the app's pods and the monitoring namespace.
    expect(policy.spec.ingress[1]).toEqual({
      from: [{ podSelector: { matchLabels: { app: APP } } }, { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }],
      ports: [{ protocol: "TCP", port: 9568 }],
    });
    expect((await opsProblems(dir, APP)).filter((p) => p.startsWith("k8s/networkpolicy"))).toEqual([]);
    // Drains and disruptions: a preStop pause, a grace period beyond it, requests and a memory limit, a PDB.
    expect(container.lifecycle.preStop.exec.command).toEqual(["sleep", "5"]);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(30);
    expect(container.resources.requests).toEqual({ cpu: "250m", memory: "256Mi" });
    expect(container.resources.limits).toEqual({ memory: "512Mi" });
    const pdb = parseYaml(read("k8s/pdb.yaml"));
    expect([pdb.kind, pdb.spec.maxUnavailable, pdb.spec.selector]).toEqual(["PodDisruptionBudget", 1, { matchLabels: { app: APP } }]);
    const service = parseYaml(read("k8s/service.yaml"));
    expect(service.spec.clusterIP).toBe("None");
    expect(service.spec.ports.map((p: { port: number }) => p.port)).toEqual([4369, Number(port)]);
  });
});

describe("Kubernetes names, for app names as teams write them", () => {
  // RFC 1123 labels (DNS-1035 for a Service: starting with a letter), as kubectl apply checks them.
  const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
  const RFC1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
  const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
  const long = "a_very_long_application_name_for_the_warehouse_inventory_2_service";

  it.each(["my_shop", "shop_2", "ref_app", long])("%s: every name is valid, and the DNS query names the Service", async (app) => {
    const cwd = tempDir();
    expect(await createOtpApp([app, "--yes", "--no-install", "--no-git", "--no-check"], captureIo(cwd))).toBe(0);
    const root = path.join(cwd, app);
    for (const args of [["release", "--k8s"], ["cluster", "--strategy", "dns", "--registry", "pg"]]) {
      const io = captureIo(root);
      expect(await gen([...args, "--no-check"], io), io.errText()).toBe(0);
    }
    const yaml = (f: string) => parseYaml(readFileSync(path.join(root, "k8s", f), "utf8"));
    const [deployment, service, policy, pdb] = ["deployment.yaml", "service.yaml", "networkpolicy.yaml", "pdb.yaml"].map(yaml);
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    const names = [deployment.metadata.name, policy.metadata.name, pdb.metadata.name, container.name, ...container.ports.map((p: { name: string }) => p.name)];
    const secrets = container.env.filter((e: { valueFrom?: { secretKeyRef?: unknown } }) => e.valueFrom?.secretKeyRef).map((e: { valueFrom: { secretKeyRef: { name: string } } }) => e.valueFrom.secretKeyRef.name);
    for (const name of [...names, ...secrets]) {
      expect(name, `${app}: ${name}`).toMatch(RFC1123);
      expect(name.length, name).toBeLessThanOrEqual(63);
    }
    expect(service.metadata.name).toMatch(DNS1035);
    expect(service.metadata.name.length).toBeLessThanOrEqual(63);
    for (const labels of [deployment.metadata.labels, pod.containers && deployment.spec.template.metadata.labels, service.spec.selector, pdb.spec.selector.matchLabels]) {
      for (const value of Object.values(labels as Record<string, string>)) expect(value).toMatch(LABEL_VALUE);
    }
    // One name everywhere: the selectors find the pods, and libcluster's DNS query names the headless Service.
    expect(service.spec.selector).toEqual(deployment.spec.template.metadata.labels);
    const runtime = readFileSync(path.join(root, "config/runtime.exs"), "utf8");
    expect(runtime).toContain(`dns_query = "${service.metadata.name}.#{namespace}.svc.cluster.local"`);
    expect(await opsProblems(root, app)).toEqual([]);
    // The node names stay the app's (Erlang allows underscores): rel/env.sh.eex and the basename agree.
    expect(runtime).toContain(`node_basename: System.get_env("CLUSTER_NODE_BASENAME", "${app}")`);
  });
});

describe("the NetworkPolicy's open ranges", () => {
  it("cover every TCP port but EPMD's and the distribution port, whichever that is", () => {
    for (const dist of [1024, 4368, 4370, 9100, 65534, 65535]) {
      const ranges = portRangesWithout([4369, dist]);
      const covered = (p: number): boolean => ranges.some((r) => r.port <= p && p <= (r.endPort ?? r.port));
      const open = [1, 1023, 1024, 4368, 4369, 4370, 4371, 9100, 65534, 65535].filter(covered);
      expect(open, `dist ${dist}`).toEqual([1, 1023, 1024, 4368, 4369, 4370, 4371, 9100, 65534, 65535].filter((p) => p !== 4369 && p !== dist));
      for (const r of ranges) expect(r.endPort === undefined || r.endPort > r.port, JSON.stringify(r)).toBe(true);
    }
  });

  it("refuses --dist-port 4369 (EPMD's), exit 2, nothing written", async () => {
    const io = captureIo(dir);
    const files = ["k8s/deployment.yaml", "k8s/networkpolicy.yaml", "k8s/pdb.yaml", "rel/env.sh.eex", "mix.exs"];
    const snapshot = (): string[] => files.map((f) => read(f));
    const before = snapshot();
    expect(await gen(["release", "--k8s", "--dist-port", "4369", "--force", "--no-check"], io)).toBe(2);
    expect(io.errText()).toContain("--dist-port must not be EPMD's 4369");
    expect(snapshot()).toEqual(before);
  });
});

/** Retry `fn` until it returns true or the time is up (the nodes are separate OS processes). */
async function eventually(what: string, fn: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("the release, for real", () => {
  const node = (name: string, port: number): Record<string, string> => ({
    RELEASE_NODE: `${name}@127.0.0.1`,
    RELEASE_TMP: path.join(dir, `tmp-${name}`),
    RELEASE_COOKIE: "otpgen-test-cookie",
    DIST_PORT: String(port),
    // Each node's readiness and liveness listener (Relapp.Health) on a port of its own.
    HEALTH_PORT: String(port + 100),
    CLUSTER_NODES: `${APP}_a@127.0.0.1,${APP}_b@127.0.0.1`,
  });
  const bin = (...args: string[]) => path.join(rel, "bin", ...args);
  const rpc = async (env: Record<string, string>, expr: string) =>
    (await execa(bin(APP), ["rpc", expr], { env, reject: false, all: true })).all?.trim() ?? "";

  it("builds with mix release", async () => {
    // With the project's real deps (fetched by the gates above).
    const r = await execa("mix", ["release", "--overwrite"], { cwd: dir, env: { ...hexEnv(), MIX_ENV: "prod" }, reject: false, all: true, stdin: "ignore" });
    expect(r.exitCode, r.all).toBe(0);
    expect(existsSync(bin(APP))).toBe(true);
    expect(existsSync(bin("health"))).toBe(true);
  });

  it("starts, answers rpc and the health check, and stops cleanly", async () => {
    const a = node(`${APP}_solo`, 9521);
    await execa(bin(APP), ["daemon"], { env: a });
    started.push(a);
    await eventually("the node answers rpc", async () => (await rpc(a, "IO.puts(node())")) === `${APP}_solo@127.0.0.1`);
    await eventually("ready", async () => (await execa(bin("health"), [], { env: a, reject: false })).exitCode === 0);
    expect((await execa(bin("health"), ["--live"], { env: a, reject: false })).exitCode).toBe(0);
    expect(await rpc(a, "IO.puts(Relapp.Health.check())")).toBe("ok");

    // A permanent child stopped: unready, still alive; started again: ready.
    await rpc(a, "Supervisor.terminate_child(Relapp.Supervisor, Relapp.Cluster.Groups)");
    expect((await execa(bin("health"), [], { env: a, reject: false })).exitCode).toBe(1);
    expect((await execa(bin("health"), ["--live"], { env: a, reject: false })).exitCode).toBe(0);
    await rpc(a, "Supervisor.restart_child(Relapp.Supervisor, Relapp.Cluster.Groups)");
    expect((await execa(bin("health"), [], { env: a, reject: false })).exitCode).toBe(0);

    // A hung VM (stopped by the OS): liveness notices within HEALTH_TIMEOUT, where an EPMD check would not.
    const pid = (await execa(bin(APP), ["pid"], { env: a })).stdout.trim();
    process.kill(Number(pid), "SIGSTOP");
    try {
      expect((await execa(bin("health"), ["--live"], { env: { ...a, HEALTH_TIMEOUT: "2" }, reject: false })).exitCode).toBe(1);
    } finally {
      process.kill(Number(pid), "SIGCONT");
    }
    await eventually("alive again", async () => (await execa(bin("health"), ["--live"], { env: a, reject: false })).exitCode === 0);
    await execa(bin(APP), ["stop"], { env: a });
    await eventually("the node is gone", async () => (await execa(bin(APP), ["pid"], { env: a, reject: false })).exitCode !== 0);
    await eventually("liveness says so", async () => (await execa(bin("health"), ["--live"], { env: a, reject: false })).exitCode === 1);
  });

  it("in a container (RELEASE_REQUIRE_COOKIE=1), refuses to start without RELEASE_COOKIE", async () => {
    const { RELEASE_COOKIE: _cookie, ...noCookie } = node(`${APP}_nocookie`, 9524);
    const r = await execa(bin(APP), ["daemon"], { env: { ...noCookie, RELEASE_REQUIRE_COOKIE: "1" }, extendEnv: true, reject: false, all: true });
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain("RELEASE_COOKIE is not set: refusing to start distribution with the cookie built into the image");
    expect((await execa(bin(APP), ["pid"], { env: noCookie, reject: false })).exitCode).not.toBe(0);
  });

  it("two nodes on loopback cluster, share :pg groups, and notice a node's loss", async () => {
    const a = node(`${APP}_a`, 9522);
    const b = node(`${APP}_b`, 9523);
    for (const env of [a, b]) {
      await execa(bin(APP), ["daemon"], { env });
      started.push(env);
    }
    await eventually("a sees b", async () => (await rpc(a, "IO.inspect(Node.list())")) === `[:"${APP}_b@127.0.0.1"]`);
    await eventually("b sees a", async () => (await rpc(b, "IO.inspect(Node.list())")) === `[:"${APP}_a@127.0.0.1"]`);

    const join = "spawn(fn -> Relapp.Cluster.Groups.join(:demo); Process.sleep(:infinity) end)";
    await rpc(a, join);
    await rpc(b, join);
    await eventually("a sees both members", async () => (await rpc(a, "IO.puts(length(Relapp.Cluster.Groups.members(:demo)))")) === "2");
    await eventually("b sees both members", async () => (await rpc(b, "IO.puts(length(Relapp.Cluster.Groups.members(:demo)))")) === "2");

    await execa(bin(APP), ["stop"], { env: b });
    await eventually("a notices b is gone", async () => (await rpc(a, "IO.inspect(Node.list())")) === "[]");
    await eventually("b's member left a's view", async () => (await rpc(a, "IO.puts(length(Relapp.Cluster.Groups.members(:demo)))")) === "1");
    await eventually("a logged the node going down", async () => {
      const log = path.join(a.RELEASE_TMP as string, "log", "erlang.log.1");
      return existsSync(log) && readFileSync(log, "utf8").includes("cluster: node down");
    });
  });
});

describe("gen cluster with libcluster and Horde, with the real libraries", () => {
  it.each(["dns", "kubernetes", "gossip"])("--strategy %s --registry horde, then gen release --k8s: the gates pass (credo --strict included) and the files agree", async (strategy) => {
    const cwd = tempDir();
    expect(await createOtpApp(["libapp", "--yes", "--no-install", "--no-git", "--no-check"], captureIo(cwd))).toBe(0);
    const app = path.join(cwd, "libapp");
    for (const args of [["cluster", "--strategy", strategy, "--registry", "horde"], ["release", "--k8s"]]) {
      const io = captureIo(app);
      expect(await gen([...args, "--no-check"], io), io.errText()).toBe(0);
    }
    const file = (f: string): string => readFileSync(path.join(app, f), "utf8");
    expectGatesPass(await elixirGates(app, { credo: "all" }));

    expect(file("mix.exs")).toContain('{:libcluster, "~> 3.4"}');
    expect(file("mix.exs")).toContain('{:horde, "~> 0.9"}');
    expect(file("lib/libapp/application.ex")).toContain(
      "    children = [\n      Libapp.Cluster,\n      Libapp.Cluster.Distributed,\n      # Processes to supervise, in start order, e.g. {Libapp.Worker, []}\n      Libapp.Health\n    ]",
    );
    const runtime = file("config/runtime.exs");
    const strategyModule = { dns: "Cluster.Strategy.DNSPoll", kubernetes: "Cluster.Strategy.Kubernetes.DNS", gossip: "Cluster.Strategy.Gossip" }[strategy];
    expect(runtime).toContain(`strategy: ${strategyModule}`);
    expect(runtime).toContain("strategy: Cluster.Strategy.Epmd");
    const service = parseYaml(file("k8s/service.yaml")).metadata.name;
    if (strategy === "dns") {
      // In the pods' own namespace (any, not only "default"), from the downward API.
      expect(runtime).toContain(`dns_query = "${service}.#{namespace}.svc.cluster.local"`);
      expect(runtime).toContain('query: System.get_env("CLUSTER_DNS_QUERY", dns_query)');
      const env = parseYaml(file("k8s/deployment.yaml")).spec.template.spec.containers[0].env as { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
      expect(env.find((e) => e.name === "POD_NAMESPACE")?.valueFrom?.fieldRef?.fieldPath).toBe("metadata.namespace");
      expect(runtime).toContain('node_basename: System.get_env("CLUSTER_NODE_BASENAME", "libapp")');
    }
    if (strategy === "kubernetes") {
      expect(runtime).toContain(`service: System.get_env("CLUSTER_SERVICE", "${service}")`);
      expect(runtime).toContain('application_name: System.get_env("CLUSTER_NODE_BASENAME", "libapp")');
    }
    // The node basename in the topologies is the release's name in rel/env.sh.eex.
    expect(file("rel/env.sh.eex")).toContain('RELEASE_NODE="<%= @release.name %>@${POD_IP}"');
    expect(file("lib/libapp/cluster/distributed.ex")).toContain("{Horde.Registry, name: @registry, keys: :unique, members: :auto}");
    expect(file("lib/libapp/cluster.ex")).toContain("{Cluster.Supervisor, [topologies, [name: Libapp.ClusterSupervisor]]}");

    // Running it again changes nothing.
    const again = captureIo(app);
    expect(await gen(["cluster", "--strategy", strategy, "--registry", "horde", "--no-check", "--json"], again)).toBe(0);
    expect(JSON.parse(again.text()).files.every((f: { action: string }) => f.action === "identical")).toBe(true);
  });
});

describe("gen telemetry, with telemetry_metrics, telemetry_poller and the Prometheus reporter", () => {
  it("writes a Telemetry supervisor with VM metrics (measured once), reporters by config, wired first, that passes the gates and its Prometheus histogram test; idempotent", async () => {
    const cwd = tempDir();
    expect(await createOtpApp(["telapp", "--yes", "--no-install", "--no-git", "--no-check"], captureIo(cwd))).toBe(0);
    const app = path.join(cwd, "telapp");
    const io = captureIo(app);
    expect(await gen(["telemetry", "--prometheus", "--no-check"], io), io.errText()).toBe(0);
    expectGatesPass(await elixirGates(app, { credo: "all" }));
    const file = (f: string): string => readFileSync(path.join(app, f), "utf8");
    const lib = file("lib/telapp/telemetry.ex");
    expect(lib).toContain('last_value("vm.memory.total", unit: {:byte, :kilobyte})');
    expect(lib).toContain(":telemetry.execute([:telapp, component, event], measurements, metadata)");
    expect(lib).toContain("{TelemetryMetricsPrometheus, metrics: metrics, port: 9568}");
    // The VM is :telemetry_poller's own poller's: this one measures nothing twice.
    expect(lib).toMatch(/defp periodic_measurements do\n {4}\[\]\n/);
    expect(file("mix.exs")).toContain('{:telemetry_metrics, "~> 1.0"}');
    expect(file("mix.exs")).toContain('{:telemetry_metrics_prometheus, "~> 1.1"}');
    expect(file("config/dev.exs")).toContain("config :telapp, Telapp.Telemetry, reporters: [:console]");
    expect(file("config/prod.exs")).toContain("config :telapp, Telapp.Telemetry, reporters: [:prometheus]");
    expect(file("lib/telapp/application.ex")).toContain("    children = [\n      Telapp.Telemetry\n");
    // Every public function has a @spec.
    const defs = [...lib.matchAll(/^ {2}def (\w+)/gm)].map((m) => m[1]);
    for (const name of defs.filter((d) => d !== "init")) expect(lib).toMatch(new RegExp(`@spec ${name}\\(`));
    const again = captureIo(app);
    expect(await gen(["telemetry", "--prometheus", "--no-check", "--json"], again)).toBe(0);
    expect(JSON.parse(again.text()).files.every((f: { action: string }) => f.action === "identical")).toBe(true);
  });
});

describe("telemetry events of the limiter, breaker and cache, with the real :telemetry", () => {
  it("emit only where the project has :telemetry; the project passes the gates and the generated tests see the events", async () => {
    const cwd = tempDir();
    const { dir: app, steps } = await telemetryProject(cwd, "evapp");
    expect(steps).toContain("it emits the :telemetry events [:evapp, :circuit_breaker, :state_change], [:evapp, :circuit_breaker, :reject]");
    const file = (f: string): string => readFileSync(path.join(app, f), "utf8");
    expect(file("lib/evapp/rate_limiter.ex")).toContain("@hit_event [:evapp, :rate_limiter, :hit]");
    expect(file("lib/evapp/cache.ex")).toContain("@evict_event [:evapp, :cache, :evict]");
    const gates = await elixirGates(app, { credo: "all", testArgs: ["--trace"] });
    expectGatesPass(gates);
    expectTelemetryTestsRan(gates.test.output);

    // Without :telemetry the same generators emit nothing (gen-all runs that variant).
    const withDep = file("mix.exs");
    const withoutDep = withDep.replace('\n      {:telemetry, "~> 1.0"},', "");
    expect(withoutDep).not.toBe(withDep);
    writeFileSync(path.join(app, "mix.exs"), withoutDep);
    const again = captureIo(app);
    expect(await gen(["rate-limiter", "Plain.Limiter", "--no-check"], again), again.errText()).toBe(0);
    expect(file("lib/evapp/plain/limiter.ex")).not.toContain("telemetry");
    expect(again.text()).toContain('add {:telemetry, "~> 1.0"} and generate it again with --force');
  });
});

describe("gen doctor: release and cluster files agree", () => {
  it("in either order the files agree; a changed port or Service name is reported", async () => {
    const cwd = tempDir();
    expect(await createOtpApp(["opsapp", "--yes", "--no-install", "--no-git", "--no-check"], captureIo(cwd))).toBe(0);
    const app = path.join(cwd, "opsapp");
    for (const args of [["release", "--k8s"], ["cluster", "--strategy", "dns", "--registry", "horde"]]) {
      expect(await gen([...args, "--no-check"], captureIo(app))).toBe(0);
    }
    const ok = captureIo(app);
    expect(await gen(["doctor"], ok), ok.text()).toBe(0);
    expect(ok.text()).toContain("✔ release and cluster files agree");

    // Someone publishes the distribution ports, and another narrows the NetworkPolicy.
    const docker = path.join(app, "Dockerfile");
    writeFileSync(docker, readFileSync(docker, "utf8").replace("ENV RELEASE_REQUIRE_COOKIE=1", "ENV RELEASE_REQUIRE_COOKIE=1\nEXPOSE 4369 9100"));
    const policy = path.join(app, "k8s/networkpolicy.yaml");
    // ...and widens the range open to any pod over the distribution port.
    writeFileSync(policy, readFileSync(policy, "utf8").replace("port: 9100", "port: 9200").replace("endPort: 9099", "endPort: 9150"));
    const service = path.join(app, "k8s/service.yaml");
    writeFileSync(service, readFileSync(service, "utf8").replace("name: opsapp-headless", "name: opsapp-nodes"));
    const bad = captureIo(app);
    expect(await gen(["doctor"], bad)).toBe(1);
    expect(bad.text()).toContain("✖ Dockerfile: EXPOSE 9100 publishes the distribution port; only the cluster's nodes should reach it (k8s/networkpolicy.yaml)");
    expect(bad.text()).toContain("✖ Dockerfile: EXPOSE 4369 publishes EPMD");
    expect(bad.text()).toContain("✖ k8s/networkpolicy.yaml: no port 9100 for the cluster's own pods");
    expect(bad.text()).toContain("✖ k8s/networkpolicy.yaml: ports 4370-9150 admit 9100 from any pod");
    expect(bad.text()).not.toContain("admit 4369");
    expect(bad.text()).toContain("✖ config/runtime.exs: the DNS query names opsapp-headless, k8s/service.yaml's Service is opsapp-nodes");
  });
});

describe("gen doctor reads the manifests as YAML, runtime.exs as Elixir", () => {
  it("the same manifests in another layout (flow style, keys reordered, a comment naming a port) still agree; a renamed Service is still found", async () => {
    const cwd = tempDir();
    expect(await createOtpApp(["my_shop_2", "--yes", "--no-install", "--no-git", "--no-check"], captureIo(cwd))).toBe(0);
    const app = path.join(cwd, "my_shop_2");
    for (const args of [["release", "--k8s"], ["cluster", "--strategy", "dns"]]) expect(await gen([...args, "--no-check"], captureIo(app))).toBe(0);
    // As another tool would write them: flow collections, keys in reverse order, a comment that mentions ports.
    const relayout = (file: string, edit: (text: string) => string = (t) => t): void => {
      const docs = parseAllDocuments(readFileSync(path.join(app, file), "utf8")).map((d) => d.toJS() as unknown);
      const reverse = (v: unknown): unknown =>
        Array.isArray(v) ? v.map(reverse) : v !== null && typeof v === "object" ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverse(x)])) : v;
      const text = docs.map((d) => stringifyYaml(reverse(d), { collectionStyle: "flow" })).join("---\n");
      writeFileSync(path.join(app, file), edit(`# was: port: 1 containerPort: 2 name: old-headless\n${text}`));
    };
    for (const f of ["k8s/deployment.yaml", "k8s/service.yaml", "k8s/networkpolicy.yaml"]) relayout(f);
    const ok = captureIo(app);
    expect(await gen(["doctor"], ok), ok.text()).toBe(0);
    expect(ok.text()).toContain("✔ release and cluster files agree");
    relayout("k8s/service.yaml", (t) => t.replace("name: my-shop-2-headless", "name: my-shop-2-nodes"));
    const bad = captureIo(app);
    expect(await gen(["doctor"], bad)).toBe(1);
    expect(bad.text()).toContain("✖ config/runtime.exs: the DNS query names my-shop-2-headless, k8s/service.yaml's Service is my-shop-2-nodes");
  });
});

describe("gen doctor: Kubernetes with the hosts strategy", () => {
  it("reports that a fixed CLUSTER_NODES cannot follow pod IPs", async () => {
    const cwd = tempDir();
    expect(await createOtpApp(["hostsk8s", "--yes", "--no-install", "--no-git", "--no-check"], captureIo(cwd))).toBe(0);
    const app = path.join(cwd, "hostsk8s");
    expect(await gen(["cluster", "--strategy", "hosts", "--no-check"], captureIo(app))).toBe(0);
    const before = captureIo(app);
    expect(await gen(["doctor"], before), before.text()).toBe(0);
    expect(await gen(["release", "--k8s", "--no-check"], captureIo(app))).toBe(0);
    const after = captureIo(app);
    expect(await gen(["doctor"], after)).toBe(1);
    expect(after.text()).toContain("a fixed CLUSTER_NODES cannot follow pod IPs; use gen cluster --strategy dns");
  });

  it("gen cluster without --strategy in a project with Kubernetes manifests uses DNS discovery against the headless Service", async () => {
    const cwd = tempDir();
    expect(await createOtpApp(["dnsk8s", "--yes", "--no-install", "--no-git", "--no-check"], captureIo(cwd))).toBe(0);
    const app = path.join(cwd, "dnsk8s");
    expect(await gen(["release", "--k8s", "--no-check"], captureIo(app))).toBe(0);
    expect(await gen(["cluster", "--no-check"], captureIo(app))).toBe(0);
    expect(readFileSync(path.join(app, "config/runtime.exs"), "utf8")).toContain("Cluster.Strategy.DNSPoll");
    const doctor = captureIo(app);
    expect(await gen(["doctor"], doctor), doctor.text()).toBe(0);
  });
});
