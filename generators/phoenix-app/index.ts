// create-otp-app --phoenix: the installed `mix phx.new` (Phoenix 1.8) makes the
// app in a staging folder beside the target; its files and the team's layer
// (credo with its strict config, Dialyzer with PLTs in priv/plts, a precommit
// that runs them, the CI workflow with PostgreSQL as a service when Ecto uses
// it) are then one plan: shown, confirmed and written together, so a failure
// or a "no" writes nothing.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { isUtf8 } from "node:buffer";
import { defineGenerator, type PlanAction, type PatchAction, type RenderAction, type Task } from "../../src/core/generator.js";
import { UserError } from "../../src/core/errors.js";
import type { Io } from "../../src/core/io.js";
import { addDep, addFunction, addProjectEntry, setAlias } from "../../src/elixir/children.js";
import { appNameFromDir, camelize } from "../../src/elixir/naming.js";
import { detectVersions, majorMinor } from "../../src/elixir/versions.js";
import otpApp from "../app/index.js";
import { gitignorePatch, mixPatch } from "../_shared/otp.js";
import { schema, type PhoenixAppOptions } from "./schema.js";

export { schema };

// The OTP app's templates: the Phoenix layer is the same files with Phoenix's parts switched on.
const render = (template: string, out: string): RenderAction => ({ type: "otp:render", template: `app/${template}.hbs`, path: out });

/** phx.new's flags for the options given (the defaults are phx.new's own). */
export function phxNewFlags(o: PhoenixAppOptions, app: string, module: string): string[] {
  const flags = ["--app", app, "--module", module, "--no-install", "--no-version-check"];
  if (!o.ecto) flags.push("--no-ecto");
  else if (o.database !== "postgres") flags.push("--database", o.database);
  if (o.binaryId) flags.push("--binary-id");
  if (!o.live) flags.push("--no-live");
  if (!o.mailer) flags.push("--no-mailer");
  if (!o.dashboard) flags.push("--no-dashboard");
  if (o.umbrella) flags.push("--umbrella");
  return flags;
}

const INSTALL = "mix archive.install hex phx_new 1.8";

/** The installed phx.new must be Phoenix 1.8's: the layer is written for what it generates. */
async function requirePhxNew(io: Io): Promise<void> {
  const r = await io.mix.run("mix", ["phx.new", "--version"], { cwd: io.cwd, env: io.env });
  if (r.notFound) throw new UserError(`--phoenix runs mix phx.new, and mix was not found on PATH: install Elixir 1.15 or later, then ${INSTALL}`);
  const version = /Phoenix installer v(\d+\.\d+\.\d+\S*)/.exec(r.output)?.[1];
  if (r.exitCode !== 0 || !version) throw new UserError(`--phoenix needs the phx_new archive (mix phx.new), which is not installed: ${INSTALL}`);
  if (!version.startsWith("1.8.")) throw new UserError(`--phoenix needs phx.new 1.8, and the installed one is ${version}: ${INSTALL}`);
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string, rel = ""): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = path.posix.join(rel, e.name);
    return e.isDirectory() ? filesUnder(dir, p) : e.isFile() ? [p] : [];
  });
}

/**
 * The files of phx.new 1.8 that fail credo --strict's Specs, AliasOrder or
 * AliasUsage as generated (function components and `use` macros carry no
 * @spec in Phoenix's style): left out of those three checks in .credo.exs.
 */
function phxNewOwnFiles(webPath: string): string[] {
  return [
    `lib/${webPath}.ex`,
    `lib/${webPath}/components/core_components.ex`,
    `lib/${webPath}/components/layouts.ex`,
    `lib/${webPath}/controllers/error_html.ex`,
    `lib/${webPath}/controllers/error_json.ex`,
    `lib/${webPath}/controllers/page_controller.ex`,
    `lib/${webPath}/telemetry.ex`,
    "test/support/data_case.ex",
  ];
}

const PRECOMMIT = ["compile --warnings-as-errors", "deps.unlock --unused", "format --check-formatted", "credo --strict", "sobelow --config", "dialyzer", "test --cover"];

/**
 * phx.new's scaffolding that its own tests do not run, by the file that
 * defines it: left out of the coverage gate by name, so that the gate holds
 * the code the team writes and generates. The function components and
 * layouts are exercised only through pages that use them; the `use AppWeb,
 * ...` macros run at compile time; the Repo, the test case template and the
 * application's config_change/3 are Ecto's, ExUnit's and Mix's to run.
 */
function coverageIgnored(files: (f: string) => boolean, app: string, module: string, web: string): string[] {
  return [...webIgnored(files, web, `${app}_web`), ...coreIgnored(files, app, module)];
}

/** The core app's part (an umbrella's apps/<app>): the Application, the Repo and the DataCase. */
function coreIgnored(files: (f: string) => boolean, app: string, module: string): string[] {
  const candidates: [string, string][] = [
    [`lib/${app}/application.ex`, `${module}.Application`],
    [`lib/${app}/repo.ex`, `${module}.Repo`],
    ["test/support/data_case.ex", `${module}.DataCase`],
  ];
  return candidates.filter(([file]) => files(file)).map(([, mod]) => mod);
}

/** The web part (an umbrella's apps/<app>_web, whose Application is its own). */
function webIgnored(files: (f: string) => boolean, web: string, webPath: string): string[] {
  const candidates: [string, string][] = [
    [`lib/${webPath}.ex`, web],
    [`lib/${webPath}/components/core_components.ex`, `${web}.CoreComponents`],
    [`lib/${webPath}/components/layouts.ex`, `${web}.Layouts`],
    [`lib/${webPath}/controllers/page_html.ex`, `${web}.PageHTML`],
    [`lib/${webPath}/controllers/error_html.ex`, `${web}.ErrorHTML`],
    [`lib/${webPath}/application.ex`, `${web}.Application`],
  ];
  return candidates.filter(([file]) => files(file)).map(([, mod]) => mod);
}

/** mix.exs's test_coverage/0: the threshold, and phx.new's modules left out (coverageIgnored). */
function coverageFunction(ignored: string[]): string {
  return [
    "  # `mix test --cover` (precommit, CI) fails below 85% of lines run by the tests.",
    "  # Left out by name: phx.new's scaffolding its own tests do not run (function",
    "  # components and layouts, run only through the pages that use them; the",
    "  # `use` macros; the Repo, DataCase and Application.config_change/3).",
    "  defp test_coverage do",
    "    [",
    "      summary: [threshold: 85],",
    "      ignore_modules: [",
    ignored.map((m) => `        ${m}`).join(",\n"),
    "      ]",
    "    ]",
    "  end",
  ].join("\n");
}

/** mix.exs: credo and dialyxir, Dialyzer's PLTs in priv/plts, and a precommit that runs them all. */
function mixExsPatches(ignored: string[]): PatchAction[] {
  return [...toolPatches("mix.exs", PRECOMMIT), ...coveragePatches("mix.exs", ignored)];
}

/** Sobelow as a dev/test dep of the mix.exs at `file`. */
function sobelowDep(file: string): PatchAction {
  return mixPatch("add sobelow to deps/0", (s) => addDep(s, "sobelow", '{:sobelow, "~> 0.13", only: [:dev, :test], runtime: false}'), file);
}

/** The coverage gate in the mix.exs at `file`: test_coverage/0 with phx.new's scaffolding left out. */
function coveragePatches(file: string, ignored: string[]): PatchAction[] {
  return [
    mixPatch("hold the tests to a coverage threshold in project/0", (s) => addProjectEntry(s, "test_coverage", "test_coverage: test_coverage()"), file),
    mixPatch("add test_coverage/0", (s) => addFunction(s, "test_coverage", coverageFunction(ignored)), file),
  ];
}

/** credo and dialyxir, Dialyzer's PLTs in priv/plts, and `precommit`, in the mix.exs at `file` (an umbrella's root). */
function toolPatches(file: string, precommit: string[], sobelow = true): PatchAction[] {
  const dialyzer = [
    "  # PLTs live in priv/plts so CI can cache them between runs; Mix and ExUnit",
    "  # are in them for the project's Mix tasks and test support.",
    "  defp dialyzer do",
    "    [",
    "      plt_add_apps: [:mix, :ex_unit],",
    '      plt_core_path: "priv/plts/core.plt",',
    '      plt_local_path: "priv/plts/project.plt"',
    "    ]",
    "  end",
  ].join("\n");
  return [
    mixPatch("add credo to deps/0", (s) => addDep(s, "credo", '{:credo, "~> 1.7", only: [:dev, :test], runtime: false}'), file),
    mixPatch("add dialyxir to deps/0", (s) => addDep(s, "dialyxir", '{:dialyxir, "~> 1.4", only: [:dev, :test], runtime: false}'), file),
    ...(sobelow ? [sobelowDep(file)] : []),
    mixPatch("configure Dialyzer in project/0", (s) => addProjectEntry(s, "dialyzer", "dialyzer: dialyzer()"), file),
    mixPatch("add dialyzer/0", (s) => addFunction(s, "dialyzer", dialyzer), file),
    mixPatch("run credo --strict, sobelow, dialyzer and the tests with coverage in mix precommit", (s) => setAlias(s, "precommit", precommit), file),
  ];
}

export default defineGenerator({
  name: "phoenix-app",
  replay: { refuse: "mix phx.new's output is not reproducible (fresh secrets each run); phx.new's own upgrade guides apply" },
  description: "Create a Phoenix 1.8 app with mix phx.new, plus the team's layer: credo --strict, Sobelow, Dialyzer, a precommit that runs them, CI",
  examples: ["create-otp-app shop --phoenix", "create-otp-app shop --phoenix --database sqlite3 --no-mailer", "create-otp-app api --phoenix --no-ecto --no-live --yes"],
  schema,
  // The app and module names follow the directory, as for an OTP app.
  derive: otpApp.derive,
  async plan(o, io) {
    const root = path.resolve(io.cwd, o.dir);
    const app = o.app ?? appNameFromDir(path.basename(root));
    const module = o.module ?? camelize(app);
    await requirePhxNew(io);

    // Staged beside the target (the same file system, where mix runs), removed whatever happens.
    const parent = path.dirname(root);
    let staging: string;
    try {
      staging = mkdtempSync(path.join(parent, ".create-otp-app-"));
    } catch (err) {
      throw new UserError(`cannot create a staging folder in ${parent}: ${(err as Error).message}`);
    }
    const actions: PlanAction[] = [];
    const binaries: { path: string; content: Buffer }[] = [];
    try {
      const name = path.basename(root);
      const r = await io.mix.run("mix", ["phx.new", path.join(staging, name), ...phxNewFlags(o, app, module)], { cwd: staging, env: io.env });
      if (r.exitCode !== 0) {
        const why = r.output.trim().split("\n").filter((l) => l.trim() !== "").slice(-3).join(" ");
        throw new UserError(`mix phx.new failed: ${why}`);
      }
      // phx.new --umbrella writes NAME_umbrella: the one folder it made.
      const made = path.join(staging, readdirSync(staging)[0] ?? name);
      for (const file of filesUnder(made)) {
        const bytes = readFileSync(path.join(made, file));
        if (isUtf8(bytes) && !bytes.includes(0)) actions.push({ type: "otp:write", path: file, content: bytes.toString("utf8") });
        else binaries.push({ path: file, content: bytes });
      }
      if (!actions.some((a) => a.path === "mix.exs")) throw new UserError("mix phx.new wrote no mix.exs");
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }

    const versions = await detectVersions(io.env, io.mix, io.cwd);
    const elixir = versions.elixir ? majorMinor(versions.elixir) : "1.18";
    const web = `${module}Web`;
    // phx.new's folder for it: lib/<app>_web (shop_2 -> shop_2_web, not Shop2Web's shop2_web);
    // in an umbrella, also the web app's name.
    const webPath = `${app}_web`;
    const core = o.umbrella ? `apps/${app}/` : "";
    const webApp = o.umbrella ? `apps/${webPath}/` : "";
    // A Mix task of the web app as the root's alias and CI run it: in an umbrella, in the web app's folder.
    const inWebApp = (task: string): string => (o.umbrella ? `cmd --app ${webPath} mix ${task}` : task);
    const wrote = (f: string): boolean => actions.some((a) => a.path === f);
    const binding = {
      app,
      module,
      web,
      webPath,
      elixir,
      otpMajor: versions.otp?.split(".")[0] ?? "27",
      ecto: o.ecto,
      credo: true,
      dialyxir: true,
      postgres: o.ecto && o.database === "postgres",
      // phx.new's esbuild and Tailwind: CI builds them too.
      assets: true,
      // CI runs the tests with --cover, held to mix.exs's test_coverage.
      coverage: true,
      phxNewFiles: phxNewOwnFiles(webPath)
        .map((f) => (f.startsWith("test/support/data_case") ? `${core}${f}` : `${webApp}${f}`))
        .filter(wrote),
      umbrella: o.umbrella,
      // Sobelow, Phoenix's security scanner, in precommit and CI (.sobelow-conf).
      sobelow: `mix ${inWebApp("sobelow --config")}`,
      assetsCommand: `mix ${inWebApp("assets.setup")} && mix ${inWebApp("assets.build")}`,
    };
    if (o.umbrella) {
      // The tools and precommit at the root; each app's coverage gate in its own mix.exs, run in its
      // folder. Sobelow scans one Phoenix app, from its own folder: at an umbrella's root it says so
      // and exits 0, which would end precommit there, silently, before dialyzer and the tests.
      const precommit = PRECOMMIT.map((t) => (t === "sobelow --config" ? inWebApp(t) : t === "test --cover" ? "cmd mix test --cover" : t));
      const inApp = (dir: string) => (f: string) => wrote(`${dir}${f}`);
      actions.push(
        ...toolPatches("mix.exs", precommit, false),
        sobelowDep(`${webApp}mix.exs`),
        ...coveragePatches(`${core}mix.exs`, coreIgnored(inApp(core), app, module)),
        ...coveragePatches(`${webApp}mix.exs`, webIgnored(inApp(webApp), web, webPath)),
      );
    } else {
      actions.push(...mixExsPatches(coverageIgnored(wrote, app, module, web)));
    }
    actions.push(
      render(".credo.exs", ".credo.exs"),
      render(".sobelow-conf", `${webApp}.sobelow-conf`),
      gitignorePatch("/priv/plts/", "Dialyzer's PLTs (mix dialyzer --plt); CI caches them.", "ignore Dialyzer's PLTs (priv/plts)"),
    );
    if (o.ci) actions.push(render(".github/workflows/ci.yml", ".github/workflows/ci.yml"));

    const tasks: Task[] = [];
    if (binaries.length > 0) tasks.push({ kind: "write-binary", files: binaries });
    if (o.install) tasks.push({ kind: "deps.get" });
    if (o.git) tasks.push({ kind: "git.init" });
    const cd = path.relative(io.cwd, root) || ".";
    return {
      root,
      binding,
      actions,
      tasks,
      requireEmptyRoot: true,
      nextSteps: [
        `cd ${cd}`,
        ...(o.install ? [] : ["mix deps.get"]),
        ...(o.ecto ? ["mix ecto.create"] : []),
        "mix phx.server",
        "mix precommit   # compile, format, credo --strict, dialyzer and tests with coverage, as CI runs them",
      ],
    };
  },
});
