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
  const web = `${project.module}Web`;
  return { web, webPath: underscore(web) };
}

/** Whether the project's application module starts phx.new's DNSCluster (read with the syntax reader). */
export function appStartsDnsCluster(project: MixProject): boolean {
  if (!project.phoenix || project.appFile === undefined) return false;
  const file = path.join(project.root, project.appFile);
  return existsSync(file) && startsDnsCluster(readFileSync(file, "utf8"));
}
