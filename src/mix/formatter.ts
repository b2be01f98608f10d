// Elixir's own formatter (Code.format_string!) over rendered files, for the
// generators whose output has lines that grow with the names given (contexts
// and LiveViews: `get_warehouse_stock_adjustment_record!/2` and friends). One
// BEAM serves a whole run: files go to it one base64 line at a time and come
// back formatted. Without `elixir` on PATH, or when a file does not parse (a
// team's template, say), the text is kept as rendered and the check step
// reports on it.
import type { ChildProcess } from "node:child_process";
import { childProcess, readline } from "../core/lazy-builtin.js";
import { findAll, loadReader, parse, type Node } from "../elixir/reader.js";

const SCRIPT = `
[locals, line_length] = System.argv()
{locals, _} = Code.eval_string(locals)
opts = [locals_without_parens: locals, line_length: String.to_integer(line_length)]

loop = fn loop ->
  case IO.read(:stdio, :line) do
    :eof ->
      :ok

    line ->
      src = line |> String.trim() |> Base.decode64!()

      reply =
        try do
          "OK " <> Base.encode64(IO.iodata_to_binary([Code.format_string!(src, opts), "\\n"]))
        rescue
          e -> "ERR " <> Base.encode64(Exception.message(e))
        end

      IO.write(reply <> "\\n")
      loop.(loop)
  end
end

loop.(loop)
`;

export interface FormatOptions {
  /** Elixir source of the locals_without_parens list, e.g. `[field: 2, add: 2]`. */
  localsWithoutParens: string;
  lineLength: number;
}

export class ElixirFormatter {
  private child: ChildProcess | undefined;
  private broken = false;
  private waiting: ((line: string | undefined) => void)[] = [];

  constructor(private readonly opts: FormatOptions) {}

  /** Boot the BEAM now (it takes a few hundred ms), so it is ready when the first file is. */
  start(): ChildProcess | undefined {
    if (this.child || this.broken) return this.child;
    try {
      const child = childProcess().spawn("elixir", ["-e", SCRIPT, this.opts.localsWithoutParens, String(this.opts.lineLength)], {
        stdio: ["pipe", "pipe", "ignore"],
      });
      child.on("error", () => this.fail());
      child.on("exit", () => this.fail());
      child.stdin?.on("error", () => this.fail());
      readline().createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => this.waiting.shift()?.(line));
      this.child = child;
    } catch {
      this.broken = true;
    }
    return this.child;
  }

  private fail(): void {
    this.broken = true;
    this.child = undefined;
    for (const w of this.waiting.splice(0)) w(undefined);
  }

  /** `source` formatted, or as given when it cannot be (no elixir, or it does not parse). */
  async format(source: string): Promise<string> {
    const child = this.start();
    if (!child || this.broken) return source;
    const line = await new Promise<string | undefined>((resolve) => {
      this.waiting.push(resolve);
      child.stdin?.write(`${Buffer.from(source, "utf8").toString("base64")}\n`);
    });
    if (line === undefined || !line.startsWith("OK ")) return source;
    return Buffer.from(line.slice(3), "base64").toString("utf8");
  }

  /**
   * A fragment that lives inside a module (functions, a describe block):
   * formatted as the body of a module, so its indentation is kept.
   */
  async formatInModule(fragment: string): Promise<string> {
    const wrapped = `defmodule OtpgenFragment do\n${fragment.replace(/\s+$/, "")}\nend\n`;
    const out = await this.format(wrapped);
    if (out === wrapped) return fragment;
    const lines = out.replace(/\n$/, "").split("\n");
    return `${lines.slice(1, -1).join("\n")}\n`;
  }

  close(): void {
    this.child?.stdin?.end();
    this.child = undefined;
  }
}

/**
 * An integer option of a .formatter.exs (`line_length: 120`), read by syntax:
 * a commented-out or quoted one is not an option. Files that do not mention
 * the key are not parsed (nor the reader loaded).
 */
async function formatterInteger(formatterExs: string | undefined, key: string): Promise<number | undefined> {
  if (formatterExs === undefined || !formatterExs.includes(`${key}:`)) return undefined;
  await loadReader();
  const isKey = (n: Node): boolean => n.type === "pair" && n.childForFieldName("key")?.text.trim() === `${key}:`;
  const value = findAll(parse(formatterExs).rootNode, isKey)[0]?.childForFieldName("value");
  return value?.type === "integer" ? Number(value.text.replace(/_/g, "")) : undefined;
}

/** The line_length a project's .formatter.exs sets (literally), else the formatter's default, 98. */
export async function lineLengthOf(formatterExs: string | undefined): Promise<number> {
  return (await formatterInteger(formatterExs, "line_length")) ?? 98;
}

/** The HEEx formatter's line length: `heex_line_length`, else `line_length`, else 98 (Phoenix.LiveView.HTMLFormatter's rule). */
export async function heexLineLengthOf(formatterExs: string | undefined): Promise<number> {
  return (await formatterInteger(formatterExs, "heex_line_length")) ?? (await lineLengthOf(formatterExs));
}
