// gen bench NAME [--for Module.fun/arity]: a Benchee script under bench/, run
// with `mix run bench/NAME.exs` (and `mix bench`): inputs of three sizes,
// memory measured, benchee a dev-only dep. With --for, it benchmarks that
// function of the project, found by the syntax reader (refused, naming the
// rule, when the project has no such public function).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { UserError } from "../../src/core/errors.js";
import { defineGenerator } from "../../src/core/generator.js";
import { addAlias, addFormatterInput } from "../../src/elixir/children.js";
import { fileDefining } from "../../src/elixir/project.js";
import { definesPublic, loadReader, modules, parse } from "../../src/elixir/reader.js";
import { depPatch, formatterPatch, mixPatch, projectPlan, render, requireProject } from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

export const schema = z.object({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, "a benchmark name is snake_case, e.g. order_totals")
    .describe("The benchmark's name: bench/NAME.exs")
    .meta({ positional: true, prompt: "Benchmark name (snake_case)" }),
  for: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9_]*(\.[A-Z][A-Za-z0-9_]*)*\.[a-z_][a-zA-Z0-9_]*[?!]?\/\d{1,3}$/, "name a function as Module.function/arity, e.g. Shop.Orders.total/1")
    .optional()
    .describe("A public function of the project to benchmark, as Module.function/arity")
    .meta({ prompt: false, valueName: "Module.fun/arity" }),
});

/** `Shop.Orders.total/1` -> its module, function and arity, when lib/ defines it as a public function; else why not. */
function findFunction(root: string, spec: string): { module: string; fun: string; arity: number } {
  const m = /^(.+)\.([^./]+)\/(\d+)$/.exec(spec) as RegExpExecArray;
  const [module, fun, arity] = [m[1] as string, m[2] as string, Number(m[3])];
  const file = fileDefining(root, module);
  if (!file || !existsSync(path.join(root, file))) throw new UserError(`invalid --for "${spec}": no file under lib/ defines ${module}`);
  const found = modules(parse(readFileSync(path.join(root, file), "utf8")).rootNode).find((x) => x.name === module);
  if (!found || !definesPublic(found.body, fun, arity)) {
    throw new UserError(`invalid --for "${spec}": ${module} (${file}) has no public function ${fun}/${arity}`);
  }
  return { module, fun, arity };
}

export default defineGenerator({
  name: "bench",
  description: DESCRIPTIONS.bench,
  examples: ["gen bench sorting", "gen bench order_totals --for Shop.Orders.total/1"],
  schema,
  needsProject: true,
  async plan(o, _io, ctx) {
    const project = requireProject(ctx);
    await loadReader();
    const target = o.for ? findFunction(project.root, o.for) : undefined;
    const args = target ? Array.from({ length: target.arity }, (_, i) => `arg${i + 1}`) : [];
    const binding = {
      app: project.app,
      name: o.name,
      target,
      title: target ? `${target.module}.${target.fun}/${target.arity}` : o.name.replace(/_/g, " "),
      // One argument: the input itself; several: a tuple of them; none: the inputs are not used.
      pattern: args.length === 0 ? "_input" : args.length === 1 ? "input" : `{${args.join(", ")}}`,
      call: target ? `${target.module}.${target.fun}(${args.length === 1 ? "input" : args.join(", ")})` : "",
      tuple: args.length > 1,
      argCount: args.length,
      inputs: [
        ["small (10)", "1..10"],
        ["medium (1,000)", "1..1_000"],
        ["large (100,000)", "1..100_000"],
      ].map(([label, range]) => {
        const list = `Enum.to_list(${range})`;
        return { label, value: args.length > 1 ? `{${args.map(() => list).join(", ")}}` : list };
      }),
    };
    const script = `bench/${o.name}.exs`;
    const actions = [
      render("bench", "bench/bench.exs", script),
      depPatch("benchee", '{:benchee, "~> 1.3", only: :dev}'),
      mixPatch('add the bench alias to aliases/0', (s) => addAlias(s, "bench", [`run ${script}`])),
      formatterPatch("format bench/'s scripts with the rest (inputs)", (s) => addFormatterInput(s, "bench/*.exs"), 'inputs: [..., "bench/*.exs"]'),
    ];
    const plan = projectPlan(project, binding, actions, [
      "mix deps.get (for Benchee)",
      `mix run ${script}   # BENCH_SECONDS=0.1 for a quick run`,
      ...(target && target.arity > 0 ? [`shape the inputs in ${script} as ${binding.title} takes its arguments`] : []),
    ]);
    // Names make the job's line as long as they are: Elixir's formatter lays it out.
    plan.format = { localsWithoutParens: "[]" };
    return plan;
  },
});
