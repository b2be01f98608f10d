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

# Formats the written files without the formatter rules of deps that are not
# fetched yet (mix format cannot load a .formatter.exs whose import_deps are missing).
Code.require_file("format_fallback.exs", __DIR__)

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
          OtpgenFormatFallback.format(existing, before)
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
