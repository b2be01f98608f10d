// The one module that spawns processes: mix and elixir through execa, git
// through Node's spawnSync (see spawnRun). Injected through Io so tests can
// substitute it.

import { childProcess } from "../core/lazy-builtin.js";

export interface RunResult {
  exitCode: number;
  /** stdout and stderr interleaved. */
  output: string;
  /** The command itself was not found on PATH. */
  notFound: boolean;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Called for each line of output as it arrives. */
  onLine?: (line: string) => void;
}

export interface MixRunner {
  run(command: string, args: string[], opts: RunOptions): Promise<RunResult>;
}

/**
 * `git init` through Node's own spawnSync: execa's modules take about 20 ms to
 * load (npm run bench, create-otp-app --no-install), longer than the git run
 * itself, and nothing else runs while it does. git is a native executable on
 * every platform, with no .cmd shim for execa's Windows handling to resolve,
 * so Node runs it the same way. Its output (a line or two, if any) is given
 * as execa's is, stdout then stderr.
 */
function spawnRun(command: string, args: string[], opts: RunOptions): RunResult {
  const r = childProcess().spawnSync(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  if (r.error) return { exitCode: 1, output: r.error.message, notFound: (r.error as NodeJS.ErrnoException).code === "ENOENT" };
  const lines = `${r.stdout}${r.stderr}`.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  for (const line of lines) opts.onLine?.(line);
  return { exitCode: r.status ?? 1, output: lines.join("\n"), notFound: false };
}

export const execaRunner: MixRunner = {
  async run(command, args, opts) {
    if (command === "git") return spawnRun(command, args, opts);
    const { execa } = await import("execa");
    const child = execa(command, args, {
      cwd: opts.cwd,
      env: opts.env,
      extendEnv: opts.env === undefined,
      all: true,
      reject: false,
      // Never wait on a prompt (e.g. "Shall I install Hex?"): mix reads EOF and answers no.
      stdin: "ignore",
      stripFinalNewline: false,
    });
    const lines: string[] = [];
    for await (const line of child.iterable({ from: "all" })) {
      lines.push(line);
      opts.onLine?.(line);
    }
    const result = await child;
    const code = (result as { code?: string }).code ?? (result.cause as { code?: string } | undefined)?.code;
    return {
      exitCode: result.exitCode ?? 1,
      output: lines.join("\n"),
      notFound: code === "ENOENT",
    };
  },
};
