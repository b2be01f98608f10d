import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256, templateKey } from "../../src/core/hash.js";

const nodeSha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("sha256 (the journal's and the ejected templates' hash, without node:crypto)", () => {
  it("matches node:crypto on the padding boundaries and known vectors", () => {
    expect(sha256("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // 55, 56 and 64 bytes: the length fits in the last block, or needs one more.
    for (const n of [1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 100_000]) expect(sha256("x".repeat(n))).toBe(nodeSha256("x".repeat(n)));
    // Multi-byte UTF-8 (é, €, an emoji's surrogate pair) and a lone surrogate (encoded as U+FFFD by both).
    for (const text of ["é", "€uro", "💡 idea", "\ud800", "defmodule Café do\nend\n"]) expect(sha256(text)).toBe(nodeSha256(text));
  });

  it("matches node:crypto on any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (text) => sha256(text) === nodeSha256(text)),
      { numRuns: 500 },
    );
  });
});

describe("templateKey (the precompiled templates' key)", () => {
  it("tells an edited template from the built-in one", () => {
    const source = "defmodule {{module}} do\n  @moduledoc {{str doc}}\nend\n";
    expect(templateKey(source)).toBe(templateKey(`${source}`));
    expect(templateKey(source)).not.toBe(templateKey(source.replace("moduledoc", "moduledoD")));
    expect(templateKey(source)).not.toBe(templateKey(`${source} `));
    // Every one-character edit of a template changes its key.
    fc.assert(
      fc.property(fc.nat(source.length - 1), fc.string({ minLength: 1, maxLength: 1 }), (at, ch) => {
        const edited = source.slice(0, at) + ch + source.slice(at + 1);
        return edited === source || templateKey(edited) !== templateKey(source);
      }),
    );
  });
});
