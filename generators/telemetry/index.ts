// gen telemetry: the app's metrics with telemetry_metrics (the recipes'
// events), reporters chosen by config (a console reporter in dev, optionally
// Prometheus). In a plain project, a Telemetry supervisor with its poller; in
// a Phoenix app, phx.new's `AppWeb.Telemetry` is extended instead (its
// metrics/0 appends the app's, its init/1 starts the configured reporters):
// one poller, one list of metrics, the one LiveDashboard shows.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { extendWebTelemetry, hasConfig } from "../../src/elixir/phoenix.js";
import { fileDefining, type MixProject } from "../../src/elixir/project.js";
import { functions, loadReader, modules, parse } from "../../src/elixir/reader.js";
import { defineGenerator, type PatchAction, type PlanAction } from "../../src/core/generator.js";
import { depPatch, projectPlan, render, requireProject, wire, PROMETHEUS_PORT } from "../_shared/otp.js";

export const schema = z.object({
  prometheus: z.boolean().default(false).describe("Also serve the metrics for Prometheus (telemetry_metrics_prometheus)").meta({ prompt: "Also serve the metrics for Prometheus?" }),
});

const MARK = "# Telemetry (gen telemetry)";

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
  description: "The app's metrics (telemetry_metrics): the recipes' events, reporters by config (console in dev, optional Prometheus); extends phx.new's Telemetry in a Phoenix app",
  examples: ["gen telemetry", "gen telemetry --prometheus"],
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
    for (const [name, code] of deps) actions.push(depPatch(name, code));
    const config = (file: string, reporters: string): PatchAction => ({
      type: "otp:patch",
      path: file,
      describe: `choose the telemetry reporters in ${file}`,
      patch: (source) => ({
        source: source !== undefined && hasConfig(source, `:${project.app}`, `${m}.Telemetry`)
          ? source
          : `${(source ?? "import Config\n").replace(/\s*$/, "")}\n\n${MARK}\nconfig :${project.app}, ${m}.Telemetry, reporters: ${reporters}\n`,
      }),
    });
    // In a Phoenix app LiveDashboard shows the metrics in dev: no console printing every event.
    if (!web) actions.push(config("config/dev.exs", "[:console]"));
    if (o.prometheus) actions.push(config("config/prod.exs", "[:prometheus]"));
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
    return projectPlan(project, { app: project.app, module: m, prefix: m, web: web?.module, prometheus: o.prometheus, prometheusPort: PROMETHEUS_PORT }, actions, [
      "mix deps.get",
      `emit events with ${m}.Telemetry.execute(component, event, measurements, metadata)`,
      ...(web ? [`see the metrics at /dev/dashboard/metrics (LiveDashboard reads ${web.module}.metrics/0, which now includes ${m}.Telemetry's)`] : []),
    ]);
  },
});
