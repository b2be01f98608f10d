// Errors for users are values with an exit code; anything else is a bug and
// is printed with its stack.

/** Bad input: one line naming the input and the rule; exit 2; nothing written. */
export class UserError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}

/** The user pressed Ctrl-C at a prompt or declined to go on; nothing written. */
export class CancelledError extends Error {
  readonly exitCode: number;
  constructor(message = "cancelled; nothing was written", exitCode = 130) {
    super(message);
    this.name = "CancelledError";
    this.exitCode = exitCode;
  }
}

/** Writing the change set failed; every file it touched was restored. */
export class WriteError extends Error {
  readonly exitCode = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WriteError";
  }
}

export function isExitPromptError(err: unknown): boolean {
  // @inquirer/prompts rejects with ExitPromptError on Ctrl-C (and AbortPromptError on abort).
  return (
    err instanceof Error &&
    (err.name === "ExitPromptError" || err.name === "AbortPromptError")
  );
}
