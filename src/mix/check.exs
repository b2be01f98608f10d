# The check step of create-otp-app, run inside the user's project in one BEAM:
#
#     mix run --no-compile --no-start --no-deps-check check.exs FILE...
#
# It formats the files the run wrote, loads the deps, compiles with warnings as
# errors and runs credo on the written files when credo is a fetched dependency.
# Each step is framed by marker lines on stderr (where the compiler writes its
# diagnostics) so that the caller can attribute output and time to steps:
#
#     @@otpgen<TAB>begin<TAB>STEP
#     @@otpgen<TAB>end<TAB>STEP<TAB>passed|failed|skipped<TAB>MILLISECONDS<TAB>DETAIL
#
# credo halts the VM with a non-zero status when it reports issues, so it runs
# last: a "begin credo" with no "end credo" means credo found issues.
files = System.argv()

emit = fn parts -> IO.puts(:stderr, Enum.join(["@@otpgen" | parts], "\t")) end

one_line = fn text -> text |> to_string() |> String.replace(~r/\s+/, " ") |> String.trim() end

step = fn name, fun ->
  emit.(["begin", name])
  started = System.monotonic_time(:millisecond)

  {status, detail} =
    try do
      fun.()
    rescue
      e -> {"failed", Exception.message(e)}
    catch
      :exit, {:shutdown, code} when is_integer(code) and code > 0 -> {"failed", "exit status #{code}"}
      kind, reason -> {"failed", Exception.format_banner(kind, reason)}
    end

  elapsed = System.monotonic_time(:millisecond) - started
  emit.(["end", name, status, Integer.to_string(elapsed), one_line.(detail)])
  status
end

# The formatter rules of the deps generated code uses (StreamData's, Ecto's and
# Phoenix's macros without parentheses), for a project whose .formatter.exs
# imports deps that are not fetched yet: mix format cannot load them then, so
# the written files are formatted with the rest of .formatter.exs and these.
known_locals = [
  property: 1, property: 2, check: 1, check: 2, all: :*,
  field: 2, field: 3, timestamps: 0, timestamps: 1, add: 2, add: 3, create: 1, create: 2,
  plug: 1, plug: 2, socket: 2, socket: 3, channel: 2, channel: 3, live: 3, live: 4,
  get: 3, post: 3, delete: 3, pipe_through: 1, pipeline: 2, scope: 2, scope: 3
]

format_without_deps = fn existing, before ->
  {config, _binding} = if File.regular?(".formatter.exs"), do: Code.eval_file(".formatter.exs"), else: {[], []}
  locals = Keyword.get(config, :locals_without_parens, []) ++ known_locals

  opts =
    config
    |> Keyword.take([:line_length, :force_do_end_blocks, :normalize_bitstring_modifiers, :normalize_charlists_as_sigils])
    |> Keyword.put(:locals_without_parens, locals)

  for f <- existing do
    formatted = IO.iodata_to_binary([Code.format_string!(File.read!(f), opts), "\n"])
    if formatted != File.read!(f), do: File.write!(f, formatted)
  end

  changed = Enum.reject(existing, &(File.read!(&1) == before[&1]))
  done = if changed == [], do: "#{length(existing)} files already formatted", else: "reformatted #{Enum.join(changed, ", ")}"
  {"passed", "#{done}, without the formatter rules of deps not fetched yet (run: mix deps.get)"}
end

step.("format", fn ->
  existing = Enum.filter(files, &(String.ends_with?(&1, [".ex", ".exs"]) and File.regular?(&1)))

  if existing == [] do
    {"skipped", "no Elixir files were written"}
  else
    before = Map.new(existing, &{&1, File.read!(&1)})

    try do
      Mix.Task.run("format", existing)
      changed = Enum.reject(existing, &(File.read!(&1) == before[&1]))

      if changed == [] do
        {"passed", "#{length(existing)} files already formatted"}
      else
        {"passed", "reformatted #{Enum.join(changed, ", ")}"}
      end
    rescue
      e in Mix.Error ->
        message = Exception.message(e)

        if message =~ "Unknown dependency" or message =~ "import_deps" or message =~ "Could not find an SCM" do
          format_without_deps.(existing, before)
        else
          {"failed", message}
        end
    end
  end
end)

deps_ok =
  step.("deps", fn ->
    try do
      Mix.Task.rerun("deps.loadpaths", [])
      {"passed", ""}
    rescue
      e in Mix.Error -> {"skipped", "dependencies are not fetched (#{Exception.message(e)}); run: mix deps.get"}
    end
  end) == "passed"

step.("compile", fn ->
  args = if deps_ok, do: ["--warnings-as-errors"], else: ["--warnings-as-errors", "--no-deps-check"]

  try do
    case Mix.Task.run("compile", args) do
      {:error, _} -> {"failed", "the compiler reported the problems below"}
      _ -> {"passed", ""}
    end
  catch
    :exit, {:shutdown, _} -> {"failed", "the compiler reported the problems below"}
  end
end)

credo_declared? = Enum.any?(Mix.Project.config()[:deps] || [], &(elem(&1, 0) == :credo))

step.("credo", fn ->
  sources = Enum.filter(files, &String.ends_with?(&1, [".ex", ".exs"]))

  cond do
    not credo_declared? ->
      {"skipped", "credo is not a dependency of this project"}

    not deps_ok or not Code.ensure_loaded?(Mix.Tasks.Credo) ->
      {"skipped", "credo is not fetched yet; run: mix deps.get"}

    sources == [] ->
      {"skipped", "no Elixir files were written"}

    true ->
      Mix.Task.run("credo", ["--strict", "--format", "flycheck" | sources])
      {"passed", ""}
  end
end)
