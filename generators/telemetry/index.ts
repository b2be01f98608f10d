// gen telemetry: the app's metrics with telemetry_metrics (the recipes'
// events), reporters chosen by config (a console reporter in dev, optionally
// Prometheus). In a plain project, a Telemetry supervisor with its poller; in
// a Phoenix app, phx.new's `AppWeb.Telemetry` is extended instead (its
// metrics/0 appends the app's, its init/1 starts the configured reporters):
// one poller, one list of metrics, the one LiveDashboard shows.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { extendWebTelemetry } from "../../src/elixir/phoenix.js";
import { addStartCall } from "../../src/elixir/children.js";
import { ectoRepos } from "../../src/elixir/ecto.js";
import { fileDefining, libSources, type MixProject } from "../../src/elixir/project.js";
import { underscore } from "../../src/elixir/naming.js";
import { functions, loadReader, modules, parse } from "../../src/elixir/reader.js";
import { defineGenerator, type PatchAction, type PlanAction } from "../../src/core/generator.js";
import { configAppendPatch, depPatch, envConfigPatch, projectPlan, render, requireProject, wire, PROMETHEUS_PORT } from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  prometheus: z.boolean().default(false).describe("Also serve the metrics for Prometheus (telemetry_metrics_prometheus)").meta({ prompt: "Also serve the metrics for Prometheus?" }),
  otel: z
    .boolean()
    .default(false)
    .describe("Also trace with OpenTelemetry: the SDK, the OTLP exporter (set by OTEL_EXPORTER_OTLP_ENDPOINT), Phoenix, Bandit and Ecto spans, the recipes' runs and refusals")
    .meta({ prompt: "Also trace with OpenTelemetry (exported over OTLP)?" }),
});

/** phx.new's `AppWeb.Telemetry` and its file, when the project has it (a module of that name with metrics/0). */
function webTelemetry(project: MixProject): { module: string; file: string } | undefined {
  if (!project.phoenix) return undefined;
  const module = `${project.module}Web.Telemetry`;
  const file = fileDefining(project.root, module);
  if (!file || !existsSync(path.join(project.root, file))) return undefined;
  const found = modules(parse(readFileSync(path.join(project.root, file), "utf8")).rootNode).find((m) => m.name === module);
  return found && functions(found.body, "metrics", 0, ["def"]).length > 0 ? { module, file } : undefined;
}

export default defineGenerator({
  name: "telemetry",
  description: DESCRIPTIONS.telemetry,
  examples: ["gen telemetry", "gen telemetry --prometheus", "gen telemetry --otel"],
  schema,
  needsProject: true,
  async plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const m = project.module;
    await loadReader();
    const web = webTelemetry(project);
    const deps: [string, string][] = [
      ["telemetry_metrics", '{:telemetry_metrics, "~> 1.0"}'],
      ["telemetry_poller", '{:telemetry_poller, "~> 1.0"}'],
      ...(o.prometheus ? ([["telemetry_metrics_prometheus", '{:telemetry_metrics_prometheus, "~> 1.1"}']] as [string, string][]) : []),
    ];
    const actions: PlanAction[] = [
      render("telemetry", "lib/__app__/telemetry.ex", `lib/${project.app}/telemetry.ex`),
      render("telemetry", "test/__app__/telemetry_test.exs", `test/${project.app}/telemetry_test.exs`),
    ];
    const otel = o.otel ? otelPlan(project) : undefined;
    if (otel) deps.push(...otel.deps);
    if (otel) actions.push(render("telemetry", "test/__app__/telemetry_tracing_test.exs", `test/${project.app}/telemetry_tracing_test.exs`));
    for (const [name, code] of deps) actions.push(depPatch(name, code));
    if (otel) actions.push(...otel.actions);
    const config = (env: string, reporters: string): PatchAction => envConfigPatch(project, env, `${m}.Telemetry`, `reporters: ${reporters}`, "Telemetry (gen telemetry)");
    // In a Phoenix app LiveDashboard shows the metrics in dev: no console printing every event.
    if (!web) actions.push(config("dev", "[:console]"));
    if (o.prometheus) actions.push(config("prod", "[:prometheus]"));
    if (web) {
      actions.push({
        type: "otp:patch",
        path: web.file,
        describe: `add ${m}.Telemetry's metrics and reporters to ${web.module}`,
        patch(source) {
          if (source === undefined) return { manual: `${web.file} is missing: add ${m}.Telemetry's metrics and reporters to ${web.module}` };
          const r = extendWebTelemetry(source, web.module, `${m}.Telemetry`);
          return r.status === "refused" ? { manual: `${web.file}: ${r.reason}. Add:\n${r.snippet}` } : { source: r.source };
        },
      });
    } else {
      actions.push(wire(project, { code: `${m}.Telemetry`, ids: [`${m}.Telemetry`], first: true }, undefined));
    }
    const plan = (b: Record<string, unknown>, next: string[]) => {
      const p = projectPlan(project, b, actions, next);
      // Names make some lines as long as they are: Elixir's formatter lays out the tracing code.
      if (otel) p.format = { localsWithoutParens: "[]" };
      return p;
    };
    const binding = {
      app: project.app,
      module: m,
      prefix: m,
      web: web?.module,
      prometheus: o.prometheus,
      prometheusPort: PROMETHEUS_PORT,
      otel: otel !== undefined,
      otelSetup: otel?.setup ?? [],
      // The instrumentation libraries set up, in words: what the moduledoc names.
      otelLibraries: otel?.libraries,
      otelEcto: otel?.repos[0],
    };
    return plan(binding, [
      "mix deps.get",
      `emit events with ${m}.Telemetry.execute(component, event, measurements, metadata)`,
      ...(web ? [`see the metrics at /dev/dashboard/metrics (LiveDashboard reads ${web.module}.metrics/0, which now includes ${m}.Telemetry's)`] : []),
      ...(otel?.nextSteps ?? []),
    ]);
  },
});

/** The OTLP exporter's endpoint variable: spans are exported only where it is set. */
const OTLP_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";

/**
 * gen telemetry --otel: the SDK (the exporter first, so that it starts
 * before the SDK, as opentelemetry_exporter asks), the instrumentation of the
 * libraries the project has (Phoenix on Bandit, Ecto's repos), the config
 * (no export by default, none in test, OTLP where the environment names a
 * collector) and the call of setup_tracing/0 at the top of start/2.
 */
function otelPlan(project: MixProject): { deps: [string, string][]; actions: PatchAction[]; setup: string[]; repos: { module: string; prefix: string; spanName: string }[]; libraries: string | undefined; nextSteps: string[] } {
  const m = project.module;
  const deps: [string, string][] = [
    ["opentelemetry_exporter", '{:opentelemetry_exporter, "~> 1.10"}'],
    ["opentelemetry", '{:opentelemetry, "~> 1.7"}'],
    ["opentelemetry_api", '{:opentelemetry_api, "~> 1.5"}'],
    ["opentelemetry_telemetry", '{:opentelemetry_telemetry, "~> 1.1"}'],
  ];
  const setup: string[] = [];
  const nextSteps: string[] = [];
  const bandit = project.deps.includes("bandit");
  if (project.phoenix && bandit) {
    deps.push(["opentelemetry_bandit", '{:opentelemetry_bandit, "~> 0.3"}'], ["opentelemetry_phoenix", '{:opentelemetry_phoenix, "~> 2.0"}']);
    setup.push("OpentelemetryBandit.setup()", "OpentelemetryPhoenix.setup(adapter: :bandit)");
  } else if (project.phoenix) {
    nextSteps.push("Phoenix's requests are not traced: on Cowboy they need opentelemetry_cowboy (add it and OpentelemetryPhoenix.setup(adapter: :cowboy2) to setup_tracing/0)");
  }
  // Each repo's events are [:app, :repo] (its otp_app and its last name, underscored), as Ecto names them.
  const repos = (project.ecto ? ectoRepos(libSources(project.root)) : []).map((r) => {
    const name = underscore(r.module.split(".").pop() ?? "repo");
    return { module: r.module, prefix: `[:${project.app}, :${name}]`, spanName: `${project.app}.${name}.query` };
  });
  if (repos.length > 0) {
    deps.push(["opentelemetry_ecto", '{:opentelemetry_ecto, "~> 1.2"}']);
    for (const r of repos) setup.push(`OpentelemetryEcto.setup(${r.prefix})`);
  }
  const block = [
    "# OpenTelemetry (gen telemetry --otel): spans are exported only where",
    `# ${OTLP_ENDPOINT} names a collector (config/runtime.exs).`,
    "config :opentelemetry,",
    `  resource: [service: [name: "${project.app}"]],`,
    "  traces_exporter: :none",
    "",
  ].join("\n");
  const runtime = [
    "# OpenTelemetry (gen telemetry --otel): spans go over OTLP (HTTP) to the collector",
    `# ${OTLP_ENDPOINT} names, e.g. http://otel-collector:4318, with the headers of`,
    '# OTEL_EXPORTER_OTLP_HEADERS ("x-api-key=...,x-team=..."); without it nothing is exported.',
    "# Never in test: the tests read spans from the SDK.",
    "if config_env() != :test do",
    `  case System.get_env("${OTLP_ENDPOINT}") do`,
    "    nil ->",
    "      :ok",
    "",
    "    endpoint ->",
    '      header_list = System.get_env("OTEL_EXPORTER_OTLP_HEADERS", "")',
    "",
    "      headers =",
    '        for pair <- String.split(header_list, ",", trim: true),',
    '            [name, value] <- [String.split(pair, "=", parts: 2)],',
    "            do: {String.trim(name), String.trim(value)}",
    "",
    "      config :opentelemetry, traces_exporter: :otlp",
    "",
    "      config :opentelemetry_exporter,",
    "        otlp_protocol: :http_protobuf,",
    "        otlp_endpoint: endpoint,",
    "        otlp_headers: headers",
    "  end",
    "end",
    "",
  ].join("\n");
  const testLine = "config :opentelemetry, span_processor: :simple";
  const actions: PatchAction[] = [
    configAppendPatch(project, { file: "config/config.exs", app: "opentelemetry", text: block, line: block.trim(), describe: `configure OpenTelemetry in config/config.exs (no export unless ${OTLP_ENDPOINT} is set)` }),
    configAppendPatch(project, {
      file: "config/test.exs",
      app: "opentelemetry",
      text: `# Spans are handed on one by one, so that a test can read them (nothing is exported).\n${testLine}\n`,
      line: testLine,
      describe: "make spans readable in tests (config/test.exs)",
    }),
    configAppendPatch(project, { file: "config/runtime.exs", app: "opentelemetry_exporter", text: runtime, line: runtime.trim(), describe: `export spans over OTLP where ${OTLP_ENDPOINT} is set (config/runtime.exs)` }),
  ];
  const appFile = project.appFile;
  const call = `${m}.Telemetry.setup_tracing()`;
  actions.push({
    type: "otp:patch",
    path: appFile ?? "mix.exs",
    describe: `call ${call} at the top of the application's start/2`,
    patch(source) {
      if (!appFile || source === undefined) return { manual: `this project has no application module: call ${call} before its supervision tree starts` };
      const r = addStartCall(source, call);
      return r.status === "refused" ? { manual: `${appFile}: ${r.reason}. Add at the top of start/2:\n    ${r.snippet}` } : { source: r.source };
    },
  });
  nextSteps.push(`spans are exported where ${OTLP_ENDPOINT} is set (e.g. http://otel-collector:4318); in a release, list opentelemetry as :temporary (releases: [app: [applications: [opentelemetry: :temporary]]]) so that the SDK stopping never stops the node`);
  // `OpentelemetryBandit`, `OpentelemetryPhoenix` and `OpentelemetryEcto`: the modules the setup calls, once each.
  const used = [...new Set(setup.map((c) => c.split(".")[0] as string))].map((l) => `\`${l}\``);
  const libraries = used.length === 0 ? undefined : used.length === 1 ? used[0] : `${used.slice(0, -1).join(", ")} and ${used[used.length - 1]}`;
  return { deps, actions, setup, repos, libraries, nextSteps };
}
