// gen doctor's OTP lints, each on a shape that has the mistake and on the same
// shape without it. The shapes compile: the Elixir they are written in is
// checked by Elixir's own parser first.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadReader } from "../../src/elixir/reader.js";
import { otpLints } from "../../src/elixir/otp-lints.js";
import type { Sources } from "../../src/elixir/sup-tree.js";
import { tempDir } from "../helpers.js";
import { unparsable } from "../e2e/packed.js";

const sources = (files: Record<string, string>): Sources => ({ files: Object.keys(files), read: (f) => files[f] });

/** An application module whose start/2 starts `children` (Elixir source lines) with `opts`. */
const app = (children: string[], opts = "strategy: :one_for_one, name: Shop.Supervisor", extra = ""): string => `defmodule Shop.Application do
  @moduledoc false
  use Application
${extra}
  @impl true
  def start(_type, _args) do
    children = [
${children.map((c) => `      ${c}`).join(",\n")}
    ]

    Supervisor.start_link(children, ${opts})
  end
end
`;

const worker = (module: string, init = "{:ok, opts}", extra = ""): string => `defmodule ${module} do
  @moduledoc false
  use GenServer

  def start_link(opts), do: GenServer.start_link(__MODULE__, opts)

  @impl true
  def init(opts) do
    ${init}
  end
${extra}end
`;

const ENDPOINT = `defmodule ShopWeb.Endpoint do
  @moduledoc false
  use Phoenix.Endpoint, otp_app: :shop
end
`;

const NOTIFIER = worker("Shop.Notifier", "{:ok, opts}", `
  def notify(event), do: Phoenix.PubSub.broadcast(Shop.PubSub, "events", event)
`);

interface Case {
  files: Record<string, string>;
  /** `rule file:line` of each finding, in order. */
  found: string[];
}

const APP = "lib/shop/application.ex";
const REGISTRY = "{Registry, keys: :unique, name: Shop.Registry}";
const VIA = "{Shop.Session, name: {:via, Registry, {Shop.Registry, :main}}}";

const CASES: Record<string, Case> = {
  "registry-order: a process named through a Registry started before it": {
    files: { [APP]: app([VIA, REGISTRY], "strategy: :rest_for_one") },
    found: [`registry-order ${APP}:8`],
  },
  "registry-order: the Registry first": { files: { [APP]: app([REGISTRY, VIA], "strategy: :rest_for_one") }, found: [] },
  "endpoint-last: the Endpoint before another child": {
    files: { [APP]: app(["ShopWeb.Endpoint", "Shop.Worker"]), "lib/shop_web/endpoint.ex": ENDPOINT, "lib/shop/worker.ex": worker("Shop.Worker") },
    found: [`endpoint-last ${APP}:8`],
  },
  "endpoint-last: the Endpoint last": {
    files: { [APP]: app(["Shop.Worker", "ShopWeb.Endpoint"]), "lib/shop_web/endpoint.ex": ENDPOINT, "lib/shop/worker.ex": worker("Shop.Worker") },
    found: [],
  },
  "pubsub-order: a child that broadcasts before PubSub": {
    files: { [APP]: app(["Shop.Notifier", "{Phoenix.PubSub, name: Shop.PubSub}"]), "lib/shop/notifier.ex": NOTIFIER },
    found: [`pubsub-order ${APP}:8`],
  },
  "pubsub-order: PubSub first": {
    files: { [APP]: app(["{Phoenix.PubSub, name: Shop.PubSub}", "Shop.Notifier"]), "lib/shop/notifier.ex": NOTIFIER },
    found: [],
  },
  "duplicate-id: the same child twice": {
    files: { [APP]: app(["Shop.Worker", "{Shop.Worker, [mode: :other]}"]), "lib/shop/worker.ex": worker("Shop.Worker") },
    found: [`duplicate-id ${APP}:9`],
  },
  "duplicate-id: a second one with its own id; two Registries with their own names": {
    files: {
      [APP]: app(["Shop.Worker", "Supervisor.child_spec({Shop.Worker, [mode: :other]}, id: :other_worker)", REGISTRY, "{Registry, keys: :duplicate, name: Shop.Topics}"]),
      "lib/shop/worker.ex": worker("Shop.Worker"),
    },
    found: [],
  },
  "dynamic-supervisor-name: looked up by a name it was not given": {
    files: {
      [APP]: app(["{DynamicSupervisor, strategy: :one_for_one}"]),
      "lib/shop/rooms.ex": "defmodule Shop.Rooms do\n  @moduledoc false\n  def open(spec), do: DynamicSupervisor.start_child(Shop.RoomSupervisor, spec)\nend\n",
    },
    found: [`dynamic-supervisor-name ${APP}:8`],
  },
  "dynamic-supervisor-name: started with that name": {
    files: {
      [APP]: app(["{DynamicSupervisor, name: Shop.RoomSupervisor, strategy: :one_for_one}"]),
      "lib/shop/rooms.ex": "defmodule Shop.Rooms do\n  @moduledoc false\n  def open(spec), do: DynamicSupervisor.start_child(Shop.RoomSupervisor, spec)\nend\n",
    },
    found: [],
  },
  "registry-strategy: :one_for_one with a Registry followed by its users": {
    files: { [APP]: app([REGISTRY, VIA]) },
    found: [`registry-strategy ${APP}:12`],
  },
  "registry-strategy: :rest_for_one": { files: { [APP]: app([REGISTRY, VIA], "strategy: :rest_for_one") }, found: [] },
  "supervisor-spec: import Supervisor.Spec and worker/2": {
    files: { [APP]: app(["worker(Shop.Worker, [])"], "strategy: :one_for_one", "  import Supervisor.Spec\n"), "lib/shop/worker.ex": worker("Shop.Worker") },
    found: [`supervisor-spec ${APP}:4`, `supervisor-spec ${APP}:9`],
  },
  "supervisor-spec: child specs, and worker( only in a comment and a string": {
    files: { [APP]: app(["{Shop.Worker, []}"], "strategy: :one_for_one", '  # worker(Shop.Worker, []) was the old way\n  @note "worker(Shop.Worker, [])"\n'), "lib/shop/worker.ex": worker("Shop.Worker") },
    found: [],
  },
  "logger-warn: Logger.warn": {
    files: { "lib/shop/audit.ex": "defmodule Shop.Audit do\n  @moduledoc false\n  require Logger\n  def log(x), do: Logger.warn(\"audit: #{inspect(x)}\")\nend\n" },
    found: ["logger-warn lib/shop/audit.ex:4"],
  },
  "logger-warn: Logger.warning, and Logger.warn in a comment": {
    files: { "lib/shop/audit.ex": "defmodule Shop.Audit do\n  @moduledoc false\n  require Logger\n  # Logger.warn is deprecated\n  def log(x), do: Logger.warning(\"audit: #{inspect(x)}\")\nend\n" },
    found: [],
  },
  "blocking-init: init/1 calls a Repo, GenServer.call and HTTP": {
    files: {
      "lib/shop/cache.ex": worker("Shop.Cache", "items = Shop.Repo.all(Shop.Item)\n    {:ok, Map.put(opts, :items, items)}"),
      "lib/shop/feed.ex": worker("Shop.Feed", "config = GenServer.call(Shop.Config, :get)\n    {:ok, config}"),
      "lib/shop/rates.ex": worker("Shop.Rates", "rates = Req.get!(opts.url).body\n    {:ok, rates}"),
    },
    found: ["blocking-init lib/shop/cache.ex:9", "blocking-init lib/shop/feed.ex:9", "blocking-init lib/shop/rates.ex:9"],
  },
  "blocking-init: the call in handle_continue/2": {
    files: {
      "lib/shop/cache.ex": worker("Shop.Cache", "{:ok, opts, {:continue, :load}}", `
  @impl true
  def handle_continue(:load, opts), do: {:noreply, Map.put(opts, :items, Shop.Repo.all(Shop.Item))}
`),
    },
    found: [],
  },
};

describe("gen doctor's OTP lints: each on a shape with the mistake and without it", () => {
  beforeAll(loadReader);

  it("every shape is Elixir that parses", async () => {
    const dir = tempDir();
    const files: string[] = [];
    Object.values(CASES).forEach((c, i) => {
      for (const [file, source] of Object.entries(c.files)) {
        const at = path.join(`case${i}`, file);
        mkdirSync(path.dirname(path.join(dir, at)), { recursive: true });
        writeFileSync(path.join(dir, at), source);
        files.push(at);
      }
    });
    expect(await unparsable(dir, files)).toEqual([]);
  });

  for (const [name, c] of Object.entries(CASES)) {
    it(name, () => {
      const findings = otpLints(sources(c.files), c.files[APP] ? "Shop.Application" : undefined);
      expect(findings.map((f) => `${f.rule} ${f.file}:${f.line}`)).toEqual(c.found);
      for (const f of findings) {
        expect(f.why.length).toBeGreaterThan(20);
        expect(f.fix.length).toBeGreaterThan(10);
      }
    });
  }
});
