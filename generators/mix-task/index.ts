// gen mix-task NAME: a Mix task (`mix my_app.NAME`) with @shortdoc, a
// @moduledoc with its usage and options, strict OptionParser switches with
// aliases, output through Mix.shell(), a clear Mix.raise/1 on bad input, and a
// test that runs it with capture_io. Not a process: nothing to wire.
import { z } from "zod";
import { UserError } from "../../src/core/errors.js";
import { defineGenerator } from "../../src/core/generator.js";
import { camelize } from "../../src/elixir/naming.js";
import { descriptionField, projectPlan, render, requireProject } from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

const SWITCH_TYPES = ["boolean", "integer", "float", "string", "count"] as const;
type SwitchType = (typeof SWITCH_TYPES)[number];

export interface Switch {
  name: string;
  type: SwitchType;
}

/** "dry_run:boolean,limit:integer" -> switches; a problem as a message. */
export function parseSwitches(text: string): Switch[] | string {
  if (text.trim() === "") return [];
  const out: Switch[] = [];
  for (const part of text.split(",").map((p) => p.trim())) {
    const [name = "", type = "boolean", ...rest] = part.split(":");
    if (!/^[a-z][a-z0-9_]*$/.test(name) || rest.length > 0) return `switch "${part}": write name:type, the name in snake_case (e.g. dry_run:boolean)`;
    if (name === "help") return `switch "${part}": --help is Mix's own (mix help TASK)`;
    if (!(SWITCH_TYPES as readonly string[]).includes(type)) return `switch "${part}": the type is one of ${SWITCH_TYPES.join(", ")}`;
    if (out.some((s) => s.name === name)) return `switch "${name}" is given twice`;
    out.push({ name, type: type as SwitchType });
  }
  return out;
}

export const schema = z.object({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/, "a task name is snake_case words separated by dots, e.g. seed or db.seed (run as mix my_app.seed)")
    .describe("The task, e.g. seed or db.seed: run as mix <app>.<name> (a name already starting with the app is kept)")
    .meta({ positional: true, prompt: "Task name (e.g. seed: run as mix <app>.seed)" }),
  description: descriptionField("Does one job of the application from the command line.").meta({ prompt: "What it does, in one line (its @shortdoc)", valueName: "text" }),
  switches: z
    .string()
    .refine((v) => typeof parseSwitches(v) !== "string", { error: (i) => parseSwitches(String(i.input)) as string })
    .default("dry_run:boolean")
    .describe(`Its options, as name:type separated by commas (types: ${SWITCH_TYPES.join(", ")}); each gets a one-letter alias where the letter is free`)
    .meta({ prompt: "Its options, as name:type separated by commas (e.g. dry_run:boolean,limit:integer)", valueName: "list" }),
});

/** One-letter aliases: the first letter of each switch, where no earlier switch took it. */
function aliasesOf(switches: Switch[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of switches) {
    const letter = s.name[0] as string;
    if (![...out.values()].includes(letter)) out.set(s.name, letter);
  }
  return out;
}

const SAMPLE: Record<SwitchType, { arg: string; value: string }> = {
  boolean: { arg: "", value: "true" },
  integer: { arg: "5", value: "5" },
  float: { arg: "1.5", value: "1.5" },
  string: { arg: "text", value: '"text"' },
  count: { arg: "", value: "1" },
};

const TYPE_TEXT: Record<SwitchType, string> = {
  boolean: "a flag",
  integer: "a whole number",
  float: "a number",
  string: "a text",
  count: "a flag that counts how often it is given",
};

export default defineGenerator({
  name: "mix-task",
  description: DESCRIPTIONS["mix-task"],
  examples: ["gen mix-task seed", 'gen mix-task db.import --switches "file:string,limit:integer,dry_run:boolean"'],
  schema,
  needsProject: true,
  plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const task = o.name === project.app || o.name.startsWith(`${project.app}.`) ? o.name : `${project.app}.${o.name}`;
    const module = `Mix.Tasks.${task.split(".").map(camelize).join(".")}`;
    const switches = parseSwitches(o.switches) as Switch[];
    const aliases = aliasesOf(switches);
    const flag = (s: Switch): string => `--${s.name.replace(/_/g, "-")}`;
    const typed = switches.find((s) => s.type === "integer" || s.type === "float");
    if (task.length > 200) throw new UserError(`invalid <name> "${o.name}": a task name must be at most 200 characters`);
    const binding = {
      module,
      task,
      description: o.description,
      shortdoc: o.description.split("\n")[0],
      switches: switches.map((s) => ({
        name: s.name,
        type: s.type,
        flag: flag(s),
        alias: aliases.get(s.name),
        text: TYPE_TEXT[s.type],
        repeat: s.type === "count",
      })),
      switchList: switches.map((s) => `${s.name}: :${s.type}`).join(", "),
      aliasList: [...aliases].map(([name, letter]) => `${letter}: :${name}`).join(", "),
      hasSwitches: switches.length > 0,
      // The test's run with every switch, the first by its alias.
      testArgs: switches
        .flatMap((s, i) => {
          const a = aliases.get(s.name);
          const name = i === 0 && a ? `-${a}` : flag(s);
          return SAMPLE[s.type].arg === "" ? [name] : [name, SAMPLE[s.type].arg];
        })
        .map((a) => JSON.stringify(a))
        .join(", "),
      testExpected: switches.map((s) => `${s.name}: ${SAMPLE[s.type].value}`),
      badValue: typed ? { flag: flag(typed), type: typed.type } : undefined,
    };
    const file = `lib/mix/tasks/${task}.ex`;
    const testFile = `test/mix/tasks/${task}_test.exs`;
    const plan = projectPlan(project, binding, [render("mix-task", "lib/task.ex", file), render("mix-task", "test/task_test.exs", testFile)], [
      `mix help ${task}; mix ${task}`,
      `mix test ${testFile}`,
    ]);
    if (project.dialyzerLacksMix) {
      plan.nextSteps.push("add :mix to Dialyzer's PLT (dialyzer: [plt_add_apps: [:mix]] in mix.exs), or it cannot check the task's Mix calls");
    }
    // A long task name makes long lines: the files go through Elixir's formatter.
    plan.format = { localsWithoutParens: "[]" };
    return plan;
  },
});
