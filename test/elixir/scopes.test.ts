import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.js";
import { readMixProject } from "../../src/elixir/project.js";
import { ConfigReadError, readScopesConfig, selectScope, type Term } from "../../src/elixir/scopes.js";
import { tempDir } from "../helpers.js";

/** Elixir's `inspect` of a term, to compare our reading with Config.Reader's. */
function inspectTerm(t: Term): string {
  switch (t.t) {
    case "atom":
      return /^[A-Za-z_][A-Za-z0-9_@]*[?!]?$/.test(t.v) ? `:${t.v}` : `:${JSON.stringify(t.v)}`;
    case "alias":
      return t.v;
    case "string":
      return JSON.stringify(t.v);
    case "bool":
      return String(t.v);
    case "nil":
      return "nil";
    case "int":
      return t.v;
    case "list":
      return `[${t.v.map(inspectTerm).join(", ")}]`;
    case "kw":
      return `[${t.v.map(([k, v]) => `${/^[A-Za-z_][A-Za-z0-9_@]*[?!]?$/.test(k) ? k : JSON.stringify(k)}: ${inspectTerm(v)}`).join(", ")}]`;
  }
}

const fixture = readFileSync(path.resolve(import.meta.dirname, "../fixtures/phx_auth_overlay/config/config.exs"), "utf8");

/** Config files in the shapes people write them; each is read by real Elixir too. */
const CONFIGS: Record<string, string> = {
  "mix phx.gen.auth's": fixture,
  "a bracketed list, quoted atoms, comments and trailing commas": `import Config

config :shop, :scopes, [
  # the default scope
  user: [
    default: true,
    module: Shop.Accounts.Scope, # trailing comment
    assign_key: :"current_scope",
    access_path: [:user, :id,],
    schema_key: :user_id,
    schema_type: :id,
  ],
]
`,
  "two calls, merged key by key": `import Config

config :shop, :scopes,
  user: [default: true, module: Shop.Accounts.Scope, access_path: [:user, :id], schema_type: :id]

config :other_app, :scopes, user: [module: Other.Scope]

config :shop, :scopes,
  user: [schema_type: :binary_id, route_prefix: "/orgs/:org", test_setup_helper: :log_in],
  org: [module: Shop.Orgs.Scope, default: false, access_path: [:org, :slug], x: nil, n: 1_000]
`,
  "an empty list": "import Config\n\nconfig :shop, :scopes, []\n",
  "none at all": "import Config\n\nconfig :shop, ecto_repos: [Shop.Repo]\n",
};

describe("reading config :app, :scopes like Config does", () => {
  it("agrees with Config.Reader on every shape", async () => {
    const dir = tempDir("otpgen-scopes-");
    const names = Object.keys(CONFIGS);
    names.forEach((n, i) => writeFileSync(path.join(dir, `c${i}.exs`), CONFIGS[n] as string));
    const script = `
      for f <- System.argv() do
        scopes = f |> Config.Reader.read!() |> Keyword.get(:shop, []) |> Keyword.get(:scopes, [])
        IO.puts(inspect(scopes, limit: :infinity, printable_limit: :infinity))
      end
    `;
    const files = names.map((_, i) => path.join(dir, `c${i}.exs`));
    const r = await execa("elixir", ["-e", script, ...files], { all: true });
    const elixir = r.stdout.trim().split("\n");
    const ours = names.map((n) => inspectTerm({ t: "kw", v: readScopesConfig(CONFIGS[n] as string, "shop", "config.exs") }));
    expect(ours).toEqual(elixir);
    expect(elixir[2]).toContain('route_prefix: "/orgs/:org"');
  });

  it.each([
    ["config :shop, :scopes, user: [access_path: path()]", "config.exs:1: cannot read `path()`"],
    ["import Config\nconfig :shop, :scopes, user: [module: @mod]", "config.exs:2: cannot read `@mod`"],
    ['config :shop, :scopes, user: [route_prefix: "/#{x}"]', "only plain strings"],
    ["config :shop, scopes: [user: []]", "write them as `config :shop, :scopes, user: [...]`"],
  ])("refuses what is not a literal, naming the line: %s", (src, message) => {
    expect(() => readScopesConfig(src, "shop", "config.exs")).toThrow(ConfigReadError);
    expect(() => readScopesConfig(src, "shop", "config.exs")).toThrow(message);
  });
});

describe("choosing the scope", () => {
  const project = (config: string | undefined): string => {
    const dir = tempDir("otpgen-scope-");
    writeFileSync(path.join(dir, "mix.exs"), "defmodule Shop.MixProject do\n  use Mix.Project\n\n  def project, do: [app: :shop]\nend\n");
    if (config !== undefined) {
      mkdirSync(path.join(dir, "config"));
      writeFileSync(path.join(dir, "config/config.exs"), config);
    }
    return dir;
  };
  const pick = (dir: string, choice: string | false | undefined) => selectScope(readMixProject(dir), choice);

  it("the default one, --scope NAME, or none with --no-scope", () => {
    const dir = project(fixture);
    const scope = pick(dir, undefined);
    expect(scope).toMatchObject({
      name: "user",
      module: "Shop.Accounts.Scope",
      alias: "Scope",
      assignKey: "current_scope",
      accessPath: ["user", "id"],
      routeAccessPath: ["user"],
      schemaKey: "user_id",
      schemaType: "id",
      schemaMigrationType: "id",
      schemaTable: "users",
      testDataFixture: "Shop.AccountsFixtures",
      testSetupHelper: "register_and_log_in_user",
    });
    expect(pick(dir, "user")?.name).toBe("user");
    expect(pick(dir, false)).toBeUndefined();
    expect(() => pick(dir, "org")).toThrow("invalid --scope org: config/config.exs configures only user under config :shop, :scopes");
  });

  it("no config, or no default scope: unscoped; two defaults or a bad option: one line naming the rule", () => {
    expect(pick(project(undefined), undefined)).toBeUndefined();
    expect(() => pick(project(undefined), "user")).toThrow(UserError);
    expect(pick(project("import Config\nconfig :shop, :scopes, user: [module: S]\n"), undefined)).toBeUndefined();
    const two = project("import Config\nconfig :shop, :scopes, a: [default: true], b: [default: true]\n");
    expect(() => pick(two, undefined)).toThrow("more than one default scope (a, b)");
    const bad = project("import Config\nconfig :shop, :scopes, user: [default: true, module: Shop.Scope, access_path: :user]\n");
    expect(() => pick(bad, undefined)).toThrow("scope :user: access_path must be a list of atoms, e.g. [:user, :id] (or pass --no-scope)");
  });

  it("reads the config where mix.exs says it is (umbrella apps)", () => {
    const root = project(fixture);
    const app = path.join(root, "apps/shop");
    mkdirSync(app, { recursive: true });
    writeFileSync(path.join(app, "mix.exs"), 'defmodule Shop.MixProject do\n  def project, do: [app: :shop, config_path: "../../config/config.exs"]\nend\n');
    expect(pick(app, undefined)?.name).toBe("user");
  });
});
