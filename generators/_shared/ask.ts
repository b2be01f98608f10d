// Prompts of their own for fields whose answer is read from the project (the
// supervisors `--under` may name, the configured scopes) or built up in steps
// (a schema's fields, one at a time). Each returns the value the flag would
// take, so a prompt, a flag and an answers file give the same run.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { AskContext } from "../../src/core/generator.js";
import { FieldError, SCALAR_TYPES, parseField } from "../../src/elixir/fields.js";
import { defaultTable } from "../../src/elixir/naming.js";
import { liveViewModules, supervisorModules } from "../../src/elixir/sup-tree.js";
import { readScopesConfig, scopesMarkedDefault } from "../../src/elixir/scopes.js";
import { browserScopes, pipelineNames, routeNames } from "../../src/elixir/phoenix.js";
import { obanQueues } from "../../src/elixir/oban.js";
import { loadReader } from "../../src/elixir/reader.js";
import { webModuleOf, webPathOf } from "./phoenix.js";

/** `--under`: the project's own Supervisor modules as a list, the application first (Enter). */
export async function askUnder(c: AskContext): Promise<string | undefined> {
  if (!c.project) return undefined;
  const supervisors = supervisorModules(c.project.root);
  if (supervisors.length === 0) return undefined;
  const app = c.project.appModule ?? `${c.project.module}.Application`;
  const picked = await c.prompter.select({
    message: "Start it under which supervisor?",
    choices: [
      { name: `${app} (the application)`, value: "", description: `a child of ${app}.start/2` },
      ...supervisors.map((s) => ({ name: s.module, value: s.module, description: `a child in ${s.module}.init/1 (${s.file})` })),
    ],
    default: typeof c.fallback === "string" ? c.fallback : "",
  });
  return picked === "" ? undefined : picked;
}

/** `--table`: the schema's table, offered as the schema in snake_case, plural. */
export async function askTable(c: AskContext): Promise<string> {
  const schema = typeof c.values.schema === "string" ? c.values.schema : "";
  const fallback = typeof c.fallback === "string" ? c.fallback : defaultTable(schema);
  const answer = await c.prompter.input({ message: "Table name", default: fallback, validate: (v) => c.validate(v.trim()) });
  return answer.trim();
}

const NONE = "\u0000none";

/** `--scope`: asked only when the project configures more than one scope. */
export async function askScope(c: AskContext): Promise<string | false | undefined> {
  const project = c.project;
  if (!project || !existsSync(project.configFile)) return undefined;
  let names: string[];
  let preferred: string | undefined;
  try {
    const scopes = readScopesConfig(readFileSync(project.configFile, "utf8"), project.app, path.basename(project.configFile));
    names = scopes.map(([n]) => n);
    preferred = scopesMarkedDefault(scopes)[0]?.[0];
  } catch {
    // A config gen cannot read is reported, with its fix, when the plan reads it.
    return undefined;
  }
  if (names.length < 2) return undefined;
  const picked = await c.prompter.select({
    message: "Scope the records by",
    choices: [
      ...names.map((n) => ({ name: n, value: n, description: n === preferred ? "the default scope" : `config :${project.app}, :scopes, ${n}: ...` })),
      { name: "no scope", value: NONE, description: "records not owned by anyone (--no-scope)" },
    ],
    default: typeof c.fallback === "string" ? c.fallback : c.fallback === false ? NONE : (preferred ?? NONE),
  });
  return picked === NONE ? false : picked;
}

const TYPE_HELP: Record<string, string> = {
  string: "a short text (varchar)",
  text: "a long text",
  integer: "a whole number",
  float: "a floating-point number",
  decimal: "an exact decimal (money)",
  boolean: "true or false",
  date: "a calendar date",
  time: "a time of day",
  naive_datetime: "a date and time without a time zone",
  utc_datetime: "a date and time in UTC",
  uuid: "a UUID",
  binary: "raw bytes",
  map: "a JSON map",
  enum: "one of a fixed set of values (Ecto.Enum); the values are asked next",
  references: "a foreign key to another table; the table is asked next",
  array: "a list of values of one type; the type is asked next",
};

const ARRAY_TYPES = ["string", "integer", "float", "boolean", "date", "uuid"];

/** The check of one field spec, as a prompt's validate wants it. */
const specProblem = (spec: string): true | string => {
  try {
    parseField(spec);
    return true;
  } catch (err) {
    if (err instanceof FieldError) return err.message;
    throw err;
  }
};

/**
 * The fields, one at a time: a name, a type from the list (an enum's values,
 * a reference's table or an array's type asked when chosen), modifiers, then
 * "another field?". Enter at the first question adds none.
 */
export async function askFields(c: AskContext): Promise<string[]> {
  const specs: string[] = [];
  const names = new Set<string>();
  let more = await c.prompter.confirm({ message: "Add a field?", default: false });
  while (more) {
    const name = (
      await c.prompter.input({
        message: `Field ${specs.length + 1}: name`,
        validate: (v) => (names.has(v.trim()) ? `field "${v.trim()}" is already added` : specProblem(`${v.trim()}:string`)),
      })
    ).trim();
    const type = await c.prompter.select({
      message: `Type of ${name}`,
      choices: [...SCALAR_TYPES, "enum", "references", "array"].map((t) => ({ name: t, value: t, description: TYPE_HELP[t] })),
      default: name.endsWith("_id") ? "references" : "string",
    });
    let spec = `${name}:${type}`;
    if (type === "enum") {
      const values = await c.prompter.input({
        message: `Values of ${name} (comma-separated, e.g. draft,published)`,
        validate: (v) => specProblem(`${name}:enum:${v.replace(/\s+/g, "")}`),
      });
      spec += `:${values.replace(/\s+/g, "")}`;
    } else if (type === "references") {
      const table = await c.prompter.input({
        message: `Table ${name} refers to`,
        default: `${name.replace(/_id$/, "")}s`,
        validate: (v) => specProblem(`${name}:references:${v.trim()}`),
      });
      spec += `:${table.trim()}`;
    } else if (type === "array") {
      const inner = await c.prompter.select({
        message: `Type of the values in ${name}`,
        choices: ARRAY_TYPES.map((t) => ({ name: t, value: t, description: TYPE_HELP[t] })),
        default: "string",
      });
      spec += `:${inner}`;
    }
    const modifiers = await c.prompter.checkbox({
      message: `Modifiers of ${name}`,
      choices: [
        { name: "unique", value: "unique", description: "a unique index, and the changeset's unique_constraint" },
        { name: "redact", value: "redact", description: "hidden from inspect and logs (Ecto's redact: true)" },
      ],
    });
    spec = [spec, ...modifiers].join(":");
    const problem = specProblem(spec);
    if (problem !== true) throw new Error(`internal: a field built at the prompts does not parse: ${problem}`);
    specs.push(spec);
    names.add(name);
    more = await c.prompter.confirm({ message: "Add another field?", default: false });
  }
  return specs;
}

/**
 * `--router-scope`: asked only when the router has several `scope "/", Web do`
 * blocks piping through :browser (where the routes go is then a choice), with
 * the option to print the routes instead, as `--yes` does.
 */
export async function askRouterScope(c: AskContext): Promise<number | string | undefined> {
  const project = c.project;
  if (!project?.phoenix || c.values.scope) return undefined;
  const web = webModuleOf(project);
  const router = path.join(project.root, "lib", webPathOf(project), "router.ex");
  if (!existsSync(router)) return undefined;
  const source = readFileSync(router, "utf8");
  const scopes = browserScopes(source, web);
  if (scopes.length < 2) return undefined;
  const rel = path.relative(project.root, router);
  const { sessions, pipelines } = routeNames(source);
  const picked = await c.prompter.select({
    message: "Add the routes where?",
    choices: [
      ...sessions.map((n) => ({ name: `live_session :${n}`, value: n, description: `--router-scope ${n}` })),
      ...pipelines.filter((n) => !sessions.includes(n)).map((n) => ({ name: `the scope "/" piping through :${n}`, value: n, description: `--router-scope ${n}` })),
      ...scopes.map((s) => ({ name: `scope "${s.path}" (pipe_through ${s.pipelines.map((p) => `:${p}`).join(", ")}), ${rel}:${s.line}`, value: String(s.line), description: `--router-scope ${s.line}` })),
      { name: "none: print the routes to add by hand", value: "0", description: "--router-scope 0: the router is left as it is" },
    ],
    default: "0",
  });
  return /^\d+$/.test(picked) ? Number(picked) : picked;
}

const NEW_QUEUE = "\u0000new";

/**
 * `--queue` (gen worker): the queues the Oban config already runs, or a new
 * one (added to it with a limit of 10); a name when there are none yet.
 */
export async function askQueue(c: AskContext): Promise<string> {
  const project = c.project;
  await loadReader();
  const configured = project && existsSync(project.configFile) ? obanQueues(readFileSync(project.configFile, "utf8"), project.app) : [];
  const fallback = typeof c.fallback === "string" ? c.fallback : "default";
  if (configured.length > 0) {
    const picked = await c.prompter.select({
      message: "Queue it runs in",
      choices: [
        ...configured.map((q) => ({ name: q, value: q, description: `--queue ${q}` })),
        { name: "a new queue", value: NEW_QUEUE, description: "added to the Oban config's queues, with a limit of 10 jobs at a time" },
      ],
      default: configured.includes(fallback) ? fallback : configured[0],
    });
    if (picked !== NEW_QUEUE) return picked;
  }
  const answer = await c.prompter.input({
    message: "Queue name (added to the Oban config's queues, with a limit of 10 jobs at a time)",
    ...(configured.includes(fallback) ? {} : { default: fallback }),
    validate: (v) => c.validate(v.trim()),
  });
  return answer.trim();
}

/** `--live` (gen live-component, gen hook): the project's LiveViews, or none (what to add is printed). */
export async function askLive(c: AskContext): Promise<string | undefined> {
  const project = c.project;
  if (!project?.phoenix) return undefined;
  await loadReader();
  const web = webModuleOf(project);
  const views = liveViewModules(project.root, web);
  if (views.length === 0) return undefined;
  const picked = await c.prompter.select({
    message: "Which LiveView renders it? (it gets the clause that handles what this sends)",
    choices: [
      { name: "none: print what to add", value: NONE, description: "no LiveView is changed" },
      ...views.map((v) => ({ name: v.module.replace(`${web}.`, ""), value: v.module, description: v.file })),
    ],
    default: NONE,
  });
  return picked === NONE ? undefined : picked;
}

/** `--plug` (gen rate-limiter): asked in a Phoenix app only. */
export async function askPlug(c: AskContext): Promise<boolean> {
  if (!c.project?.phoenix) return false;
  return c.prompter.confirm({ message: "Also a Plug that answers 429 in a router pipeline?", default: c.fallback === true });
}

/** `--pipeline` (with --plug): the router's pipelines. */
export async function askPipeline(c: AskContext): Promise<string | undefined> {
  const project = c.project;
  if (!project) return undefined;
  await loadReader();
  const router = path.join(project.root, "lib", webPathOf(project), "router.ex");
  const pipelines = existsSync(router) ? pipelineNames(readFileSync(router, "utf8")) : [];
  if (pipelines.length === 0) return undefined;
  return c.prompter.select({
    message: "In which pipeline?",
    choices: pipelines.map((p) => ({ name: `:${p}`, value: p, description: `--pipeline ${p}` })),
    default: pipelines.includes("browser") ? "browser" : pipelines[0],
  });
}

/** `--by` (with --plug): what a client is. */
export async function askBy(c: AskContext): Promise<string> {
  return c.prompter.select({
    message: "A client is…",
    choices: [
      { name: "its IP address", value: "ip", description: "--by ip (an IPv6 address by its /64)" },
      { name: "the logged-in user (by address when logged out)", value: "user", description: "--by user: the current scope's user" },
    ],
    default: "ip",
  });
}
