// `gen inspect`'s two human formats: a short summary (counts per area, for a
// terminal) and Markdown (headings per area, tables, the supervision tree
// as a Mermaid diagram) for a design review.
import { renderMermaid, type SupNode } from "../sup-tree.js";
import type { AppReport, Deployment, Generated, Inspection, Quality } from "./schema.js";

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function countTree(n: AppReport["supervisionTree"]): number {
  return n ? 1 + n.children.reduce((s, c) => s + countTree(c), 0) : 0;
}

const depCount = (a: AppReport): number => Object.values(a.deps).reduce((s, d) => s + d.length, 0);

/** The summary a terminal shows: one line an area, with counts. */
export function renderSummary(doc: Inspection): string {
  const out: string[] = [];
  for (const a of doc.apps) {
    const procs = a.processes.filter((p) => p.kind !== "ets");
    const ets = a.processes.filter((p) => p.kind === "ets");
    const lines: [string, string][] = [
      ["project", `${a.app} ${a.version ?? ""} (${a.module}), Elixir ${a.elixir ?? "(not said)"}, ${plural(depCount(a), "dep")}: ${Object.entries(a.deps).filter(([, d]) => d.length > 0).map(([r, d]) => `${r} ${d.length}`).join(", ")}`.replace("  ", " ")],
      ["supervision tree", a.supervisionTree ? `${plural(countTree(a.supervisionTree) - 1, "child", "children")} under ${a.supervisionTree.id}` : a.applicationModule ? `not read (${a.applicationModule} is not defined under lib/)` : "none (no application module)"],
      ["processes", `${plural(procs.length, "process", "processes")} (${[...new Set(procs.map((p) => p.kind))].join(", ") || "none"}), ${plural(ets.length, "ETS table")}`],
    ];
    if (a.phoenix) {
      const p = a.phoenix;
      const routes = p.routers.reduce((s, r) => s + r.routes.length, 0);
      lines.push(["phoenix", `${plural(p.endpoints.length, "endpoint")}, ${plural(routes, "route")}, ${plural(p.liveViews.length, "LiveView")}, ${plural(p.liveComponents.length, "LiveComponent")}, ${plural(p.channels.length, "channel")}, ${plural(p.presence.length, "Presence", "Presences")}`]);
    }
    if (a.ecto) {
      const e = a.ecto;
      lines.push(["ecto", `${plural(e.repos.length, "repo")}, ${plural(e.schemas.length, "schema")}, ${plural(e.migrations.reduce((s, m) => s + m.count, 0), "migration")}${e.scopes.length ? `, scopes: ${e.scopes.map((s) => s.name).join(", ")}` : ""}`]);
    }
    const d = a.distribution;
    const distParts = [d.libcluster.length && `libcluster ${plural(d.libcluster.length, "topology", "topologies")}`, d.dnsCluster.length && "DNSCluster", d.horde.length && "Horde", d.pg.length && ":pg", d.global.length && ":global", d.singletons.length && plural(d.singletons.length, "singleton")].filter(Boolean);
    lines.push(["distribution", distParts.length ? distParts.join(", ") : "none"]);
    lines.push(["deployment", deploymentLine(a.deployment)]);
    const o = a.observability;
    lines.push(["observability", `${plural(o.emitted.length, "event")} emitted, ${plural(o.attached.length, "handler")} attached, ${plural(o.metrics.length, "metric")}, ${plural(o.reporters.length, "reporter")}`]);
    lines.push(["quality", qualityLine(a.quality)]);
    lines.push(["generated", generatedLine(a.generated)]);
    lines.push(["findings", a.findings.length ? byRule(a.findings) : "none"]);
    out.push(`${a.app}${a.path !== "." ? ` (${a.path})` : ""}`);
    const width = Math.max(...lines.map(([k]) => k.length));
    for (const [k, v] of lines) out.push(`  ${k.padEnd(width)}  ${v}`);
  }
  if (doc.umbrellaRoot) {
    const r = doc.umbrellaRoot;
    out.push("umbrella root");
    out.push(`  deployment  ${deploymentLine(r.deployment)}`);
    out.push(`  quality     ${qualityLine(r.quality)}`);
    out.push(`  generated   ${generatedLine(r.generated)}`);
  }
  out.push(doc.unread.length ? `unread: ${plural(doc.unread.length, "part")} the reader could not read (listed with --json or --markdown)` : "unread: nothing");
  out.push("gen inspect --markdown for the document, --json for scripts and agents (schema: schema/inspect.schema.json in the package)");
  return `${out.join("\n")}\n`;
}

function deploymentLine(d: Deployment): string {
  const parts = [
    d.releases.length && `${plural(d.releases.length, "release")} (${d.releases.map((r) => r.name).join(", ")})`,
    d.dockerfiles.length && `Dockerfile (${d.dockerfiles.map((f) => f.stages.at(-1)?.image ?? "?").join(", ")})`,
    d.kubernetes.length && `${plural(d.kubernetes.length, "Kubernetes object")}`,
    d.health.length && `${plural(d.health.length, "health endpoint")}`,
    d.environment.length && `${plural(new Set(d.environment.map((e) => e.name)).size, "environment variable")} read`,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "none";
}

function qualityLine(q: Quality): string {
  const parts = [
    q.credo && `credo${q.credo.strict ? " (strict)" : ""}`,
    q.dialyzer && "dialyzer",
    q.coverage && `coverage ≥ ${q.coverage.threshold}%`,
    q.sobelow && "sobelow",
    q.precommit && `${q.precommit.alias} alias (${q.precommit.steps.length} steps)`,
    q.ci.length && `CI: ${plural(q.ci.reduce((s, c) => s + c.jobs.length, 0), "job")}`,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "none";
}

function generatedLine(g: Generated): string {
  if (g.runs.length === 0) return "no runs recorded";
  const live = g.runs.filter((r) => !r.undone);
  const behind = live.filter((r) => (r.behind ?? 0) > 0).length;
  const edited = live.reduce((s, r) => s + r.edited, 0);
  return `${plural(live.length, "run")} (${[...new Set(live.map((r) => r.generator))].length} generators), ${plural(edited, "file")} edited since, ${g.behindNote ? "behind the templates: not checked (--upgrade-check)" : `${plural(behind, "run")} behind the templates`}`;
}

function byRule(findings: AppReport["findings"]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${r} ${n}`).join(", ");
}

// --- Markdown ------------------------------------------------------------------

/** A table cell: pipes escaped, newlines flattened, code in backticks. */
const cell = (s: string | number | boolean | undefined): string => (s === undefined || s === "" ? "" : String(s).replace(/\|/g, "\\|").replace(/\n/g, " "));
const code = (s: string | undefined): string => (s === undefined || s === "" ? "" : `\`${s.replace(/`/g, "'").replace(/\|/g, "\\|")}\``);
const at = (x: { file: string; line: number }): string => code(`${x.file}:${x.line}`);

function table(head: string[], rows: string[][]): string[] {
  if (rows.length === 0) return ["(none)", ""];
  return [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`), ""];
}

function toSupNode(n: NonNullable<AppReport["supervisionTree"]>): SupNode {
  return { ...n, kind: n.kind as SupNode["kind"], children: n.children.map(toSupNode) } as SupNode;
}

export function renderMarkdown(doc: Inspection): string {
  const md: string[] = [];
  const title = doc.apps.length === 1 ? doc.apps[0]?.app : `umbrella of ${doc.apps.map((a) => a.app).join(", ")}`;
  md.push(`# Architecture of ${title}`, "", `Read from source by create-otp-app ${doc.tool.version} (\`gen inspect\`, schema version ${doc.schemaVersion}); nothing was compiled or started.`, "");
  for (const a of doc.apps) {
    const h = doc.apps.length > 1 ? "###" : "##";
    if (doc.apps.length > 1) md.push(`## App ${a.app} (${code(a.path)})`, "");
    md.push(`${h} Project`, "", `- App ${code(`:${a.app}`)}, version ${a.version ?? "(not said)"}, module prefix ${code(a.module)}${a.applicationModule ? `, application ${code(a.applicationModule)}` : ""}`, `- Elixir ${code(a.elixir ?? "(not said)")}`, "");
    md.push(...table(["role", "deps"], Object.entries(a.deps).filter(([, d]) => d.length > 0).map(([role, deps]) => [role, deps.map((d) => `${code(d.name)}${d.requirement ? ` ${cell(d.requirement)}` : ""}${d.only ? ` (only ${cell(d.only)})` : ""}${d.inUmbrella ? " (in umbrella)" : ""}`).join(", ")])));
    md.push(`${h} Supervision tree`, "");
    if (a.supervisionTree) md.push("```mermaid", renderMermaid([toSupNode(a.supervisionTree)]).trimEnd(), "```", "", ...table(["child", "kind", "under", "restart", "shutdown", "where"], flatTree(a.supervisionTree).map(({ n, parent }) => [code(n.id), n.kind, parent ? code(parent) : "", cell(n.restart), cell(n.shutdown), at(n)])));
    else md.push(a.applicationModule ? `Not read: ${code(a.applicationModule)} is not defined under \`lib/\`.` : "No application module (no `mod:` in `application/0`).", "");
    md.push(`${h} Processes`, "", ...table(["kind", "module", "name", "supervised by", "ETS access / owner", "where"], a.processes.map((p) => [p.kind, code(p.module), code(p.name), code(p.supervisedBy), p.kind === "ets" ? cell(`${p.access ?? ""} ${p.tableType ?? ""}; ${p.owner ?? ""}`) : "", at(p)])));
    if (a.phoenix) {
      const p = a.phoenix;
      md.push(`${h} Phoenix`, "");
      for (const e of p.endpoints) {
        md.push(`Endpoint ${code(e.module)} (${at(e)}), plugs in order:`, "", ...table(["#", "plug", "options", "only when"], e.plugs.map((x, i) => [String(i + 1), code(x.plug), code(x.options), cell(x.conditional)])));
        if (e.sockets.length) md.push(...table(["socket", "module"], e.sockets.map((s) => [code(s.path), code(s.module)])));
      }
      for (const r of p.routers) {
        md.push(`Router ${code(r.module)} (${at(r)})`, "", ...table(["pipeline", "plugs"], r.pipelines.map((x) => [code(`:${x.name}`), x.plugs.map((y) => code(y.plug)).join(", ")])));
        md.push(...table(["verb", "path", "to", "pipelines", "live_session", "only when", "where"], r.routes.map((x) => [x.verb, code(x.path), `${code(x.target)}${x.action ? ` ${code(`:${x.action}`)}` : ""}`, x.pipelines.map((y) => code(`:${y}`)).join(", "), cell(x.liveSession), code(x.conditional), at(x)])));
        if (r.liveSessions.length) md.push(...table(["live_session", "on_mount", "LiveViews"], r.liveSessions.map((s) => [code(`:${s.name}`), s.onMount.map(code).join(", "), s.liveViews.map(code).join(", ")])));
      }
      md.push(...table(["LiveView", "routes", "where"], p.liveViews.map((l) => [code(l.module), l.routes.map(code).join(", "), at(l)])));
      if (p.liveComponents.length) md.push(...table(["LiveComponent", "where"], p.liveComponents.map((l) => [code(l.module), at(l)])));
      if (p.channels.length) md.push(...table(["channel", "topics", "socket", "where"], p.channels.map((ch) => [code(ch.module), ch.topics.map(code).join(", "), code(ch.socket), at(ch)])));
      if (p.presence.length) md.push(...table(["Presence", "PubSub", "where"], p.presence.map((x) => [code(x.module), code(x.pubsub), at(x)])));
      md.push(`PubSub: ${p.pubsub.servers.map((s) => code(s.name)).join(", ") || "no server in the tree"}; ${plural(p.pubsub.broadcasts.length, "broadcast")} and ${plural(p.pubsub.subscriptions.length, "subscription")} in the code (topics: ${[...new Set([...p.pubsub.broadcasts, ...p.pubsub.subscriptions].map((b) => b.topic))].slice(0, 12).map(code).join(", ") || "none"}).`, "");
    }
    if (a.ecto) {
      const e = a.ecto;
      md.push(`${h} Ecto`, "", ...table(["repo", "adapter", "where"], e.repos.map((r) => [code(r.module), code(r.adapter), at(r)])));
      md.push(...table(["schema", "source", "fields", "associations", "where"], e.schemas.map((s) => [code(s.module), s.embedded ? "(embedded)" : code(s.source), s.fields.map((f) => `${f.name} ${cell(f.type)}`).join(", "), s.associations.map((x) => `${x.kind} ${x.name} → ${cell(x.target)}`).join(", "), at(s)])));
      md.push(...e.migrations.map((m) => `- Migrations in ${code(m.dir)}: ${m.count}${m.latest ? `, latest ${code(m.latest)}` : ""}`), "");
      if (e.scopes.length) md.push(...table(["scope", "default", "module", "assign"], e.scopes.map((s) => [code(`:${s.name}`), s.default ? "yes" : "", code(s.module), code(`@${s.assignKey}`)])));
    }
    md.push(`${h} Distribution`, "", ...distributionTable(a.distribution));
    md.push(`${h} Deployment`, "", ...deploymentMd(a.deployment));
    const o = a.observability;
    md.push(`${h} Observability`, "", ...table(["", "what", "where"], [
      ...o.emitted.map((x) => ["emits", `${code(x.event)} (${x.how})`, at(x)]),
      ...o.attached.map((x) => ["attaches", `${code(x.events)} as ${code(x.handler)}`, at(x)]),
      ...o.metrics.map((x) => ["metric", `${x.type} ${code(x.name)}`, at(x)]),
      ...o.reporters.map((x) => ["reporter", code(x.what), at(x)]),
      ...o.loggerMetadata.map((x) => ["Logger metadata", code(x.keys), at(x)]),
    ]));
    md.push(`${h} Quality gates`, "", ...qualityMd(a.quality));
    md.push(`${h} Generated code`, "", ...generatedMd(a.generated));
    md.push(`${h} Findings`, "", ...table(["rule", "finding", "where"], a.findings.map((f) => [code(f.rule), cell(f.message), f.file && f.line ? at({ file: f.file, line: f.line }) : ""])));
  }
  if (doc.umbrellaRoot) {
    const r = doc.umbrellaRoot;
    md.push("## Umbrella root", "", "### Deployment", "", ...deploymentMd(r.deployment), "### Quality gates", "", ...qualityMd(r.quality), "### Distribution (shared config)", "", ...distributionTable(r.distribution), "### Generated code", "", ...generatedMd(r.generated));
  }
  md.push("## Not read", "", "What the reader could not read, and why: check these by hand.", "", ...table(["area", "what", "where", "why"], doc.unread.map((u) => [u.area, code(u.what), code(u.line ? `${u.file}:${u.line}` : u.file), cell(u.reason)])));
  return `${md.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}

function flatTree(n: NonNullable<AppReport["supervisionTree"]>, parent?: string): { n: NonNullable<AppReport["supervisionTree"]>; parent: string | undefined }[] {
  return [{ n, parent }, ...n.children.flatMap((c) => flatTree(c, n.id))];
}

function distributionTable(d: AppReport["distribution"]): string[] {
  return table(["", "what", "where"], [
    ...d.libcluster.map((x) => ["libcluster", `${code(x.topology)}: ${code(x.strategy)} (${x.env})`, at(x)]),
    ...d.dnsCluster.map((x) => ["DNSCluster", code(x.query), at(x)]),
    ...d.horde.map((x) => ["Horde", cell(x.what), at(x)]),
    ...d.pg.map((x) => [":pg", code(x.what), at(x)]),
    ...d.global.map((x) => [":global", code(x.what), at(x)]),
    ...d.singletons.map((x) => ["singleton", `${code(x.module)}: ${cell(x.how)}`, at(x)]),
  ]);
}

function deploymentMd(d: Deployment): string[] {
  return [
    ...table(["release", "settings", "where"], d.releases.map((r) => [code(r.name), r.settings.map(code).join(", "), at(r)])),
    ...d.dockerfiles.flatMap((f) => [`- ${code(f.file)}: ${f.stages.map((s) => `${code(s.image)}${s.name ? ` as ${s.name}` : ""}`).join(" → ")}${f.expose.length ? `; EXPOSE ${f.expose.join(" ")}` : ""}${f.cmd ? `; CMD ${code(f.cmd)}` : ""}`]),
    "",
    ...table(["kind", "name", "replicas", "probes", "resources", "file"], d.kubernetes.map((k) => [k.kind, code(k.name), cell(k.replicas), Object.entries(k.probes ?? {}).map(([n, p]) => `${n}: ${cell(p.detail)}`).join("; "), k.resources ? cell(JSON.stringify(k.resources)) : "", code(k.file)])),
    ...table(["health endpoint", "via", "where"], d.health.map((x) => [code(x.path), cell(x.via), at(x)])),
    ...table(["environment variable", "required", "default", "config", "where"], d.environment.map((e) => [code(e.name), e.required ? "yes" : "", code(e.default), e.env, at(e)])),
    ...d.other.map((o) => `- ${code(o.file)}: ${o.what}`),
    "",
  ];
}

function qualityMd(q: Quality): string[] {
  const rows: string[][] = [];
  if (q.credo) rows.push(["credo", `${q.credo.strict === undefined ? "" : q.credo.strict ? "strict" : "not strict"}${q.credo.checks ? `, ${q.credo.checks} checks configured` : ""}`, code(q.credo.file)]);
  if (q.dialyzer) rows.push(["dialyzer", q.dialyzer.settings.map(code).join(", "), at(q.dialyzer)]);
  if (q.coverage) rows.push(["coverage", `≥ ${q.coverage.threshold}% through ${cell(q.coverage.via)}`, code(q.coverage.file)]);
  if (q.formatter) rows.push(["formatter", `import_deps ${q.formatter.importDeps.map(code).join(", ") || "none"}; plugins ${q.formatter.plugins.map(code).join(", ") || "none"}`, code(q.formatter.file)]);
  if (q.sobelow) rows.push(["sobelow", "configured", code(q.sobelow.file)]);
  if (q.precommit) rows.push([`${q.precommit.alias} alias`, q.precommit.steps.map(code).join(" → "), at(q.precommit)]);
  for (const c of q.ci) for (const j of c.jobs) rows.push([`CI job ${cell(j.name)}`, j.steps.map(cell).join(" → "), code(c.file)]);
  return [...table(["gate", "what", "where"], rows), ...(q.aliases.length ? [`Mix aliases: ${q.aliases.map(code).join(", ")}`, ""] : [])];
}

function generatedMd(g: Generated): string[] {
  return [
    ...table(["run", "command", "version", "files", "edited since", "behind the templates"], g.runs.map((r) => [code(r.id), code(r.command), r.version, String(r.files), r.undone ? "(undone)" : String(r.edited), r.undone ? "" : r.behind === undefined ? cell(g.behindNote) : String(r.behind)])),
  ];
}
