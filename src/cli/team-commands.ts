// gen eject, gen templates diff, gen doctor: the team folder's tools.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { UserError } from "../core/errors.js";
import type { GeneratorDef, PatchAction, PlanContext } from "../core/generator.js";
import type { Io } from "../core/io.js";
import { builtinTemplatesDir, packageVersion } from "../core/paths.js";
import { sha256 } from "../core/hash.js";
import { TEAM_DIR, loadTeam, type EjectRecord, type Team } from "../core/team.js";

function walk(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const abs = path.join(dir, e.name);
    return e.isDirectory() ? walk(abs, base) : [path.relative(base, abs).split(path.sep).join("/")];
  });
}

/** `gen eject GENERATOR`: copy a generator's built-in templates into the team folder, recording their version. */
export function ejectGenerator(builtinNames: readonly string[]): GeneratorDef {
  const schema = z.object({
    generator: z
      .enum(builtinNames as [string, ...string[]])
      .describe("The built-in generator whose templates to copy")
      .meta({ positional: true, prompt: "Generator to eject" }),
  });
  return {
    name: "eject",
    record: false,
    description: "Copy a generator's built-in templates into .otpgen/templates to change them there",
    examples: ["gen eject genserver"],
    schema,
    needsProject: true,
    async plan(o: { generator: string }, _io: Io, ctx: PlanContext) {
      const root = ctx.project?.root;
      if (!root) throw new UserError("gen eject runs inside a Mix project");
      const teamDir = ctx.team?.dir ?? path.join(root, TEAM_DIR);
      const rel = (p: string): string => path.relative(root, path.join(teamDir, p)).split(path.sep).join("/");
      const builtin = builtinTemplatesDir();
      const own = walk(path.join(builtin, o.generator)).map((f) => `${o.generator}/${f}`);
      // The partials its templates include (and theirs), where much of the code lives;
      // a partial the team already overrides stays the team's.
      const kept: string[] = [];
      const partials = (await partialsIncluded(own, builtin)).filter((f) => {
        const mine = existsSync(path.join(teamDir, "templates", f));
        if (mine) kept.push(f);
        return !mine;
      });
      const files = [...own, ...partials];
      const record: EjectRecord[string] = {
        version: packageVersion(),
        files: Object.fromEntries(files.map((f) => [f, sha256(readFileSync(path.join(builtin, f), "utf8"))])),
      };
      const actions = files.flatMap((f) => {
        const content = readFileSync(path.join(builtin, f), "utf8");
        // The override the team edits, and the upstream copy `gen templates diff` compares against.
        return [
          { type: "otp:write" as const, path: rel(`templates/${f}`), content },
          { type: "otp:write" as const, path: rel(`upstream/${f}`), content },
        ];
      });
      const ejected: PatchAction = {
        type: "otp:patch",
        path: rel("ejected.json"),
        describe: "record the ejected templates' version",
        patch(source) {
          const current = source ? (JSON.parse(source) as EjectRecord) : {};
          return { source: `${JSON.stringify({ ...current, [o.generator]: record }, null, 2)}\n` };
        },
      };
      return {
        root,
        binding: {},
        actions: [...actions, ejected],
        tasks: [],
        requireEmptyRoot: false,
        noCheck: true,
        nextSteps: [
          `edit ${rel(`templates/${o.generator}`)}/; after an upgrade, gen warns when these templates changed upstream`,
          ...(partials.length > 0 ? [`the partials it includes are in ${rel("templates/_partials")}/ (${partials.map((f) => path.basename(f, ".hbs")).join(", ")}); every generator that includes one uses your copy`] : []),
          ...kept.map((f) => `kept your ${rel(`templates/${f}`)}`),
        ],
      };
    },
  } as unknown as GeneratorDef;
}

/** Every built-in partial that `templates` include, directly or through other partials: `_partials/NAME.hbs`. */
async function partialsIncluded(templates: readonly string[], builtin: string): Promise<string[]> {
  const { default: Handlebars } = await import("handlebars");
  const found = new Set<string>();
  const queue = [...templates];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const name of namesRead(readFileSync(path.join(builtin, file), "utf8"), Handlebars).partials) {
      const partial = `_partials/${name}.hbs`;
      if (found.has(partial) || !existsSync(path.join(builtin, partial))) continue;
      found.add(partial);
      queue.push(partial);
    }
  }
  return [...found].sort();
}

/** `gen templates diff GENERATOR`: what changed upstream since the templates were ejected. */
export async function templatesDiff(generator: string | undefined, team: Team | undefined, io: Io): Promise<number> {
  const record = generator ? team?.ejected[generator] : undefined;
  if (!generator || !team || !record) {
    io.stderr(`gen templates diff: ${generator ? `"${generator}" has not been ejected` : "name a generator"} (gen eject GENERATOR first)\n`);
    return 2;
  }
  const { createTwoFilesPatch } = await import("diff");
  const builtin = builtinTemplatesDir();
  let changed = 0;
  for (const file of Object.keys(record.files).sort()) {
    const recorded = path.join(team.dir, "upstream", file);
    const before = existsSync(recorded) ? readFileSync(recorded, "utf8") : "";
    const current = path.join(builtin, file);
    const after = existsSync(current) ? readFileSync(current, "utf8") : "";
    if (before === after) continue;
    changed++;
    io.stdout(createTwoFilesPatch(`${record.version}/${file}`, `${packageVersion()}/${file}`, before, after));
  }
  if (changed === 0) io.stdout(`No upstream change to the ${generator} templates since ${record.version}.\n`);
  return 0;
}

/** The names a template reads: {{name}}, {{#if name}}, {{name.x}}; not helpers, not `this`. */
function namesRead(source: string, Handlebars: typeof import("handlebars")): { names: Set<string>; partials: Set<string> } {
  const names = new Set<string>();
  const partials = new Set<string>();
  const visit = (node: unknown, blockParams: Set<string>): void => {
    if (!node || typeof node !== "object") return;
    const n = node as Record<string, unknown>;
    if (n.type === "PartialStatement") {
      const name = (n.name as { original?: string }).original;
      if (name) partials.add(name);
      if (n.params) visit(n.params, blockParams);
      return;
    }
    if (n.type === "PathExpression" && n.data !== true && (n.parts as string[]).length > 0 && n.original !== "this") {
      const head = (n.parts as string[])[0] as string;
      if (!blockParams.has(head)) names.add(head);
    }
    const params = (n.program as { blockParams?: string[] } | undefined)?.blockParams ?? [];
    const scope = new Set([...blockParams, ...params]);
    for (const [key, value] of Object.entries(n)) {
      if (key === "loc") continue;
      if (Array.isArray(value)) value.forEach((v) => visit(v, scope));
      else visit(value, scope);
    }
  };
  visit(Handlebars.parse(source), new Set());
  return { names, partials };
}

/** `gen doctor`: the config, every template, overrides' variables, drift. */
export async function doctor(generators: readonly GeneratorDef[], ctx: PlanContext, io: Io, from: string, ci = false): Promise<number> {
  const problems: string[] = [];
  const ok = (line: string): void => io.stdout(`  ✔ ${line}\n`);
  let team: Team | undefined;
  try {
    team = await loadTeam(from, io.cwd);
    ok(team ? `config: ${path.relative(io.cwd, team.dir) || team.dir} (${team.layers.length} folder${team.layers.length > 1 ? "s" : ""})` : "config: no .otpgen folder; the built-ins are used as they are");
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    problems.push(`config: ${err.message}`);
  }
  const { default: Handlebars } = await import("handlebars");
  const dirs = [...(team?.templateDirs ?? []), builtinTemplatesDir()];
  let compiled = 0;
  for (const dir of dirs) {
    for (const file of walk(dir).filter((f) => f.endsWith(".hbs"))) {
      try {
        Handlebars.precompile(readFileSync(path.join(dir, file), "utf8"), { strict: true });
        compiled++;
      } catch (err) {
        problems.push(`${path.relative(io.cwd, path.join(dir, file))}: ${(err as Error).message.split("\n")[0]}`);
      }
    }
  }
  ok(`templates: ${compiled} compiled`);

  // Overrides may only read what their generator provides (plus team variables),
  // and use the helpers and partials of the very registry that renders them.
  const { Renderer } = await import("../core/render.js");
  const { helpers: helperNames, partials: partialNames } = await new Renderer(dirs).registry();
  for (const dir of team?.templateDirs ?? []) {
    for (const file of walk(dir).filter((f) => f.endsWith(".hbs") && !f.startsWith("_partials/"))) {
      const generator = file.split("/")[0] as string;
      const def = generators.find((g) => g.name === generator);
      if (!def) {
        problems.push(`${path.relative(io.cwd, path.join(dir, file))}: no generator named ${generator}`);
        continue;
      }
      let provided: Set<string>;
      try {
        provided = await sampleBinding(def, ctx, io);
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        // The generator does not run in this project (gen context outside an Ecto app): nothing to check against.
        io.stdout(`  – ${path.relative(io.cwd, path.join(dir, file))}: variables not checked (${err.message})\n`);
        continue;
      }
      let read: ReturnType<typeof namesRead>;
      try {
        read = namesRead(readFileSync(path.join(dir, file), "utf8"), Handlebars);
      } catch {
        continue; // reported as a compile error above
      }
      for (const name of read.names) {
        if (!provided.has(name) && !helperNames.has(name) && name !== "team") {
          problems.push(`${path.relative(io.cwd, path.join(dir, file))}: uses {{${name}}}, which ${generator} does not provide`);
        }
      }
      for (const p of read.partials) {
        if (!partialNames.has(p)) problems.push(`${path.relative(io.cwd, path.join(dir, file))}: uses the partial ${p}, which does not exist`);
      }
    }
  }
  const { driftOf } = await import("../core/engine.js");
  for (const generator of Object.keys(team?.ejected ?? {})) {
    const drift = driftOf(generator, team);
    if (drift.length > 0) problems.push(`drift: ${generator}: changed upstream since ${team?.ejected[generator]?.version}: ${drift.join(", ")} (gen templates diff ${generator})`);
    else ok(`ejected ${generator}: up to date with ${packageVersion()}`);
  }
  if (ctx.project) {
    const { opsProblems } = await import("../elixir/ops.js");
    const runtime = path.relative(ctx.project.root, path.join(path.dirname(ctx.project.configFile), "runtime.exs")).split(path.sep).join("/");
    const ops = await opsProblems(ctx.project.root, ctx.project.app, runtime);
    problems.push(...ops);
    if (ops.length === 0) ok("release and cluster files agree (node names, ports, Service)");
  }
  for (const p of problems) io.stdout(`  ✖ ${p}\n`);
  let findings = 0;
  if (ctx.project) {
    // OTP lints of the project's code: advice, an error only under --ci.
    const { otpLints } = await import("../elixir/otp-lints.js");
    const { libSources } = await import("../elixir/project.js");
    const found = otpLints(libSources(ctx.project.root), ctx.project.appModule);
    findings = found.length;
    const rel = (f: string): string => path.relative(io.cwd, path.join(ctx.project?.root ?? "", f)) || f;
    if (found.length === 0) ok("OTP checks: nothing found in the supervision tree or the code");
    for (const f of found) {
      io.stdout(`  ${ci ? "✖" : "⚠"} ${rel(f.file)}:${f.line}: [${f.rule}] ${f.message}\n      why: ${f.why}\n      fix: ${f.fix}\n`);
    }
  }
  const summary = [problems.length ? `${problems.length} problem${problems.length > 1 ? "s" : ""}` : "", findings ? `${findings} OTP finding${findings > 1 ? "s" : ""}` : ""].filter(Boolean);
  io.stdout(summary.length === 0 ? "gen doctor: all good\n" : `gen doctor: ${summary.join(", ")}\n`);
  return problems.length > 0 || (ci && findings > 0) ? 1 : 0;
}

/** The names a generator's templates get, from a plan with sample options. */
async function sampleBinding(def: GeneratorDef, ctx: PlanContext, io: Io): Promise<Set<string>> {
  const sample: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(def.schema.shape)) {
    const r = await (field as z.ZodType).safeParseAsync(undefined);
    if (!r.success) sample[key] = key === "dir" ? "doctor_sample" : "DoctorSample";
  }
  const options = await def.schema.parseAsync(sample);
  const plan = await def.plan(options, { ...io, stdout: () => undefined }, ctx);
  return new Set([...Object.keys(plan.binding), "team"]);
}
