// Do the release, Docker, Kubernetes and cluster files agree? Node names,
// the distribution port and the headless Service must match across them;
// `gen doctor` reports any disagreement. Text-level reading; files that do
// not exist are not checked.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/** `runtimeFile`: the runtime config the app loads, from `root` (an umbrella app's is the umbrella's). */
export function opsProblems(root: string, app: string, runtimeFile = "config/runtime.exs"): string[] {
  const read = (f: string): string | undefined => (existsSync(path.join(root, f)) ? readFileSync(path.join(root, f), "utf8") : undefined);
  const env = read("rel/env.sh.eex");
  const docker = read("Dockerfile");
  const deployment = read("k8s/deployment.yaml");
  const service = read("k8s/service.yaml");
  const runtime = read(runtimeFile);
  const problems: string[] = [];
  const port = env ? /\$\{DIST_PORT:-(\d+)\}/.exec(env)?.[1] : undefined;

  if (port && docker) {
    // Distribution is for the cluster's own nodes: publishing its ports invites anyone who can reach the host.
    const exposed = /^EXPOSE (.+)$/m.exec(docker)?.[1]?.split(/\s+/) ?? [];
    for (const p of ["4369", port]) {
      if (exposed.includes(p)) problems.push(`Dockerfile: EXPOSE ${p} publishes ${p === "4369" ? "EPMD" : "the distribution port"}; only the cluster's nodes should reach it (k8s/networkpolicy.yaml)`);
    }
  }
  const policy = read("k8s/networkpolicy.yaml");
  if (port && policy) {
    const ports = [...policy.matchAll(/\bport: (\d+)/g)].map((m) => m[1]);
    for (const p of ["4369", port]) if (!ports.includes(p)) problems.push(`k8s/networkpolicy.yaml: no port ${p} for the cluster's own pods`);
    // A TCP range open to any pod must not take the distribution ports in again (UDP is not distribution).
    for (const [, from, to] of policy.matchAll(/protocol: TCP\s+port: (\d+)\s+endPort: (\d+)/g)) {
      for (const p of ["4369", port]) {
        if (Number(from) <= Number(p) && Number(p) <= Number(to)) problems.push(`k8s/networkpolicy.yaml: ports ${from}-${to} admit ${p} from any pod`);
      }
    }
  }
  if (deployment && existsSync(path.join(root, "lib", app, "cluster", "connector.ex"))) {
    problems.push(
      "k8s/deployment.yaml with gen cluster's hosts strategy: a fixed CLUSTER_NODES cannot follow pod IPs; use gen cluster --strategy dns (the headless Service in k8s/service.yaml)",
    );
  }
  if (port && deployment) {
    const ports = [...deployment.matchAll(/containerPort: (\d+)/g)].map((m) => m[1]);
    for (const p of ["4369", port]) if (!ports.includes(p)) problems.push(`k8s/deployment.yaml: no containerPort ${p}`);
    const distEnv = /name: DIST_PORT\s+value: "(\d+)"/.exec(deployment)?.[1];
    if (distEnv !== undefined && distEnv !== port) problems.push(`k8s/deployment.yaml: DIST_PORT is ${distEnv}, rel/env.sh.eex's default is ${port}`);
  }
  if (port && service) {
    const ports = [...service.matchAll(/\bport: (\d+)/g)].map((m) => m[1]);
    for (const p of ["4369", port]) if (!ports.includes(p)) problems.push(`k8s/service.yaml: no port ${p}`);
  }
  const serviceName = service ? /^\s*name: (\S+)/m.exec(service.slice(service.indexOf("metadata:")))?.[1] : undefined;
  if (runtime && serviceName) {
    // The query's default: written in the call (older gen cluster) or bound to dns_query first.
    const query = (/"CLUSTER_DNS_QUERY", "([^".]+)\./.exec(runtime) ?? /\bdns_query = "([^".]+)\./.exec(runtime))?.[1];
    if (query && query !== serviceName) problems.push(`${runtimeFile}: the DNS query names ${query}, k8s/service.yaml's Service is ${serviceName}`);
    const svc = /"CLUSTER_SERVICE", "([^"]+)"/.exec(runtime)?.[1];
    if (svc && svc !== serviceName) problems.push(`${runtimeFile}: the Kubernetes.DNS service is ${svc}, k8s/service.yaml's Service is ${serviceName}`);
  }
  if (runtime && env) {
    const basename = /"CLUSTER_NODE_BASENAME", "([^"]+)"/.exec(runtime)?.[1];
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
