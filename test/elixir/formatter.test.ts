import { describe, expect, it } from "vitest";
import { ElixirFormatter, heexLineLengthOf, lineLengthOf } from "../../src/mix/formatter.js";

const LOCALS = "[field: 2, add: 2]";
const long = `defmodule A do\n  @spec get_warehouse_stock_adjustment_record!(%Scope{}, integer()) :: WarehouseStockAdjustmentRecord.t()\n  def f(x), do: x\n\n  schema "t" do\n    field :name, :string\n  end\nend\n`;

describe("Elixir's formatter over rendered files (one BEAM per run)", () => {
  it("lays out long lines as mix format does, keeps the DSL calls without parentheses, and serves many files", async () => {
    const f = new ElixirFormatter({ localsWithoutParens: LOCALS, lineLength: 98 });
    try {
      const [a, b] = await Promise.all([f.format(long), f.format("defmodule B do\ndef g(  y ),do: y\nend\n")]);
      expect(a).toContain("  @spec get_warehouse_stock_adjustment_record!(%Scope{}, integer()) ::\n          WarehouseStockAdjustmentRecord.t()\n");
      expect(a).toContain("    field :name, :string\n");
      expect(b).toBe("defmodule B do\n  def g(y), do: y\nend\n");
      // ünïcødé passes through intact.
      expect(await f.format('defmodule C do\n  @doc "ünïcødé ✓"\n  def c, do: :ok\nend\n')).toContain('"ünïcødé ✓"');
    } finally {
      f.close();
    }
  });

  it("formats a fragment as the body of a module, keeping its indentation", async () => {
    const f = new ElixirFormatter({ localsWithoutParens: LOCALS, lineLength: 98 });
    try {
      const out = await f.formatInModule('  describe "x" do\n    test "y" do\n      assert   1 == 1\n    end\n  end\n');
      expect(out).toBe('  describe "x" do\n    test "y" do\n      assert 1 == 1\n    end\n  end\n');
    } finally {
      f.close();
    }
  });

  it("leaves text that does not parse, or everything when elixir is missing, as it was", async () => {
    const f = new ElixirFormatter({ localsWithoutParens: LOCALS, lineLength: 98 });
    try {
      expect(await f.format("defmodule Broken do\n  def (\n")).toBe("defmodule Broken do\n  def (\n");
      expect(await f.format("defmodule Ok do\nend\n")).toBe("defmodule Ok do\nend\n");
    } finally {
      f.close();
    }
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    const none = new ElixirFormatter({ localsWithoutParens: LOCALS, lineLength: 98 });
    try {
      expect(await none.format(long)).toBe(long);
    } finally {
      process.env.PATH = path;
      none.close();
    }
  });

  it("takes the project's line_length, by syntax: not from a comment or a string", async () => {
    expect(await lineLengthOf("[inputs: [], line_length: 120]")).toBe(120);
    expect(await lineLengthOf("[inputs: []]")).toBe(98);
    expect(await lineLengthOf(undefined)).toBe(98);
    expect(await lineLengthOf('[\n  # line_length: 120,\n  inputs: ["line_length: 80"]\n]')).toBe(98);
    expect(await lineLengthOf("[\n  # line_length: 120,\n  line_length: 1_00\n]")).toBe(100);
    // heex_line_length is its own option, not a line_length.
    expect(await lineLengthOf("[heex_line_length: 120]")).toBe(98);
    expect(await heexLineLengthOf("[heex_line_length: 120, line_length: 90]")).toBe(120);
    expect(await heexLineLengthOf("[\n  # heex_line_length: 120\n  line_length: 90\n]")).toBe(90);
  });
});
