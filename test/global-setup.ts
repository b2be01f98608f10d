// The suite runs real tools and never skips a test for want of one: every tool
// is checked here, up front, and a missing one stops the run with its name and
// how to get it (`bash scripts/setup.sh` installs them all).
import { execFileSync } from "node:child_process";

const TOOLS: { command: string; args: string[]; why: string; debian: string }[] = [
  { command: "mix", args: ["--version"], why: "the real-Elixir gates (format, compile, mix test)", debian: "elixir" },
  { command: "elixir", args: ["--version"], why: "the formatter and the AST probes", debian: "elixir" },
  { command: "dialyzer", args: ["--version"], why: "the Dialyzer test of generated code", debian: "erlang-dialyzer" },
  { command: "git", args: ["--version"], why: "create-otp-app's git init", debian: "git" },
  { command: "python3", args: ["--version"], why: "test/e2e/run_in_pty.py, which answers prompts at a real terminal", debian: "python3" },
  { command: "npm", args: ["--version"], why: "npm pack and install of the packed CLI", debian: "npm" },
];

export default function setup(): void {
  const missing = TOOLS.filter((t) => {
    try {
      execFileSync(t.command, t.args, { stdio: "ignore" });
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    const lines = missing.map((t) => `  ${t.command}: needed for ${t.why} (Debian package ${t.debian})`);
    throw new Error(`missing tools; run bash scripts/setup.sh, which installs them all:\n${lines.join("\n")}`);
  }
}
