// The Logger metadata that generated modules log with is declared in the
// project's Logger config, checked by reading both with real Elixir the way
// credo's MissedMetadataKeyInLoggerConfig does: the keys of every literal
// keyword list passed to Logger.<level>/2 in lib/, against
// `config :logger, :default_formatter` metadata, else `:console`'s.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { gen } from "../../src/cli/gen-main.js";
import { addLoggerMetadata } from "../../src/elixir/logger-config.js";
import { captureIo, elixirGates, expectGatesPass, oursAndPlain, tempDir, unformatted } from "../helpers.js";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures");

/** Keys used in Logger calls under lib/ but not declared in the config (credo's rule), as "file:line key". */
async function undeclared(project: string): Promise<string[]> {
  const script = `
    config = if File.exists?("config/config.exs"), do: Config.Reader.read!("config/config.exs", env: :prod), else: []
    logger = Keyword.get(config, :logger, [])
    meta = fn key -> logger |> Keyword.get(key, []) |> Keyword.get(:metadata) end
    declared = meta.(:default_formatter) || meta.(:console) || []

    for file <- Path.wildcard("lib/**/*.ex") do
      file
      |> File.read!()
      |> Code.string_to_quoted!()
      |> Macro.prewalk([], fn
        {{:., _, [{:__aliases__, _, [:Logger]}, level]}, meta_, [_msg, kw]} = ast, acc when level in ~w(alert critical debug emergency error info notice warn warning)a ->
          if Keyword.keyword?(kw) and declared != :all do
            {ast, Enum.map(Keyword.keys(kw) -- declared, &"#{file}:#{meta_[:line]} #{&1}") ++ acc}
          else
            {ast, acc}
          end
        ast, acc -> {ast, acc}
      end)
      |> elem(1)
      |> Enum.each(&IO.puts/1)
    end
  `;
  const r = await execa("elixir", ["-e", script], { cwd: project, all: true });
  return (r.all ?? "").split("\n").filter((l) => l !== "");
}

/** How many Logger calls with metadata there are under lib/ (so that "none undeclared" is not vacuous). */
async function loggerCallsWithMetadata(project: string): Promise<number> {
  const r = await execa("grep", ["-rEc", "Logger\\.(info|warning|error)\\(", "lib"], { cwd: project, reject: false });
  return r.stdout.split("\n").reduce((n, l) => n + Number(l.split(":").pop() ?? 0), 0);
}

const GENERATORS = [
  ["genserver", "Worker"],
  ["periodic", "Sweeper"],
  ["cluster", "--strategy", "hosts"],
];

async function applyAll(project: string): Promise<void> {
  for (const args of GENERATORS) {
    const io = captureIo(project);
    expect(await gen([...args, "--no-check"], io), io.errText()).toBe(0);
  }
}

let ours: string;
let plain: string;
let phoenix: string;
beforeAll(async () => {
  let cwd: string;
  ({ cwd, ours, plain } = await oursAndPlain());
  phoenix = path.join(cwd, "shop");
  cpSync(path.join(FIXTURES, "phx_app"), phoenix, { recursive: true });
  mkdirSync(path.join(phoenix, "config"), { recursive: true });
  cpSync(path.join(FIXTURES, "phx_auth_overlay/config/config.exs"), path.join(phoenix, "config/config.exs"));
  for (const env of ["dev", "test", "prod"]) writeFileSync(path.join(phoenix, `config/${env}.exs`), "import Config\n");
  // A Phoenix app without DNSCluster (older phx.new): gen cluster --strategy hosts adds its connector there.
  const app = path.join(phoenix, "lib/shop/application.ex");
  writeFileSync(app, readFileSync(app, "utf8").replace(/ {6}\{DNSCluster, [^\n]*\n/, ""));
  for (const p of [ours, plain, phoenix]) await applyAll(p);
});

describe("Logger metadata: declared where it is used", () => {
  it.each([
    ["create-otp-app", () => ours],
    ["mix new --sup (no config/ at first)", () => plain],
    ["phx.new (config :logger, :default_formatter, metadata: [:request_id])", () => phoenix],
  ])("%s: every key the generated modules log with is in the Logger config", async (_name, dir) => {
    expect(await loggerCallsWithMetadata(dir())).toBeGreaterThanOrEqual(4);
    expect(await undeclared(dir())).toEqual([]);
  });

  it("phx.new's own key stays, the new ones join its list, and the config stays format-clean", async () => {
    const config = readFileSync(path.join(phoenix, "config/config.exs"), "utf8");
    expect(config).toContain("config :logger, :default_formatter,\n  format: \"$time $metadata[$level] $message\\n\",\n  metadata: [");
    expect(config).toContain(":request_id");
    expect(await unformatted(phoenix, ["config/config.exs"])).toBe("");
  });

  it("the projects still pass the gates (the 1.14 :console form in a ~> 1.14 project)", async () => {
    expect(readFileSync(path.join(ours, "config/config.exs"), "utf8")).toMatch(/config :logger, :console,/);
    expectGatesPass(await elixirGates(ours));
    expectGatesPass(await elixirGates(plain));
  });
});

/** The metadata Elixir's own Config.Reader reads from a config source. */
async function readMetadata(source: string): Promise<string> {
  const dir = tempDir();
  writeFileSync(path.join(dir, "config.exs"), source);
  const script = `
    logger = Config.Reader.read!("config.exs") |> Keyword.get(:logger, [])
    IO.inspect({logger |> Keyword.get(:default_formatter, []) |> Keyword.get(:metadata), logger |> Keyword.get(:console, []) |> Keyword.get(:metadata)})
  `;
  return (await execa("elixir", ["-e", script], { cwd: dir })).stdout.trim();
}

describe("addLoggerMetadata on config shapes", () => {
  const shapes: [string, string | undefined, string][] = [
    ["no file (mix new)", undefined, "{nil, [:a, :b]}"],
    ["phx.new's multi-line call", 'import Config\n\nconfig :logger, :default_formatter,\n  format: "$time $metadata[$level] $message\\n",\n  metadata: [:request_id]\n\nimport_config "#{config_env()}.exs"\n', "{[:request_id, :a, :b], nil}"],
    ["a list one per line, with a trailing comma", "import Config\n\nconfig :logger, :default_formatter,\n  metadata: [\n    :request_id,\n    :user_id,\n  ]\n", "{[:request_id, :user_id, :a, :b], nil}"],
    ["already there", "import Config\nconfig :logger, :console, metadata: [:b, :a]\n", "{nil, [:b, :a]}"],
    ["metadata: :all", "import Config\nconfig :logger, :console, metadata: :all\n", "{nil, :all}"],
    ["no metadata keyword", 'import Config\nconfig :logger, :console, format: "$message\\n"\n', "{nil, [:a, :b]}"],
    ["parenthesised", 'import Config\nconfig(:logger, :console, format: "$message\\n")\n', "{nil, [:a, :b]}"],
    ["only in a comment, then other config", "import Config\n# config :logger, :console, metadata: [:x]\nconfig :my_app, key: 1\n\nimport_config \"#{config_env()}.exs\"\n", "{nil, [:a, :b]}"],
    ["a one-line call that grows past the line length", 'import Config\nconfig :logger, :console, format: "$time $metadata[$level] $message\\n", metadata: [:request_id, :span]\n', "{nil, [:request_id, :span, :a, :b]}"],
    ["a one-line call without metadata that grows past the line length", 'import Config\nconfig :logger, :default_formatter, format: "$time $metadata[$level] $message\\n", level: :info\n', "{[:a, :b], nil}"],
    ["both: credo reads :default_formatter first", "import Config\nconfig :logger, :console, metadata: [:x]\nconfig :logger, :default_formatter, metadata: [:y]\n", "{[:y, :a, :b], [:x]}"],
  ];

  it.each(shapes)("%s", async (_name, source, expected) => {
    const first = addLoggerMetadata(source, ["a", "b"], "console");
    expect(first.status).not.toBe("refused");
    const patched = (first as { source: string }).source;
    // import_config of env files that do not exist here: read the file without them.
    expect(await readMetadata(patched.replace(/^import_config .*$/m, ""))).toBe(expected);
    // A file that was format-clean stays format-clean.
    const dir = tempDir();
    writeFileSync(path.join(dir, "before.exs"), source ?? "");
    writeFileSync(path.join(dir, "after.exs"), patched);
    if ((await unformatted(dir, ["before.exs"])) === "") expect(await unformatted(dir, ["after.exs"])).toBe("");
    const second = addLoggerMetadata(patched, ["a", "b"], "console");
    expect(second.status).toBe("present");
    expect((second as { source: string }).source).toBe(patched);
  });

  it("a metadata value that is not a literal list is refused with the snippet; the file is left alone", () => {
    const source = "import Config\nconfig :logger, :console, metadata: MyApp.Log.keys()\n";
    const r = addLoggerMetadata(source, ["a"], "console");
    expect(r).toEqual({ status: "refused", reason: "its Logger metadata is not a literal list", snippet: "add :a to the metadata of config :logger, :console" });
  });
});
