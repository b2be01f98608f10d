// create-otp-app: a supervised OTP application with the tooling a serious
// team wants from day one.
import path from "node:path";
import { defineGenerator, type RenderAction, type Task } from "../../src/core/generator.js";
import { UserError } from "../../src/core/errors.js";
import { appNameFromDir, appNameProblem, camelize } from "../../src/elixir/naming.js";
import { detectVersions, FALLBACK_ELIXIR, majorMinor, versionAtLeast } from "../../src/elixir/versions.js";
import { schema } from "./schema.js";

const render = (template: string, out: string): RenderAction => ({ type: "otp:render", template: `app/${template}.hbs`, path: out });
const umbrellaRender = (template: string, out: string): RenderAction => ({ type: "otp:render", template: `umbrella/${template}.hbs`, path: out });

export default defineGenerator({
  name: "app",
  // Re-planned by gen upgrade in the project it created: its directory is the project's root.
  replay: { options: (recorded, root) => ({ ...recorded, dir: root }) },
  description: "Create a new Mix project: a supervised OTP application with format, credo, dialyzer, docs and CI set up",
  examples: [
    "create-otp-app my_app",
    "create-otp-app my_app --module MyCompany.MyApp --no-ci --yes",
    "create-otp-app services/billing --app billing --no-install --no-git --yes",
    "create-otp-app platform --umbrella --app billing   # an umbrella: tools and config at the root, apps/billing",
    "create-otp-app shop --phoenix   # mix phx.new's app plus this layer (see create-otp-app --phoenix --help)",
  ],
  schema,
  derive(partial, io) {
    let app = partial.app;
    if (app === undefined && partial.dir) {
      const dir = path.basename(path.resolve(io.cwd, partial.dir));
      app = appNameFromDir(dir);
      const problem = appNameProblem(app);
      if (problem) {
        // At a terminal the app name is asked with no default; elsewhere this is the error.
        if (io.interactive) return { app: undefined, module: partial.module };
        throw new UserError(`cannot name the app after the directory "${dir}" (${problem}); pass --app NAME`);
      }
    }
    return { app, module: partial.module ?? (app ? camelize(app) : undefined) };
  },
  async plan(o, io) {
    const root = path.resolve(io.cwd, o.dir);
    const app = o.app ?? appNameFromDir(path.basename(root));
    const module = o.module ?? camelize(app);
    const versions = await detectVersions(io.env, io.mix, io.cwd);
    const elixir = o.elixir ?? (versions.elixir ? majorMinor(versions.elixir) : FALLBACK_ELIXIR);
    const otpMajor = versions.otp?.split(".")[0] ?? (versionAtLeast(elixir, "1.17") ? "27" : "26");

    const binding = {
      app,
      module,
      description: o.description,
      elixir,
      otpMajor,
      // Mix 1.15 moved preferred environments from project/0 to cli/0.
      cliFunction: versionAtLeast(elixir, "1.15"),
      credo: o.credo,
      dialyxir: o.dialyxir,
      exDoc: o.exDoc,
      ci: o.ci,
      // CI and precommit run the tests with --cover, held to mix.exs's test_coverage threshold.
      coverage: true,
      umbrella: o.umbrella,
      anyDeps: o.credo || o.dialyxir || o.exDoc,
    };

    // An umbrella: the team's layer and the config at the root, the app under apps/<app>.
    const at = o.umbrella ? `apps/${app}/` : "";
    const actions: RenderAction[] = [
      o.umbrella ? umbrellaRender("mix.exs", "mix.exs") : render("mix.exs", "mix.exs"),
      ...(o.umbrella ? [umbrellaRender("apps/__app__/mix.exs", `${at}mix.exs`), umbrellaRender(".formatter.exs", ".formatter.exs")] : []),
      render(".formatter.exs", `${at}.formatter.exs`),
      render(".gitignore", ".gitignore"),
      o.umbrella ? umbrellaRender("README.md", "README.md") : render("README.md", "README.md"),
      render("config/config.exs", "config/config.exs"),
      render("config/dev.exs", "config/dev.exs"),
      render("config/test.exs", "config/test.exs"),
      render("config/prod.exs", "config/prod.exs"),
      render("config/runtime.exs", "config/runtime.exs"),
      render("lib/__app__.ex", `${at}lib/${app}.ex`),
      render("lib/__app__/application.ex", `${at}lib/${app}/application.ex`),
      render("test/test_helper.exs", `${at}test/test_helper.exs`),
      render("test/__app__/application_test.exs", `${at}test/${app}/application_test.exs`),
    ];
    if (o.credo) actions.push(render(".credo.exs", ".credo.exs"));
    if (o.ci) actions.push(render(".github/workflows/ci.yml", ".github/workflows/ci.yml"));

    const tasks: Task[] = [];
    if (o.install && binding.anyDeps) tasks.push({ kind: "deps.get" });
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
        ...(binding.anyDeps && !o.install ? ["mix deps.get"] : []),
        "mix test",
        "iex -S mix",
        ...(binding.anyDeps ? ["mix precommit   # format, compile, credo, dialyzer and tests with coverage, as CI runs them"] : []),
      ],
    };
  },
});
