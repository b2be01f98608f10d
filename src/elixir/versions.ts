// The installed Elixir and Erlang/OTP versions, read from their install trees
// (no BEAM start: that would cost the CLI half a second). Falls back to asking
// the executables (version managers' shims), then to a default.
import { existsSync, readFileSync, readdirSync, realpathSync } from "node:fs";
import path from "node:path";
import type { MixRunner } from "../mix/runner.js";

export interface Versions {
  /** e.g. "1.14.0"; undefined when Elixir is not installed. */
  elixir: string | undefined;
  /** e.g. "25.2.3"; undefined when Erlang is not installed. */
  otp: string | undefined;
}

export const FALLBACK_ELIXIR = "1.15";

function which(cmd: string, envPath: string | undefined): string | undefined {
  for (const dir of (envPath ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, cmd);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function fromTree(bin: string, read: (root: string) => string | undefined): string | undefined {
  try {
    return read(path.dirname(path.dirname(realpathSync(bin))));
  } catch {
    return undefined;
  }
}

const elixirFromTree = (root: string): string | undefined => {
  const app = readFileSync(path.join(root, "lib", "elixir", "ebin", "elixir.app"), "utf8");
  return /\{vsn,\s*"([^"]+)"\}/.exec(app)?.[1];
};

const otpFromTree = (root: string): string | undefined => {
  const releases = path.join(root, "releases");
  const major = readdirSync(releases).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a))[0];
  return major ? readFileSync(path.join(releases, major, "OTP_VERSION"), "utf8").trim() : undefined;
};

export async function detectVersions(env: Record<string, string | undefined>, runner: MixRunner, cwd: string): Promise<Versions> {
  const elixirBin = which("elixir", env.PATH);
  const erlBin = which("erl", env.PATH);
  let elixir = elixirBin ? fromTree(elixirBin, elixirFromTree) : undefined;
  let otp = erlBin ? fromTree(erlBin, otpFromTree) : undefined;
  if (elixirBin && !elixir) {
    const r = await runner.run("elixir", ["--short-version"], { cwd, env });
    elixir = r.exitCode === 0 ? r.output.trim().split("\n").pop() : undefined;
  }
  if (erlBin && !otp) {
    const r = await runner.run(
      "erl",
      ["-noshell", "-eval", 'io:format("~s", [erlang:system_info(otp_release)]), halt().'],
      { cwd, env },
    );
    otp = r.exitCode === 0 ? r.output.trim() : undefined;
  }
  return { elixir, otp };
}

/** "1.14.0" -> "1.14" */
export function majorMinor(version: string): string {
  const [major = "1", minor = "15"] = version.split(".");
  return `${major}.${minor}`;
}

/** Is version a >= version b (both "X.Y[.Z]")? */
export function versionAtLeast(a: string, b: string): boolean {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}
