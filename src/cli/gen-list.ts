// `gen list`'s text, and what decides whether bin/load.cjs may print it
// without starting the bundle: the build writes both beside the bundle
// (dist/gen-list.json), for a project with no team folder (whose generators
// the list would include) and no unfinished flush (which gen finishes first).
import { BUILTIN_LISTING } from "./builtins.js";
import { TEAM_DIR, TEAM_ENTRIES } from "../core/team-dir.js";
import { JOURNAL } from "../core/flush.js";

/** A generator as listed: its name and what it does. */
export type Listed = { name: string; description: string };

export function listingText(generators: readonly Listed[]): string {
  if (generators.length === 0) return "No generators are available yet in this version of create-otp-app.\n";
  const width = Math.max(...generators.map((g) => g.name.length));
  return `Generators (gen <generator> --help for options):\n${generators.map((g) => `  ${g.name.padEnd(width)}  ${g.description}\n`).join("")}`;
}

/** What bin/load.cjs reads (dist/gen-list.json). */
export function staticList(): { text: string; teamDir: string; teamEntries: readonly string[]; journals: readonly string[] } {
  return { text: listingText(BUILTIN_LISTING), teamDir: TEAM_DIR, teamEntries: TEAM_ENTRIES, journals: [JOURNAL, `${JOURNAL}.tmp`] };
}
