// gen dynamic-supervisor NAME: the per-entity pattern. A Registry and a
// DynamicSupervisor under a :rest_for_one supervisor, a worker GenServer
// registered by key, and a facade with start_child/whereis/stop.
import { z } from "zod";
import { defineGenerator } from "../../src/core/generator.js";
import { descriptionField, nameField, otpNames, otpPlan, render, requireProject, underField, wire } from "../_shared/otp.js";
import { modulePath } from "../../src/elixir/naming.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: nameField("Sessions"),
  description: descriptionField("Runs one process per key, started on demand."),
  restart: z
    .enum(["temporary", "transient"])
    .default("temporary")
    .describe("The workers' restart policy: temporary (a crashed worker is gone until the next start_child) or transient (restarted, within the budget all keys share)")
    .meta({
      prompt: "Restart policy of the workers",
      valueName: "policy",
      choiceHelp: {
        temporary: "a crashed worker is gone until its key's next start_child/2; crashes in some keys never stop the others",
        transient: "a crashed worker is restarted; more crashes than the shared budget (3 in 5s) stop every key's worker",
      },
    }),
  under: underField,
});

export default defineGenerator({
  name: "dynamic-supervisor",
  description: DESCRIPTIONS["dynamic-supervisor"],
  examples: ["gen dynamic-supervisor Sessions", "gen dynamic-supervisor Games.Rooms --restart transient"],
  schema,
  needsProject: true,
  plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const n = otpNames(project, o.name);
    const worker = `${n.module}.Worker`;
    const binding = {
      ...n,
      description: o.description,
      restart: o.restart,
      transient: o.restart === "transient",
      worker,
      registry: `${n.module}.Registry`,
      dynamicSupervisor: `${n.module}.DynamicSupervisor`,
    };
    return otpPlan(
      project,
      binding,
      [
        render("dynamic-supervisor", "lib/module.ex", n.file),
        render("dynamic-supervisor", "lib/module/worker.ex", `lib/${modulePath(project, worker)}.ex`),
        render("dynamic-supervisor", "test/module_test.exs", n.testFile),
        wire(project, { code: n.module, ids: [n.module] }, o.under),
      ],
      n,
    );
  },
});
