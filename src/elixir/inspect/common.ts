// What every area reader of `gen inspect` shares: the app's files (each
// parsed once), locations as the inspected root sees them, and the list of
// what could not be read. Needs `loadReader()` first.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { stringValue } from "../phoenix.js";
import { filesUnder } from "../project.js";
import { callArgs, callName, callReceiver, codeChildren, defHead, findAll, parse, type Node, type Tree } from "../reader.js";
import { pairKey, throughAttribute, type ModuleInfo } from "../sup-tree.js";
import { pairValue as valueOf } from "../ecto.js";
import type { UnreadItem } from "./schema.js";

export { stringValue, pairKey, throughAttribute, valueOf };

export class Files {
  private readonly trees = new Map<string, Tree | undefined>();
  private readonly texts = new Map<string, string | undefined>();

  /**
   * @param root the folder read (absolute)
   * @param prefix its path from the inspected root, `/`-ended or "" (`apps/billing/`)
   */
  constructor(
    readonly root: string,
    readonly prefix: string,
    readonly unread: UnreadItem[],
  ) {}

  exists(file: string): boolean {
    return existsSync(path.join(this.root, file));
  }

  read(file: string): string | undefined {
    if (!this.texts.has(file)) {
      let text: string | undefined;
      try {
        text = readFileSync(path.join(this.root, file), "utf8");
      } catch {
        text = undefined;
      }
      this.texts.set(file, text);
    }
    return this.texts.get(file);
  }

  /** The file's syntax tree (parsed once); a file the reader cannot read fully is listed in unread, and what it could read is used. */
  tree(file: string, area: string): Tree | undefined {
    if (this.trees.has(file)) return this.trees.get(file);
    const text = this.read(file);
    const tree = text === undefined ? undefined : parse(text);
    if (tree?.rootNode.hasError) this.unreadable(tree, file, area);
    this.trees.set(file, tree);
    return tree;
  }

  /** Lists a file with syntax errors once, at its first error. */
  unreadable(tree: Tree, file: string, area: string): void {
    // The innermost error: an ERROR node holding no other (the outer ones span whole modules).
    const errors: Node[] = [];
    const walk = (n: Node): void => {
      if (n.type === "ERROR" || n.isMissing) errors.push(n);
      for (const c of n.children) if (c) walk(c);
    };
    walk(tree.rootNode);
    const bad = errors.find((e) => !errors.some((o) => o !== e && o.startIndex >= e.startIndex && o.endIndex <= e.endIndex)) ?? errors[0];
    this.unread.push({ area, file: this.rel(file), line: Math.min((bad?.startPosition.row ?? 0) + 1, tree.rootNode.text.trimEnd().split("\n").length), what: "the file", reason: "the reader could not parse all of it (a syntax error, or syntax newer than the grammar); only what it could read is reported" });
  }

  /** A path as the inspected root sees it. */
  rel(file: string): string {
    return `${this.prefix}${file}`;
  }

  /** `{file, line}` of a node in `file`. */
  loc(file: string, node: Node): { file: string; line: number } {
    return { file: this.rel(file), line: node.startPosition.row + 1 };
  }

  note(area: string, file: string, node: Node | undefined, what: string, reason: string): void {
    this.unread.push({ area, file: this.rel(file), ...(node ? { line: node.startPosition.row + 1 } : {}), what, reason });
  }

  /** Files under `dir` (relative, recursive, sorted by code unit) whose names pass `test`. */
  list(dir: string, test: (name: string) => boolean, skip: (name: string) => boolean = () => false): string[] {
    return filesUnder(this.root, dir, test, skip);
  }
}

/** Source text on one line, shortened. */
export function oneLine(text: string, max = 80): string {
  const f = text.replace(/\s+/g, " ").trim();
  return f.length > max ? `${f.slice(0, max - 3)}...` : f;
}


/** The pairs of a keyword list: a `keywords` node, or a list literal holding one. */
export function pairs(node: Node | undefined): Node[] {
  if (!node) return [];
  const kw = node.type === "keywords" ? node : node.type === "list" ? codeChildren(node).find((c) => c.type === "keywords") : undefined;
  return kw ? codeChildren(kw).filter((c) => c.type === "pair") : [];
}


/** The keyword list written as a call's last argument (`plug X, at: "/"`), or its trailing keywords. */
export function callOpts(call: Node): Node | undefined {
  const args = callArgs(call);
  const last = args[args.length - 1];
  return last?.type === "keywords" || last?.type === "list" ? last : undefined;
}

/** `:name` as `name`; other text unchanged. */
export const atomText = (n: Node | undefined): string | undefined => (n === undefined ? undefined : n.type === "atom" ? n.text.slice(1) : n.text);

/** A string literal's text, or the expression written (one line). */
export const stringOrText = (n: Node | undefined): string => (n === undefined ? "" : (stringValue(n) ?? oneLine(n.text, 60)));

/**
 * The environment variables read by `System.get_env/1,2` and `System.fetch_env!/1`
 * among `calls`, by name as written (a name that is not a literal is not one).
 */
export function environmentReads(calls: readonly Node[]): { name: string; required: boolean; default?: string; at: Node }[] {
  return calls.flatMap((call) => {
    if (callReceiver(call) !== "System" || !["get_env", "fetch_env!", "fetch_env"].includes(callName(call) ?? "")) return [];
    const [name, fallback] = callArgs(call);
    const v = stringValue(name);
    return v ? [{ name: v, required: callName(call) === "fetch_env!", ...(fallback ? { default: oneLine(fallback.text, 40) } : {}), at: call }] : [];
  });
}

/** The name of the def/defp a node sits in, as `name/arity`. */
export function enclosingFunction(node: Node): string | undefined {
  for (let p = node.parent; p; p = p.parent) {
    const kind = callName(p);
    if (kind === "def" || kind === "defp") {
      const head = defHead(p);
      return head ? `${head.name}/${head.arity}` : undefined;
    }
  }
  return undefined;
}

/** Whether a module `use`s `what`, or `use Web, :kind` for one of `kinds`. */
export function usesKind(info: ModuleInfo, what: readonly string[], kinds: readonly string[] = []): boolean {
  return codeChildren(info.body ?? info.node).some((n) => {
    if (callName(n) !== "use") return false;
    const [mod, kind] = callArgs(n);
    return what.includes(mod?.text ?? "") || (kind?.type === "atom" && kinds.includes(kind.text.slice(1)));
  });
}

/** The `use X, opts` call of a module for `X`. */
export function useCall(info: ModuleInfo, what: string): Node | undefined {
  return codeChildren(info.body ?? info.node).find((n) => callName(n) === "use" && callArgs(n)[0]?.text === what);
}

/** The Elixir config files of an app: config.exs first, then the rest in name order, with the env each is for. */
export function configFiles(files: Files, configDir: string): { file: string; env: string }[] {
  const names = files.list(configDir, (n) => n.endsWith(".exs")).filter((f) => !f.slice(configDir.length + 1).includes("/"));
  const env = (f: string): string => {
    const base = path.posix.basename(f, ".exs");
    return base === "config" ? "all" : base;
  };
  return names.sort((a, b) => (env(a) === "all" ? -1 : env(b) === "all" ? 1 : a < b ? -1 : 1)).map((file) => ({ file, env: env(file) }));
}

/** `config :app, key, value` / `config :app, kw` calls of a config file. */
export function configCalls(tree: Tree, app: string): { call: Node; key: string | undefined; value: Node | undefined }[] {
  return findAll(tree.rootNode, (n) => callName(n) === "config" && !callReceiver(n) && callArgs(n)[0]?.text === `:${app}`).map((call) => {
    const args = callArgs(call);
    return args.length >= 3 ? { call, key: atomText(args[1]), value: args[2] } : { call, key: undefined, value: args[1] };
  });
}
/**
 * libcluster topologies among keyword pairs (`name: [strategy: Cluster.Strategy.X, ...]`),
 * wherever they are written: each `strategy:` pair naming a strategy, under the
 * topology whose pair holds it.
 */
export function topologies(pairsFound: readonly Node[]): { topology: string; strategy: string; at: Node }[] {
  const out: { topology: string; strategy: string; at: Node }[] = [];
  for (const p of pairsFound) {
    if (pairKey(p) !== "strategy") continue;
    const strategy = p.childForFieldName("value")?.text ?? "";
    if (!/^Cluster\.Strategy\.|Strategy$/.test(strategy)) continue;
    let topology = "?";
    for (let n = p.parent; n; n = n.parent) {
      if (n.type === "pair") {
        topology = pairKey(n);
        break;
      }
    }
    out.push({ topology, strategy: oneLine(strategy, 60), at: p });
  }
  return out;
}
