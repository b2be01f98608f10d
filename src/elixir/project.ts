// Reading the Mix project gen runs in: where it is, its app name, its module
// prefix, where its application module lives. mix.exs is read by syntax (the
// tree-sitter reader, no BEAM start): `app: @app` through its attribute, deps
// by their tuples; it refuses clearly what it cannot read.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { UserError } from "../core/errors.js";
import { stringValue } from "./phoenix.js";
import { bodyExpressions, callArgs, callName, codeChildren, findAll, functions, modules, parse, type Node, type Tree } from "./reader.js";
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
  /** The names of the deps mix.exs declares (`bandit`, `plug_cowboy`...), without the colon. */
  deps: string[];
  /** `:telemetry` is available: declared, or brought by a dep that requires it (Phoenix, Plug, Ecto SQL, Bandit, the telemetry_* libraries). */
  telemetry: boolean;
  /** The app's config file (absolute): `config_path:` in mix.exs (umbrella apps), else config/config.exs. */
  configFile: string;
  /** The root of the umbrella whose `apps_path` holds this app (absolute), when it is one of an umbrella's apps. */
  umbrellaRoot: string | undefined;
  /** The oldest Elixir that mix.exs's `elixir:` requirement admits, as X.Y (undefined when it says none). */
  minElixir: string | undefined;
  /** dialyxir is a dependency, and no `plt_add_apps:` lists `:mix` (Dialyzer then cannot check Mix tasks). */
  dialyzerLacksMix: boolean;
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

/** A keyword list's pairs, by key (`app:` -> its value node). */
function keywordPairs(node: Node | undefined): Map<string, Node> {
  const out = new Map<string, Node>();
  const kw = node?.type === "list" ? codeChildren(node).find((c) => c.type === "keywords") : node?.type === "keywords" ? node : undefined;
  for (const pair of kw ? codeChildren(kw) : []) {
    const key = pair.childForFieldName("key")?.text.replace(/:\s*$/, "");
    const value = pair.childForFieldName("value");
    if (key && value) out.set(key, value);
  }
  return out;
}

/** The value a module attribute is set to (`@app :my_app`), for `app: @app`. */
function attributeValue(module: Node, name: string): Node | undefined {
  for (const n of codeChildren(module)) {
    if (n.type !== "unary_operator" || !n.text.startsWith("@")) continue;
    const call = codeChildren(n)[0];
    if (call && callName(call) === name) return callArgs(call)[0];
  }
  return undefined;
}

/** The MixProject module of a mix.exs: its body, and what project/0 and application/0 return. */
export function mixProjectOf(source: string): { name: string; body: Node; project: Map<string, Node>; application: Map<string, Node>; deps: Node[] } | undefined {
  const tree = parse(source);
  const mod = modules(tree.rootNode).find((m) => m.body && functions(m.body, "project", 0).length > 0);
  if (!mod?.body) return undefined;
  const body = mod.body;
  const returned = (fn: string): Node | undefined => {
    const def = functions(body, fn, 0)[0];
    return def ? bodyExpressions(def).pop() : undefined;
  };
  const resolve = (n: Node | undefined): Node | undefined => (n?.type === "unary_operator" && n.text.startsWith("@") ? attributeValue(body, n.text.slice(1).trim()) : n);
  const project = new Map([...keywordPairs(returned("project"))].map(([k, v]) => [k, resolve(v) ?? v]));
  const application = keywordPairs(returned("application"));
  const depsList = returned("deps");
  return { name: mod.name, body, project, application, deps: depsList?.type === "list" ? codeChildren(depsList) : [] };
}

/** apps of an umbrella (`apps_path: "apps"`), or undefined when not an umbrella. */
export function umbrellaApps(root: string): string[] | undefined {
  const mix = mixProjectOf(readFileSync(path.join(root, "mix.exs"), "utf8"));
  const appsPath = stringValue(mix?.project.get("apps_path"));
  if (!appsPath) return undefined;
  const appsDir = path.join(root, appsPath);
  if (!existsSync(appsDir)) return [];
  return readdirSync(appsDir)
    .filter((d) => existsSync(path.join(appsDir, d, "mix.exs")))
    .sort()
    .map((d) => path.join(appsPath, d));
}

/** The umbrella project whose apps directory holds `root` (the nearest mix.exs above it, with `apps_path:`). */
export function umbrellaOf(root: string): string | undefined {
  const above = findMixRoot(path.dirname(path.resolve(root)));
  if (above === undefined || above === path.resolve(root)) return undefined;
  let apps: string[] | undefined;
  try {
    apps = umbrellaApps(above);
  } catch {
    return undefined;
  }
  return apps?.some((a) => path.resolve(above, a) === path.resolve(root)) ? above : undefined;
}

/**
 * The apps of `umbrellaRoot` that the app at `root` needs, itself first: the
 * app, then each `{:name, in_umbrella: true}` of its mix.exs and theirs, as
 * paths from the umbrella's root (`apps/billing`).
 */
export function umbrellaAppsNeeded(umbrellaRoot: string, root: string): string[] {
  const appsDir = path.dirname(path.relative(umbrellaRoot, root));
  const seen = [path.relative(umbrellaRoot, root).split(path.sep).join("/")];
  for (let i = 0; i < seen.length; i++) {
    const mixExs = path.join(umbrellaRoot, seen[i] as string, "mix.exs");
    const source = existsSync(mixExs) ? readFileSync(mixExs, "utf8") : "";
    const mix = mixProjectOf(source);
    for (const dep of mix ? findAll(mix.body, (n) => n.type === "tuple") : []) {
      const [name, ...opts] = codeChildren(dep);
      const inUmbrella = opts.some((o) => findAll(o, (n) => n.type === "pair" && n.childForFieldName("key")?.text.trim() === "in_umbrella:" && n.childForFieldName("value")?.text === "true").length > 0);
      const app = name?.type === "atom" ? name.text.slice(1) : undefined;
      const at = app && path.posix.join(appsDir.split(path.sep).join("/"), app);
      if (inUmbrella && at && !seen.includes(at) && existsSync(path.join(umbrellaRoot, at, "mix.exs"))) seen.push(at);
    }
  }
  return seen;
}

/**
 * An umbrella's root as the project of its own runs (create-otp-app
 * --umbrella's, recorded at the root): it has no app of its own, so nothing
 * that needs one applies to it.
 */
export function umbrellaRootProject(root: string): MixProject {
  return {
    root,
    app: path.basename(root),
    module: "",
    appModule: undefined,
    appFile: undefined,
    phoenix: false,
    ecto: false,
    deps: [],
    telemetry: false,
    configFile: path.join(root, "config/config.exs"),
    umbrellaRoot: undefined,
    minElixir: undefined,
    dialyzerLacksMix: false,
  };
}

/** Whether a source defines `defmodule module` (by syntax: not in a comment or a string). */
function defines(file: string, module: string): boolean {
  const source = readFileSync(file, "utf8");
  // Most files do not even mention the name: only those are parsed.
  const last = module.split(".").pop() as string;
  return source.includes(last) && modules(parse(source).rootNode).some((m) => m.name === module);
}

/** Find the .ex file under lib/ that defines `module`. */
export function fileDefining(root: string, module: string): string | undefined {
  const guess = path.join("lib", `${underscore(module)}.ex`);
  if (existsSync(path.join(root, guess)) && defines(path.join(root, guess), module)) return guess;
  const walk = (dir: string): string | undefined => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) {
        const found = walk(rel);
        if (found) return found;
      } else if (e.name.endsWith(".ex") && defines(path.join(root, rel), module)) return rel;
    }
    return undefined;
  };
  return existsSync(path.join(root, "lib")) ? walk("lib") : undefined;
}

/** Where a project's modules are: .ex paths relative to its root, and a way to read each (from disk, or through a run's virtual tree). */
export interface Sources {
  files: string[];
  read(file: string): string | undefined;
  /** The file's syntax tree when the caller has parsed it already (each file parsed once). */
  tree?(file: string): Tree | undefined;
}

/**
 * The files under `root`/`dir` whose names pass `test`, as `/`-separated paths
 * from `root`, in path order (by code unit: no collator to start); folders
 * `skip` names are not entered. A folder that cannot be read holds none.
 */
export function filesUnder(root: string, dir: string, test: (name: string) => boolean, skip: (name: string) => boolean = () => false): string[] {
  const files: string[] = [];
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const r = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!skip(e.name)) walk(r);
      } else if (test(e.name)) files.push(r);
    }
  };
  walk(dir.split(path.sep).join("/"));
  return files;
}

/** The .ex files under `root`/lib (in path order), read from disk. */
export function libSources(root: string): Sources {
  const files = filesUnder(root, "lib", (name) => name.endsWith(".ex"));
  return {
    files,
    read: (file) => {
      try {
        return readFileSync(path.join(root, file), "utf8");
      } catch {
        return undefined;
      }
    },
  };
}

// Deps that declare :telemetry as a runtime dependency of their own.
const TELEMETRY_DEPS = [":telemetry", ":telemetry_metrics", ":telemetry_poller", ":phoenix", ":plug", ":plug_cowboy", ":bandit", ":ecto_sql", ":finch"];

/** Read mix.exs by syntax: the app, module prefix, application module, Phoenix/Ecto, config path, Elixir requirement. Needs `loadReader()` first. */
export function readMixProject(root: string): MixProject {
  const mixExs = path.join(root, "mix.exs");
  const mix = mixProjectOf(readFileSync(mixExs, "utf8"));
  if (!mix) throw new UserError(`cannot read ${mixExs}: no module with a project/0 function`);
  const appNode = mix.project.get("app");
  const app = appNode?.type === "atom" && /^:[a-z][a-z0-9_]*$/.test(appNode.text) ? appNode.text.slice(1) : undefined;
  if (!app) throw new UserError(`cannot read the app name from ${mixExs} (no \`app: :name\` in project/0)`);
  const modTuple = mix.application.get("mod");
  const mod = modTuple?.type === "tuple" && codeChildren(modTuple)[0]?.type === "alias" ? (codeChildren(modTuple)[0] as Node).text : undefined;
  const projectModule = mix.name.endsWith(".MixProject") ? mix.name.slice(0, -".MixProject".length) : undefined;
  const module = mod ? mod.replace(/\.Application$/, "") : (projectModule ?? app.replace(/(^|_)(\w)/g, (_, _u, c: string) => c.toUpperCase()));
  // deps/0's tuples; where deps are built otherwise, any `{:name, ...}` tuple in the module.
  const deps = mix.deps.length > 0 ? mix.deps : findAll(mix.body, (n) => n.type === "tuple");
  const depNames = new Set(deps.map((d) => (d.type === "tuple" ? codeChildren(d)[0]?.text : undefined)));
  const configPath = stringValue(mix.project.get("config_path"));
  const requirement = /^[~>=\s]*(\d+\.\d+)/.exec(stringValue(mix.project.get("elixir")) ?? "");
  return {
    root,
    app,
    module,
    appModule: mod,
    appFile: mod ? fileDefining(root, mod) : undefined,
    phoenix: depNames.has(":phoenix"),
    ecto: depNames.has(":ecto_sql"),
    deps: [...depNames].filter((d): d is string => d !== undefined && d.startsWith(":")).map((d) => d.slice(1)),
    telemetry: TELEMETRY_DEPS.some((d) => depNames.has(d)),
    configFile: configPath ? path.resolve(root, configPath) : path.join(root, "config/config.exs"),
    umbrellaRoot: umbrellaOf(root),
    minElixir: requirement?.[1],
    dialyzerLacksMix:
      depNames.has(":dialyxir") &&
      !findAll(mix.body, (n) => n.type === "pair" && n.childForFieldName("key")?.text.trim() === "plt_add_apps:").some((p) => {
        const value = p.childForFieldName("value");
        return value?.type === "list" && codeChildren(value).some((a) => a.text === ":mix");
      }),
  };
}
