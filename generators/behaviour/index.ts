// gen behaviour NAME --callbacks "fetch(id :: term) :: {:ok, term} | {:error, term}":
// a behaviour whose module also dispatches each callback to the
// implementation the config names (Application.compile_env), a default
// implementation, a Mox mock defined in test/test_helper.exs with the test
// config pointing at it, and tests: expect/3 and verify_on_exit! for the
// dispatch, and the default implementation against the callbacks.
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { defineGenerator, type PatchAction } from "../../src/core/generator.js";
import { callArgs, callName, codeChildren, findAll, parse, type Node } from "../../src/elixir/reader.js";
import { depPatch, descriptionField, envConfigPatch, nameField, otpNames, otpPlan, render, requireProject } from "../_shared/otp.js";
import { DESCRIPTIONS } from "../descriptions.js";

export interface Callback {
  /** The callback as written: `fetch(id :: term) :: {:ok, term} | {:error, term}`. */
  text: string;
  name: string;
  /** Argument names (from `name :: type`, else arg1, arg2...). */
  args: string[];
  /** The return type as written. */
  returns: string;
  /** Its alternatives (`{:ok, term()} | :error` -> two), split at the type's top-level `|` by syntax. */
  alternatives: string[];
  /** One alternative is a tuple `{:error, ...}`. */
  errorTuple: boolean;
}

/** Read `;`-separated callbacks by syntax (tree-sitter): each `name(args) :: type`. A problem as a message. */
export function parseCallbacks(text: string): Callback[] | string {
  const out: Callback[] = [];
  for (const raw of text.split(";").map((c) => c.trim()).filter((c) => c !== "")) {
    const tree = parse(`@callback ${raw}\n`);
    const bad = `callback "${raw}": write name(arg :: type, ...) :: return_type, e.g. fetch(id :: term()) :: {:ok, term()} | :error`;
    if (tree.rootNode.hasError) return bad;
    const top = codeChildren(tree.rootNode);
    const attr = top[0];
    const call = attr?.type === "unary_operator" ? attr.childForFieldName("operand") : undefined;
    const spec = call && callName(call) === "callback" ? callArgs(call)[0] : undefined;
    if (top.length !== 1 || !spec || spec.type !== "binary_operator" || spec.childForFieldName("operator")?.text !== "::") return bad;
    const head = spec.childForFieldName("left") as Node;
    const right = spec.childForFieldName("right") as Node;
    const returns = right.text;
    const alternatives: string[] = [];
    let errorTuple = false;
    const split = (t: Node): void => {
      if (t.type === "binary_operator" && t.childForFieldName("operator")?.text === "|") {
        split(t.childForFieldName("left") as Node);
        split(t.childForFieldName("right") as Node);
      } else {
        alternatives.push(t.text);
        if (t.type === "tuple" && codeChildren(t)[0]?.text === ":error") errorTuple = true;
      }
    };
    split(right);
    const name = head.type === "call" ? callName(head) : head.type === "identifier" ? head.text : undefined;
    if (!name || !/^[a-z_][a-z0-9_]*[?!]?$/.test(name)) return bad;
    const args = (head.type === "call" ? callArgs(head) : []).map((a, i) => {
      const named = a.type === "binary_operator" && a.childForFieldName("operator")?.text === "::" ? a.childForFieldName("left") : undefined;
      return named?.type === "identifier" && !named.text.startsWith("_") ? named.text : `arg${i + 1}`;
    });
    if (new Set(args).size !== args.length) return `callback "${raw}": two arguments share a name`;
    if (out.some((c) => c.name === name && c.args.length === args.length)) return `callback ${name}/${args.length} is given twice`;
    out.push({ text: raw, name, args, returns, alternatives, errorTuple });
  }
  return out.length > 0 ? out : "give at least one callback, e.g. --callbacks \"fetch(id :: term()) :: {:ok, term()} | :error\"";
}

/** What the default implementation returns until it is written: the error, `:ok` or `nil` its return type admits. */
function placeholderOf(c: Callback): string | undefined {
  if (c.errorTuple) return "{:error, :not_implemented}";
  return [":error", ":ok", "nil"].find((literal) => c.alternatives.includes(literal));
}

const EXAMPLE = "fetch(id :: term()) :: {:ok, term()} | {:error, term()}";

export const schema = z.object({
  name: nameField("Storage"),
  description: descriptionField("A boundary with an implementation chosen by config."),
  callbacks: z
    .string()
    .refine((v) => typeof parseCallbacks(v) !== "string", { error: (i) => parseCallbacks(String(i.input)) as string })
    .describe(`The callbacks, separated by ";": name(arg :: type, ...) :: return_type (e.g. "${EXAMPLE}")`)
    .meta({ prompt: `Callbacks, separated by ";" (e.g. ${EXAMPLE})`, valueName: "specs" }),
});

export default defineGenerator({
  name: "behaviour",
  description: DESCRIPTIONS.behaviour,
  examples: [`gen behaviour Storage --callbacks "${EXAMPLE}"`, 'gen behaviour Payments.Gateway --callbacks "charge(amount :: pos_integer()) :: {:ok, String.t()} | {:error, term()}; refund(id :: String.t()) :: :ok | {:error, term()}"'],
  schema,
  needsProject: true,
  plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const n = otpNames(project, o.name);
    // The schema has refused callbacks that do not read.
    const callbacks = parseCallbacks(o.callbacks) as Callback[];
    const defaultModule = `${n.module}.Default`;
    const mock = `${n.module}Mock`;
    const binding = {
      ...n,
      description: o.description,
      defaultModule,
      mock,
      callbacks: callbacks.map((c) => ({
        ...c,
        arity: c.args.length,
        argList: c.args.join(", "),
        ignoredArgs: c.args.map((a) => `_${a}`).join(", "),
        placeholder: placeholderOf(c),
        sampleArgs: c.args.map((a) => `:${a}`).join(", "),
        sampleResult: `:${c.name.replace(/[?!]$/, "")}_result`,
      })),
    };
    // A project without config/test.exs (`mix new` writes no config/) names the mock in test_helper.exs.
    const testConfigFile = path.join(path.dirname(project.configFile), "test.exs");
    const configured = existsSync(testConfigFile);
    const testHelper: PatchAction = {
      type: "otp:patch",
      path: "test/test_helper.exs",
      describe: `define the Mox mock ${mock} in test/test_helper.exs`,
      patch(source) {
        const lines = [`Mox.defmock(${mock}, for: ${n.module})`, ...(configured ? [] : [`Application.put_env(:${n.app}, ${n.module}, ${mock})`])];
        if (source === undefined) return { source: `${lines.join("\n")}\nExUnit.start()\n` };
        const tree = parse(source);
        if (tree.rootNode.hasError) return { manual: `test/test_helper.exs does not parse as Elixir: add\n    ${lines.join("\n    ")}` };
        const defined = findAll(tree.rootNode, (x) => callName(x) === "defmock").some((x) => callArgs(x)[0]?.text === mock);
        return { source: defined ? source : `${source.replace(/\n*$/, "\n")}${lines.join("\n")}\n` };
      },
    };
    const testConfig = envConfigPatch(project, "test", n.module, mock, `The tests use the Mox mock of ${n.module}.`);
    const plan = otpPlan(
      project,
      binding,
      [
        render("behaviour", "lib/module.ex", n.file),
        render("behaviour", "lib/module/default.ex", n.file.replace(/\.ex$/, "/default.ex")),
        render("behaviour", "test/module_test.exs", n.testFile),
        render("behaviour", "test/module/default_test.exs", n.testFile.replace(/_test\.exs$/, "/default_test.exs")),
        testHelper,
        ...(configured ? [testConfig] : []),
        depPatch("mox", '{:mox, "~> 1.2", only: :test}'),
      ],
      n,
    );
    plan.format = { localsWithoutParens: "[]" };
    plan.nextSteps.unshift("mix deps.get (for Mox)");
    plan.nextSteps.push(`write ${defaultModule}; point config :${n.app}, ${n.module} at another implementation to swap it`);
    return plan;
  },
});
