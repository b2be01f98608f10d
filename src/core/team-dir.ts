// Where a team folder is, found without loading team.ts (its zod schemas): a
// run in a project without one (gen list, most runs) never builds them.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { Team } from "./team.js";

export const TEAM_DIR = ".otpgen";

/** What makes a `.otpgen/` folder a team folder (one holding only the manifest's runs/ is not). */
export const TEAM_ENTRIES = ["config.json", "config.mjs", "templates", "generators", "ejected.json"];

/** The nearest `.otpgen/` team folder at or above `from`. */
export function findTeamDir(from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, TEAM_DIR);
    if (existsSync(candidate) && statSync(candidate).isDirectory() && TEAM_ENTRIES.some((e) => existsSync(path.join(candidate, e)))) {
      return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The team folder's config at or above `from`: team.ts (and its zod schemas) load only when there is one. */
export async function teamAt(from: string, cwd: string): Promise<Team | undefined> {
  return findTeamDir(from) === undefined ? undefined : (await import("./team.js")).loadTeam(from, cwd);
}
