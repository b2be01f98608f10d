// gen flow NAME: a batch job over an enumerable or a stream, run in parallel
// with Flow: read by :stages producers, partitioned by key (each key's events
// reach one stage), reduced per partition, emitted when the input ends. Not a
// process: nothing to wire. Its tests check the result against the sequential
// computation, on seeded random input and as a StreamData property.
import { z } from "zod";
import { defineGenerator } from "../../src/core/generator.js";
import { depPatch, descriptionField, LOCALS, localsOf, nameField, otpNames, otpPlan, render, requireProject, streamDataPatches } from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: nameField("OrderTotals"),
  description: descriptionField("Totals per key of a batch of events, computed in parallel."),
  stages: z.coerce
    .number()
    .int("--stages must be a whole number")
    .min(1, "--stages must be 1 or more")
    .max(1024, "--stages must be at most 1024")
    .optional()
    .describe("Stages reading and reducing in parallel (default: the schedulers online, as Flow does)")
    .meta({ prompt: false, valueName: "n" }),
  maxDemand: z.coerce
    .number()
    .int("--max-demand must be a whole number")
    .min(1, "--max-demand must be 1 or more")
    .max(100_000, "--max-demand must be at most 100000")
    .default(1000)
    .describe("Events a stage asks for at a time (Flow's default: 1000)")
    .meta({ prompt: false, valueName: "n" }),
});

export default defineGenerator({
  name: "flow",
  description: DESCRIPTIONS.flow,
  examples: ["gen flow OrderTotals", "gen flow Reports.DailyTotals --stages 8 --max-demand 500"],
  schema,
  needsProject: true,
  plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const n = otpNames(project, o.name);
    const binding = { ...n, description: o.description, stages: o.stages, maxDemand: o.maxDemand };
    const actions = [render("flow", "lib/module.ex", n.file), render("flow", "test/module_test.exs", n.testFile), depPatch("flow", '{:flow, "~> 1.2"}'), ...streamDataPatches()];
    const plan = otpPlan(project, binding, actions, n);
    // Names make some lines as long as they are: Elixir's formatter lays them out.
    plan.format = { localsWithoutParens: localsOf(LOCALS.streamData) };
    plan.nextSteps.unshift("mix deps.get (for Flow, and StreamData for the property test)");
    return plan;
  },
});
