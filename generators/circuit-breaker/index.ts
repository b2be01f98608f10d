// gen circuit-breaker NAME: closed / open / half-open with a reset timeout.
import { z } from "zod";
import { defineGenerator } from "../../src/core/generator.js";
import { descriptionField, durationExpr, durationField, nameField, parseDuration, simpleOtpGenerator, UNEXPECTED_MESSAGE_KEYS, underField } from "../_shared/otp.js";

export const schema = z.object({
  name: nameField("PaymentsBreaker"),
  description: descriptionField("Stops calling a failing dependency for a while, then tries again."),
  threshold: z.coerce.number().int().min(1, "--threshold must be 1 or more").default(5).describe("Consecutive failures that open the circuit").meta({ prompt: "Consecutive failures that open the circuit", valueName: "n" }),
  reset: durationField("How long the circuit stays open before one trial call is let through", "30s", { prompt: "How long it stays open before a trial call (e.g. 30s)" }),
  under: underField,
});

export default defineGenerator(
  simpleOtpGenerator({
    name: "circuit-breaker",
    description: "A circuit breaker: closed, open after N failures, half-open after a reset timeout; wired into the tree",
    examples: ["gen circuit-breaker PaymentsBreaker", "gen circuit-breaker Geo.Breaker --threshold 3 --reset 10s"],
    schema,
    loggerMetadata: UNEXPECTED_MESSAGE_KEYS,
    binding: (o) => ({ description: o.description, threshold: o.threshold, reset: durationExpr(parseDuration(o.reset) as number) }),
    child: (_o, n) => ({ code: n.module, ids: [n.module] }),
    telemetry: { component: "circuit_breaker", events: ["state_change", "reject"] },
  }),
);
