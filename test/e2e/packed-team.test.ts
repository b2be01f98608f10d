// A team's own folder (.otpgen/) with the installed package, as the README
// shows it: config.json and config.mjs, partials, a team plop generator with
// add / modify / append, custom action types and a function action, eject with
// drift, answers files, and the --dry-run contract for all of them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { copyOf, elixirGates, expectGatesPass, snapshot, tempDir, writeIn } from "../helpers.js";
import { jsonReport, runBin, runInPty, runOk, treeHash } from "./packed.js";

const BARE = ["--yes", "--no-install", "--no-git", "--no-check", "--no-ci", "--no-credo", "--no-dialyxir", "--no-ex-doc"];
const read = (dir: string, file: string): string => readFileSync(path.join(dir, file), "utf8");
const write = writeIn;

let bare: string;
beforeAll(async () => {
  const cwd = tempDir();
  await runOk("create-otp-app", ["team_app", ...BARE], cwd);
  bare = path.join(cwd, "team_app");
});

describe("the team folder, installed", () => {
  it("the README's worked example: config.json (defaults, variables), header and footer partials, a template override", async () => {
    const dir = copyOf(bare);
    write(dir, ".otpgen/config.json", JSON.stringify({ defaults: { genserver: { registry: true } }, variables: { company: "Acme Corp", owner: "the Payments team" } }));
    write(dir, ".otpgen/templates/_partials/header.hbs", "# Copyright (c) {{team.company}}.\n");
    write(dir, ".otpgen/templates/_partials/moduledoc_footer.hbs", "\n  Maintained by {{team.owner}}.\n");
    const builtin = read(path.resolve(import.meta.dirname, "../.."), "templates/agent/lib/module.ex.hbs");
    write(dir, ".otpgen/templates/agent/lib/module.ex.hbs", builtin.replace("  use Agent\n", "  use Agent\n  # {{snakeCase alias}}, an Acme agent\n"));
    await runOk("gen", ["genserver", "Session", "--no-check"], dir);
    await runOk("gen", ["agent", "Settings", "--no-check"], dir);
    const session = read(dir, "lib/team_app/session.ex");
    expect(session.startsWith("# Copyright (c) Acme Corp.\ndefmodule TeamApp.Session do\n")).toBe(true);
    expect(session).toContain("Maintained by the Payments team.");
    expect(session).toContain("def via(key)"); // the team's default: --registry
    expect(read(dir, "lib/team_app/settings.ex")).toContain("  # settings, an Acme agent\n");
    expect((await runBin("gen", ["doctor"], dir)).code).toBe(0);
    expectGatesPass(await elixirGates(dir));
  });

  it("config.mjs loads, on the first run and on every run after it (when the code cache serves the bundle)", async () => {
    const dir = copyOf(bare);
    write(dir, ".otpgen/config.mjs", 'const company = ["Mjs", "Inc"].join(" ");\nexport default { check: "off", variables: { company } };\n');
    write(dir, ".otpgen/templates/_partials/header.hbs", "# {{team.company}}\n");
    const env = { XDG_CACHE_HOME: tempDir("otpgen-cache-") };
    for (const name of ["First", "Second", "Third"]) {
      const r = await runOk("gen", ["agent", name, "--json"], dir, { env });
      expect(jsonReport(r.stdout).checks).toEqual([]); // check: "off" from the config
      expect(read(dir, `lib/team_app/${name.toLowerCase()}.ex`).startsWith("# Mjs Inc\n")).toBe(true);
    }
  });

  it("a broken config: one line naming the file, the key and the rule; exit 2; nothing written", async () => {
    const dir = copyOf(bare);
    write(dir, ".otpgen/config.mjs", 'export default { variables: { company: 42 } };\n');
    const before = snapshot(dir);
    const r = await runBin("gen", ["agent", "X", "--no-check"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(".otpgen/config.mjs: variables.company: Invalid input: expected string, received number".replace(/^/, "gen: "));
    expect(snapshot(dir)).toEqual(before);
  });
});

const plopfile = `import { writeFileSync } from "node:fs";
import path from "node:path";

export default function (plop) {
  // Writes only into the virtual tree, and says so: it runs while planning.
  plop.setActionType("otp-note", (answers, config, p) => {
    p.virtualTree.write(\`docs/\${answers.name}.md\`, \`# \${answers.name}\\n\`);
    return \`docs/\${answers.name}.md\`;
  }, { virtualTree: true });
  // Writes to disk itself: never run under --dry-run; run after the write otherwise.
  plop.setActionType("stamp", (answers, config) => {
    writeFileSync(path.join(config.root, "stamp.txt"), answers.name);
    return "stamp.txt";
  });
  plop.setGenerator("service", {
    description: "A team service module",
    prompts: [
      { type: "input", name: "name", message: "Service name", validate: (v) => /^[a-z_]+$/.test(v) || "snake_case, please" },
      { type: "confirm", name: "public", message: "Public API?", default: true },
    ],
    actions: (answers) => [
      {
        type: "add",
        path: "lib/{{project.app}}/{{snakeCase name}}.ex",
        template: "defmodule {{project.module}}.{{pascalCase name}} do\\n  @moduledoc \\"The {{name}} service (public: {{public}}).\\"\\nend\\n",
      },
      { type: "modify", path: "README.md", pattern: /$/, template: "\\n<!-- services -->\\n" },
      { type: "append", path: "README.md", pattern: "<!-- services -->", template: "- {{pascalCase name}} service" },
      { type: "otp-note" },
      { type: "stamp", root: process.cwd() },
      function touchLog(data) {
        writeFileSync(path.join(process.cwd(), "service.log"), \`created \${data.name}\\n\`);
        return "service.log";
      },
    ],
  });
}
`;

describe("a team plop generator, installed", () => {
  it("--dry-run: the whole tree is byte-identical after; the actions that write outside the virtual tree are named, not run", async () => {
    const dir = copyOf(bare);
    write(dir, ".otpgen/generators/team.mjs", plopfile);
    expect((await runOk("gen", ["list"], dir)).stdout).toMatch(/service\s+A team service module/);
    const before = treeHash(dir);
    const text = await runOk("gen", ["service", "billing", "--dry-run"], dir);
    expect(text.stdout).toContain("+++ b/lib/team_app/billing.ex");
    expect(text.stdout).toContain("+++ b/docs/billing.md");
    expect(text.stdout).toContain("+- Billing service");
    expect(text.stdout).toContain('– type "stamp"  not run: writes outside the virtual tree, so --dry-run does not run it');
    expect(text.stdout).toContain("– function touchLog  not run");
    const json = jsonReport((await runOk("gen", ["service", "billing", "--dry-run", "--json"], dir)).stdout);
    expect(json.external.map((e) => `${e.action}: ${e.status}`)).toEqual(['type "stamp": not run', "function touchLog: not run"]);
    expect(treeHash(dir)).toEqual(before);
  });

  it("a real run: add / modify / append and the tree action write through the engine; the others run after the write; the check step passes", async () => {
    const dir = copyOf(bare);
    write(dir, ".otpgen/generators/team.mjs", plopfile);
    const r = await runOk("gen", ["service", "billing", "--check=strict", "--json"], dir);
    const report = jsonReport(r.stdout);
    expect(report.files.map((f) => `${f.action} ${f.path}`).sort()).toEqual(["create docs/billing.md", "create lib/team_app/billing.ex", "update README.md"]);
    expect(report.external).toEqual([
      { action: 'type "stamp"', status: "ran", detail: "stamp.txt" },
      { action: "function touchLog", status: "ran", detail: "service.log" },
    ]);
    expect(report.checks.find((c) => c.step === "compile")?.status).toBe("passed");
    expect(read(dir, "lib/team_app/billing.ex")).toBe('defmodule TeamApp.Billing do\n  @moduledoc "The billing service (public: true)."\nend\n');
    expect(read(dir, "README.md")).toMatch(/<!-- services -->\n- Billing service/);
    expect(read(dir, "stamp.txt")).toBe("billing");
    expect(read(dir, "service.log")).toBe("created billing\n");
    // Flags from prompts: --no-public, and the prompt's rule applies to a flag.
    const bad = await runBin("gen", ["service", "Billing", "--no-check"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('gen service: invalid <name> "Billing": snake_case, please');
  });

  it("at a terminal, `gen` lists it with the built-in generators; picked, its own questions are asked (its rule re-asks), then the plan", async () => {
    const dir = copyOf(bare);
    write(dir, ".otpgen/generators/team.mjs", plopfile);
    const r = await runInPty(dir, "gen", ["--no-check"], [
      ["Which generator?", "team serv"],
      ["❯ service", "<enter>"],
      ["Service name", "Billing<enter>"],
      ["snake_case, please", `${"<backspace>".repeat(7)}billing<enter>`],
      ["Public API?", "n<enter>"],
      ["Write these changes?", "<enter>"],
    ]);
    expect(r.exit, r.output).toBe(0);
    expect(r.output).toContain("A team service module");
    expect(r.output).toMatch(
      /^Plan\n {2}update +README\.md\n {2}create +docs\/billing\.md\n {2}create +lib\/team_app\/billing\.ex\nThen runs \(team actions outside the virtual tree\):\n {2}type "stamp"\n {2}function touchLog\n\? Write these changes\?/m,
    );
    expect(read(dir, "lib/team_app/billing.ex")).toContain("(public: false)");
    expect(read(dir, "stamp.txt")).toBe("billing");
  });
});

describe("eject and drift, installed", () => {
  it("eject copies the templates and partials; after an upgrade, gen warns, templates diff shows it, doctor reports it", async () => {
    const dir = copyOf(bare);
    await runOk("gen", ["eject", "genserver"], dir);
    const record = JSON.parse(read(dir, ".otpgen/ejected.json"));
    expect(Object.keys(record.genserver.files)).toEqual(expect.arrayContaining(["genserver/lib/module.ex.hbs", "_partials/header.hbs"]));
    expect(existsSync(path.join(dir, ".otpgen/templates/_partials/moduledoc_footer.hbs"))).toBe(true);
    const quiet = await runOk("gen", ["genserver", "Fresh", "--no-check"], dir);
    expect(quiet.stderr).toBe("");

    // As if ejected from an older release whose template differed.
    const older = read(dir, ".otpgen/upstream/genserver/lib/module.ex.hbs").replace("  use GenServer\n", "  use GenServer, restart: :permanent\n");
    write(dir, ".otpgen/upstream/genserver/lib/module.ex.hbs", older);
    const { createHash } = await import("node:crypto");
    record.genserver.version = "0.0.9";
    record.genserver.files["genserver/lib/module.ex.hbs"] = createHash("sha256").update(older).digest("hex");
    write(dir, ".otpgen/ejected.json", JSON.stringify(record));
    const warned = await runOk("gen", ["genserver", "Later", "--no-check"], dir);
    expect(warned.stderr).toMatch(/^gen genserver: warning: the built-in templates you ejected changed since 0\.0\.9 .*genserver\/lib\/module\.ex\.hbs; see: gen templates diff genserver$/);
    const diff = await runOk("gen", ["templates", "diff", "genserver"], dir);
    expect(diff.stdout).toContain("-  use GenServer, restart: :permanent\n+  use GenServer\n");
    const doctor = await runBin("gen", ["doctor"], dir);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain("✖ drift: genserver: changed upstream since 0.0.9: genserver/lib/module.ex.hbs");
  });
});

describe("answers files, installed", () => {
  it("--record saves the answers; --answers repeats the run to identical output, for create-otp-app and gen", async () => {
    const answers = path.join(tempDir(), "answers.json");
    const first = tempDir();
    await runOk("create-otp-app", ["recorded", ...BARE, "--ci", "--record", answers], first);
    expect(JSON.parse(readFileSync(answers, "utf8"))).toMatchObject({ dir: "recorded", ci: true, credo: false });
    const second = tempDir();
    await runOk("create-otp-app", ["--answers", answers, "--no-check"], second);
    expect(snapshot(path.join(second, "recorded"))).toEqual(snapshot(path.join(first, "recorded")));

    const dir = copyOf(bare);
    const genAnswers = path.join(tempDir(), "gen.json");
    writeFileSync(genAnswers, JSON.stringify({ name: "Ticker", every: "5s", continue: true }));
    await runOk("gen", ["genserver", "--answers", genAnswers, "--no-check"], dir);
    expect(read(dir, "lib/team_app/ticker.ex")).toContain("@default_interval :timer.seconds(5)");
    writeFileSync(genAnswers, JSON.stringify({ name: "Ticker", every: "often" }));
    const bad = await runBin("gen", ["genserver", "--answers", genAnswers, "--no-check"], copyOf(bare));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`--answers ${genAnswers}: every: a duration is a positive whole number`);
  });
});
