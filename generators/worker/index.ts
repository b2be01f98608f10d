// gen worker NAME: an Oban job in a project with an Ecto repo. The worker
// (tagged returns, a capped backoff, a timeout below Lifeline's rescue, the
// queue, attempts and uniqueness as asked), Oban set up once (the dependency,
// its config with the Pruner, Lifeline and Cron plugins, `testing: :manual`
// in test, the migration, the child after the Repo, the formatter rules), and
// later workers adding their queue and crontab entry to that config. Its
// tests use Oban.Testing and simulate what production sees: retries through
// an outage, a double enqueue, the schedule's runs in a day.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { UserError } from "../../src/core/errors.js";
import { defineGenerator, type PatchAction } from "../../src/core/generator.js";
import { addFormatterImportDep } from "../../src/elixir/children.js";
import { libSources } from "../../src/elixir/project.js";
import { loadReader } from "../../src/elixir/reader.js";
import { ectoRepos, migrationsDir, migrationVersion, type EctoRepo } from "../../src/elixir/ecto.js";
import { addObanCron, addObanQueue, callsObanMigration, cronProblem, cronRunsOn, OBAN_ENGINES } from "../../src/elixir/oban.js";
import {
  depPatch,
  descriptionField,
  durationExpr,
  durationField,
  durationWords,
  elixirInt,
  envConfigPatch,
  formatterPatch,
  nameField,
  otpNames,
  otpPlan,
  parseDuration,
  render,
  requireProject,
  configAppendPatch,
  LOCALS,
  localsOf,
  wire,
} from "../_shared/otp.js";
import { askQueue } from "../_shared/ask.js";
import { DESCRIPTIONS } from "../descriptions.js";

/** Oban's migration version that the Oban this tool adds (2.23) creates: pinned, as Oban's installation guide does. */
export const OBAN_MIGRATION_VERSION = 14;
/** Lifeline's rescue_after as written: a job's timeout stays below it, so a running job is never rescued. */
const RESCUE_AFTER_MS = 3_600_000;
/** Pruner's max_age as written (7 days), in seconds: also the longest --unique. */
const PRUNE_AFTER_S = 7 * 86_400;
/** The day the generated test counts the schedule's runs on (a Monday in January, UTC). */
const CRON_DAY = "2026-01-05";

export const schema = z.object({
  name: nameField("Emails.Digest"),
  description: descriptionField("A background job, stored in the database and retried until it succeeds."),
  queue: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,62}$/, "a queue name is lowercase letters, digits and underscores, starting with a letter")
    .default("default")
    .describe("The Oban queue it runs in (added to the config's queues with a limit of 10)")
    .meta({ valueName: "name", ask: askQueue }),
  maxAttempts: z.coerce
    .number()
    .int("--max-attempts must be a whole number")
    .min(1, "--max-attempts must be 1 or more")
    .max(100, "--max-attempts must be at most 100")
    .default(20)
    .describe("Runs before a failing job is discarded (Oban's default: 20)")
    .meta({ prompt: "Attempts before a failing job is discarded (Oban's default: 20)", valueName: "n" }),
  unique: durationField("Enqueuing the same args again within this period returns the job already there (e.g. 60s)", undefined, {
    prompt: "Unique for: enqueuing the same args again within this period returns the job already there (e.g. 60s)",
  })
    .refine((v) => v === undefined || (parseDuration(v) ?? 0) % 1000 === 0, "a unique period is whole seconds (60s, 5m, 1h)")
    .refine((v) => v === undefined || (parseDuration(v) ?? 0) <= PRUNE_AFTER_S * 1000, "a unique period must be at most 168h (the 7 days jobs are kept)"),
  cron: z
    .string()
    .superRefine((v, ctx) => {
      const p = cronProblem(v);
      if (p) ctx.addIssue({ code: "custom", message: p });
    })
    .optional()
    .describe('Also run it on this schedule, in UTC, with Oban\'s Cron plugin (e.g. "*/5 * * * *", "@daily")')
    .meta({ prompt: "Also run it on a schedule, in UTC (e.g. */5 * * * *, @daily)", valueName: "schedule" }),
  timeout: durationField("A run that takes longer is stopped and counts as failed (retried)", "5m", { prompt: "Timeout: a run that takes longer is stopped and retried (e.g. 5m)" }).refine(
    (v) => (parseDuration(v) ?? 0) < RESCUE_AFTER_MS,
    "a timeout must be under 1h (Lifeline runs a job left executing again after an hour)",
  ),
});

/** The seconds between a failing job's first run and its last, by the worker's backoff without jitter: 15 s + 2^attempt, at most an hour. */
function retrySeconds(attempts: number): number {
  let seconds = 0;
  for (let a = 1; a < attempts; a++) seconds += Math.min(15 + 2 ** a, 3_600);
  return seconds;
}

/** How long `attempts` runs of a failing job span with the worker's backoff (no jitter), in words. */
export function retryWindow(attempts: number): string {
  const seconds = retrySeconds(attempts);
  if (seconds < 120) return `${seconds} seconds`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)} minutes`;
  return `about ${Math.round(seconds / 3_600)} hours`;
}

/**
 * The outages the generated test puts a job through (seconds): those of 1
 * minute, 30 minutes and 3 hours that its attempts outlast (with the jitter
 * at its lowest), and one longer than its attempts, after which it is discarded.
 */
export function outages(attempts: number): { outages: string; tooLong: string } {
  const window = retrySeconds(attempts);
  const within = [60, 1_800, 10_800].filter((o) => o <= window * 0.9);
  return { outages: `[${within.map(elixirInt).join(", ")}]`, tooLong: elixirInt(Math.ceil(window * 1.2) + 60) };
}

/** The repo Oban uses: `App.Repo` when there is one, else the first whose adapter Oban supports. */
function chooseRepo(repos: EctoRepo[], prefix: string): EctoRepo {
  const supported = repos.filter((r) => OBAN_ENGINES[r.adapter]);
  const repo = supported.find((r) => r.module === `${prefix}.Repo`) ?? supported[0];
  if (repos.length === 0) {
    throw new UserError("this project has no Ecto repo, and Oban keeps its jobs in the database: no module under lib/ uses Ecto.Repo (start from mix phx.new, or add ecto_sql and a repo)");
  }
  if (!repo) throw new UserError(`Oban needs a PostgreSQL, MySQL or SQLite3 repo; ${repos.map((r) => `${r.module} uses ${r.adapter}`).join(", ")}`);
  return repo;
}

export default defineGenerator({
  name: "worker",
  description: DESCRIPTIONS.worker,
  examples: ["gen worker Emails.Digest", 'gen worker Billing.Sweep --queue billing --max-attempts 5 --unique 60s --cron "*/5 * * * *"'],
  schema,
  needsProject: true,
  async plan(o, _io, ctx) {
    const project = requireProject(ctx);
    const n = otpNames(project, o.name);
    await loadReader();
    const repo = chooseRepo(ectoRepos(libSources(project.root)), project.module);
    const { engine, notifier } = OBAN_ENGINES[repo.adapter] as { engine: string; notifier: string };
    const uniqueS = o.unique ? (parseDuration(o.unique) as number) / 1000 : undefined;
    const timeoutMs = parseDuration(o.timeout) as number;
    const configFile = path.relative(project.root, project.configFile).split(path.sep).join("/");
    const actions: (ReturnType<typeof render> | PatchAction)[] = [render("worker", "lib/module.ex", n.file), render("worker", "test/module_test.exs", n.testFile)];

    // Oban's tables, once: a migration of this repo that calls Oban.Migration means they are there.
    const migrations = path.join(project.root, migrationsDir(repo.module));
    const existing = existsSync(migrations) ? readdirSync(migrations).filter((f) => f.endsWith(".exs")) : [];
    if (!existing.some((f) => callsObanMigration(readFileSync(path.join(migrations, f), "utf8")))) {
      actions.push(render("worker", "priv/migration.exs", `${migrationsDir(repo.module)}/${migrationVersion(existing, Date.now())}_add_oban_jobs_table.exs`));
    }

    actions.push(depPatch("oban", '{:oban, "~> 2.23"}'));
    actions.push(formatterPatch("import Oban's formatter rules", (s) => addFormatterImportDep(s, "oban"), "import_deps: [:oban]"));
    const block = [
      `# Oban (gen worker): jobs kept in the database through ${repo.module}; each node runs`,
      "# the queues below, each up to its limit of jobs at a time.",
      `config :${project.app}, Oban,`,
      `  engine: ${engine},`,
      `  notifier: ${notifier},`,
      `  repo: ${repo.module},`,
      `  queues: [${o.queue}: 10],`,
      "  plugins: [",
      "    # Finished jobs are kept 7 days (Oban's default is 60 s): time to look into",
      "    # them, and longer than any unique period, so a finished job keeps out its duplicates.",
      `    {Oban.Plugins.Pruner, max_age: ${elixirInt(PRUNE_AFTER_S)}},`,
      "    # A job left executing by a node that stopped (a deploy, a crash) runs again after an",
      "    # hour; every worker's timeout/1 is below that, so a job still running never runs twice.",
      `    {Oban.Plugins.Lifeline, rescue_after: ${durationExpr(RESCUE_AFTER_MS)}},`,
      "    # Schedules, in UTC: {expression, worker}.",
      "    {Oban.Plugins.Cron, crontab: []}",
      "  ]",
      "",
    ].join("\n");
    actions.push(configAppendPatch(project, { file: "config/config.exs", key: "Oban", text: block, line: block.trim(), describe: `configure Oban in config/config.exs` }));
    // The queue, and the schedule, in the Oban config (the one above, or the team's own).
    const entries = [`queue :${o.queue}`, ...(o.cron ? [`the schedule "${o.cron}"`] : [])].join(" and ");
    const describe = `add ${entries} to config :${project.app}, Oban`;
    actions.push(
      {
        type: "otp:patch",
        path: configFile,
        describe,
        patch(source) {
          let text = source ?? "";
          const steps = [(t: string) => addObanQueue(t, project.app, o.queue, 10), ...(o.cron ? [(t: string) => addObanCron(t, project.app, o.cron as string, n.module)] : [])];
          for (const step of steps) {
            const r = step(text);
            if (r.status === "refused") return { manual: `${configFile}: ${r.reason}. To ${describe}, add:\n    ${r.snippet}` };
            text = r.source;
          }
          return { source: text };
        },
      },
    );
    actions.push(envConfigPatch(project, "test", "Oban", "testing: :manual", "Oban in tests: jobs are stored, not run (Oban.Testing's perform_job/2 runs them)"));
    actions.push(wire(project, { code: `{Oban, Application.fetch_env!(:${project.app}, Oban)}`, ids: ["Oban"], after: [repo.module] }, undefined));

    const binding = {
      ...n,
      description: o.description,
      repo: repo.module,
      queue: o.queue,
      maxAttempts: o.maxAttempts,
      unique: uniqueS === undefined ? undefined : elixirInt(uniqueS),
      uniqueWords: uniqueS === undefined ? undefined : durationWords(uniqueS * 1000),
      cron: o.cron,
      cronRuns: o.cron ? cronRunsOn(o.cron, CRON_DAY) : undefined,
      cronDay: CRON_DAY,
      retryWindow: retryWindow(o.maxAttempts),
      ...outages(o.maxAttempts),
      timeout: durationExpr(timeoutMs),
      timeoutWords: durationWords(timeoutMs),
      // Sorted by module, as credo's AliasOrder wants.
      testAliases: ["alias Ecto.Adapters.SQL.Sandbox", ...(o.cron ? ["alias Oban.Cron.Expression"] : []), n.aliasLine].sort((a, b) => a.localeCompare(b)),
      migrationModule: `${repo.module}.Migrations.AddObanJobsTable`,
      migrationVersion: OBAN_MIGRATION_VERSION,
    };
    const plan = otpPlan(project, binding, actions, n);
    // Names make some lines as long as they are: Elixir's formatter lays them out.
    plan.format = { localsWithoutParens: localsOf(LOCALS.obanTesting) };
    plan.nextSteps.unshift("mix deps.get (for Oban)", "mix ecto.migrate (Oban's tables)");
    plan.nextSteps.push(`enqueue it with ${n.module}.enqueue(${o.cron ? "" : "id"})`);
    return plan;
  },
});
