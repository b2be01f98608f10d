// Elixir naming rules, computed once per run. `camelize` and `underscore`
// follow the semantics of Elixir's Macro.camelize/1 and Macro.underscore/1
// (test/elixir/naming.test.ts checks them against real Elixir).

const isUpper = (c: string): boolean => c >= "A" && c <= "Z";
const isLower = (c: string): boolean => c >= "a" && c <= "z";
const isDigit = (c: string): boolean => c >= "0" && c <= "9";
// Only ASCII letters change case, as in Elixir's to_upper_char/to_lower_char.
const up = (c: string): string => (isLower(c) ? c.toUpperCase() : c);
const down = (c: string): string => (isUpper(c) ? c.toLowerCase() : c);

/** `my_app` -> `MyApp`, `my_app/accounts` -> `MyApp.Accounts`. */
export function camelize(input: string): string {
  let out = "";
  let i = 0;
  // Leading underscores are dropped and the next character is capitalised.
  const startSegment = (): void => {
    while (input[i] === "_") i++;
    const c = input[i];
    if (c !== undefined) {
      out += up(c);
      i++;
    }
  };
  startSegment();
  while (i < input.length) {
    const c = input[i] as string;
    const next = input[i + 1];
    if (c === "_" && next === "_") {
      i++;
    } else if (c === "_" && next !== undefined && isLower(next)) {
      out += up(next);
      i += 2;
    } else if (c === "_" && next !== undefined && isDigit(next)) {
      out += next;
      i += 2;
    } else if (c === "_" && next === undefined) {
      i++;
    } else if (c === "/") {
      out += ".";
      i++;
      startSegment();
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** `MyApp` -> `my_app`, `MyApp.HTTPServer` -> `my_app/http_server`. */
export function underscore(input: string): string {
  if (input === "") return "";
  let out = down(input[0] as string);
  let prev = input[0] as string;
  let i = 1;
  while (i < input.length) {
    const h = input[i] as string;
    const t = input[i + 1];
    if (
      isUpper(h) &&
      t !== undefined &&
      !isUpper(t) &&
      !isDigit(t) &&
      t !== "." &&
      t !== "_"
    ) {
      // An upper-case letter followed by a lower-case one starts a word.
      out += `_${down(h)}${t}`;
      prev = t;
      i += 2;
    } else if (isUpper(h) && !isUpper(prev) && prev !== "_") {
      out += `_${down(h)}`;
      prev = h;
      i += 1;
    } else if (h === ".") {
      out += "/";
      const rest = input.slice(i + 1);
      return out + underscore(rest);
    } else {
      out += down(h);
      prev = h;
      i += 1;
    }
  }
  return out;
}

/** Words that cannot name an app, a function or a variable. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  "true", "false", "nil", "when", "and", "or", "not", "in", "fn", "do",
  "end", "catch", "rescue", "after", "else",
]);

/**
 * Applications shipped with Elixir and Erlang/OTP. A project named after one of
 * them clashes with it at boot (mix new refuses these too).
 */
export const RESERVED_APPS: ReadonlySet<string> = new Set([
  "elixir", "eex", "ex_unit", "iex", "logger", "mix", "kernel", "stdlib",
  "compiler", "crypto", "inets", "ssl", "public_key", "asn1", "mnesia",
  "observer", "runtime_tools", "sasl", "tools", "xmerl", "erts", "os_mon",
  "parsetools", "syntax_tools", "ssh", "eunit", "common_test", "dialyzer",
  "debugger", "wx", "et", "edoc", "erl_interface", "reltool", "snmp",
  "ftp", "tftp", "diameter", "eldap", "megaco", "odbc",
]);

/** Top-level modules of Elixir itself: a project module with these names shadows them. */
export const RESERVED_MODULES: ReadonlySet<string> = new Set([
  "Elixir", "Kernel", "Access", "Agent", "Application", "Atom", "Base",
  "Behaviour", "Bitwise", "Calendar", "Code", "Config", "Date", "DateTime",
  "Dict", "DynamicSupervisor", "Enum", "Enumerable", "Exception", "File",
  "Float", "Function", "GenEvent", "GenServer", "HashDict", "HashSet", "IO",
  "Inspect", "Integer", "JSON", "Keyword", "List", "Logger", "Macro", "Map",
  "MapSet", "Mix", "Module", "NaiveDateTime", "Node", "OptionParser", "Path",
  "Port", "Process", "Protocol", "Range", "Record", "Regex", "Registry", "Set",
  "Stream", "String", "StringIO", "Supervisor", "System", "Task", "Time",
  "Tuple", "URI", "Version", "EEx", "ExUnit", "IEx",
]);

const APP_RE = /^[a-z][a-z0-9_]*$/;
const SEGMENT_RE = /^[A-Z][A-Za-z0-9_]*$/;

/** The rule an app name breaks, or null when it is valid. */
export function appNameProblem(name: string): string | null {
  if (!APP_RE.test(name)) {
    return "an app name must start with a lowercase letter and contain only lowercase letters, digits and underscores";
  }
  if (name.length > MAX_ATOM) return `an app name is an atom, and an atom holds at most ${MAX_ATOM} characters (this one has ${name.length})`;
  if (RESERVED_WORDS.has(name)) return `"${name}" is a reserved word in Elixir`;
  if (RESERVED_APPS.has(name)) return `"${name}" is an application shipped with Elixir/OTP`;
  return null;
}

/** The syntax rule a module name (an Elixir alias such as `MyApp.Worker`) breaks, or null. */
export function moduleSyntaxProblem(name: string): string | null {
  if (name.split(".").some((s) => !SEGMENT_RE.test(s))) {
    return "each segment of a module name must start with an uppercase letter and contain only letters, digits and underscores (e.g. MyApp.RateLimiter)";
  }
  return null;
}

/** The rule a full module name breaks (syntax, or shadowing Elixir's own modules), or null. */
export function moduleNameProblem(name: string): string | null {
  const syntax = moduleSyntaxProblem(name);
  if (syntax) return syntax;
  const segments = name.split(".");
  const first = segments[0] as string;
  if (segments.length === 1 && RESERVED_MODULES.has(first)) {
    return `"${first}" is a module of Elixir itself`;
  }
  if (segments.length > 1 && first === "Elixir") {
    return 'a module name must not start with "Elixir."';
  }
  const atom = `Elixir.${name}`.length;
  if (atom > MAX_ATOM) {
    return `a module name becomes the atom Elixir.<name>, and an atom holds at most ${MAX_ATOM} characters (this one has ${atom})`;
  }
  // Segments become directory names, the last one a file name (`rate_limiter_test.exs`): most file systems cap both at 255 bytes.
  const longest = Math.max(...segments.map((seg, i) => underscore(seg).length + (i === segments.length - 1 ? "_test.exs".length : 0)));
  if (longest > MAX_ATOM) {
    return `a module name's segments become directory and file names (snake_case; the last plus _test.exs), and those hold at most ${MAX_ATOM} bytes (the longest here needs ${longest})`;
  }
  return null;
}

/**
 * App name derived from a directory name. A valid name is kept as it is (as
 * `mix new` keeps it); otherwise the name is cleaned the way a person would:
 * words split at dashes, dots, spaces and case changes, joined with one
 * underscore (`Bad-Name` -> `bad_name`, `MyApp` -> `my_app`). What is still not
 * a valid app name (`1st`, `über`) is refused by the caller, naming `--app`.
 */
export function appNameFromDir(dirName: string): string {
  if (APP_RE.test(dirName)) return dirName;
  return dirName
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "")
    .map((w) => underscore(w))
    .join("_");
}

/** Atoms (module and app names) hold at most 255 characters. */
export const MAX_ATOM = 255;

/** The table a schema gets when none is named: its last segment in snake_case, plural (`Catalog.Product` -> products). */
export const defaultTable = (schema: string): string => `${underscore(schema.split(".").pop() ?? "")}s`;

/**
 * A module's file path (without extension) under lib/ or test/, as mix new
 * and phx.new lay an app out: the app's modules in the app's folder, named
 * after the app rather than the module (`shop_2`: Shop2.Counter ->
 * shop_2/counter, Shop2Web.Presence -> shop_2_web/presence, where
 * underscoring the module would give shop2/counter). Other modules: by
 * their name.
 */
export function modulePath(project: { app: string; module: string }, module: string): string {
  for (const [prefix, folder] of [
    [project.module, project.app],
    [`${project.module}Web`, `${project.app}_web`],
  ] as const) {
    if (prefix === "") continue;
    if (module === prefix) return folder;
    if (module.startsWith(`${prefix}.`)) return `${folder}/${underscore(module.slice(prefix.length + 1))}`;
  }
  return underscore(module);
}

/**
 * Where versions before modulePath put a module's file: `lib/shop2/counter.ex`
 * for `lib/shop_2/counter.ex` (the module underscored, not the app's name);
 * undefined when the two are the same place.
 */
export function legacyModulePath(project: { app: string; module: string }, file: string): string | undefined {
  for (const [folder, was] of [
    [project.app, underscore(project.module)],
    [`${project.app}_web`, underscore(`${project.module}Web`)],
  ] as const) {
    if (folder === was) continue;
    const m = new RegExp(`^(lib|test)/${folder}(/.*)$`).exec(file);
    if (m) return `${m[1]}/${was}${m[2]}`;
  }
  return undefined;
}
