// Property: for random valid app and module names (short, long, nested),
// every generator writes files that parse and are already formatted; the
// names only change identifiers, never the layout the formatter wants.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createOtpApp } from "../../src/cli/create-main.js";
import { gen } from "../../src/cli/gen-main.js";
import { appNameProblem, camelize } from "../../src/elixir/naming.js";
import { captureIo, tempDir } from "../helpers.js";

const RUNS = (name: string): string[][] => [
  ["genserver", name, "--continue", "--every", "5s", "--registry"],
  ["genserver", `${name}Plain`],
  ["supervisor", `${name}Sup`, "--strategy", "rest_for_one"],
  ["dynamic-supervisor", `${name}Pool`],
  ["registry", `${name}Names`],
  ["agent", `${name}Agent`],
  ["task-supervisor", `${name}Tasks`],
  ["ets-cache", `${name}Cache`, "--ttl", "1m"],
  ["rate-limiter", `${name}Limiter`],
  ["circuit-breaker", `${name}Breaker`],
  ["retry", `${name}Retry`],
  ["periodic", `${name}Job`],
  ["periodic", `${name}Single`, "--singleton"],
  ["release", "--k8s"],
  ["cluster", "--strategy", "hosts", "--registry", "pg"],
  ["telemetry", "--prometheus", "--otel"],
  // Oban (the project gets a Repo module below): the config block, two crontab entries, the migration.
  ["worker", `${name}Worker`, "--unique", "60s", "--cron", "*/5 * * * *"],
  ["worker", `${name}Nightly`, "--queue", "nightly_reports", "--cron", "0 3 * * MON-FRI"],
];

describe("every generator, with random names (property)", () => {
  it("writes files that parse and are already formatted, whatever the names' lengths", async () => {
    const app = fc.stringMatching(/^[a-z][a-z0-9_]{0,24}$/).filter((s) => appNameProblem(s) === null && !s.endsWith("_"));
    const segment = fc.stringMatching(/^[A-Z][a-zA-Z0-9]{0,14}$/);
    const module = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join("."));
    const samples = fc.sample(fc.tuple(app, module), { numRuns: 12, seed: 1337 });
    const files: string[] = [];
    for (const [i, [appName, name]] of samples.entries()) {
      const cwd = tempDir();
      const dir = `p${i}_${appName}`.slice(0, 30).replace(/_+$/, "");
      const io = captureIo(cwd);
      expect(await createOtpApp([dir, "--app", appName, "--yes", "--no-install", "--no-git", "--no-check"], io), io.errText()).toBe(0);
      const root = path.join(cwd, dir);
      const appModule = camelize(appName);
      writeFileSync(path.join(root, "lib", appName, "repo.ex"), `defmodule ${appModule}.Repo do\n  use Ecto.Repo, otp_app: :${appName}, adapter: Ecto.Adapters.Postgres\nend\n`);
      for (const args of RUNS(name)) {
        const g = captureIo(root);
        const code = await gen([...args, "--no-check", "--json"], g);
        expect(code, `${args.join(" ")}: ${g.errText()}`).toBe(0);
        for (const f of JSON.parse(g.text()).files as { path: string }[]) {
          if (/\.exs?$/.test(f.path)) files.push(path.join(root, f.path));
        }
      }
    }
    const unique = [...new Set(files)];
    // StreamData's and Oban.Testing's macros stay without parentheses, as the project's .formatter.exs imports them.
    const script = `
      opts = [locals_without_parens: [property: 1, property: 2, check: 1, check: 2, all: :*, assert_enqueued: 1]]

      for f <- String.split(IO.read(:stdio, :eof), "\\n", trim: true),
          src = File.read!(f),
          IO.iodata_to_binary([Code.format_string!(src, opts), "\\n"]) != src,
          do: IO.puts(f)
    `;
    const r = await execa("elixir", ["-e", script], { input: unique.join("\n"), reject: false, all: true });
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stdout, `not formatted:\n${r.stdout}\n${unique.filter((f) => r.stdout.includes(f)).map((f) => readFileSync(f, "utf8")).join("\n---\n")}`).toBe("");
    expect(unique.length).toBeGreaterThan(samples.length * 25);
  });
});
