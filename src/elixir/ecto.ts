// A project's Ecto repos, read by syntax: the modules that `use Ecto.Repo`,
// their adapters and where their migrations live. Needs `loadReader()` first.
import type { Sources } from "./project.js";
import { callArgs, callName, codeChildren, modules, parse, type Node } from "./reader.js";
import { underscore } from "./naming.js";

export interface EctoRepo {
  module: string;
  file: string;
  /** The `adapter:` of its `use Ecto.Repo` (Ecto.Adapters.Postgres when the source does not say). */
  adapter: string;
}

/** The value of `key:` in a keyword list (a `keywords` node, or a list literal holding one). */
export function pairValue(node: Node | undefined, key: string): Node | undefined {
  if (!node) return undefined;
  const kw = node.type === "keywords" ? node : node.type === "list" ? codeChildren(node).find((c) => c.type === "keywords") : undefined;
  const pair = kw ? codeChildren(kw).find((p) => p.childForFieldName("key")?.text.trim() === `${key}:`) : undefined;
  return pair?.childForFieldName("value") ?? undefined;
}

/** The modules under lib/ that `use Ecto.Repo`, with their adapters, in path order. */
export function ectoRepos(sources: Sources): EctoRepo[] {
  const out: EctoRepo[] = [];
  for (const file of sources.files) {
    const source = sources.read(file);
    if (source === undefined) continue;
    for (const m of modules(parse(source).rootNode)) {
      const use = codeChildren(m.body ?? m.node).find((n) => callName(n) === "use" && callArgs(n)[0]?.text === "Ecto.Repo");
      if (use) out.push({ module: m.name, file, adapter: pairValue(callArgs(use)[1], "adapter")?.text ?? "Ecto.Adapters.Postgres" });
    }
  }
  return out;
}

/** Where Ecto keeps a repo's migrations: `priv/repo/migrations` for `Shop.Repo`, `priv/read_repo/...` for `Shop.ReadRepo`. */
export function migrationsDir(repo: string): string {
  return `priv/${underscore(repo.split(".").pop() ?? "repo")}/migrations`;
}

/**
 * A migration's version: the time (UTC, YYYYMMDDhhmmss), or one second after
 * the latest existing migration when that is not earlier. Ecto refuses two
 * migrations with the same version, and two runs within a second (a script,
 * `gen live` after `gen context`) would otherwise write the same one.
 */
export function migrationVersion(existing: string[], now: number): string {
  const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const latest = existing
    .map((f) => /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_/.exec(f))
    .filter((m) => m !== null)
    .map((m) => Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])))
    .reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  return stamp(latest >= Math.floor(now / 1000) * 1000 ? latest + 1000 : now);
}
