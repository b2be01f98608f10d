// `gen inspect`: the project's architecture in one document, read from
// source. Argv and output here; the reading is src/elixir/inspect/.
import { existsSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { GeneratorDef } from "../core/generator.js";
import type { Io } from "../core/io.js";
import { packageVersion } from "../core/paths.js";
import type { RunRecord } from "../core/manifest.js";
import type { MixProject } from "../elixir/project.js";

export const INSPECT_USAGE = "usage: gen inspect [--json | --markdown] [--out FILE [--force]] [--app NAME] [--upgrade-check]";

interface Args {
  format: "summary" | "json" | "markdown";
  out: string | undefined;
  force: boolean;
  app: string | undefined;
  upgradeCheck: boolean;
}

/** The options, or the one line saying what is wrong with them. */
export function parseInspectArgs(argv: readonly string[]): Args | string {
  const a: Args = { format: "summary", out: undefined, force: false, app: undefined, upgradeCheck: false };
  let format: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? (argv[i + 1]?.startsWith("-") ? undefined : argv[++i]);
    if (flag === "--json" || flag === "--markdown") {
      if (format !== undefined && format !== flag) return "--json and --markdown cannot be used together";
      format = flag;
    } else if (flag === "--out" || flag === "-o") {
      const v = value();
      if (!v) return `${flag} needs a file name (--out architecture.md)`;
      a.out = v;
    } else if (flag === "--app") {
      const v = value();
      if (!v) return "--app needs the name of one of the umbrella's apps";
      a.app = v;
    } else if (flag === "--force") a.force = true;
    else if (flag === "--upgrade-check") a.upgradeCheck = true;
    else return `unknown option ${JSON.stringify(arg)}`;
  }
  if (format === undefined && a.out !== undefined) {
    // The file's extension says the format when no flag does.
    if (/\.json$/i.test(a.out)) format = "--json";
    else if (/\.(md|markdown)$/i.test(a.out)) format = "--markdown";
    else return `--out "${a.out}": say --json or --markdown (or name the file .json or .md)`;
  }
  a.format = format === "--json" ? "json" : format === "--markdown" ? "markdown" : "summary";
  return a;
}

/** How many files of each run today's templates would change: gen status's re-plan. */
function behindCounter(io: Io, generators: () => Promise<readonly GeneratorDef[]>) {
  return async (root: string, project: MixProject, runs: RunRecord[]): Promise<Map<string, number>> => {
    const { statusRows } = await import("../core/lifecycle.js");
    const { teamAt } = await import("../core/team-dir.js");
    const team = await teamAt(root, io.cwd);
    const all = await (await import("./registry.js")).withCreationGenerators(await generators());
    const rows = await statusRows(runs, runs, { root, project, team, generators: all, io: { ...io, interactive: false, stdout: () => undefined } });
    return new Map(rows.map((r) => [r.id, r.files.filter((f) => f.behind).length]));
  };
}

export async function inspect(argv: string[], root: string, io: Io, generators: () => Promise<readonly GeneratorDef[]>): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    io.stdout(`${INSPECT_USAGE.replace(/^usage/, "Usage")}\n\nThe project's architecture read from source: a summary at a terminal, --markdown for a design\nreview, --json for scripts and agents (schema/inspect.schema.json in the package).\n`);
    return 0;
  }
  const args = parseInspectArgs(argv);
  if (typeof args === "string") {
    io.stderr(`gen inspect: ${args}; ${INSPECT_USAGE}\n`);
    return 2;
  }
  const out = args.out === undefined ? undefined : path.resolve(io.cwd, args.out);
  if (out !== undefined && existsSync(out) && !args.force) {
    io.stderr(`gen inspect: --out "${args.out}" exists; pass --force to replace it (nothing was written)\n`);
    return 2;
  }
  if (out !== undefined && !existsSync(path.dirname(out))) {
    io.stderr(`gen inspect: --out "${args.out}": the folder ${path.dirname(args.out as string)} does not exist (nothing was written)\n`);
    return 2;
  }
  await (await import("../elixir/reader.js")).loadReader();
  const { inspectProject } = await import("../elixir/inspect/index.js");
  const { umbrellaApps, readMixProject } = await import("../elixir/project.js");
  const apps = umbrellaApps(root);
  if (args.app !== undefined) {
    const names = apps?.flatMap((a) => [path.basename(a), readMixProject(path.join(root, a)).app]) ?? [];
    if (apps === undefined) {
      const own = readMixProject(root).app;
      if (own !== args.app) {
        io.stderr(`gen inspect: invalid --app "${args.app}": this project's app is ${own} (--app is for umbrella projects)\n`);
        return 2;
      }
    } else if (!names.includes(args.app)) {
      io.stderr(`gen inspect: invalid --app "${args.app}": the umbrella's apps are ${apps.map((a) => path.basename(a)).join(", ")}\n`);
      return 2;
    }
  }
  const doc = await inspectProject(root, {
    ...(args.app !== undefined && apps !== undefined ? { app: args.app } : {}),
    version: packageVersion(),
    ...(args.upgradeCheck ? { behind: behindCounter(io, generators) } : {}),
  });
  let text: string;
  if (args.format === "json") {
    // The document is checked against its published schema before anyone reads it.
    const { Inspection } = await import("../elixir/inspect/schema.js");
    text = `${JSON.stringify(Inspection.parse(doc), null, 2)}\n`;
  } else {
    const render = await import("../elixir/inspect/render.js");
    text = args.format === "markdown" ? render.renderMarkdown(doc) : render.renderSummary(doc);
  }
  if (out === undefined) {
    io.stdout(text);
    return 0;
  }
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, out);
  io.stdout(`gen inspect: wrote ${path.relative(io.cwd, out) || out} (${args.format}, ${doc.apps.length} app${doc.apps.length === 1 ? "" : "s"}, ${doc.unread.length} unread part${doc.unread.length === 1 ? "" : "s"})\n`);
  return 0;
}
