// I/O seams, injected through one context so tests need no module mocks.
import type { FsOps } from "./flush.js";
import { CancelledError, isExitPromptError } from "./errors.js";
import type { MixRunner } from "../mix/runner.js";

export interface Choice {
  name: string;
  value: string;
  checked?: boolean;
  /** One line shown under the highlighted choice. */
  description?: string;
}

export interface Prompter {
  input(opts: {
    message: string;
    default?: string;
    validate?: (v: string) => true | string | Promise<true | string>;
  }): Promise<string>;
  confirm(opts: { message: string; default: boolean }): Promise<boolean>;
  select(opts: { message: string; choices: Choice[]; default?: string }): Promise<string>;
  checkbox(opts: { message: string; choices: Choice[] }): Promise<string[]>;
  /** A list filtered as the user types (by name and description). */
  search(opts: { message: string; choices: Choice[] }): Promise<string>;
}

export interface Io {
  cwd: string;
  env: Record<string, string | undefined>;
  /** A person is at a terminal: prompts may be shown. */
  interactive: boolean;
  /** Colours and spinners on stderr. */
  color: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
  prompter: Prompter;
  mix: MixRunner;
  fs?: FsOps;
}

/** The real prompter: @inquirer/prompts, loaded only when a prompt is shown. */
export const inquirerPrompter: Prompter = {
  async input(opts) {
    const { input } = await import("@inquirer/prompts");
    return input(opts);
  },
  async confirm(opts) {
    const { confirm } = await import("@inquirer/prompts");
    return confirm(opts);
  },
  async select(opts) {
    const { select } = await import("@inquirer/prompts");
    return select(opts);
  },
  async checkbox(opts) {
    const { checkbox } = await import("@inquirer/prompts");
    return checkbox(opts);
  },
  async search(opts) {
    const { search } = await import("@inquirer/prompts");
    return search({
      message: opts.message,
      pageSize: 12,
      source: (term) => {
        const t = (term ?? "").toLowerCase();
        return opts.choices
          .filter((c) => t === "" || c.name.toLowerCase().includes(t) || (c.description ?? "").toLowerCase().includes(t))
          .map((c) => ({ name: c.name, value: c.value, description: c.description }));
      },
    });
  },
};

/** A yes/no question at the terminal; Ctrl-C is a cancel (exit 130, nothing written). */
export async function confirmOrCancel(io: Io, message: string, fallback: boolean): Promise<boolean> {
  try {
    return await io.prompter.confirm({ message, default: fallback });
  } catch (err) {
    if (isExitPromptError(err)) throw new CancelledError();
    throw err;
  }
}
