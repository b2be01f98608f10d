// gen agent NAME: an Agent holding a map, with a small documented API.
import { z } from "zod";
import { defineGenerator } from "../../src/core/generator.js";
import { descriptionField, nameField, simpleOtpGenerator, underField } from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: nameField("Settings"),
  description: descriptionField("An Agent that holds a map of values shared by the application."),
  under: underField,
});

export default defineGenerator(
  simpleOtpGenerator({
    name: "agent",
    description: DESCRIPTIONS.agent,
    examples: ["gen agent Settings"],
    schema,
    binding: (o) => ({ description: o.description }),
    child: (_o, n) => ({ code: n.module, ids: [n.module] }),
  }),
);
