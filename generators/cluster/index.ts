// gen cluster: connect the nodes of a release. `--strategy hosts` needs no
// dependency (a supervised connector and CLUSTER_NODES); gossip, dns and
// kubernetes use libcluster. `--registry pg` (OTP's :pg) or `horde` adds a
// distributed process layer. Names, cookie and ports agree with gen release.
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { kubernetesName } from "../../src/elixir/ops.js";
import { defineGenerator, type PatchAction, type PlanAction } from "../../src/core/generator.js";
import { hasConfig } from "../../src/elixir/phoenix.js";
import { appStartsDnsCluster } from "../_shared/phoenix.js";
import { UserError } from "../../src/core/errors.js";
import { configFilePath, depPatch, loggerMetadataPatch, projectPlan, render, requireProject, UNEXPECTED_MESSAGE_KEYS, wire } from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  strategy: z
    .enum(["hosts", "gossip", "dns", "kubernetes"])
    .optional()
    .describe(
      "How nodes find each other in production: hosts (CLUSTER_NODES, no dependency), gossip (UDP multicast), dns (a headless Service's DNS name) or kubernetes (Kubernetes.DNS); the last three use libcluster (default: dns when the project has Kubernetes manifests, whose pod IPs change, else hosts)",
    )
    .meta({
      prompt: "Clustering strategy in production",
      valueName: "strategy",
      choiceHelp: {
        hosts: "a fixed list of nodes in CLUSTER_NODES; no dependency",
        gossip: "UDP multicast on one network (libcluster)",
        dns: "the A records of a headless Service's DNS name (libcluster)",
        kubernetes: "Kubernetes.DNS: pods found through the Kubernetes DNS (libcluster)",
      },
    }),
  registry: z
    .enum(["none", "pg", "horde"])
    .default("none")
    .describe("A distributed process layer: pg (OTP's process groups) or horde (a distributed registry and supervisor)")
    .meta({
      prompt: "Distributed process layer",
      valueName: "layer",
      choiceHelp: {
        none: "only the connection between nodes",
        pg: "OTP's process groups: find processes by group on every node",
        horde: "a distributed registry and supervisor (Horde)",
      },
    }),
});

const MARK = "# Cluster (gen cluster)";

export default defineGenerator({
  name: "cluster",
  description: DESCRIPTIONS.cluster,
  examples: ["gen cluster", "gen cluster --strategy hosts --registry pg", "gen cluster --strategy dns --registry horde"],
  schema,
  needsProject: true,
  plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const m = project.module;
    // phx.new's DNSCluster already connects the nodes a DNS name lists: it is the dns strategy, and no second one is added.
    const dnsCluster = appStartsDnsCluster(project);
    if (dnsCluster && o.strategy !== undefined && o.strategy !== "dns") {
      throw new UserError(
        `--strategy ${o.strategy}: ${project.appFile} already clusters with phx.new's DNSCluster (the nodes its DNS_CLUSTER_QUERY lists), and a second way of connecting nodes beside it would do the same job twice; use --strategy dns (DNSCluster), or take DNSCluster out of the children first`,
      );
    }
    // Pod IPs change: under Kubernetes (gen release --k8s) a fixed node list cannot work, DNS discovery can.
    const strategy = dnsCluster ? "dns" : (o.strategy ?? (existsSync(path.join(project.root, "k8s/deployment.yaml")) ? "dns" : "hosts"));
    const libcluster = strategy !== "hosts" && !dnsCluster;
    const binding = {
      app: project.app,
      // The headless Service gen release --k8s writes: Kubernetes' name for the app.
      k8s: kubernetesName(project.app),
      module: m,
      prefix: m,
      strategy: strategy,
      hosts: strategy === "hosts",
      gossip: strategy === "gossip",
      dns: strategy === "dns",
      kubernetes: strategy === "kubernetes",
      libcluster,
      pg: o.registry === "pg",
      horde: o.registry === "horde",
    };
    const actions: PlanAction[] = [];
    const deps: [string, string][] = [];
    if (libcluster) deps.push(["libcluster", '{:libcluster, "~> 3.4"}']);
    if (o.registry === "horde") deps.push(["horde", '{:horde, "~> 0.9"}']);
    for (const [name, code] of deps) actions.push(depPatch(name, code));
    if (strategy === "hosts") {
      actions.push(
        render("cluster", "lib/__app__/cluster/connector.ex", `lib/${project.app}/cluster/connector.ex`),
        render("cluster", "test/__app__/cluster/connector_test.exs", `test/${project.app}/cluster/connector_test.exs`),
        loggerMetadataPatch(project, ["node", "nodes", "retry_in", ...UNEXPECTED_MESSAGE_KEYS]),
      );
    }
    if (libcluster) actions.push(render("cluster", "lib/__app__/cluster.ex", `lib/${project.app}/cluster.ex`));
    if (o.registry === "pg") {
      actions.push(
        render("cluster", "lib/__app__/cluster/groups.ex", `lib/${project.app}/cluster/groups.ex`),
        render("cluster", "test/__app__/cluster/groups_test.exs", `test/${project.app}/cluster/groups_test.exs`),
      );
    }
    if (o.registry === "horde") {
      actions.push(
        render("cluster", "lib/__app__/cluster/distributed.ex", `lib/${project.app}/cluster/distributed.ex`),
        render("cluster", "test/__app__/cluster/distributed_test.exs", `test/${project.app}/cluster/distributed_test.exs`),
      );
    }
    // Runtime configuration: read at boot, so one release runs anywhere.
    const runtimeFile = configFilePath(project, "config/runtime.exs");
    const runtime: PatchAction = {
      type: "otp:patch",
      path: runtimeFile,
      describe: `configure clustering in ${runtimeFile}`,
      patch: (source) => {
        // Already configured (by syntax, not by our comment): `config :libcluster, ...` or the connector's config.
        const done = source !== undefined && (hasConfig(source, ":libcluster") || hasConfig(source, `:${project.app}`, `${m}.Cluster.Connector`));
        return { source: done ? (source as string) : `${(source ?? "import Config\n").replace(/\s*$/, "")}\n\n${runtimeConfig(binding)}` };
      },
    };
    if (!dnsCluster) actions.push(runtime);
    // First in the tree: the clustering itself, then the layer the rest may use (each inserted at the top).
    if (o.registry === "horde") {
      actions.push(wire(project, { code: `${m}.Cluster.Distributed`, ids: [`${m}.Cluster.Distributed`], first: true }, undefined));
    }
    if (o.registry === "pg") {
      actions.push(wire(project, { code: `${m}.Cluster.Groups`, ids: [`${m}.Cluster.Groups`], first: true }, undefined));
    }
    if (!dnsCluster) {
      actions.push(
        libcluster
          ? wire(project, { code: `${m}.Cluster`, ids: [`${m}.Cluster`, "Cluster.Supervisor"], first: true }, undefined)
          : wire(project, { code: `${m}.Cluster.Connector`, ids: [`${m}.Cluster.Connector`], first: true }, undefined),
      );
    }
    const plan = projectPlan(project, binding, actions, [
      ...(deps.length > 0 ? ["mix deps.get"] : []),
      dnsCluster
        ? `phx.new's DNSCluster connects the nodes: DNS_CLUSTER_QUERY=${kubernetesName(project.app)}-headless.<namespace>.svc.cluster.local (gen release --k8s sets it and writes the headless Service)`
        : strategy === "hosts"
          ? `start each node with RELEASE_NODE=${project.app}@<its address> CLUSTER_NODES=<every node, comma-separated> and one RELEASE_COOKIE`
          : "gen release --k8s writes the headless Service the DNS strategies poll",
    ]);
    plan.resolved = { strategy };
    return plan;
  },
});

function runtimeConfig(b: { app: string; k8s: string; module: string; hosts: boolean; gossip: boolean; dns: boolean; kubernetes: boolean }): string {
  // CLUSTER_NODES is the operator's list of node names, read once at boot.
  const nodes = `"CLUSTER_NODES"
    |> System.get_env("")
    |> String.split(",", trim: true)
    |> Enum.map(&String.to_atom/1)`;
  if (b.hosts) {
    return `${MARK}: the nodes to keep connected, e.g.
# CLUSTER_NODES="${b.app}@10.0.0.1,${b.app}@10.0.0.2" (names as in RELEASE_NODE).
config :${b.app}, ${b.module}.Cluster.Connector,
  nodes:
    ${nodes}
`;
  }
  const prod = b.gossip
    ? `[
        strategy: Cluster.Strategy.Gossip,
        config: [
          port: String.to_integer(System.get_env("CLUSTER_GOSSIP_PORT", "45892")),
          if_addr: "0.0.0.0",
          multicast_if: "0.0.0.0",
          multicast_addr: "233.252.1.32",
          multicast_ttl: 1,
          secret: System.fetch_env!("CLUSTER_GOSSIP_SECRET")
        ]
      ]`
    : b.dns
      ? `[
        strategy: Cluster.Strategy.DNSPoll,
        config: [
          polling_interval: 5_000,
          query: System.get_env("CLUSTER_DNS_QUERY", dns_query),
          node_basename: System.get_env("CLUSTER_NODE_BASENAME", "${b.app}")
        ]
      ]`
      : `[
        strategy: Cluster.Strategy.Kubernetes.DNS,
        config: [
          service: System.get_env("CLUSTER_SERVICE", "${b.k8s}-headless"),
          application_name: System.get_env("CLUSTER_NODE_BASENAME", "${b.app}"),
          polling_interval: 5_000
        ]
      ]`;
  return `${MARK}: libcluster's topologies. In production, ${b.gossip ? "UDP multicast gossip" : b.dns ? "the A records of a headless Service" : "Kubernetes' DNS"};
# elsewhere, the node names in CLUSTER_NODES (e.g. "${b.app}@127.0.0.1,${b.app}_b@127.0.0.1").
if config_env() == :prod do
${b.dns ? `  # The pods' namespace, which the Deployment passes from the downward API.
  namespace = System.get_env("POD_NAMESPACE", "default")
  dns_query = "${b.k8s}-headless.#{namespace}.svc.cluster.local"

` : ""}  config :libcluster,
    topologies: [
      ${b.app}: ${prod}
    ]
else
  config :libcluster,
    topologies: [
      ${b.app}: [
        strategy: Cluster.Strategy.Epmd,
        config: [
          hosts:
            ${nodes.replace(/\n {4}/g, "\n            ")}
        ]
      ]
    ]
end
`;
}
