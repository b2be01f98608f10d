// The contract between the engine and a generator. A generator never touches
// the disk or spawns a process: it returns what to render and which tasks to
// queue; the engine does the rest.
import type { z } from "zod";
import type { MixProject } from "../elixir/project.js";
import type { Io, Prompter } from "./io.js";
import type { Team } from "./team.js";

/** Metadata a schema field may carry with `.meta({...})`. */
export interface FieldMeta {
  /** Taken as a positional argument (in declaration order) instead of a flag. */
  positional?: boolean;
  /** The last positional argument, taking every remaining word (a list field). */
  variadic?: boolean;
  /** Prompt text; defaults to the field's description. `false`: never prompted. */
  prompt?: string | false;
  /** Booleans sharing a group are asked in one checkbox prompt. */
  group?: string;
  /** Placeholder shown in --help for string flags, e.g. `<name>`. */
  valueName?: string;
  /** A string flag that also takes `--no-<flag>` (the value is then `false`); the text is its help. */
  negatable?: string;
  /** In a checkbox `group`, a field with a value: its label there; when ticked, its value is asked next. */
  groupChoice?: string;
  /** The value offered when a `groupChoice` is ticked and the field has no default (e.g. "30s"). */
  suggest?: string;
  /** One line explaining each choice of an enum, shown under it at the prompt. */
  choiceHelp?: Record<string, string>;
  /** Ask only when this holds for the answers so far (otherwise the default is taken). */
  when?: (values: Record<string, unknown>) => boolean;
  /** A rule that needs the project (e.g. a module name that clashes with the app's own): checked at the prompt, so a bad answer is re-asked. */
  check?: (value: string, project: MixProject | undefined) => string | undefined;
  /** A prompt of its own (a list read from the project, a loop of fields): returns the value, or undefined for the default. */
  ask?: (c: AskContext) => Promise<unknown>;
}

/** What a field's own prompt gets. */
export interface AskContext {
  /** The answers so far. */
  values: Record<string, unknown>;
  /** The value Enter should give (team default, derived or schema default). */
  fallback: unknown;
  prompter: Prompter;
  /** The Mix project (gen), if any. */
  project: MixProject | undefined;
  /** The field's own rule: true, or the message to re-ask with. */
  validate(value: unknown): Promise<true | string>;
}

/** One file to render: a template (relative to templates/) and its output path. */
export interface RenderAction {
  type: "otp:render";
  template: string;
  /** Output path relative to the plan's root. */
  path: string;
  mode?: number;
}

/** Change an existing file through a pure function; a refusal becomes a manual step in the report. */
export interface PatchAction {
  type: "otp:patch";
  path: string;
  /** What the step is, for the report: e.g. "add {MyApp.Cache, []} to the children of MyApp.Application". */
  describe: string;
  patch(source: string | undefined): { source: string } | { manual: string };
}

/** Render a template, then merge it into an existing file (or create the file when there is none). */
export interface RenderPatchAction {
  type: "otp:render-patch";
  template: string;
  path: string;
  describe: string;
  /** The new source; `source` is undefined when the file does not exist yet. */
  patch(source: string | undefined, rendered: string): { source: string } | { manual: string };
}

/** Write a file as it is, without templating (e.g. copying templates). */
export interface WriteAction {
  type: "otp:write";
  path: string;
  content: string;
}

export type PlanAction = RenderAction | PatchAction | WriteAction | RenderPatchAction;

/** What a generator knows about where it runs. */
export interface PlanContext {
  /** The Mix project `gen` runs in (undefined for create-otp-app). */
  project: MixProject | undefined;
  /** The team folder in effect, if any. */
  team?: Team | undefined;
}

/** Work queued after the files are written. */
export type Task =
  | { kind: "deps.get" }
  | { kind: "git.init" }
  /** Files that are not text (phx.new's favicon), written as they are once the plan's files are. */
  | { kind: "write-binary"; files: { path: string; content: Buffer }[] };

export interface Plan {
  /** Absolute directory the change set is rooted at (the project). */
  root: string;
  /** Everything templates interpolate; computed once. */
  binding: Record<string, unknown>;
  actions: PlanAction[];
  tasks: Task[];
  /** Refuse (or ask) when `root` already exists and is not empty. */
  requireEmptyRoot: boolean;
  /** Shown after a successful run. */
  nextSteps: string[];
  /**
   * Options left out whose value the plan settled from the project (a default
   * that depends on it: the cluster strategy once k8s files exist, a periodic
   * job's singleton once the nodes are clustered). Recorded with the run, so
   * that gen upgrade re-plans the same choice rather than today's.
   */
  resolved?: Record<string, unknown>;
  /** Skip the check step (nothing Elixir is written, e.g. ejecting templates). */
  noCheck?: boolean;
  /**
   * Run rendered .ex/.exs files (and fragments merged into modules) through
   * Elixir's formatter, with these DSL calls written without parentheses
   * (Elixir source of a keyword list, e.g. `[field: 2, add: 2]`).
   */
  format?: { localsWithoutParens: string };
}

export interface GeneratorDef<S extends z.ZodObject = z.ZodObject> {
  /** Name on the command line: `gen <name>`; `app` is create-otp-app itself. */
  name: string;
  description: string;
  examples: string[];
  schema: S;
  /** Defaults that depend on other answers (e.g. the module name from the app name). */
  derive?: (partial: Partial<z.input<S>>, io: Io) => Partial<z.input<S>>;
  /** Needs a Mix project (every `gen` generator). */
  needsProject?: boolean;
  /** Recorded in the project's manifest (.otpgen/runs/); false for runs that write no project code (eject). */
  record?: boolean;
  /**
   * How `gen upgrade` re-plans a recorded run: the options adjusted to the
   * project's root (create-otp-app's target directory), or why it cannot be
   * re-planned (phx.new's output is not reproducible).
   */
  replay?: { options?: (recorded: Record<string, unknown>, root: string) => Record<string, unknown>; refuse?: string };
  /** A team's plop generator: the plopfile and the generator's name in it. */
  plopSource?: { file: string; name: string };
  plan(options: z.output<S>, io: Io, ctx: PlanContext): Promise<Plan> | Plan;
}

export function defineGenerator<S extends z.ZodObject>(def: GeneratorDef<S>): GeneratorDef<S> {
  return def;
}
