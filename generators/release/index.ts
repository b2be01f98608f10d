// gen release: a Mix release that runs the same way on a laptop, in Docker and
// in Kubernetes, with a dependency-free health check and documented shutdown.
import path from "node:path";
import { existsSync } from "node:fs";
import { z } from "zod";
import { UserError } from "../../src/core/errors.js";
import { defineGenerator, type PlanAction } from "../../src/core/generator.js";
import { addFunction, addProjectEntry } from "../../src/elixir/children.js";
import { addPlugBefore, excludeFromForceSsl } from "../../src/elixir/phoenix.js";
import { umbrellaAppsNeeded } from "../../src/elixir/project.js";
import { detectVersions } from "../../src/elixir/versions.js";
import { kubernetesName } from "../../src/elixir/ops.js";
import { appStartsDnsCluster, webPathOf } from "../_shared/phoenix.js";
import { configAppendPatch, configFilePath, phoenixEndpoints, loggerMetadataPatch, mixPatch, projectPlan, PROMETHEUS_PORT, render, requireProject, UNEXPECTED_MESSAGE_KEYS, wire } from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

const DEPLOY = "Deployment files (space to toggle, Enter to go on)";

const EPMD_PORT = 4369;

export const schema = z.object({
  docker: z.boolean().default(true).describe("A multi-stage Dockerfile and .dockerignore").meta({ group: DEPLOY }),
  k8s: z.boolean().default(false).describe("Kubernetes manifests: a Deployment and a headless Service for DNS clustering").meta({ group: DEPLOY }),
  healthPort: z.coerce
    .number()
    .int("--health-port must be a whole number")
    .min(1024, "--health-port must be 1024 to 65535")
    .max(65535, "--health-port must be 1024 to 65535")
    .refine((p) => p !== EPMD_PORT, "--health-port must not be EPMD's 4369")
    .default(8081)
    .describe("The port the node answers readiness (GET /ready) and liveness (GET /live) probes on")
    .meta({ prompt: false, valueName: "port" }),
  distPort: z.coerce.number().int().min(1024, "--dist-port must be 1024 to 65535").max(65535, "--dist-port must be 1024 to 65535").refine((p) => p !== EPMD_PORT, "--dist-port must not be EPMD's 4369").default(9100).describe("The one port Erlang distribution listens on (besides EPMD's 4369)").meta({ prompt: "Erlang distribution port (besides EPMD's 4369)", valueName: "port" }),
});

export default defineGenerator({
  name: "release",
  description: DESCRIPTIONS.release,
  examples: ["gen release", "gen release --k8s", "gen release --no-docker --dist-port 9200"],
  schema,
  needsProject: true,
  async plan(o, io, ctx) {
    const project = requireProject(ctx);
    const versions = await detectVersions(io.env, io.mix, io.cwd);
    if (o.healthPort === o.distPort) throw new UserError(`invalid --health-port ${o.healthPort}: it is the distribution port (--dist-port); pick another`);
    if (o.healthPort === PROMETHEUS_PORT) throw new UserError(`invalid --health-port ${o.healthPort}: it is the metrics port, which the NetworkPolicy opens to scrapers only; pick another`);
    const umbrella = project.umbrellaRoot === undefined ? undefined : {
      root: project.umbrellaRoot,
      app: path.relative(project.umbrellaRoot, project.root).split(path.sep).join("/"),
      apps: umbrellaAppsNeeded(project.umbrellaRoot, project.root),
    };
    // The umbrella's root from the app (the README the release is documented in, the _build it goes to).
    const up = umbrella ? `${path.relative(project.root, umbrella.root).split(path.sep).join("/")}/` : "";
    const readme = `${up}README.md`;
    const build = `${up}_build`;
    const binding = {
      app: project.app,
      k8s: kubernetesName(project.app),
      healthPort: o.healthPort,
      module: project.module,
      prefix: project.module,
      elixirVersion: versions.elixir ?? "1.17.3",
      otpVersion: versions.otp ?? "27.1.2",
      distPort: o.distPort,
      metricsPort: PROMETHEUS_PORT,
      otherPorts: portRangesWithout([EPMD_PORT, o.distPort, PROMETHEUS_PORT]),
      phoenix: project.phoenix,
      // phx.new's assets (esbuild, tailwind): built into priv/static by mix assets.deploy.
      hasAssets: project.phoenix && existsSync(path.join(project.root, "assets")),
      web: `${project.module}Web`,
      ecto: project.ecto,
      // phx.new's DNSCluster in the tree: the Deployment gives it the headless Service's name.
      dnsCluster: appStartsDnsCluster(project),
      // The init container that runs bin/migrate: a Phoenix app with a database.
      migrate: project.phoenix && project.ecto,
      httpPort: 4000,
      // An umbrella's app: the image is built from the umbrella's root, with the apps it needs.
      umbrella: umbrella && { app: umbrella.app, apps: umbrella.apps },
    };
    const actions: PlanAction[] = [
      render("release", "rel/env.sh.eex", "rel/env.sh.eex"),
      render("release", "rel/vm.args.eex", "rel/vm.args.eex"),
      { ...render("release", "rel/overlays/bin/server", "rel/overlays/bin/server"), mode: 0o755 },
      { ...render("release", "rel/overlays/bin/health", "rel/overlays/bin/health"), mode: 0o755 },
      render("release", "lib/__app__/health.ex", `lib/${project.app}/health.ex`),
      render("release", "test/__app__/health_test.exs", `test/${project.app}/health_test.exs`),
      wire(project, { code: `${project.module}.Health`, ids: [`${project.module}.Health`] }, undefined),
      loggerMetadataPatch(project, ["reason", ...UNEXPECTED_MESSAGE_KEYS]),
      configAppendPatch(project, {
        file: "config/runtime.exs",
        key: `${project.module}.Health`,
        line: `config :${project.app}, ${project.module}.Health, port: String.to_integer(System.get_env("HEALTH_PORT", "${o.healthPort}"))${project.ecto ? `, checks: [{${project.module}.Release, :repos_ready, []}]` : ""}`,
        text: healthConfig(project.app, project.module, o.healthPort, project.ecto),
        describe: `serve ${project.module}.Health on HEALTH_PORT in production${project.ecto ? ", the database among its checks" : ""} (config/runtime.exs)`,
      }),
      mixPatch("add `releases: releases()` to project/0", (s) => addProjectEntry(s, "releases", "releases: releases()")),
      mixPatch(
        "add a releases/0 function",
        (s) =>
          addFunction(
            s,
            "releases",
            `  defp releases do\n    [\n      ${project.app}: [\n        include_executables_for: [:unix],\n        applications: [runtime_tools: :permanent]\n      ]\n    ]\n  end`,
          ),
      ),
      {
        type: "otp:patch",
        path: readme,
        describe: "document running the release",
        patch(source) {
          if (source === undefined) return { manual: `${readme} is missing: nothing to document the release in` };
          const section = releaseReadme(project.app, o.distPort, o.healthPort, build, umbrella?.app);
          if (source.includes(section.split("\n")[0] as string)) return { source };
          return { source: `${source.replace(/\s*$/, "")}\n\n${section}` };
        },
      },
    ];
    if (project.ecto) {
      actions.push(
        render("release", "lib/__app__/release.ex", `lib/${project.app}/release.ex`),
        { ...render("release", "rel/overlays/bin/migrate", "rel/overlays/bin/migrate"), mode: 0o755 },
      );
      // phx.new's apps have the DataCase (the SQL sandbox) the test uses.
      if (project.phoenix) actions.push(render("release", "test/__app__/release_test.exs", `test/${project.app}/release_test.exs`));
    }
    if (project.phoenix) {
      const web = `${project.module}Web`;
      // The endpoint by what it is (`use Phoenix.Endpoint`), whatever its name.
      const [{ module: endpointModule, file: endpoint }] = phoenixEndpoints(project) as [{ module: string; file: string }];
      const anchors = ["Plug.RequestId", "Plug.Telemetry", `${web}.Router`];
      actions.push(
        render("release", "lib/__app___web/plugs/health.ex", `lib/${webPathOf(project)}/plugs/health.ex`),
        {
          type: "otp:patch",
          path: endpoint,
          describe: "serve GET /health before Plug.RequestId and Plug.Telemetry (probes are not logged)",
          patch(source) {
            const manual = (why: string) => ({ manual: `${endpoint}: ${why}; add this line before \`plug Plug.RequestId\`:\n  plug ${web}.Plugs.Health` });
            if (source === undefined) return manual("it is missing");
            const r = addPlugBefore(source, `${web}.Plugs.Health`, anchors);
            return r.status === "refused" ? manual(r.reason) : { source: r.source };
          },
        },
        {
          type: "otp:patch",
          path: configFilePath(project, "config/prod.exs"),
          describe: "exclude /health from force_ssl's redirect (probes call over plain HTTP)",
          patch(source) {
            const manual = (why: string, snippet: string) => ({ manual: `${configFilePath(project, "config/prod.exs")}: ${why}; exclude /health from the endpoint's force_ssl:\n  ${snippet}` });
            if (source === undefined) return manual("it is missing", `force_ssl: [rewrite_on: [:x_forwarded_proto], exclude: [paths: ["/health"], hosts: ["localhost"]]]`);
            const r = excludeFromForceSsl(source, endpointModule, "/health");
            return r.status === "refused" ? manual(r.reason, r.snippet) : { source: r.source };
          },
        },
      );
    }
    if (o.docker) {
      // In an umbrella, Docker reads the ignore file beside the Dockerfile (the context is the root).
      actions.push(render("release", "Dockerfile", "Dockerfile"), render("release", ".dockerignore", umbrella ? "Dockerfile.dockerignore" : ".dockerignore"));
      // The image copies priv/, which a project without migrations or static files does not have yet.
      if (!existsSync(path.join(project.root, "priv"))) actions.push({ type: "otp:write", path: "priv/.gitkeep", content: "" });
    }
    if (o.k8s) {
      actions.push(
        render("release", "k8s/deployment.yaml", "k8s/deployment.yaml"),
        render("release", "k8s/service.yaml", "k8s/service.yaml"),
        render("release", "k8s/networkpolicy.yaml", "k8s/networkpolicy.yaml"),
        render("release", "k8s/pdb.yaml", "k8s/pdb.yaml"),
      );
      if (project.phoenix) {
        actions.push(render("release", "k8s/configmap.yaml", "k8s/configmap.yaml"), render("release", "k8s/http-service.yaml", "k8s/http-service.yaml"));
      }
    }
    const start = `${build}/prod/rel/${project.app}/bin/${project.app} start`;
    const next = project.phoenix
      ? [
          `MIX_ENV=prod mix assets.deploy && MIX_ENV=prod mix release`,
          `PHX_SERVER=true PHX_HOST=<your host> SECRET_KEY_BASE=$(mix phx.gen.secret)${project.ecto ? " DATABASE_URL=ecto://USER:PASS@HOST/DB" : ""} ${start}   (without PHX_SERVER the endpoint serves nothing)`,
          ...(o.k8s ? [`kubectl create secret generic ${binding.k8s}-env --from-literal=SECRET_KEY_BASE=... ${project.ecto ? "--from-literal=DATABASE_URL=... " : ""}and set PHX_HOST in k8s/configmap.yaml`] : []),
        ]
      : [`MIX_ENV=prod mix release`, start];
    if (umbrella) {
      // An umbrella's releases are its apps' own: built in the app's folder, into the root's _build.
      const here = path.relative(io.cwd, project.root) || ".";
      next.unshift(`cd ${here}   # an umbrella app's release is built in its folder`);
      if (o.docker) next.push(`docker build -f ${umbrella.app}/Dockerfile ${path.relative(io.cwd, umbrella.root) || "."}   # the context is the umbrella's root`);
    }
    return projectPlan(project, binding, actions, next);
  },
});

/** The TCP ports a NetworkPolicy leaves open to anyone: 1–65535 but `closed`, as `{port, endPort?}` ranges. */
export function portRangesWithout(closed: number[]): { port: number; endPort?: number }[] {
  const ranges: { port: number; endPort?: number }[] = [];
  let start = 1;
  for (const port of [...new Set(closed)].sort((a, b) => a - b)) {
    if (port > start) ranges.push(port - 1 === start ? { port: start } : { port: start, endPort: port - 1 });
    start = port + 1;
  }
  if (start <= 65535) ranges.push(start === 65535 ? { port: start } : { port: start, endPort: 65535 });
  return ranges;
}

/** config/runtime.exs: Health's port from HEALTH_PORT in production and, with Ecto, the database among its checks. */
function healthConfig(app: string, module: string, port: number, ecto: boolean): string {
  const opts = ecto ? ["port: health_port", "checks: [repos_ready]"] : ["port: health_port"];
  const head = `  config :${app}, ${module}.Health,`;
  // One line where it fits (as mix format writes it), else one option a line.
  const call = `${head} ${opts.join(", ")}`.length <= 98 ? `${head} ${opts.join(", ")}` : `${head}\n${opts.map((o) => `    ${o}`).join(",\n")}`;
  const checks = ecto ? `  # Unready while a repo does not answer SELECT 1 (Release.repos_ready/1).\n  repos_ready = {${module}.Release, :repos_ready, []}\n` : "";
  return `# The readiness and liveness probes (GET /ready, GET /live) answer on HEALTH_PORT in production.
if config_env() == :prod do
  health_port = String.to_integer(System.get_env("HEALTH_PORT", "${port}"))
${checks}${call}
end
`;
}

/** The README's section; `build`: the _build the release goes to, from the folder it is built in (`umbrellaApp`'s, in an umbrella). */
function releaseReadme(app: string, port: number, healthPort: number, build: string, umbrellaApp?: string): string {
  return `## Running the release${umbrellaApp ? ` of :${app}` : ""}

\`\`\`sh
${umbrellaApp ? `cd ${umbrellaApp}   # an umbrella app's release is built in its folder\n` : ""}MIX_ENV=prod mix release
${build}/prod/rel/${app}/bin/${app} start      # or bin/server in the image
${build}/prod/rel/${app}/bin/${app} rpc "IO.puts(:ok)"
${build}/prod/rel/${app}/bin/health            # exit 0 when ready (GET /ready on HEALTH_PORT)
\`\`\`

\`${app}\`'s \`Health\` process watches the supervision tree and answers
\`GET /ready\` (200 or 503) and \`GET /live\` on \`HEALTH_PORT\` (default ${healthPort})
in production: point load balancers and probes there. Add the team's own
checks (a database query, a queue's depth) with
\`config :${app}, <App>.Health, checks: [{Module, :function, []}]\`.

\`rel/env.sh.eex\` names the node and sets up distribution; values already in
the environment win: \`RELEASE_NODE\` (default \`${app}@$POD_IP\` in
Kubernetes, else \`${app}@<host or 127.0.0.1>\`), \`RELEASE_DISTRIBUTION\`
(default \`name\`), \`RELEASE_COOKIE\` (every node of a cluster needs the same
one: set it from a secret), \`DIST_PORT\` (default ${port}; with EPMD's 4369,
the only ports distribution uses).

Shutdown: on SIGTERM (\`docker stop\`, a Kubernetes pod being replaced) the VM
stops the application in an orderly way. Supervisors stop their children in
the reverse of the order they started them, and each child gets its
\`shutdown:\` time (5 seconds for workers by default, \`:infinity\` for
supervisors) to finish what it is doing in \`terminate/2\` (a GenServer that
traps exits). Keep the platform's grace period (\`terminationGracePeriodSeconds\`,
\`docker stop --time\`) above the longest of those.
`;
}
