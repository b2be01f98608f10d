// A team's customisation, from a folder committed in its repo (`.otpgen/`):
// config (defaults per generator, template variables, the Elixir version,
// check strictness), template and partial overrides, custom plop generators,
// and a preset package it `extends`. Everything is validated with zod; an
// error names the file, the key path and what was expected.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { z } from "zod";
import { UserError } from "./errors.js";
import { importFile } from "./import-file.js";
import { TEAM_DIR, findTeamDir } from "./team-dir.js";

export { TEAM_DIR, findTeamDir };

export const configSchema = z
  .object({
    extends: z.string().min(1).optional().describe("An npm package (or a path starting with ./) holding a shared team folder"),
    defaults: z
      .record(z.string(), z.record(z.string(), z.unknown()))
      .optional()
      .describe("Default options per generator, e.g. { genserver: { registry: true } }"),
    variables: z.record(z.string(), z.string()).optional().describe("Extra values for templates, as {{team.name}}"),
    elixir: z.string().regex(/^\d+\.\d+$/, "an Elixir version like 1.17").optional().describe("The Elixir version new projects require"),
    check: z.enum(["on", "strict", "off"]).optional().describe("The check step's mode when no --check flag is given"),
  })
  .strict();

export type TeamConfig = z.output<typeof configSchema>;

export interface EjectRecord {
  [generator: string]: { version: string; files: Record<string, string> };
}

export interface Team {
  /** The local team folder (absolute). */
  dir: string;
  /** Team folders in override order: local first, then what it extends. */
  layers: string[];
  config: Required<Pick<TeamConfig, "defaults" | "variables">> & Omit<TeamConfig, "defaults" | "variables">;
  /** Template folders in override order (before the built-ins). */
  templateDirs: string[];
  /** Plop-format generator files (local ones first). */
  generatorFiles: string[];
  ejected: EjectRecord;
}

function describeIssue(file: string, issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    const at = issue.path.length > 0 ? `${issue.path.join(".")}.` : "";
    const allowed = issue.path.length === 0 ? ` (expected: ${Object.keys(configSchema.shape).join(", ")})` : "";
    return `${file}: ${issue.keys.map((k) => `${at}${k}`).join(", ")}: unknown key${allowed}`;
  }
  const where = issue.path.length > 0 ? issue.path.join(".") : "(the whole config)";
  return `${file}: ${where}: ${issue.message}`;
}

async function readConfig(dir: string, shown: (p: string) => string): Promise<TeamConfig> {
  const json = path.join(dir, "config.json");
  const mjs = path.join(dir, "config.mjs");
  let raw: unknown = {};
  let file = json;
  if (existsSync(json)) {
    try {
      raw = JSON.parse(readFileSync(json, "utf8"));
    } catch (err) {
      throw new UserError(`${shown(json)}: not valid JSON (${(err as Error).message})`);
    }
  } else if (existsSync(mjs)) {
    file = mjs;
    try {
      const mod = (await importFile(mjs)) as { default?: unknown };
      raw = typeof mod.default === "function" ? await (mod.default as () => unknown)() : mod.default;
    } catch (err) {
      throw new UserError(`${shown(mjs)}: could not be loaded (${(err as Error).message})`);
    }
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(describeIssue(shown(file), parsed.error.issues[0] as z.core.$ZodIssue));
  return parsed.data;
}

/** Where a preset named by `extends` lives: a path, or a package resolved from the project. */
function resolvePreset(spec: string, from: string, shown: string): string {
  if (spec.startsWith("./") || spec.startsWith("../") || path.isAbsolute(spec)) {
    const dir = path.resolve(from, spec);
    if (!existsSync(dir)) throw new UserError(`${shown}: extends: no folder at ${spec}`);
    return dir;
  }
  try {
    const require = createRequire(path.join(path.dirname(from), "package.json"));
    return path.dirname(require.resolve(`${spec}/package.json`));
  } catch {
    throw new UserError(`${shown}: extends: cannot find the package "${spec}" (install it with npm in this project)`);
  }
}

const listFiles = (dir: string, ext: RegExp): string[] =>
  existsSync(dir) ? readdirSync(dir).filter((f) => ext.test(f)).sort().map((f) => path.join(dir, f)) : [];

export async function loadTeam(from: string, cwd: string): Promise<Team | undefined> {
  const dir = findTeamDir(from);
  if (!dir) return undefined;
  const shown = (p: string): string => path.relative(cwd, p) || p;
  const layers: string[] = [];
  const configs: TeamConfig[] = [];
  let layer: string | undefined = dir;
  while (layer) {
    if (layers.includes(layer)) throw new UserError(`${shown(layer)}: extends goes round in a circle`);
    const config = await readConfig(layer, shown);
    layers.push(layer);
    configs.push(config);
    layer = config.extends ? resolvePreset(config.extends, layer, shown(path.join(layer, "config"))) : undefined;
  }
  // Merge: the local folder wins over what it extends.
  const merged = [...configs].reverse().reduce<Team["config"]>(
    (acc, c) => ({
      ...acc,
      ...(c.elixir ? { elixir: c.elixir } : {}),
      ...(c.check ? { check: c.check } : {}),
      variables: { ...acc.variables, ...(c.variables ?? {}) },
      defaults: Object.fromEntries(
        [...new Set([...Object.keys(acc.defaults), ...Object.keys(c.defaults ?? {})])].map((g) => [
          g,
          { ...(acc.defaults[g] ?? {}), ...(c.defaults?.[g] ?? {}) },
        ]),
      ),
    }),
    { defaults: {}, variables: {} },
  );
  let ejected: EjectRecord = {};
  const ejectFile = path.join(dir, "ejected.json");
  if (existsSync(ejectFile)) {
    try {
      ejected = JSON.parse(readFileSync(ejectFile, "utf8")) as EjectRecord;
    } catch {
      throw new UserError(`${shown(ejectFile)}: not valid JSON`);
    }
  }
  return {
    dir,
    layers,
    config: merged,
    templateDirs: layers.map((l) => path.join(l, "templates")).filter((d) => existsSync(d)),
    generatorFiles: layers.flatMap((l) => listFiles(path.join(l, "generators"), /\.m?js$/)),
    ejected,
  };
}
