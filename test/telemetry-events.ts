// The :telemetry variant of the limiter, breaker and cache: a project with
// {:telemetry, "~> 1.0"} in its deps (the real library, from ../shared/hex),
// and the generated tests that attach to the events.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { createOtpApp } from "../src/cli/create-main.js";
import { gen } from "../src/cli/gen-main.js";
import { captureIo, withTelemetryDep } from "./helpers.js";

export const TELEMETRY_RUNS = [["rate-limiter", "RateLimiter"], ["circuit-breaker", "Breaker"], ["ets-cache", "Cache", "--ttl", "5m"], ["periodic", "Ticker"], ["pipeline", "Ingest"]];

/** A create-otp-app project with :telemetry in its deps and the three generated; the next steps each printed. */
export async function telemetryProject(cwd: string, app: string, createArgs: string[] = []): Promise<{ dir: string; steps: string }> {
  expect(await createOtpApp([app, "--yes", "--no-install", "--no-git", "--no-check", ...createArgs], captureIo(cwd))).toBe(0);
  const dir = path.join(cwd, app);
  const mixExs = path.join(dir, "mix.exs");
  const plain = readFileSync(mixExs, "utf8");
  writeFileSync(mixExs, withTelemetryDep(plain));
  let steps = "";
  for (const args of TELEMETRY_RUNS) {
    const io = captureIo(dir);
    expect(await gen([...args, "--no-check"], io), io.errText()).toBe(0);
    steps += io.text();
  }
  return { dir, steps };
}

/** The telemetry tests of the three generated modules ran (mix test --trace names them) and passed. */
export function expectTelemetryTestsRan(output: string): void {
  for (const t of ["each hit emits a telemetry event", "emits telemetry events when the circuit changes", "reads emit telemetry lookup events", "each run emits a telemetry span", "each push emits a telemetry event"]) {
    expect(output).toMatch(new RegExp(`\\* test ${t}[^\\n]*\\(\\d+(\\.\\d+)?ms\\)`));
  }
}
