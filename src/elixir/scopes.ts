// Phoenix 1.8 scopes, read from the app's config (`config :app, :scopes, ...`,
// as mix phx.gen.auth writes it) without starting a BEAM, by syntax (the
// tree-sitter reader). The values are literals (atoms, module names, lists,
// strings, booleans); anything else is refused with its line, never guessed. Same rules as Phoenix's generators: `--scope NAME` picks one,
// otherwise the one marked `default: true`; `--no-scope` turns scoping off.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { UserError } from "../core/errors.js";
import { callArgs, callName, codeChildren, findAll, parse, type Node } from "./reader.js";
import type { MixProject } from "./project.js";

export type Term =
  | { t: "atom"; v: string }
  | { t: "alias"; v: string }
  | { t: "string"; v: string }
  | { t: "bool"; v: boolean }
  | { t: "nil" }
  | { t: "int"; v: string }
  | { t: "list"; v: Term[] }
  | { t: "kw"; v: [string, Term][] };

export interface PhoenixScope {
  name: string;
  default: boolean;
  /** Shop.Accounts.Scope */
  module: string;
  /** Scope */
  alias: string;
  /** current_scope */
  assignKey: string;
  /** ["user", "id"] */
  accessPath: string[];
  /** "/orgs/:org", or undefined */
  routePrefix: string | undefined;
  routeAccessPath: string[];
  /** user_id */
  schemaKey: string;
  /** id, binary_id, ... */
  schemaType: string;
  schemaMigrationType: string;
  /** users, or undefined (then the column is not a reference) */
  schemaTable: string | undefined;
  /** Shop.AccountsFixtures */
  testDataFixture: string | undefined;
  /** register_and_log_in_user */
  testSetupHelper: string | undefined;
}

export class ConfigReadError extends Error {}

/** The text of quoted content, escapes read as Elixir reads them. */
function quotedText(node: Node, file: string): string {
  return codeChildren(node)
    .map((p) => {
      if (p.type === "quoted_content") return p.text;
      if (p.type === "escape_sequence") return unescape(p.text);
      return fail(file, p, "only plain strings (no interpolation) are read in the scopes config");
    })
    .join("");
}

function fail(file: string, node: Node, what: string): never {
  throw new ConfigReadError(`${file}:${node.startPosition.row + 1}: ${what}`);
}

/** A literal Elixir term from its syntax node; anything else is refused with its line. */
function termOf(node: Node, file: string): Term {
  switch (node.type) {
    case "list": {
      const items = codeChildren(node);
      if (items.length === 1 && items[0]?.type === "keywords") return { t: "kw", v: keywordsOf(items[0], file) };
      return { t: "list", v: items.map((i) => termOf(i, file)) };
    }
    case "keywords":
      return { t: "kw", v: keywordsOf(node, file) };
    case "atom":
      return { t: "atom", v: node.text.slice(1) };
    case "quoted_atom":
      return { t: "atom", v: quotedText(node, file) };
    case "alias":
      return { t: "alias", v: node.text.replace(/\s+/g, "") };
    case "string":
      return { t: "string", v: quotedText(node, file) };
    case "boolean":
      return { t: "bool", v: node.text === "true" };
    case "nil":
      return { t: "nil" };
    case "integer":
      return { t: "int", v: node.text.replace(/_/g, "") };
    default:
      return fail(file, node, `cannot read \`${node.text.split("\n")[0]?.trim().slice(0, 40)}\`: only literal values (atoms, modules, lists, strings, booleans) are read in the scopes config`);
  }
}

function keywordsOf(node: Node, file: string): [string, Term][] {
  return codeChildren(node).map((pair) => {
    const key = pair.childForFieldName("key");
    const value = pair.childForFieldName("value");
    if (!key || !value) return fail(file, pair, "expected `key: value` in the scopes config");
    const name = key.type === "quoted_keyword" ? quotedText(key, file) : key.text.replace(/:\s*$/, "");
    return [name, termOf(value, file)] as [string, Term];
  });
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t", r: "\r", s: " ", e: "\x1b", "0": "\0" })[c] ?? c);
}

/** Config's merge: keyword lists merge key by key (recursively); anything else is replaced. */
export function mergeKw(a: [string, Term][], b: [string, Term][]): [string, Term][] {
  const out = a.map(([k, v]) => [k, v] as [string, Term]);
  for (const [k, v] of b) {
    const i = out.findIndex(([key]) => key === k);
    if (i === -1) out.push([k, v]);
    else {
      const old = (out[i] as [string, Term])[1];
      out[i] = [k, old.t === "kw" && v.t === "kw" ? { t: "kw", v: mergeKw(old.v, v.v) } : v];
    }
  }
  return out;
}

/** Every `config :app, :scopes, ...` in `source`, merged as Config merges them. Needs `loadReader()` first. */
export function readScopesConfig(source: string, app: string, file: string): [string, Term][] {
  const tree = parse(source);
  const calls = findAll(tree.rootNode, (n) => callName(n) === "config").filter((n) => {
    const [a, key] = callArgs(n);
    return a?.text === `:${app}` && key?.text === ":scopes";
  });
  let merged: [string, Term][] = [];
  for (const call of calls) {
    const value = callArgs(call)[2];
    if (!value) fail(file, call, "the scopes config is a keyword list (name: [options])");
    const t = termOf(value, file);
    if (t.t !== "kw" && !(t.t === "list" && t.v.length === 0)) fail(file, value, "the scopes config is a keyword list (name: [options])");
    merged = mergeKw(merged, t.t === "kw" ? t.v : []);
  }
  const scopesKey = findAll(tree.rootNode, (n) => n.type === "pair" && n.childForFieldName("key")?.text.trim() === "scopes:");
  if (calls.length === 0 && scopesKey.length > 0) {
    throw new ConfigReadError(`${file}: the scopes are configured in a form gen cannot read; write them as \`config :${app}, :scopes, user: [...]\` (as mix phx.gen.auth does)`);
  }
  return merged;
}

const atomList = (t: Term | undefined): string[] | undefined =>
  t?.t === "list" && t.v.every((x) => x.t === "atom") ? t.v.map((x) => (x as { v: string }).v) : undefined;

/** Turn one scope's options into a PhoenixScope, checking what the generators need. */
export function toScope(name: string, opts: [string, Term][], file: string): PhoenixScope {
  const get = (k: string): Term | undefined => opts.find(([key]) => key === k)?.[1];
  const bad = (k: string, rule: string): never => {
    throw new ConfigReadError(`${file}: scope :${name}: ${k} ${rule}`);
  };
  const atom = (k: string, required: boolean): string | undefined => {
    const t = get(k);
    if (t === undefined || t.t === "nil") return required ? bad(k, "is missing (an atom)") : undefined;
    return t.t === "atom" ? t.v : bad(k, "must be an atom");
  };
  const mod = (k: string, required: boolean): string | undefined => {
    const t = get(k);
    if (t === undefined || t.t === "nil") return required ? bad(k, "is missing (a module)") : undefined;
    return t.t === "alias" ? t.v : bad(k, "must be a module name");
  };
  const module = mod("module", true) as string;
  const accessPath = atomList(get("access_path")) ?? bad("access_path", "must be a list of atoms, e.g. [:user, :id]");
  if (accessPath.length === 0) bad("access_path", "must not be empty");
  const routePrefixTerm = get("route_prefix");
  let routePrefix: string | undefined;
  if (routePrefixTerm && routePrefixTerm.t !== "nil") {
    if (routePrefixTerm.t !== "string") bad("route_prefix", 'must be a string, e.g. "/orgs/:org"');
    routePrefix = (routePrefixTerm as { v: string }).v.replace(/\/+$/, "");
    const params = routePrefix.split("/").filter((s) => s.startsWith(":"));
    if (!routePrefix.startsWith("/") || params.length > 1) bad("route_prefix", 'must start with / and have at most one :param, e.g. "/orgs/:org"');
  }
  const rap = get("route_access_path");
  const dropped = accessPath.slice(0, -1);
  const routeAccessPath = rap && rap.t !== "nil" ? (atomList(rap) ?? bad("route_access_path", "must be a list of atoms")) : dropped.length > 0 ? dropped : accessPath;
  const defaultTerm = get("default");
  if (defaultTerm && defaultTerm.t !== "bool" && defaultTerm.t !== "nil") bad("default", "must be true or false");
  const schemaType = atom("schema_type", true) as string;
  return {
    name,
    default: defaultTerm?.t === "bool" && defaultTerm.v,
    module,
    alias: module.split(".").pop() as string,
    assignKey: atom("assign_key", true) as string,
    accessPath,
    routePrefix,
    routeAccessPath,
    schemaKey: atom("schema_key", true) as string,
    schemaType,
    schemaMigrationType: atom("schema_migration_type", false) ?? schemaType,
    schemaTable: atom("schema_table", false),
    testDataFixture: mod("test_data_fixture", false),
    testSetupHelper: atom("test_setup_helper", false),
  };
}

/**
 * The scope a generator uses: `--scope NAME` (string), none for `--no-scope`
 * (false), else the app's default scope, if one is configured.
 */
export function selectScope(project: Pick<MixProject, "root" | "app" | "configFile">, choice: string | boolean | undefined): PhoenixScope | undefined {
  if (choice === false) return undefined;
  const { root, app, configFile: file } = project;
  const shown = path.relative(root, file) || file;
  if (!existsSync(file)) {
    if (typeof choice === "string") throw new UserError(`invalid --scope ${choice}: ${shown} does not exist, so no scope is configured`);
    return undefined;
  }
  const scopes = refusingUnreadable(() => readScopesConfig(readFileSync(file, "utf8"), app, shown));
  const build = (name: string, t: Term): PhoenixScope => {
    if (t.t !== "kw") throw new UserError(`${shown}: scope :${name} must be a keyword list of options`);
    return refusingUnreadable(() => toScope(name, t.v, shown));
  };
  if (typeof choice === "string") {
    const found = scopes.find(([n]) => n === choice);
    if (!found) {
      const names = scopes.map(([n]) => n);
      throw new UserError(`invalid --scope ${choice}: ${shown} configures ${names.length ? `only ${names.join(", ")}` : "no scopes"} under config :${app}, :scopes`);
    }
    return build(found[0], found[1]);
  }
  const defaults = scopesMarkedDefault(scopes);
  if (defaults.length > 1) {
    throw new UserError(`${shown}: more than one default scope (${defaults.map(([n]) => n).join(", ")}); mark one default: true, or pass --scope NAME`);
  }
  const [d] = defaults;
  return d ? build(d[0], d[1]) : undefined;
}

/** The scopes marked `default: true` (Phoenix allows one). */
export function scopesMarkedDefault(scopes: [string, Term][]): [string, Term][] {
  return scopes.filter(([, t]) => t.t === "kw" && t.v.some(([k, v]) => k === "default" && v.t === "bool" && v.v));
}

/** A config gen cannot read is the user's to fix, or to step around. */
function refusingUnreadable<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ConfigReadError) throw new UserError(`${err.message} (or pass --no-scope)`);
    throw err;
  }
}
