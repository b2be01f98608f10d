// gen rate-limiter NAME: a per-key fixed-window limiter counted in the caller
// with atomic ETS updates; the owner process only creates and sweeps the table.
import { z } from "zod";
import { defineGenerator } from "../../src/core/generator.js";
import { descriptionField, durationExpr, durationField, elixirInt, nameField, parseDuration, simpleOtpGenerator, UNEXPECTED_MESSAGE_KEYS, underField } from "../_shared/otp.js";

export const schema = z.object({
  name: nameField("RateLimiter"),
  description: descriptionField("Limits how often each key may act: a counter per key and window."),
  limit: z.coerce.number().int().min(1, "--limit must be 1 or more").default(10).describe("Actions per key per window (--per)").meta({ prompt: "Actions allowed per key in each window", valueName: "n" }),
  per: durationField("The window in which a key may act --limit times", "1s", { prompt: "The window (e.g. 1s, 1m)" }),
  under: underField,
});

export default defineGenerator(
  simpleOtpGenerator({
    name: "rate-limiter",
    properties: true,
    description: "A per-key rate limiter counted in the caller on ETS: hit/3 answers {:allow, left} or {:deny, retry_after_ms}; wired into the tree",
    examples: ["gen rate-limiter RateLimiter", "gen rate-limiter Api.Throttle --limit 100 --per 1m"],
    schema,
    loggerMetadata: UNEXPECTED_MESSAGE_KEYS,
    binding: (o) => ({ description: o.description, limit: elixirInt(o.limit), interval: durationExpr(parseDuration(o.per) as number) }),
    child: (_o, n) => ({ code: n.module, ids: [n.module] }),
    telemetry: { component: "rate_limiter", events: ["hit"] },
  }),
);
