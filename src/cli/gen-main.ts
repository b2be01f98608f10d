// `gen`: generators inside a Mix project.
import path from "node:path";
import { GEN_USAGE as USAGE } from "./gen-usage.js";
import { BUILTIN_LISTING, BUILTIN_NAMES, loadBuiltin } from "./builtins.js";
import { listingText, type Listed } from "./gen-list.js";
import type { GeneratorDef } from "../core/generator.js";
import type { Io } from "../core/io.js";
import { packageVersion } from "../core/paths.js";
import { UserError, isExitPromptError } from "../core/errors.js";
import { existsSync } from "node:fs";
import { findMixRoot, readMixProject, umbrellaApps, umbrellaRootProject, type MixProject } from "../elixir/project.js";
import type { Team } from "../core/team.js";
import { teamAt } from "../core/team-dir.js";
import { BusyError, recoverAndSay } from "../core/flush.js";

/** Finish a flush a killed run left in `root`; false (said on stderr) when another run is writing there now. */
async function recovered(root: string, io: Io): Promise<boolean> {
  try {
    await recoverAndSay(root, io.stderr, "gen");
    return true;
  } catch (err) {
    if (!(err instanceof BusyError)) throw err;
    io.stderr(`gen: ${err.message}\n`);
    return false;
  }
}

const LIFECYCLE = ["status", "undo", "upgrade"] as const;

/** Take `--app NAME` (or `--app=NAME`) out of argv. */
function takeApp(argv: string[]): { app: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let app: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--app") app = argv[++i] ?? "";
    else if (a.startsWith("--app=")) app = a.slice("--app=".length);
    else rest.push(a);
  }
  return { app, rest };
}

/**
 * The project to generate into: the Mix project around cwd, or one app of an
 * umbrella. `rootRuns` (gen status, undo, upgrade): at an umbrella's root
 * without --app, the root itself when it has runs of its own (create-otp-app
 * --umbrella's).
 */
async function resolveProject(root: string, argv: string[], io: Io, rootRuns = false): Promise<{ project: MixProject; args: string[] }> {
  const { app, rest } = takeApp(argv);
  // mix.exs is read by syntax: the reader loads here, once (the patches use it too).
  await (await import("../elixir/reader.js")).loadReader();
  const apps = umbrellaApps(root);
  if (rootRuns && apps !== undefined && app === undefined && existsSync(path.join(root, ".otpgen", "runs"))) {
    return { project: umbrellaRootProject(root), args: rest };
  }
  if (apps === undefined) {
    const project = readMixProject(root);
    if (app !== undefined && app !== project.app) {
      throw new UserError(`invalid --app "${app}": this project's app is ${project.app} (--app is for umbrella projects)`);
    }
    return { project, args: rest };
  }
  // Inside apps/<name>/ of an umbrella, findMixProject already returned that app.
  const names = apps.map((a) => path.basename(a));
  if (names.length === 0) throw new UserError(`the umbrella project in ${root} has no apps yet`);
  let chosen = app;
  if (chosen === undefined && !rest.includes("--yes") && !rest.includes("-y") && io.interactive) {
    chosen = await io.prompter.select({ message: "Which app of the umbrella?", choices: names.map((n) => ({ name: n, value: n })) });
  }
  if (chosen === undefined) throw new UserError(`this is an umbrella project; pass --app with one of: ${names.join(", ")}`);
  const index = names.indexOf(chosen);
  if (index === -1) throw new UserError(`invalid --app "${chosen}": the umbrella's apps are ${names.join(", ")}`);
  return { project: readMixProject(path.join(root, apps[index] as string)), args: rest };
}

function list(io: Io, generators: readonly Listed[]): number {
  io.stdout(listingText(generators));
  return 0;
}

/** Outside a Mix project: one line naming where it looked and what to do; exit 2. */
function noProject(io: Io): void {
  io.stderr(`gen: no mix.exs in ${io.cwd} or any directory above it; run gen inside a Mix project (create one with: npx create-otp-app my_app)\n`);
}

/** At a terminal, `gen` alone offers the generators (the team's included) in a list filtered as you type. */
async function pick(io: Io, generators: readonly Listed[]): Promise<string | undefined> {
  try {
    return await io.prompter.search({
      message: "Which generator? (type to filter)",
      choices: generators.map((g) => ({ name: g.name, value: g.name, description: g.description })),
    });
  } catch (err) {
    if (isExitPromptError(err)) return undefined;
    throw err;
  }
}

export async function gen(argv: string[], io: Io, given?: readonly GeneratorDef[]): Promise<number> {
  let [first, ...rest] = argv as [string | undefined, ...string[]];
  const isHelp = first === "-h" || first === "--help" || first === "help";
  const isVersion = first === "-v" || first === "--version";
  // At a terminal, `gen` alone (or with only options, e.g. `gen --no-check`) offers the list.
  const picking = (first === undefined || (first.startsWith("-") && !isHelp && !isVersion)) && io.interactive;
  if (picking && first !== undefined) {
    rest = [first, ...rest];
    first = undefined;
  }
  if ((first === undefined && !picking) || isHelp) {
    io.stdout(USAGE);
    return first === undefined ? 2 : 0;
  }
  if (isVersion) {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  // The generators (and zod with them) load only when asked for: a run of one
  // generator loads that one alone; list, the picker, doctor and the lifecycle
  // commands load them all.
  let builtins = given;
  const allBuiltins = async (): Promise<readonly GeneratorDef[]> => (builtins ??= await (await import("./registry.js")).loadAllBuiltins());
  const root = findMixRoot(io.cwd);
  // A flush a killed process left in this project is finished first, whatever the command.
  if (root && !(await recovered(root, io))) return 1;
  if (picking && !root) {
    noProject(io);
    return 2;
  }
  if (root && first !== "list" && first !== "templates") {
    // Everything that runs in a project reads its Elixir: the reader's WebAssembly
    // compiles on V8's background threads while the generators and the team config load.
    void import("../elixir/reader.js").then((r) => r.loadReader()).catch(() => undefined);
  }
  const builtinNames = given ? given.map((g) => g.name) : BUILTIN_NAMES;
  let team: Team | undefined;
  let teamGenerators: GeneratorDef[] = [];
  const teamCommand = first === "eject" || first === "templates" || first === "doctor";
  if (first === "tree") {
    if (!root) {
      noProject(io);
      return 2;
    }
    const { tree } = await import("./tree-command.js");
    return tree(rest, root, io);
  }
  if (first === "inspect") {
    if (!root) {
      noProject(io);
      return 2;
    }
    const { inspect } = await import("./inspect-command.js");
    return inspect(rest, root, io, allBuiltins);
  }
  if (first === "doctor") {
    const { doctor } = await import("./team-commands.js");
    if (root) await (await import("../elixir/reader.js")).loadReader();
    const { app, rest: args } = takeApp(rest);
    const unknown = args.find((a) => a !== "--ci");
    if (unknown !== undefined) {
      io.stderr(`gen doctor: unknown option ${JSON.stringify(unknown)}; usage: gen doctor [--ci] [--app NAME]\n`);
      return 2;
    }
    const ci = args.includes("--ci");
    const apps = root ? umbrellaApps(root) : undefined;
    if (root && apps !== undefined && app === undefined && apps.length > 0) {
      // An umbrella's root without --app: each app, from its own folder.
      let code = 0;
      for (const dir of apps) {
        io.stdout(`${dir}\n`);
        code = Math.max(code, await doctor(await allBuiltins(), { project: readMixProject(path.join(root, dir)) }, io, path.join(root, dir), ci));
      }
      return code;
    }
    if (!root) return doctor(await allBuiltins(), { project: undefined }, io, io.cwd, ci);
    try {
      const { project } = await resolveProject(root, app === undefined ? [] : ["--app", app], { ...io, interactive: false });
      return doctor(await allBuiltins(), { project }, io, project.root, ci);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      io.stderr(`gen doctor: ${err.message}\n`);
      return err.exitCode;
    }
  }
  // The team config's schemas (zod) load only where there is a team folder.
  try {
    team = await teamAt(root ?? io.cwd, io.cwd);
    if (team) {
      const { loadPlopGenerators } = await import("../core/plop-generators.js");
      teamGenerators = [...(await loadPlopGenerators(team.generatorFiles, [...builtinNames, "eject", "templates", "doctor", "inspect", "tree", "list", ...LIFECYCLE]))];
    }
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    io.stderr(`gen: ${err.message}\n`);
    return err.exitCode;
  }
  if (first === undefined) {
    first = await pick(io, [...(given ?? BUILTIN_LISTING), ...teamGenerators]);
    if (first === undefined) {
      io.stderr("gen: cancelled; nothing was written\n");
      return 130;
    }
  }
  if (first === "list") return list(io, [...(given ?? BUILTIN_LISTING), ...teamGenerators]);
  if ((LIFECYCLE as readonly string[]).includes(first)) {
    if (!root) {
      noProject(io);
      return 2;
    }
    const { lifecycle } = await import("./lifecycle.js");
    let project: MixProject;
    let args: string[];
    let projectTeam = team;
    try {
      ({ project, args } = await resolveProject(root, rest, io, true));
      if (project.root !== root) {
        projectTeam = (await teamAt(project.root, io.cwd)) ?? team;
        if (!(await recovered(project.root, io))) return 1;
      }
    } catch (err) {
      if (err instanceof UserError) {
        io.stderr(`gen ${first}: ${err.message}\n`);
        return err.exitCode;
      }
      throw err;
    }
    // create-otp-app's own runs are re-planned too (a --phoenix run says why it is not).
    const all = await (await import("./registry.js")).withCreationGenerators([...(await allBuiltins()), ...teamGenerators]);
    return lifecycle(first as (typeof LIFECYCLE)[number], args, { root: project.root, project, team: projectTeam, generators: all, io });
  }
  if (first === "templates") {
    const { templatesDiff } = await import("./team-commands.js");
    if (rest[0] !== "diff") {
      io.stderr("gen templates: usage: gen templates diff <generator>\n");
      return 2;
    }
    return templatesDiff(rest[1], team, io);
  }
  let eject: GeneratorDef | undefined;
  if (teamCommand) {
    const { ejectGenerator } = await import("./team-commands.js");
    eject = ejectGenerator(builtinNames);
  }
  if (first.startsWith("-")) {
    io.stderr(`gen: unknown option ${JSON.stringify(first)}; run gen --help\n`);
    return 2;
  }
  const named = first;
  const def =
    [...teamGenerators, ...(eject ? [eject] : [])].find((g) => g.name === named) ??
    (given ? given.find((g) => g.name === named) : await loadBuiltin(named));
  const wantsHelp = rest.includes("--help") || rest.includes("-h");
  if (!root && !(def && wantsHelp)) {
    noProject(io);
    return 2;
  }
  if (!def) {
    io.stderr(`gen: unknown generator ${JSON.stringify(first)}; run gen list to see the generators\n`);
    return 2;
  }
  const { runGenerator } = await import("../core/engine.js");
  if (wantsHelp) return runGenerator(def, rest, io, `gen ${def.name}`);
  let project: MixProject;
  let args = rest;
  let projectTeam = team;
  try {
    ({ project, args } = await resolveProject(root as string, rest, io));
    // In an umbrella, a team folder in the chosen app wins over one at the root.
    if (project.root !== root) projectTeam = (await teamAt(project.root, io.cwd)) ?? team;
  } catch (err) {
    if (err instanceof UserError) {
      io.stderr(`gen ${def.name}: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
  return runGenerator(def, args, io, `gen ${def.name}`, { project, team: projectTeam });
}
