import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { createOtpApp } from "../../src/cli/create-main.js";
import { gen } from "../../src/cli/gen-main.js";
import { BUILTIN_LISTING, BUILTIN_NAMES, loadBuiltin } from "../../src/cli/builtins.js";
import { loadAllBuiltins } from "../../src/cli/registry.js";
import type { Prompter } from "../../src/core/io.js";
import { Tree } from "../../src/core/tree.js";
import { WRITE_QUESTION, captureIo, expectRefused, runGen, copyOf, writeIn, elixirGates, expectGatesPass, phoenixUnformatted, snapshot, specsWithStructs, tempDir, unformatted } from "../helpers.js";
import { checkHeex, componentsOf, heexLayoutProblems } from "../heex.js";
import { unparsable } from "../e2e/packed.js";
import { probeAll } from "../elixir/probe.js";

const genGenerators = await loadAllBuiltins();

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures");

/** Problems of the HEEx in a LiveView directory against the fixture's core components and Layouts.app. */
function heexProblems(dir: string, live: string): string[] {
  const web = path.join(dir, "lib/shop_web");
  const components = new Map([
    ...componentsOf(readFileSync(path.join(web, "components/core_components.ex"), "utf8")),
    ...componentsOf(readFileSync(path.join(web, "components/layouts.ex"), "utf8"), "Layouts."),
  ]);
  return ["index", "show", "form"].flatMap((f) => {
    const source = readFileSync(path.join(web, "live", live, `${f}.ex`), "utf8");
    // Declared attributes and slots, and the HTML formatter's layout of long tags.
    return [...checkHeex(source, components, new Set([".link", ".form"])), ...heexLayoutProblems(source)].map((p) => `${f}.ex: ${p}`);
  });
}

const read = (dir: string, file: string): string => readFileSync(path.join(dir, file), "utf8");

/** A fresh create-otp-app project (no checks), copied per test from one template. */
let template: string;
beforeAll(async () => {
  const cwd = tempDir();
  expect(await createOtpApp(["app", "--yes", "--no-install", "--no-git", "--no-check", "--no-ci"], captureIo(cwd))).toBe(0);
  template = path.join(cwd, "app");
});

const project = (): string => copyOf(template);

const run = runGen;

describe("gen: bad input is one line, exit 2, nothing written", () => {
  it.each([
    [["genserver", "rate_limiter"], 'gen genserver: invalid <name> "rate_limiter": each segment of a module name must start with an uppercase letter'],
    [["genserver", "App.Application"], 'gen genserver: invalid <name> "App.Application": App.Application already exists as the project\'s own module'],
    [["genserver", "App"], 'gen genserver: invalid <name> "App": App already exists as the project\'s own module'],
    [["genserver", "Ticker", "--every", "5"], 'gen genserver: invalid --every "5": a duration is a positive whole number with a unit'],
    [["rate-limiter", "L", "--limit", "0"], 'gen rate-limiter: invalid --limit "0": --limit must be 1 or more'],
    // zod's own wording ("expected number, received NaN") is said as the rule; a schema's own message is kept.
    [["rate-limiter", "L", "--limit", "ten"], 'gen rate-limiter: invalid --limit "ten": must be a number'],
    [["circuit-breaker", "B", "--failure-rate", "2.5"], 'gen circuit-breaker: invalid --failure-rate "2.5": --failure-rate must be a whole percentage'],
    [["circuit-breaker", "B", "--failure-rate", "0"], 'gen circuit-breaker: invalid --failure-rate "0": --failure-rate must be 1 to 100 (percent)'],
    [["periodic", "P", "--timeout", "5"], 'gen periodic: invalid --timeout "5": a duration is a positive whole number with a unit'],
    [["release", "--health-port", "4369"], 'gen release: invalid --health-port "4369": --health-port must not be EPMD\'s 4369'],
    [["release", "--health-port", "9568"], "gen release: invalid --health-port 9568: it is the metrics port, which the NetworkPolicy opens to scrapers only; pick another"],
    [["supervisor", "S", "--strategy", "simple_one_for_one"], "gen supervisor: option '--strategy <strategy>' argument 'simple_one_for_one' is invalid"],
    [["genserver", "X", "--under", "not_a_module"], 'gen genserver: invalid --under "not_a_module"'],
    [["genserver", "X", "--bogus"], "gen genserver: unknown option '--bogus'"],
    [["genserver"], "gen genserver: missing <name> (no terminal to ask at); pass <name> on the command line"],
  ])("%j", async (args, message) => {
    const dir = project();
    await expectRefused(dir, args, message);
  });

  it("a module file that exists and differs is a conflict unless --force", async () => {
    const dir = project();
    writeFileSync(path.join(dir, "lib/app/cache.ex"), "defmodule App.Cache do\nend\n");
    const before = snapshot(dir);
    const r = await run(dir, ["ets-cache", "Cache", "--no-check"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("1 existing files differ from the generated ones: lib/app/cache.ex; pass --force");
    expect(snapshot(dir)).toEqual(before);
    expect((await run(dir, ["ets-cache", "Cache", "--no-check", "--force"])).code).toBe(0);
    expect(read(dir, "lib/app/cache.ex")).toContain("read_concurrency: true");
  });
});

describe("gen: where the tree cannot be patched safely, it says what to do by hand", () => {
  it("an application.ex whose children come from config: the module is written, the file untouched, the snippet printed", async () => {
    const dir = project();
    const odd = `defmodule App.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    children = Application.get_env(:app, :children, [])
    Supervisor.start_link(children, strategy: :one_for_one, name: App.Supervisor)
  end
end
`;
    writeFileSync(path.join(dir, "lib/app/application.ex"), odd);
    const r = await run(dir, ["genserver", "Pinger", "--no-check", "--json"]);
    expect(r.code).toBe(0);
    expect(read(dir, "lib/app/application.ex")).toBe(odd);
    expect(read(dir, "lib/app/pinger.ex")).toContain("defmodule App.Pinger do");
    // Listed in --json, never a silent skip.
    expect(JSON.parse(r.out).manual, r.out).toContain(
      "lib/app/application.ex: its children come from `Application.get_env(:app, :children, [])`, which cannot be known without running the code. Add this child to the children list of App.Application.start/2:\n    App.Pinger",
    );
  });

  it("a list written inline in Supervisor.start_link gets the child", async () => {
    const dir = project();
    writeFileSync(
      path.join(dir, "lib/app/application.ex"),
      "defmodule App.Application do\n  @moduledoc false\n  use Application\n\n  @impl true\n  def start(_type, _args) do\n    Supervisor.start_link([], strategy: :one_for_one, name: App.Supervisor)\n  end\nend\n",
    );
    expect((await run(dir, ["genserver", "Pinger", "--no-check"])).code).toBe(0);
    expect(read(dir, "lib/app/application.ex")).toContain("    Supervisor.start_link([App.Pinger], strategy: :one_for_one, name: App.Supervisor)\n");
    expectGatesPass(await elixirGates(dir));
  });

  it("--under a module no file defines: the module is written and the step is printed", async () => {
    const dir = project();
    const r = await run(dir, ["genserver", "Pinger", "--under", "App.Missing", "--no-check", "--json"]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result.manual).toEqual(["no file under lib/ defines App.Missing: start App.Pinger under a supervisor yourself."]);
  });
});

describe("gen: dry run, JSON, help and list", () => {
  it("--dry-run shows the new module and the patch to application.ex, and writes nothing", async () => {
    const dir = project();
    const before = snapshot(dir);
    const r = await run(dir, ["genserver", "RateLimiter", "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("--- a/lib/app/application.ex\n+++ b/lib/app/application.ex");
    expect(r.out).toContain("+      App.RateLimiter\n");
    expect(r.out).toContain("+++ b/lib/app/rate_limiter.ex");
    expect(snapshot(dir)).toEqual(before);
  });

  it("works from a subdirectory of the project", async () => {
    const dir = project();
    const r = await run(path.join(dir, "lib/app"), ["agent", "Settings", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    expect(read(dir, "lib/app/settings.ex")).toContain("defmodule App.Settings do");
  });

  it("list shows every generator; each --help shows its flags and examples", async () => {
    const r = await run(tempDir(), ["list"]);
    for (const g of genGenerators) expect(r.out).toContain(`  ${g.name}`);
    expect(genGenerators.map((g) => g.name)).toEqual([
      "genserver", "supervisor", "dynamic-supervisor", "registry", "agent", "task-supervisor",
      "ets-cache", "rate-limiter", "circuit-breaker", "retry", "periodic", "worker",
      "singleton", "pool", "pipeline", "flow", "bench", "behaviour", "protocol", "mix-task", "release", "cluster", "telemetry", "channel", "presence", "context", "live", "live-component", "hook",
    ]);
    // A run of one generator loads it alone, by name: each name loads the generator of that name, which
    // describes itself as gen list (which loads none) shows it.
    for (const name of BUILTIN_NAMES) {
      const def = await loadBuiltin(name);
      expect(def?.name).toBe(name);
      expect(def?.description).toBe(BUILTIN_LISTING.find((l) => l.name === name)?.description);
    }
    expect(await loadBuiltin("constructor")).toBeUndefined();
    const help = await run(tempDir(), ["genserver", "--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("--every <duration>");
    expect(help.out).toContain("$ gen genserver RateLimiter");
  });

  it("the check step runs after gen: format and compile pass on the result; without Hex, a Hex dep's formatter rules are done without", async () => {
    const dir = path.join(tempDir(), "checked");
    expect(await createOtpApp([dir, "--yes", "--no-install", "--no-git", "--no-check", "--no-credo", "--no-dialyxir", "--no-ex-doc", "--no-ci"], captureIo(tempDir()))).toBe(0);
    const r = await run(dir, ["genserver", "Counter", "--json"]);
    expect(r.code, r.err).toBe(0);
    const checks = JSON.parse(r.out).checks as { step: string; status: string; detail: string }[];
    // The server, its test, application.ex and the Logger metadata in config/config.exs.
    expect(checks.find((c) => c.step === "format")).toMatchObject({ status: "passed", detail: "4 files already formatted" });
    expect(checks.find((c) => c.step === "compile")?.status).toBe("passed");

    // The breaker's property tests bring StreamData, which .formatter.exs imports: Mix cannot load
    // it without Hex, so the files are formatted without its rules, and the rest waits for Hex.
    const breaker = await run(dir, ["circuit-breaker", "Breaker", "--json"]);
    expect(breaker.code, breaker.err).toBe(0);
    const after = JSON.parse(breaker.out).checks as { step: string; status: string; detail: string }[];
    expect(after.find((c) => c.step === "format")).toMatchObject({ status: "passed", detail: "5 files already formatted, without the formatter rules of deps not fetched yet (run: mix deps.get)" });
    expect(after.find((c) => c.step === "compile")).toMatchObject({ status: "skipped", detail: expect.stringContaining("mix local.hex --force") });
  });
});

describe("gen: umbrella projects", () => {
  let umbrella: string;
  beforeAll(async () => {
    const cwd = tempDir();
    await execa("mix", ["new", "umb", "--umbrella"], { cwd, stdin: "ignore" });
    umbrella = path.join(cwd, "umb");
    await execa("mix", ["new", "alpha", "--sup"], { cwd: path.join(umbrella, "apps"), stdin: "ignore" });
    await execa("mix", ["new", "beta", "--sup"], { cwd: path.join(umbrella, "apps"), stdin: "ignore" });
  });

  it("at the root without --app: names the apps to choose from", async () => {
    const r = await run(umbrella, ["genserver", "Counter", "--no-check"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("gen genserver: this is an umbrella project; pass --app with one of: alpha, beta\n");
  });

  it("config an umbrella app needs goes to the umbrella's config/, the one it loads, never an app-level config/ that nothing loads", async () => {
    // A copy: the other tests use the umbrella as mix new wrote it.
    const umb = copyOf(umbrella);
    writeFileSync(path.join(umb, "config/config.exs"), `${read(umb, "config/config.exs")}\nimport_config "#{config_env()}.exs"\n`);
    for (const env of ["dev", "test", "prod"]) writeFileSync(path.join(umb, `config/${env}.exs`), "import Config\n");
    const before = read(umb, "config/config.exs");
    const r = await run(umb, ["telemetry", "--otel", "--app", "alpha", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(path.join(umb, "apps/alpha/config"))).toBe(false);
    for (const file of ["config.exs", "test.exs", "dev.exs"]) expect(r.out).toContain(`  update    ../../config/${file}\n`);
    // runtime.exs did not exist: printed to create, not written outside what the umbrella has.
    expect(r.out).toContain("../../config/runtime.exs is missing: create it with");
    expect(read(umb, "config/test.exs")).toContain("config :opentelemetry, span_processor: :simple");
    // Added before the import of the environment's file, the umbrella's own lines kept.
    const config = read(umb, "config/config.exs");
    expect(config.startsWith(before.slice(0, before.indexOf("import_config")))).toBe(true);
    expect(config.indexOf("config :opentelemetry")).toBeLessThan(config.indexOf("import_config"));
    expect(read(umb, "apps/alpha/lib/alpha/application.ex")).toContain("    Alpha.Telemetry.setup_tracing()\n");
  });

  it("a path outside the umbrella is still refused", () => {
    const tree = new Tree(path.join(umbrella, "apps/alpha"), undefined, umbrella);
    expect(() => tree.read("../../config/config.exs")).not.toThrow();
    expect(() => tree.read("../../../elsewhere.exs")).toThrow("path escapes the project");
    expect(() => new Tree(path.join(umbrella, "apps/alpha")).read("../../config/config.exs")).toThrow("path escapes the project");
  });

  it("at the root with --app, or at a terminal by choosing: writes into that app", async () => {
    const counter = await run(umbrella, ["genserver", "Counter", "--app", "beta", "--no-check"]);
    expect(counter.code).toBe(0);
    // The umbrella's config is the app's: the Logger metadata goes there.
    expect(counter.out).toContain("  update    ../../config/config.exs\n");
    expect(read(umbrella, "config/config.exs")).toContain("config :logger, :console, metadata: [:server, :unexpected_message]");
    expect(read(umbrella, "apps/beta/lib/beta/counter.ex")).toContain("defmodule Beta.Counter do");
    expect(read(umbrella, "apps/beta/lib/beta/application.ex")).toContain("      Beta.Counter\n");

    const prompter: Prompter = {
      input: () => Promise.reject(new Error("unexpected")),
      confirm: async ({ message }) => message === WRITE_QUESTION,
      checkbox: () => Promise.reject(new Error("unexpected")),
      search: () => Promise.reject(new Error("unexpected")),
      select: async ({ choices }) => {
        expect(choices.map((c) => c.value)).toEqual(["alpha", "beta"]);
        return "alpha";
      },
    };
    expect((await run(umbrella, ["agent", "Store", "--no-check"], { interactive: true, prompter })).code).toBe(0);
    expect(read(umbrella, "apps/alpha/lib/alpha/store.ex")).toContain("defmodule Alpha.Store do");
  });

  it("inside an app of the umbrella: writes into that app, and it passes the gates", async () => {
    const alpha = path.join(umbrella, "apps/alpha");
    expect((await run(path.join(alpha, "lib"), ["rate-limiter", "Limiter", "--no-check"])).code).toBe(0);
    expect(read(alpha, "lib/alpha/application.ex")).toContain("      Alpha.Limiter\n");
    expectGatesPass(await elixirGates(alpha));
  });

  it("a broken team config in the chosen app is reported, not ignored", async () => {
    mkdirSync(path.join(umbrella, "apps/beta/.otpgen"), { recursive: true });
    writeFileSync(path.join(umbrella, "apps/beta/.otpgen/config.json"), JSON.stringify({ colour: "red" }));
    try {
      const before = snapshot(path.join(umbrella, "apps/beta"));
      const r = await run(umbrella, ["agent", "Broken", "--app", "beta", "--no-check"]);
      expect(r.code).toBe(2);
      expect(r.err).toContain("apps/beta/.otpgen/config.json: colour: unknown key");
      expect(snapshot(path.join(umbrella, "apps/beta"))).toEqual(before);
    } finally {
      rmSync(path.join(umbrella, "apps/beta/.otpgen"), { recursive: true, force: true });
    }
  });

  it("--app in a project that is not an umbrella is refused", async () => {
    const r = await run(project(), ["genserver", "Counter", "--app", "other", "--no-check"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('invalid --app "other": this project\'s app is app');
  });
});

describe("gen: a mix phx.new project (fixture)", () => {
  it("puts new children before the Endpoint and its comments, and writes format-clean modules", async () => {
    const dir = path.join(tempDir(), "shop");
    cpSync(path.resolve(import.meta.dirname, "../fixtures/phx_app"), dir, { recursive: true });
    mkdirSync(path.join(dir, "lib/shop"), { recursive: true });
    const r = await run(dir, ["genserver", "Cart", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    expect((await run(dir, ["dynamic-supervisor", "Carts", "--no-check"])).code).toBe(0);
    expect(read(dir, "lib/shop/application.ex")).toContain(`      {Phoenix.PubSub, name: Shop.PubSub},
      Shop.Cart,
      Shop.Carts,
      # Start a worker by calling: Shop.Worker.start_link(arg)
      # {Shop.Worker, arg},
      # Start to serve requests, typically the last entry
      ShopWeb.Endpoint
    ]`);
    // The fixture's .formatter.exs imports Phoenix's DSLs, which cannot be fetched here;
    // the generated files use none of them, so the default formatter is the right judge.
    const files = ["lib/shop/application.ex", "lib/shop/cart.ex", "lib/shop/carts.ex", "lib/shop/carts/worker.ex", "test/shop/cart_test.exs"];
    expect(await unformatted(dir, files)).toBe("");
  });

  it("an endpoint named otherwise (Web.Endpoint) is found by its `use Phoenix.Endpoint`: children go before it, /health into it", async () => {
    const dir = path.join(tempDir(), "shop");
    cpSync(path.resolve(import.meta.dirname, "../fixtures/phx_app"), dir, { recursive: true });
    mkdirSync(path.join(dir, "lib/web"), { recursive: true });
    const endpoint = read(dir, "lib/shop_web/endpoint.ex").replace("defmodule ShopWeb.Endpoint do", "defmodule Web.Endpoint do");
    writeFileSync(path.join(dir, "lib/web/endpoint.ex"), endpoint);
    rmSync(path.join(dir, "lib/shop_web/endpoint.ex"));
    writeFileSync(path.join(dir, "lib/shop/application.ex"), read(dir, "lib/shop/application.ex").replace("      ShopWeb.Endpoint\n", "      Web.Endpoint\n"));
    const r = await run(dir, ["genserver", "Cart", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    const [children] = await probeAll([{ source: read(dir, "lib/shop/application.ex"), what: "children:Shop.Cart" }]);
    expect(children?.found).toEqual(["ShopWeb.Telemetry,Shop.Repo,DNSCluster,Phoenix.PubSub,Shop.Cart,Web.Endpoint"]);
    const rel = await run(dir, ["release", "--no-check", "--json"]);
    expect(rel.code, rel.err).toBe(0);
    // (The fixture has no config/: those files are printed; the endpoint is patched.)
    expect((JSON.parse(rel.out).manual as string[]).filter((m) => m.includes("endpoint.ex"))).toEqual([]);
    expect(read(dir, "lib/web/endpoint.ex")).toContain("  plug ShopWeb.Plugs.Health\n  plug Plug.RequestId\n");
    expect(existsSync(path.join(dir, "lib/shop_web/endpoint.ex"))).toBe(false);
  });

  it("gen cluster with phx.new's DNSCluster: DNSCluster is the dns strategy (no libcluster beside it); another strategy is refused, nothing written", async () => {
    const dir = path.join(tempDir(), "shop");
    cpSync(path.resolve(import.meta.dirname, "../fixtures/phx_app"), dir, { recursive: true });
    const before = snapshot(dir);
    const hosts = await run(dir, ["cluster", "--strategy", "hosts", "--no-check"]);
    expect(hosts.code).toBe(2);
    expect(hosts.err.trim().split("\n")).toHaveLength(1);
    expect(hosts.err).toContain("--strategy hosts: lib/shop/application.ex already clusters with phx.new's DNSCluster");
    expect(snapshot(dir)).toEqual(before);

    const r = await run(dir, ["cluster", "--registry", "horde", "--no-check", "--json"]);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out) as { manual: unknown[]; nextSteps: string[] };
    expect(report.manual).toEqual([]);
    expect(read(dir, "mix.exs")).not.toContain(":libcluster");
    expect(read(dir, "mix.exs")).toContain('{:horde, "~> 0.9"}');
    const [children] = await probeAll([{ source: read(dir, "lib/shop/application.ex"), what: "children:Shop.Cluster.Distributed" }]);
    expect(children?.found).toEqual(["Shop.Cluster.Distributed,ShopWeb.Telemetry,Shop.Repo,DNSCluster,Phoenix.PubSub,ShopWeb.Endpoint"]);
    expect(JSON.stringify(report.nextSteps)).toContain("DNS_CLUSTER_QUERY=shop-headless.<namespace>.svc.cluster.local");
  });

  it("gen release in a Phoenix + Ecto app: a Release module, bin/migrate, and GET /health before the router", async () => {
    const dir = path.join(tempDir(), "shop");
    cpSync(path.resolve(import.meta.dirname, "../fixtures/phx_app"), dir, { recursive: true });
    const r = await run(dir, ["release", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    // Before Plug.RequestId and Plug.Telemetry: probes are neither logged nor timed.
    expect(read(dir, "lib/shop_web/endpoint.ex")).toContain("  plug ShopWeb.Plugs.Health\n  plug Plug.RequestId\n  plug Plug.Telemetry, event_prefix: [:phoenix, :endpoint]\n");
    expect(read(dir, "lib/shop/release.ex")).toContain("Ecto.Migrator.with_repo(repo, &Ecto.Migrator.run(&1, :up, all: true))");
    expect(read(dir, "rel/overlays/bin/migrate")).toContain("exec ./shop eval Shop.Release.migrate");
    expect(read(dir, "lib/shop_web/plugs/health.ex")).toContain('def call(%Plug.Conn{method: "GET", path_info: ["health"]} = conn, _opts) do');
    const again = await run(dir, ["release", "--no-check", "--json"]);
    expect(JSON.parse(again.out).files.every((f: { action: string }) => f.action === "identical")).toBe(true);
    // Formatted as the Phoenix project's formatter would (its DSL's calls without parentheses).
    const files = ["lib/shop_web/endpoint.ex", "lib/shop/release.ex", "lib/shop/health.ex", "lib/shop_web/plugs/health.ex", "mix.exs"];
    expect(await phoenixUnformatted(dir, files)).toBe("");
  });

  it("gen channel and gen presence: socket in the endpoint, channels in the socket, Presence right after PubSub", async () => {
    const dir = path.join(tempDir(), "shop");
    cpSync(path.resolve(import.meta.dirname, "../fixtures/phx_app"), dir, { recursive: true });
    expect((await run(dir, ["channel", "Room", "--no-check"])).code).toBe(0);
    expect((await run(dir, ["channel", "Chat.Lobby", "--topic", "lobby", "--no-check"])).code).toBe(0);
    const p = await run(dir, ["presence", "--no-check"]);
    expect(p.code, p.err).toBe(0);

    expect(read(dir, "lib/shop_web/endpoint.ex")).toContain(
      '  socket "/socket", ShopWeb.UserSocket,\n    websocket: true,\n    longpoll: false\n\n  socket "/live", Phoenix.LiveView.Socket,',
    );
    expect(read(dir, "lib/shop_web/channels/user_socket.ex")).toContain(
      '  use Phoenix.Socket\n\n  channel "room:*", ShopWeb.RoomChannel\n  channel "lobby", ShopWeb.Chat.LobbyChannel\n',
    );
    const room = read(dir, "lib/shop_web/channels/room_channel.ex");
    expect(room).toContain('  def join("room:" <> _subtopic = topic, _payload, socket) do\n    if authorized?(socket, topic) do');
    // Honest authorisation (Elixir 1.20 proves a constant-true stub and warns): authenticated sockets only.
    expect(room).toContain(
      '    case Map.get(assigns, :user_id) do\n      nil -> false\n      user_id -> topic in ["room:lobby", "room:user:#{user_id}"]\n    end\n',
    );
    expect(read(dir, "lib/shop_web/channels/chat/lobby_channel.ex")).toContain('  def join("lobby" = topic, _payload, socket) do');
    // The socket it created verifies a signed token, and its test says so both ways.
    const socket = read(dir, "lib/shop_web/channels/user_socket.ex");
    expect(socket).toContain("    case Phoenix.Token.verify(socket, @token_salt, token, max_age: @token_max_age) do\n");
    expect(socket).toContain("  def connect(_params, _socket, _connect_info), do: :error\n");
    expect(read(dir, "test/shop_web/channels/user_socket_test.exs")).toContain('  alias ShopWeb.UserSocket\n');
    expect(read(dir, "test/shop_web/channels/user_socket_test.exs")).toContain('assert :error = connect(UserSocket, %{"token" => forged})');
    expect(read(dir, "test/shop_web/channels/room_channel_test.exs")).toContain('|> socket("user_socket:42", %{user_id: 42})');
    expect(read(dir, "test/shop_web/channels/room_channel_test.exs")).toContain('assert {:error, %{reason: "unauthorized"}} =');
    expect(read(dir, "test/shop_web/channels/room_channel_test.exs")).toContain('|> subscribe_and_join(@channel, "room:lobby")');
    expect(read(dir, "test/support/channel_case.ex")).toContain("    Shop.DataCase.setup_sandbox(tags)");
    expect(read(dir, "lib/shop/application.ex")).toContain("      {Phoenix.PubSub, name: Shop.PubSub},\n      ShopWeb.Presence,\n");
    expect(read(dir, "lib/shop_web/presence.ex")).toContain("    pubsub_server: Shop.PubSub");

    for (const args of [["channel", "Room"], ["channel", "Chat.Lobby", "--topic", "lobby"], ["presence"]]) {
      const again = await run(dir, [...args, "--no-check", "--json"]);
      expect(JSON.parse(again.out).files.every((f: { action: string }) => f.action === "identical"), args.join(" ")).toBe(true);
    }
    // Formatted as the Phoenix project's formatter would: its DSLs without parentheses.
    const files = [
      "lib/shop_web/endpoint.ex", "lib/shop_web/channels/user_socket.ex", "lib/shop_web/channels/room_channel.ex",
      "lib/shop_web/channels/chat/lobby_channel.ex", "test/shop_web/channels/room_channel_test.exs", "test/support/channel_case.ex",
      "test/shop_web/channels/user_socket_test.exs",
      "lib/shop_web/presence.ex", "lib/shop/application.ex",
    ];
    expect(await phoenixUnformatted(dir, files)).toBe("");
  });

  it("channel and presence refuse a project without Phoenix, writing nothing", async () => {
    const dir = project();
    const before = snapshot(dir);
    const r = await run(dir, ["channel", "Room", "--no-check"]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("gen channel: gen channel works in a Phoenix project (one made by mix phx.new); mix.exs has no :phoenix dependency\n");
    expect((await run(dir, ["presence", "--no-check"])).code).toBe(2);
    expect(snapshot(dir)).toEqual(before);
  });

});

describe("gen context (a Phoenix + Ecto fixture; Ecto cannot be compiled here)", () => {
  const ALL_TYPES = [
    "users", "name:string", "email:string:unique", "age:integer", "bio:text", "score:float", "price:decimal",
    "active:boolean", "born:date", "wake:time", "seen:naive_datetime", "at:utc_datetime", "token:uuid",
    "blob:binary", "meta:map", "tags:array:string", "status:enum:draft,published", "org_id:references:orgs",
    "password:string:redact",
  ];
  const shop = (): string => {
    const dir = path.join(tempDir(), "shop");
    cpSync(path.resolve(import.meta.dirname, "../fixtures/phx_app"), dir, { recursive: true });
    return dir;
  };

  it("every field type: schema, migration, context, tests and fixtures that parse, are formatted and agree", async () => {
    const dir = shop();
    const r = await run(dir, ["context", "Accounts", "User", ...ALL_TYPES, "--no-check"]);
    expect(r.code, r.err).toBe(0);
    const migration = readdirSync(path.join(dir, "priv/repo/migrations")).filter((f) => f.endsWith("_create_users.exs"));
    expect(migration).toHaveLength(1);
    const files = ["lib/shop/accounts.ex", "lib/shop/accounts/user.ex", `priv/repo/migrations/${migration[0]}`, "test/shop/accounts_test.exs", "test/support/fixtures/accounts_fixtures.ex"];
    expect(await phoenixUnformatted(dir, files)).toBe("");

    const schemaSrc = read(dir, "lib/shop/accounts/user.ex");
    const migrationSrc = read(dir, `priv/repo/migrations/${migration[0]}`);
    const schemaFields = [...schemaSrc.matchAll(/^ {4}field :(\w+),/gm)].map((m) => m[1]);
    const columns = [...migrationSrc.matchAll(/^ {6}add :(\w+),/gm)].map((m) => m[1]);
    expect(schemaFields).toEqual(columns);
    expect(schemaFields).toHaveLength(ALL_TYPES.length - 1);
    for (const f of schemaFields) expect(schemaSrc).toMatch(new RegExp(`^ {10}${f}: .+ \\| nil,$`, "m"));
    expect(schemaSrc).toContain("    field :status, Ecto.Enum, values: [:draft, :published]");
    expect(schemaSrc).toContain("    field :password, :string, redact: true");
    expect(schemaSrc).toContain("    |> unique_constraint(:email)");
    expect(migrationSrc).toContain("      add :org_id, references(:orgs, on_delete: :delete_all)");
    // What the changeset requires, the column requires too.
    expect(migrationSrc).toContain("      add :email, :string, null: false");
    expect(migrationSrc).toContain("    create unique_index(:users, [:email])");
    expect(migrationSrc).toContain("    create index(:users, [:org_id])");

    // Every public function of the context has @doc and @spec.
    const context = read(dir, "lib/shop/accounts.ex");
    const defs = [...context.matchAll(/^ {2}def ([\w!?]+)/gm)].map((m) => m[1] as string);
    expect(defs).toEqual(["list_users", "page_users", "get_user!", "get_user", "create_user", "update_user", "delete_user", "change_user"]);
    for (const d of defs) expect(context).toContain(`@spec ${d}(`);
    expect(context.match(/@doc /g)).toHaveLength(defs.length);
    expect(read(dir, "test/support/fixtures/accounts_fixtures.ex")).toContain('email: "some email#{System.unique_integer([:positive])}",');

    const again = await run(dir, ["context", "Accounts", "User", ...ALL_TYPES, "--no-check", "--json"]);
    expect(JSON.parse(again.out).files.every((f: { action: string }) => f.action === "identical")).toBe(true);
  });

  it("into an existing context, appends only what is missing: functions, aliases, tests, fixture", async () => {
    const dir = shop();
    expect((await run(dir, ["context", "Accounts", "User", "users", "name:string", "--no-check"])).code).toBe(0);
    const r = await run(dir, ["context", "Accounts", "Team", "teams", "title:string:unique", "--binary-id", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    const context = read(dir, "lib/shop/accounts.ex");
    expect(context).toContain("  alias Shop.Accounts.Team\n  alias Shop.Accounts.User\n  alias Shop.Repo\n");
    expect([...context.matchAll(/^ {2}def (\w+)/gm)].map((m) => m[1])).toContain("list_teams");
    expect(context).toContain("  @spec get_team!(Ecto.UUID.t()) :: Team.t()");
    const test = read(dir, "test/shop/accounts_test.exs");
    expect(test).toContain('  describe "users" do');
    expect(test).toContain('  describe "teams" do');
    expect(test).toContain("assert Accounts.get_team(Ecto.UUID.generate()) == nil");
    expect(read(dir, "test/support/fixtures/accounts_fixtures.ex")).toContain("  def team_fixture(attrs \\\\ %{}) do");
    const migrations = readdirSync(path.join(dir, "priv/repo/migrations"));
    expect(await phoenixUnformatted(dir, ["lib/shop/accounts.ex", "test/shop/accounts_test.exs", "test/support/fixtures/accounts_fixtures.ex", ...migrations.map((m) => `priv/repo/migrations/${m}`)])).toBe("");
    const again = await run(dir, ["context", "Accounts", "Team", "teams", "title:string:unique", "--binary-id", "--no-check", "--json"]);
    expect(JSON.parse(again.out).files.every((f: { action: string }) => f.action === "identical")).toBe(true);
  });

  it("each migration gets a version of its own, later than every existing one (Ecto refuses two with the same version)", async () => {
    const dir = shop();
    // A migration already stamped an hour ahead (a clock skewed elsewhere), then two runs within the same second.
    const ahead = new Date(Date.now() + 3_600_000).toISOString().replace(/[-:T]/g, "").slice(0, 14);
    writeIn(dir, `priv/repo/migrations/${ahead}_create_things.exs`, "defmodule Shop.Repo.Migrations.CreateThings do\n  use Ecto.Migration\n\n  def change, do: :ok\nend\n");
    for (const [context, schema, table] of [["Accounts", "User", "users"], ["Blog", "Post", "posts"]]) {
      expect((await run(dir, ["context", context as string, schema as string, table as string, "name:string", "--no-check"])).code).toBe(0);
    }
    const versions = readdirSync(path.join(dir, "priv/repo/migrations")).map((f) => f.slice(0, 14)).sort();
    expect(new Set(versions).size).toBe(3);
    expect(versions[0]).toBe(ahead);
    expect(Number(versions[2])).toBeGreaterThan(Number(versions[1]));
  });

  it.each([
    [["price:money"], 'invalid field "price:money": unknown type "money"'],
    [["Name:string"], 'invalid field "Name:string": a field name starts with a lowercase letter'],
    [["name:string", "name:text"], 'invalid field "name:text": name is given twice'],
    [["id:integer"], 'invalid field "id:integer": id is added by the schema itself'],
    [["inserted_at:utc_datetime"], 'invalid field "inserted_at:utc_datetime": inserted_at is added by the schema itself'],
    [["owner:references:users"], 'invalid field "owner:references:users": a reference\'s name ends in _id'],
    [["status:enum"], 'invalid field "status:enum": enum needs values'],
    [["name:string:indexed"], 'invalid field "name:string:indexed": unknown modifier "indexed"'],
  ])("bad field specs %j: one line naming the field and the rule, exit 2, nothing written", async (fields, message) => {
    const dir = shop();
    await expectRefused(dir, ["context", "Accounts", "User", "users", ...fields], message);
  });

  it("refuses a project without Ecto", async () => {
    const plain = project();
    const r = await run(plain, ["context", "Accounts", "User", "--no-check"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("gen context works in a project with Ecto");
  });

  it("gen live: context, LiveViews on the core components, their tests, and routes in the browser scope; idempotent", async () => {
    const dir = shop();
    const fields = ["products", "title:string", "price:decimal", "in_stock:boolean", "released:date", "status:enum:draft,published", "tags:array:string", "owner_id:references:users"];
    const r = await run(dir, ["live", "Catalog", "Product", ...fields, "--no-check"]);
    expect(r.code, r.err).toBe(0);
    const router = read(dir, "lib/shop_web/router.ex");
    expect(router).toContain(`    get "/", PageController, :home

    live "/products", ProductLive.Index, :index
    live "/products/new", ProductLive.Form, :new
    live "/products/:id", ProductLive.Show, :show
    live "/products/:id/edit", ProductLive.Form, :edit
  end`);
    const index = read(dir, "lib/shop_web/live/product_live/index.ex");
    expect(index).toContain("    <Layouts.app flash={@flash}>");
    // A page at a time, never the whole table at mount.
    expect(index).toContain("     |> stream(:products, [])\n     |> load_page(nil)}");
    expect(index).toContain("    {rows, rest} = Enum.split(Catalog.page_products(opts), @per_page)");
    expect(index).toContain('        <:col :let={{_id, product}} label="Title">{product.title}</:col>');
    expect(index).toContain("{:noreply, stream_delete(socket, :products, product)}");
    const form = read(dir, "lib/shop_web/live/product_live/form.ex");
    // Too long for one line: laid out as Phoenix.LiveView.HTMLFormatter lays it out.
    expect(form).toContain(
      [
        "        <.input",
        "          field={@form[:status]}",
        '          type="select"',
        '          label="Status"',
        '          prompt="Choose a value"',
        "          options={Ecto.Enum.values(Shop.Catalog.Product, :status)}",
        "        />",
        "",
      ].join("\n"),
    );
    expect(form).toContain('<.input field={@form[:price]} type="number" label="Price" step="any" />');
    expect(form).not.toContain("owner_id");
    const test = read(dir, "test/shop_web/live/product_live_test.exs");
    expect(test).toContain("    in_stock: false,\n    released: nil,");
    expect(test).toContain("    tags: []\n  }");
    // Every LiveView callback is an @impl; the Elixir side is formatted (HEEx is the LiveView formatter plugin's).
    for (const f of ["index", "show", "form"]) {
      const src = read(dir, `lib/shop_web/live/product_live/${f}.ex`);
      expect(src.match(/@impl true/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    }
    const files = ["lib/shop_web/router.ex", "lib/shop_web/live/product_live/index.ex", "lib/shop_web/live/product_live/show.ex", "lib/shop_web/live/product_live/form.ex", "test/shop_web/live/product_live_test.exs"];
    expect(await phoenixUnformatted(dir, files)).toBe("");
    expect(heexProblems(dir, "product_live")).toEqual([]);
    const again = await run(dir, ["live", "Catalog", "Product", ...fields, "--no-check", "--json"]);
    expect(JSON.parse(again.out).files.every((f: { action: string }) => f.action === "identical")).toBe(true);
  });

  it("gen live refuses fields a form cannot edit, naming them; a router it cannot patch gets the exact routes printed", async () => {
    const dir = shop();
    const bad = await run(dir, ["live", "Catalog", "Product", "products", "meta:map", "--no-check"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('invalid field "meta:map" for gen live: map fields have no form input');
    writeFileSync(path.join(dir, "lib/shop_web/router.ex"), "defmodule ShopWeb.Router do\n  use ShopWeb, :router\nend\n");
    const r = await run(dir, ["live", "Catalog", "Product", "products", "title:string", "--no-check"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('add these routes to the `scope "/", ShopWeb do` block that pipes through :browser:\n      live "/products", ProductLive.Index, :index');
  });
});


describe("Phoenix 1.8 scopes (the fixture plus what mix phx.gen.auth adds; not compiled here)", () => {
  const authShop = (): string => {
    const dir = path.join(tempDir(), "shop");
    cpSync(path.join(FIXTURES, "phx_app"), dir, { recursive: true });
    cpSync(path.join(FIXTURES, "phx_auth_overlay"), dir, { recursive: true });
    return dir;
  };
  const contextFiles = (dir: string, table: string): string[] => {
    const m = readdirSync(path.join(dir, "priv/repo/migrations")).filter((f) => f.endsWith(`_create_${table}.exs`));
    expect(m).toHaveLength(1);
    return [`priv/repo/migrations/${m[0]}`];
  };
  const publicDefs = (src: string): string[] => [...src.matchAll(/^ {2}def ([\w!?]+)\(([^)]*)/gm)].map((m) => `${m[1]}(${m[2]})`);

  it("gen context: scoped functions, PubSub notices, the scope's key in schema and migration, scoped tests and fixtures", async () => {
    const dir = authShop();
    const fields = ["products", "title:string", "sku:string:unique", "price:decimal", "status:enum:draft,published", "tags:array:string", "owner_id:references:users"];
    const r = await run(dir, ["context", "Catalog", "Product", ...fields, "--no-check"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("scoped by :user (Shop.Accounts.Scope, user_id)");
    const [migration] = contextFiles(dir, "products");
    const files = ["lib/shop/catalog.ex", "lib/shop/catalog/product.ex", migration as string, "test/shop/catalog_test.exs", "test/support/fixtures/catalog_fixtures.ex"];
    expect(await phoenixUnformatted(dir, files)).toBe("");

    const context = read(dir, "lib/shop/catalog.ex");
    expect(context).toContain("  alias Shop.Accounts.Scope\n  alias Shop.Catalog.Product\n  alias Shop.Repo\n");
    const defs = publicDefs(context);
    expect(defs.map((d) => d.split("(")[0])).toEqual(["subscribe_products", "list_products", "page_products", "get_product!", "get_product", "create_product", "update_product", "delete_product", "change_product"]);
    // Every public function takes the scope first and has @doc and a @spec that says so.
    for (const d of defs) {
      expect(d).toMatch(/\(%Scope\{\} = scope/);
      expect(context).toMatch(new RegExp(`@spec ${d.split("(")[0]?.replace(/[!?]/g, "\\$&")}\\(Scope\\.t\\(\\)`));
    }
    expect(context.match(/@doc /g)).toHaveLength(defs.length);
    expect(context).toContain("    Repo.all_by(Product, user_id: scope.user.id)");
    expect(context).toContain("    Repo.get_by!(Product, id: id, user_id: scope.user.id)");
    expect(context).toContain('  defp product_topic(scope), do: "user:#{scope.user.id}:products"');
    expect(context.match(/ {4}true = product\.user_id == scope\.user\.id/g)).toHaveLength(3);
    for (const event of ["created", "updated", "deleted"]) expect(context).toContain(`broadcast_product(scope, {:${event}, product})`);

    const schema = read(dir, "lib/shop/catalog/product.ex");
    const migrationSrc = read(dir, migration as string);
    const schemaFields = [...schema.matchAll(/^ {4}field :(\w+),/gm)].map((m) => m[1]);
    expect(schemaFields).toEqual([...migrationSrc.matchAll(/^ {6}add :(\w+),/gm)].map((m) => m[1]));
    expect(schemaFields.at(-1)).toBe("user_id");
    for (const f of schemaFields) expect(schema).toMatch(new RegExp(`^ {10}${f}: .+ \\| nil,$`, "m"));
    expect(schema).toContain("    field :user_id, :id\n");
    expect(schema).toContain("  @spec changeset(t(), map(), Scope.t()) :: Ecto.Changeset.t()\n  def changeset(product, attrs, user_scope) do");
    expect(schema).toContain("    |> put_change(:user_id, user_scope.user.id)\n  end");
    expect(schema).not.toMatch(/@fields \[[^\]]*:user_id/);
    expect(migrationSrc).toContain("      add :user_id, references(:users, type: :id, on_delete: :delete_all), null: false");
    expect(migrationSrc).toContain("    create index(:products, [:user_id])");

    const test = read(dir, "test/shop/catalog_test.exs");
    expect(test).toContain("    import Shop.AccountsFixtures, only: [user_scope_fixture: 0]\n    import Shop.CatalogFixtures\n");
    expect(test).toContain("      assert product.user_id == scope.user.id");
    expect(test).toContain("      assert_raise MatchError, fn -> Catalog.update_product(other_scope, product, %{}) end");
    expect(test).toContain("      assert_receive {:created, ^product}");
    const fixtures = read(dir, "test/support/fixtures/catalog_fixtures.ex");
    expect(fixtures).toContain("  @spec product_fixture(Scope.t(), map()) :: Product.t()\n  def product_fixture(scope, attrs \\\\ %{}) do");
    // No @spec names a struct literal (credo's SpecWithStruct), read by Elixir; the scope module has the type they name.
    expect(await specsWithStructs(dir, files)).toEqual([]);
    const scopeModule = read(dir, "lib/shop/accounts/scope.ex");
    expect(scopeModule).toContain('  @typedoc "Who is acting, and on whose behalf: the caller\'s scope."\n  @type t :: %__MODULE__{}\n\n  defstruct user: nil\n');
    expect(await phoenixUnformatted(dir, ["lib/shop/accounts/scope.ex"])).toBe("");
    expect(fixtures).toContain("    {:ok, product} = Catalog.create_product(scope, attrs)");

    const again = await run(dir, ["context", "Catalog", "Product", ...fields, "--no-check", "--json"]);
    expect(JSON.parse(again.out).files.every((f: { action: string }) => f.action === "identical")).toBe(true);
  });

  it("gen context into the context that holds the scope's fixtures: one import, aliases added in order", async () => {
    const dir = authShop();
    const r = await run(dir, ["context", "Accounts", "Note", "notes", "body:text", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    const test = read(dir, "test/shop/accounts_test.exs");
    expect(test).toContain('  describe "notes" do\n    alias Shop.Accounts.Note\n\n    import Shop.AccountsFixtures\n\n');
    expect(test).not.toContain("only: [user_scope_fixture: 0]");
    const fixtures = read(dir, "test/support/fixtures/accounts_fixtures.ex");
    expect(fixtures).toContain("  alias Shop.Accounts\n  alias Shop.Accounts.Note\n  alias Shop.Accounts.Scope\n");
    expect(fixtures).toContain("  def user_scope_fixture do");
    expect(fixtures).toContain("  def note_fixture(scope, attrs \\\\ %{}) do");
    const [migration] = contextFiles(dir, "notes");
    expect(await phoenixUnformatted(dir, ["lib/shop/accounts.ex", "lib/shop/accounts/note.ex", migration as string, "test/shop/accounts_test.exs", "test/support/fixtures/accounts_fixtures.ex"])).toBe("");
  });

  it("gen live: scoped LiveViews that follow PubSub, the current scope in the layout, routes in the authenticated live_session", async () => {
    const dir = authShop();
    const fields = ["products", "title:string", "price:decimal", "in_stock:boolean", "status:enum:draft,published"];
    const r = await run(dir, ["live", "Catalog", "Product", ...fields, "--no-check"]);
    expect(r.code, r.err).toBe(0);
    const router = read(dir, "lib/shop_web/router.ex");
    expect(router).toContain(`      live "/users/settings/confirm-email/:token", UserLive.Settings, :confirm_email

      live "/products", ProductLive.Index, :index
      live "/products/new", ProductLive.Form, :new
      live "/products/:id", ProductLive.Show, :show
      live "/products/:id/edit", ProductLive.Form, :edit
    end`);
    expect(router.match(/live "\/products"/g)).toHaveLength(1);
    const live = "lib/shop_web/live/product_live";
    for (const f of ["index", "show", "form"]) expect(read(dir, `${live}/${f}.ex`)).toContain("<Layouts.app flash={@flash} current_scope={@current_scope}>");
    const index = read(dir, `${live}/index.ex`);
    expect(index).toContain("    if connected?(socket), do: Catalog.subscribe_products(socket.assigns.current_scope)");
    expect(index).toContain("    {rows, rest} = Enum.split(Catalog.page_products(scope, opts), @per_page)");
    // Only the changed row moves: stream_insert / stream_delete, never a re-list of everything.
    expect(index).toContain("  def handle_info({:deleted, %Product{} = product}, socket) do\n    {:noreply, stream_delete(socket, :products, product)}");
    expect(index).toContain("when change in [:created, :updated] do\n    {:noreply, stream_insert(socket, :products, product)}");
    expect(index).not.toContain("reset: true");
    // The LiveView tests check what was saved, and the edit paths' invalid changes.
    const liveTest = read(dir, "test/shop_web/live/product_live_test.exs");
    expect(liveTest).toContain('assert html =~ "some title"');
    expect(liveTest).toContain('assert html =~ "some updated title"');
    expect(liveTest.match(/render_change\(\) =~ "can&#39;t be blank"/g)).toHaveLength(3);
    expect(read(dir, "lib/shop/catalog.ex")).toContain("@spec get_product!(Scope.t(), integer() | String.t()) :: Product.t()");
    const show = read(dir, `${live}/show.ex`);
    expect(show).toContain("  def handle_info({:deleted, %Product{} = product}, socket) do");
    const form = read(dir, `${live}/form.ex`);
    expect(form).toContain("    product = %Product{user_id: scope.user.id}");
    expect(form).toContain("    case Catalog.update_product(scope, socket.assigns.product, params) do");
    const test = read(dir, "test/shop_web/live/product_live_test.exs");
    expect(test).toContain("  setup :register_and_log_in_user\n\n  defp create_product(%{scope: scope}) do\n    %{product: product_fixture(scope)}\n  end");
    expect(heexProblems(dir, "product_live")).toEqual([]);
    const files = ["lib/shop_web/router.ex", `${live}/index.ex`, `${live}/show.ex`, `${live}/form.ex`, "test/shop_web/live/product_live_test.exs"];
    expect(await phoenixUnformatted(dir, files)).toBe("");
    const again = await run(dir, ["live", "Catalog", "Product", ...fields, "--no-check", "--json"]);
    expect(JSON.parse(again.out).files.every((f: { action: string }) => f.action === "identical")).toBe(true);
  });

  it("--scope NAME with a route_prefix: paths carry the scope's value everywhere; --no-scope: unscoped, in the browser scope", async () => {
    const dir = authShop();
    const config = read(dir, "config/config.exs").replace(
      "    test_setup_helper: :register_and_log_in_user\n  ]\n",
      `    test_setup_helper: :register_and_log_in_user
  ],
  org: [
    module: Shop.Accounts.Scope,
    assign_key: :current_scope,
    access_path: [:org, :id],
    route_prefix: "/orgs/:org",
    schema_key: :org_id,
    schema_type: :binary_id,
    schema_table: :orgs,
    test_data_fixture: Shop.AccountsFixtures,
    test_setup_helper: :register_and_log_in_user
  ]
`,
    );
    writeFileSync(path.join(dir, "config/config.exs"), config);
    const r = await run(dir, ["live", "Catalog", "Product", "products", "title:string", "--scope", "org", "--no-check"]);
    expect(r.code, r.err).toBe(0);
    const live = "lib/shop_web/live/product_live";
    expect(read(dir, "lib/shop_web/router.ex")).toContain('      live "/orgs/:org/products/:id/edit", ProductLive.Form, :edit\n    end');
    expect(read(dir, `${live}/index.ex`)).toContain('navigate={~p"/orgs/#{@current_scope.org}/products/new"}');
    expect(read(dir, `${live}/show.ex`)).toContain('push_navigate(to: ~p"/orgs/#{socket.assigns.current_scope.org}/products")');
    expect(read(dir, `${live}/form.ex`)).toContain('  defp return_path(scope, "index", _product), do: ~p"/orgs/#{scope.org}/products"');
    const test = read(dir, "test/shop_web/live/product_live_test.exs");
    expect(test).toContain('    test "displays the product", %{conn: conn, scope: scope, product: product} do');
    expect(read(dir, "lib/shop/catalog/product.ex")).toContain("    field :org_id, :binary_id\n");
    expect(read(dir, "lib/shop/catalog.ex")).toContain('"org:#{scope.org.id}:products"');
    expect(heexProblems(dir, "product_live")).toEqual([]);
    const [migration] = contextFiles(dir, "products");
    const files = ["lib/shop/catalog.ex", "lib/shop/catalog/product.ex", migration as string, "lib/shop_web/router.ex", `${live}/index.ex`, `${live}/show.ex`, `${live}/form.ex`, "test/shop_web/live/product_live_test.exs"];
    expect(await phoenixUnformatted(dir, files)).toBe("");

    // In an app with log-in, --no-scope alone would put the CRUD where logged-out visitors reach it: refused, nothing written.
    const before = snapshot(dir);
    const refused = await run(dir, ["live", "Blog", "Post", "posts", "title:string", "--no-scope", "--no-check"]);
    expect(refused.code).toBe(2);
    expect(refused.err.trim().split("\n")).toHaveLength(1);
    expect(refused.err).toMatch(/^gen live: --no-scope: lib\/shop_web\/router\.ex has pages for logged-in users only \(live_session :require_authenticated_user\).*logged-out visitors could create and delete posts; pass --public if that is meant/);
    expect(snapshot(dir)).toEqual(before);
    const plain = await run(dir, ["live", "Blog", "Post", "posts", "title:string", "--no-scope", "--public", "--no-check"]);
    expect(plain.code, plain.err).toBe(0);
    expect(read(dir, "lib/shop/blog.ex")).not.toContain("Scope");
    expect(read(dir, "lib/shop_web/router.ex")).toContain('    get "/", PageController, :home\n\n    live "/posts", PostLive.Index, :index');
  });

  it("--no-scope behind log-in by name, set once in the team's config: the routes in that live_session, the tests logged in and checking a logged-out visitor", async () => {
    const dir = authShop();
    mkdirSync(path.join(dir, ".otpgen"), { recursive: true });
    writeFileSync(path.join(dir, ".otpgen/config.json"), JSON.stringify({ defaults: { live: { routerScope: "require_authenticated_user" } } }));
    const r = await run(dir, ["live", "Notes", "Note", "notes", "body:text", "--no-scope", "--no-check", "--json"]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).manual).toEqual([]);
    const [routed] = await probeAll([{ source: read(dir, "lib/shop_web/router.ex"), what: "live:/notes" }]);
    expect(routed?.found).toEqual(['scope "/" > live_session :require_authenticated_user']);
    const test = read(dir, "test/shop_web/live/note_live_test.exs");
    expect(test).toContain("  setup :register_and_log_in_user\n\n  defp create_note(_context) do");
    expect(test).toContain('      assert_sent_to_log_in(~p"/notes/#{note}/edit")');
    expect(read(dir, "lib/shop/notes.ex")).not.toContain("Scope");
    // A name the router does not have: printed with the reason, the router untouched.
    const before = read(dir, "lib/shop_web/router.ex");
    const other = await run(dir, ["live", "Blog", "Post", "posts", "title:string", "--no-scope", "--router-scope", "members", "--no-check", "--json"]);
    expect(other.code, other.err).toBe(0);
    expect(JSON.parse(other.out).manual[0]).toContain("no live_session named :members and no scope piping through :members");
    expect(read(dir, "lib/shop_web/router.ex")).toBe(before);
  });

  it("very long names: every HEEx tag that would pass the line length is laid out as the HTML formatter lays it out", async () => {
    const dir = authShop();
    const spec = [
      "InternationalFulfillment", "CrossBorderShipmentTrackingEvent", "cross_border_shipment_tracking_events",
      "carrier_reported_customs_clearance_status_description:string",
      "customs_clearance_processing_stage:enum:submitted,under_review,cleared,held_for_inspection",
      "declared_value_in_destination_currency:decimal", "requires_manual_customs_inspection:boolean",
    ];
    const r = await run(dir, ["live", ...spec, "--no-check"]);
    expect(r.code, r.err).toBe(0);
    const live = "cross_border_shipment_tracking_event_live";
    const form = read(dir, `lib/shop_web/live/${live}/form.ex`);
    // Without the layout these lines would pass 98 columns (the checker below reports them).
    expect(form).toContain("          options={Ecto.Enum.values(Shop.InternationalFulfillment.CrossBorderShipmentTrackingEvent, :customs_clearance_processing_stage)}\n");
    expect(heexProblems(dir, live)).toEqual([]);
    const files = ["index", "show", "form"].map((f) => `lib/shop_web/live/${live}/${f}.ex`);
    expect(await phoenixUnformatted(dir, files)).toBe("");
    expect(await unparsable(dir, files)).toEqual([]);
  });

  it("the layout checker reports a long tag left on one line, and a tag broken with attributes on its first line", () => {
    const long = `    ~H"""\n    <.input field={@form[:status]} type="select" label="Status" prompt="Choose a value" options={Ecto.Enum.values(A.B, :status)} />\n    """\n`;
    expect(heexLayoutProblems(long)).toEqual([expect.stringMatching(/^line 2: 1\d\d columns, over 98/)]);
    const half = `    ~H"""\n    <.input field={@form[:status]}\n      type="select"\n    />\n    """\n`;
    expect(heexLayoutProblems(half)).toEqual(["line 2: <.input breaks with attributes still on its first line"]);
  });

  it("long names: every file, and what is merged into an existing context, stays format-clean (Elixir's formatter lays them out)", async () => {
    const dir = authShop();
    const spec = ["Fulfillment", "ShipmentTrackingEvent", "shipment_tracking_events", "carrier_status_description:string", "sequence_number:integer"];
    expect((await run(dir, ["live", ...spec, "--no-check"])).code).toBe(0);
    const merged = await run(dir, ["context", "Fulfillment", "OutboundParcelConsignment", "outbound_parcel_consignments", "consignment_reference_code:string:unique", "--no-check"]);
    expect(merged.code, merged.err).toBe(0);
    const live = "lib/shop_web/live/shipment_tracking_event_live";
    const migrations = readdirSync(path.join(dir, "priv/repo/migrations")).map((m) => `priv/repo/migrations/${m}`);
    const files = [
      "lib/shop/fulfillment.ex", "lib/shop/fulfillment/shipment_tracking_event.ex", "lib/shop/fulfillment/outbound_parcel_consignment.ex",
      "test/shop/fulfillment_test.exs", "test/support/fixtures/fulfillment_fixtures.ex", ...migrations,
      "lib/shop_web/router.ex", `${live}/index.ex`, `${live}/show.ex`, `${live}/form.ex`, "test/shop_web/live/shipment_tracking_event_live_test.exs",
    ];
    expect(await phoenixUnformatted(dir, files)).toBe("");
    expect(read(dir, "lib/shop/fulfillment.ex")).toContain("  @type outbound_parcel_consignment_result ::\n          {:ok, OutboundParcelConsignment.t()} | {:error, Ecto.Changeset.t()}\n");
    expect(heexProblems(dir, "shipment_tracking_event_live")).toEqual([]);
    const again = await run(dir, ["context", "Fulfillment", "OutboundParcelConsignment", "outbound_parcel_consignments", "consignment_reference_code:string:unique", "--no-check", "--json"]);
    expect(JSON.parse(again.out).files.every((f: { action: string }) => f.action === "identical")).toBe(true);
  });

  it.each([
    [["context", "Catalog", "Product", "products", "user_id:references:users"], 'invalid field "user_id:references:users": user_id is the key of scope :user, added by the scope (or pass --no-scope)'],
    [["context", "Catalog", "Product", "products", "title:string", "--scope", "team"], "invalid --scope team: config/config.exs configures only user under config :shop, :scopes"],
    [["context", "Catalog", "Scope", "scopes", "title:string"], "invalid module Scope: it would clash with the alias of the scope module Shop.Accounts.Scope"],
    [["context", "Catalog", "Product", "products", "--scope", "Bad"], 'invalid --scope "Bad": a scope is named like an atom, e.g. user'],
    [["context", "Catalog", "Product", "products", "--scope", "user", "--no-scope"], "--scope and --no-scope cannot be used together"],
    [["live", "Catalog", "Product", "products", "--router-scope", "bad!name"], 'invalid --router-scope "bad!name": --router-scope is a live_session or pipeline name (e.g. require_authenticated_user, browser), a scope\'s line number, or 0 to print the routes'],
    [["live", "Catalog", "Product", "products", "--router-scope", "-3"], 'invalid --router-scope "-3": --router-scope is a live_session or pipeline name'],
  ])("refuses %j with one line, exit 2, nothing written", async (args, message) => {
    await expectRefused(authShop(), args, message);
  });

  it("a scope without what the tests need, or a config gen cannot read, is refused by name", async () => {
    const dir = authShop();
    writeFileSync(path.join(dir, "config/config.exs"), read(dir, "config/config.exs").replace("    test_setup_helper: :register_and_log_in_user\n", ""));
    const live = await run(dir, ["live", "Catalog", "Product", "products", "title:string", "--no-check"]);
    expect(live.code).toBe(2);
    expect(live.err).toContain("scope :user has no test_setup_helper");
    writeFileSync(path.join(dir, "config/config.exs"), "import Config\n\nconfig :shop, :scopes,\n  user: [default: true, module: scope_module()]\n");
    const ctx = await run(dir, ["context", "Catalog", "Product", "products", "title:string", "--no-check"]);
    expect(ctx.code).toBe(2);
    expect(ctx.err).toContain("config/config.exs:4: cannot read `scope_module()`");
    expect(ctx.err).toContain("(or pass --no-scope)");
  });
});
