import { writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { elixirString, heredocBody, looksLikeDoctest } from "../../src/elixir/escape.js";
import { tempDir } from "../helpers.js";

const nasty = [
  'say "hi"', "back\\slash", "#{System.halt(1)}", '"""', 'a """ b', "line1\nline2", "tab\there", "\u0000nul", "ünïcødé ✓",
  "trailing \\", "#{", "\\#{x}", "ends with quote\"", "  indented", "#", "{}", "CR\r\nLF",
];

/**
 * Write each value into a module as a string literal and as a heredoc, compile
 * it with real Elixir (warnings as errors), and compare what Elixir holds with
 * the input. Interpolation must never run: a `#{System.halt(1)}` would end it.
 */
async function roundTrip(values: string[]): Promise<{ str: string[]; heredoc: string[] }> {
  const dir = tempDir("otpgen-escape-");
  const strs = values.map((v, i) => `  def s(${i}), do: ${elixirString(v)}\n`);
  const docs = values.map((v, i) => `  def h(${i}) do\n    """\n${heredocBody(v, 4)}\n    """\n  end\n`);
  const lines = [...strs, ...docs];
  const file = path.join(dir, "esc.exs");
  writeFileSync(
    file,
    `defmodule Esc do\n${lines.join("\n")}end\n\nfor i <- 0..${values.length - 1} do\n  IO.puts(Base.encode16(Esc.s(i)) <> " " <> Base.encode16(Esc.h(i)))\nend\n`,
  );
  const r = await execa("elixir", ["--erl", "-noshell", file], { reject: false, all: true });
  expect(r.exitCode, r.all).toBe(0);
  expect(r.all).not.toMatch(/warning/);
  const rows = r.stdout.trim().split("\n").map((l) => l.split(" ").map((h) => Buffer.from(h, "hex").toString("utf8")));
  return { str: rows.map((x) => x[0] as string), heredoc: rows.map((x) => x[1] as string) };
}

// What a heredoc holds: the text with \r\n normalised, trailing spaces dropped, plus a final newline.
const heredocValue = (v: string): string =>
  `${v.replace(/\r\n?/g, "\n").split("\n").map((l) => l.replace(/ +$/, "")).join("\n")}\n`;

describe("escaping user text for Elixir", () => {
  it("string literals and heredocs hold exactly the text (hand-picked)", async () => {
    const { str, heredoc } = await roundTrip(nasty);
    expect(str).toEqual(nasty);
    expect(heredoc).toEqual(nasty.map(heredocValue));
  });

  it("string literals and heredocs hold exactly the text (property)", async () => {
    const values = fc.sample(fc.string({ unit: fc.constantFrom("a", " ", '"', "\\", "#", "{", "}", "\n", "é", "\t", "$") , maxLength: 24 }), {
      numRuns: 150,
      seed: 7,
    });
    const { str, heredoc } = await roundTrip(values);
    expect(str).toEqual(values);
    expect(heredoc).toEqual(values.map(heredocValue));
  });

  it("spots text that ExUnit would run as a doctest", () => {
    expect(looksLikeDoctest("iex> 1 + 1")).toBe(true);
    expect(looksLikeDoctest("first\n   iex(2)> x")).toBe(true);
    expect(looksLikeDoctest("mentions iex> inline")).toBe(false);
  });
});
