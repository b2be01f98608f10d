// Phoenix 1.8 scopes, read from the app's config (`config :app, :scopes, ...`,
// as mix phx.gen.auth writes it) without starting a BEAM. The values are
// literals (atoms, module names, lists, strings, booleans), so a small reader
// of Elixir literal terms is enough; anything else is refused with its line,
// never guessed. Same rules as Phoenix's generators: `--scope NAME` picks one,
// otherwise the one marked `default: true`; `--no-scope` turns scoping off.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { UserError } from "../core/errors.js";
import { Scan } from "./lexer.js";
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

const ATOM = /^[A-Za-z_][A-Za-z0-9_@]*[?!]?/;

/** A reader of Elixir literal terms over `src`, from `pos`. */
class Reader {
  constructor(
    readonly src: string,
    public pos: number,
    readonly file: string,
  ) {}

  lineOf(i: number): number {
    return this.src.slice(0, i).split("\n").length;
  }

  fail(what: string): never {
    throw new ConfigReadError(`${this.file}:${this.lineOf(this.pos)}: ${what}`);
  }

  /** Skip spaces, newlines and comments. */
  ws(): void {
    for (;;) {
      const ch = this.src[this.pos];
      if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") this.pos++;
      else if (ch === "#") {
        const eol = this.src.indexOf("\n", this.pos);
        this.pos = eol === -1 ? this.src.length : eol;
      } else return;
    }
  }

  /** Skip spaces only (a newline ends a call without parentheses). */
  spaces(): void {
    while (this.src[this.pos] === " " || this.src[this.pos] === "\t") this.pos++;
  }

  /** `key:` at pos (identifier or quoted), or undefined. */
  key(): string | undefined {
    const rest = this.src.slice(this.pos);
    const plain = /^([A-Za-z_][A-Za-z0-9_@]*[?!]?):(?=\s)/.exec(rest);
    if (plain) {
      this.pos += plain[0].length;
      return plain[1];
    }
    const quoted = /^"((?:[^"\\#]|\\.)*)":(?=\s)/.exec(rest);
    if (quoted) {
      this.pos += quoted[0].length;
      return unescape(quoted[1] as string);
    }
    return undefined;
  }

  /** `key: value, key: value` up to a closing bracket, or (bare) to the end of the call. */
  keywords(bare: boolean): [string, Term][] {
    const pairs: [string, Term][] = [];
    for (;;) {
      this.ws();
      const k = this.key();
      if (k === undefined) this.fail("expected `key: value` in the scopes config");
      this.ws();
      pairs.push([k, this.term()]);
      if (bare) this.spaces();
      else this.ws();
      if (this.src[this.pos] !== ",") return pairs;
      this.pos++;
      this.ws();
      if (!bare && this.src[this.pos] === "]") return pairs;
    }
  }

  term(): Term {
    const s = this.src;
    const ch = s[this.pos];
    const rest = s.slice(this.pos);
    if (ch === "[") {
      this.pos++;
      this.ws();
      if (s[this.pos] === "]") {
        this.pos++;
        return { t: "list", v: [] };
      }
      const save = this.pos;
      if (this.key() !== undefined) {
        this.pos = save;
        const kw = this.keywords(false);
        this.ws();
        if (s[this.pos] !== "]") this.fail("expected `]`");
        this.pos++;
        return { t: "kw", v: kw };
      }
      const items: Term[] = [];
      for (;;) {
        this.ws();
        items.push(this.term());
        this.ws();
        if (s[this.pos] === ",") {
          this.pos++;
          this.ws();
          if (s[this.pos] === "]") break;
          continue;
        }
        break;
      }
      if (s[this.pos] !== "]") this.fail("expected `]`");
      this.pos++;
      return { t: "list", v: items };
    }
    if (ch === ":") {
      const quoted = /^:"((?:[^"\\#]|\\.)*)"/.exec(rest);
      if (quoted) {
        this.pos += quoted[0].length;
        return { t: "atom", v: unescape(quoted[1] as string) };
      }
      const m = ATOM.exec(rest.slice(1));
      if (!m) this.fail("expected an atom");
      this.pos += 1 + m[0].length;
      return { t: "atom", v: m[0] };
    }
    if (ch === '"') {
      const m = /^"((?:[^"\\#]|\\.|#(?!\{))*)"/.exec(rest);
      if (!m) this.fail("only plain strings (no interpolation) are read in the scopes config");
      this.pos += m[0].length;
      return { t: "string", v: unescape(m[1] as string) };
    }
    const alias = /^[A-Z][A-Za-z0-9_]*(?:\.[A-Z][A-Za-z0-9_]*)*(?![A-Za-z0-9_.(])/.exec(rest);
    if (alias) {
      this.pos += alias[0].length;
      return { t: "alias", v: alias[0] };
    }
    const word = /^(true|false|nil)(?![A-Za-z0-9_?!:.(])/.exec(rest);
    if (word) {
      this.pos += word[0].length;
      return word[1] === "nil" ? { t: "nil" } : { t: "bool", v: word[1] === "true" };
    }
    const int = /^-?\d[\d_]*(?![\d.A-Za-z])/.exec(rest);
    if (int) {
      this.pos += int[0].length;
      return { t: "int", v: int[0].replace(/_/g, "") };
    }
    this.fail(`cannot read \`${rest.split("\n")[0]?.trim().slice(0, 40)}\`: only literal values (atoms, modules, lists, strings, booleans) are read in the scopes config`);
  }
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

/** Every `config :app, :scopes, ...` in `source`, merged as Config merges them. */
export function readScopesConfig(source: string, app: string, file: string): [string, Term][] {
  const scan = new Scan(source);
  const code = scan.codeOnly();
  let merged: [string, Term][] = [];
  const call = new RegExp(`^[ \\t]*config\\s*(\\()?\\s*:${app}\\s*,\\s*:scopes\\s*,`, "gm");
  let found = false;
  for (const m of code.matchAll(call)) {
    found = true;
    const r = new Reader(source, m.index + m[0].length, file);
    r.ws();
    let kw: [string, Term][];
    if (source[r.pos] === "[") {
      const t = r.term();
      if (t.t !== "kw" && !(t.t === "list" && t.v.length === 0)) r.fail("the scopes config is a keyword list (name: [options])");
      kw = t.t === "kw" ? t.v : [];
    } else {
      kw = r.keywords(true);
    }
    merged = mergeKw(merged, kw);
  }
  if (!found && /(?:^|[\s,[(])scopes:\s/m.test(code)) {
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
  const defaults = scopes.filter(([, t]) => t.t === "kw" && t.v.some(([k, v]) => k === "default" && v.t === "bool" && v.v));
  if (defaults.length > 1) {
    throw new UserError(`${shown}: more than one default scope (${defaults.map(([n]) => n).join(", ")}); mark one default: true, or pass --scope NAME`);
  }
  const [d] = defaults;
  return d ? build(d[0], d[1]) : undefined;
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
