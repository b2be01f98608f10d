// Which modules --under may name: the project's own `use Supervisor` modules,
// read by syntax, checked against what Elixir itself compiles them to.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { loadReader } from "../../src/elixir/reader.js";
import { supervisorModules } from "../../src/elixir/sup-tree.js";
import { tempDir } from "../helpers.js";

const FILES: Record<string, string> = {
  "lib/shop/workers.ex": `defmodule Shop.Workers do
  @moduledoc false
  use Supervisor, restart: :permanent

  def start_link(opts), do: Supervisor.start_link(__MODULE__, opts, name: __MODULE__)

  @impl true
  def init(_opts), do: Supervisor.init([], strategy: :one_for_one)
end
`,
  // Mentions, not uses: a comment and a string.
  "lib/shop/cache.ex": `defmodule Shop.Cache do
  @moduledoc """
  Not a supervisor, though its docs say: use Supervisor for a tree.
  """
  # use Supervisor
  use GenServer

  def start_link(opts), do: GenServer.start_link(__MODULE__, opts)

  @impl true
  def init(opts), do: {:ok, opts}
end
`,
  // A nested module: Shop.Pipeline.Stages.
  "lib/shop/pipeline.ex": `defmodule Shop.Pipeline do
  @moduledoc false

  defmodule Stages do
    @moduledoc false
    use Supervisor

    def start_link(opts), do: Supervisor.start_link(__MODULE__, opts)

    @impl true
    def init(_opts), do: Supervisor.init([], strategy: :rest_for_one)
  end
end
`,
  // A DynamicSupervisor has no init/1 children to add to.
  "lib/shop/rooms.ex": `defmodule Shop.Rooms do
  @moduledoc false
  use DynamicSupervisor

  def start_link(opts), do: DynamicSupervisor.start_link(__MODULE__, opts)

  @impl true
  def init(_opts), do: DynamicSupervisor.init(strategy: :one_for_one)
end
`,
  "lib/shop/deep/nested/tree.ex": `defmodule Shop.Deep.Tree do
  @moduledoc false
  use Supervisor

  def start_link(opts), do: Supervisor.start_link(__MODULE__, opts)

  @impl true
  def init(_opts), do: Supervisor.init([], strategy: :one_for_all)
end
`,
};

/** Modules that Elixir compiles with the Supervisor behaviour (DynamicSupervisor's is its own). */
async function elixirSupervisors(root: string): Promise<string[]> {
  const script = `
    files = Path.wildcard("lib/**/*.ex")
    {:ok, mods, _} = Kernel.ParallelCompiler.compile(files)
    for m <- mods, Supervisor in List.flatten(Keyword.get_values(m.module_info(:attributes), :behaviour)), do: IO.puts(inspect(m))
  `;
  const r = await execa("elixir", ["-e", script], { cwd: root });
  return r.stdout.split("\n").filter(Boolean).sort();
}

describe("supervisorModules: the project's own Supervisor modules", () => {
  beforeAll(loadReader);

  it("finds them by syntax (nested names in full; comments, strings and DynamicSupervisors are not), as Elixir compiles them", async () => {
    const root = tempDir();
    for (const [file, source] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), source);
    }
    const found = supervisorModules(root);
    expect(found).toEqual([
      { module: "Shop.Deep.Tree", file: "lib/shop/deep/nested/tree.ex" },
      { module: "Shop.Pipeline.Stages", file: "lib/shop/pipeline.ex" },
      { module: "Shop.Workers", file: "lib/shop/workers.ex" },
    ]);
    expect(found.map((s) => s.module).sort()).toEqual(await elixirSupervisors(root));
  });
});
