// gen pipeline NAME: a GenStage pipeline. A producer that buffers what is
// pushed and emits only on demand, a producer-consumer and a consumer,
// subscribed with min_demand/max_demand and started in order under a
// :rest_for_one supervisor; its test shows backpressure. --broadway: a
// Broadway module (processors, batchers, handle_message/3, handle_batch/4,
// handle_failed/2) tested with Broadway.test_message/3 and test_batch/3 on
// Broadway.DummyProducer.
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { defineGenerator, type PlanAction } from "../../src/core/generator.js";
import type { MixProject } from "../../src/elixir/project.js";
import { configAppendPatch, depPatch, descriptionField, envConfigPatch, loggerMetadataPatch, nameField, otpNames, otpPlan, render, requireProject, telemetryChoice, telemetryField, underField, wire } from "../_shared/otp.js";
import { UserError } from "../../src/core/errors.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: nameField("Ingest"),
  description: descriptionField("Processes events in stages, as fast as the slowest stage allows."),
  maxDemand: z.coerce.number().int().min(2, "--max-demand must be 2 or more").max(10_000, "--max-demand must be at most 10000").default(50).describe("The most events a stage asks for at once (min_demand is three quarters of it)").meta({ prompt: "The most events a stage asks for at once (max_demand)", valueName: "n" }),
  broadway: z.boolean().default(false).describe("A Broadway pipeline (processors, batchers, acknowledgements) instead of GenStage stages").meta({ prompt: "Use Broadway (processors, batchers, acknowledgements) instead of GenStage?" }),
  under: underField,
  telemetry: telemetryField,
});

/** The GenStage pipeline's event: each push, with its result (a refusal is backpressure to see). */
const EVENTS = { component: "pipeline", events: ["push"] };

const DUMMY = "producer: {Broadway.DummyProducer, []}";
const DUMMY_COMMENT = "Broadway's producer that produces nothing: tests send messages with Broadway.test_message/3.";

/**
 * The Broadway pipeline refuses to start without a producer in the config:
 * dev and test name Broadway.DummyProducer (config/dev.exs and test.exs where
 * the project has them; else config/config.exs, in a block guarded by the
 * environment). Production names its real producer.
 */
function dummyProducerConfig(project: MixProject, module: string): PlanAction[] {
  const dir = path.dirname(project.configFile);
  if (existsSync(path.join(dir, "test.exs"))) {
    return ["dev", "test"].filter((env) => existsSync(path.join(dir, `${env}.exs`))).map((env) => envConfigPatch(project, env, module, DUMMY, DUMMY_COMMENT));
  }
  const line = `config :${project.app}, ${module}, ${DUMMY}`;
  const text = `# ${DUMMY_COMMENT}\n# Production names the real one.\nif config_env() != :prod do\n  ${line}\nend\n`;
  const describe = `name Broadway.DummyProducer for ${module} outside prod in config/config.exs`;
  const guarded = `if config_env() != :prod, do: config(:${project.app}, ${module}, ${DUMMY})`;
  // The Logger metadata's patch, earlier in the plan, makes config/config.exs when there is none.
  return [configAppendPatch(project, { file: "config/config.exs", key: module, line: guarded, text, describe })];
}

export default defineGenerator({
  name: "pipeline",
  description: DESCRIPTIONS.pipeline,
  examples: ["gen pipeline Ingest", "gen pipeline Events.Pipeline --max-demand 100", "gen pipeline Orders.Ingest --broadway"],
  schema,
  needsProject: true,
  plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const n = otpNames(project, o.name);
    if (o.broadway && o.telemetry) throw new UserError("--telemetry is for the GenStage pipeline: Broadway emits its own :telemetry events ([:broadway, ...])");
    const telemetry = o.broadway ? undefined : telemetryChoice(project, o.telemetry, n.app, EVENTS);
    const sub = (s: string): string => n.file.replace(/\.ex$/, `/${s}.ex`);
    const binding = {
      ...n,
      description: o.description,
      telemetry: telemetry?.emits ?? false,
      maxDemand: o.maxDemand,
      // GenStage asks for more when a stage is down to min_demand: a quarter below max_demand.
      minDemand: Math.floor((o.maxDemand * 3) / 4),
      producer: `${n.module}.Producer`,
      processor: `${n.module}.Processor`,
      consumer: `${n.module}.Consumer`,
    };
    const actions = o.broadway
      ? [
          render("pipeline", "lib/broadway.ex", n.file),
          render("pipeline", "test/broadway_test.exs", n.testFile),
          depPatch("broadway", '{:broadway, "~> 1.1"}'),
          loggerMetadataPatch(project, ["reason"]),
          ...dummyProducerConfig(project, n.module),
        ]
      : [
          render("pipeline", "lib/module.ex", n.file),
          render("pipeline", "lib/module/producer.ex", sub("producer")),
          render("pipeline", "lib/module/processor.ex", sub("processor")),
          render("pipeline", "lib/module/consumer.ex", sub("consumer")),
          render("pipeline", "test/module_test.exs", n.testFile),
          depPatch("gen_stage", '{:gen_stage, "~> 1.2"}'),
        ];
    const plan = otpPlan(project, binding, [...actions, wire(project, { code: n.module, ids: [n.module] }, o.under)], n);
    plan.format = { localsWithoutParens: "[]" };
    plan.nextSteps.unshift(`mix deps.get (for ${o.broadway ? "Broadway" : "GenStage"})`);
    if (telemetry) {
      plan.nextSteps.push(telemetry.nextStep);
      plan.resolved = { telemetry: telemetry.emits };
    }
    if (o.broadway) plan.nextSteps.push(`give ${n.module} its real producer (e.g. BroadwaySQS, BroadwayRabbitMQ) in config/prod.exs or config/runtime.exs: config :${n.app}, ${n.module}, producer: {Module, opts}; without one it refuses to start`);
    return plan;
  },
});
