// Team customisation, with real files in temp dirs and real Elixir checks.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createOtpApp } from "../../src/cli/create-main.js";
import { gen } from "../../src/cli/gen-main.js";
import type { Prompter } from "../../src/core/io.js";
import { sha256 } from "../../src/core/hash.js";
import { ownParagraph } from "../../src/core/render.js";
import { WRITE_QUESTION, captureIo, writeIn, copyOf, elixirGates, expectGatesPass, snapshot, tempDir } from "../helpers.js";

const BARE = ["--yes", "--no-install", "--no-git", "--no-check", "--no-ci", "--no-credo", "--no-dialyxir", "--no-ex-doc"];
const read = (dir: string, file: string): string => readFileSync(path.join(dir, file), "utf8");

const write = writeIn;

let template: string;
beforeAll(async () => {
  const cwd = tempDir();
  expect(await createOtpApp(["team_app", ...BARE], captureIo(cwd))).toBe(0);
  template = path.join(cwd, "team_app");
});

/** A fresh copy of a project without the tool deps (credo, dialyxir, ex_doc). */
const project = (): string => copyOf(template);

async function run(cwd: string, args: string[], overrides = {}) {
  const io = captureIo(cwd, overrides);
  const code = await gen(args, io);
  return { code, out: io.text(), err: io.errText() };
}

describe("overrides, partials and variables", () => {
  it("overriding only the header and moduledoc-footer partials changes every file; the footer is a paragraph of its own, after a doctest too; the output passes real Elixir", async () => {
    const dir = project();
    write(dir, ".otpgen/config.json", JSON.stringify({ variables: { company: "Acme Corp", owner: "the Payments team" } }));
    write(dir, ".otpgen/templates/_partials/header.hbs", "# Copyright (c) {{team.company}}. All rights reserved.\n");
    // Written as a team writes it, with no blank line of its own: right after a
    // doctest's result, ExUnit would read it as more of the expected result.
    write(dir, ".otpgen/templates/_partials/moduledoc_footer.hbs", "  Maintained by {{team.owner}}.\n");
    expect((await run(dir, ["genserver", "RateLimiter", "--no-check"])).code).toBe(0);
    expect((await run(dir, ["circuit-breaker", "Breaker", "--no-check"])).code).toBe(0);
    const lib = read(dir, "lib/team_app/rate_limiter.ex");
    expect(lib.startsWith("# Copyright (c) Acme Corp. All rights reserved.\ndefmodule TeamApp.RateLimiter do\n")).toBe(true);
    expect(lib).toContain("      {:ok, 42}\n\n  Maintained by the Payments team.\n  \"\"\"\n");
    expect(read(dir, "lib/team_app/breaker.ex")).toContain("      {:error, :open}\n\n  Maintained by the Payments team.\n  \"\"\"\n");
    expect(read(dir, "test/team_app/rate_limiter_test.exs").startsWith("# Copyright (c) Acme Corp.")).toBe(true);
    // mix test runs both moduledocs' doctests.
    expectGatesPass(await elixirGates(dir));
  });

  it("a moduledoc footer gets a blank line before it only when it has text and none of its own", () => {
    expect(ownParagraph("")).toBe("");
    expect(ownParagraph("  Owned by us.\n")).toBe("\n  Owned by us.\n");
    expect(ownParagraph("\n  Owned by us.\n")).toBe("\n  Owned by us.\n");
  });

  it("a whole-template override replaces the built-in one, and is checked like it", async () => {
    const dir = project();
    const builtin = readFileSync(path.resolve(import.meta.dirname, "../../templates/agent/lib/module.ex.hbs"), "utf8");
    write(dir, ".otpgen/templates/agent/lib/module.ex.hbs", builtin.replace("  Reads and writes run inside the agent", "  Owned by the platform team. Reads and writes run inside the agent"));
    expect((await run(dir, ["agent", "Settings", "--no-check"])).code).toBe(0);
    expect(read(dir, "lib/team_app/settings.ex")).toContain("  Owned by the platform team. Reads and writes run inside the agent");
    expectGatesPass(await elixirGates(dir));
  });

  it("a team template that produces invalid Elixir is caught by the check step, not silently written", async () => {
    const dir = project();
    const builtin = readFileSync(path.resolve(import.meta.dirname, "../../templates/agent/lib/module.ex.hbs"), "utf8");
    write(dir, ".otpgen/templates/agent/lib/module.ex.hbs", builtin.replace("  use Agent\n", "  use Agent\n\n  def broken(x), do: y\n"));
    const r = await run(dir, ["agent", "Settings", "--check=strict"]);
    expect(r.code).toBe(1);
    // Elixir 1.14 words it as a warning about `y`, 1.15+ as an undefined variable `y`.
    expect(r.out).toMatch(/✖ compile .*\n\s+lib\/team_app\/settings\.ex:24 .*"y"/);
  });
});

describe("config", () => {
  it("default options per generator apply, and flags still win", async () => {
    const dir = project();
    write(dir, ".otpgen/config.json", JSON.stringify({ defaults: { genserver: { registry: true } } }));
    expect((await run(dir, ["genserver", "Session", "--no-check"])).code).toBe(0);
    expect(read(dir, "lib/team_app/session.ex")).toContain("def via(key)");
    expect((await run(dir, ["genserver", "Plain", "--no-registry", "--no-check"])).code).toBe(0);
    expect(read(dir, "lib/team_app/plain.ex")).not.toContain("def via(key)");
  });

  it("config.mjs works, and its check mode applies when no --check is given", async () => {
    const dir = project();
    write(dir, ".otpgen/config.mjs", 'export default { check: "off", variables: { company: "Mjs Inc" } };\n');
    write(dir, ".otpgen/templates/_partials/header.hbs", "# {{team.company}}\n");
    const r = await run(dir, ["agent", "Store", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).checks).toEqual([]);
    expect(read(dir, "lib/team_app/store.ex").startsWith("# Mjs Inc\n")).toBe(true);
  });

  it.each([
    [{ defaults: { genserver: { every: "5" } } }, ".otpgen/config: defaults.genserver.every: a duration is a positive whole number with a unit"],
    [{ defaults: { genserver: { colour: "red" } } }, ".otpgen/config: defaults.genserver.colour: "],
    [{ colour: "red" }, ".otpgen/config.json: colour: unknown key (expected: extends, defaults, variables, elixir, check)"],
    [{ variables: { company: 42 } }, ".otpgen/config.json: variables.company: Invalid input: expected string"],
    [{ extends: "@nobody/not-installed" }, '.otpgen/config: extends: cannot find the package "@nobody/not-installed"'],
  ])("a broken config %j: one line naming the file, the key and the rule; exit 2; nothing written", async (config, message) => {
    const dir = project();
    write(dir, ".otpgen/config.json", JSON.stringify(config));
    const before = snapshot(dir);
    const r = await run(dir, ["genserver", "X", "--no-check"]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toContain(message);
    expect(snapshot(dir)).toEqual(before);
  });

  it("extends resolves a preset package from the project's node_modules; the local folder wins", async () => {
    const dir = project();
    const preset = path.join(dir, "node_modules/@acme/otpgen-preset");
    write(preset, "package.json", JSON.stringify({ name: "@acme/otpgen-preset", version: "1.0.0" }));
    write(preset, "config.json", JSON.stringify({ variables: { company: "Acme", team: "core" }, defaults: { "rate-limiter": { limit: 50 } } }));
    write(preset, "templates/_partials/header.hbs", "# {{team.company}} / {{team.team}}\n");
    write(dir, ".otpgen/config.json", JSON.stringify({ extends: "@acme/otpgen-preset", variables: { team: "payments" } }));
    expect((await run(dir, ["rate-limiter", "Throttle", "--no-check"])).code).toBe(0);
    const lib = read(dir, "lib/team_app/throttle.ex");
    expect(lib.startsWith("# Acme / payments\n")).toBe(true);
    expect(lib).toContain("    limit: 50,\n");
  });
});

describe("custom plop generators", () => {
  const plopfile = `export default function (plop) {
  plop.setGenerator("service", {
    description: "A team service module",
    prompts: [
      { type: "input", name: "name", message: "Service name", validate: (v) => /^[a-z_]+$/.test(v) || "snake_case, please" },
      { type: "confirm", name: "public", message: "Public API?", default: true },
    ],
    actions: [
      {
        type: "add",
        path: "lib/{{project.app}}/{{snakeCase name}}.ex",
        template: "defmodule {{project.module}}.{{pascalCase name}} do\\n  @moduledoc \\"The {{name}} service (public: {{public}}).\\"\\nend\\n",
      },
      { type: "append", path: "README.md", template: "- {{pascalCase name}} service" },
    ],
  });
  plop.setGenerator("broken", {
    description: "Writes invalid Elixir",
    prompts: [],
    actions: [{ type: "add", path: "lib/broken.ex", template: "defmodule Broken do\\n  def f(x), do:\\nend\\n" }],
  });
}
`;

  it("appears in gen list and runs through the engine: dry-run, write, check, idempotent, conflicts", async () => {
    const dir = project();
    write(dir, ".otpgen/generators/team.mjs", plopfile);
    expect((await run(dir, ["list"])).out).toMatch(/service\s+A team service module/);

    const before = snapshot(dir);
    const dry = await run(dir, ["service", "billing", "--dry-run"]);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain("+++ b/lib/team_app/billing.ex");
    expect(dry.out).toContain("+- Billing service");
    expect(snapshot(dir)).toEqual(before);

    const real = await run(dir, ["service", "billing", "--json"]);
    expect(real.code, real.err).toBe(0);
    expect(read(dir, "lib/team_app/billing.ex")).toBe('defmodule TeamApp.Billing do\n  @moduledoc "The billing service (public: true)."\nend\n');
    const checks = JSON.parse(real.out).checks as { step: string; status: string }[];
    expect(checks.find((c) => c.step === "compile")?.status).toBe("passed");

    const again = await run(dir, ["service", "billing", "--no-check", "--json"]);
    expect(JSON.parse(again.out).files.every((f: { action: string }) => f.action === "identical")).toBe(true);

    writeFileSync(path.join(dir, "lib/team_app/billing.ex"), "defmodule TeamApp.Billing do\nend\n");
    const conflict = await run(dir, ["service", "billing", "--no-check"]);
    expect(conflict.code).toBe(2);
    expect(conflict.err).toContain("lib/team_app/billing.ex; pass --force");
  });

  it("its prompts' rules apply to flags too, and a missing answer without a terminal names the flag", async () => {
    const dir = project();
    write(dir, ".otpgen/generators/team.mjs", plopfile);
    const bad = await run(dir, ["service", "Billing", "--no-check"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('gen service: invalid <name> "Billing": snake_case, please\n');
    const missing = await run(dir, ["service", "--no-check"]);
    expect(missing.err).toBe("gen service: missing <name> (no terminal to ask at); pass <name> on the command line\n");
  });

  it("a generator that writes invalid Elixir is caught by the check step with the file and line", async () => {
    const dir = project();
    write(dir, ".otpgen/generators/team.mjs", plopfile);
    const r = await run(dir, ["broken", "--check=strict"]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✖ format .*\n\s+lib\/broken\.ex:\d+/);
  });
});

describe("eject, drift and doctor", () => {
  it("eject copies the templates with their version; a later upstream change is reported, diffed and doctored", async () => {
    const dir = project();
    const ejected = await run(dir, ["eject", "genserver"]);
    expect(ejected.code, ejected.err).toBe(0);
    const record = JSON.parse(read(dir, ".otpgen/ejected.json"));
    const version = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../package.json"), "utf8")).version;
    expect(record.genserver.version).toBe(version);
    // Its own templates, and the partials they include (every generated file's header and moduledoc footer).
    expect(Object.keys(record.genserver.files).sort()).toEqual([
      "_partials/header.hbs",
      "_partials/moduledoc_footer.hbs",
      "_partials/unexpected_message.hbs",
      "genserver/lib/module.ex.hbs",
      "genserver/test/module_test.exs.hbs",
    ]);
    expect(read(dir, ".otpgen/templates/genserver/lib/module.ex.hbs")).toBe(
      readFileSync(path.resolve(import.meta.dirname, "../../templates/genserver/lib/module.ex.hbs"), "utf8"),
    );
    expect((await run(dir, ["genserver", "Fresh", "--no-check"])).err).toBe("");
    expect((await run(dir, ["doctor"])).code).toBe(0);

    // Simulate an upgrade: the templates were ejected from an older release whose template differed.
    const older = read(dir, ".otpgen/upstream/genserver/lib/module.ex.hbs").replace("  use GenServer\n", "  use GenServer, restart: :permanent\n");
    write(dir, ".otpgen/upstream/genserver/lib/module.ex.hbs", older);
    record.genserver.version = "0.0.9";
    record.genserver.files["genserver/lib/module.ex.hbs"] = sha256(older);
    write(dir, ".otpgen/ejected.json", JSON.stringify(record));

    const warned = await run(dir, ["genserver", "Later", "--no-check"]);
    expect(warned.code).toBe(0);
    expect(warned.err).toBe(
      `gen genserver: warning: the built-in templates you ejected changed since 0.0.9 (now ${version}): genserver/lib/module.ex.hbs; see: gen templates diff genserver\n`,
    );
    const diff = await run(dir, ["templates", "diff", "genserver"]);
    expect(diff.out).toContain(`--- 0.0.9/genserver/lib/module.ex.hbs\n+++ ${version}/genserver/lib/module.ex.hbs`);
    expect(diff.out).toContain("-  use GenServer, restart: :permanent\n+  use GenServer\n");
    const doc = await run(dir, ["doctor"]);
    expect(doc.code).toBe(1);
    expect(doc.out).toContain("✖ drift: genserver: changed upstream since 0.0.9: genserver/lib/module.ex.hbs");
  });

  it("eject context copies the partials where its code lives (in a Phoenix app); a team edit of one changes the output; an upstream change to one is drift", async () => {
    const dir = path.join(tempDir(), "shop");
    cpSync(path.resolve(import.meta.dirname, "../fixtures/phx_app"), dir, { recursive: true });
    const ejected = await run(dir, ["eject", "context"]);
    expect(ejected.code, ejected.err).toBe(0);
    const record = JSON.parse(read(dir, ".otpgen/ejected.json"));
    const files = Object.keys(record.context.files);
    for (const partial of ["context_access", "context_access_scoped", "context_fixture", "context_test", "context_test_scoped"]) {
      expect(files).toContain(`_partials/${partial}.hbs`);
      expect(read(dir, `.otpgen/templates/_partials/${partial}.hbs`)).toBe(
        readFileSync(path.resolve(import.meta.dirname, `../../templates/_partials/${partial}.hbs`), "utf8"),
      );
    }
    // The team edits the ejected partial: the generated context follows it.
    const partial = ".otpgen/templates/_partials/context_access.hbs";
    write(dir, partial, read(dir, partial).replace('  @doc "Returns every {{humanSingularLower}}."', '  @doc "Returns every {{humanSingularLower}} (team edition)."'));
    const generated = await run(dir, ["context", "Catalog", "Product", "products", "title:string", "--no-check"]);
    expect(generated.code, generated.err).toBe(0);
    expect(read(dir, "lib/shop/catalog.ex")).toContain('@doc "Returns every product (team edition)."');

    // A partial the team already overrides is kept, not ejected over.
    const other = project();
    write(other, ".otpgen/templates/_partials/header.hbs", "# ours\n");
    const kept = await run(other, ["eject", "context"]);
    expect(kept.code, kept.err).toBe(0);
    expect(read(other, ".otpgen/templates/_partials/header.hbs")).toBe("# ours\n");
    expect(Object.keys(JSON.parse(read(other, ".otpgen/ejected.json")).context.files)).not.toContain("_partials/header.hbs");
    expect(kept.out).toContain("kept your .otpgen/templates/_partials/header.hbs");

    // Upstream changed one of those partials since the eject: drift names it.
    record.context.files["_partials/context_access.hbs"] = sha256("an older partial");
    record.context.version = "0.0.9";
    write(dir, ".otpgen/ejected.json", JSON.stringify(record));
    const doc = await run(dir, ["doctor"]);
    expect(doc.out).toContain("✖ drift: context: changed upstream since 0.0.9: _partials/context_access.hbs");
  });

  it("doctor knows every helper the renderer has (node-plop's case helpers included), and still reports an unknown one", async () => {
    const dir = project();
    const builtin = readFileSync(path.resolve(import.meta.dirname, "../../templates/agent/lib/module.ex.hbs"), "utf8");
    write(dir, ".otpgen/templates/agent/lib/module.ex.hbs", builtin.replace("  use Agent\n", "  use Agent\n  # {{snakeCase alias}} {{kebabCase alias}}\n"));
    const good = await run(dir, ["doctor"]);
    expect(good.out).not.toContain("snakeCase");
    expect(good.code, good.out).toBe(0);
    // It renders, too: the doctor and the renderer agree.
    expect((await run(dir, ["agent", "Settings", "--no-check"])).code).toBe(0);
    expect(read(dir, "lib/team_app/settings.ex")).toContain("  # settings settings\n");

    write(dir, ".otpgen/templates/agent/lib/module.ex.hbs", builtin.replace("  use Agent\n", "  use Agent\n  # {{shoutCase alias}}\n"));
    const bad = await run(dir, ["doctor"]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain("uses {{shoutCase}}, which agent does not provide");
  });

  it("doctor reports template syntax errors with file and line, and variables a generator does not provide", async () => {
    const dir = project();
    write(dir, ".otpgen/config.json", JSON.stringify({ variables: { company: "Acme" } }));
    write(dir, ".otpgen/templates/agent/lib/module.ex.hbs", "defmodule {{module}} do\n  # {{team.company}} {{colour}}\n{{> nowhere}}\nend\n");
    write(dir, ".otpgen/templates/registry/lib/module.ex.hbs", "defmodule {{module}} do\n  {{ }}\nend\n");
    const r = await run(dir, ["doctor"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("✖ .otpgen/templates/registry/lib/module.ex.hbs: Parse error on line 2:");
    expect(r.out).toContain("✖ .otpgen/templates/agent/lib/module.ex.hbs: uses {{colour}}, which agent does not provide");
    expect(r.out).toContain("✖ .otpgen/templates/agent/lib/module.ex.hbs: uses the partial nowhere, which does not exist");
    expect(r.out).toContain("gen doctor: 3 problems");
  });
});

describe("answers files", () => {
  it("--record saves what was answered at the prompts; --answers repeats the run to identical output", async () => {
    const answers = path.join(tempDir(), "answers.json");
    const prompter: Prompter = {
      input: async ({ message, default: d }) => (message === "Project directory" ? "recorded" : (d ?? "")),
      confirm: async ({ message }) => message === WRITE_QUESTION,
      select: () => Promise.reject(new Error("unexpected")),
      checkbox: async () => ["credo", "ci"],
      search: () => Promise.reject(new Error("unexpected")),
    };
    const first = tempDir();
    const io = captureIo(first, { interactive: true, prompter });
    expect(await createOtpApp(["--no-check", "--record", answers], io), io.errText()).toBe(0);
    expect(JSON.parse(readFileSync(answers, "utf8"))).toMatchObject({ dir: "recorded", credo: true, dialyxir: false, ci: true, git: false, install: false });

    const second = tempDir();
    expect(await createOtpApp(["--no-check", "--answers", answers], captureIo(second))).toBe(0);
    expect(snapshot(path.join(second, "recorded"))).toEqual(snapshot(path.join(first, "recorded")));
  });

  it("gen takes --answers too, validated against the generator's schema", async () => {
    const dir = project();
    const file = path.join(tempDir(), "a.json");
    writeFileSync(file, JSON.stringify({ name: "Ticker", every: "5s", continue: true }));
    expect((await run(dir, ["genserver", "--answers", file, "--no-check"])).code).toBe(0);
    expect(read(dir, "lib/team_app/ticker.ex")).toContain("@default_interval :timer.seconds(5)");
    writeFileSync(file, JSON.stringify({ name: "Ticker", every: "often" }));
    const other = project();
    const before = snapshot(other);
    const bad = await run(other, ["genserver", "--answers", file, "--no-check"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`--answers ${file}: every: a duration is a positive whole number`);
    expect(snapshot(other)).toEqual(before);
  });
});
