// What the Phoenix generators share: refusing outside a Phoenix project, and
// the web module's names.
import { UserError } from "../../src/core/errors.js";
import type { MixProject } from "../../src/elixir/project.js";
import { underscore } from "../../src/elixir/naming.js";

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
