// The real I/O context for the bins.
import pc from "picocolors";
import { inquirerPrompter, type Io } from "../core/io.js";
import { execaRunner } from "../mix/runner.js";

export function processIo(): Io {
  // Output piped into a reader that stops early (`gen list | head`): stop quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  return {
    cwd: process.cwd(),
    env: process.env,
    // Read when first asked: process.stdin is made then, and a run that never
    // asks (gen list) does not load the streams behind it.
    get interactive() {
      return Boolean(process.stdin.isTTY && process.stdout.isTTY);
    },
    // picocolors honours NO_COLOR, FORCE_COLOR and whether stdout is a terminal.
    color: pc.isColorSupported,
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    prompter: inquirerPrompter,
    mix: execaRunner,
  };
}
