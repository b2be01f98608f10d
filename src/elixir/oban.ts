// Oban in a project: the `config :app, Oban`
// block's queues and Cron crontab (patched by syntax, in the file's layout),
// the migration that creates Oban's tables, and cron expressions read as
// Oban.Cron.Expression reads them (to refuse a bad --cron before anything is
// written, and to count a schedule's runs for the generated test). Pure
// functions over sources; the reader must be loaded first.
import { addToList, siteOf, type PatchResult } from "./children.js";
import { pairValue } from "./ecto.js";
import { callArgs, callName, callReceiver, codeChildren, findAll, parse, type Node, type Tree } from "./reader.js";

/** Oban's engine and notifier for each Ecto adapter it supports (as `mix oban.install` chooses them). */
export const OBAN_ENGINES: Readonly<Record<string, { engine: string; notifier: string }>> = {
  "Ecto.Adapters.Postgres": { engine: "Oban.Engines.Basic", notifier: "Oban.Notifiers.Postgres" },
  "Ecto.Adapters.MyXQL": { engine: "Oban.Engines.Dolphin", notifier: "Oban.Notifiers.PG" },
  "Ecto.Adapters.SQLite3": { engine: "Oban.Engines.Lite", notifier: "Oban.Notifiers.PG" },
};

/** Whether a migration source calls `Oban.Migration` (up or down), by syntax: a comment does not count. */
export function callsObanMigration(source: string): boolean {
  const tree = parse(source);
  return findAll(tree.rootNode, (n) => n.type === "call" && callReceiver(n) === "Oban.Migration").length > 0;
}

/** The keywords of the file's top-level `config :app, Oban, ...` calls. */
function obanConfigs(tree: Tree, app: string): Node[] {
  return codeChildren(tree.rootNode)
    .filter((n) => callName(n) === "config")
    .map((n) => callArgs(n))
    .filter((a) => a[0]?.text === `:${app}` && a[1]?.text === "Oban" && a[2]?.type === "keywords")
    .map((a) => a[2] as Node);
}

/** The single Oban config of the file, or the reason it cannot be patched. */
function theObanConfig(source: string, app: string): { tree: Tree; kw: Node } | string {
  let tree: Tree;
  try {
    tree = parse(source);
  } catch {
    return "the file could not be read as Elixir";
  }
  if (tree.rootNode.hasError) return "it does not parse as Elixir";
  const found = obanConfigs(tree, app);
  if (found.length === 0) return `it has no \`config :${app}, Oban, ...\` with a keyword list`;
  if (found.length > 1) return `it configures :${app}, Oban more than once`;
  return { tree, kw: found[0] as Node };
}

/** The queues of the file's `config :app, Oban, queues: [...]`, in order (none when it has no such config). */
export function obanQueues(source: string, app: string): string[] {
  let tree: Tree;
  try {
    tree = parse(source);
  } catch {
    return [];
  }
  const queues = obanConfigs(tree, app).map((kw) => pairValue(kw, "queues")).find((q) => q?.type === "list");
  const kw = queues ? codeChildren(queues).find((c) => c.type === "keywords") : undefined;
  return (kw ? codeChildren(kw) : []).map((p) => p.childForFieldName("key")?.text.replace(/:\s*$/, "") ?? "").filter((q) => q !== "");
}

/** `queue: limit` in the Oban config's `queues:` list; present when that queue is there (its limit kept). */
export function addObanQueue(source: string, app: string, queue: string, limit: number): PatchResult {
  const code = `${queue}: ${limit}`;
  const found = theObanConfig(source, app);
  if (typeof found === "string") return { status: "refused", reason: found, snippet: `queues: [${code}]` };
  const queues = pairValue(found.kw, "queues");
  if (queues?.type !== "list") return { status: "refused", reason: "its Oban config has no `queues: [...]` list", snippet: `queues: [${code}]` };
  return addToList(source, { code, ids: [queue] }, () => [siteOf(queues)]);
}

/**
 * `{expr, worker}` in the Cron plugin's crontab of the Oban config, adding
 * `{Oban.Plugins.Cron, crontab: [...]}` to `plugins:` when it has none;
 * present when the crontab names the worker already (its schedule kept).
 */
export function addObanCron(source: string, app: string, expr: string, worker: string): PatchResult {
  const entry = `{${JSON.stringify(expr)}, ${worker}}`;
  const plugin = `{Oban.Plugins.Cron, crontab: [${entry}]}`;
  const found = theObanConfig(source, app);
  if (typeof found === "string") return { status: "refused", reason: found, snippet: `plugins: [${plugin}]` };
  const plugins = pairValue(found.kw, "plugins");
  if (plugins?.type !== "list") return { status: "refused", reason: "its Oban config has no `plugins: [...]` list", snippet: `plugins: [${plugin}]` };
  const cron = codeChildren(plugins).find((p) => p.type === "tuple" && codeChildren(p)[0]?.text === "Oban.Plugins.Cron");
  if (!cron) return addToList(source, { code: plugin, ids: ["Oban.Plugins.Cron"] }, () => [siteOf(plugins)]);
  const crontab = pairValue(codeChildren(cron)[1], "crontab");
  if (crontab?.type !== "list") return { status: "refused", reason: "its Cron plugin has no `crontab: [...]` list", snippet: entry };
  if (findAll(crontab, (n) => n.type === "alias" && n.text === worker).length > 0) return { status: "present", source };
  if (!cron.text.includes("\n")) {
    // A one-line plugin tuple: rewritten whole, on one line if it fits, else as mix format lays it out.
    const entries = [...codeChildren(crontab).map((e) => e.text), entry];
    const column = cron.startIndex - (source.lastIndexOf("\n", cron.startIndex - 1) + 1);
    const lineEnd = source.indexOf("\n", cron.endIndex);
    const rest = source.slice(cron.endIndex, lineEnd === -1 ? source.length : lineEnd);
    const oneLine = `{Oban.Plugins.Cron, crontab: [${entries.join(", ")}]}`;
    const pad = " ".repeat(column);
    const text =
      column + oneLine.length + rest.length <= 98
        ? oneLine
        : `{Oban.Plugins.Cron,\n${pad} crontab: [\n${entries.map((e) => `${pad}   ${e}`).join(",\n")}\n${pad} ]}`;
    return { status: "added", source: source.slice(0, cron.startIndex) + text + source.slice(cron.endIndex) };
  }
  // Entries are told apart by worker (checked above), not by their expression.
  return addToList(source, { code: entry, ids: [] }, () => [siteOf(crontab)]);
}

// Cron expressions as Oban.Cron.Expression parses them (every field ANDed).
const NICKNAMES: Record<string, string> = {
  "@annually": "0 0 1 1 *",
  "@yearly": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@midnight": "0 0 * * *",
  "@daily": "0 0 * * *",
  "@hourly": "0 * * * *",
};
const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], first: 1 },
  { name: "day-of-week", min: 0, max: 6, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], first: 0 },
] as const;

type Cron = Set<number>[];

function parseCron(expr: string): Cron | string {
  const text = NICKNAMES[expr.trim()] ?? expr.trim();
  if (text === "@reboot") return "@reboot runs at every start of a node, not on a schedule";
  const parts = text.split(/\s+/);
  if (parts.length !== 5) return "a schedule has five fields (minute hour day-of-month month day-of-week), or is one of @hourly, @daily, @weekly, @monthly, @yearly";
  const sets: Cron = [];
  for (const [i, f] of FIELDS.entries()) {
    let field = parts[i] as string;
    if ("names" in f) f.names.forEach((n, k) => (field = field.replaceAll(n, String(k + f.first))));
    const set = new Set<number>();
    for (const part of field.split(",")) {
      const m = /^(?:(\*)|(\d+)(?:-(\d+))?)(?:\/([1-9]\d?))?$/.exec(part);
      if (!m) return `the ${f.name} field "${parts[i]}" is not a number, a range (1-5), * or a step (*/5)`;
      const step = m[4] ? Number(m[4]) : 1;
      const from = m[1] ? f.min : Number(m[2]);
      // `5/15` runs from 5 to the end in steps; a bare number is itself.
      const to = m[1] ? f.max : m[3] !== undefined ? Number(m[3]) : m[4] ? f.max : from;
      if (from < f.min || to > f.max || from > to) return `the ${f.name} field "${parts[i]}" must be within ${f.min}-${f.max}`;
      for (let v = from; v <= to; v += step) set.add(v);
    }
    sets.push(set);
  }
  return sets;
}

/** Why `expr` is not a schedule Oban's Cron plugin accepts, in words; undefined when it is one. */
export function cronProblem(expr: string): string | undefined {
  const r = parseCron(expr);
  return typeof r === "string" ? r : undefined;
}

/** How many times the schedule runs on a UTC day (`date`: YYYY-MM-DD), as Oban.Cron.Expression.now?/2 counts. */
export function cronRunsOn(expr: string, date: string): number {
  const cron = parseCron(expr);
  if (typeof cron === "string") throw new Error(cron);
  const [minutes, hours, days, months, weekdays] = cron as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  const d = new Date(`${date}T00:00:00Z`);
  if (!days.has(d.getUTCDate()) || !months.has(d.getUTCMonth() + 1) || !weekdays.has(d.getUTCDay())) return 0;
  return minutes.size * hours.size;
}
