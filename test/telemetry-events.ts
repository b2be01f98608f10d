// The :telemetry variant of the limiter, breaker and cache. :telemetry is a hex
// package, absent here: the code is compiled, lib and tests, with mix.exs's
// deps removed, and the only warnings allowed are the calls to the absent
// :telemetry / :telemetry_test, at the functions that emit.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { createOtpApp } from "../src/cli/create-main.js";
import { gen } from "../src/cli/gen-main.js";
import { captureIo, mixExsWithoutHexDeps, withTelemetryDep } from "./helpers.js";

export const TELEMETRY_RUNS = [["rate-limiter", "RateLimiter"], ["circuit-breaker", "Breaker"], ["ets-cache", "Cache", "--ttl", "5m"]];

/** A create-otp-app project with :telemetry in its deps and the three generated; the next steps each printed, and the mix.exs without deps to compile with. */
export async function telemetryProject(cwd: string, app: string, createArgs: string[] = []): Promise<{ dir: string; steps: string; noDepsMixExs: string }> {
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
  return { dir, steps, noDepsMixExs: mixExsWithoutHexDeps(plain) };
}

/** The output of `mix test --exclude test` on that project: compiled, no test failed, and every warning is the absent :telemetry where events are emitted. */
export function expectOnlyTelemetryMissing(output: string, module: string): void {
  expect(output).toMatch(/\b0 (failures|tests), \d+ excluded/); // 1.14 counts failures, 1.20 tests
  const warnings = output.split("\n").filter((l) => /^\s*warning:/.test(l));
  expect(warnings.length).toBeGreaterThan(0);
  for (const w of warnings) expect(w).toMatch(/^\s*warning: :(telemetry|telemetry_test)\.\w+\/\d is undefined \(module :telemetry(_test)? is not available/);
  for (const at of ["RateLimiter.hit/3", "Breaker.reject/1", "Breaker.next/1", "Cache.fetch/1", "Cache.handle_info/2"]) expect(output).toContain(`${module}.${at}`);
  for (const t of ["each hit emits a telemetry event", "emits telemetry events when the circuit changes", "reads emit telemetry lookup events"]) expect(output).toContain(t);
}
