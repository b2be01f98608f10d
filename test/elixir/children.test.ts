import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { addChild, addStartCall, type ChildSpec } from "../../src/elixir/children.js";

const worker: ChildSpec = { code: "{MyApp.RateLimiter, []}", ids: ["MyApp.RateLimiter"] };

const app = (children: string, extra = ""): string => `defmodule MyApp.Application do
  @moduledoc false

  use Application
${extra}
  @impl true
  def start(_type, _args) do
${children}

    opts = [strategy: :one_for_one, name: MyApp.Supervisor]
    Supervisor.start_link(children, opts)
  end
end
`;

const shapes: Record<string, string> = {
  "mix new --sup": app(`    children = [
      # Starts a worker by calling: MyApp.Worker.start_link(arg)
      # {MyApp.Worker, arg}
    ]`),
  "one existing child": app(`    children = [
      {Registry, keys: :unique, name: MyApp.Registry}
    ]`),
  "trailing comma": app(`    children = [
      MyApp.Repo,
      {Phoenix.PubSub, name: MyApp.PubSub},
    ]`),
  "multi-line tuple with options": app(`    children = [
      {Task.Supervisor,
       name: MyApp.TaskSupervisor,
       max_children: 10},
      {DynamicSupervisor, strategy: :one_for_one, name: MyApp.Dyn}
    ]`),
  "comments after the last child": app(`    children = [
      MyApp.Repo,
      # {MyApp.Later, []}
      # more to come
    ]`),
  "module attributes": app(
    `    children = [
      {MyApp.Cache, @cache_opts},
      {MyApp.Pool, size: @pool_size}
    ]`,
    `
  @cache_opts [ttl: 1_000]
  @pool_size 10
`,
  ),
  "list ++ more": app(`    children =
      [
        MyApp.Repo
      ] ++ extra_children()`),
  "strings, heredocs, sigils and chars with brackets": app(
    `    children = [
      {MyApp.Named, name: "weird ] [ name", re: ~r/\\[x\\]/, chars: ~c"]", ch: ?[},
      {MyApp.Other, doc: """
      ] not the end [
      """}
    ]`,
    `
  @doc_example """
  children = [ this is not it ]
  """
`,
  ),
  "one-line empty": app(`    children = []`),
  "one-line list": app(`    children = [MyApp.Repo, MyApp.Endpoint]`),
  "closing bracket on the last line": app(`    children = [
      MyApp.Repo,
      MyApp.Endpoint]`),
  "interpolation with brackets": app(`    children = [
      {MyApp.Tagged, tag: "node-#{Enum.join([1, 2], "]")}"}
    ]`),
};

/** Parse each source with real Elixir; report which are not format-clean. */
async function elixirVerdicts(sources: string[]): Promise<string[]> {
  const script = `
    IO.read(:stdio, :eof)
    |> String.split("\\u0000", trim: true)
    |> Enum.each(fn src ->
      case Code.string_to_quoted(src) do
        {:ok, _} ->
          formatted = IO.iodata_to_binary([Code.format_string!(src), "\\n"])
          IO.puts(if formatted == src, do: "formatted", else: "parses")
        {:error, e} -> IO.puts("error " <> inspect(e))
      end
    end)
  `;
  const r = await execa("elixir", ["-e", script], { input: sources.join("\u0000") });
  return r.stdout.split("\n");
}

describe("addChild on many shapes of application.ex", () => {
  const names = Object.keys(shapes);

  it("adds the child, keeps every shape valid Elixir and format-clean when it was", async () => {
    const results = names.map((n) => addChild(shapes[n] as string, worker));
    for (const [i, r] of results.entries()) expect(r.status, names[i]).toBe("added");
    const outs = results.map((r) => (r.status === "added" ? r.source : ""));
    const before = await elixirVerdicts(names.map((n) => shapes[n] as string));
    const after = await elixirVerdicts(outs);
    for (const [i, n] of names.entries()) {
      expect(after[i], `${n}\n${outs[i]}`).not.toMatch(/^error/);
      if (before[i] === "formatted") expect(after[i], `${n}\n${outs[i]}`).toBe("formatted");
    }
    for (const out of outs) expect(out).toContain("{MyApp.RateLimiter, []}");
  });

  it("is idempotent: applying twice leaves the second result unchanged", () => {
    for (const n of names) {
      const once = addChild(shapes[n] as string, worker);
      expect(once.status).toBe("added");
      const twice = addChild((once as { source: string }).source, worker);
      expect(twice, n).toEqual({ status: "present", source: (once as { source: string }).source });
    }
  });

  it("appends after comments, keeping them", () => {
    const r = addChild(shapes["mix new --sup"] as string, worker);
    expect(r.status === "added" && r.source).toContain(`    children = [
      # Starts a worker by calling: MyApp.Worker.start_link(arg)
      # {MyApp.Worker, arg}
      {MyApp.RateLimiter, []}
    ]`);
  });

  it("adds the missing comma after the last child", () => {
    const r = addChild(app(`    children = [\n      MyApp.Repo\n    ]`), worker);
    expect(r.status === "added" && r.source).toContain(`    children = [\n      MyApp.Repo,\n      {MyApp.RateLimiter, []}\n    ]`);
  });

  it("fills a one-line list on one line while it fits", () => {
    const r = addChild(shapes["one-line empty"] as string, worker);
    expect(r.status === "added" && r.source).toContain("    children = [{MyApp.RateLimiter, []}]\n");
  });

  it("puts a Registry before the processes that name themselves through it", () => {
    const src = app(`    children = [
      MyApp.Repo,
      {MyApp.Worker, name: {:via, Registry, {MyApp.Registry, :main}}}
    ]`);
    const registry: ChildSpec = {
      code: "{Registry, keys: :unique, name: MyApp.Registry}",
      ids: ["MyApp.Registry"],
      before: ["MyApp.Registry"],
    };
    const r = addChild(src, registry);
    expect(r.status === "added" && r.source).toContain(`    children = [
      MyApp.Repo,
      {Registry, keys: :unique, name: MyApp.Registry},
      {MyApp.Worker, name: {:via, Registry, {MyApp.Registry, :main}}}
    ]`);
    expect(addChild((r as { source: string }).source, registry).status).toBe("present");
  });

  it("places a Registry before the child whose code names it, not one that has the name in a string or a comment", () => {
    const src = app(`    children = [
      {MyApp.Audit, label: "uses MyApp.Registry"},
      # MyApp.Registry is started below
      MyApp.Repo,
      {MyApp.Worker, name: {:via, Registry, {MyApp.Registry, :main}}}
    ]`);
    const r = addChild(src, { code: "{Registry, keys: :unique, name: MyApp.Registry}", ids: ["MyApp.Registry"], before: ["MyApp.Registry"] });
    expect(r.status === "added" && r.source).toContain(`      MyApp.Repo,
      {Registry, keys: :unique, name: MyApp.Registry},
      {MyApp.Worker, name: {:via, Registry, {MyApp.Registry, :main}}}`);
  });

  it("recognises a child already present in another form", () => {
    expect(addChild(app(`    children = [\n      MyApp.RateLimiter\n    ]`), worker).status).toBe("present");
    expect(addChild(app(`    children = [\n      {MyApp.RateLimiter, limit: 5}\n    ]`), worker).status).toBe("present");
    // Registered under its name by another module: the same process.
    expect(addChild(app(`    children = [\n      {Other.Limiter, name: MyApp.RateLimiter}\n    ]`), worker).status).toBe("present");
    // Its name only in a string or a comment inside another child: not it.
    const mentioned = app(`    children = [\n      {Other.Limiter, label: "name: MyApp.RateLimiter"},\n      # name: MyApp.RateLimiter\n      Other.Cache\n    ]`);
    expect(addChild(mentioned, worker).status).toBe("added");
  });

  it("patches the clause that has the list when start/2 has several clauses", () => {
    const src = `defmodule MyApp.Application do
  @moduledoc false
  use Application

  @impl true
  def start(:normal, _args) do
    children = [
      MyApp.Repo
    ]

    Supervisor.start_link(children, strategy: :one_for_one)
  end

  def start({:takeover, _node}, args), do: start(:normal, args)
end
`;
    const r = addChild(src, worker);
    expect(r.status).toBe("added");
    expect((r as { source: string }).source).toContain("      MyApp.Repo,\n      {MyApp.RateLimiter, []}\n    ]");
  });

  it.each([
    [
      "children read from config at run time",
      `defmodule A.Application do\n  use Application\n\n  def start(_t, _a) do\n    Supervisor.start_link(Application.fetch_env!(:a, :children), strategy: :one_for_one)\n  end\nend\n`,
      /its children come from `Application.fetch_env!\(:a, :children\)`, which cannot be known without running the code/,
    ],
    [
      "a children variable bound again without its earlier value",
      `defmodule A.Application do\n  use Application\n\n  def start(_t, _a) do\n    children = [A.Repo]\n    children = if true, do: children, else: []\n    children = build_children()\n    Supervisor.start_link(children, strategy: :one_for_one)\n  end\nend\n`,
      /`children` is bound again on line 7 without its earlier value/,
    ],
    ["not Elixir at all", "%%% ]]] [[[ \"", /does not parse as Elixir/],
    ["an unclosed list", "defmodule A do\n  def start(_, _) do\n    children = [\n      A.B,\n", /does not parse as Elixir/],
  ])("refuses %s, changing nothing and giving the snippet", (_name, src, reason) => {
    const r = addChild(src, worker);
    expect(r).toMatchObject({ status: "refused", snippet: "{MyApp.RateLimiter, []}" });
    expect((r as { reason: string }).reason).toMatch(reason);
  });

  it("adds to the first list when later bindings of `children` extend it (three bindings)", () => {
    const src = `defmodule A.Application do\n  use Application\n\n  def start(_t, _a) do\n    children = [A.Repo]\n    children = if flag(), do: children, else: []\n    children = [A.Other | children]\n    Supervisor.start_link(children, strategy: :one_for_one)\n  end\nend\n`;
    const r = addChild(src, worker);
    expect(r).toMatchObject({ status: "added" });
    const out = (r as { source: string }).source;
    expect(out).toContain("children = [A.Repo, {MyApp.RateLimiter, []}]");
    expect(out.match(/MyApp\.RateLimiter/g)).toHaveLength(1);
    expect(addChild(out, worker)).toEqual({ status: "present", source: out });
  });

  it("patches init/1 of a supervisor module when asked to", () => {
    const src = `defmodule MyApp.Workers do
  @moduledoc false
  use Supervisor

  def start_link(opts), do: Supervisor.start_link(__MODULE__, opts, name: __MODULE__)

  @impl true
  def init(_opts) do
    children = [
      MyApp.A
    ]

    Supervisor.init(children, strategy: :one_for_one)
  end
end
`;
    const r = addChild(src, worker, "init");
    expect((r as { source: string }).source).toContain("      MyApp.A,\n      {MyApp.RateLimiter, []}\n    ]");
  });
});

describe("addChild with `after`", () => {
  it("puts the child right after the element it follows (Presence after PubSub), idempotently", () => {
    const src = app(`    children = [
      MyApp.Repo,
      {Phoenix.PubSub, name: MyApp.PubSub},
      MyAppWeb.Endpoint
    ]`);
    const presence: ChildSpec = { code: "MyAppWeb.Presence", ids: ["MyAppWeb.Presence"], after: ["Phoenix.PubSub"] };
    const r = addChild(src, presence);
    expect(r.status === "added" && r.source).toContain(
      "      {Phoenix.PubSub, name: MyApp.PubSub},\n      MyAppWeb.Presence,\n      MyAppWeb.Endpoint\n",
    );
    expect(addChild((r as { source: string }).source, presence).status).toBe("present");
    const last = addChild(app(`    children = [\n      {Phoenix.PubSub, name: MyApp.PubSub}\n    ]`), presence);
    expect(last.status === "added" && last.source).toContain("      {Phoenix.PubSub, name: MyApp.PubSub},\n      MyAppWeb.Presence\n    ]");
  });
});

describe("addStartCall: a call at the top of start/2, before the tree starts", () => {
  const call = "MyApp.Telemetry.setup_tracing()";

  it("goes before the first expression, above the comments that introduce it; a second run changes nothing", () => {
    const source = app(`    # The app's processes, in start order.
    children = [MyApp.Repo]`);
    const r = addStartCall(source, call);
    expect(r.status).toBe("added");
    const out = "source" in r ? r.source : "";
    expect(out).toContain("  def start(_type, _args) do\n    MyApp.Telemetry.setup_tracing()\n\n    # The app's processes, in start order.\n    children = [MyApp.Repo]\n");
    expect(addStartCall(out, call)).toEqual({ status: "present", source: out });
  });

  it("is present when start/2 calls it already, with other arguments or inside a block", () => {
    const source = app("    if tracing?(), do: MyApp.Telemetry.setup_tracing(:all)\n    children = []");
    expect(addStartCall(source, call).status).toBe("present");
  });

  it.each([
    ["a one-line start/2", "defmodule MyApp.Application do\n  use Application\n  def start(_, _), do: MyApp.Supervisor.start_link([])\nend\n", "its start/2 has no do ... end body to add to"],
    ["two clauses", "defmodule MyApp.Application do\n  def start(:normal, _), do: :ok\n  def start(_, _), do: :ok\nend\n", "its start/2 has more than one clause"],
    ["no start/2", "defmodule MyApp.Application do\n  def stop(_), do: :ok\nend\n", "it defines no start/2"],
    ["a file that does not parse", "defmodule MyApp.Application do\n  def start(_, _) do\n", "the file does not parse as Elixir"],
  ])("refuses %s with the snippet", (_name, source, reason) => {
    expect(addStartCall(source, call)).toEqual({ status: "refused", reason, snippet: call });
  });
});
