// A generator's zod schema is the single source of truth for its flags,
// prompts, defaults and --help text. This module reads the schema (through
// z.toJSONSchema and .meta()), builds the commander command from it, asks for
// what is missing, and validates once.
import { Command, CommanderError, Option } from "commander";
import { z } from "zod";
import { CancelledError, UserError, isExitPromptError } from "./errors.js";
import type { FieldMeta, GeneratorDef } from "./generator.js";
import type { Io } from "./io.js";
import type { MixProject } from "../elixir/project.js";

export interface Field {
  key: string;
  flag: string;
  type: "string" | "boolean" | "enum" | "list";
  choices: string[];
  description: string;
  default: unknown;
  required: boolean;
  meta: FieldMeta;
  schema: z.ZodType;
}

const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const fieldsCache = new WeakMap<z.ZodObject, Field[]>();

/** A schema's fields, read once per schema. */
export function fieldsOf(schema: z.ZodObject): Field[] {
  let fields = fieldsCache.get(schema);
  if (!fields) {
    fields = readFields(schema);
    fieldsCache.set(schema, fields);
  }
  return fields;
}

/**
 * A field as a user gives it, read from the schema's definition along its input
 * side (a pipe's input, the schema inside optional, nullable and default): what
 * z.toJSONSchema(schema, { io: "input" }) says of it (a test holds the two
 * equal for every generator), without building the JSON Schema on every run.
 */
export function readField(key: string, fieldSchema: z.ZodType): Field {
  const meta = (fieldSchema.meta() ?? {}) as FieldMeta;
  let cur = fieldSchema as unknown as { def: Record<string, unknown> & { type: string }; meta(): { description?: unknown } | undefined };
  let optional = false;
  let fallback: unknown;
  // The outermost description wins; a wrapper without one shows its inner schema's.
  let description: unknown;
  for (;;) {
    description ??= cur.meta()?.description;
    const def = cur.def;
    if (def.type === "optional") optional = true;
    else if (def.type === "default" || def.type === "prefault") {
      optional = true;
      if (fallback === undefined) fallback = def.defaultValue;
    } else if (def.type !== "pipe" && def.type !== "readonly" && def.type !== "catch" && def.type !== "nullable") break;
    cur = (def.type === "pipe" ? def.in : def.innerType) as typeof cur;
  }
  const base = cur.def;
  const choices = base.type === "enum" ? Object.values(base.entries as Record<string, string>) : [];
  const type = choices.length > 0 ? "enum" : base.type === "boolean" ? "boolean" : base.type === "array" ? "list" : "string";
  return {
    key,
    flag: kebab(key),
    type,
    choices,
    description: typeof description === "string" ? description : key,
    default: fallback,
    required: !optional,
    meta,
    schema: fieldSchema,
  };
}

function readFields(schema: z.ZodObject): Field[] {
  return Object.entries(schema.shape).map(([key, fieldSchema]) => readField(key, fieldSchema as z.ZodType));
}

/** Flags every generator takes. */
export const commonSchema = z.object({
  yes: z.boolean().default(false).describe("Take defaults for everything not given; never prompt"),
  force: z.boolean().default(false).describe("Overwrite existing files that differ"),
  dryRun: z.boolean().default(false).describe("Print the unified diff of what would change; write nothing"),
  json: z.boolean().default(false).describe("Print a machine-readable result instead of the report"),
  check: z
    .enum(["on", "strict", "off"])
    .default("on")
    .describe("After writing, run mix format, compile and credo (--check=strict: a failing step exits 1; --no-check: skip)"),
  rollbackOnFail: z.boolean().default(false).describe("Roll back the files this run wrote when a check fails"),
  answers: z.string().optional().describe("Take answers from a JSON file (flags still win)").meta({ valueName: "file" }),
  record: z.string().optional().describe("Save this run's answers to a JSON file, to repeat the run with --answers").meta({ valueName: "file" }),
});
export type CommonOptions = z.output<typeof commonSchema>;

function describeDefault(f: Field): string {
  if (f.default === undefined || (Array.isArray(f.default) && f.default.length === 0)) return f.description;
  if (f.type === "boolean") {
    return f.default ? `${f.description} (default: yes; --no-${f.flag} to leave out)` : `${f.description} (default: no)`;
  }
  return `${f.description} (default: ${String(f.default)})`;
}

/** The commander command for a generator: its fields, then the common flags. */
export function buildCommand(name: string, def: GeneratorDef, io: Io): Command {
  const cmd = new Command(name)
    .description(def.description)
    .exitOverride()
    .allowExcessArguments(false)
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: () => undefined,
    });
  for (const f of fieldsOf(def.schema)) {
    if (f.meta.positional) {
      cmd.argument(f.meta.variadic ? `[${f.flag}...]` : `[${f.flag}]`, describeDefault(f));
    } else if (f.type === "boolean") {
      cmd.addOption(new Option(`--${f.flag}`, describeDefault(f)));
      cmd.addOption(new Option(`--no-${f.flag}`).hideHelp());
    } else if (f.type === "enum") {
      cmd.addOption(new Option(`--${f.flag} <${f.meta.valueName ?? "value"}>`, describeDefault(f)).choices(f.choices));
    } else {
      cmd.addOption(new Option(`--${f.flag} <${f.meta.valueName ?? "value"}>`, describeDefault(f)));
      if (f.meta.negatable) cmd.addOption(new Option(`--no-${f.flag}`, f.meta.negatable));
    }
  }
  for (const f of fieldsOf(commonSchema)) {
    if (f.key === "check") {
      cmd.addOption(new Option("--check [mode]", `${f.description}`));
      cmd.addOption(new Option("--no-check").hideHelp());
    } else if (f.type === "string") {
      cmd.addOption(new Option(`--${f.flag} <${f.meta.valueName ?? "value"}>`, f.description));
    } else {
      cmd.addOption(new Option(f.key === "yes" ? "-y, --yes" : `--${f.flag}`, f.description));
    }
  }
  if (def.examples.length > 0) {
    cmd.addHelpText("after", `\nExamples:\n${def.examples.map((e) => `  $ ${e}`).join("\n")}\n`);
  }
  return cmd;
}

/** Turn a commander error into the one-line user error (or a clean help exit). */
export function commanderFailure(err: unknown): { exitCode: number; message?: string } {
  if (err instanceof CommanderError) {
    if (err.code === "commander.helpDisplayed" || err.code === "commander.help" || err.code === "commander.version") {
      return { exitCode: 0 };
    }
    return { exitCode: 2, message: err.message.replace(/^error: /, "") };
  }
  throw err;
}

/** Parse argv into raw values: only what the user gave; undefined for the rest. */
export function parseArgv(
  cmd: Command,
  def: GeneratorDef,
  argv: string[],
): { raw: Record<string, unknown>; common: CommonOptions; checkGiven: boolean } {
  cmd.parse(argv, { from: "user" });
  const opts = cmd.opts();
  for (const f of fieldsOf(def.schema)) {
    const given = (flag: string): boolean => argv.some((a) => a === flag || a.startsWith(`${flag}=`));
    if (f.meta.negatable && given(`--${f.flag}`) && given(`--no-${f.flag}`)) {
      throw new UserError(`--${f.flag} and --no-${f.flag} cannot be used together`);
    }
  }
  const raw: Record<string, unknown> = {};
  const positional = fieldsOf(def.schema).filter((f) => f.meta.positional);
  positional.forEach((f, i) => {
    if (f.meta.variadic) {
      const rest = cmd.args.slice(i);
      if (rest.length > 0) raw[f.key] = rest;
    } else if (cmd.args[i] !== undefined) raw[f.key] = cmd.args[i];
  });
  for (const f of fieldsOf(def.schema)) {
    if (!f.meta.positional && opts[f.key] !== undefined) raw[f.key] = opts[f.key];
  }
  const check = opts.check === true || opts.check === undefined ? "on" : opts.check === false ? "off" : opts.check;
  const parsed = commonSchema.safeParse({
    ...Object.fromEntries(
      fieldsOf(commonSchema).map((f) => [f.key, f.type === "string" ? opts[f.key] : opts[f.key] === true]),
    ),
    check,
  });
  if (!parsed.success) {
    throw new UserError(`invalid --check ${JSON.stringify(check)}: must be on, strict or off (or --no-check)`);
  }
  const common: CommonOptions = parsed.data;
  return { raw, common, checkGiven: opts.check !== undefined };
}

/** Name a field the way the user typed it: `--app` or `<dir>`. */
export function fieldLabel(f: Pick<Field, "flag" | "meta">): string {
  return f.meta.positional ? `<${f.flag}>` : `--${f.flag}`;
}

/** The one-line message for the first zod issue: names the input and the rule. */
export function issueMessage(def: GeneratorDef, error: z.ZodError, values: Record<string, unknown>): string {
  const issue = error.issues[0] as z.core.$ZodIssue;
  const key = String(issue.path[0] ?? "");
  const field = fieldsOf(def.schema).find((f) => f.key === key);
  const label = field ? fieldLabel(field) : key;
  const value = values[key];
  const shown = value === undefined ? "" : ` ${JSON.stringify(value)}`;
  return `invalid ${label}${shown}: ${inUserWords(issue)}`;
}

/**
 * A zod issue in the user's words. The schemas' own messages already are;
 * zod's built-in ones ("Invalid input: expected number, received NaN") are
 * said as the rule the value broke.
 */
export function inUserWords(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      // A schema's own message ("--failure-rate must be a whole percentage") is already the user's.
      if (!issue.message.startsWith("Invalid input")) return issue.message;
      if (issue.expected === "int") return "must be a whole number";
      if (issue.expected === "number") return "must be a number";
      return `must be a ${issue.expected}`;
    case "invalid_value":
      return issue.message.startsWith("Invalid option") ? `must be one of ${issue.values.map(String).join(", ")}` : issue.message;
    case "too_small":
      return issue.message.startsWith("Too small") ? `must be at least ${String(issue.minimum)}` : issue.message;
    case "too_big":
      return issue.message.startsWith("Too big") ? `must be at most ${String(issue.maximum)}` : issue.message;
    default:
      return issue.message;
  }
}

async function validateOne(field: Field, value: unknown, project?: MixProject): Promise<true | string> {
  const r = await field.schema.safeParseAsync(value);
  if (!r.success) return r.error.issues[0] ? inUserWords(r.error.issues[0] as z.core.$ZodIssue) : "invalid value";
  return (typeof value === "string" && field.meta.check?.(value, project)) || true;
}

/** The text an input prompt starts with for a value (numbers too). */
const shown = (v: unknown): string | undefined => (typeof v === "string" || typeof v === "number" ? String(v) : undefined);

/** What to ask for one field, given the answers so far; undefined: take the default. */
async function askField(f: Field, fallback: unknown, values: Record<string, unknown>, io: Io, project: MixProject | undefined): Promise<unknown> {
  const message = f.meta.prompt || f.description;
  if (f.meta.ask) {
    return f.meta.ask({ values, fallback, prompter: io.prompter, project, validate: (v) => validateOne(f, v, project) });
  }
  if (f.type === "boolean") return io.prompter.confirm({ message, default: fallback === true });
  if (f.type === "enum") {
    return io.prompter.select({
      message,
      choices: f.choices.map((c) => ({ name: c, value: c, ...(f.meta.choiceHelp?.[c] ? { description: f.meta.choiceHelp[c] } : {}) })),
      default: typeof fallback === "string" ? fallback : undefined,
    });
  }
  const start = shown(fallback);
  if (start === undefined && !f.required) {
    // An optional value with no default: Enter leaves it out.
    const answer = await io.prompter.input({
      message: `${message} (Enter for none)`,
      validate: (v) => (v.trim() === "" ? true : validateOne(f, v.trim(), project)),
    });
    return answer.trim() === "" ? undefined : answer.trim();
  }
  return (await io.prompter.input({ message, default: start, validate: (v) => validateOne(f, v.trim(), project) })).trim();
}

/** A checkbox of a group's fields; a ticked field with a value is asked for it next. */
async function askGroup(
  group: { field: Field; fallback: unknown }[],
  label: string,
  values: Record<string, unknown>,
  io: Io,
  project: MixProject | undefined,
): Promise<void> {
  const picked = await io.prompter.checkbox({
    message: label,
    choices: group.map(({ field: g, fallback }) => ({
      name: g.meta.groupChoice ?? (g.meta.prompt || g.description),
      value: g.key,
      checked: g.type === "boolean" ? fallback === true : fallback !== undefined,
      ...(g.meta.groupChoice ? { description: g.description } : {}),
    })),
  });
  for (const { field: g, fallback } of group) {
    const on = picked.includes(g.key);
    if (g.type === "boolean") {
      values[g.key] = on;
    } else if (on) {
      const answer = await io.prompter.input({
        message: g.meta.prompt || g.description,
        default: shown(fallback) ?? g.meta.suggest,
        validate: (v) => validateOne(g, v.trim(), project),
      });
      values[g.key] = answer.trim();
    }
  }
}

/**
 * Fill in what the user did not pass: derived defaults and schema defaults
 * with --yes or without a terminal; prompts when a person is there. A required
 * value that is still missing without a terminal is an error naming the flags.
 */
export async function resolveOptions(
  def: GeneratorDef,
  raw: Record<string, unknown>,
  common: { yes: boolean; json: boolean },
  io: Io,
  /** Answers from a file: taken as given. */
  answers: Record<string, unknown> = {},
  /** The team's defaults: used (and offered at prompts) instead of the schema's. */
  teamDefaults: Record<string, unknown> = {},
  /** The project the generator runs in (lists read from it are offered at prompts). */
  project?: MixProject,
): Promise<Record<string, unknown>> {
  const fields = fieldsOf(def.schema);
  const values: Record<string, unknown> = { ...answers, ...raw };
  const interactive = !common.yes && !common.json && io.interactive;
  const missing: Field[] = [];
  const asked = new Set<string>();
  const fallbackOf = (f: Field): unknown => {
    const derived = def.derive?.(values as never, io) as Record<string, unknown> | undefined;
    return teamDefaults[f.key] ?? derived?.[f.key] ?? f.default;
  };

  try {
    for (const f of fields) {
      if (values[f.key] !== undefined || asked.has(f.key)) continue;
      const fallback = fallbackOf(f);
      if (!interactive || f.meta.prompt === false || (f.meta.when && !f.meta.when(values))) {
        if (fallback !== undefined) values[f.key] = fallback;
        else if (f.required) missing.push(f);
        continue;
      }
      if (f.meta.group) {
        const group = fields
          .filter((g) => g.meta.group === f.meta.group && values[g.key] === undefined && g.meta.prompt !== false)
          .map((g) => ({ field: g, fallback: fallbackOf(g) }));
        await askGroup(group, f.meta.group, values, io, project);
        // An unticked field with a value is left out (none), whatever its default.
        for (const { field: g } of group) asked.add(g.key);
        continue;
      }
      const value = await askField(f, fallback, values, io, project);
      if (value !== undefined) values[f.key] = value;
      else if (fallback !== undefined) values[f.key] = fallback;
    }
  } catch (err) {
    if (isExitPromptError(err)) throw new CancelledError();
    throw err;
  }

  if (missing.length > 0) {
    const names = missing.map(fieldLabel).join(", ");
    const why = common.yes ? "--yes cannot guess it" : "no terminal to ask at";
    throw new UserError(`missing ${names} (${why}); pass ${names} on the command line`);
  }
  return values;
}
