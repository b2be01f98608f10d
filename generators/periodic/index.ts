// gen periodic NAME: a scheduled worker that survives slow and crashing jobs
// without piling up runs.
import { z } from "zod";
import { defineGenerator } from "../../src/core/generator.js";
import { descriptionField, durationExpr, durationField, nameField, parseDuration, simpleOtpGenerator, underField } from "../_shared/otp.js";

export const schema = z.object({
  name: nameField("Cleanup"),
  description: descriptionField("Runs a job periodically."),
  every: durationField("Time from the end of one run to the start of the next", "1m"),
  under: underField,
});

export default defineGenerator(
  simpleOtpGenerator({
    name: "periodic",
    description: "A scheduled worker: the job runs in a task, the next run is scheduled when it ends; wired into the tree",
    examples: ["gen periodic Cleanup", "gen periodic Reports.Nightly --every 1h"],
    schema,
    binding: (o) => ({ description: o.description, interval: durationExpr(parseDuration(o.every) as number) }),
    child: (_o, n) => ({ code: n.module, ids: [n.module] }),
    loggerMetadata: ["scheduler", "reason"],
  }),
);
