// gen ets-cache NAME: an ETS table owned by a supervised process; readers
// read ETS directly; optional TTL with a periodic sweep.
import { z } from "zod";
import { defineGenerator } from "../../src/core/generator.js";
import { descriptionField, durationExpr, durationField, nameField, parseDuration, simpleOtpGenerator, UNEXPECTED_MESSAGE_KEYS, underField } from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: nameField("Cache"),
  description: descriptionField("A read-mostly cache in ETS."),
  ttl: durationField("Entries expire this long after they are written (e.g. 5m); expired entries are swept every tenth of it", undefined, {
    prompt: "TTL: entries expire this long after they are written (e.g. 15m)",
  }),
  under: underField,
});

export default defineGenerator(
  simpleOtpGenerator({
    name: "ets-cache",
    properties: true,
    description: DESCRIPTIONS["ets-cache"],
    examples: ["gen ets-cache Cache", "gen ets-cache Sessions.Cache --ttl 15m"],
    schema,
    loggerMetadata: UNEXPECTED_MESSAGE_KEYS,
    binding: (o) => {
      const ms = o.ttl ? (parseDuration(o.ttl) as number) : undefined;
      return { description: o.description, ttl: ms !== undefined, ttlExpr: ms !== undefined ? durationExpr(ms) : "" };
    },
    child: (_o, n) => ({ code: n.module, ids: [n.module] }),
    telemetry: { component: "cache", events: ["lookup", "evict"] },
  }),
);
