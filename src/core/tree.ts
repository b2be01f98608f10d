// The virtual tree: generators render and patch into it; nothing here writes
// to disk. `changes()` compares it with what is on disk.
import { readFileSync, statSync } from "node:fs";
import path from "node:path";

export type FileAction = "create" | "update" | "identical" | "delete";

export interface Change {
  /** Path relative to the tree's root, with forward slashes. */
  path: string;
  action: FileAction;
  /** Content on disk before the run (undefined for a new file). */
  before: string | undefined;
  after: string;
  /** File mode for new files (e.g. 0o755 for scripts). */
  mode: number | undefined;
  /** Written by a patcher (an intended edit of an existing file), not rendered over it. */
  patched: boolean;
}

interface Entry {
  content: string;
  mode: number | undefined;
  patched: boolean;
}

export class Tree {
  readonly root: string;
  private readonly entries = new Map<string, Entry>();
  private readonly diskCache = new Map<string, string | undefined>();

  /**
   * `overlay`: content that stands in for the disk's (undefined: the file is
   * gone), so that a plan can run on a project as an earlier plan would leave
   * it (gen upgrade re-plans recorded runs one after another).
   */
  /**
   * `outer`: a directory above the root this run may also write in (an
   * umbrella's root, whose config/ its apps load); its files are named from
   * the root (`../../config/config.exs`).
   */
  constructor(
    root: string,
    private readonly overlay?: ReadonlyMap<string, string | undefined>,
    outer?: string,
  ) {
    this.root = path.resolve(root);
    this.outer = outer === undefined ? undefined : path.resolve(outer);
  }

  private readonly outer: string | undefined;

  private normalise(rel: string): string {
    const clean = path.posix.normalize(rel.replace(/\\/g, "/"));
    if (path.posix.isAbsolute(clean)) throw new Error(`path escapes the project: ${rel}`);
    if (clean.startsWith("../") || clean === "..") {
      const within = this.outer === undefined ? undefined : path.relative(this.outer, path.resolve(this.root, clean));
      if (within === undefined || within === "" || within.startsWith("..") || path.isAbsolute(within)) throw new Error(`path escapes the project: ${rel}`);
    }
    return clean;
  }

  /** Content on disk, or undefined when the file does not exist (or is not a file). */
  readDisk(rel: string): string | undefined {
    const key = this.normalise(rel);
    if (this.overlay?.has(key)) return this.overlay.get(key);
    if (!this.diskCache.has(key)) {
      let content: string | undefined;
      try {
        const abs = path.join(this.root, key);
        content = statSync(abs).isFile() ? readFileSync(abs, "utf8") : undefined;
      } catch {
        content = undefined;
      }
      this.diskCache.set(key, content);
    }
    return this.diskCache.get(key);
  }

  /** Current content: what this run wrote, else what is on disk. */
  read(rel: string): string | undefined {
    const key = this.normalise(rel);
    return this.entries.get(key)?.content ?? this.readDisk(key);
  }

  exists(rel: string): boolean {
    return this.read(rel) !== undefined;
  }

  write(rel: string, content: string, mode?: number): void {
    this.entries.set(this.normalise(rel), { content, mode, patched: false });
  }

  /** Record an intended edit of a file (a patch), which the conflict policy does not ask about. */
  patch(rel: string, content: string): void {
    const key = this.normalise(rel);
    const rendered = this.entries.get(key);
    this.entries.set(key, { content, mode: rendered?.mode, patched: rendered ? rendered.patched : true });
  }

  /** Every file this run wrote, sorted by path, with what happens to it. */
  changes(): Change[] {
    return [...this.entries.keys()].sort().map((p) => {
      const { content, mode, patched } = this.entries.get(p) as Entry;
      const before = this.readDisk(p);
      const action: FileAction =
        before === undefined ? "create" : before === content ? "identical" : "update";
      return { path: p, action, before, after: content, mode, patched };
    });
  }
}
