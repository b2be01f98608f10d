// Reading the Mix project gen runs in: where it is, its app name, its module
// prefix, where its application module lives. Text-level reading of mix.exs
// (no BEAM start); refuses clearly what it cannot read.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { UserError } from "../core/errors.js";
import { Scan } from "./lexer.js";
import { underscore } from "./naming.js";

export interface MixProject {
  /** Directory holding mix.exs. */
  root: string;
  app: string;
  /** Module prefix, e.g. MyApp (from `mod: {MyApp.Application, _}`, else the MixProject module). */
  module: string;
  /** The application callback module, when the project has one. */
  appModule: string | undefined;
  /** Path of the application module, relative to root. */
  appFile: string | undefined;
  /** Phoenix project (declares :phoenix). */
  phoenix: boolean;
  /** Ecto SQL project (declares :ecto_sql). */
  ecto: boolean;
  /** The app's config file (absolute): `config_path:` in mix.exs (umbrella apps), else config/config.exs. */
  configFile: string;
  /** The oldest Elixir that mix.exs's `elixir:` requirement admits, as X.Y (undefined when it says none). */
  minElixir: string | undefined;
}

/** The nearest directory at or above `from` that holds a mix.exs. */
export function findMixRoot(from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, "mix.exs"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function codeOf(file: string): string {
  return new Scan(readFileSync(file, "utf8")).codeOnly();
}

/** apps of an umbrella (`apps_path: "apps"`), or undefined when not an umbrella. */
export function umbrellaApps(root: string): string[] | undefined {
  const src = readFileSync(path.join(root, "mix.exs"), "utf8");
  const m = /apps_path:\s*"([^"]+)"/.exec(src);
  if (!m) return undefined;
  const appsDir = path.join(root, m[1] as string);
  if (!existsSync(appsDir)) return [];
  return readdirSync(appsDir)
    .filter((d) => existsSync(path.join(appsDir, d, "mix.exs")))
    .sort()
    .map((d) => path.join(m[1] as string, d));
}

/** Find the .ex file under lib/ that defines `module`. */
export function fileDefining(root: string, module: string): string | undefined {
  const guess = path.join("lib", `${underscore(module)}.ex`);
  const re = new RegExp(`defmodule\\s+${module.replace(/\./g, "\\.")}\\s+do\\b`);
  if (existsSync(path.join(root, guess)) && re.test(codeOf(path.join(root, guess)))) return guess;
  const walk = (dir: string): string | undefined => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) {
        const found = walk(rel);
        if (found) return found;
      } else if (e.name.endsWith(".ex") && re.test(codeOf(path.join(root, rel)))) return rel;
    }
    return undefined;
  };
  return existsSync(path.join(root, "lib")) ? walk("lib") : undefined;
}

export function readMixProject(root: string): MixProject {
  const mixExs = path.join(root, "mix.exs");
  const source = readFileSync(mixExs, "utf8");
  const scan = new Scan(source);
  const code = scan.codeOnly();
  const configPath = /config_path:\s*"([^"#]+)"/.exec(source);
  const requirement = /\belixir:\s*"[~>=\s]*(\d+\.\d+)/.exec(source);
  const app = /\bapp:\s*:([a-z][a-z0-9_]*)/.exec(code)?.[1];
  if (!app) throw new UserError(`cannot read the app name from ${mixExs} (no \`app: :name\` in project/0)`);
  const mod = /\bmod:\s*\{\s*([A-Z][\w.]*)\s*,/.exec(code)?.[1];
  const projectModule = /defmodule\s+([A-Z][\w.]*)\.MixProject\s+do/.exec(code)?.[1];
  const module = mod ? mod.replace(/\.Application$/, "") : (projectModule ?? app.replace(/(^|_)(\w)/g, (_, _u, c: string) => c.toUpperCase()));
  const appFile = mod ? fileDefining(root, mod) : undefined;
  return {
    root,
    app,
    module,
    appModule: mod,
    appFile,
    phoenix: /\{:phoenix,/.test(code),
    ecto: /\{:ecto_sql,/.test(code),
    configFile:
      configPath && scan.isCode(configPath.index) ? path.resolve(root, configPath[1] as string) : path.join(root, "config/config.exs"),
    minElixir: requirement && scan.isCode(requirement.index) ? requirement[1] : undefined,
  };
}
