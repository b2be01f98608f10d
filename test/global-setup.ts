// Tests that need Elixir fail loudly when it is missing: they never skip.
import { execFileSync } from "node:child_process";

export default function setup(): void {
  try {
    execFileSync("mix", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error(
      "Elixir's mix is not on PATH. These tests run real Elixir: install it (Debian: apt-get install -y elixir erlang-dev) and run again.",
    );
  }
}
