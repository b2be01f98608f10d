// `gen inspect`: a project's architecture read from source, as one document
// (schema.ts). Each app of an umbrella is read from its own folder; the
// umbrella's root (config, CI, deployment, runs) once. Nothing is compiled
// or started. Needs `loadReader()` first.
import path from "node:path";
import { readRuns, type RunRecord } from "../../core/manifest.js";
import { migrationsDir } from "../ecto.js";
import { libSources, readMixProject, umbrellaApps, umbrellaRootProject, type MixProject } from "../project.js";
import { TreeReader, type SupNode } from "../sup-tree.js";
import { distribution, ecto, environmentInCode, observability, phoenix, processes } from "./code.js";
import { Files } from "./common.js";
import { otherDeployFiles, readCi, readConfig, readCredo, readDockerfiles, readFormatter, readKubernetes, readMigrations, readMix, readScopes, readSobelow } from "./files.js";
import { SCHEMA_VERSION } from "./version.js";
import type { AppReport, Deployment, Distribution, Generated, Inspection, Quality, SupTreeNode, UnreadItem } from "./schema.js";

export interface InspectOptions {
  /** One app of an umbrella (its folder name or app name). */
  app?: string;
  version: string;
  /** For each run of the project at `root`: how many of its files today's templates would change. Left out: not re-planned. */
  behind?: (root: string, project: MixProject, runs: RunRecord[]) => Promise<Map<string, number>>;
}

const posix = (p: string): string => p.split(path.sep).join("/");

function toTree(n: SupNode, files: Files): SupTreeNode {
  return {
    id: n.id,
    kind: n.kind,
    file: files.rel(n.file),
    line: n.line,
    settings: n.settings,
    ...(n.name !== undefined ? { name: n.name } : {}),
    ...(n.childId !== undefined ? { childId: n.childId } : {}),
    ...(n.restart !== undefined ? { restart: n.restart } : {}),
    ...(n.shutdown !== undefined ? { shutdown: n.shutdown } : {}),
    ...(n.note !== undefined ? { note: n.note } : {}),
    children: n.children.map((c) => toTree(c, files)),
  };
}

const flatNodes = (n: SupNode): SupNode[] => [n, ...n.children.flatMap(flatNodes)];

/** The parts of the tree the reader could not follow, as unread items. */
function treeUnread(n: SupNode, files: Files): void {
  if (n.kind === "computed") files.unread.push({ area: "supervision tree", file: files.rel(n.file), line: n.line, what: n.id.length > 70 ? `${n.id.slice(0, 67)}...` : n.id, reason: "a child list or child computed at run time (a function of config or a conditional); its children are not known" });
  if (n.optionsComputed) files.unread.push({ area: "supervision tree", file: files.rel(n.file), line: n.line, what: `${n.id}'s options: ${n.optionsComputed}`, reason: "the child's options are computed, so the name it registers (and its settings) are not known" });
  if (n.note && /does not call/.test(n.note)) files.unread.push({ area: "supervision tree", file: files.rel(n.file), line: n.line, what: n.id, reason: n.note });
  for (const c of n.children) treeUnread(c, files);
}

async function generated(files: Files, project: MixProject | undefined, opts: InspectOptions): Promise<Generated> {
  const runs = readRuns(files.root);
  const out: Generated = { runs: [] };
  let behind: Map<string, number> | undefined;
  if (runs.length > 0 && opts.behind && project) {
    try {
      behind = await opts.behind(files.root, project, runs);
    } catch (err) {
      out.behindNote = `not re-planned: ${(err as Error).message}`;
    }
  } else if (runs.length > 0) out.behindNote = "not re-planned (--upgrade-check re-plans each run, as gen status does)";
  const { fileStatus } = await import("../../core/lifecycle.js");
  for (const r of runs) {
    let edited = 0;
    for (const f of r.undone ? [] : r.files) if (!["as written", "changed by later runs"].includes((await fileStatus(files.root, runs, r, f)).state)) edited++;
    const b = behind?.get(r.id);
    out.runs.push({ id: r.id, generator: r.generator, command: r.command, version: r.version, at: r.at, undone: r.undone !== undefined, files: r.files.length, edited, ...(b !== undefined ? { behind: b } : {}) });
  }
  return out;
}

function deployment(files: Files, releases: Deployment["releases"], environment: Deployment["environment"], health: Deployment["health"]): Deployment {
  return { releases, dockerfiles: readDockerfiles(files), kubernetes: readKubernetes(files), health, environment, other: otherDeployFiles(files) };
}

function quality(files: Files, mix: ReturnType<typeof readMix>): Quality {
  const q: Quality = { aliases: mix.aliases, ci: readCi(files) };
  const credo = readCredo(files);
  const formatter = readFormatter(files);
  const sobelow = readSobelow(files);
  if (credo) q.credo = credo;
  if (mix.dialyzer) q.dialyzer = mix.dialyzer;
  if (mix.coverage) q.coverage = mix.coverage;
  if (formatter) q.formatter = formatter;
  if (sobelow) q.sobelow = sobelow;
  if (mix.precommit) q.precommit = mix.precommit;
  return q;
}

// A path that names a probe: /health, /healthz, /api/ready, /livez, /ping (not /live, a LiveView's usual path, or /status).
const HEALTH = /(^|\/)_?(health|healthz|healthcheck|health_check|health-check|ready|readyz|readiness|livez|liveness|ping)(\/|$)/i;

async function inspectApp(root: string, prefix: string, unread: UnreadItem[], opts: InspectOptions): Promise<AppReport> {
  const files = new Files(root, prefix, unread);
  const project = readMixProject(root);
  const mix = readMix(files);
  const sources = libSources(root);
  // Each lib file parsed once: the tree reader's index is what every code reader walks.
  for (const f of sources.files) files.tree(f, "code");
  const parsed = { files: sources.files, read: (f: string) => files.read(f), tree: (f: string) => files.tree(f, "code") };
  const reader = new TreeReader(parsed);
  const sup = project.appModule ? reader.application(project.appModule) : undefined;
  if (sup) treeUnread(sup, files);
  if (!project.appModule) files.note("supervision tree", "mix.exs", undefined, "application/0", "no mod: in application/0, so the app starts no supervision tree of its own");
  else if (!sup) files.note("supervision tree", "mix.exs", undefined, `mod: {${project.appModule}, _}`, `the application module ${project.appModule} is not defined under lib/ (defined elsewhere, or generated by a macro), so its tree is not read`);
  const c = { files, index: reader.index, tree: sup, startName: (i: Parameters<TreeReader["startName"]>[0]) => reader.startName(i) };
  const configDir = posix(path.relative(root, path.dirname(project.configFile)));
  // An umbrella app's config is the umbrella's (config_path: "../../config/..."): read once, at the root.
  const config = configDir.startsWith("..") ? { libcluster: [], loggerMetadata: [], environment: [] } : readConfig(files, configDir);
  // One area that fails to read does not take the document with it: it is listed as unread, with the error.
  const guard = <T>(area: string, read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (err) {
      files.unread.push({ area, file: prefix === "" ? "." : prefix.replace(/\/$/, ""), what: `the ${area} area`, reason: `the reader failed here (please report it): ${(err as Error).message.split("\n")[0]}` });
      return fallback;
    }
  };
  const ph = guard("phoenix", () => phoenix(c), { endpoints: [], routers: [], liveViews: [], liveComponents: [], channels: [], presence: [], pubsub: { servers: [], broadcasts: [], subscriptions: [] } });
  const isPhoenix = project.phoenix || ph.endpoints.length > 0 || ph.routers.length > 0;
  const ec = guard("ecto", () => ecto(c), { repos: [], schemas: [] });
  const isEcto = project.ecto || ec.repos.length > 0 || ec.schemas.length > 0;
  const dist = guard("distribution", () => distribution(c), { libcluster: [], dnsCluster: [], horde: [], pg: [], global: [], singletons: [] });
  const obs = guard("observability", () => observability(c), { emitted: [], attached: [], metrics: [], reporters: [], loggerMetadata: [] });
  const health: Deployment["health"] = [
    ...ph.routers.flatMap((r) => r.routes.filter((x) => HEALTH.test(x.path)).map((x) => ({ path: x.path, via: `${r.module}: ${x.verb} ${x.target}${x.action ? ` :${x.action}` : ""}`, file: x.file, line: x.line }))),
    ...ph.endpoints.flatMap((e) => e.plugs.filter((p) => /Health|Readiness|Liveness|Probe/.test(p.plug)).map((p) => ({ path: p.path ?? "(the plug's own)", via: `${e.module}: plug ${p.plug}`, file: p.file, line: p.line }))),
  ];
  // libcluster started with topologies the reader found nowhere: which strategy runs is decided at run time.
  const clusterSup = sup ? flatNodes(sup).find((n) => n.id === "Cluster.Supervisor") : undefined;
  if (clusterSup && config.libcluster.length === 0 && dist.libcluster.length === 0) {
    files.unread.push({ area: "distribution", file: files.rel(clusterSup.file), line: clusterSup.line, what: "Cluster.Supervisor", reason: "its topologies are passed at run time and written in no config file or module the reader sees; which strategy runs is not known" });
  }
  const deploymentFiles = deployment(files, mix.releases, config.environment, health);
  // The Kubernetes probes' HTTP paths are health endpoints too (a release's own health server, not the router).
  for (const k of deploymentFiles.kubernetes) {
    for (const [which, p] of Object.entries(k.probes ?? {})) {
      if (p.path !== undefined) deploymentFiles.health.push({ path: p.path, via: `${k.kind} ${k.name}: ${which} probe`, file: k.file, line: p.line ?? 1 });
    }
  }
  const { otpLints } = await import("../otp-lints.js");
  const { opsProblems } = await import("../ops.js");
  const runtime = posix(path.relative(root, path.join(path.dirname(project.configFile), "runtime.exs")));
  const lints = guard("findings", () => otpLints(parsed, project.appModule, reader, sup), []);
  const ops = await opsProblems(root, project.app, runtime);
  const report: AppReport = {
    app: project.app,
    path: prefix === "" ? "." : prefix.replace(/\/$/, ""),
    module: project.module,
    ...(project.appModule ? { applicationModule: project.appModule } : {}),
    ...(mix.version ? { version: mix.version } : {}),
    ...(mix.elixir ? { elixir: mix.elixir } : {}),
    deps: mix.deps,
    supervisionTree: sup ? toTree(sup, files) : null,
    processes: guard("processes", () => processes(c), []),
    distribution: { ...dist, libcluster: [...config.libcluster, ...dist.libcluster] },
    deployment: { ...deploymentFiles, environment: [...deploymentFiles.environment, ...guard("deployment", () => environmentInCode(c), [])] },
    observability: { ...obs, loggerMetadata: [...config.loggerMetadata, ...obs.loggerMetadata] },
    quality: quality(files, mix),
    generated: await generated(files, project, opts),
    findings: [
      ...lints.map((f) => ({ rule: f.rule, message: f.message, file: files.rel(f.file), line: f.line })),
      ...ops.map((p) => ({ rule: "release-and-cluster-files", message: p })),
    ],
  };
  if (isPhoenix) report.phoenix = ph;
  if (isEcto) {
    const configFile = posix(path.relative(root, project.configFile));
    report.ecto = { ...ec, migrations: readMigrations(files, ec.repos, migrationsDir), scopes: await readScopes(files, configFile, project.app) };
  }
  return report;
}

/** The document for the Mix project at `root` (each app of an umbrella, or the one named by `opts.app`). */
export async function inspectProject(root: string, opts: InspectOptions): Promise<Inspection> {
  const unread: UnreadItem[] = [];
  const apps = umbrellaApps(root);
  const out: Inspection = { schemaVersion: SCHEMA_VERSION, tool: { name: "create-otp-app", version: opts.version }, root: ".", umbrella: apps !== undefined, apps: [], unread };
  if (apps === undefined) {
    out.apps.push(await inspectApp(root, "", unread, opts));
    return out;
  }
  // --app: the app's folder name, or its app name where the folder is named otherwise.
  const chosen = opts.app === undefined ? apps : apps.filter((a) => path.basename(a) === opts.app || readMixProject(path.join(root, a)).app === opts.app);
  for (const a of chosen) out.apps.push(await inspectApp(path.join(root, a), `${posix(a)}/`, unread, opts));
  // The umbrella's own root: its mix.exs, shared config, CI, deployment and runs.
  const files = new Files(root, "", unread);
  const mix = readMix(files);
  const config = readConfig(files, "config");
  const dist: Distribution = { libcluster: config.libcluster, dnsCluster: [], horde: [], pg: [], global: [], singletons: [] };
  out.umbrellaRoot = {
    deployment: deployment(files, mix.releases, config.environment, []),
    quality: quality(files, mix),
    generated: await generated(files, umbrellaRootProject(root), opts),
    distribution: dist,
    observability: { emitted: [], attached: [], metrics: [], reporters: [], loggerMetadata: config.loggerMetadata },
  };
  return out;
}

