// gen protocol NAME --for Map,List,MyApp.User: a protocol with @spec'd
// functions, an implementation for each type given, optionally a fallback
// for Any, and tests that dispatch to each implementation. Not a process.
import { z } from "zod";
import { UserError } from "../../src/core/errors.js";
import { defineGenerator } from "../../src/core/generator.js";
import { moduleSyntaxProblem, underscore } from "../../src/elixir/naming.js";
import { fileDefining } from "../../src/elixir/project.js";
import { descriptionField, nameField, otpNames, otpPlan, render, requireProject } from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

/** Elixir's built-in protocol targets, with a value of each for the tests. */
const BUILTIN: Record<string, string> = {
  Atom: ":an_atom",
  BitString: '"a string"',
  Float: "1.5",
  Function: "fn -> :ok end",
  Integer: "42",
  List: "[1, 2]",
  Map: "%{key: :value}",
  PID: "self()",
  Reference: "make_ref()",
  Tuple: "{:a, :b}",
};

/** "describe,summary" -> function names; a problem as a message. */
function functionsProblem(text: string): string | undefined {
  const names = text.split(",").map((f) => f.trim());
  const bad = names.find((f) => !/^[a-z_][a-z0-9_]*[?!]?$/.test(f));
  if (bad !== undefined) return `function "${bad}": a function name is snake_case (e.g. describe)`;
  if (new Set(names).size !== names.length) return "a function is named twice";
  return undefined;
}

function typesProblem(text: string): string | undefined {
  const types = text.split(",").map((t) => t.trim());
  for (const t of types) {
    if (t === "Any") return "Any is not a type to list: pass --fallback-to-any";
    if (t === "Port") return "Port: ports are not values the generated tests can make; implement it by hand";
    const p = moduleSyntaxProblem(t);
    if (p) return `type "${t}": ${p}`;
  }
  if (new Set(types).size !== types.length) return "a type is listed twice";
  return undefined;
}

export const schema = z.object({
  name: nameField("Describable"),
  description: descriptionField("A protocol implemented per data type."),
  for: z
    .string()
    .refine((v) => typesProblem(v) === undefined, { error: (i) => typesProblem(String(i.input)) })
    .describe(`The types to implement it for, separated by commas: built-in (${Object.keys(BUILTIN).join(", ")}) or structs (e.g. MyApp.User)`)
    .meta({ prompt: "Implement it for (comma-separated, e.g. Map,List,MyApp.User)", valueName: "types" }),
  functions: z
    .string()
    .refine((v) => functionsProblem(v) === undefined, { error: (i) => functionsProblem(String(i.input)) })
    .optional()
    .describe("Its functions, separated by commas, each taking the data first (default: the protocol's name in snake_case)")
    .meta({ prompt: false, valueName: "names" }),
  fallbackToAny: z
    .boolean()
    .default(false)
    .describe("@fallback_to_any true, with an implementation for Any that every other type (structs included) falls back to")
    .meta({ prompt: "Fall back to an implementation for Any (every other type, structs included)?" }),
});

export default defineGenerator({
  name: "protocol",
  description: DESCRIPTIONS.protocol,
  examples: ["gen protocol Describable --for Map,List,Integer", "gen protocol Exportable --for MyApp.User --fallback-to-any --functions to_csv,to_json"],
  schema,
  needsProject: true,
  plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const n = otpNames(project, o.name);
    const last = n.module.split(".").pop() as string;
    const names = (o.functions ?? underscore(last)).split(",").map((f) => f.trim());
    const types = o.for.split(",").map((t) => t.trim());
    const structs = types.filter((t) => BUILTIN[t] === undefined);
    if (structs.includes(n.module)) throw new UserError(`invalid --for "${n.module}": a protocol is not a struct`);
    // A struct of the project's own must exist: its implementation's test builds one.
    const unknown = structs.find((t) => (t === project.module || t.startsWith(`${project.module}.`)) && !fileDefining(project.root, t));
    if (unknown) throw new UserError(`invalid --for "${unknown}": no file under lib/ defines ${unknown} (generate the struct first)`);
    // A type the protocol is not implemented for (no fallback): the test shows it is refused.
    const missing = Object.keys(BUILTIN).find((t) => !types.includes(t));
    const binding = {
      ...n,
      description: o.description,
      fallback: o.fallbackToAny,
      functions: names.map((f) => ({ name: f })),
      firstFunction: names[0],
      impls: types.map((t) => ({
        type: t,
        struct: BUILTIN[t] === undefined,
        sample: BUILTIN[t] ?? `struct(${t})`,
        shown: BUILTIN[t] === undefined ? `%${t}{}` : t,
      })),
      missing: missing ? { type: missing, sample: BUILTIN[missing] } : undefined,
    };
    const plan = otpPlan(project, binding, [render("protocol", "lib/module.ex", n.file), render("protocol", "test/module_test.exs", n.testFile)], n);
    // Long module names make long lines: the files go through Elixir's formatter.
    plan.format = { localsWithoutParens: "[]" };
    return plan;
  },
});
