// A Phoenix app in production, as Kubernetes would run it: create-otp-app
// --phoenix (phx.new 1.8.9 in the newest Elixir's chroot) with an underscore
// and a digit in its name, gen release --k8s, then the release built as its
// Dockerfile builds it (deps, compile, `mix assets.deploy`, `mix release`,
// MIX_ENV=prod), bin/migrate run with the init container's environment and
// bin/server (the image's CMD) with the container's: exactly what
// k8s/deployment.yaml, k8s/configmap.yaml and the Dockerfile's ENV lines say,
// the Secrets' keys filled in. Then probed over HTTP as a load balancer, the
// kubelet and a browser would: from a Host that is not localhost.
import { appendFileSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { createOtpApp } from "../../src/cli/create-main.js";
import { gen } from "../../src/cli/gen-main.js";
import { ASSET_PATHS_CONFIG, prepareAssetTools } from "../assets.js";
import { dropDatabasesNext, startPostgresNext } from "../hex.js";
import { captureIo, elixirNextDir, elixirNextRoot, mixNext, nextRunner, type NextProject } from "../helpers.js";

const LONG = 1_800_000;
const APP = "web_shop2";
const K8S = "web-shop2";
const DB = `${APP}_prod`;
let at: NextProject;
let root: string;
const servers: ResultPromise[] = [];

interface Container {
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name: string; containerPort: number }[];
  readinessProbe?: { httpGet?: { path: string; port: string } };
}

/** The Secrets the Deployment's comments tell the team to create, filled in. */
const SECRETS: Record<string, Record<string, string>> = {
  [`${K8S}-cookie`]: { cookie: "a-cookie-only-this-cluster-knows-0123456789" },
  [`${K8S}-env`]: {
    DATABASE_URL: `ecto://postgres:postgres@localhost/${DB}`,
    SECRET_KEY_BASE: "k".repeat(32) + "0123456789abcdefghijklmnopqrstuvwxyzABCDEF",
  },
};

/** A container's environment as Kubernetes builds it: the Dockerfile's ENV, envFrom (ConfigMap, Secret), then env. */
function environment(c: Container, configMaps: Record<string, Record<string, string>>, dockerfile: string, secrets = SECRETS): Record<string, string> {
  const env: Record<string, string> = { PATH: "/usr/local/bin:/usr/bin:/bin" };
  for (const m of dockerfile.matchAll(/^ENV (.+)$/gm)) for (const kv of (m[1] as string).matchAll(/(\w+)="?([^"\s]*)"?/g)) env[kv[1] as string] = kv[2] as string;
  for (const from of c.envFrom ?? []) {
    const source = from.configMapRef ? configMaps[from.configMapRef.name] : secrets[from.secretRef?.name ?? ""];
    expect(source, JSON.stringify(from)).toBeDefined();
    Object.assign(env, source);
  }
  for (const e of c.env ?? []) {
    // $(NAME) refers to a variable defined before it, as Kubernetes expands it.
    if (e.value !== undefined) env[e.name] = e.value.replace(/\$\((\w+)\)/g, (ref, name: string) => env[name] ?? ref);
    else if (e.valueFrom?.fieldRef) env[e.name] = { "status.podIP": "127.0.0.1", "metadata.namespace": "default" }[e.valueFrom.fieldRef.fieldPath] ?? "";
    else if (e.valueFrom?.secretKeyRef) {
      const value = secrets[e.valueFrom.secretKeyRef.name]?.[e.valueFrom.secretKeyRef.key];
      expect(value, `${e.name} from ${JSON.stringify(e.valueFrom.secretKeyRef)}`).toBeDefined();
      env[e.name] = value as string;
    }
  }
  return env;
}

/** A release command inside the chroot, with exactly `env` (relative to the release root, as the image's WORKDIR /app is). */
function inRelease(command: string, env: Record<string, string>) {
  const rel = `${at.inside}/_build/prod/rel/${APP}`;
  const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return execa("chroot", [root, "/usr/bin/env", "-i", ...vars, "sh", "-c", `cd ${rel} && exec ${command}`], { reject: false, all: true, stdin: "ignore" });
}

function request(port: number, urlPath: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: urlPath, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: "" });
    });
    req.on("error", reject);
    req.end();
  });
}

/** Polls GET /health until it answers at all (the release booting), for up to a minute. */
async function booted(port: number, host: string): Promise<number> {
  for (let i = 0; i < 600; i++) {
    try {
      return (await request(port, "/health", { Host: host })).status;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error("the release never answered on its HTTP port");
}

beforeAll(async () => {
  root = elixirNextRoot();
  startPostgresNext(root);
  dropDatabasesNext(root, [DB, `${APP}_dev`, `${APP}_test`]);
  const { inside, outside } = elixirNextDir();
  const io = { ...captureIo(outside), mix: nextRunner() };
  expect(await createOtpApp([APP, "--phoenix", "--yes", "--no-install", "--no-git", "--no-check"], io), io.errText()).toBe(0);
  at = { outside: path.join(outside, APP), inside: `${inside}/${APP}` };
  const rel = captureIo(at.outside);
  expect(await gen(["release", "--k8s", "--no-check", "--json"], rel), rel.errText()).toBe(0);
  expect((JSON.parse(rel.text()) as { manual: unknown[] }).manual).toEqual([]);
  // This machine's stand-in for the executables the asset packages download.
  const tools = prepareAssetTools(root);
  const config = path.join(at.outside, "config/config.exs");
  appendFileSync(config, ASSET_PATHS_CONFIG);
  const prod = { MIX_ENV: "prod", ...tools };
  for (const args of [["deps.get", "--only", "prod"], ["compile"], ["assets.deploy"], ["release", "--overwrite"]]) {
    const r = await mixNext(at, args, prod);
    expect(r.exitCode, `mix ${args.join(" ")}:\n${r.output}`).toBe(0);
  }
  const created = await execa("chroot", [root, "su", "postgres", "-c", `createdb ${DB}`], { reject: false, all: true });
  expect(created.exitCode, created.all).toBe(0);
}, LONG);

afterAll(async () => {
  for (const s of servers) s.kill("SIGKILL");
  if (at) await execa("pkill", ["-f", `${at.inside}/_build/prod/rel/${APP}/`], { reject: false });
});

describe(`gen release --k8s in a Phoenix app (${APP}), run with exactly the Deployment's environment`, () => {
  it("migrates, then serves /health 200 to any Host over plain HTTP (unlogged), its digested CSS and JS, and LiveView's websocket from PHX_HOST only; unready without its database", async () => {
    const read = (f: string): string => readFileSync(path.join(at.outside, f), "utf8");
    const deployment = parseYaml(read("k8s/deployment.yaml"));
    const configMap = parseYaml(read("k8s/configmap.yaml")) as { metadata: { name: string }; data: Record<string, string> };
    const service = parseYaml(read("k8s/http-service.yaml"));
    const configMaps = { [configMap.metadata.name]: configMap.data };
    const dockerfile = read("Dockerfile");
    const spec = deployment.spec.template.spec as { initContainers: Container[]; containers: Container[] };
    const [migrate] = spec.initContainers;
    const [app] = spec.containers;
    expect(migrate?.command).toEqual(["bin/migrate"]);
    const host = configMap.data.PHX_HOST as string;
    expect(host).toBe(`${K8S}.example.com`);
    // The HTTP port: declared, behind a ClusterIP Service, and where readiness is probed.
    const httpPort = app?.ports?.find((p) => p.name === "http")?.containerPort as number;
    expect(httpPort).toBe(4000);
    expect(service.spec.type).toBe("ClusterIP");
    expect(service.spec.ports[0].targetPort).toBe("http");
    expect(app?.readinessProbe?.httpGet).toEqual({ path: "/health", port: "http" });

    // The init container: bin/migrate on a fresh database.
    const migrated = await inRelease(migrate?.command?.join(" ") as string, environment(migrate as Container, configMaps, dockerfile));
    expect(migrated.exitCode, migrated.all).toBe(0);

    // The container: the image's CMD.
    const cmd = /^CMD \["\/app\/(bin\/server)"\]$/m.exec(dockerfile)?.[1] as string;
    const env = environment(app as Container, configMaps, dockerfile);
    expect(env.PHX_HOST).toBe(host);
    // phx.new's DNSCluster is given the headless Service's name.
    expect(env.DNS_CLUSTER_QUERY).toBe(`${K8S}-headless.default.svc.cluster.local`);
    const server = inRelease(cmd, env);
    servers.push(server);
    expect(await booted(httpPort, host)).toBe(200);

    // The kubelet and load balancers: plain HTTP to the pod, any Host.
    const health = await request(httpPort, "/health", { Host: host });
    expect([health.status, health.body]).toEqual([200, "ok"]);
    expect((await request(httpPort, "/health", { Host: "10.1.2.3:4000" })).status).toBe(200);
    // Everything else is still forced to HTTPS…
    expect((await request(httpPort, "/", { Host: host })).status).toBe(301);
    // …and served behind the TLS-terminating load balancer, with digested assets.
    const https = { Host: host, "X-Forwarded-Proto": "https" };
    const page = await request(httpPort, "/", https);
    expect(page.status).toBe(200);
    const assets = [...page.body.matchAll(/(?:href|src)="(\/assets\/(?:css|js)\/app-[0-9a-f]{32}\.(?:css|js))(?:\?vsn=d)?"/g)].map((m) => m[1] as string);
    expect(assets.map((a) => path.extname(a)).sort()).toEqual([".css", ".js"]);
    for (const asset of assets) {
      const r = await request(httpPort, asset, https);
      expect(r.status, asset).toBe(200);
      expect(r.headers["content-type"]).toMatch(asset.endsWith(".css") ? /text\/css/ : /javascript/);
      expect(r.body.length, asset).toBeGreaterThan(1_000);
    }
    // LiveView's websocket: 101 from a page of PHX_HOST, 403 from another origin.
    const upgrade = { ...https, Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13" };
    expect((await request(httpPort, "/live/websocket?vsn=2.0.0", { ...upgrade, Origin: `https://${host}` })).status).toBe(101);
    expect((await request(httpPort, "/live/websocket?vsn=2.0.0", { ...upgrade, Origin: "https://elsewhere.example.org" })).status).toBe(403);

    // Probes are not logged; pages are.
    server.kill("SIGTERM");
    await execa("pkill", ["-f", `${at.inside}/_build/prod/rel/${APP}/`], { reject: false });
    const { all } = await server;
    expect(all).toMatch(/GET \/\n|GET \/ /);
    expect(all).not.toMatch(/GET \/health/);

    // The database unreachable: the node is unready (and says no more than that).
    const down = { ...SECRETS, [`${K8S}-env`]: { ...SECRETS[`${K8S}-env`], DATABASE_URL: "ecto://postgres:postgres@localhost:1/nowhere" } };
    const lost = inRelease(cmd, environment(app as Container, configMaps, dockerfile, down));
    servers.push(lost);
    await booted(httpPort, host);
    // Booted: every probe for the next few seconds says unready, for the database's sake alone.
    for (let i = 0; i < 5; i++) {
      expect(await request(httpPort, "/health", { Host: host })).toMatchObject({ status: 503, body: "unready" });
      await new Promise((r) => setTimeout(r, 500));
    }
    lost.kill("SIGTERM");
    await execa("pkill", ["-f", `${at.inside}/_build/prod/rel/${APP}/`], { reject: false });
    const unready = (await lost).all ?? "";
    expect(unready).toMatch(/unready/);
    expect(unready).toMatch(/check_failed.*repos_ready/);
    expect(unready).not.toMatch(/not_answering|crash_looping|:down/);
  }, LONG);
});
