// Property: every valid name gives a project whose Elixir files parse and are
// formatted; every invalid one gives exit 2 and no files.
import { readFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createOtpApp } from "../../src/cli/create-main.js";
import { appNameProblem, camelize } from "../../src/elixir/naming.js";
import { captureIo, snapshot, tempDir } from "../helpers.js";

const validApp = fc.stringMatching(/^[a-z][a-z0-9_]{0,20}$/).filter((s) => appNameProblem(s) === null);
const validModule = fc
  .array(fc.stringMatching(/^[A-Z][A-Za-z0-9_]{0,10}$/), { minLength: 1, maxLength: 3 })
  .map((segs) => segs.join("."))
  .filter((m) => !["String", "Kernel", "Enum", "Map", "List", "IO", "File", "Task", "Agent", "Node", "Port", "Path", "Code"].includes(m));

describe("names (property-based)", () => {
  it("every valid app/module name gives a project whose files parse and are mix-format clean", async () => {
    const cwd = tempDir();
    const samples = fc.sample(fc.tuple(validApp, fc.option(validModule, { nil: undefined })), { numRuns: 25, seed: 2024 });
    const files: string[] = [];
    for (const [i, [app, module]] of samples.entries()) {
      const dir = `p${i}`;
      const args = [dir, "--app", app, ...(module ? ["--module", module] : []), "--yes", "--no-install", "--no-git", "--no-check"];
      const io = captureIo(cwd);
      expect(await createOtpApp(args, io), `${args.join(" ")}: ${io.errText()}`).toBe(0);
      const lib = readFileSync(path.join(cwd, dir, `lib/${app}.ex`), "utf8");
      expect(lib.startsWith(`defmodule ${module ?? camelize(app)} do\n`)).toBe(true);
      for (const f of Object.keys(snapshot(path.join(cwd, dir)))) if (/\.exs?$/.test(f)) files.push(path.join(cwd, dir, f));
    }
    // One BEAM checks every file: it parses, and formatting it changes nothing.
    const script = `
      bad =
        for file <- String.split(IO.read(:stdio, :eof), "\\n", trim: true),
            source = File.read!(file),
            formatted = IO.iodata_to_binary([Code.format_string!(source), "\\n"]),
            formatted != source,
            do: file
      IO.puts("unformatted: #{length(bad)}")
      Enum.each(bad, &IO.puts/1)
    `;
    const r = await execa("elixir", ["-e", script], { input: files.join("\n"), reject: false, all: true });
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout).toBe("unformatted: 0");
    expect(files.length).toBe(samples.length * 12);
  });

  it("every invalid app name gives exit 2, one line, and no files", async () => {
    const invalid = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => appNameProblem(s) !== null && !s.startsWith("-"));
    await fc.assert(
      fc.asyncProperty(invalid, async (app) => {
        const cwd = tempDir();
        const io = captureIo(cwd);
        const code = await createOtpApp(["proj", "--app", app, "--yes", "--no-check"], io);
        expect(code).toBe(2);
        expect(io.errText()).toMatch(/^create-otp-app: invalid --app .*\n$/);
        expect(snapshot(cwd)).toEqual({});
      }),
      { numRuns: 60, seed: 99 },
    );
  });
});
