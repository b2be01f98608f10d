// gen periodic NAME: a scheduled worker that survives slow and crashing jobs
// without piling up runs; on a cluster, one node at a time runs it.
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { defineGenerator, type PlanAction } from "../../src/core/generator.js";
import {
  descriptionField, durationExpr, durationField, durationWords, loggerMetadataPatch, nameField, UNEXPECTED_MESSAGE_KEYS, otpNames, otpPlan, parseDuration, render, requireProject, telemetryChoice, telemetryField, underField, wire,
} from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: nameField("Cleanup"),
  description: descriptionField("Runs a job periodically."),
  every: durationField("Time from the end of one run to the start of the next", "1m", { prompt: "Interval: from the end of one run to the start of the next (e.g. 1m)" }),
  timeout: durationField("How long one run may take before it is shut down as hung, logged, and the next one scheduled (default: the interval, at least 30s)"),
  runAtStart: z
    .boolean()
    .default(false)
    .describe("Run at once when the scheduler starts, then every interval (default: the first run is one interval after start)")
    .meta({ prompt: false }),
  singleton: z
    .boolean()
    .optional()
    .describe("Run it on one node of the cluster at a time (default: yes when the project has gen cluster's clustering)")
    .meta({ prompt: false }),
  under: underField,
  telemetry: telemetryField,
});

/** Time the scheduler gives a run before it is shut down as hung: the interval, at least 30 seconds. */
const MIN_TIMEOUT = 30_000;

/** The :telemetry span of each run, as Oban's `[:oban, :job, ...]`. */
const EVENTS = { component: "periodic", events: ["run start", "run stop", "run exception"] };

export default defineGenerator({
  name: "periodic",
  description: DESCRIPTIONS.periodic,
  examples: ["gen periodic Cleanup", "gen periodic Reports.Nightly --every 1h", "gen periodic Billing.Sweep --singleton"],
  schema,
  needsProject: true,
  plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const n = otpNames(project, o.name);
    // With the nodes clustered, every replica would run the job's side effects: one runs it.
    const clustered = ["cluster.ex", "cluster/connector.ex"].some((f) => existsSync(path.join(project.root, "lib", project.app, f)));
    const singleton = o.singleton ?? clustered;
    const every = parseDuration(o.every) as number;
    const timeout = o.timeout === undefined ? Math.max(every, MIN_TIMEOUT) : (parseDuration(o.timeout) as number);
    const telemetry = telemetryChoice(project, o.telemetry, n.app, EVENTS);
    const binding = {
      ...n,
      description: o.description,
      telemetry: telemetry.emits,
      timeout: durationExpr(timeout),
      timeoutText: durationWords(timeout),
      interval: durationExpr(every),
      runAtStart: o.runAtStart,
      singleton,
      singletonIntro: `  Runs \`${n.module}\` on one node of the cluster at a time, so its job's side\n  effects happen once, not once per replica.`,
    };
    const actions: PlanAction[] = [render("periodic", "lib/module.ex", n.file), render("periodic", "test/module_test.exs", n.testFile)];
    if (singleton) {
      actions.push(
        render("periodic", "lib/module/singleton.ex", n.file.replace(/\.ex$/, "/singleton.ex")),
        render("periodic", "test/module/singleton_test.exs", n.testFile.replace(/_test\.exs$/, "/singleton_test.exs")),
      );
    }
    const child = singleton ? `${n.module}.Singleton` : n.module;
    actions.push(wire(project, { code: child, ids: [child, n.module] }, o.under), loggerMetadataPatch(project, ["scheduler", "reason", "timeout", ...UNEXPECTED_MESSAGE_KEYS]));
    const plan = otpPlan(project, binding, actions, n);
    if (singleton) plan.nextSteps.push(`${n.module} runs on one node of the cluster at a time (${n.module}.Singleton); --no-singleton runs it on every node`);
    plan.nextSteps.push(telemetry.nextStep);
    plan.resolved = { singleton, telemetry: telemetry.emits };
    return plan;
  },
});
