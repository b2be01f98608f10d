// Every patcher on the table of real-world shapes (shape-table.ts). For each
// shape, real Elixir checks the result: it parses; the new element is where it
// belongs, as many times as it should be (an AST probe, not string matching);
// a second application changes nothing; a file that was format-clean stays
// format-clean; a refusal leaves the file byte-identical and carries the
// snippet to paste.
import { beforeAll, describe, expect, it } from "vitest";
import type { PatchResult } from "../../src/elixir/children.js";
import { probeAll, type ProbeResult } from "./probe.js";
import { browserScopes } from "../../src/elixir/phoenix.js";
import { SHAPES, type Shape } from "./shape-table.js";

interface Outcome {
  first: PatchResult;
  second: PatchResult | undefined;
  before: ProbeResult;
  after: ProbeResult;
}
const outcomes = new Map<Shape, Outcome>();

beforeAll(async () => {
  const runs = SHAPES.map((s) => {
    const first = s.patch(s.source);
    const second = first.status === "refused" ? undefined : s.patch(first.source);
    return { shape: s, first, second };
  });
  const probes = await probeAll(runs.flatMap((r) => [{ source: r.shape.source, what: r.shape.what }, { source: r.first.status === "refused" ? r.shape.source : r.first.source, what: r.shape.what }]));
  runs.forEach((r, i) => outcomes.set(r.shape, { first: r.first, second: r.second, before: probes[2 * i] as ProbeResult, after: probes[2 * i + 1] as ProbeResult }));
});

describe("patchers on real-world shapes, checked by Elixir", () => {
  it("the table has at least 60 shapes, in every kind of file patched", () => {
    expect(SHAPES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(SHAPES.map((s) => s.kind)).size).toBe(11);
  });

  it.each(SHAPES.map((s) => [`${s.kind}: ${s.name}`, s] as const))("%s", (_label, shape) => {
    const o = outcomes.get(shape) as Outcome;
    if (shape.refused) {
      expect(o.first.status).toBe("refused");
      expect((o.first as { reason: string }).reason).toMatch(shape.refused);
      expect((o.first as { snippet: string }).snippet.length).toBeGreaterThan(0);
      return;
    }
    expect(o.first.status, JSON.stringify(o.first)).not.toBe("refused");
    const patched = (o.first as { source: string }).source;
    expect(o.after.parses).toBe(true);
    expect(o.after.found).toEqual(shape.found);
    // Idempotent: the second application finds it there and changes nothing.
    expect(o.second).toEqual({ status: "present", source: patched });
    // A file that was format-clean stays format-clean.
    if (o.before.formatted && !shape.relaidByFormatter) expect(o.after.formatted, patched).toBe(true);
  });
});

describe("--router-scope: the browser scope chosen among several", () => {
  it("the routes land in the scope that starts on the given line, and only there", () => {
    const shape = SHAPES.find((s) => s.name.startsWith("two browser scopes, the second chosen")) as (typeof SHAPES)[number];
    const r = shape.patch(shape.source);
    expect(r.status).toBe("added");
    const out = (r as { source: string }).source;
    const second = out.indexOf("pipe_through [:browser, :require_admin]");
    expect(out.indexOf('live "/products"')).toBeGreaterThan(second);
    expect(out.slice(0, second)).not.toContain("live ");
    expect(browserScopes(shape.source, "AppWeb")).toEqual([
      { line: 14, path: "/", pipelines: ["browser"] },
      { line: 19, path: "/", pipelines: ["browser", "require_admin"] },
    ]);
  });
});
