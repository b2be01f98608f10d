// The built CLI, installed from `npm pack` output as a user gets it.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { elixirGates, expectGatesPass, tempDir } from "../helpers.js";

const repo = path.resolve(import.meta.dirname, "../..");
let bin: string;

beforeAll(async () => {
  const packDir = tempDir("otpgen-pack-");
  // prepack builds dist/ first.
  const packed = await execa("npm", ["pack", "--pack-destination", packDir, "--json"], { cwd: repo });
  const tarball = path.join(packDir, JSON.parse(packed.stdout)[0].filename);
  const prefix = tempDir("otpgen-install-");
  await execa("npm", ["install", "--no-audit", "--no-fund", "--prefix", prefix, tarball]);
  bin = path.join(prefix, "node_modules", ".bin");
}, 300_000);

describe("installed from npm pack", () => {
  it("create-otp-app demo --yes writes a project that passes format, compile and tests", async () => {
    const cwd = tempDir();
    const r = await execa(path.join(bin, "create-otp-app"), ["demo", "--yes", "--no-install", "--no-git"], {
      cwd,
      reject: false,
      all: true,
      env: { NO_COLOR: "1" },
    });
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toContain("create    mix.exs");
    expect(r.stdout).toMatch(/✔ format/);
    expect(r.stdout).toContain("Next steps");
    expectGatesPass(await elixirGates(path.join(cwd, "demo")));
  });

  it("gen --help, gen list, and gen outside a project", async () => {
    const cwd = tempDir();
    const help = await execa(path.join(bin, "gen"), ["--help"], { cwd });
    expect(help.stdout).toMatch(/^Usage: gen <generator>/);
    const list = await execa(path.join(bin, "gen"), ["list"], { cwd });
    expect(list.exitCode).toBe(0);
    const outside = await execa(path.join(bin, "gen"), ["genserver", "X"], { cwd, reject: false });
    expect(outside.exitCode).toBe(2);
    expect(outside.stderr).toMatch(/^gen: no mix\.exs in .* run gen inside a Mix project/);
  });

  it("at a real terminal, Ctrl-C at the first prompt exits cleanly and writes nothing", async () => {
    const cwd = tempDir();
    const pty = path.join(repo, "test/e2e/run_in_pty.py");
    const r = await execa("python3", [pty, cwd, "Project directory", "\\x03", path.join(bin, "create-otp-app")], { reject: false });
    expect(r.stdout).toContain("Project directory");
    expect(r.stdout).toContain("cancelled; nothing was written");
    expect(r.stdout.trim().split("\n").pop()).toBe("exit=130");
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("at a real terminal, the prompts take answers and the project is written", async () => {
    const cwd = tempDir();
    const pty = path.join(repo, "test/e2e/run_in_pty.py");
    // Answer the directory, then accept every default with Enter.
    const r = await execa(
      "python3",
      [pty, cwd, "Project directory", "typed_app\\r", path.join(bin, "create-otp-app"), "--no-install", "--no-git", "--no-check", "--no-ci", "--no-credo", "--no-dialyxir", "--no-ex-doc", "--app", "typed_app", "--module", "TypedApp"],
      { reject: false },
    );
    expect(r.stdout.trim().split("\n").pop(), r.stdout).toBe("exit=0");
    expect(existsSync(path.join(cwd, "typed_app/lib/typed_app/application.ex"))).toBe(true);
  });

  it("a bad name from the real bin: exit 2, one line on stderr, nothing written", async () => {
    const cwd = tempDir();
    const r = await execa(path.join(bin, "create-otp-app"), ["demo", "--app", "Demo", "--yes"], { cwd, reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split("\n")).toHaveLength(1);
    expect(existsSync(path.join(cwd, "demo"))).toBe(false);
  });
});
