// What the Phoenix generators share: refusing outside a Phoenix project, and
// the web module's names.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { UserError } from "../../src/core/errors.js";
import type { Plan } from "../../src/core/generator.js";
import { fileDefining, readMixProject, umbrellaAppsNeeded, type MixProject } from "../../src/elixir/project.js";
import { loadReader } from "../../src/elixir/reader.js";
import { underscore } from "../../src/elixir/naming.js";
import { startsDnsCluster } from "../../src/elixir/phoenix.js";

export interface WebNames {
  /** ShopWeb */
  web: string;
  /** shop_web */
  webPath: string;
  /**
   * The app the contexts, the Repo and the PubSub are in: the project itself,
   * or in a phx.new umbrella's web app, the domain app it depends on.
   */
  domain: DomainApp;
}

export interface DomainApp {
  project: MixProject;
  /** The path from the web app's root to the domain app's, POSIX ("" when they are one app). */
  rel: string;
}

export function requirePhoenix(project: MixProject, generator: string): WebNames {
  if (!project.phoenix) {
    const web = project.umbrellaRoot === undefined ? undefined : webSibling(project);
    if (web !== undefined) {
      throw new UserError(`gen ${generator} writes into the umbrella's web app: run it with --app ${web} (or from apps/${web}); what belongs to ${project.app} goes there`);
    }
    throw new UserError(`gen ${generator} works in a Phoenix project (one made by mix phx.new); mix.exs has no :phoenix dependency`);
  }
  const web = webModuleOf(project);
  const webPath = webPathOf(project);
  if (project.umbrellaRoot === undefined) return { web, webPath, domain: { project, rel: "" } };
  // phx.new --umbrella: the web app (ShopWeb, lib/shop_web) and the domain app it depends on (Shop).
  return { web, webPath, domain: domainOf(project, generator) };
}

/** An umbrella's Phoenix web app (shop_web, ShopWeb): its own module and folder are the web ones. */
function isUmbrellaWebApp(project: MixProject): boolean {
  return project.umbrellaRoot !== undefined && project.module.endsWith("Web");
}

/** The web module: ShopWeb beside Shop, or an umbrella's web app's own (its app is shop_web). */
export function webModuleOf(project: MixProject): string {
  return isUmbrellaWebApp(project) ? project.module : `${project.module}Web`;
}

/** The `<app>_web` app beside a domain app in an umbrella, if there is one. */
function webSibling(project: MixProject): string | undefined {
  const web = `${project.app}_web`;
  return existsSync(path.join(path.dirname(project.root), web, "mix.exs")) ? web : undefined;
}

/**
 * The domain app of an umbrella's web app: the app it depends on
 * (`in_umbrella: true`) named like it without `_web` (phx.new's layout),
 * else the only such app with Ecto.
 */
function domainOf(project: MixProject, generator: string): DomainApp {
  const umbrella = project.umbrellaRoot as string;
  const needed = umbrellaAppsNeeded(umbrella, project.root).slice(1);
  const apps = needed.map((at) => readMixProject(path.join(umbrella, at)));
  const named = apps.find((a) => `${a.app}_web` === project.app);
  const withEcto = apps.filter((a) => a.ecto);
  const domain = named ?? (withEcto.length === 1 ? withEcto[0] : undefined);
  if (domain === undefined) {
    throw new UserError(
      `gen ${generator} in an umbrella's web app puts the contexts in the app it depends on, and ${project.app}'s mix.exs names ${apps.length === 0 ? "no app with in_umbrella: true" : `no single one with Ecto (${apps.map((a) => a.app).join(", ")})`}`,
    );
  }
  return { project: domain, rel: path.relative(project.root, domain.root).split(path.sep).join("/") };
}

/**
 * The web module's folder under lib/: phx.new names it after the app
 * (`shop_2` -> lib/shop_2_web, whose module is Shop2Web), which the module's
 * name alone does not give back (Shop2Web -> shop2_web). In an umbrella's web
 * app (shop_web, ShopWeb) it is the app's own folder.
 */
export function webPathOf(project: MixProject): string {
  const candidates = [`${project.app}_web`, ...(isUmbrellaWebApp(project) ? [project.app] : [])];
  return candidates.find((named) => existsSync(path.join(project.root, "lib", named))) ?? underscore(`${project.module}Web`);
}

/** Whether the project's application module starts phx.new's DNSCluster (read with the syntax reader). */
export function appStartsDnsCluster(project: MixProject): boolean {
  if (!project.phoenix || project.appFile === undefined) return false;
  const file = path.join(project.root, project.appFile);
  return existsSync(file) && startsDnsCluster(readFileSync(file, "utf8"));
}

/**
 * A plan made for the domain app (gen context's), as actions of the web app's
 * run: its paths from the web app's root (`../shop/lib/shop/catalog.ex`), which
 * the run may write in an umbrella.
 */
export function fromDomain(plan: Plan, domain: DomainApp, webRoot: string): Plan {
  if (domain.rel === "") return plan;
  const actions = plan.actions.map((a) => ({ ...a, path: path.posix.join(domain.rel, a.path) }));
  return { ...plan, root: webRoot, actions };
}

/**
 * `--live NAME` (gen live-component, gen hook): the LiveView module, the web
 * module's prefix added when left out, and the file under lib/ that defines
 * it (by syntax); refused, naming it, when none does.
 */
export async function liveViewOf(project: MixProject, web: string, given: string): Promise<{ module: string; file: string }> {
  const module = given.startsWith(`${web}.`) ? given : `${web}.${given}`;
  await loadReader();
  const file = fileDefining(project.root, module);
  if (!file) throw new UserError(`invalid --live "${given}": no file under lib/ defines ${module}`);
  return { module, file };
}
