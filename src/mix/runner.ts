// The one module that spawns processes: mix and elixir through execa, git
// through Node's spawn (see spawnRun). Injected through Io so tests can
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
 * `git init` through Node's own spawn: execa's modules take about 20 ms to
 * load (npm run bench, create-otp-app --no-install), longer than the git run
 * itself. git is a native executable on every platform, with no .cmd shim for
 * execa's Windows handling to resolve, so Node runs it the same way. Output is
 * collected whole (git init prints a line or two) and given as execa's is.
 */
function spawnRun(command: string, args: string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: RunResult): void => {
      if (settled) return;
      settled = true;
      for (const line of result.output === "" ? [] : result.output.split("\n")) opts.onLine?.(line);
      resolve(result);
    };
    const chunks: Buffer[] = [];
    const child = childProcess().spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.on("error", (err: NodeJS.ErrnoException) => settle({ exitCode: 1, output: err.message, notFound: err.code === "ENOENT" }));
    child.on("close", (code) => {
      const text = Buffer.concat(chunks).toString("utf8");
      const lines = text.split(/\r?\n/);
      if (lines.at(-1) === "") lines.pop();
      settle({ exitCode: code ?? 1, output: lines.join("\n"), notFound: false });
    });
  });
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
