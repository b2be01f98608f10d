// gen genserver NAME: a GenServer with its client API, callbacks, state type,
// validated options and a test, started under the application's supervisor.
import { z } from "zod";
import { defineGenerator, type PlanAction } from "../../src/core/generator.js";
import {
  descriptionField, durationExpr, durationField, loggerMetadataPatch, nameField, UNEXPECTED_MESSAGE_KEYS, otpNames, otpPlan, parseDuration, render, requireProject, underField, wire,
} from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

const FEATURES = "Features (space to toggle, Enter to go on)";

export const schema = z.object({
  name: nameField("RateLimiter"),
  description: descriptionField("A GenServer that keeps a map of values in its state."),
  continue: z
    .boolean()
    .default(false)
    .describe("Do start-up work in handle_continue/2 (a :load function option), not in init/1")
    .meta({ group: FEATURES, prompt: "Start-up work in handle_continue/2 (init/1 returns at once)" }),
  every: durationField("Run periodic work at this interval (e.g. 5s), rescheduled after each run", undefined, {
    group: FEATURES,
    groupChoice: "Periodic work (the interval is asked next)",
    prompt: "Interval between runs (e.g. 250ms, 30s, 5m, 1h)",
    suggest: "30s",
  }),
  registry: z
    .boolean()
    .default(false)
    .describe("Register each server by key through a Registry ({:via, Registry, ...}); adds the Registry to the tree")
    .meta({ group: FEATURES, prompt: "One server per key, named through a Registry ({:via, Registry, ...})" }),
  under: underField,
});

export default defineGenerator({
  name: "genserver",
  description: DESCRIPTIONS.genserver,
  examples: ["gen genserver RateLimiter", "gen genserver Inventory --continue --every 30s", "gen genserver Session --registry"],
  schema,
  needsProject: true,
  plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const n = otpNames(project, o.name);
    const everyMs = o.every ? (parseDuration(o.every) as number) : undefined;
    const registry = `${n.prefix}.Registry`;
    const binding = {
      ...n,
      description: o.description,
      continue: o.continue,
      every: everyMs !== undefined,
      interval: everyMs !== undefined ? durationExpr(everyMs) : "",
      registry: o.registry ? registry : false,
    };
    const actions: PlanAction[] = [render("genserver", "lib/module.ex", n.file), render("genserver", "test/module_test.exs", n.testFile)];
    if (o.registry) {
      actions.push(wire(project, { code: `{Registry, keys: :unique, name: ${registry}}`, ids: [registry], before: [registry] }, o.under));
    } else {
      actions.push(wire(project, { code: n.module, ids: [n.module] }, o.under));
    }
    actions.push(loggerMetadataPatch(project, UNEXPECTED_MESSAGE_KEYS));
    const plan = otpPlan(project, binding, actions, n);
    if (o.registry) plan.nextSteps.push(`start servers by key: ${n.module}.start_link(key: key), e.g. under a DynamicSupervisor (gen dynamic-supervisor)`);
    return plan;
  },
});
