// A table of real-world file shapes, modelled on Phoenix's generators and
// well-known open-source Phoenix and OTP applications, for every patcher. For
// each shape, real Elixir checks the result: it parses; the new element is
// where it belongs, as many times as it should be (an AST probe, not string
// matching); a second application changes nothing; a file that was
// format-clean stays format-clean; a refusal leaves the file byte-identical
// and carries the snippet to paste.
import { addChild, addDep, addFormatterImportDep, addFormatterInput, addFunction, type ChildSpec, type PatchResult } from "../../src/elixir/children.js";
import { addChannel, addPlugBefore, addRoutes, addSobelowIgnoreFile, addSocket, addStaticPath, addToModule, excludeFromForceSsl, extendWebTelemetry } from "../../src/elixir/phoenix.js";

export interface Shape {
  kind: string;
  name: string;
  source: string;
  patch: (source: string) => PatchResult;
  /** What the probe looks for (children:M, live:PATH, socket:PATH, def:NAME). */
  what: string;
  /**
   * A list written inline in a call that grows past the line length: Elixir's
   * formatter re-lays the whole call, which the patcher does not imitate; the
   * check step's mix format does it. The result must still be what the
   * formatter accepts as input (it parses), and stays put on a second run.
   */
  relaidByFormatter?: boolean;
  /** What the probe must find after the patch; undefined: the patch must refuse. */
  found?: string[];
  refused?: RegExp;
}

const app = (body: string, extra = ""): string => `defmodule App.Application do
  @moduledoc false
  use Application
${extra}
  @impl true
  def start(_type, _args) do
${body}
  end
end
`;

const limiter: ChildSpec = { code: "App.RateLimiter", ids: ["App.RateLimiter"] };
const beforeEndpoint: ChildSpec = { ...limiter, before: ["AppWeb.Endpoint"] };
const registry: ChildSpec = { code: "{Registry, keys: :unique, name: App.Registry}", ids: ["App.Registry"], before: ["App.Registry"] };
const child = (spec: ChildSpec, fn: "start" | "init" = "start") => (s: string) => addChild(s, spec, fn);
const C = "children:App.RateLimiter";

const PHX_CHILDREN = `    children = [
      AppWeb.Telemetry,
      App.Repo,
      {DNSCluster, query: Application.get_env(:app, :dns_cluster_query) || :ignore},
      {Phoenix.PubSub, name: App.PubSub},
      # Start a worker by calling: App.Worker.start_link(arg)
      # {App.Worker, arg},
      # Start to serve requests, typically the last entry
      AppWeb.Endpoint
    ]

    # See https://hexdocs.pm/elixir/Supervisor.html
    # for other strategies and supported options
    opts = [strategy: :one_for_one, name: App.Supervisor]
    Supervisor.start_link(children, opts)`;

const PHX_RESULT = "AppWeb.Telemetry,App.Repo,DNSCluster,Phoenix.PubSub,App.RateLimiter,AppWeb.Endpoint";

const childrenShapes: Shape[] = [
  { kind: "children", name: "phx.new 1.8: before the Endpoint, after the commented-out worker", source: app(PHX_CHILDREN), patch: child(beforeEndpoint), what: C, found: [PHX_RESULT] },
  {
    kind: "children",
    name: "mix new --sup: a list of comments only",
    source: app(`    children = [
      # Starts a worker by calling: App.Worker.start_link(arg)
      # {App.Worker, arg}
    ]

    # See https://hexdocs.pm/elixir/Supervisor.html
    # for other strategies and supported options
    opts = [strategy: :one_for_one, name: App.Supervisor]
    Supervisor.start_link(children, opts)`),
    patch: child(limiter),
    what: C,
    found: ["App.RateLimiter"],
  },
  {
    kind: "children",
    name: "a ++ chain with an if (Livebook's shape): the literal part",
    source: app(`    children =
      [
        App.Repo,
        {Task.Supervisor, name: App.TaskSupervisor}
      ] ++
        if Application.get_env(:app, :server, true) do
          [AppWeb.Endpoint]
        else
          []
        end

    Supervisor.start_link(children, strategy: :one_for_one, name: App.Supervisor)`),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,Task.Supervisor,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "a ++ chain of a private function and a literal with the Endpoint",
    source: app(
      `    Supervisor.start_link(base_children() ++ [AppWeb.Endpoint], strategy: :one_for_one, name: App.Supervisor)`,
    ).replace("end\nend\n", "end\n\n  defp base_children do\n    [App.Repo, {Phoenix.PubSub, name: App.PubSub}]\n  end\nend\n"),
    patch: child(beforeEndpoint),
    what: C,
    found: ["App.RateLimiter,AppWeb.Endpoint"],
  },
  {
    kind: "children",
    name: "a private function returning the list",
    source: app(`    Supervisor.start_link(children(), strategy: :one_for_one, name: App.Supervisor)`).replace(
      "end\nend\n",
      "end\n\n  defp children do\n    [\n      App.Repo,\n      {Phoenix.PubSub, name: App.PubSub}\n    ]\n  end\nend\n",
    ),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,Phoenix.PubSub,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "a private function of the environment, bound to a variable",
    source: app(`    children = children(Mix.env())\n    Supervisor.start_link(children, strategy: :one_for_one, name: App.Supervisor)`).replace(
      "end\nend\n",
      "end\n\n  defp children(_env) do\n    [App.Repo]\n  end\nend\n",
    ),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "a module attribute",
    source: app(`    Supervisor.start_link(@children, strategy: :one_for_one, name: App.Supervisor)`, "\n  @children [App.Repo, App.Cache]\n"),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,App.Cache,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "a list written inline in Supervisor.start_link",
    source: app(`    Supervisor.start_link([App.Repo], strategy: :one_for_one, name: App.Supervisor)`),
    patch: child(limiter),
    relaidByFormatter: true,
    what: C,
    found: ["App.Repo,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "a list piped into Enum.reject (optional children)",
    source: app(`    children =
      [
        App.Repo,
        if(Application.get_env(:app, :metrics), do: App.Metrics)
      ]
      |> Enum.reject(&is_nil/1)

    Supervisor.start_link(children, strategy: :one_for_one)`),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,expr,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "a trailing comma after the last child",
    source: app(`    children = [
      App.Repo,
      App.Cache,
    ]

    Supervisor.start_link(children, strategy: :one_for_one)`),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,App.Cache,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "a one-line start/2 with do:",
    source: `defmodule App.Application do\n  @moduledoc false\n  use Application\n\n  @impl true\n  def start(_type, _args), do: Supervisor.start_link([App.Repo], strategy: :one_for_one)\nend\n`,
    patch: child(limiter),
    relaidByFormatter: true,
    what: C,
    found: ["App.Repo,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "if/else branches bind the list: every branch",
    source: app(`    children =
      if Application.get_env(:app, :minimal) do
        [App.Repo]
      else
        [App.Repo, App.Scheduler]
      end

    Supervisor.start_link(children, strategy: :one_for_one, name: App.Supervisor)`),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,App.RateLimiter", "App.Repo,App.Scheduler,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "case on the environment: every clause",
    source: app(`    children =
      case Application.get_env(:app, :role) do
        :worker -> [App.Repo, App.Consumer]
        _ -> [App.Repo]
      end

    Supervisor.start_link(children, strategy: :one_for_one, name: App.Supervisor)`),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,App.Consumer,App.RateLimiter", "App.Repo,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "old Supervisor.Spec worker/2 and supervisor/2",
    source: app(`    import Supervisor.Spec, warn: false

    children = [
      supervisor(App.Repo, []),
      worker(App.Cache, [[name: App.Cache]])
    ]

    opts = [strategy: :one_for_one, name: App.Supervisor]
    Supervisor.start_link(children, opts)`),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,App.Cache,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "old Supervisor.Spec: already there as worker(App.RateLimiter, [])",
    source: app(`    import Supervisor.Spec, warn: false

    children = [
      worker(App.RateLimiter, [])
    ]

    Supervisor.start_link(children, strategy: :one_for_one)`),
    patch: child(limiter),
    what: C,
    found: ["App.RateLimiter"],
  },
  {
    kind: "children",
    name: "comments and strings that look like code",
    source: app(
      `    # children = [App.Fake]
    _doc = "children = [App.Other]"

    children = [
      # App.Commented,
      App.Repo # the database
    ]

    Supervisor.start_link(children, strategy: :one_for_one)`,
      '\n  @moduledoc_extra """\n  def start(_, _), do: Supervisor.start_link([App.InDoc], [])\n  """\n',
    ),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "a Registry goes before the process named through it",
    source: app(`    children = [
      App.Repo,
      {App.Sessions, name: {:via, Registry, {App.Registry, :sessions}}}
    ]

    Supervisor.start_link(children, strategy: :one_for_one)`),
    patch: child(registry),
    what: "children:Registry",
    found: ["App.Repo,Registry,App.Sessions"],
  },
  {
    kind: "children",
    name: "already there as {App.RateLimiter, opts}",
    source: app(`    children = [\n      App.Repo,\n      {App.RateLimiter, limit: 10}\n    ]\n\n    Supervisor.start_link(children, strategy: :one_for_one)`),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "already there through Supervisor.child_spec",
    source: app(`    children = [\n      Supervisor.child_spec({App.RateLimiter, []}, id: :limiter)\n    ]\n\n    Supervisor.start_link(children, strategy: :one_for_one)`),
    patch: child(limiter),
    what: C,
    found: ["App.RateLimiter"],
  },
  {
    kind: "children",
    name: "an empty list",
    source: app(`    children = []\n    Supervisor.start_link(children, strategy: :one_for_one)`),
    patch: child(limiter),
    what: C,
    found: ["App.RateLimiter"],
  },
  {
    kind: "children",
    name: "a takeover clause that delegates: the clause that starts the supervisor",
    source: app(`    children = [App.Repo]\n    Supervisor.start_link(children, strategy: :one_for_one)`).replace(
      "  end\nend\n",
      "  end\n\n  def start({:takeover, _node}, args), do: start(:normal, args)\nend\n",
    ),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "another module in the same file, after the application",
    source: `${app(`    children = [App.Repo]\n    Supervisor.start_link(children, strategy: :one_for_one)`)}\ndefmodule App.Helper do\n  @moduledoc false\n  def children, do: [App.Fake]\nend\n`,
    patch: child(limiter),
    what: C,
    found: ["App.Repo,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "init/1 of a Supervisor module",
    source: `defmodule App.Workers do\n  @moduledoc false\n  use Supervisor\n\n  def start_link(opts), do: Supervisor.start_link(__MODULE__, opts, name: __MODULE__)\n\n  @impl true\n  def init(_opts) do\n    children = [App.Worker]\n    Supervisor.init(children, strategy: :one_for_one)\n  end\nend\n`,
    patch: child(limiter, "init"),
    what: C,
    found: ["App.Worker,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "init/1 with old supervise/2",
    source: `defmodule App.Workers do\n  @moduledoc false\n  use Supervisor\n\n  def init(_opts) do\n    children = [worker(App.Worker, [])]\n    supervise(children, strategy: :one_for_one)\n  end\nend\n`,
    patch: child(limiter, "init"),
    what: C,
    found: ["App.Worker,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "refused: children from config at run time",
    source: app(`    children = Application.fetch_env!(:app, :children)\n    Supervisor.start_link(children, strategy: :one_for_one)`),
    patch: child(limiter),
    what: C,
    refused: /cannot be known without running the code/,
  },
  // Wiring round 2: the shapes real applications use that were refused.
  {
    kind: "children",
    name: "the list piped into Supervisor.start_link",
    source: app(`    [\n      App.Repo,\n      {Phoenix.PubSub, name: App.PubSub}\n    ]\n    |> Supervisor.start_link(strategy: :one_for_one, name: App.Supervisor)`),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,Phoenix.PubSub,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "a one-line piped list",
    source: app(`    [App.Repo] |> Supervisor.start_link(strategy: :one_for_one)`),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "a variable bound to a piped list, then piped again",
    source: app(`    children =\n      [\n        # the database first\n        App.Repo\n      ]\n      |> Enum.reject(&is_nil/1)\n\n    children |> Supervisor.start_link(strategy: :one_for_one)`),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "children extended by a later binding: ++ a function's list",
    source: app(`    children = [App.Repo, AppWeb.Endpoint]\n    children = children ++ extra_children()\n    Supervisor.start_link(children, strategy: :one_for_one)`, "\n  defp extra_children, do: []\n"),
    patch: child(beforeEndpoint),
    what: C,
    found: ["App.Repo,App.RateLimiter,AppWeb.Endpoint"],
  },
  {
    kind: "children",
    name: "children extended by a later binding in an if, odd layout",
    source: app(`    children = [\n      App.Repo,\n      App.Cache   # warm first\n    ]\n\n    children =\n      if Application.get_env(:app, :start_jobs, true),\n        do: children ++ [App.Jobs],\n        else: children\n\n    opts = [strategy: :one_for_one, name: App.Supervisor]\n    Supervisor.start_link(children, opts)`),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,App.Cache,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "refused: a variable rebound without its earlier value",
    source: app(`    children = [App.Repo]\n    children = extra()\n    Supervisor.start_link(children, strategy: :one_for_one)`),
    patch: child(limiter),
    what: C,
    refused: /bound again on line \d+ without its earlier value/,
  },
  {
    kind: "children",
    name: "a children function defined in both branches of a module-level if",
    source: app(
      `    Supervisor.start_link(children(), strategy: :one_for_one)`,
      "\n  if Code.ensure_loaded?(Oban) do\n    defp children, do: [App.Repo, {Oban, []}]\n  else\n    defp children do\n      [\n        App.Repo\n      ]\n    end\n  end\n",
    ),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,Oban,App.RateLimiter", "App.Repo,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "a multi-clause children(env) function, one clause per environment",
    source: app(
      `    children = children(Application.get_env(:app, :env))\n    Supervisor.start_link(children, strategy: :one_for_one)`,
      "\n  defp children(:test), do: [App.Repo]\n\n  defp children(_env) do\n    [\n      App.Repo,\n      App.Poller\n    ]\n  end\n",
    ),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,App.RateLimiter", "App.Repo,App.Poller,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "the env piped into a multi-clause children function, then into start_link",
    source: app(
      `    opts = [strategy: :one_for_one, name: App.Supervisor]\n\n    Mix.env()\n    |> children()\n    |> Supervisor.start_link(opts)`,
      "\n  defp children(:test), do: []\n  defp children(_env), do: [App.Repo, App.Poller]\n",
    ),
    patch: child(limiter),
    what: C,
    found: ["App.RateLimiter", "App.Repo,App.Poller,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "a list with a tail (`[a, b | rest]`): the child goes before the tail element",
    source: app(`    children = [App.Repo, App.Cache | extra_children()]\n    Supervisor.start_link(children, strategy: :one_for_one)`, "\n  defp extra_children, do: Application.get_env(:app, :extra, [])\n"),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,App.RateLimiter,expr"],
  },
  {
    kind: "children",
    name: "two clauses, one a tail onto the other's list: the child goes in once, where both get it",
    source: app(
      `    Supervisor.start_link(children(Application.get_env(:app, :topologies, [])), strategy: :one_for_one)`,
      "\n  defp children([]), do: base_children()\n\n  defp children(topologies),\n    do: [\n      {Cluster.Supervisor, [topologies, [name: App.ClusterSupervisor]]}\n      | base_children()\n    ]\n\n  defp base_children do\n    [\n      App.Repo\n    ]\n  end\n",
    ),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "the first value computed, a later binding appends a literal",
    source: app(`    children = Enum.map(1..2, &Supervisor.child_spec({App.Conn, &1}, id: {App.Conn, &1}))\n    children = children ++ [App.Repo]\n    Supervisor.start_link(children, strategy: :one_for_one)`),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "a flattened list of lists: the child goes in the outer list",
    source: app(`    base_children = [\n      App.Repo,\n      [{Phoenix.PubSub, name: App.PubSub}]\n    ]\n\n    Supervisor.start_link(List.flatten(base_children), strategy: :one_for_one)`),
    patch: child(limiter),
    what: C,
    found: ["App.Repo,expr,App.RateLimiter"],
  },
  {
    kind: "children",
    name: "refused: a ++ of function calls with no literal",
    source: app(`    Supervisor.start_link(base() ++ workers(), strategy: :one_for_one)`, "\n  defp base, do: Application.fetch_env!(:app, :base)\n  defp workers, do: Application.fetch_env!(:app, :workers)\n"),
    patch: child(limiter),
    what: C,
    refused: /none of which is a list literal/,
  },
  {
    kind: "children",
    name: "refused: start/2 starts the project's own supervisor (this file alone cannot hold the child)",
    source: app(`    App.Supervisor.start_link([])`),
    patch: child(limiter),
    what: C,
    refused: /starts App\.Supervisor, whose init\/1 holds the children/,
  },
  {
    kind: "children",
    name: "refused: not Elixir",
    source: "defmodule App.Application do\n  def start(_t, _a) do\n    children = [\n",
    patch: child(limiter),
    what: C,
    refused: /does not parse/,
  },
];

const router = (scopes: string): string => `defmodule AppWeb.Router do
  use AppWeb, :router

  pipeline :browser do
    plug :accepts, ["html"]
    plug :fetch_session
    plug :protect_from_forgery
  end

  pipeline :api do
    plug :accepts, ["json"]
  end
${scopes}end
`;
const ROUTES = [
  'live "/products", ProductLive.Index, :index',
  'live "/products/new", ProductLive.Form, :new',
  'live "/products/:id", ProductLive.Show, :show',
  'live "/products/:id/edit", ProductLive.Form, :edit',
];
const browser = (s: string) => addRoutes(s, ROUTES, { kind: "browser", web: "AppWeb" });
const authenticated = (s: string) => addRoutes(s, ROUTES, { kind: "authenticated", web: "AppWeb" });
const L = "live:/products";

const routerShapes: Shape[] = [
  { kind: "router", name: "phx.new: pipe_through :browser", source: router('\n  scope "/", AppWeb do\n    pipe_through :browser\n\n    get "/", PageController, :home\n  end\n'), patch: browser, what: L, found: ['scope "/"'] },
  { kind: "router", name: "pipe_through(:browser) with parentheses", source: router('\n  scope "/", AppWeb do\n    pipe_through(:browser)\n\n    get("/", PageController, :home)\n  end\n'), patch: browser, what: L, found: ['scope "/"'] },
  { kind: "router", name: "pipe_through [:browser] as a list", source: router('\n  scope "/", AppWeb do\n    pipe_through [:browser]\n\n    get "/", PageController, :home\n  end\n'), patch: browser, what: L, found: ['scope "/"'] },
  {
    kind: "router",
    name: "several scopes: api, admin with more pipelines, the browser one",
    source: router(
      '\n  scope "/api", AppWeb do\n    pipe_through :api\n  end\n\n  scope "/admin", AppWeb.Admin do\n    pipe_through [:browser, :admin]\n\n    live "/", DashboardLive\n  end\n\n  scope "/", AppWeb do\n    pipe_through :browser\n\n    get "/", PageController, :home\n  end\n',
    ),
    patch: browser,
    what: L,
    found: ['scope "/"'],
  },
  {
    kind: "router",
    name: "a commented-out route does not count",
    source: router('\n  scope "/", AppWeb do\n    pipe_through :browser\n\n    get "/", PageController, :home\n    # live "/products", ProductLive.Index, :index\n  end\n'),
    patch: browser,
    what: L,
    found: ['scope "/"'],
  },
  {
    kind: "router",
    name: "dev routes in an if, and phx.gen.auth's scopes",
    source: router(`
  scope "/", AppWeb do
    pipe_through :browser

    get "/", PageController, :home
  end

  if Application.compile_env(:app, :dev_routes) do
    import Phoenix.LiveDashboard.Router

    scope "/dev" do
      pipe_through :browser

      live_dashboard "/dashboard", metrics: AppWeb.Telemetry
    end
  end

  scope "/", AppWeb do
    pipe_through [:browser, :require_authenticated_user]

    live_session :require_authenticated_user,
      on_mount: [{AppWeb.UserAuth, :require_authenticated}] do
      live "/users/settings", UserLive.Settings, :edit
    end
  end

  scope "/", AppWeb do
    pipe_through [:browser]

    live_session :current_user,
      on_mount: [{AppWeb.UserAuth, :mount_current_scope}] do
      live "/users/register", UserLive.Registration, :new
    end
  end
`),
    patch: browser,
    what: L,
    found: ['scope "/"'],
  },
  {
    kind: "router",
    name: "scoped: the authenticated live_session",
    source: router(`
  scope "/", AppWeb do
    pipe_through :browser

    get "/", PageController, :home
  end

  scope "/", AppWeb do
    pipe_through [:browser, :require_authenticated_user]

    live_session :require_authenticated_user,
      on_mount: [{AppWeb.UserAuth, :require_authenticated}] do
      live "/users/settings", UserLive.Settings, :edit
    end
  end
`),
    patch: authenticated,
    what: L,
    found: ['scope "/" > live_session :require_authenticated_user'],
  },
  {
    kind: "router",
    name: "already there",
    source: router(`\n  scope "/", AppWeb do\n    pipe_through :browser\n\n${ROUTES.map((r) => `    ${r}`).join("\n")}\n  end\n`),
    patch: browser,
    what: L,
    found: ['scope "/"'],
  },
  { kind: "router", name: "a scope with options (as:)", source: router('\n  scope "/", AppWeb, as: :app do\n    pipe_through :browser\n\n    get "/", PageController, :home\n  end\n'), patch: browser, what: L, found: ['scope "/"'] },
  { kind: "router", name: "refused: no browser scope", source: router('\n  scope "/api", AppWeb do\n    pipe_through :api\n  end\n'), patch: browser, what: L, refused: /no `scope "\/"` block piping through :browser alone/ },
  {
    kind: "router",
    name: "two browser scopes, the second chosen (--router-scope 19, as the prompt answers)",
    source: router('\n  scope "/", AppWeb do\n    pipe_through :browser\n    get "/", PageController, :home\n  end\n\n  scope "/", AppWeb do\n    pipe_through [:browser, :require_admin]\n    get "/about", PageController, :about\n  end\n'),
    patch: (s) => addRoutes(s, ROUTES, { kind: "browser", web: "AppWeb", line: 19 }),
    what: L,
    found: ['scope "/"'],
  },
  {
    kind: "router",
    name: "refused: --router-scope names a line where no browser scope starts",
    source: router('\n  scope "/", AppWeb do\n    pipe_through :browser\n    get "/", PageController, :home\n  end\n'),
    patch: (s) => addRoutes(s, ROUTES, { kind: "browser", web: "AppWeb", line: 3 }),
    what: L,
    refused: /no `scope "\/", AppWeb do` block piping through :browser on line 3/,
  },
  {
    kind: "router",
    name: "refused: two plain browser scopes",
    source: router('\n  scope "/", AppWeb do\n    pipe_through :browser\n    get "/", PageController, :home\n  end\n\n  scope "/", AppWeb do\n    pipe_through :browser\n    get "/about", PageController, :about\n  end\n'),
    patch: browser,
    what: L,
    refused: /2 `scope/,
  },
  {
    kind: "router",
    name: "refused: scoped, but no authenticated live_session",
    source: router('\n  scope "/", AppWeb do\n    pipe_through :browser\n  end\n'),
    patch: authenticated,
    what: L,
    refused: /no live_session requiring an authenticated user/,
  },
];

const endpoint = (sockets: string): string => `defmodule AppWeb.Endpoint do
  use Phoenix.Endpoint, otp_app: :app

  @session_options [store: :cookie, key: "_app_key", signing_salt: "abc", same_site: "Lax"]
${sockets}
  plug Plug.Static, at: "/", from: :app, gzip: false

  plug AppWeb.Router
end
`;
const SOCKET = '  socket "/socket", AppWeb.UserSocket,\n    websocket: true,\n    longpoll: false\n\n';
const socket = (s: string) => addSocket(s, "/socket", SOCKET);
const S = "socket:/socket";

const endpointShapes: Shape[] = [
  { kind: "endpoint", name: "phx.new 1.8: before the live socket", source: endpoint('\n  socket "/live", Phoenix.LiveView.Socket,\n    websocket: [connect_info: [session: @session_options]],\n    longpoll: [connect_info: [session: @session_options]]\n'), patch: socket, what: S, found: ["1"] },
  { kind: "endpoint", name: "no socket yet: before the first plug", source: endpoint(""), patch: socket, what: S, found: ["1"] },
  { kind: "endpoint", name: "socket(...) with parentheses already there", source: endpoint('\n  socket("/socket", AppWeb.UserSocket, websocket: true, longpoll: false)\n'), patch: socket, what: S, found: ["1"] },
  { kind: "endpoint", name: "another module already at /socket", source: endpoint('\n  socket "/socket", AppWeb.Socket, websocket: true\n'), patch: socket, what: S, found: ["1"] },
  { kind: "endpoint", name: "a commented-out socket does not count", source: endpoint('\n  # socket "/socket", AppWeb.UserSocket, websocket: true\n'), patch: socket, what: S, found: ["1"] },
  { kind: "endpoint", name: "refused: no plug to put it before", source: "defmodule AppWeb.Endpoint do\n  use Phoenix.Endpoint, otp_app: :app\nend\n", patch: socket, what: S, refused: /no socket or plug/ },
];

// gen release's health plug: before Plug.RequestId (not logged), else Plug.Telemetry, else the router.
const HEALTH_ANCHORS = ["Plug.RequestId", "Plug.Telemetry", "AppWeb.Router"];
const health = (s: string) => addPlugBefore(s, "AppWeb.Plugs.Health", HEALTH_ANCHORS);
const phxEndpoint = endpoint("").replace(
  "  plug AppWeb.Router\n",
  '  plug Plug.RequestId\n  plug Plug.Telemetry, event_prefix: [:phoenix, :endpoint]\n\n  plug Plug.Session, @session_options\n  plug AppWeb.Router\n',
);
const healthShapes: Shape[] = [
  { kind: "endpoint", name: "health: phx.new 1.8, before Plug.RequestId", source: phxEndpoint, patch: health, what: "plugs", found: ["Plug.Static,AppWeb.Plugs.Health,Plug.RequestId,Plug.Telemetry,Plug.Session,AppWeb.Router"] },
  { kind: "endpoint", name: "health: no Plug.RequestId, before Plug.Telemetry", source: phxEndpoint.replace("  plug Plug.RequestId\n", ""), patch: health, what: "plugs", found: ["Plug.Static,AppWeb.Plugs.Health,Plug.Telemetry,Plug.Session,AppWeb.Router"] },
  { kind: "endpoint", name: "health: plug(Plug.RequestId) in parentheses", source: phxEndpoint.replace("  plug Plug.RequestId\n", "  plug(Plug.RequestId)\n"), patch: health, what: "plugs", found: ["Plug.Static,AppWeb.Plugs.Health,Plug.RequestId,Plug.Telemetry,Plug.Session,AppWeb.Router"] },
  { kind: "endpoint", name: "health: only the router", source: endpoint(""), patch: health, what: "plugs", found: ["Plug.Static,AppWeb.Plugs.Health,AppWeb.Router"] },
  { kind: "endpoint", name: "health: refused, none of the three", source: endpoint("").replace("  plug AppWeb.Router\n", "  plug AppWeb.OtherRouter\n"), patch: health, what: "plugs", refused: /none of `plug Plug.RequestId`/ },
];

const prod = (forceSsl: string): string => `import Config

config :app, AppWeb.Endpoint, cache_static_manifest: "priv/static/cache_manifest.json"

# Force using SSL in production.
config :app, AppWeb.Endpoint,
${forceSsl}

config :logger, level: :info
`;
const ssl = (s: string) => excludeFromForceSsl(s, "AppWeb.Endpoint", "/health");
const P = "force_ssl_paths:AppWeb.Endpoint";
const prodShapes: Shape[] = [
  {
    kind: "prod",
    name: "phx.new 1.8: its commented-out paths line, uncommented",
    source: prod('  force_ssl: [\n    rewrite_on: [:x_forwarded_proto],\n    exclude: [\n      # paths: ["/health"],\n      hosts: ["localhost", "127.0.0.1"]\n    ]\n  ]'),
    patch: ssl,
    what: P,
    found: ['["/health"]'],
  },
  { kind: "prod", name: "exclude: hosts only, one a line", source: prod('  force_ssl: [\n    rewrite_on: [:x_forwarded_proto],\n    exclude: [\n      hosts: ["localhost"]\n    ]\n  ]'), patch: ssl, what: P, found: ['["/health"]'] },
  { kind: "prod", name: "exclude: hosts only, inline", source: prod('  force_ssl: [rewrite_on: [:x_forwarded_proto], exclude: [hosts: ["localhost"]]]'), patch: ssl, what: P, found: ['["/health"]'], relaidByFormatter: true },
  { kind: "prod", name: "no force_ssl: nothing redirects, nothing to do", source: prod("  url: [host: \"example.com\"]"), patch: ssl, what: P, found: [] },
  { kind: "prod", name: "refused: exclude as a list of hosts (the older form)", source: prod('  force_ssl: [rewrite_on: [:x_forwarded_proto], exclude: ["localhost"]]'), patch: ssl, what: P, refused: /not a keyword list/ },
  { kind: "prod", name: "refused: other paths excluded already", source: prod('  force_ssl: [rewrite_on: [:x_forwarded_proto], exclude: [paths: ["/status"], hosts: ["localhost"]]]'), patch: ssl, what: P, refused: /already excludes other paths/ },
  { kind: "prod", name: "refused: force_ssl without exclude", source: prod("  force_ssl: [rewrite_on: [:x_forwarded_proto]]"), patch: ssl, what: P, refused: /no `exclude/ },
];

const webModule = (paths: string): string => `defmodule AppWeb do
  @moduledoc "The web interface."

${paths}

  def router do
    quote do
      use Phoenix.Router, helpers: false
    end
  end
end
`;
const uploads = (s: string) => addStaticPath(s, "AppWeb", "uploads");
const staticShapes: Shape[] = [
  { kind: "web", name: "phx.new 1.8's static_paths: uploads added", source: webModule("  def static_paths, do: ~w(assets fonts images favicon.ico robots.txt)"), patch: uploads, what: "static_paths", found: ["assets,fonts,images,favicon.ico,robots.txt,uploads"] },
  { kind: "web", name: "uploads there already: unchanged", source: webModule("  def static_paths, do: ~w(assets uploads robots.txt)"), patch: uploads, what: "static_paths", found: ["assets,uploads,robots.txt"] },
  { kind: "web", name: "in a do-block, another module first", source: `defmodule AppWeb.Helpers do\n  @moduledoc false\n  def static_paths, do: ~w(other)\nend\n\n${webModule("  def static_paths do\n    ~w(assets images)\n  end")}`, patch: uploads, what: "static_paths", found: ["other", "assets,images,uploads"] },
  { kind: "web", name: "refused: a list of strings", source: webModule('  def static_paths, do: ["assets", "images"]'), patch: uploads, what: "static_paths", refused: /not one ~w/ },
  { kind: "web", name: "refused: no static_paths", source: webModule("  @doc false\n  def other, do: :ok"), patch: uploads, what: "static_paths", refused: /not one ~w/ },
];

const sobelowConf = (ignoreFiles: string): string => `# Sobelow's configuration.
[
  exit: :low,
  private: true,
${ignoreFiles}
  ignore: [
    # Config.CSP: justified.
    "Config.CSP"
  ]
]
`;
const ignoreLocal = (s: string) => addSobelowIgnoreFile(s, "lib/app_web/uploads/local.ex", ["lib/app_web/uploads/local.ex:", "its names are random."]);
const IF = "kw:ignore_files";
const sobelowShapes: Shape[] = [
  { kind: "sobelow", name: "ours: an empty ignore_files", source: sobelowConf("  ignore_files: [],"), patch: ignoreLocal, what: IF, found: ['["lib/app_web/uploads/local.ex"]'] },
  { kind: "sobelow", name: "after a file ignored already", source: sobelowConf('  ignore_files: ["lib/app_web/legacy.ex"],'), patch: ignoreLocal, what: IF, found: ['["lib/app_web/legacy.ex", "lib/app_web/uploads/local.ex"]'] },
  { kind: "sobelow", name: "a list over lines, with a trailing comma", source: sobelowConf('  ignore_files: [\n    "lib/app_web/a.ex",\n    "lib/app_web/b.ex",\n  ],'), patch: ignoreLocal, what: IF, found: ['["lib/app_web/a.ex", "lib/app_web/b.ex", "lib/app_web/uploads/local.ex"]'] },
  { kind: "sobelow", name: "ignored already: unchanged", source: sobelowConf('  ignore_files: ["lib/app_web/uploads/local.ex"],'), patch: ignoreLocal, what: IF, found: ['["lib/app_web/uploads/local.ex"]'] },
  { kind: "sobelow", name: "refused: no ignore_files", source: sobelowConf(""), patch: ignoreLocal, what: IF, refused: /no `ignore_files/ },
];

const userSocket = `defmodule AppWeb.UserSocket do
  use Phoenix.Socket

  channel "lobby", AppWeb.LobbyChannel

  @impl true
  def connect(_params, socket, _connect_info), do: {:ok, socket}

  @impl true
  def id(_socket), do: nil
end
`;
const socketShapes: Shape[] = [
  { kind: "socket", name: "after the last channel", source: userSocket, patch: (s) => addChannel(s, "AppWeb.UserSocket", "room:*", "AppWeb.RoomChannel"), what: "channel:room:*", found: ["defmodule AppWeb.UserSocket AppWeb.RoomChannel"] },
  { kind: "socket", name: "no channel yet: after use Phoenix.Socket", source: userSocket.replace('  channel "lobby", AppWeb.LobbyChannel\n\n', ""), patch: (s) => addChannel(s, "AppWeb.UserSocket", "room:*", "AppWeb.RoomChannel"), what: "channel:room:*", found: ["defmodule AppWeb.UserSocket AppWeb.RoomChannel"] },
  { kind: "socket", name: "refused: the module is not in the file", source: userSocket, patch: (s) => addChannel(s, "AppWeb.OtherSocket", "room:*", "AppWeb.RoomChannel"), what: "channel:room:*", refused: /no module AppWeb.OtherSocket/ },
];

const FUN = { text: '  @doc "Lists products."\n  @spec list_products() :: [term()]\n  def list_products, do: []', defines: { kind: "def" as const, name: "list_products" } };
const body = (s: string) => addToModule(s, "App.Catalog", [FUN]);
const D = "def:list_products";
const catalog = 'defmodule App.Catalog do\n  @moduledoc "The catalog."\n\n  @doc "Lists items."\n  @spec list_items() :: [term()]\n  def list_items, do: []\nend\n';
const moduleShapes: Shape[] = [
  { kind: "module", name: "a plain context module", source: catalog, patch: body, what: D, found: ["defmodule App.Catalog"] },
  { kind: "module", name: "a defimpl after the module", source: `${catalog}\ndefimpl Inspect, for: App.Catalog do\n  def inspect(_catalog, _opts), do: "#Catalog<>"\nend\n`, patch: body, what: D, found: ["defmodule App.Catalog"] },
  { kind: "module", name: "another module before it", source: `defmodule App.Catalog.Helpers do\n  @moduledoc false\n  def x, do: 1\nend\n\n${catalog}`, patch: body, what: D, found: ["defmodule App.Catalog"] },
  { kind: "module", name: "a defprotocol and its implementation around it", source: `defprotocol App.Priced do\n  def price(x)\nend\n\n${catalog}\ndefimpl App.Priced, for: Map do\n  def price(map), do: map.price\nend\n`, patch: body, what: D, found: ["defmodule App.Catalog"] },
  { kind: "module", name: "a function of that name only in a comment", source: catalog.replace('  @doc "Lists items."', '  # def list_products, do: []\n\n  @doc "Lists items."'), patch: body, what: D, found: ["defmodule App.Catalog"] },
  { kind: "module", name: "refused: the module is not in the file", source: catalog.replace("App.Catalog", "App.Store"), patch: body, what: D, refused: /no module App.Catalog/ },
];

const mix = (deps: string): string => `defmodule App.MixProject do
  use Mix.Project

  def project do
    [app: :app, version: "0.1.0", elixir: "~> 1.14", deps: deps()]
  end

${deps}end
`;
const dep = (s: string) => addDep(s, "libcluster", '{:libcluster, "~> 3.4"}');
const mixShapes: Shape[] = [
  { kind: "mix.exs", name: "mix new's deps with commented examples", source: mix('  defp deps do\n    [\n      # {:dep_from_hexpm, "~> 0.3.0"},\n      # {:dep_from_git, git: "https://github.com/elixir-lang/my_dep.git", tag: "0.1.0"}\n    ]\n  end\n'), patch: dep, what: "def:deps", found: ["defmodule App.MixProject"] },
  { kind: "mix.exs", name: "deps with a trailing comment and only:", source: mix('  defp deps do\n    [\n      {:jason, "~> 1.4"},\n      {:credo, "~> 1.7", only: [:dev, :test], runtime: false} # lint\n    ]\n  end\n'), patch: dep, what: "def:deps", found: ["defmodule App.MixProject"] },
  { kind: "mix.exs", name: "a one-line deps, do: [...]", source: mix('  defp deps, do: [{:jason, "~> 1.4"}]\n'), patch: dep, what: "def:deps", found: ["defmodule App.MixProject"] },
  { kind: "mix.exs", name: "deps already there", source: mix('  defp deps do\n    [{:libcluster, "~> 3.3"}]\n  end\n'), patch: dep, what: "def:deps", found: ["defmodule App.MixProject"] },
  { kind: "mix.exs", name: "refused: deps computed", source: mix("  defp deps do\n    Enum.map(~w(jason)a, &{&1, \">= 0.0.0\"})\n  end\n"), patch: dep, what: "def:deps", refused: /does not return a list literal/ },
  {
    kind: "mix.exs",
    name: "a function into the project module, not the one after it",
    source: `${mix('  defp deps do\n    []\n  end\n')}\ndefmodule App.MixProject.Helpers do\n  @moduledoc false\nend\n`,
    patch: (s) => addFunction(s, "releases", "  defp releases do\n    [app: []]\n  end", "App.MixProject"),
    what: "def:releases",
    found: ["defmodule App.MixProject"],
  },
];

// phx.new's AppWeb.Telemetry (1.7 and 1.8 write the same shape), and the ways
// teams reshape it: gen telemetry appends the app's metrics and starts its reporters.
const webTelemetry = (init: string, metrics: string, extra = ""): string => `defmodule AppWeb.Telemetry do
  use Supervisor
  import Telemetry.Metrics

  def start_link(arg) do
    Supervisor.start_link(__MODULE__, arg, name: __MODULE__)
  end

  @impl true
  def init(_arg) do
${init}
  end

  def metrics do
${metrics}
  end
${extra}
  defp periodic_measurements do
    []
  end
end
`;
const PHX_INIT = `    children = [
      # Telemetry poller will execute the given period measurements
      # every 10_000ms. Learn more here: https://telemetry-metrics.hexdocs.pm
      {:telemetry_poller, measurements: periodic_measurements(), period: 10_000}
      # Add reporters as children of your supervision tree.
      # {Telemetry.Metrics.ConsoleReporter, metrics: metrics()}
    ]

    Supervisor.init(children, strategy: :one_for_one)`;
const PHX_METRICS = `    [
      # Phoenix Metrics
      summary("phoenix.endpoint.stop.duration",
        unit: {:native, :millisecond}
      ),
      # VM Metrics
      summary("vm.memory.total", unit: {:byte, :kilobyte})
    ]`;
const tel = (s: string) => extendWebTelemetry(s, "AppWeb.Telemetry", "App.Telemetry");
const T = "telemetry:AppWeb.Telemetry";
const EXTENDED = ["reporters: App.Telemetry.reporters(metrics())", "init: children ++ reporters", "metrics: App.Telemetry.metrics()"];
const telemetryShapes: Shape[] = [
  { kind: "telemetry", name: "phx.new 1.8's Telemetry", source: webTelemetry(PHX_INIT, PHX_METRICS), patch: tel, what: T, found: EXTENDED },
  {
    kind: "telemetry",
    name: "the console reporter uncommented, and more options to Supervisor.init",
    source: webTelemetry(PHX_INIT.replace("# {Telemetry", "{Telemetry").replace("10_000}", "10_000},").replace("strategy: :one_for_one", "strategy: :one_for_one, max_restarts: 10"), PHX_METRICS),
    patch: tel,
    what: T,
    found: EXTENDED,
  },
  {
    kind: "telemetry",
    name: "metrics split into functions (phoenix_metrics() ++ vm_metrics())",
    source: webTelemetry(PHX_INIT, "    phoenix_metrics() ++ vm_metrics()", "\n  defp phoenix_metrics, do: [summary(\"phoenix.endpoint.stop.duration\")]\n  defp vm_metrics, do: [summary(\"vm.memory.total\")]\n"),
    patch: tel,
    what: T,
    found: ["reporters: App.Telemetry.reporters(metrics())", "init: children ++ reporters", "metrics: vm_metrics() ++ App.Telemetry.metrics()"],
  },
  { kind: "telemetry", name: "refused: metrics/0 ends with a pipeline", source: webTelemetry(PHX_INIT, "    [summary(\"vm.memory.total\")]\n    |> Enum.uniq()"), patch: tel, what: T, refused: /does not end with a list/ },
  { kind: "telemetry", name: "refused: the children given inline to Supervisor.init", source: webTelemetry("    Supervisor.init([{:telemetry_poller, measurements: [], period: 10_000}], strategy: :one_for_one)", PHX_METRICS), patch: tel, what: T, refused: /does not give a children variable/ },
  {
    kind: "telemetry",
    name: "refused: init/1 has its own reporters variable (never shadowed)",
    source: webTelemetry("    reporters = [{Telemetry.Metrics.ConsoleReporter, metrics: metrics()}]\n    children = [{:telemetry_poller, measurements: [], period: 10_000} | reporters]\n\n    Supervisor.init(children, strategy: :one_for_one)", PHX_METRICS),
    patch: tel,
    what: T,
    refused: /already has a variable named reporters/,
  },
  { kind: "telemetry", name: "refused: no such module in the file", source: webTelemetry(PHX_INIT, PHX_METRICS).replace("AppWeb.Telemetry", "AppWeb.Metrics"), patch: tel, what: T, refused: /no module AppWeb.Telemetry/ },
];

// .formatter.exs as mix new, phx.new and teams write it: StreamData in import_deps.
const fmtDep = (s: string) => addFormatterImportDep(s, "stream_data");
const formatterShapes: Shape[] = [
  { kind: "formatter", name: "mix new's", source: '# Used by "mix format"\n[\n  inputs: ["{mix,.formatter}.exs", "{config,lib,test}/**/*.{ex,exs}"]\n]\n', patch: fmtDep, what: "kw:import_deps", found: ["[:stream_data]"] },
  {
    kind: "formatter",
    name: "phx.new 1.8's, import_deps first",
    source: '[\n  import_deps: [:ecto, :ecto_sql, :phoenix],\n  subdirectories: ["priv/*/migrations"],\n  plugins: [Phoenix.LiveView.HTMLFormatter],\n  inputs: ["*.{heex,ex,exs}", "{config,lib,test}/**/*.{heex,ex,exs}", "priv/*/seeds.exs"]\n]\n',
    patch: fmtDep,
    what: "kw:import_deps",
    found: ["[:ecto, :ecto_sql, :phoenix, :stream_data]"],
  },
  { kind: "formatter", name: "one line, with locals_without_parens bound before", source: 'locals = [get: 2]\n\n[inputs: ["mix.exs"], locals_without_parens: locals]\n', patch: fmtDep, what: "kw:import_deps", found: ["[:stream_data]"] },
  { kind: "formatter", name: "import_deps one a line", source: '[\n  import_deps: [\n    :ecto,\n    :phoenix\n  ],\n  inputs: ["mix.exs"]\n]\n', patch: fmtDep, what: "kw:import_deps", found: ["[:ecto, :phoenix, :stream_data]"] },
  { kind: "formatter", name: "bench/ in mix new's inputs", source: '# Used by "mix format"\n[\n  inputs: ["{mix,.formatter}.exs", "{config,lib,test}/**/*.{ex,exs}"]\n]\n', patch: (s) => addFormatterInput(s, "bench/*.exs"), what: "kw:inputs", found: ['["{mix,.formatter}.exs", "{config,lib,test}/**/*.{ex,exs}", "bench/*.exs"]'] },
  {
    kind: "formatter",
    name: "bench/ in phx.new's inputs, one a line",
    source: '[\n  import_deps: [:ecto, :phoenix],\n  inputs: [\n    "*.{heex,ex,exs}",\n    "{config,lib,test}/**/*.{heex,ex,exs}"\n  ]\n]\n',
    patch: (s) => addFormatterInput(s, "bench/*.exs"),
    what: "kw:inputs",
    found: ['["*.{heex,ex,exs}", "{config,lib,test}/**/*.{heex,ex,exs}", "bench/*.exs"]'],
  },
  { kind: "formatter", name: "refused: inputs computed", source: 'inputs = ["mix.exs"]\n\n[inputs: inputs]\n', patch: (s) => addFormatterInput(s, "bench/*.exs"), what: "kw:inputs", refused: /no inputs: \[\.\.\.\] list/ },
  { kind: "formatter", name: "refused: import_deps computed", source: 'deps = [:ecto]\n\n[import_deps: deps, inputs: ["mix.exs"]]\n', patch: fmtDep, what: "kw:import_deps", refused: /not a list literal/ },
  { kind: "formatter", name: "refused: not a keyword list", source: 'Code.eval_file("shared.exs") |> elem(0)\n', patch: fmtDep, what: "kw:import_deps", refused: /does not end with a keyword list/ },
];

export const SHAPES: Shape[] = [...childrenShapes, ...routerShapes, ...endpointShapes, ...healthShapes, ...prodShapes, ...staticShapes, ...sobelowShapes, ...socketShapes, ...moduleShapes, ...mixShapes, ...telemetryShapes, ...formatterShapes];
