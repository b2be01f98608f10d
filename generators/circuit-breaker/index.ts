// gen circuit-breaker NAME: closed / open / half-open with a reset timeout.
import { z } from "zod";
import { defineGenerator } from "../../src/core/generator.js";
import { descriptionField, durationExpr, durationField, durationWords, nameField, parseDuration, simpleOtpGenerator, UNEXPECTED_MESSAGE_KEYS, underField } from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: nameField("PaymentsBreaker"),
  description: descriptionField("Stops calling a failing dependency for a while, then tries again."),
  failureRate: z.coerce.number().int("--failure-rate must be a whole percentage").min(1, "--failure-rate must be 1 to 100 (percent)").max(100, "--failure-rate must be 1 to 100 (percent)").default(25).describe("The share of calls, in percent, that must fail within the window to open the circuit").meta({ prompt: "Percent of calls failing within the window that opens the circuit", valueName: "percent" }),
  minimumCalls: z.coerce.number().int("--minimum-calls must be a whole number").min(1, "--minimum-calls must be 1 or more").default(20).describe("Calls that must have ended within the window before the failure rate counts").meta({ prompt: "Calls within the window before the failure rate counts", valueName: "n" }),
  window: durationField("The sliding window over which the failure rate is measured", "10s", { prompt: "The window the failure rate is measured over (e.g. 10s)" }),
  reset: durationField("How long the circuit stays open before one trial call is let through", "30s", { prompt: "How long it stays open before a trial call (e.g. 30s)" }),
  under: underField,
});

export default defineGenerator(
  simpleOtpGenerator({
    name: "circuit-breaker",
    properties: true,
    description: DESCRIPTIONS["circuit-breaker"],
    examples: ["gen circuit-breaker PaymentsBreaker", "gen circuit-breaker Geo.Breaker --failure-rate 25 --minimum-calls 50 --window 30s --reset 10s"],
    schema,
    loggerMetadata: UNEXPECTED_MESSAGE_KEYS,
    binding: (o) => ({
      description: o.description,
      rate: o.failureRate === 100 ? "1.0" : String(o.failureRate / 100),
      minimumCalls: o.minimumCalls,
      failurePercent: o.failureRate,
      window: durationExpr(parseDuration(o.window) as number),
      windowText: durationWords(parseDuration(o.window) as number),
      reset: durationExpr(parseDuration(o.reset) as number),
      resetText: durationWords(parseDuration(o.reset) as number),
    }),
    child: (_o, n) => ({ code: n.module, ids: [n.module] }),
    telemetry: { component: "circuit_breaker", events: ["state_change", "reject"] },
  }),
);
