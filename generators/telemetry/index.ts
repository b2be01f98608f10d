// gen telemetry: a Telemetry supervisor with telemetry_metrics definitions,
// telemetry_poller VM measurements, a console reporter in dev, and optionally
// a Prometheus reporter.
import { z } from "zod";
import { hasConfig } from "../../src/elixir/phoenix.js";
import { defineGenerator, type PatchAction, type PlanAction } from "../../src/core/generator.js";
import { depPatch, projectPlan, render, requireProject, wire, PROMETHEUS_PORT } from "../_shared/otp.js";

export const schema = z.object({
  prometheus: z.boolean().default(false).describe("Also serve the metrics for Prometheus (telemetry_metrics_prometheus)").meta({ prompt: "Also serve the metrics for Prometheus?" }),
});

const MARK = "# Telemetry (gen telemetry)";

export default defineGenerator({
  name: "telemetry",
  description: "A Telemetry supervisor: telemetry_metrics definitions, VM measurements, console reporter in dev, optional Prometheus",
  examples: ["gen telemetry", "gen telemetry --prometheus"],
  schema,
  needsProject: true,
  plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const m = project.module;
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
    actions.push(config("config/dev.exs", "[:console]"));
    if (o.prometheus) actions.push(config("config/prod.exs", "[:prometheus]"));
    actions.push(wire(project, { code: `${m}.Telemetry`, ids: [`${m}.Telemetry`], first: true }, undefined));
    return projectPlan(project, { app: project.app, module: m, prefix: m, prometheus: o.prometheus, prometheusPort: PROMETHEUS_PORT }, actions, [
      "mix deps.get",
      `emit events with ${m}.Telemetry.execute(component, event, measurements, metadata)`,
    ]);
  },
});
