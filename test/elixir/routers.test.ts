// `--router-scope NAME` on routers as real apps write them: twenty shapes
// modelled on public Phoenix apps (phx.gen.auth of 1.6, 1.7 and 1.8 with
// their two or three `scope "/"` blocks, alias-less scopes, pipe_through in
// parentheses or as a one-element list, custom auth pipelines and
// live_sessions, nested scopes, an admin area under its own path). Each is
// given the name a team would give; real Elixir reads the result (where the
// route landed, as the chain of blocks around it), a second run changes
// nothing, and every refusal says why.
import { beforeAll, describe, expect, it } from "vitest";
import { addHandleInfo, addPlugToPipeline, addRoutes, pipelineNames, routeNames } from "../../src/elixir/phoenix.js";
import { loadReader } from "../../src/elixir/reader.js";
import { probeAll, type ProbeResult } from "./probe.js";

const ROUTES = [
  'live "/products", ProductLive.Index, :index',
  'live "/products/new", ProductLive.Form, :new',
  'live "/products/:id", ProductLive.Show, :show',
  'live "/products/:id/edit", ProductLive.Form, :edit',
];

const PIPELINES = `  pipeline :browser do
    plug :accepts, ["html"]
    plug :fetch_session
    plug :fetch_live_flash
    plug :put_root_layout, html: {AppWeb.Layouts, :root}
    plug :protect_from_forgery
    plug :put_secure_browser_headers
    plug :fetch_current_user
  end

  pipeline :api do
    plug :accepts, ["json"]
  end
`;
const router = (body: string, pipelines = PIPELINES): string => `defmodule AppWeb.Router do
  use AppWeb, :router

  import AppWeb.UserAuth

${pipelines}${body}end
`;

// phx.gen.auth --live of Phoenix 1.7: three scopes "/" through :browser.
const GEN_AUTH_17 = router(`
  scope "/", AppWeb do
    pipe_through :browser

    get "/", PageController, :home
  end

  ## Authentication routes

  scope "/", AppWeb do
    pipe_through [:browser, :redirect_if_user_is_authenticated]

    live_session :redirect_if_user_is_authenticated,
      on_mount: [{AppWeb.UserAuth, :redirect_if_user_is_authenticated}] do
      live "/users/register", UserRegistrationLive, :new
      live "/users/log_in", UserLoginLive, :new
    end

    post "/users/log_in", UserSessionController, :create
  end

  scope "/", AppWeb do
    pipe_through [:browser, :require_authenticated_user]

    live_session :require_authenticated_user,
      on_mount: [{AppWeb.UserAuth, :ensure_authenticated}] do
      live "/users/settings", UserSettingsLive, :edit
    end
  end

  scope "/", AppWeb do
    pipe_through [:browser]

    delete "/users/log_out", UserSessionController, :delete

    live_session :current_user,
      on_mount: [{AppWeb.UserAuth, :mount_current_user}] do
      live "/users/confirm/:token", UserConfirmationLive, :edit
    end
  end
`);

// phx.gen.auth of Phoenix 1.8: scopes, one public scope, one authenticated.
const GEN_AUTH_18 = router(`
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

    post "/users/update-password", UserSessionController, :update_password
  end

  scope "/", AppWeb do
    pipe_through [:browser]

    live_session :current_user,
      on_mount: [{AppWeb.UserAuth, :mount_current_scope}] do
      live "/users/register", UserLive.Registration, :new
      live "/users/log-in", UserLive.Login, :new
    end

    delete "/users/log-out", UserSessionController, :delete
  end
`);

// phx.gen.auth of Phoenix 1.6 (controllers, no live_session).
const GEN_AUTH_16 = router(`
  scope "/", AppWeb do
    pipe_through :browser

    get "/", PageController, :index
  end

  scope "/", AppWeb do
    pipe_through [:browser, :redirect_if_user_is_authenticated]

    get "/users/register", UserRegistrationController, :new
  end

  scope "/", AppWeb do
    pipe_through [:browser, :require_authenticated_user]

    get "/users/settings", UserSettingsController, :edit
  end

  scope "/", AppWeb do
    pipe_through [:browser]

    delete "/users/log_out", UserSessionController, :delete
  end
`);

interface Case {
  name: string;
  source: string;
  choice: string;
  /** The chain of blocks around the new index route (Elixir's reading), or the refusal's reason. */
  lands?: string;
  refused?: RegExp;
  /** The route's module as written: relative to AppWeb, or in full in an alias-less scope. */
  full?: boolean;
}

const CASES: Case[] = [
  { name: "phx.new 1.8, no auth", source: router('\n  scope "/", AppWeb do\n    pipe_through :browser\n\n    get "/", PageController, :home\n  end\n'), choice: "browser", lands: 'scope "/"' },
  { name: "phx.gen.auth 1.7: behind log-in", source: GEN_AUTH_17, choice: "require_authenticated_user", lands: 'scope "/" > live_session :require_authenticated_user' },
  { name: "phx.gen.auth 1.7: public (the plain browser scope)", source: GEN_AUTH_17, choice: "browser", lands: 'scope "/"' },
  { name: "phx.gen.auth 1.7: with the current user mounted", source: GEN_AUTH_17, choice: "current_user", lands: 'scope "/" > live_session :current_user' },
  { name: "phx.gen.auth 1.8: behind log-in", source: GEN_AUTH_18, choice: "require_authenticated_user", lands: 'scope "/" > live_session :require_authenticated_user' },
  { name: "phx.gen.auth 1.8: public", source: GEN_AUTH_18, choice: "browser", lands: 'scope "/"' },
  { name: "phx.gen.auth 1.6: behind log-in, by its pipeline", source: GEN_AUTH_16, choice: "require_authenticated_user", lands: 'scope "/"' },
  { name: "an alias-less scope: full module names", source: router('\n  scope "/" do\n    pipe_through :browser\n\n    live "/", AppWeb.PageLive, :index\n  end\n'), choice: "browser", lands: 'scope "/"', full: true },
  { name: "pipe_through in parentheses", source: router('\n  scope "/", AppWeb do\n    pipe_through(:browser)\n\n    get("/", PageController, :home)\n  end\n'), choice: "browser", lands: 'scope "/"' },
  { name: "pipe_through a one-element list", source: router('\n  scope "/", AppWeb do\n    pipe_through([:browser])\n\n    post "/page/create_record", PageController, :create\n  end\n'), choice: "browser", lands: 'scope "/"' },
  {
    name: "an optional-auth pipeline beside the browser one (one-line pipeline)",
    source: router('\n  scope "/", AppWeb do\n    pipe_through [:browser, :auth_optional]\n\n    live "/", AppLive\n    get "/login", AuthController, :login\n  end\n', `${PIPELINES}\n  pipeline :auth_optional, do: plug(AuthPlugOptional)\n`),
    choice: "auth_optional",
    lands: 'scope "/"',
  },
  {
    name: "a custom auth pipeline: public and member scopes",
    source: router('\n  scope "/", AppWeb do\n    pipe_through [:browser, :maybe_auth]\n\n    get "/login", LoginController, :new\n  end\n\n  scope "/", AppWeb do\n    pipe_through [:browser, :maybe_auth, :ensure_authed]\n\n    resources "/things", ThingController\n  end\n'),
    choice: "ensure_authed",
    lands: 'scope "/"',
  },
  {
    name: "a live_session with its own on_mount and layout",
    source: router('\n  scope "/", AppWeb do\n    pipe_through :browser\n\n    live_session :authenticated, on_mount: [{AppWeb.LiveAuth, :ensure_user}], layout: {AppWeb.Layouts, :app} do\n      live "/dashboard", DashboardLive, :index\n    end\n  end\n'),
    choice: "authenticated",
    lands: 'scope "/" > live_session :authenticated',
  },
  {
    name: "two live_sessions in one scope: the named one",
    source: router('\n  scope "/", AppWeb do\n    pipe_through :browser\n\n    live_session :public do\n      live "/", HomeLive\n    end\n\n    live_session :members, on_mount: AppWeb.RequireMember do\n      live "/members", MemberLive.Index, :index\n    end\n  end\n'),
    choice: "members",
    lands: 'scope "/" > live_session :members',
  },
  {
    name: "nested scopes: the inner one's pipeline",
    source: router('\n  scope "/", AppWeb do\n    pipe_through :browser\n\n    get "/", PageController, :home\n\n    scope "/" do\n      pipe_through :require_user\n\n      live "/account", AccountLive, :show\n    end\n  end\n'),
    choice: "require_user",
    lands: 'scope "/" > scope "/"',
  },
  {
    name: "an admin live_session in the root scope",
    source: router('\n  scope "/", AppWeb do\n    pipe_through [:browser, :require_admin]\n\n    live_session :admin, on_mount: [{AppWeb.UserAuth, :ensure_admin}] do\n      live "/admin/users", Admin.UserLive.Index, :index\n    end\n  end\n\n  scope "/", AppWeb do\n    pipe_through :browser\n\n    get "/", PageController, :home\n  end\n'),
    choice: "admin",
    lands: 'scope "/" > live_session :admin',
  },
  {
    name: "the dev routes and an API scope beside the browser one",
    source: router('\n  scope "/", AppWeb do\n    pipe_through :browser\n\n    get "/", PageController, :home\n  end\n\n  scope "/api", AppWeb.Api do\n    pipe_through :api\n\n    get "/health", HealthController, :show\n  end\n\n  if Application.compile_env(:app, :dev_routes) do\n    import Phoenix.LiveDashboard.Router\n\n    scope "/dev" do\n      pipe_through :browser\n\n      live_dashboard "/dashboard", metrics: AppWeb.Telemetry\n    end\n  end\n'),
    choice: "browser",
    lands: 'scope "/"',
  },
  {
    name: "the live_session named with a leading colon",
    source: GEN_AUTH_18,
    choice: ":require_authenticated_user",
    lands: 'scope "/" > live_session :require_authenticated_user',
  },
  {
    name: "refused: the admin area lives under /admin (the pages' links would miss it)",
    source: router('\n  scope "/", AppWeb do\n    pipe_through :browser\n\n    get "/", PageController, :home\n  end\n\n  scope "/admin", AppWeb.Admin, as: :admin do\n    pipe_through [:browser, :admin]\n\n    live "/users", UserLive.Index, :index\n  end\n'),
    choice: "admin",
    refused: /no scope "\/" piping through :admin \(the ones on lines \d+ have other paths\)/,
  },
  {
    name: "refused: a scope aliased otherwise would prefix the modules",
    source: router('\n  scope "/", Web do\n    pipe_through :browser\n\n    live_session :default do\n      live "/", HomeLive\n    end\n  end\n'),
    choice: "default",
    refused: /aliases Web, which would prefix the LiveView modules/,
  },
];

let results: { first: ReturnType<typeof addRoutes>; second?: ReturnType<typeof addRoutes>; probe?: ProbeResult }[] = [];

beforeAll(async () => {
  await loadReader();
  results = CASES.map((c) => {
    const first = addRoutes(c.source, ROUTES, { kind: "browser", web: "AppWeb", name: c.choice.replace(/^:/, "") });
    const second = first.status === "added" ? addRoutes(first.source, ROUTES, { kind: "browser", web: "AppWeb", name: c.choice.replace(/^:/, "") }) : undefined;
    return { first, second };
  });
  const probes = await probeAll(results.filter((r) => r.first.status === "added").map((r) => ({ source: (r.first as { source: string }).source, what: "live:/products" })));
  let i = 0;
  for (const r of results) if (r.first.status === "added") r.probe = probes[i++];
});

describe("--router-scope NAME on twenty routers as real apps write them", () => {
  it("wires at least 18 of 20; every refusal names the reason", () => {
    expect(CASES).toHaveLength(20);
    const wired = results.filter((r) => r.first.status === "added").length;
    expect(wired).toBeGreaterThanOrEqual(18);
  });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))("%s", (_name, c, i) => {
    const r = results[i] as (typeof results)[number];
    if (c.refused) {
      expect(r.first.status).toBe("refused");
      expect((r.first as { reason: string }).reason).toMatch(c.refused);
      return;
    }
    expect(r.first.status, JSON.stringify(r.first)).toBe("added");
    const patched = (r.first as { source: string }).source;
    expect(r.probe?.parses).toBe(true);
    // Exactly once, inside the named place (Elixir's reading: the chain of blocks around it).
    expect(r.probe?.found).toEqual([`${c.lands}`]);
    expect(patched).toContain(c.full ? 'live "/products", AppWeb.ProductLive.Index, :index' : 'live "/products", ProductLive.Index, :index');
    expect(r.second).toEqual({ status: "present", source: patched });
  });

  it("the names a router offers: its live_sessions and the pipelines its scopes pipe through", () => {
    expect(routeNames(GEN_AUTH_17)).toEqual({
      sessions: ["redirect_if_user_is_authenticated", "require_authenticated_user", "current_user"],
      pipelines: ["browser", "redirect_if_user_is_authenticated", "require_authenticated_user"],
    });
  });

  it("a name that is neither a live_session nor a pipeline of the router is refused with what it is not", () => {
    const r = addRoutes(GEN_AUTH_18, ROUTES, { kind: "browser", web: "AppWeb", name: "members" });
    expect(r).toMatchObject({ status: "refused", reason: "it has no live_session named :members and no scope piping through :members" });
  });
});

describe("a plug added to a router pipeline (gen rate-limiter --plug)", () => {
  const PLUG = "AppWeb.Plugs.RateLimiter";
  const cases: { name: string; source: string; pipeline: string; line: string; plugs: string[] }[] = [
    {
      name: "phx.new's :browser: the last plug, after put_secure_browser_headers",
      source: router(""),
      pipeline: "browser",
      line: `plug ${PLUG}`,
      plugs: [':accepts, ["html"]', ":fetch_session", ":fetch_live_flash", ":put_root_layout, [html: {AppWeb.Layouts, :root}]", ":protect_from_forgery", ":put_secure_browser_headers", ":fetch_current_user", PLUG],
    },
    {
      name: "by user in phx.gen.auth's :browser: after its fetch_current_user, which sets what it reads",
      source: GEN_AUTH_18,
      pipeline: "browser",
      line: `plug ${PLUG}, by: :user`,
      plugs: [':accepts, ["html"]', ":fetch_session", ":fetch_live_flash", ":put_root_layout, [html: {AppWeb.Layouts, :root}]", ":protect_from_forgery", ":put_secure_browser_headers", ":fetch_current_user", `${PLUG}, [by: :user]`],
    },
    {
      name: ":api with a comment as its last line",
      source: router("", `  pipeline :api do\n    plug :accepts, ["json"]\n    # plug AppWeb.ApiAuth\n  end\n`),
      pipeline: "api",
      line: `plug ${PLUG}`,
      plugs: [':accepts, ["json"]', PLUG],
    },
  ];

  beforeAll(loadReader);

  it.each(cases)("$name", async (c) => {
    const first = addPlugToPipeline(c.source, c.pipeline, PLUG, c.line);
    expect(first.status).toBe("added");
    const patched = (first as { source: string }).source;
    const [probe] = await probeAll([{ source: patched, what: `pipeline:${c.pipeline}` }]);
    expect(probe?.parses).toBe(true);
    expect(probe?.formatted).toBe(true);
    expect(probe?.found).toEqual(c.plugs);
    // The other pipelines are as they were.
    const other = c.pipeline === "api" ? "browser" : "api";
    const [before, after] = await probeAll([{ source: c.source, what: `pipeline:${other}` }, { source: patched, what: `pipeline:${other}` }]);
    expect(after?.found).toEqual(before?.found);
    expect(addPlugToPipeline(patched, c.pipeline, PLUG, c.line)).toEqual({ status: "present", source: patched });
  });

  it("refuses, with the pipelines it has, a pipeline the router does not define or defines twice", () => {
    expect(pipelineNames(router(""))).toEqual(["browser", "api"]);
    expect(addPlugToPipeline(router(""), "admin", PLUG, `plug ${PLUG}`)).toEqual({ status: "refused", reason: "it has no `pipeline :admin` (it has :browser, :api)", snippet: `plug ${PLUG}` });
    const twice = router("", `${PIPELINES}\n  pipeline :api do\n    plug :accepts, ["json"]\n  end\n`);
    expect(addPlugToPipeline(twice, "api", PLUG, `plug ${PLUG}`)).toMatchObject({ status: "refused", reason: "it has 2 `pipeline :api` (it has :browser, :api, :api)" });
    expect(addPlugToPipeline("defmodule AppWeb.Router do\n  pipeline :api do\n", "api", PLUG, `plug ${PLUG}`)).toMatchObject({ status: "refused", reason: "the router does not parse as Elixir" });
  });
});

describe("a parent LiveView's handle_info/2 clause for a component's message (gen live-component --live)", () => {
  const TAG = "AppWeb.TitleComponent";
  const CLAUSE = [
    "  @impl true",
    `  def handle_info({${TAG}, {:saved, _id, value}}, socket) do`,
    "    {:noreply, assign(socket, :title, value)}",
    "  end",
  ].join("\n");
  const FALLBACK = "  def handle_info(_message, socket), do: {:noreply, socket}";
  const live = (body: string): string => `defmodule AppWeb.PostLive.Show do\n  use AppWeb, :live_view\n\n  @impl true\n  def mount(_params, _session, socket), do: {:ok, socket}\n${body}end\n`;

  beforeAll(loadReader);

  it.each([
    { name: "none yet: at the end of the module, with a catch-all that keeps ignoring other messages", source: live(""), order: [TAG, "_message"] },
    {
      name: "clauses there (a catch-all last): before the first, with its @impl, so they stay together",
      source: live(`\n  @impl true\n  def handle_info({:updated, post}, socket), do: {:noreply, assign(socket, :post, post)}\n  def handle_info(_other, socket), do: {:noreply, socket}\n\n  @impl true\n  def render(assigns), do: ~H"<p>{@post.title}</p>"\n`),
      order: [TAG, "{:updated, post}", "_other"],
    },
  ])("$name", async (c) => {
    const first = addHandleInfo(c.source, "AppWeb.PostLive.Show", TAG, CLAUSE, FALLBACK);
    expect(first.status).toBe("added");
    const patched = (first as { source: string }).source;
    const [probe] = await probeAll([{ source: patched, what: "def:handle_info" }]);
    expect(probe?.parses).toBe(true);
    expect(probe?.formatted).toBe(true);
    // The clauses, in order, are one group: no other definition between them.
    const heads = [...patched.matchAll(/def (\w+)\((\{[\w.]+|\{:\w+, \w+\}|_\w+)/g)].map((m) => [m[1], m[2]]);
    const infos = heads.map(([fn]) => fn).filter((fn, i, all) => fn === "handle_info" && all[i - 1] !== "handle_info");
    expect(infos).toHaveLength(1);
    expect(heads.filter(([fn]) => fn === "handle_info").map(([, arg]) => arg?.replace(/^\{(?=[A-Z])/, ""))).toEqual(c.order);
    expect(addHandleInfo(patched, "AppWeb.PostLive.Show", TAG, CLAUSE, FALLBACK)).toEqual({ status: "present", source: patched });
  });

  it("refuses, with the clause, a file without the module", () => {
    expect(addHandleInfo("defmodule Other do\nend\n", "AppWeb.PostLive.Show", TAG, CLAUSE, FALLBACK)).toEqual({ status: "refused", reason: "no module AppWeb.PostLive.Show was found in it", snippet: CLAUSE });
  });
});
