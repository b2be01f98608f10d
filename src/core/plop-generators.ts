// A team's own generators, written the plop way (a plopfile calling
// plop.setGenerator with prompts and actions), run through the same engine as
// the built-ins: prompts become a zod schema (flags, prompts, --yes, --answers),
// and plop's add / modify / append actions write into the virtual tree, so
// dry-run, conflicts, JSON output and the check step apply to them too.
import path from "node:path";
import { z } from "zod";
import { UserError } from "./errors.js";
import { importFile } from "./import-file.js";
import type { FieldMeta, GeneratorDef, PlanContext } from "./generator.js";

/** The parts of an inquirer-style question a plop generator may use. */
export interface PlopQuestion {
  type?: string;
  name: string;
  message?: string | ((...args: unknown[]) => string);
  default?: unknown;
  choices?: (string | { name?: string; value?: unknown })[];
  validate?: (value: unknown) => boolean | string | Promise<boolean | string>;
}

export interface PlopGeneratorConfig {
  description?: string;
  prompts?: PlopQuestion[] | ((...args: unknown[]) => unknown);
  actions?: unknown[] | ((data: Record<string, unknown>) => unknown[]);
}

/** The plop API a plopfile is given (node-plop's), as far as this module needs it. */
export interface PlopApi {
  setGenerator(name: string, config: PlopGeneratorConfig): unknown;
  getGenerator(name: string): PlopGeneratorConfig & { name: string };
  getGeneratorList(): { name: string; description: string }[];
}

/** Run a plopfile against `plop` (it registers generators, helpers, partials, action types). */
export async function applyPlopfile(file: string, plop: unknown): Promise<void> {
  let mod: { default?: unknown };
  try {
    mod = (await importFile(file)) as { default?: unknown };
  } catch (err) {
    throw new UserError(`${file}: could not be loaded (${(err as Error).message})`);
  }
  const fn = typeof mod.default === "function" ? mod.default : mod;
  if (typeof fn !== "function") throw new UserError(`${file}: a plopfile must export a function (plop) => { ... }`);
  await (fn as (p: unknown) => unknown)(plop);
}

function schemaFromPrompts(file: string, generator: string, prompts: PlopGeneratorConfig["prompts"]): z.ZodObject {
  if (prompts !== undefined && !Array.isArray(prompts)) {
    throw new UserError(`${file}: generator "${generator}": prompts must be a list of questions (a prompts function cannot be answered from flags)`);
  }
  const shape: Record<string, z.ZodType> = {};
  let positional = true;
  for (const q of prompts ?? []) {
    const type = q.type ?? "input";
    const message = typeof q.message === "string" ? q.message : q.name;
    let field: z.ZodType;
    if (type === "input") field = z.string();
    else if (type === "confirm") field = z.boolean();
    else if (type === "number") field = z.coerce.number();
    else if (type === "list" || type === "rawlist" || type === "expand" || type === "select") {
      const values = (q.choices ?? []).map((c) => String(typeof c === "string" ? c : (c.value ?? c.name)));
      if (values.length === 0) throw new UserError(`${file}: generator "${generator}": prompt "${q.name}" has no choices`);
      field = z.enum(values as [string, ...string[]]);
    } else {
      throw new UserError(`${file}: generator "${generator}": prompt "${q.name}" has type "${type}", which cannot be given as a flag (use input, confirm, number or list)`);
    }
    if (q.validate) {
      const validate = q.validate;
      field = field.superRefine(async (value, ctx) => {
        const verdict = await validate(value);
        if (verdict !== true) ctx.addIssue({ code: "custom", message: typeof verdict === "string" ? verdict : "is not valid" });
      });
    }
    const meta: FieldMeta = { prompt: message };
    if (positional && type === "input") meta.positional = true;
    positional = false;
    const described = field.describe(message);
    shape[q.name] = (q.default !== undefined && typeof q.default !== "function" ? described.default(q.default as never) : described).meta(
      meta as Record<string, unknown>,
    );
  }
  return z.object(shape);
}

/**
 * An action that does not write into the virtual tree: a function action, or a
 * custom action type not registered as writing into it. The engine never runs
 * one while planning: under --dry-run it is listed and not run; otherwise it
 * runs after the files are written, and the report names it.
 */
export interface ExternalAction {
  /** How the report names it: `type "deploy"`, `function notify`. */
  describe: string;
  /** The action as the plopfile wrote it. */
  action: unknown;
}

/** What a plop action is called in reports. */
function describeAction(a: unknown): string {
  if (typeof a === "function") return `function ${a.name || "(anonymous)"}`;
  const type = (a as { type?: unknown }).type;
  return `type "${String(type)}"`;
}

/**
 * Plop action configs, re-pointed at the virtual tree. `treeTypes` are the
 * custom action types the plopfile registered as writing only into
 * `plop.virtualTree`; every other custom type, and every function action, is
 * handed to `external` instead of being run.
 */
export function treeActions(actions: unknown[], baseDir: string, treeTypes: ReadonlySet<string> = new Set(), external?: (a: ExternalAction) => void): unknown[] {
  return actions.map((a) => {
    if (typeof a === "function") {
      external?.({ describe: describeAction(a), action: a });
      return { type: "otp:external", describe: describeAction(a) };
    }
    if (typeof a !== "object" || a === null) return a;
    const action = a as Record<string, unknown>;
    const templateFile = typeof action.templateFile === "string" ? path.resolve(baseDir, action.templateFile) : undefined;
    switch (action.type) {
      case "add":
        return { ...action, type: "otp:plop-add", templateFile };
      case "modify":
        return { ...action, type: "otp:plop-modify", templateFile };
      case "append":
        return { ...action, type: "otp:plop-append", templateFile };
      case "addMany":
        throw new UserError(`${baseDir}: the addMany action is not supported here; list the files as add actions`);
      default:
        if (typeof action.type === "string" && treeTypes.has(action.type)) return action;
        external?.({ describe: describeAction(action), action });
        return { type: "otp:external", describe: describeAction(action) };
    }
  });
}

/** Read a team's plop generators into engine generators. */
export async function loadPlopGenerators(files: readonly string[], builtinNames: readonly string[]): Promise<GeneratorDef[]> {
  if (files.length === 0) return [];
  const { default: nodePlop } = await import("node-plop");
  const out: GeneratorDef[] = [];
  for (const file of files) {
    const plop = (await nodePlop("", { force: false, destBasePath: path.dirname(file) })) as unknown as PlopApi;
    await applyPlopfile(file, plop);
    for (const { name } of plop.getGeneratorList()) {
      if (builtinNames.includes(name) || out.some((g) => g.name === name)) {
        throw new UserError(`${file}: a generator named "${name}" exists already; choose another name`);
      }
      const config = plop.getGenerator(name);
      const schema = schemaFromPrompts(file, name, config.prompts);
      out.push({
        name,
        description: config.description ?? `${name} (team generator)`,
        examples: [],
        schema,
        needsProject: true,
        plopSource: { file, name },
        plan(options: Record<string, unknown>, _io: unknown, ctx: PlanContext) {
          const project = ctx.project;
          if (!project) throw new UserError("this generator runs inside a Mix project");
          return {
            root: project.root,
            binding: { ...options, project: { app: project.app, module: project.module } },
            actions: [],
            tasks: [],
            requireEmptyRoot: false,
            nextSteps: [],
          };
        },
      } as GeneratorDef);
    }
  }
  return out;
}
