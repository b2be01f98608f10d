// gen task-supervisor NAME: a Task.Supervisor with helpers for fire-and-forget
// and awaited work that never takes the caller down.
import { z } from "zod";
import { defineGenerator } from "../../src/core/generator.js";
import { descriptionField, nameField, simpleOtpGenerator, underField } from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: nameField("TaskSupervisor"),
  description: descriptionField("Runs background and concurrent work under supervision."),
  under: underField,
});

export default defineGenerator(
  simpleOtpGenerator({
    name: "task-supervisor",
    description: DESCRIPTIONS["task-supervisor"],
    examples: ["gen task-supervisor TaskSupervisor"],
    schema,
    binding: (o) => ({ description: o.description }),
    child: (_o, n) => ({ code: n.module, ids: [n.module] }),
  }),
);
