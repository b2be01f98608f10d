// Rendering: node-plop holds the generator registry, helpers and partials and
// runs the actions; our action type renders into the virtual tree instead of
// writing to disk. Each run gets its own handlebars instance (no state leaks
// between runs or tests), with HTML escaping off: user text reaches Elixir
// source only through the escaping helpers below.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import nodePlop from "node-plop";
import { elixirString, heredocBody } from "../elixir/escape.js";
import type { GeneratorDef, PatchAction, Plan, RenderAction } from "./generator.js";
import { builtinTemplatesDir } from "./paths.js";
import type { Tree } from "./tree.js";

type HelperFn = (...args: unknown[]) => unknown;

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

  /** Template files of one generator, relative to its folder. */
  templatesOf(generator: string): string[] {
    const all = new Set<string>();
    for (const dir of this.templateDirs) walk(path.join(dir, generator)).forEach((f) => all.add(f));
    return [...all].sort();
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
      return this.hbs.compile(source, { noEscape: true, strict: true })(data);
    } catch (err) {
      throw new Error(`${name}: ${(err as Error).message}`);
    }
  }

  render(template: string, data: Record<string, unknown>): string {
    return this.renderString(readFileSync(this.resolve(template), "utf8"), data, template);
  }

  /** Run a plan's actions through node-plop, rendering into the tree. Returns manual steps from refused patches. */
  async run(def: GeneratorDef, plan: Plan, tree: Tree): Promise<string[]> {
    const manual: string[] = [];
    const plop = await nodePlop("", { destBasePath: tree.root, force: false });
    for (const [name, fn] of Object.entries(helpers)) plop.setHelper(name, fn as never);
    for (const [name, src] of Object.entries(this.partials())) plop.setPartial(name, src);
    for (const name of plop.getHelperList()) this.hbs.registerHelper(name, plop.getHelper(name) as HelperFn);
    for (const name of plop.getPartialList()) this.hbs.registerPartial(name, plop.getPartial(name));

    plop.setActionType("otp:render", (answers, config) => {
      const action = config as unknown as RenderAction;
      tree.write(action.path, this.render(action.template, answers as Record<string, unknown>), action.mode);
      return action.path;
    });
    plop.setActionType("otp:patch", (_answers, config) => {
      const action = config as unknown as PatchAction;
      const result = action.patch(tree.read(action.path));
      if ("manual" in result) manual.push(result.manual);
      else tree.patch(action.path, result.source);
      return action.path;
    });
    plop.setGenerator(def.name, { description: def.description, prompts: [], actions: plan.actions as never });
    const { failures } = await plop.getGenerator(def.name).runActions({ ...plan.binding });
    if (failures.length > 0) {
      // node-plop reports a synchronous throw as the Error itself, a rejection as { error }.
      const f = failures[0] as { path?: string; error?: string; message?: string };
      throw new Error(`rendering failed: ${f.error ?? f.message ?? "unknown error"}${f.path ? ` (${f.path})` : ""}`);
    }
    return manual;
  }
}
