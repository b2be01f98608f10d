// gen supervisor NAME: a module-based Supervisor with its strategy and restart intensity.
import { z } from "zod";
import { defineGenerator } from "../../src/core/generator.js";
import { descriptionField, nameField, simpleOtpGenerator, underField } from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: nameField("Workers"),
  description: descriptionField("Supervises a group of processes that belong together."),
  strategy: z
    .enum(["one_for_one", "one_for_all", "rest_for_one"])
    .default("one_for_one")
    .describe("Restart strategy")
    .meta({
      prompt: "Restart strategy",
      valueName: "strategy",
      choiceHelp: {
        one_for_one: "a crashed child is restarted alone (independent children)",
        one_for_all: "any crash restarts every child (children that only work together)",
        rest_for_one: "a crash restarts that child and those started after it (later children depend on earlier ones)",
      },
    }),
  maxRestarts: z.coerce.number().int().min(0, "--max-restarts must be 0 or more").default(3).describe("Restarts allowed within --max-seconds before the supervisor gives up").meta({ prompt: "Restarts allowed within the window before the supervisor gives up", valueName: "n" }),
  maxSeconds: z.coerce.number().int().min(1, "--max-seconds must be 1 or more").default(5).describe("The window for --max-restarts, in seconds").meta({ prompt: "The window, in seconds", valueName: "n" }),
  under: underField,
});

const STRATEGY_DOC: Record<string, string> = {
  one_for_one: "a child that crashes is restarted on its own",
  one_for_all: "when one child crashes, all children are restarted",
  rest_for_one: "when a child crashes, it and the children started after it are restarted",
};

export default defineGenerator(
  simpleOtpGenerator({
    name: "supervisor",
    description: DESCRIPTIONS.supervisor,
    examples: ["gen supervisor Workers", "gen supervisor Pipeline --strategy rest_for_one --max-restarts 10 --max-seconds 60"],
    schema,
    binding: (o) => ({
      description: o.description,
      strategy: o.strategy,
      strategyDoc: STRATEGY_DOC[o.strategy],
      maxRestarts: o.maxRestarts,
      maxSeconds: o.maxSeconds,
    }),
    child: (_o, n) => ({ code: n.module, ids: [n.module] }),
    nextSteps: (_o, n) => [`add children to it: gen genserver Worker --under ${n.module}`],
  }),
);
