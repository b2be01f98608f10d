// The suite runs real tools and never skips a test for want of one: every tool
// is checked here, up front, and a missing one stops the run with its name and
// how to get it (`bash scripts/setup.sh` installs them all).
//
// It also packs the package (`npm pack`, which builds dist/ first) and installs
// the tarball into a temporary prefix, once per run: test/e2e/ runs those bins
// as a user runs them. Tests read the bin folder with inject("packedBin").
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { prepareHexHost, prepareHexNext, stopPostgresNext, unmountProc } from "./hex.js";

declare module "vitest" {
  export interface ProvidedContext {
    packedBin: string;
    /** The environment for mix on the host's Elixir: MIX_HOME, HEX_HOME, the Hex mirror (test/hex.ts). */
    hexHost: Record<string, string>;
    /** The same inside the newest Elixir's chroot; empty when there is no chroot (its tests then fail saying how to make it). */
    hexNext: Record<string, string>;
  }
}

const TOOLS: { command: string; args: string[]; why: string; debian: string }[] = [
  { command: "mix", args: ["--version"], why: "the real-Elixir gates (format, compile, mix test)", debian: "elixir" },
  { command: "elixir", args: ["--version"], why: "the formatter and the AST probes", debian: "elixir" },
  { command: "dialyzer", args: ["--version"], why: "the Dialyzer test of generated code", debian: "erlang-dialyzer" },
  { command: "git", args: ["--version"], why: "create-otp-app's git init", debian: "git" },
  { command: "python3", args: ["--version"], why: "test/e2e/run_in_pty.py, which answers prompts at a real terminal", debian: "python3" },
  { command: "npm", args: ["--version"], why: "npm pack and install of the packed CLI", debian: "npm" },
  { command: "rebar3", args: ["version"], why: "the Erlang deps of generated projects (telemetry, poolboy, ranch)", debian: "rebar3" },
];

function packAndInstall(): { bin: string; dir: string } {
  const repo = path.resolve(import.meta.dirname, "..");
  const dir = mkdtempSync(path.join(tmpdir(), "otpgen-packed-"));
  const out = execFileSync("npm", ["pack", "--pack-destination", dir, "--json"], { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const tarball = path.join(dir, (JSON.parse(out) as { filename: string }[])[0]!.filename);
  const prefix = path.join(dir, "prefix");
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefix", prefix, tarball], { stdio: ["ignore", "ignore", "inherit"] });
  return { bin: path.join(prefix, "node_modules", ".bin"), dir };
}

export default function setup(project: TestProject): () => void {
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
  // Hex into each Elixir's MIX_HOME, from the local registry (or hex.pm).
  project.provide("hexHost", prepareHexHost());
  const nextRoot = process.env.OTPGEN_ELIXIR_NEXT_ROOT ?? "/var/cache/create-otp-app/elixir-next";
  const hasNext = existsSync(path.join(nextRoot, ".otpgen-ready"));
  project.provide("hexNext", hasNext ? prepareHexNext(nextRoot) : {});
  const packed = packAndInstall();
  project.provide("packedBin", packed.bin);
  return () => {
    rmSync(packed.dir, { recursive: true, force: true });
    if (hasNext) {
      stopPostgresNext(nextRoot);
      unmountProc(nextRoot);
    }
  };
}
