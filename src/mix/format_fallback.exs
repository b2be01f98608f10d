# The check step's formatting for a project whose .formatter.exs imports deps
# that are not fetched yet (StreamData's rules, which the property tests bring; Oban's;
# Ecto's and Phoenix's in a new Phoenix app): mix format cannot load them, so
# the written files are formatted with the rest of .formatter.exs and the
# rules of those deps' macros that generated code uses. Required by check.exs;
# run alone (where Mix cannot load the project's deps at all, without Hex) as
#
#     elixir -r format_fallback.exs -e "OtpgenFormatFallback.main(System.argv())" FILE...
defmodule OtpgenFormatFallback do
  @known_locals [
    property: 1,
    property: 2,
    check: 1,
    check: 2,
    all: :*,
    assert_enqueued: 1,
    assert_enqueued: 2,
    refute_enqueued: 1,
    refute_enqueued: 2,
    field: 2,
    field: 3,
    timestamps: 0,
    timestamps: 1,
    add: 2,
    add: 3,
    create: 1,
    create: 2,
    plug: 1,
    plug: 2,
    socket: 2,
    socket: 3,
    channel: 2,
    channel: 3,
    live: 3,
    live: 4,
    get: 3,
    post: 3,
    delete: 3,
    pipe_through: 1,
    pipeline: 2,
    scope: 2,
    scope: 3
  ]

  @kept [
    :line_length,
    :force_do_end_blocks,
    :normalize_bitstring_modifiers,
    :normalize_charlists_as_sigils
  ]

  @doc "Formats `files` (whose text before was `before`); {status, detail} as the check step reports it."
  def format(files, before) do
    {config, _binding} =
      if File.regular?(".formatter.exs"), do: Code.eval_file(".formatter.exs"), else: {[], []}

    locals = Keyword.get(config, :locals_without_parens, []) ++ @known_locals
    opts = config |> Keyword.take(@kept) |> Keyword.put(:locals_without_parens, locals)

    for f <- files do
      formatted = IO.iodata_to_binary([Code.format_string!(File.read!(f), opts), "\n"])
      if formatted != File.read!(f), do: File.write!(f, formatted)
    end

    changed = Enum.reject(files, &(File.read!(&1) == before[&1]))

    done =
      if changed == [],
        do: "#{length(files)} files already formatted",
        else: "reformatted #{Enum.join(changed, ", ")}"

    {"passed", "#{done}, without the formatter rules of deps not fetched yet (run: mix deps.get)"}
  end

  @doc "Run alone: formats the files given, prints the detail; exit status 1 when a file does not parse."
  def main(files) do
    before = Map.new(files, &{&1, File.read!(&1)})
    {_status, detail} = format(files, before)
    IO.puts(detail)
  rescue
    e ->
      IO.puts(:stderr, "** " <> Exception.message(e))
      System.halt(1)
  end
end
