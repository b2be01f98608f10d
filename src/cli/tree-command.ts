// `gen tree`: the supervision tree of the Mix project around cwd (each app of
// an umbrella), read from source; as text, Mermaid (--mermaid) or JSON (--json).
import path from "node:path";
import type { Io } from "../core/io.js";
import { readMixProject, umbrellaApps } from "../elixir/project.js";
import { projectTree, renderMermaid, renderText, type SupNode } from "../elixir/sup-tree.js";

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
    const project = readMixProject(path.join(root, a));
    return { app: project.app, tree: projectTree(project), dir: a };
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

