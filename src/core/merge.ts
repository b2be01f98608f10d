// Three-way merge of text by lines (diff3): what `gen upgrade` and `gen undo`
// use to carry a change into a file the user has edited since.
import { diff3Merge } from "node-diff3";

/** Lines with their line endings, so that joining them gives the text back. */
export function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export interface MergeResult {
  text: string;
  /** Regions both sides changed differently. */
  conflicts: number;
  /** With "withdraw": conflicting regions left as ours, since the change's lines were gone and later ones are there. */
  kept: number;
}

export interface MergeOptions {
  /** Marker labels: `<<<<<<< ours`, `>>>>>>> theirs`. */
  labels: { ours: string; theirs: string };
  /**
   * A conflict's resolution: marked (git's style); theirs taken; or
   * "withdraw": ours, less the lines base added over theirs (compared without
   * indentation or a trailing comma), which takes back one change (base over
   * theirs) and keeps what others added beside it. Where none of base's lines
   * is left in ours, the region stays as ours if it holds `protectedLines`
   * (what later changes added), else goes back to theirs (gen undo --force).
   */
  onConflict?: "markers" | "theirs" | "withdraw";
  /**
   * With "withdraw": lines other changes added (later runs). Where none of
   * base's added lines is left in a region, the region stays as ours when it
   * holds one of these, rather than going back to theirs over them.
   */
  protectedLines?: readonly string[];
}

const ended = (part: string[]): string[] => {
  const last = part[part.length - 1];
  return last !== undefined && !last.endsWith("\n") ? [...part.slice(0, -1), `${last}\n`] : part;
};

/**
 * Merge the change base→theirs into ours. Regions only one side changed take
 * that side; regions both changed the same way are taken once; the rest are
 * conflicts.
 */
export function merge3(ours: string, base: string, theirs: string, options: MergeOptions): MergeResult {
  if (ours === base) return { text: theirs, conflicts: 0, kept: 0 };
  if (theirs === base || theirs === ours) return { text: ours, conflicts: 0, kept: 0 };
  const regions = diff3Merge(lines(ours), lines(base), lines(theirs), { excludeFalseConflicts: true });
  let conflicts = 0;
  let keptRegions = 0;
  const key = (l: string): string => l.trim().replace(/,$/, "");
  const protectedKeys = new Set((options.protectedLines ?? []).map(key).filter((k) => k !== ""));
  const out: string[] = [];
  for (const r of regions) {
    if (r.ok) {
      out.push(...(r.ok as string[]));
      continue;
    }
    const c = r.conflict as { a: string[]; b: string[]; o: string[] };
    conflicts++;
    if (options.onConflict === "theirs") {
      out.push(...c.b);
      continue;
    }
    if (options.onConflict === "withdraw") {
      const added = new Set(c.o.map(key).filter((k) => k !== "" && !c.b.some((l) => key(l) === k)));
      const kept = c.a.filter((l) => !added.has(key(l)));
      if (kept.length < c.a.length) out.push(...kept);
      else if (c.a.some((l) => protectedKeys.has(key(l)))) {
        // None of base's lines is left, and later changes added lines here: never put theirs over them.
        keptRegions++;
        out.push(...c.a);
      } else out.push(...c.b); // ours rewrote base's lines, and nothing else is there: back to theirs
      continue;
    }
    out.push(`<<<<<<< ${options.labels.ours}\n`, ...ended(c.a), "=======\n", ...ended(c.b), `>>>>>>> ${options.labels.theirs}\n`);
  }
  return { text: out.join(""), conflicts, kept: keptRegions };
}

/** Whether a text still holds conflict markers (a merge left for the user). */
export function hasConflictMarkers(text: string): boolean {
  return /^<<<<<<< .*\n(?:.*\n)*?=======\n(?:.*\n)*?>>>>>>> /m.test(text);
}
