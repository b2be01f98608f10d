// What the Phoenix generators share: refusing outside a Phoenix project, and
// the web module's names.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { UserError } from "../../src/core/errors.js";
import type { MixProject } from "../../src/elixir/project.js";
import { underscore } from "../../src/elixir/naming.js";
import { startsDnsCluster } from "../../src/elixir/phoenix.js";

export interface WebNames {
  /** ShopWeb */
  web: string;
  /** shop_web */
  webPath: string;
}

export function requirePhoenix(project: MixProject, generator: string): WebNames {
  if (!project.phoenix) {
    throw new UserError(`gen ${generator} works in a Phoenix project (one made by mix phx.new); mix.exs has no :phoenix dependency`);
  }
  if (project.umbrellaRoot !== undefined) {
    // phx.new --umbrella splits the app: its web app's module (ShopWeb) is already the web one.
    throw new UserError(
      `gen ${generator} expects a single Phoenix app, and ${project.app} is an app of an umbrella; it is not written for an umbrella's web app yet (gen context works in the umbrella's domain app)`,
    );
  }
  return { web: `${project.module}Web`, webPath: webPathOf(project) };
}

/**
 * The web module's folder under lib/: phx.new names it after the app
 * (`shop_2` -> lib/shop_2_web, whose module is Shop2Web), which the module's
 * name alone does not give back (Shop2Web -> shop2_web).
 */
export function webPathOf(project: MixProject): string {
  const named = `${project.app}_web`;
  return existsSync(path.join(project.root, "lib", named)) ? named : underscore(`${project.module}Web`);
}

/** Whether the project's application module starts phx.new's DNSCluster (read with the syntax reader). */
export function appStartsDnsCluster(project: MixProject): boolean {
  if (!project.phoenix || project.appFile === undefined) return false;
  const file = path.join(project.root, project.appFile);
  return existsSync(file) && startsDnsCluster(readFileSync(file, "utf8"));
}
