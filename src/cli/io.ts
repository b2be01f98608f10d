// The real I/O context for the bins.
import { writeSync } from "node:fs";
import pc from "picocolors";
import { inquirerPrompter, type Io } from "../core/io.js";
import { tty } from "../core/lazy-builtin.js";
import { execaRunner } from "../mix/runner.js";

/**
 * Writes to a standard stream's file descriptor directly, as Node's own
 * process.stdout does for files, pipes and terminals on POSIX (synchronously),
 * without making the stream: process.stdout and process.stderr load Node's
 * net and stream modules when first touched, about 3 ms of every run (npm run
 * bench). On Windows, where a console wants its own writes, the streams are
 * used. Output piped into a reader that stops early (`gen list | head`): the
 * run stops quietly, as a Unix tool does.
 */
function writer(fd: 1 | 2): (text: string) => void {
  if (process.platform === "win32") {
    const stream = fd === 1 ? process.stdout : process.stderr;
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw err;
    });
    return (text) => void stream.write(text);
  }
  return (text) => {
    let rest = Buffer.from(text, "utf8");
    while (rest.length > 0) {
      try {
        rest = rest.subarray(writeSync(fd, rest));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "EPIPE") process.exit(process.exitCode ?? 0);
        // A descriptor another process left non-blocking: wait for the reader, briefly.
        if (code !== "EAGAIN") throw err;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      }
    }
  };
}

export function processIo(): Io {
  return {
    cwd: process.cwd(),
    env: process.env,
    // Both ends at a terminal; asked of the descriptors, so a run that never
    // prompts makes neither stream. node:tty (which loads net) is required
    // only here, when asked; picocolors asks it only without NO_COLOR.
    get interactive() {
      return tty().isatty(0) && tty().isatty(1);
    },
    // picocolors honours NO_COLOR, FORCE_COLOR and whether stdout is a terminal.
    color: pc.isColorSupported,
    stdout: writer(1),
    stderr: writer(2),
    prompter: inquirerPrompter,
    mix: execaRunner,
  };
}
