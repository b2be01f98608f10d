// gen rate-limiter NAME: a per-key token bucket; decisions are serialised in
// one process, so concurrent callers never get more than the limit.
import { z } from "zod";
import { defineGenerator } from "../../src/core/generator.js";
import { descriptionField, durationExpr, durationField, elixirInt, nameField, parseDuration, simpleOtpGenerator, underField } from "../_shared/otp.js";

export const schema = z.object({
  name: nameField("RateLimiter"),
  description: descriptionField("Limits how often each key may act: a token bucket per key."),
  limit: z.coerce.number().int().min(1, "--limit must be 1 or more").default(10).describe("Tokens per key: the burst size and the refill per --per").meta({ prompt: false, valueName: "n" }),
  per: durationField("The time in which a bucket refills completely", "1s"),
  under: underField,
});

export default defineGenerator(
  simpleOtpGenerator({
    name: "rate-limiter",
    description: "A per-key token-bucket rate limiter: hit/2 answers {:allow, left} or {:deny, retry_after_ms}; wired into the tree",
    examples: ["gen rate-limiter RateLimiter", "gen rate-limiter Api.Throttle --limit 100 --per 1m"],
    schema,
    binding: (o) => ({ description: o.description, limit: elixirInt(o.limit), interval: durationExpr(parseDuration(o.per) as number) }),
    child: (_o, n) => ({ code: n.module, ids: [n.module] }),
  }),
);
