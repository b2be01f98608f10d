// An Elixir-side probe of patched files: real Elixir parses each source
// (Code.string_to_quoted) and reports, from the AST, where a thing is:
//   children:M   every list literal holding the module M, as its elements' heads
//   live:PATH    every `live PATH, ...` route, as the chain of blocks around it
//   socket:PATH  how many `socket PATH, ...` calls there are
//   channel:T    every `channel T, M` line, as its module and M
//   def:NAME     every def/defp NAME, as the module (or defimpl) around it
//   static_paths the words of \`def static_paths, do: ~w(...)\`, comma-joined
//   plugs        the modules of the \`plug\` calls, in order
//   pipeline:P   the plugs of \`pipeline :P\`, in order, each as its arguments
//   force_ssl_paths:E  the paths E's force_ssl excludes, for each config of E that has force_ssl
//   kw:KEY       the value of KEY in the file's keyword list (.formatter.exs)
//   telemetry:M  what M.metrics/0 appends to its list, what M's Supervisor.init/2 gets, what `reporters` is bound to
// and whether the source is format-clean (with Phoenix's DSLs without parens).
// One BEAM for a whole table of shapes.
import { execa } from "execa";
import { PHOENIX_DSLS } from "../helpers.js";

export interface ProbeResult {
  parses: boolean;
  formatted: boolean;
  /** One entry per place found: list heads, block chains, counts or modules. */
  found: string[];
}

const SCRIPT = `
defmodule Probe do
  def head({:__aliases__, _, parts}), do: Enum.join(parts, ".")
  def head({:{}, _, [h | _]}), do: head(h)
  def head({h, _}), do: head(h)
  def head({name, _, [h | _]}) when name in [:worker, :supervisor], do: head(h)
  def head({{:., _, [{:__aliases__, _, [:Supervisor]}, :child_spec]}, _, [h | _]}), do: head(h)
  def head(atom) when is_atom(atom), do: inspect(atom)
  def head(_other), do: "expr"

  def label({name, _, [first | _]}) when is_atom(name), do: "#{name} #{Macro.to_string(first)}"
  def label(_), do: "?"

  # Walk with the chain of enclosing do-block calls.
  def walk(ast, fun) do
    {_, {_, acc}} =
      Macro.traverse(ast, {[], []}, fn node, {stack, acc} ->
        acc = fun.(node, stack, acc)
        stack = if block?(node), do: [label(node) | stack], else: stack
        {node, {stack, acc}}
      end, fn node, {stack, acc} ->
        stack = if block?(node), do: tl(stack), else: stack
        {node, {stack, acc}}
      end)
    Enum.reverse(acc)
  end

  defp block?({name, _, args}) when is_atom(name) and is_list(args), do: Enum.any?(args, &match?([{:do, _} | _], &1))
  defp block?(_), do: false

  def probe(source, "children:" <> mod, _opts) do
    with {:ok, ast} <- Code.string_to_quoted(source) do
      {:ok, walk(ast, fn
        list, _stack, acc when is_list(list) ->
          heads = Enum.map(list, &head/1)
          if mod in heads, do: [Enum.join(heads, ",") | acc], else: acc
        _, _, acc -> acc
      end)}
    end
  end

  def probe(source, "live:" <> path, _opts) do
    with {:ok, ast} <- Code.string_to_quoted(source) do
      {:ok, walk(ast, fn
        {:live, _, [^path | _]}, stack, acc -> [stack |> Enum.reverse() |> Enum.drop(1) |> Enum.join(" > ") | acc]
        _, _, acc -> acc
      end)}
    end
  end

  def probe(source, "socket:" <> path, _opts) do
    with {:ok, ast} <- Code.string_to_quoted(source) do
      n = walk(ast, fn
        {:socket, _, [^path | _]}, _, acc -> [1 | acc]
        _, _, acc -> acc
      end) |> length()
      {:ok, [Integer.to_string(n)]}
    end
  end

  def probe(source, "channel:" <> topic, _opts) do
    with {:ok, ast} <- Code.string_to_quoted(source) do
      {:ok, walk(ast, fn
        {:channel, _, [^topic, mod | _]}, stack, acc -> ["#{Enum.find(stack, &String.starts_with?(&1, "defmodule"))} #{Macro.to_string(mod)}" | acc]
        _, _, acc -> acc
      end)}
    end
  end

  def probe(source, "def:" <> name, _opts) do
    fun = String.to_atom(name)
    with {:ok, ast} <- Code.string_to_quoted(source) do
      {:ok, walk(ast, fn
        {kind, _, [{^fun, _, _} | _]}, stack, acc when kind in [:def, :defp] ->
          [stack |> Enum.find(&String.starts_with?(&1, ["defmodule", "defimpl"])) | acc]
        _, _, acc -> acc
      end)}
    end
  end

  def probe(source, "static_paths", _opts) do
    with {:ok, ast} <- Code.string_to_quoted(source) do
      {:ok, walk(ast, fn
        {:def, _, [{:static_paths, _, _}, [do: {:sigil_w, _, [{:<<>>, _, [words]}, _]}]]}, _, acc ->
          [words |> String.split() |> Enum.join(",") | acc]
        _, _, acc -> acc
      end)}
    end
  end

  def probe(source, "plugs", _opts) do
    with {:ok, ast} <- Code.string_to_quoted(source) do
      plugs = walk(ast, fn
        {:plug, _, [mod | _]}, _, acc -> [Macro.to_string(mod) | acc]
        _, _, acc -> acc
      end)
      {:ok, [Enum.join(plugs, ",")]}
    end
  end

  def probe(source, "pipeline:" <> name, _opts) do
    with {:ok, ast} <- Code.string_to_quoted(source) do
      {:ok, walk(ast, fn
        {:plug, _, args}, ["pipeline :" <> ^name | _], acc -> [Enum.map_join(args, ", ", &Macro.to_string/1) | acc]
        _, _, acc -> acc
      end)}
    end
  end

  def probe(source, "force_ssl_paths:" <> endpoint, _opts) do
    with {:ok, ast} <- Code.string_to_quoted(source) do
      {:ok, walk(ast, fn
        {:config, _, [_app, ep, opts]}, _, acc when is_list(opts) ->
          if Macro.to_string(ep) == endpoint and Keyword.has_key?(opts, :force_ssl) do
            exclude = Keyword.get(opts[:force_ssl], :exclude, [])
            paths = if Keyword.keyword?(exclude), do: Keyword.get(exclude, :paths), else: nil
            [Macro.to_string(paths) | acc]
          else
            acc
          end
        _, _, acc -> acc
      end)}
    end
  end

  # gen telemetry's edits of phx.new's Telemetry module: what metrics/0 appends
  # to its list, the children Supervisor.init/2 gets, and what reporters is bound to.
  def probe(source, "telemetry:" <> mod, _opts) do
    with {:ok, ast} <- Code.string_to_quoted(source) do
      {:ok, walk(ast, fn
        {:def, _, [{:metrics, _, ctx}, [do: body]]}, stack, acc when ctx in [nil, []] ->
          if in_module?(stack, mod), do: ["metrics: " <> appended(last(body)) | acc], else: acc
        {{:., _, [{:__aliases__, _, [:Supervisor]}, :init]}, _, [children | _]}, stack, acc ->
          if in_module?(stack, mod), do: ["init: " <> Macro.to_string(children) | acc], else: acc
        {:=, _, [{:reporters, _, ctx}, value]}, stack, acc when is_atom(ctx) ->
          if in_module?(stack, mod), do: ["reporters: " <> Macro.to_string(value) | acc], else: acc
        _, _, acc -> acc
      end)}
    end
  end

  # .formatter.exs: the value of KEY in the file's keyword list.
  def probe(source, "kw:" <> key, _opts) do
    with {:ok, ast} <- Code.string_to_quoted(source) do
      last = case ast do
        {:__block__, _, exprs} -> List.last(exprs)
        expr -> expr
      end
      value = if Keyword.keyword?(last), do: Keyword.get(last, String.to_atom(key)), else: :not_a_keyword_list
      {:ok, [Macro.to_string(value)]}
    end
  end

  defp in_module?(stack, mod), do: Enum.member?(stack, "defmodule " <> mod)
  defp last({:__block__, _, exprs}), do: List.last(exprs)
  defp last(expr), do: expr
  defp appended({:++, _, [_left, right]}), do: Macro.to_string(right)
  defp appended(_other), do: "nothing"

  def formatted?(source, opts) do
    try do
      IO.iodata_to_binary([Code.format_string!(source, opts), "\\n"]) == source
    rescue
      _ -> false
    end
  end
end

opts = [locals_without_parens: DSLS]

IO.read(:stdio, :eof)
|> String.split("\\n", trim: true)
|> Enum.each(fn line ->
  [id, what, b64] = String.split(line, " ", parts: 3)
  source = Base.decode64!(b64)
  {parses, found} =
    case Probe.probe(source, what, opts) do
      {:ok, found} -> {true, found}
      _ -> {false, []}
    end
  out = [id, to_string(parses), to_string(Probe.formatted?(source, opts)) | Enum.map(found, &Base.encode64(to_string(&1)))]
  IO.puts(Enum.join(out, " "))
end)
`;

/** Probe many sources at once: `what` is children:M, live:PATH, socket:PATH or def:NAME. */
export async function probeAll(items: { source: string; what: string }[]): Promise<ProbeResult[]> {
  const input = items.map((it, i) => `${i} ${it.what} ${Buffer.from(it.source).toString("base64")}`).join("\n");
  const r = await execa("elixir", ["-e", SCRIPT.replace("DSLS", PHOENIX_DSLS.replace(/\s+/g, " "))], { input });
  const out: ProbeResult[] = [];
  for (const line of r.stdout.split("\n").filter((l) => /^\d+ /.test(l))) {
    const [id, parses, formatted, ...found] = line.split(" ");
    out[Number(id)] = { parses: parses === "true", formatted: formatted === "true", found: found.map((f) => Buffer.from(f, "base64").toString()) };
  }
  return out;
}
