// gen worker's reading and patching for Oban: the repos a project has, the
// Oban config's queues and crontab (added in the file's layout, present when
// there, refused with the snippet when the shape is not one to edit), where a
// new config block goes, and cron expressions as Oban.Cron.Expression reads
// them. The Elixir side (the patched config read by Elixir, the counts against
// Oban's own now?/2) is checked in phoenix.test.ts's apps.
import { beforeAll, describe, expect, it } from "vitest";
import { loadReader } from "../../src/elixir/reader.js";
import { configInsertAt } from "../../src/elixir/config-file.js";
import { ectoRepos, migrationsDir } from "../../src/elixir/ecto.js";
import { addObanCron, addObanQueue, callsObanMigration, cronProblem, cronRunsOn } from "../../src/elixir/oban.js";

beforeAll(async () => loadReader());

const CONFIG = `import Config

config :shop, Oban,
  engine: Oban.Engines.Basic,
  repo: Shop.Repo,
  queues: [default: 10],
  plugins: [
    {Oban.Plugins.Pruner, max_age: 604_800},
    {Oban.Plugins.Cron, crontab: []}
  ]

# Import environment specific config.
import_config "#{config_env()}.exs"
`;

const sources = (files: Record<string, string>) => ({ files: Object.keys(files), read: (f: string) => files[f] });

describe("the repos", () => {
  it("finds the modules that use Ecto.Repo with their adapters; a comment or another module does not count", () => {
    const repos = ectoRepos(
      sources({
        "lib/shop/repo.ex": 'defmodule Shop.Repo do\n  use Ecto.Repo,\n    otp_app: :shop,\n    adapter: Ecto.Adapters.Postgres\nend\n',
        "lib/shop/lite.ex": "defmodule Shop.LiteRepo do\n  use Ecto.Repo, otp_app: :shop, adapter: Ecto.Adapters.SQLite3\nend\n",
        "lib/shop/other.ex": "defmodule Shop.Other do\n  # use Ecto.Repo, otp_app: :shop\n  use GenServer\nend\n",
      }),
    );
    expect(repos).toEqual([
      { module: "Shop.Repo", file: "lib/shop/repo.ex", adapter: "Ecto.Adapters.Postgres" },
      { module: "Shop.LiteRepo", file: "lib/shop/lite.ex", adapter: "Ecto.Adapters.SQLite3" },
    ]);
    expect(migrationsDir("Shop.Repo")).toBe("priv/repo/migrations");
    expect(migrationsDir("Shop.ReadRepo")).toBe("priv/read_repo/migrations");
  });

  it("tells a migration that calls Oban.Migration from one that only mentions it", () => {
    expect(callsObanMigration("defmodule M do\n  use Ecto.Migration\n  def up, do: Oban.Migration.up(version: 12)\nend\n")).toBe(true);
    expect(callsObanMigration("defmodule M do\n  # Oban.Migration.up()\n  def up, do: :ok\nend\n")).toBe(false);
  });
});

describe("the queues", () => {
  it("adds a queue in the list's layout; present when it is there, its limit kept", () => {
    const r = addObanQueue(CONFIG, "shop", "mail", 10);
    expect(r.status).toBe("added");
    expect("source" in r && r.source).toContain("  queues: [default: 10, mail: 10],\n");
    const again = addObanQueue("source" in r ? r.source : "", "shop", "mail", 20);
    expect(again.status).toBe("present");
    expect(addObanQueue(CONFIG, "shop", "default", 5).status).toBe("present");
  });

  it("refuses a file without the app's Oban config, with queues: false, or configuring it twice", () => {
    expect(addObanQueue("import Config\n", "shop", "mail", 10)).toEqual({ status: "refused", reason: "it has no `config :shop, Oban, ...` with a keyword list", snippet: "queues: [mail: 10]" });
    expect(addObanQueue(CONFIG.replace("queues: [default: 10]", "queues: false"), "shop", "mail", 10)).toMatchObject({ status: "refused", reason: "its Oban config has no `queues: [...]` list" });
    expect(addObanQueue(`${CONFIG}\nconfig :shop, Oban, queues: [x: 1]\n`, "shop", "mail", 10)).toMatchObject({ status: "refused", reason: "it configures :shop, Oban more than once" });
    expect(addObanQueue("config :shop, Oban,\n  queues: [", "shop", "mail", 10)).toMatchObject({ status: "refused", reason: "it does not parse as Elixir" });
  });
});

describe("the crontab", () => {
  it("adds entries on one line while they fit, then as mix format lays the plugin out; present for a worker already there", () => {
    const one = addObanCron(CONFIG, "shop", "*/5 * * * *", "Shop.Sweep");
    expect("source" in one && one.source).toContain('    {Oban.Plugins.Cron, crontab: [{"*/5 * * * *", Shop.Sweep}]}\n');
    const two = addObanCron("source" in one ? one.source : "", "shop", "@daily", "Shop.Reports.NightlyReportGeneration");
    const text = "source" in two ? two.source : "";
    expect(text).toContain(
      '    {Oban.Plugins.Cron,\n     crontab: [\n       {"*/5 * * * *", Shop.Sweep},\n       {"@daily", Shop.Reports.NightlyReportGeneration}\n     ]}\n  ]\n',
    );
    const three = addObanCron(text, "shop", "0 * * * *", "Shop.Hourly");
    expect("source" in three && three.source).toContain('       {"@daily", Shop.Reports.NightlyReportGeneration},\n       {"0 * * * *", Shop.Hourly}\n     ]}');
    // The same worker with another schedule: the one there stays.
    expect(addObanCron(text, "shop", "0 0 * * *", "Shop.Sweep").status).toBe("present");
  });

  it("adds the Cron plugin to a config that has none (as mix oban.install writes it)", () => {
    const installer = CONFIG.replace("    {Oban.Plugins.Cron, crontab: []}\n", "").replace("604_800},", "604_800}");
    const r = addObanCron(installer, "shop", "@hourly", "Shop.Sweep");
    expect("source" in r && r.source).toContain('    {Oban.Plugins.Pruner, max_age: 604_800},\n    {Oban.Plugins.Cron, crontab: [{"@hourly", Shop.Sweep}]}\n  ]');
    expect(addObanCron(CONFIG.replace(/ {2}plugins: \[[\s\S]*?\n {2}\]\n/, "  plugins: false\n"), "shop", "@hourly", "Shop.Sweep")).toMatchObject({ status: "refused" });
  });
});

describe("where a new config block goes", () => {
  it("before the import_config and its comment, else at the end", () => {
    const at = configInsertAt(CONFIG);
    expect(CONFIG.slice(at)).toBe('# Import environment specific config.\nimport_config "#{config_env()}.exs"\n');
    expect(configInsertAt("import Config\n")).toBe("import Config\n".length);
  });
});

describe("cron expressions", () => {
  it.each([
    ["*/5 * * * *", 288],
    ["@hourly", 24],
    ["@daily", 1],
    ["0 9-17 * * MON-FRI", 9],
    ["0 9-17 * * SAT,SUN", 0],
    ["15,45 */6 * JAN *", 8],
    ["30 2 5 * *", 1],
    ["30 2 6 * *", 0],
    ["5/15 0 * * *", 4],
  ])("%s runs %i times on Monday 2026-01-05 (UTC)", (expr, runs) => {
    expect(cronProblem(expr)).toBeUndefined();
    expect(cronRunsOn(expr, "2026-01-05")).toBe(runs);
  });

  it.each([
    ["61 * * * *", 'the minute field "61" must be within 0-59'],
    ["* 24 * * *", 'the hour field "24" must be within 0-23'],
    ["* * 0 * *", 'the day-of-month field "0" must be within 1-31'],
    ["* * * * 7", 'the day-of-week field "7" must be within 0-6'],
    ["5-1 * * * *", 'the minute field "5-1" must be within 0-59'],
    ["*/0 * * * *", 'the minute field "*/0" is not a number, a range (1-5), * or a step (*/5)'],
    ["* * * *", "a schedule has five fields (minute hour day-of-month month day-of-week), or is one of @hourly, @daily, @weekly, @monthly, @yearly"],
    ["@reboot", "@reboot runs at every start of a node, not on a schedule"],
  ])("refuses %s: %s", (expr, problem) => expect(cronProblem(expr)).toBe(problem));
});
