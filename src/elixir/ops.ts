// Do the release, Docker, Kubernetes and cluster files agree? Node names,
// the distribution port and the headless Service must match across them;
// `gen doctor` reports any disagreement. The Kubernetes files are read as
// YAML, runtime.exs with the syntax reader; the Dockerfile and
// rel/env.sh.eex, which are line-based, by line. Files that do not exist are
// not checked.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { stringValue } from "./phoenix.js";
import { callArgs, callName, callReceiver, codeChildren, findAll, loadReader, parse, type Node } from "./reader.js";

/** The documents of a YAML file as plain values (a file that does not parse: none). */
function yamlDocs(text: string | undefined): unknown[] {
  if (text === undefined) return [];
  try {
    return parseAllDocuments(text).filter((d) => d.errors.length === 0).map((d) => d.toJS() as unknown);
  } catch {
    return [];
  }
}

export type Obj = Record<string, unknown>;
/** A YAML mapping as an object ({} for anything else), a sequence as an array ([] else), a path into them. */
export const obj = (v: unknown): Obj => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const at = (v: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => obj(o)[k], v);
const num = (v: unknown): string | undefined => (typeof v === "number" || (typeof v === "string" && /^\d+$/.test(v)) ? String(v) : undefined);

/** The containers of a Deployment's pod (init containers too). */
function containers(doc: unknown): Obj[] {
  const spec = at(doc, "spec", "template", "spec");
  return [...list(at(spec, "containers")), ...list(at(spec, "initContainers"))].map(obj);
}

/**
 * The default of `System.get_env(name, default)` in runtime.exs (a string, or
 * a variable bound to one: `dns_query = "..."`), else the string `variable`
 * is bound to: the text before any interpolation.
 */
function runtimeDefault(tree: Node, name: string, variable?: string): string | undefined {
  const leading = (n: Node | undefined): string | undefined => {
    if (n?.type !== "string") return undefined;
    const whole = stringValue(n);
    if (whole !== undefined) return whole;
    const first = codeChildren(n)[0];
    return first?.type === "quoted_content" ? first.text : undefined;
  };
  const bound = (name: string): string | undefined => {
    for (const bind of findAll(tree, (n) => n.type === "binary_operator" && n.childForFieldName("operator")?.text === "=")) {
      if (bind.childForFieldName("left")?.text === name) return leading(bind.childForFieldName("right") ?? undefined);
    }
    return undefined;
  };
  for (const call of findAll(tree, (n) => n.type === "call" && callName(n) === "get_env" && callReceiver(n) === "System")) {
    const [key, fallback] = callArgs(call);
    if (stringValue(key) !== name) continue;
    // The default written in the call, or the variable it names (`System.get_env("CLUSTER_DNS_QUERY", dns_query)`).
    return fallback?.type === "identifier" ? bound(fallback.text) : leading(fallback);
  }
  return variable === undefined ? undefined : bound(variable);
}

/** `runtimeFile`: the runtime config the app loads, from `root` (an umbrella app's is the umbrella's). */
export async function opsProblems(root: string, app: string, runtimeFile = "config/runtime.exs"): Promise<string[]> {
  const read = (f: string): string | undefined => (existsSync(path.join(root, f)) ? readFileSync(path.join(root, f), "utf8") : undefined);
  const env = read("rel/env.sh.eex");
  const docker = read("Dockerfile");
  const deploymentText = read("k8s/deployment.yaml");
  const serviceText = read("k8s/service.yaml");
  const policyText = read("k8s/networkpolicy.yaml");
  const runtimeText = read(runtimeFile);
  const kind = (docs: unknown[], k: string): unknown[] => docs.filter((d) => at(d, "kind") === k);
  const deployments = kind(yamlDocs(deploymentText), "Deployment");
  const services = kind(yamlDocs(serviceText), "Service");
  const policies = kind(yamlDocs(policyText), "NetworkPolicy");
  const problems: string[] = [];
  // A shell default, ${DIST_PORT:-9100}: the line-based file read by line.
  const port = env ? /\$\{DIST_PORT:-(\d+)\}/.exec(env)?.[1] : undefined;

  if (port && docker) {
    // Distribution is for the cluster's own nodes: publishing its ports invites anyone who can reach the host.
    const exposed = docker.split("\n").flatMap((line) => /^\s*EXPOSE\s+(.+)$/i.exec(line)?.[1]?.trim().split(/\s+/).map((p) => p.replace(/\/tcp$/i, "")) ?? []);
    for (const p of ["4369", port]) {
      if (exposed.includes(p)) problems.push(`Dockerfile: EXPOSE ${p} publishes ${p === "4369" ? "EPMD" : "the distribution port"}; only the cluster's nodes should reach it (k8s/networkpolicy.yaml)`);
    }
  }
  if (port && policies.length > 0) {
    const rules = policies.flatMap((p) => list(at(p, "spec", "ingress")).map(obj));
    const portsOf = (r: Obj): Obj[] => list(r.ports).map(obj);
    // The cluster's own pods: a rule with a podSelector source.
    const own = rules.filter((r) => list(r.from).some((f) => obj(f).podSelector !== undefined)).flatMap(portsOf).map((p) => num(p.port));
    for (const p of ["4369", port]) if (!own.includes(p)) problems.push(`k8s/networkpolicy.yaml: no port ${p} for the cluster's own pods`);
    // A TCP range open to any pod (a rule without `from`) must not take the distribution ports in again (UDP is not distribution).
    for (const r of rules.filter((r) => r.from === undefined).flatMap(portsOf)) {
      const [from, to] = [num(r.port), num(r.endPort)];
      if ((r.protocol ?? "TCP") !== "TCP" || from === undefined || to === undefined) continue;
      for (const p of ["4369", port]) {
        if (Number(from) <= Number(p) && Number(p) <= Number(to)) problems.push(`k8s/networkpolicy.yaml: ports ${from}-${to} admit ${p} from any pod`);
      }
    }
  }
  if (deploymentText !== undefined && existsSync(path.join(root, "lib", app, "cluster", "connector.ex"))) {
    problems.push(
      "k8s/deployment.yaml with gen cluster's hosts strategy: a fixed CLUSTER_NODES cannot follow pod IPs; use gen cluster --strategy dns (the headless Service in k8s/service.yaml)",
    );
  }
  if (port && deployments.length > 0) {
    const all = deployments.flatMap(containers);
    const ports = all.flatMap((c) => list(c.ports).map((p) => num(obj(p).containerPort)));
    for (const p of ["4369", port]) if (!ports.includes(p)) problems.push(`k8s/deployment.yaml: no containerPort ${p}`);
    const distEnv = all.flatMap((c) => list(c.env).map(obj)).find((e) => e.name === "DIST_PORT");
    const distValue = distEnv ? num(distEnv.value) : undefined;
    if (distValue !== undefined && distValue !== port) problems.push(`k8s/deployment.yaml: DIST_PORT is ${distValue}, rel/env.sh.eex's default is ${port}`);
  }
  // The headless Service: the one with clusterIP None (the file may hold others).
  const headless = services.find((s) => at(s, "spec", "clusterIP") === "None") ?? services[0];
  if (port && headless !== undefined) {
    const ports = list(at(headless, "spec", "ports")).map((p) => num(obj(p).port));
    for (const p of ["4369", port]) if (!ports.includes(p)) problems.push(`k8s/service.yaml: no port ${p}`);
  }
  const serviceName = headless === undefined ? undefined : (at(headless, "metadata", "name") as string | undefined);
  if (runtimeText === undefined) return problems;
  await loadReader();
  const runtime = parse(runtimeText).rootNode;
  if (serviceName) {
    // The query's default: written in the call (older gen cluster) or bound to dns_query first.
    const query = (runtimeDefault(runtime, "CLUSTER_DNS_QUERY", "dns_query") ?? "").split(".")[0];
    if (query && query !== serviceName) problems.push(`${runtimeFile}: the DNS query names ${query}, k8s/service.yaml's Service is ${serviceName}`);
    const svc = runtimeDefault(runtime, "CLUSTER_SERVICE");
    if (svc && svc !== serviceName) problems.push(`${runtimeFile}: the Kubernetes.DNS service is ${svc}, k8s/service.yaml's Service is ${serviceName}`);
  }
  if (env) {
    const basename = runtimeDefault(runtime, "CLUSTER_NODE_BASENAME");
    if (basename && basename !== app) problems.push(`${runtimeFile}: nodes are named ${basename}@..., the release names them ${app}@... (rel/env.sh.eex)`);
  }
  return problems;
}

/** The longest suffix the templates add to the Kubernetes name ("-distribution"). */
const LONGEST_SUFFIX = "-distribution".length;

/**
 * The one name of an app's Kubernetes objects: an RFC 1123 label that is also
 * a DNS-1035 label (a Service's name must be one), so lower case letters,
 * digits and dashes, starting with a letter, with room for the longest
 * suffix within 63 characters. `my_shop` -> `my-shop`.
 */
export function kubernetesName(app: string): string {
  const name = app
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, 63 - LONGEST_SUFFIX)
    .replace(/-+$/, "");
  return name === "" ? "app" : name;
}
