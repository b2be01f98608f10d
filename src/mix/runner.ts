// The one module that spawns processes (mix, git), through execa. Injected
// through Io so tests can substitute it.

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

export const execaRunner: MixRunner = {
  async run(command, args, opts) {
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
