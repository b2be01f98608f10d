// `gen inspect`'s readers of a project's other files: mix.exs (deps by role,
// releases, aliases, Dialyzer, coverage), config/*.exs (libcluster, Logger
// metadata, Phoenix scopes, what runtime.exs reads from the environment),
// Dockerfiles, Kubernetes YAML, CI workflows, credo, the formatter, and the
// manifest of generated runs. Elixir by syntax, YAML with the yaml library,
// the Dockerfile by line (its syntax is line-based).
import path from "node:path";
import { LineCounter, parseAllDocuments } from "yaml";
import { mixProjectOf } from "../project.js";
import { callName, callReceiver, codeChildren, findAll, findCalls, functions, bodyExpressions, type Node } from "../reader.js";
import { list, obj } from "../ops.js";
import { atomText, configCalls, configFiles, environmentReads, oneLine, pairKey, pairs, stringOrText, stringValue, topologies, valueOf, type Files } from "./common.js";
import type { DepItem, DepRole, Deployment, Distribution, EctoReport, Observability, Quality } from "./schema.js";

// --- mix.exs -------------------------------------------------------------------

const ROLES: [DepRole, RegExp][] = [
  ["web", /^(phoenix.*|plug.*|bandit|cowboy.*|websock.*|esbuild|tailwind|heroicons|daisyui|absinthe.*|gettext|swoosh|finch|req|tesla|httpoison|mint|dns_cluster_off|floki|lazy_html|live_.*)$/],
  ["data", /^(ecto.*|postgrex|myxql|exqlite|tds|redix|cachex|nebulex.*|con_cache|mnesia.*|jason|decimal|ex_aws.*|mongodb.*)$/],
  ["processing", /^(oban.*|broadway.*|flow|gen_stage|quantum|nimble_pool|poolboy|exq|verk|rihanna)$/],
  ["distribution", /^(libcluster|horde|delta_crdt|dns_cluster|swarm|syn|pg2|partisan|ra|highlander|libring)$/],
  ["observability", /^(telemetry.*|opentelemetry.*|otel_.*|prom_ex|sentry|appsignal|new_relic.*|honeybadger|logger_.*|spandex.*|logflare.*|recon|observer_cli)$/],
  ["quality", /^(credo.*|dialyxir|excoveralls|mix_test_watch|sobelow|ex_doc|stream_data|benchee.*|mox|mimic|ex_machina|bypass|wallaby|hound|floki_test|junit_formatter|doctor|mix_audit|styler|propcheck|faker)$/],
];

function roleOf(name: string): DepRole {
  return ROLES.find(([, re]) => re.test(name))?.[0] ?? "other";
}

export interface MixInfo {
  version?: string;
  elixir?: string;
  deps: Record<DepRole, DepItem[]>;
  releases: Deployment["releases"];
  dialyzer?: Quality["dialyzer"];
  coverage?: Quality["coverage"];
  precommit?: Quality["precommit"];
  aliases: string[];
}

/** A keyword-valued entry of project/0: `key: [...]` or `key: key()` (a function of the module returning the list). */
function projectList(mix: NonNullable<ReturnType<typeof mixProjectOf>>, value: Node | undefined, files: Files, area: string, what: string): Node | undefined {
  if (!value) return undefined;
  if (value.type === "list" || value.type === "keywords") return value;
  const fn = value.type === "call" && !callReceiver(value) ? callName(value) : value.type === "identifier" ? value.text : undefined;
  const def = fn ? [...functions(mix.body, fn, 0), ...functions(mix.body, fn, undefined)][0] : undefined;
  const returned = def ? bodyExpressions(def).pop() : undefined;
  if (returned?.type === "list") return returned;
  files.note(area, "mix.exs", value, what, "computed in mix.exs; not read");
  return undefined;
}

export function readMix(files: Files): MixInfo {
  const empty = (): Record<DepRole, DepItem[]> => ({ web: [], data: [], processing: [], distribution: [], observability: [], quality: [], other: [] });
  const out: MixInfo = { deps: empty(), releases: [], aliases: [] };
  const source = files.read("mix.exs");
  if (source === undefined) return out;
  files.tree("mix.exs", "project");
  const mix = mixProjectOf(source);
  if (!mix) {
    files.note("project", "mix.exs", undefined, "mix.exs", "no module with a project/0 function");
    return out;
  }
  out.version = stringValue(mix.project.get("version")) ?? (mix.project.get("version") ? oneLine(mix.project.get("version")?.text ?? "") : undefined);
  const elixir = mix.project.get("elixir");
  if (elixir) out.elixir = stringOrText(elixir);
  for (const d of mix.deps) {
    if (d.type !== "tuple") {
      files.note("project", "mix.exs", d, oneLine(d.text, 60), "a dependency that is not a {:name, ...} tuple");
      continue;
    }
    const [name, second, third] = codeChildren(d);
    if (name?.type !== "atom") continue;
    const opts = second?.type === "keywords" || second?.type === "list" ? second : third;
    const item: DepItem = { name: name.text.slice(1) };
    if (second?.type === "string") item.requirement = stringValue(second) ?? second.text;
    const only = valueOf(opts, "only");
    if (only) item.only = oneLine(only.text, 40);
    if (valueOf(opts, "runtime")?.text === "false") item.runtime = false;
    if (valueOf(opts, "in_umbrella")?.text === "true") item.inUmbrella = true;
    out.deps[roleOf(item.name)].push(item);
  }
  const releases = projectList(mix, mix.project.get("releases"), files, "deployment", "releases:");
  for (const p of pairs(releases)) {
    const settings = pairs(p.childForFieldName("value") ?? undefined).map((s) => `${pairKey(s)}: ${oneLine(s.childForFieldName("value")?.text ?? "", 160)}`);
    out.releases.push({ name: pairKey(p), settings, ...files.loc("mix.exs", p) });
  }
  const dialyzer = mix.project.get("dialyzer");
  const dialyzerList = projectList(mix, dialyzer, files, "quality", "dialyzer:");
  if (dialyzer) {
    const settings = pairs(dialyzerList).map((s) => `${pairKey(s)}: ${oneLine(s.childForFieldName("value")?.text ?? "", 60)}`);
    const ignore = stringValue(valueOf(dialyzerList, "ignore_warnings")) ?? (files.exists(".dialyzer_ignore.exs") ? ".dialyzer_ignore.exs" : undefined);
    out.dialyzer = { settings, ...(ignore ? { ignoreFile: files.rel(ignore) } : {}), ...files.loc("mix.exs", dialyzer) };
  }
  // `test_coverage: [...]`, or `test_coverage: test_coverage()` (create-otp-app --phoenix writes a function).
  const coverage = projectList(mix, mix.project.get("test_coverage"), files, "quality", "test_coverage:");
  const threshold = valueOf(valueOf(coverage, "summary"), "threshold");
  if (threshold && /^\d+(\.\d+)?$/.test(threshold.text)) out.coverage = { threshold: Number(threshold.text), via: "mix test --cover (test_coverage: [summary: [threshold: ...]])", file: files.rel("mix.exs") };
  else if (valueOf(coverage, "tool")?.text === "ExCoveralls") {
    let min: unknown;
    try {
      min = obj(obj(JSON.parse(files.read("coveralls.json") ?? "{}")).coverage_options).minimum_coverage;
    } catch {
      files.note("quality", "coveralls.json", undefined, "coveralls.json", "not valid JSON");
    }
    if (typeof min === "number") out.coverage = { threshold: min, via: "excoveralls (coveralls.json minimum_coverage)", file: files.rel("coveralls.json") };
  }
  const aliases = projectList(mix, mix.project.get("aliases"), files, "quality", "aliases:");
  for (const p of pairs(aliases)) {
    const name = pairKey(p).replace(/^"|"$/g, "");
    out.aliases.push(name);
    if (name === "precommit" || name === "ci" || name === "check") {
      const v = p.childForFieldName("value");
      const steps = v?.type === "list" ? codeChildren(v).map((s) => stringOrText(s)) : v ? [oneLine(v.text, 60)] : [];
      if (!out.precommit || name === "precommit") out.precommit = { alias: name, steps, ...files.loc("mix.exs", p) };
    }
  }
  return out;
}

// --- config/*.exs --------------------------------------------------------------

export interface ConfigInfo {
  libcluster: Distribution["libcluster"];
  loggerMetadata: Observability["loggerMetadata"];
  environment: Deployment["environment"];
}

/** What the config files say: libcluster topologies by env, Logger metadata, and the environment variables runtime.exs reads. */
export function readConfig(files: Files, configDir: string): ConfigInfo {
  const out: ConfigInfo = { libcluster: [], loggerMetadata: [], environment: [] };
  for (const { file, env } of configFiles(files, configDir)) {
    const tree = files.tree(file, "config");
    if (!tree) continue;
    // libcluster topologies, wherever the config puts them (`config :libcluster, topologies: ...`, an app's own key): each `strategy: Cluster.Strategy.X`.
    for (const t of topologies(tree.rootNode.descendantsOfType("pair").filter((n): n is Node => n !== null))) {
      out.libcluster.push({ topology: t.topology, strategy: t.strategy, env, ...files.loc(file, t.at) });
    }
    for (const { call } of configCalls(tree, "logger")) {
      for (const m of findAll(call, (n) => n.type === "pair" && pairKey(n) === "metadata")) {
        out.loggerMetadata.push({ keys: oneLine(m.childForFieldName("value")?.text ?? "", 80), ...files.loc(file, m) });
      }
    }
    for (const { at, ...read } of environmentReads(findCalls(tree.rootNode))) out.environment.push({ ...read, env, ...files.loc(file, at) });
  }
  return out;
}

/** Phoenix 1.8 scopes (mix phx.gen.auth's `config :app, :scopes`); a form the reader cannot take is listed as unread. */
export async function readScopes(files: Files, configFile: string, app: string): Promise<EctoReport["scopes"]> {
  const source = files.read(configFile);
  if (source === undefined || !source.includes(":scopes")) return [];
  const { readScopesConfig, toScope, ConfigReadError } = await import("../scopes.js");
  try {
    return readScopesConfig(source, app, files.rel(configFile)).map(([name, opts]) => {
      if (opts.t !== "kw") throw new ConfigReadError(`${files.rel(configFile)}: scope :${name} is not a keyword list of options`);
      const s = toScope(name, opts.v, files.rel(configFile));
      return { name: s.name, default: s.default, module: s.module, assignKey: s.assignKey, file: files.rel(configFile) };
    });
  } catch (err) {
    if (!(err instanceof ConfigReadError)) throw err;
    files.note("ecto", configFile, undefined, "config :scopes", err.message);
    return [];
  }
}

// --- Deployment files ------------------------------------------------------------

const KUBE_DIRS = ["k8s", "kubernetes", "kube", "deploy", "deployment", "deployments", "manifests", ".k8s", "infra", "ops", "helm", "charts"];


function probe(p: unknown): { kind: string; detail: string; path?: string } | undefined {
  const o = obj(p);
  if (Object.keys(o).length === 0) return undefined;
  const timing = ["initialDelaySeconds", "periodSeconds", "failureThreshold", "timeoutSeconds"].filter((k) => o[k] !== undefined).map((k) => `${k} ${String(o[k])}`);
  const http = obj(o.httpGet);
  if (Object.keys(http).length > 0) return { kind: "httpGet", detail: [`${String(http.path ?? "/")} on ${String(http.port ?? "?")}`, ...timing].join(", "), path: String(http.path ?? "/") };
  if (o.tcpSocket) return { kind: "tcpSocket", detail: [`port ${String(obj(o.tcpSocket).port ?? "?")}`, ...timing].join(", ") };
  if (o.exec) return { kind: "exec", detail: [list(obj(o.exec).command).join(" "), ...timing].join(", ") };
  if (o.grpc) return { kind: "grpc", detail: [`port ${String(obj(o.grpc).port ?? "?")}`, ...timing].join(", ") };
  return { kind: "other", detail: JSON.stringify(o) };
}

const strings = (v: unknown): Record<string, string> | undefined => {
  const o = obj(v);
  const keys = Object.keys(o);
  return keys.length === 0 ? undefined : Object.fromEntries(keys.map((k) => [k, String(o[k])]));
};

export function readKubernetes(files: Files): Deployment["kubernetes"] {
  const out: Deployment["kubernetes"] = [];
  const yamls = KUBE_DIRS.flatMap((d) => files.list(d, (n) => /\.ya?ml$/.test(n), (n) => n === "node_modules"));
  for (const file of yamls) {
    const text = files.read(file) ?? "";
    if (/\{\{/.test(text)) {
      files.note("deployment", file, undefined, "the file", "a template (Helm or similar): its objects exist only once rendered");
      continue;
    }
    const lines = new LineCounter();
    let docs: ReturnType<typeof parseAllDocuments> extends infer D ? (D extends unknown[] ? D : never) : never;
    try {
      docs = parseAllDocuments(text, { lineCounter: lines });
    } catch {
      docs = [];
    }
    for (const doc of docs) {
      if (doc.errors.length > 0) {
        files.unread.push({ area: "deployment", file: files.rel(file), what: "a YAML document", reason: `not valid YAML: ${doc.errors[0]?.message.split("\n")[0] ?? ""}` });
        continue;
      }
      const o = obj(doc.toJS());
      if (typeof o.kind !== "string" || typeof o.apiVersion !== "string") continue;
      const spec = obj(o.spec);
      const pod = obj(obj(obj(spec.template).spec));
      const containers = list(pod.containers).map(obj);
      const main = containers[0];
      const entry: Deployment["kubernetes"][number] = { file: files.rel(file), kind: o.kind, name: String(obj(o.metadata).name ?? "?") };
      if (typeof spec.replicas === "number") entry.replicas = spec.replicas;
      if (main) {
        const probes: NonNullable<typeof entry.probes> = {};
        for (const which of ["liveness", "readiness", "startup"] as const) {
          const p = probe(main[`${which}Probe`]);
          if (!p) continue;
          // The line of its httpGet path, from the parser's own positions.
          const node = doc.getIn(["spec", "template", "spec", "containers", 0, `${which}Probe`, "httpGet", "path"], true) as { range?: [number, number, number] } | undefined;
          probes[which] = node?.range ? { ...p, line: lines.linePos(node.range[0]).line } : p;
        }
        entry.probes = probes;
        const res = obj(main.resources);
        const requests = strings(res.requests);
        const limits = strings(res.limits);
        entry.resources = { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
      }
      out.push(entry);
    }
  }
  return out;
}

/** Dockerfiles at the root: each stage's base image (ARG defaults substituted), EXPOSE, and the command. */
export function readDockerfiles(files: Files): Deployment["dockerfiles"] {
  const out: Deployment["dockerfiles"] = [];
  for (const file of files.list("", (n) => /^Dockerfile(\..+)?$|\.Dockerfile$/i.test(n), () => true)) {
    const text = files.read(file) ?? "";
    const args = new Map<string, string>();
    const expand = (s: string): string => s.replace(/\$\{(\w+)(?::?-[^}]*)?\}|\$(\w+)/g, (m, a: string | undefined, b: string | undefined) => args.get((a ?? b) as string) ?? m);
    const entry: Deployment["dockerfiles"][number] = { file: files.rel(file), stages: [], expose: [] };
    // Continuation lines joined, comments dropped: Docker's own reading.
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i] as string;
      const at = i + 1;
      while (line.endsWith("\\") && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i] as string}`;
      const m = /^\s*(\w+)\s+(.*)$/.exec(line);
      if (!m || line.trimStart().startsWith("#")) continue;
      const [, instr, rest] = m as unknown as [string, string, string];
      const op = instr.toUpperCase();
      if (op === "ARG") {
        const a = /^(\w+)=(?:"([^"]*)"|(\S*))/.exec(rest.trim());
        if (a) args.set(a[1] as string, expand(a[2] ?? a[3] ?? ""));
      } else if (op === "FROM") {
        const f = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(rest.trim());
        if (f) entry.stages.push({ image: expand(f[1] as string), ...(f[2] ? { name: f[2] } : {}), line: at });
      } else if (op === "EXPOSE") entry.expose.push(...rest.trim().split(/\s+/));
      else if (op === "CMD" || op === "ENTRYPOINT") entry.cmd = oneLine(rest, 80);
    }
    out.push(entry);
  }
  return out;
}

const OTHER_DEPLOY = ["fly.toml", "Procfile", "render.yaml", "app.json", "docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml", "rel/env.sh.eex", "rel/vm.args.eex", "rel/env.bat.eex", "rel/remote.vm.args.eex", "heroku.yml", "elixir_buildpack.config", "gigalixir.toml", ".tool-versions"];

export function otherDeployFiles(files: Files): Deployment["other"] {
  return OTHER_DEPLOY.filter((f) => files.exists(f)).map((f) => ({ file: files.rel(f), what: f.startsWith("rel/") ? "release script template" : f === ".tool-versions" ? "tool versions (asdf)" : "platform config" }));
}

// --- Quality ---------------------------------------------------------------------

export function readCredo(files: Files): Quality["credo"] {
  for (const file of [".credo.exs", "config/.credo.exs"]) {
    const tree = files.exists(file) ? files.tree(file, "quality") : undefined;
    if (!tree) continue;
    const strict = findAll(tree.rootNode, (n) => n.type === "pair" && pairKey(n) === "strict")[0]?.childForFieldName("value")?.text;
    const checks = findAll(tree.rootNode, (n) => n.type === "tuple" && /^Credo\.Check\./.test(codeChildren(n)[0]?.text ?? "")).length;
    return { file: files.rel(file), ...(strict === "true" || strict === "false" ? { strict: strict === "true" } : {}), ...(checks > 0 ? { checks } : {}) };
  }
  return undefined;
}

export function readFormatter(files: Files): Quality["formatter"] {
  const tree = files.exists(".formatter.exs") ? files.tree(".formatter.exs", "quality") : undefined;
  if (!tree) return undefined;
  const listOf = (key: string): string[] => {
    const v = findAll(tree.rootNode, (n) => n.type === "pair" && pairKey(n) === key)[0]?.childForFieldName("value");
    return v?.type === "list" ? codeChildren(v).map((x) => atomText(x) ?? x.text) : [];
  };
  return { importDeps: listOf("import_deps"), plugins: listOf("plugins"), file: files.rel(".formatter.exs") };
}

export function readCi(files: Files): Quality["ci"] {
  const out: Quality["ci"] = [];
  const workflows = files.list(".github/workflows", (n) => /\.ya?ml$/.test(n));
  for (const file of [...workflows, ...(files.exists(".gitlab-ci.yml") ? [".gitlab-ci.yml"] : [])]) {
    let doc: unknown;
    try {
      const docs = parseAllDocuments(files.read(file) ?? "");
      const first = docs[0];
      if (first && first.errors.length > 0) throw new Error(first.errors[0]?.message.split("\n")[0]);
      doc = first?.toJS();
    } catch (err) {
      files.unread.push({ area: "quality", file: files.rel(file), what: "the workflow", reason: `not valid YAML: ${(err as Error).message}` });
      continue;
    }
    const o = obj(doc);
    const jobs: Quality["ci"][number]["jobs"] = [];
    const stepText = (s: unknown): string => {
      const st = obj(s);
      if (typeof st.name === "string") return st.name;
      if (typeof st.uses === "string") return st.uses;
      if (typeof st.run === "string") return oneLine(st.run.split("\n")[0] ?? "", 70);
      return typeof s === "string" ? oneLine(s, 70) : "?";
    };
    if (file.startsWith(".github/")) {
      for (const [name, job] of Object.entries(obj(o.jobs))) jobs.push({ name: String(obj(job).name ?? name), steps: list(obj(job).steps).map(stepText) });
    } else {
      for (const [name, job] of Object.entries(o)) if (Array.isArray(obj(job).script)) jobs.push({ name, steps: list(obj(job).script).map(stepText) });
    }
    out.push({ file: files.rel(file), jobs });
  }
  return out;
}

export const readSobelow = (files: Files): Quality["sobelow"] => (files.exists(".sobelow-conf") ? { file: files.rel(".sobelow-conf") } : undefined);

/** The migration folders of the repos (or priv/repo/migrations), with a count and the latest file. */
export function readMigrations(files: Files, repos: readonly { module: string }[], migrationsDir: (repo: string) => string): EctoReport["migrations"] {
  const dirs = [...new Set(repos.length > 0 ? repos.map((r) => migrationsDir(r.module)) : ["priv/repo/migrations"])];
  return dirs
    .map((dir) => {
      const all = files.list(dir, (n) => /\.exs$/.test(n)).filter((f) => !f.slice(dir.length + 1).includes("/"));
      const latest = all.at(-1);
      return { dir: files.rel(dir), count: all.length, ...(latest ? { latest: path.posix.basename(latest) } : {}) };
    })
    .filter((m) => m.count > 0 || repos.length > 0);
}
