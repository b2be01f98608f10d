import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gen } from "../../src/cli/gen-main.js";
import { findMixRoot } from "../../src/elixir/project.js";
import { captureIo, tempDir } from "../helpers.js";

describe("gen (skeleton)", () => {
  it("--help prints usage and exits 0", async () => {
    const io = captureIo(tempDir());
    expect(await gen(["--help"], io)).toBe(0);
    expect(io.text()).toMatch(/^Usage: gen <generator>/);
  });

  it("no arguments prints usage and exits 2", async () => {
    const io = captureIo(tempDir());
    expect(await gen([], io)).toBe(2);
  });

  it("list works anywhere", async () => {
    const io = captureIo(tempDir());
    expect(await gen(["list"], io)).toBe(0);
    expect(io.text()).not.toBe("");
  });

  it("outside a Mix project: one clear line, exit 2", async () => {
    const cwd = tempDir();
    const io = captureIo(cwd);
    expect(await gen(["genserver", "RateLimiter"], io)).toBe(2);
    expect(io.errText()).toBe(
      `gen: no mix.exs in ${cwd} or any directory above it; run gen inside a Mix project (create one with: npx create-otp-app my_app)\n`,
    );
  });

  it("inside a Mix project (from a subdirectory): an unknown generator is named", async () => {
    const root = tempDir();
    writeFileSync(path.join(root, "mix.exs"), "defmodule X.MixProject do\nend\n");
    mkdirSync(path.join(root, "lib/deep"), { recursive: true });
    expect(findMixRoot(path.join(root, "lib/deep"))).toBe(root);
    const io = captureIo(path.join(root, "lib/deep"));
    expect(await gen(["nope"], io)).toBe(2);
    expect(io.errText()).toBe('gen: unknown generator "nope"; run gen list to see the generators\n');
  });

  it("an unknown option is refused with exit 2", async () => {
    const io = captureIo(tempDir());
    expect(await gen(["--frobnicate"], io)).toBe(2);
    expect(io.errText()).toBe('gen: unknown option "--frobnicate"; run gen --help\n');
  });
});
