// `gen tree`: the supervision tree of the Mix project around cwd (each app of
// an umbrella), read from source; as text, Mermaid (--mermaid) or JSON (--json).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Io } from "../core/io.js";
import { readMixProject, umbrellaApps } from "../elixir/project.js";
import { TreeReader, addedNodes, markAdded, renderMermaid, renderText, type Sources, type SupNode } from "../elixir/sup-tree.js";

/** The .ex files under `dir`/lib, relative to `dir`, from disk. */
export function diskSources(dir: string): Sources {
  const files: string[] = [];
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (e.name.endsWith(".ex")) files.push(r.split(path.sep).join("/"));
    }
  };
  walk("lib");
  return {
    files,
    read: (file) => {
      try {
        return readFileSync(path.join(dir, file), "utf8");
      } catch {
        return undefined;
      }
    },
  };
}

/** The tree of one project (one app): undefined when it has no application module. */
export function projectTree(dir: string, sources: Sources = diskSources(dir)): SupNode | undefined {
  const project = readMixProject(dir);
  if (!project.appModule) return undefined;
  return new TreeReader(sources).application(project.appModule);
}

const USAGE = "usage: gen tree [--mermaid | --json]";

export async function tree(argv: string[], root: string, io: Io): Promise<number> {
  const unknown = argv.find((a) => a !== "--mermaid" && a !== "--json");
  if (unknown !== undefined || (argv.includes("--mermaid") && argv.includes("--json"))) {
    io.stderr(`gen tree: ${unknown === undefined ? "--mermaid and --json cannot be used together" : `unknown option ${JSON.stringify(unknown)}`}; ${USAGE}\n`);
    return 2;
  }
  await (await import("../elixir/reader.js")).loadReader();
  const apps = umbrellaApps(root) ?? ["."];
  const trees: { app: string; tree: SupNode | undefined; dir: string }[] = apps.map((a) => {
    const dir = path.join(root, a);
    return { app: readMixProject(dir).app, tree: projectTree(dir), dir: a };
  });
  // In an umbrella, each app's files are shown from the umbrella's root.
  const rooted = trees.map((t) => ({ ...t, tree: t.tree && t.dir !== "." ? prefixFiles(t.tree, t.dir) : t.tree }));
  if (argv.includes("--json")) {
    io.stdout(`${JSON.stringify({ apps: rooted.map((t) => ({ app: t.app, tree: t.tree ?? null })) }, null, 2)}\n`);
    return 0;
  }
  const found = rooted.flatMap((t) => (t.tree ? [t.tree] : []));
  if (argv.includes("--mermaid")) {
    io.stdout(renderMermaid(found));
    return 0;
  }
  for (const t of rooted) {
    if (!t.tree) io.stdout(`${t.app}: no application module (no mod: in mix.exs application/0), so nothing is supervised\n`);
    else io.stdout(renderText(t.tree));
  }
  return 0;
}

function prefixFiles(n: SupNode, dir: string): SupNode {
  return { ...n, file: path.posix.join(dir.split(path.sep).join("/"), n.file), children: n.children.map((c) => prefixFiles(c, dir)) };
}

/**
 * The supervision tree before and after a run's changes (for --dry-run), the
 * added children marked; undefined when the run leaves the tree as it is.
 */
export function treeChange(
  dir: string,
  changes: readonly { path: string; after: string; action: string }[],
): { before: SupNode | undefined; after: SupNode } | undefined {
  if (!changes.some((c) => c.action !== "identical" && c.path.startsWith("lib/") && c.path.endsWith(".ex"))) return undefined;
  const project = readMixProject(dir);
  if (!project.appModule) return undefined;
  const disk = diskSources(dir);
  const changed = new Map(changes.map((c) => [c.path, c.after]));
  const files = [...new Set([...disk.files, ...changes.filter((c) => c.path.startsWith("lib/") && c.path.endsWith(".ex")).map((c) => c.path)])];
  const before = new TreeReader(disk).application(project.appModule);
  const after = new TreeReader({ files, read: (f) => changed.get(f) ?? disk.read(f) }).application(project.appModule);
  if (!after) return undefined;
  const marked = markAdded(before, after);
  return addedNodes(marked).length > 0 ? { before, after: marked } : undefined;
}

/** The before/after text --dry-run prints. */
export function formatTreeChange(change: { before: SupNode | undefined; after: SupNode }): string {
  const lines = addedNodes(change.after).map(({ node, under, after }) => `  adds ${node.id} under ${under.id}${after ? `, after ${after.id}` : ", first"}\n`);
  return `Supervision tree before:\n${change.before ? renderText(change.before) : "  (none)\n"}Supervision tree after (+ new):\n${renderText(change.after)}${lines.join("")}`;
}
