// Rendering: node-plop holds the generator registry, helpers and partials and
// runs the actions; our action type renders into the virtual tree instead of
// writing to disk. Each run gets its own handlebars instance (no state leaks
// between runs or tests), with HTML escaping off: user text reaches Elixir
// source only through the escaping helpers below.
import { templateKey } from "./hash.js";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { precompiled } from "./precompiled.js";
import nodePlop from "node-plop";
import { elixirString, heredocBody } from "../elixir/escape.js";
import { layoutHeex } from "../elixir/heex-layout.js";
import type { GeneratorDef, PatchAction, Plan, RenderAction, RenderPatchAction } from "./generator.js";
import { builtinTemplatesDir } from "./paths.js";
import type { Tree } from "./tree.js";
import type { Team } from "./team.js";
import { applyPlopfile, treeActions, type ExternalAction, type PlopApi } from "./plop-generators.js";
import { UserError } from "./errors.js";

/** node-plop's built-in case helpers (pascalCase, snakeCase, ...), offered to team templates. */
const PLOP_HELPERS = [
  "camelCase", "snakeCase", "dotCase", "pathCase", "lowerCase", "upperCase", "sentenceCase",
  "constantCase", "titleCase", "dashCase", "kabobCase", "kebabCase", "properCase", "pascalCase",
];

type HelperFn = (...args: unknown[]) => unknown;

/** How every template is compiled; the build precompiles the built-in ones with the same options. */
export const COMPILE_OPTIONS = { noEscape: true, strict: true, preventIndent: true } as const;

const helpers: Record<string, HelperFn> = {
  /** An Elixir string literal: {{str description}} -> "A \"quoted\" \#{text}" */
  str: (value) => elixirString(String(value)),
  /** A heredoc body indented by N spaces: {{heredoc description 2}} */
  heredoc: (value, indent) => heredocBody(String(value), typeof indent === "number" ? indent : 0),
  /** A literal "{" before a mustache ("{{{" would open a triple-stash): {{lb}}{{module}}.Worker, []} */
  lb: () => "{",
  /** A literal "}" after a mustache: {{#if x}}...{{/if}}{{rb}} */
  rb: () => "}",
  eq: (a, b) => a === b,
  or: (...args) => args.slice(0, -1).some(Boolean),
  and: (...args) => args.slice(0, -1).every(Boolean),
  not: (a) => !a,
};

/** The partial every built-in template puts last in its @moduledoc (empty unless a team writes one). */
const MODULEDOC_FOOTER = "moduledoc_footer";

/**
 * A moduledoc footer with text starts a paragraph of its own: a blank line
 * before it, unless it begins with one. Many moduledocs end with a doctest,
 * and a line right after a doctest's result is read by ExUnit as more of the
 * expected result (the generated tests would fail); after prose, Markdown
 * would run it into the paragraph above.
 */
export function ownParagraph(footer: string): string {
  return footer === "" || footer.startsWith("\n") ? footer : `\n${footer}`;
}

function walk(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const abs = path.join(dir, e.name);
    return e.isDirectory() ? walk(abs, base) : [path.relative(base, abs).split(path.sep).join("/")];
  });
}

export class Renderer {
  /** Template folders, first found wins (team overrides go before the built-ins). */
  readonly templateDirs: string[];
  private readonly hbs = Handlebars.create();

  constructor(templateDirs: string[] = [builtinTemplatesDir()]) {
    this.templateDirs = templateDirs;
  }

  resolve(template: string): string {
    for (const dir of this.templateDirs) {
      const abs = path.join(dir, template);
      if (existsSync(abs)) return abs;
    }
    throw new Error(`template not found: ${template} (looked in ${this.templateDirs.join(", ")})`);
  }

  /** Partials under _partials/, by path without the extension: {{> moduledoc_footer}} */
  partials(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const dir of [...this.templateDirs].reverse()) {
      for (const f of walk(path.join(dir, "_partials"))) {
        out[f.replace(/\.hbs$/, "")] = readFileSync(path.join(dir, "_partials", f), "utf8");
      }
    }
    return out;
  }

  renderString(source: string, data: Record<string, unknown>, name = "template"): string {
    try {
      return this.template(source)(data);
    } catch (err) {
      throw new Error(`${name}: ${(err as Error).message}`);
    }
  }

  /** A template function: the build's precompiled one when the text is a built-in template's, else compiled now. */
  private template(source: string): HandlebarsTemplateDelegate {
    const spec = precompiled?.[templateKey(source)];
    // Partials go in as written (no re-indentation), so overrides control their layout.
    return spec ? this.hbs.template(spec as TemplateSpecification) : this.hbs.compile(source, COMPILE_OPTIONS);
  }

  render(template: string, data: Record<string, unknown>): string {
    return this.renderString(readFileSync(this.resolve(template), "utf8"), data, template);
  }

  /** A node-plop instance with this project's helpers and partials. */
  private async newPlop(destBasePath: string) {
    const plop = await nodePlop("", { destBasePath, force: false });
    for (const [name, fn] of Object.entries(helpers)) plop.setHelper(name, fn as never);
    for (const [name, src] of Object.entries(this.partials())) plop.setPartial(name, src);
    return plop;
  }

  /** Render with plop's helpers and partials (ours, node-plop's and a team plopfile's). */
  private adopt(plop: Awaited<ReturnType<typeof nodePlop>>): void {
    for (const name of [...PLOP_HELPERS, ...plop.getHelperList()]) this.hbs.registerHelper(name, plop.getHelper(name) as HelperFn);
    for (const name of plop.getPartialList()) {
      // Looked up (or compiled) when first used: a run uses a few of the partials it registers.
      const source = plop.getPartial(name);
      let partial: HandlebarsTemplateDelegate | undefined;
      const lazy = (context: unknown, options?: RuntimeOptions): string => (partial ??= this.template(source))(context, options);
      const rendered = name === MODULEDOC_FOOTER ? (context: unknown, options?: RuntimeOptions) => ownParagraph(lazy(context, options)) : lazy;
      this.hbs.registerPartial(name, rendered as unknown as HandlebarsTemplateDelegate);
    }
  }

  /** The helpers and partials a built-in or overridden template can use: those of the instance that renders. */
  async registry(): Promise<{ helpers: Set<string>; partials: Set<string> }> {
    this.adopt(await this.newPlop(process.cwd()));
    return { helpers: new Set(Object.keys(this.hbs.helpers)), partials: new Set(Object.keys(this.hbs.partials)) };
  }

  /** plop's add / modify / append, writing into the virtual tree. */
  private plopActions(plop: { setActionType: (n: string, f: unknown) => void }, tree: Tree): void {
    const body = (config: Record<string, unknown>, data: Record<string, unknown>, where: string): string => {
      if (typeof config.templateFile === "string") {
        return this.renderString(readFileSync(config.templateFile, "utf8"), data, config.templateFile);
      }
      return this.renderString(String(config.template ?? ""), data, where);
    };
    plop.setActionType("otp:plop-add", (data: Record<string, unknown>, config: Record<string, unknown>) => {
      const out = this.renderString(String(config.path), data, "add.path");
      if (config.skipIfExists === true && tree.exists(out)) return `${out} (exists, skipped)`;
      tree.write(out, body(config, data, out));
      return out;
    });
    plop.setActionType("otp:plop-modify", (data: Record<string, unknown>, config: Record<string, unknown>) => {
      const out = this.renderString(String(config.path), data, "modify.path");
      const source = tree.read(out);
      if (source === undefined) throw new UserError(`modify: ${out} does not exist`);
      const pattern = config.pattern instanceof RegExp ? config.pattern : new RegExp(String(config.pattern ?? "$"));
      tree.patch(out, source.replace(pattern, body(config, data, out)));
      return out;
    });
    plop.setActionType("otp:plop-append", (data: Record<string, unknown>, config: Record<string, unknown>) => {
      const out = this.renderString(String(config.path), data, "append.path");
      const source = tree.read(out);
      if (source === undefined) throw new UserError(`append: ${out} does not exist`);
      const text = body(config, data, out);
      if (config.unique !== false && source.includes(text)) return `${out} (already there)`;
      const separator = typeof config.separator === "string" ? config.separator : "\n";
      if (config.pattern === undefined) {
        tree.patch(out, `${source}${separator}${text}`);
      } else {
        const pattern = config.pattern instanceof RegExp ? config.pattern : new RegExp(String(config.pattern));
        tree.patch(out, source.replace(pattern, (m) => `${m}${separator}${text}`));
      }
      return out;
    });
  }

  /**
   * Run a plan's actions through node-plop, rendering into the tree. Returns
   * the manual steps from refused patches, and the team actions that write
   * outside the tree (not run here: see `runExternal`).
   */
  async run(def: GeneratorDef, plan: Plan, tree: Tree): Promise<RenderResult> {
    const manual: string[] = [];
    const external: ExternalAction[] = [];
    const formatter = plan.format ? await elixirFormatter(plan.root, plan.format.localsWithoutParens) : undefined;
    const plop = await this.newPlop(tree.root);
    let actions: unknown = plan.actions;
    if (def.plopSource) {
      // A team generator: its plopfile registers itself (and its helpers, partials,
      // action types) on this run's plop; its actions are re-pointed at the tree.
      const { file, name } = def.plopSource;
      // plop.setActionType(name, fn, { virtualTree: true }) declares a custom type
      // that writes only into plop.virtualTree: it runs while planning, dry-run included.
      const treeTypes = new Set<string>();
      const setActionType = plop.setActionType.bind(plop);
      type ActionFn = (data: unknown, config: unknown, plopApi: object) => unknown;
      (plop as unknown as { setActionType: unknown }).setActionType = (type: string, fn: ActionFn, options?: { virtualTree?: boolean }) => {
        if (options?.virtualTree !== true) return setActionType(type, fn as never);
        treeTypes.add(type);
        // node-plop hands actions its inner API object, not the one returned to us: give it the tree there.
        const withTree: ActionFn = (data, config, plopApi) => fn(data, config, Object.assign(Object.create(plopApi), { virtualTree: tree }));
        return setActionType(type, withTree as never);
      };
      await applyPlopfile(file, plop);
      const config = (plop as unknown as PlopApi).getGenerator(name);
      const baseDir = path.dirname(file);
      actions = (data: Record<string, unknown>) =>
        treeActions(typeof config.actions === "function" ? config.actions(data) : (config.actions ?? []), baseDir, treeTypes, (a) =>
          external.push(a),
        );
      plop.setActionType("otp:external", (_answers, config) => `not run while planning: ${(config as unknown as { describe: string }).describe}`);
    }
    this.adopt(plop);
    this.plopActions(plop as unknown as { setActionType: (n: string, f: unknown) => void }, tree);

    const isElixir = (p: string): boolean => /\.exs?$/.test(p);
    let heexLineLength: number | undefined;
    plop.setActionType("otp:render", async (answers, config) => {
      const action = config as unknown as RenderAction;
      let text = this.render(action.template, answers as Record<string, unknown>);
      if (formatter && isElixir(action.path)) text = await formatter.format(text);
      if (isElixir(action.path) && text.includes('~H"""')) {
        // HEEx is laid out as the project's HTML formatter plugin would (Elixir's formatter leaves it alone).
        heexLineLength ??= await projectHeexLineLength(plan.root);
        text = layoutHeex(text, heexLineLength);
      }
      tree.write(action.path, text, action.mode);
      return action.path;
    });
    // Patchers read Elixir through the tree-sitter reader: loaded here, once, only when a file is patched.
    const reader = async (): Promise<void> => (await import("../elixir/reader.js")).loadReader();
    plop.setActionType("otp:render-patch", async (answers, config) => {
      await reader();
      const action = config as unknown as RenderPatchAction;
      const existing = tree.read(action.path);
      const text = this.render(action.template, answers as Record<string, unknown>);
      const result = action.patch(existing, formatter && isElixir(action.path) ? await formatter.formatInModule(text) : text);
      if ("manual" in result) manual.push(result.manual);
      else if (existing === undefined) tree.write(action.path, result.source);
      else tree.patch(action.path, result.source);
      return action.path;
    });
    plop.setActionType("otp:write", (_answers, config) => {
      const action = config as unknown as { path: string; content: string };
      tree.write(action.path, action.content);
      return action.path;
    });
    plop.setActionType("otp:patch", async (_answers, config) => {
      await reader();
      const action = config as unknown as PatchAction;
      const result = action.patch(tree.read(action.path));
      if ("manual" in result) manual.push(result.manual);
      else tree.patch(action.path, result.source);
      return action.path;
    });
    plop.setGenerator(def.name, { description: def.description, prompts: [], actions: actions as never });
    let failures: unknown[];
    try {
      ({ failures } = await plop.getGenerator(def.name).runActions({ ...plan.binding }));
    } finally {
      formatter?.close();
    }
    if (failures.length > 0) throw new Error(`rendering failed: ${failureText(failures[0])}`);
    const runExternal = async (): Promise<ExternalResult[]> => {
      const results: ExternalResult[] = [];
      for (const [i, e] of external.entries()) {
        // One generator per action, on the plop that registered its type, so each result is its own.
        const name = `otp:external:${i}`;
        plop.setGenerator(name, { prompts: [], actions: [e.action] as never });
        const r = await plop.getGenerator(name).runActions({ ...plan.binding });
        const failed = r.failures[0];
        results.push(
          failed === undefined
            ? { action: e.describe, status: "ran", detail: String((r.changes[0] as { path?: string } | undefined)?.path ?? "") }
            : { action: e.describe, status: "failed", detail: failureText(failed) },
        );
      }
      return results;
    };
    return { manual, external: external.map((e) => e.describe), runExternal };
  }
}

/** node-plop reports a synchronous throw as the Error itself, a rejection as { error }. */
function failureText(failure: unknown): string {
  const f = failure as { path?: string; error?: string; message?: string };
  return `${f.error ?? f.message ?? "unknown error"}${f.path ? ` (${f.path})` : ""}`;
}

/** What a team action that writes outside the virtual tree did, after the flush. */
export interface ExternalResult {
  action: string;
  status: "ran" | "failed" | "not run";
  detail: string;
}

export interface RenderResult {
  /** Patches refused as unsafe: what to do by hand. */
  manual: string[];
  /** Team actions that write outside the virtual tree, by description; not run yet. */
  external: string[];
  /** Run them (after the flush; never under --dry-run). */
  runExternal(): Promise<ExternalResult[]>;
}

async function projectHeexLineLength(root: string): Promise<number> {
  const { heexLineLengthOf } = await import("../mix/formatter.js");
  const dotFormatter = path.join(root, ".formatter.exs");
  return heexLineLengthOf(existsSync(dotFormatter) ? readFileSync(dotFormatter, "utf8") : undefined);
}

/** The formatter for a plan that asks for one, with the project's line_length. */
async function elixirFormatter(root: string, localsWithoutParens: string) {
  const { ElixirFormatter, lineLengthOf } = await import("../mix/formatter.js");
  const dotFormatter = path.join(root, ".formatter.exs");
  const formatter = new ElixirFormatter({ localsWithoutParens, lineLength: await lineLengthOf(existsSync(dotFormatter) ? readFileSync(dotFormatter, "utf8") : undefined) });
  formatter.start();
  return formatter;
}

/** Render a plan into the tree with the team's templates first (then the built-ins) and its variables as {{team.*}}. */
export function renderPlan(def: GeneratorDef, plan: Plan, tree: Tree, team: Team | undefined): Promise<RenderResult> {
  plan.binding.team = team?.config.variables ?? {};
  return new Renderer([...(team?.templateDirs ?? []), builtinTemplatesDir()]).run(def, plan, tree);
}
