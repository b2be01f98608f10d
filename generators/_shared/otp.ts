// What every OTP generator shares: the NAME argument and --under flag, the
// names computed from them, and wiring a child into a supervisor.
import { z } from "zod";
import type { FieldMeta, PatchAction, Plan, PlanContext, RenderAction } from "../../src/core/generator.js";
import { askUnder } from "./ask.js";
import { UserError } from "../../src/core/errors.js";
import { addChild, addDep, addFormatterImportDep, delegatedSupervisor, type ChildSpec, type PatchResult } from "../../src/elixir/children.js";
import { moduleNameProblem, moduleSyntaxProblem, modulePath } from "../../src/elixir/naming.js";
import { fileDefining, type MixProject } from "../../src/elixir/project.js";
import { looksLikeDoctest } from "../../src/elixir/escape.js";
import { addLoggerMetadata } from "../../src/elixir/logger-config.js";
import { versionAtLeast } from "../../src/elixir/versions.js";
import { hasConfig } from "../../src/elixir/phoenix.js";
import { webPathOf } from "./phoenix.js";
import { configInsertAt } from "../../src/elixir/config-file.js";
import { callArgs, callName, findAll, parse } from "../../src/elixir/reader.js";
import { endpointModules } from "../../src/elixir/sup-tree.js";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const moduleRule = (value: string, ctx: z.RefinementCtx): void => {
  const p = moduleSyntaxProblem(value);
  if (p) ctx.addIssue({ code: "custom", message: p });
};

/** A module name argument (syntax checked; the full name is checked once prefixed). */
export const moduleField = (description: string, prompt: string) =>
  z.string().superRefine(moduleRule).describe(description).meta({ positional: true, prompt });

/**
 * A patch of mix.exs (or the mix.exs at `file`: an umbrella's app's) through
 * one of the mix.exs patchers; a refusal becomes a manual step with the snippet.
 */
export function mixPatch(describe: string, step: (source: string) => PatchResult, file = "mix.exs"): PatchAction {
  return {
    type: "otp:patch",
    path: file,
    describe: file === "mix.exs" ? describe : `${describe} (${file})`,
    patch(source) {
      if (source === undefined) return { manual: `${file} is missing` };
      const r = step(source);
      return r.status === "refused" ? { manual: `${file}: ${r.reason}. To ${describe}, add:\n    ${r.snippet}` } : { source: r.source };
    },
  };
}

/** The port gen telemetry --prometheus serves metrics on; gen release's NetworkPolicy admits only scrapers to it. */
export const PROMETHEUS_PORT = 9568;

/** The Logger metadata of the catch-all `handle_info/2` (templates/_partials/unexpected_message.hbs). */
export const UNEXPECTED_MESSAGE_KEYS = ["server", "unexpected_message"] as const;

/**
 * Declare the Logger metadata keys a generated module logs with in the
 * project's config, so that they show in log lines and credo's
 * MissedMetadataKeyInLoggerConfig agrees (config :logger, :default_formatter,
 * or :console for projects that still admit Elixir 1.14).
 */
export function loggerMetadataPatch(project: MixProject, keys: readonly string[]): PatchAction {
  const file = configFilePath(project, "config/config.exs");
  const preferred = project.minElixir !== undefined && versionAtLeast(project.minElixir, "1.15") ? "default_formatter" : "console";
  const describe = `declare the Logger metadata ${keys.map((k) => `:${k}`).join(", ")} in ${file}`;
  return {
    type: "otp:patch",
    path: file,
    describe,
    patch(source) {
      const r = addLoggerMetadata(source, keys, preferred);
      return r.status === "refused" ? { manual: `${file}: ${r.reason}. To ${describe}, add:\n    ${r.snippet}` } : { source: r.source };
    },
  };
}

/**
 * Where the config file `file` (config/ENV.exs) the app loads is, from its
 * root: beside the config file mix.exs names (`config_path:`), which for an
 * umbrella app is the umbrella's config/ (`../../config/ENV.exs`), the one
 * its apps load; a run may write there (Tree's outer root).
 */
export function configFilePath(project: MixProject, file: string): string {
  const dir = path.relative(project.root, path.dirname(project.configFile)).split(path.sep).join("/");
  return `${dir || "."}/${path.posix.basename(file)}`.replace(/^\.\//, "");
}

/** A patch through one of the reader's patchers; a refusal becomes a manual step with the exact lines. */
export function patchWith(file: string, describe: string, change: (src: string) => PatchResult): PatchAction {
  return {
    type: "otp:patch",
    path: file,
    describe,
    patch(source) {
      if (source === undefined) return { manual: `${file} is missing: ${describe}` };
      const r = change(source);
      return r.status === "refused" ? { manual: `${file}: ${r.reason}; ${describe} by adding:\n${r.snippet.replace(/\n+$/, "")}` } : { source: r.source };
    },
  };
}

/**
 * `.gitignore` with `rule` (a line such as `/priv/plts/`) after a comment,
 * at its end; unchanged when a line is that rule already (a commented-out one
 * does not count); a missing file is created with it.
 */
export function gitignorePatch(rule: string, comment: string, describe: string): PatchAction {
  return {
    type: "otp:patch",
    path: ".gitignore",
    describe,
    patch(source) {
      if (source?.split("\n").some((line) => line.trim() === rule)) return { source };
      return { source: `${(source ?? "").replace(/\s*$/, "")}\n\n# ${comment}\n${rule}\n`.replace(/^\n+/, "") };
    },
  };
}

/**
 * `text` (config for `:app` and `key`, by default the project's app) added to
 * the config file `file`: before its top-level `import_config`, so that the
 * environment's file still overrides it, else at the end; unchanged when that
 * app (and key) is configured there already, by syntax. A file that does not
 * parse or does not `import Config` is left alone and `line` is printed to
 * add by hand, and so is a missing one. `file` is where the app loads it
 * from (configFilePath: the umbrella's, for an umbrella app).
 */
export function configAppendPatch(
  project: MixProject,
  spec: { file: string; app?: string; key?: string; text: string; line: string; describe: string },
): PatchAction {
  const { key, line } = spec;
  const file = configFilePath(project, spec.file);
  const app = `:${spec.app ?? project.app}`;
  return {
    type: "otp:patch",
    path: file,
    describe: spec.describe,
    patch(source) {
      const snippet = line.replace(/\n/g, "\n    ");
      if (source === undefined) return { manual: `${file} is missing: create it with\n    import Config\n    ${snippet}` };
      const tree = parse(source);
      const imports = findAll(tree.rootNode, (x) => callName(x) === "import" && callArgs(x)[0]?.text === "Config").length > 0;
      if (tree.rootNode.hasError || !imports) return { manual: `${file} ${tree.rootNode.hasError ? "does not parse as Elixir" : "does not import Config"}: add\n    ${snippet}` };
      if (hasConfig(source, app, key)) return { source };
      const at = configInsertAt(source);
      return { source: `${source.slice(0, at).replace(/\n*$/, "\n")}\n${spec.text}${at < source.length ? `\n${source.slice(at)}` : ""}` };
    },
  };
}

/** `config :app, Key, value` at the end of `config/ENV.exs`, after a comment (see configAppendPatch). */
export function envConfigPatch(project: MixProject, env: string, key: string, value: string, comment: string): PatchAction {
  const file = configFilePath(project, `config/${env}.exs`);
  const line = `config :${project.app}, ${key}, ${value}`;
  return configAppendPatch(project, { file, key, line, text: `# ${comment}\n${line}\n`, describe: `set config :${project.app}, ${key} in ${file}` });
}

/** Add `code` (e.g. `{:libcluster, "~> 3.4"}`) to mix.exs deps/0. */
export const depPatch = (name: string, code: string): PatchAction => mixPatch(`add ${code} to deps/0`, (s) => addDep(s, name, code));

/** A patch of .formatter.exs through one of its patchers; a refusal (or no file) becomes a manual step with the snippet. */
export function formatterPatch(describe: string, step: (source: string) => PatchResult, snippet: string): PatchAction {
  return {
    type: "otp:patch",
    path: ".formatter.exs",
    describe,
    patch(source) {
      if (source === undefined) return { manual: `.formatter.exs is missing; to ${describe}, add to it:\n    ${snippet}` };
      const r = step(source);
      return r.status === "refused" ? { manual: `.formatter.exs: ${r.reason}; to ${describe}, add:\n    ${r.snippet}` } : { source: r.source };
    },
  };
}

/**
 * StreamData for a generated module's property tests: a dev and test
 * dependency, and in .formatter.exs's import_deps, so that `mix format` keeps
 * `check all ... do` without parentheses (dev too, where mix format runs).
 */
/**
 * The DSL calls the generated files write without parentheses, as each
 * library's .formatter.exs exports them: the formatter that lays out a
 * rendered file is given those of the libraries it uses.
 */
export const LOCALS = {
  streamData: ["property: 2", "check: 1", "check: 2", "all: :*"],
  ecto: ["field: 2", "field: 3", "timestamps: 0", "timestamps: 1", "add: 2", "add: 3", "create: 1", "create: 2"],
  phoenix: ["live: 3", "live: 4", "pipe_through: 1"],
  obanTesting: ["assert_enqueued: 1", "assert_enqueued: 2", "refute_enqueued: 1", "refute_enqueued: 2"],
} as const;

/** A `locals_without_parens` list (Elixir source) of these groups. */
export const localsOf = (...groups: (readonly string[])[]): string => `[${groups.flat().join(", ")}]`;

export function streamDataPatches(): PatchAction[] {
  return [
    depPatch("stream_data", '{:stream_data, "~> 1.1", only: [:dev, :test]}'),
    formatterPatch("import StreamData's formatter rules (check all without parentheses)", (s) => addFormatterImportDep(s, "stream_data"), "import_deps: [:stream_data]"),
  ];
}

/** What otpNames refuses for a name in this project (checked at the prompt too, so it is re-asked). */
export function nameProblem(name: string, project: MixProject | undefined): string | undefined {
  if (!project) return undefined;
  try {
    otpNames(project, name);
    return undefined;
  } catch (err) {
    if (err instanceof UserError) return err.message.replace(/^invalid <name> "[^"]*": /, "");
    throw err;
  }
}

export const nameField = (example: string) =>
  z
    .string()
    .superRefine(moduleRule)
    .describe(`Module name, e.g. ${example} (put under the app's module unless it already starts with it)`)
    .meta({ positional: true, prompt: "Module name", check: nameProblem });

export const underField = z
  .string()
  .superRefine(moduleRule)
  .optional()
  .describe("Supervisor module whose init/1 children get the new child (default: the application's start/2)")
  .meta({ valueName: "Module", ask: askUnder });

export const descriptionField = (fallback: string) =>
  z
    .string()
    .max(300, "a description must be at most 300 characters")
    .refine((v) => !looksLikeDoctest(v), "a description must not start a line with iex> (it would run as a doctest)")
    .default(fallback)
    .describe("First line of the @moduledoc")
    .meta({ prompt: false, valueName: "text" });

export interface OtpNames {
  /** MyApp.RateLimiter */
  module: string;
  /** RateLimiter */
  alias: string;
  /** MyApp */
  prefix: string;
  /** my_app (no colon) */
  app: string;
  /** lib/my_app/rate_limiter.ex */
  file: string;
  /** test/my_app/rate_limiter_test.exs */
  testFile: string;
  /** How tests refer to the module: its last segment, unless that shadows an Elixir module tests use. */
  testAlias: string;
  /** The alias line for tests: `alias MyApp.RateLimiter` or `alias MyApp.Registry, as: RegistryUnderTest`. */
  aliasLine: string;
}

// Elixir modules the generated tests call; a module under test must not be aliased over them.
const TEST_USES = new Set(["Agent", "DynamicSupervisor", "Enum", "GenServer", "Integer", "Map", "Process", "Registry", "Supervisor", "Task"]);

export function requireProject(ctx: PlanContext): MixProject {
  if (!ctx.project) throw new UserError("this generator runs inside a Mix project");
  return ctx.project;
}

export function otpNames(project: MixProject, name: string): OtpNames {
  const module = name === project.module || name.startsWith(`${project.module}.`) ? name : `${project.module}.${name}`;
  const problem = moduleNameProblem(module);
  if (problem) throw new UserError(`invalid <name> "${name}": ${problem}`);
  if (module === project.module || module === project.appModule) {
    throw new UserError(`invalid <name> "${name}": ${module} already exists as the project's own module`);
  }
  const path = modulePath(project, module);
  const last = module.split(".").pop() as string;
  const testAlias = TEST_USES.has(last) ? `${last}UnderTest` : last;
  return {
    module,
    alias: last,
    testAlias,
    aliasLine: testAlias === last ? `alias ${module}` : `alias ${module}, as: ${testAlias}`,
    prefix: project.module,
    app: project.app,
    file: `lib/${path}.ex`,
    testFile: `test/${path}_test.exs`,
  };
}

export const render = (generator: string, template: string, out: string): RenderAction => ({
  type: "otp:render",
  template: `${generator}/${template}.hbs`,
  path: out,
});

/** Add `child` to the application's children, or to `under`'s init/1 children. */
export function wire(project: MixProject, child: ChildSpec, given: string | undefined): PatchAction {
  // An application that starts the project's own supervisor (`def start(_, _), do: App.Supervisor.start_link([])`):
  // the children are in that module's init/1.
  const delegate = given ? undefined : delegateOfApp(project);
  const under = given ?? delegate?.module;
  const target = delegate?.file ?? (under ? fileDefining(project.root, under) : project.appFile);
  const owner = under ?? project.appModule ?? `${project.module}.Application`;
  const where = under ? `${owner}.init/1` : `${owner}.start/2`;
  const describe = `add ${child.code} to the children of ${where}`;
  if (!target) {
    const why = under
      ? `no file under lib/ defines ${under}`
      : "this project has no application module (no `mod:` in mix.exs application/0)";
    return {
      type: "otp:patch",
      path: "mix.exs",
      describe,
      patch: () => ({ manual: `${why}: start ${child.code} under a supervisor yourself.` }),
    };
  }
  return {
    type: "otp:patch",
    path: target,
    describe,
    patch(source) {
      if (source === undefined) return { manual: `${target} is missing: add ${child.code} to the children of ${where}.` };
      // In a Phoenix app the Endpoint starts serving requests: it stays last.
      const endpoint = project.phoenix && !given && !child.first ? phoenixEndpoints(project).map((e) => e.module) : [];
      const placed = endpoint.length > 0 ? { ...child, before: [...(child.before ?? []), ...endpoint] } : child;
      const r = addChild(source, placed, under ? "init" : "start");
      if (r.status === "refused") {
        return { manual: `${target}: ${r.reason}. Add this child to the children list of ${where}:\n    ${r.snippet}` };
      }
      return { source: r.source };
    },
  };
}

/**
 * The project's endpoints: the modules that `use Phoenix.Endpoint`, whatever
 * their names (phx.new's file is read first, the rest of lib/ only when it has
 * none), else phx.new's name for it.
 */
export function phoenixEndpoints(project: MixProject): { module: string; file: string }[] {
  const web = `${project.module}Web`;
  const file = `lib/${webPathOf(project)}/endpoint.ex`;
  const found = endpointModules(project.root, file);
  return found.length > 0 ? found : [{ module: `${web}.Endpoint`, file }];
}

/** The project's own supervisor that start/2 only starts, and the file defining it. */
function delegateOfApp(project: MixProject): { module: string; file: string } | undefined {
  const appFile = project.appFile ? path.join(project.root, project.appFile) : undefined;
  if (!appFile || !existsSync(appFile)) return undefined;
  const module = delegatedSupervisor(readFileSync(appFile, "utf8"));
  const file = module ? fileDefining(project.root, module) : undefined;
  return module && file ? { module, file } : undefined;
}

/** The plan of a generator that writes into an existing project (no tasks; the project is not empty). */
export function projectPlan(project: MixProject, binding: Record<string, unknown>, actions: Plan["actions"], nextSteps: string[]): Plan {
  return { root: project.root, binding, actions, tasks: [], requireEmptyRoot: false, nextSteps };
}

export function otpPlan(project: MixProject, binding: Record<string, unknown>, actions: Plan["actions"], names: OtpNames): Plan {
  return projectPlan(project, binding, actions, [`mix test ${names.testFile}`]);
}

/** "5s" -> 5000, "250ms" -> 250, "2m" -> 120000, "1h" -> 3600000. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as "ms" | "s" | "m" | "h"];
  const ms = n * unit;
  return ms > 0 ? ms : null;
}

const duration = () =>
  z.string().refine((v) => parseDuration(v) !== null, "a duration is a positive whole number with a unit: 250ms, 5s, 2m or 1h");

/** A duration flag such as `--every 5s`: optional, or with a default; `prompt` for how it is asked at a terminal. */
export function durationField(description: string, fallback?: undefined, prompt?: FieldMeta): z.ZodOptional<z.ZodString>;
export function durationField(description: string, fallback: string, prompt?: FieldMeta): z.ZodDefault<z.ZodString>;
export function durationField(description: string, fallback?: string, prompt: FieldMeta = { prompt: false }) {
  const field = fallback === undefined ? duration().optional() : duration().default(fallback);
  return field.describe(description).meta({ valueName: "duration", ...prompt });
}

/** 5000 -> "5_000", as Elixir writes (and credo wants) numbers over 9999. */
export function elixirInt(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "_");
}

/** A duration in words, for docs: 10000 -> "10 seconds", 60000 -> "1 minute", 250 -> "250 milliseconds". */
export function durationWords(ms: number): string {
  const [n, unit] =
    ms % 3_600_000 === 0 ? [ms / 3_600_000, "hour"] : ms % 60_000 === 0 ? [ms / 60_000, "minute"] : ms % 1000 === 0 ? [ms / 1000, "second"] : [ms, "millisecond"];
  return `${elixirInt(n)} ${unit}${n === 1 ? "" : "s"}`;
}

/** An Elixir expression for a duration in milliseconds, e.g. :timer.seconds(5). */
export function durationExpr(ms: number): string {
  if (ms % 3_600_000 === 0) return `:timer.hours(${ms / 3_600_000})`;
  if (ms % 60_000 === 0) return `:timer.minutes(${ms / 60_000})`;
  if (ms % 1000 === 0) return `:timer.seconds(${ms / 1000})`;
  return elixirInt(ms);
}

/**
 * Whether a module emits its :telemetry events: as asked (`--[no-]telemetry`),
 * else when the project depends on :telemetry; with the next step that says so.
 */
export function telemetryChoice(project: MixProject, asked: boolean | undefined, app: string, spec: { component: string; events: readonly string[] }): { emits: boolean; nextStep: string } {
  if (asked && !project.telemetry) {
    throw new UserError(`--telemetry needs :telemetry in mix.exs's deps (add {:telemetry, "~> 1.0"}, or gen telemetry)`);
  }
  const emits = asked ?? project.telemetry;
  const events = spec.events.map((e) => `[:${app}, :${spec.component}, ${e.split(" ").map((part) => `:${part}`).join(", ")}]`).join(", ");
  const nextStep = emits
    ? `it emits the :telemetry events ${events}; describe them in your metrics`
    : project.telemetry
      ? `no :telemetry events (--no-telemetry); generate it again with --telemetry --force to emit ${events}`
      : `no :telemetry events: the project does not depend on :telemetry; add {:telemetry, "~> 1.0"} and generate it again with --force to emit ${events}`;
  return { emits, nextStep };
}

export const telemetryField = z
  .boolean()
  .optional()
  .describe("Emit :telemetry events (default: when the project depends on :telemetry)")
  .meta({ prompt: false });

/** A generator that renders `lib/module.ex` and `test/module_test.exs` and wires one child. */
export function simpleOtpGenerator<S extends z.ZodObject>(spec: {
  name: string;
  description: string;
  examples: string[];
  schema: S;
  /** Extra template values from the options. */
  binding?: (o: z.output<S>, n: OtpNames) => Record<string, unknown>;
  /** The child to add to the supervision tree; undefined: none (a plain module). */
  child?: (o: z.output<S>, n: OtpNames) => ChildSpec | undefined;
  nextSteps?: (o: z.output<S>, n: OtpNames) => string[];
  /** Logger metadata keys the module logs with: declared in the project's config. */
  loggerMetadata?: readonly string[];
  /** The module emits these :telemetry events (`[:app, component, event]`) when the project has :telemetry. */
  telemetry?: { component: string; events: readonly string[] };
  /** Its tests include StreamData properties: the dependency and the formatter rules are added. */
  properties?: boolean;
}) {
  // A module that can emit :telemetry events takes --[no-]telemetry; left out, the project's deps decide.
  const schema = (spec.telemetry ? spec.schema.extend({ telemetry: telemetryField }) : spec.schema) as S;
  return {
    name: spec.name,
    description: spec.description,
    examples: spec.examples,
    schema,
    needsProject: true,
    plan(o: z.output<S>, _io: unknown, ctx: PlanContext): Plan {
      const project = requireProject(ctx);
      const n = otpNames(project, (o as { name: string }).name);
      const choice = spec.telemetry ? telemetryChoice(project, (o as { telemetry?: boolean }).telemetry, n.app, spec.telemetry) : undefined;
      const emits = choice?.emits ?? false;
      const binding = { ...n, telemetry: emits, ...(spec.binding?.(o, n) ?? {}) };
      const actions: Plan["actions"] = [
        render(spec.name, "lib/module.ex", n.file),
        render(spec.name, "test/module_test.exs", n.testFile),
      ];
      const child = spec.child?.(o, n);
      if (child) actions.push(wire(project, child, (o as { under?: string }).under));
      if (spec.loggerMetadata) actions.push(loggerMetadataPatch(project, spec.loggerMetadata));
      if (spec.properties) actions.push(...streamDataPatches());
      const plan = otpPlan(project, binding, actions, n);
      if (spec.properties) plan.nextSteps.unshift("mix deps.get (for StreamData, the property tests)");
      plan.nextSteps.push(...(spec.nextSteps?.(o, n) ?? []));
      if (choice) {
        plan.nextSteps.push(choice.nextStep);
        plan.resolved = { telemetry: emits };
      }
      return plan;
    },
  };
}
