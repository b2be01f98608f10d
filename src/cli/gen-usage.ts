// `gen --help`: printed by gen-main.ts, and by bin/load.cjs without starting
// the bundle (the build writes it to dist/gen-usage.txt).
export const GEN_USAGE = `Usage: gen <generator> [args] [options]

Generators that write idiomatic Elixir/OTP modules into the Mix project
around the current directory, wire them into the supervision tree, and check
the result with mix format, the compiler and credo.

Commands:
  gen                          at a terminal: pick a generator from a list
  gen list                     list the generators (the team's own included)
  gen <generator> --help       options and examples of one generator
  gen tree [--mermaid|--json]  the supervision tree, read from the source
  gen inspect [--json|--markdown] [--out FILE] [--app NAME]
                               the project's architecture in one document:
                               tree, processes, Phoenix, Ecto, distribution,
                               deployment, telemetry, gates, generated runs,
                               findings, and what could not be read
  gen eject <generator>        copy a generator's templates into .otpgen/templates
  gen templates diff <g>       what changed upstream in templates you ejected
  gen doctor [--ci]            check the team folder and the OTP code
                               (--ci: exit 1 on any finding; in an
                               umbrella, each app, or --app NAME's)
  gen status [--json]          the recorded runs' files: as written, edited,
                               deleted, or behind the templates (at an
                               umbrella's root: its own runs; --app NAME
                               for an app's)
  gen undo [RUN] [--dry-run]   take back the last run (or RUN), keeping your
                               later edits elsewhere (--force: edits there too)
  gen upgrade [GEN|RUN]        re-plan recorded runs on today's templates and
                               merge them into your files (--dry-run, --check
                               for CI, --no-conflict-markers)

Options:
  -h, --help                   show this help
  -v, --version                show the version
`;
