import { readFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { addDep, addFunction, addProjectEntry, setAlias } from "../../src/elixir/children.js";

const fixture = (p: string): string => readFileSync(path.resolve(import.meta.dirname, "..", p), "utf8");

const mixNew = `defmodule Demo.MixProject do
  use Mix.Project

  def project do
    [
      app: :demo,
      version: "0.1.0",
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      deps: deps()
    ]
  end

  # Run "mix help compile.app" to learn about applications.
  def application do
    [
      extra_applications: [:logger],
      mod: {Demo.Application, []}
    ]
  end

  # Run "mix help deps" to learn about dependencies.
  defp deps do
    [
      # {:dep_from_hexpm, "~> 0.3.0"},
      # {:dep_from_git, git: "https://github.com/elixir-lang/my_dep.git", tag: "0.1.0"}
    ]
  end
end
`;

const noDeps = mixNew.replace(/ {2}defp deps do\n[\s\S]*?\n {2}end\n/, "  defp deps do\n    []\n  end\n");
const shapes: Record<string, string> = { "mix new": mixNew, "empty deps": noDeps, "mix phx.new": fixture("fixtures/phx_app/mix.exs") };

async function formatted(sources: string[]): Promise<string[]> {
  const script = `
    IO.read(:stdio, :eof)
    |> String.split("\\u0000", trim: true)
    |> Enum.each(fn src -> IO.puts(IO.iodata_to_binary([Code.format_string!(src), "\\n"]) == src) end)
  `;
  return (await execa("elixir", ["-e", script], { input: sources.join("\u0000") })).stdout.split("\n");
}

describe("mix.exs patchers", () => {
  it("add a dep, a project entry and a function on every shape, format-clean, and idempotently", async () => {
    const outs: string[] = [];
    for (const [name, src] of Object.entries(shapes)) {
      let s = src;
      for (const step of [
        (x: string) => addDep(x, "libcluster", '{:libcluster, "~> 3.4"}'),
        (x: string) => addProjectEntry(x, "releases", "releases: releases()"),
        (x: string) => addFunction(x, "releases", "  defp releases do\n    [demo: [include_executables_for: [:unix]]]\n  end"),
      ]) {
        const once = step(s);
        expect(once.status, name).toBe("added");
        s = (once as { source: string }).source;
        expect(step(s), name).toEqual({ status: "present", source: s });
      }
      expect(s).toContain('{:libcluster, "~> 3.4"}');
      outs.push(s);
    }
    expect(await formatted(outs)).toEqual(["true", "true", "true"]);
    expect(outs[0]).toContain(`      # {:dep_from_git, git: "https://github.com/elixir-lang/my_dep.git", tag: "0.1.0"}
      {:libcluster, "~> 3.4"}
    ]`);
    expect(outs[1]).toContain('  defp deps do\n    [{:libcluster, "~> 3.4"}]\n  end');
    expect(outs[0]).toContain("      deps: deps(),\n      releases: releases()\n    ]");
  });

  it("refuses a mix.exs whose deps are not a literal list, with the snippet", () => {
    const odd = mixNew.replace(/ {2}defp deps do\n[\s\S]*?\n {2}end\n/, "  defp deps, do: base_deps() ++ extra_deps()\n");
    expect(addDep(odd, "libcluster", '{:libcluster, "~> 3.4"}')).toMatchObject({ status: "refused", snippet: '{:libcluster, "~> 3.4"}' });
  });

  it("set the precommit alias by syntax: phx.new's alias rewritten one step a line, format-clean, idempotent; a look-alike in a comment is not it", async () => {
    const steps = ["compile --warnings-as-errors", "format --check-formatted", "credo --strict", "test"];
    const phx = fixture("fixtures/phx_app/mix.exs");
    const decoy = phx.replace("  defp aliases do", '  # precommit: ["not", "this"]\n  defp aliases do');
    const r = setAlias(decoy, "precommit", steps);
    expect(r.status).toBe("added");
    const out = (r as { source: string }).source;
    expect(out).toContain('# precommit: ["not", "this"]');
    expect(out).toContain('      precommit: [\n        "compile --warnings-as-errors",\n        "format --check-formatted",\n        "credo --strict",\n        "test"\n      ]');
    expect(out).not.toContain("compile --warning-as-errors");
    expect(setAlias(out, "precommit", steps)).toEqual({ status: "present", source: out });
    expect(await formatted([out.replace('  # precommit: ["not", "this"]\n', "")])).toEqual(["true"]);
    // mix new has no aliases/0: refused, with the alias to add.
    expect(setAlias(mixNew, "precommit", steps)).toMatchObject({ status: "refused", snippet: expect.stringContaining('precommit: [\n        "compile --warnings-as-errors"') });
  });
});
