// gen registry NAME: a unique-keys Registry with via/whereis helpers, placed
// before the processes that name themselves through it.
import { z } from "zod";
import { defineGenerator } from "../../src/core/generator.js";
import { descriptionField, nameField, simpleOtpGenerator, underField } from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: nameField("Registry"),
  description: descriptionField("A registry of processes by key."),
  under: underField,
});

export default defineGenerator(
  simpleOtpGenerator({
    name: "registry",
    description: DESCRIPTIONS.registry,
    examples: ["gen registry Registry", "gen registry Sessions.Registry"],
    schema,
    binding: (o) => ({ description: o.description }),
    child: (_o, n) => ({ code: n.module, ids: [n.module], before: [n.module] }),
  }),
);
