// gen retry [NAME]: exponential backoff with jitter and a cap, as pure
// functions plus a with_retry helper. Not a process: nothing to wire.
import { z } from "zod";
import { defineGenerator } from "../../src/core/generator.js";
import { descriptionField, nameField, nameProblem, simpleOtpGenerator } from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: nameField("Retry").default("Retry").meta({ positional: true, prompt: "Module name", check: nameProblem }),
  description: descriptionField("Retries work that can fail for a while, backing off exponentially."),
});

export default defineGenerator(
  simpleOtpGenerator({
    name: "retry",
    properties: true,
    description: DESCRIPTIONS.retry,
    examples: ["gen retry", "gen retry Http.Retry"],
    schema,
    binding: (o) => ({ description: o.description }),
  }),
);
