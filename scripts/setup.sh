#!/usr/bin/env bash
# Sets up a fresh machine for create-otp-app development: every tool the test
# suite touches, the npm dependencies, and the built CLI in dist/.
#
# Each tool is checked on its own; whatever is missing is installed with
# apt-get (Debian), so a machine that has some of them gets the rest.
#   mix, elixir          Debian's Elixir 1.14, the oldest Elixir we support
#   erlang-dev           headers for NIF-building deps and :erl_interface
#   dialyzer             the Dialyzer test of generated code
#   git                  create-otp-app's `git init` task
#   python3              test/e2e/run_in_pty.py drives the prompts at a real pty
#   debootstrap          builds the Elixir 1.20 chroot (scripts/elixir-next.sh)
#   rebar3               builds the Erlang deps of generated projects (telemetry,
#                        poolboy, ranch), installed into each MIX_HOME by the tests
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"

# command -> Debian package that provides it
declare -A wanted=(
  [mix]=elixir
  [elixir]=elixir
  [dialyzer]=erlang-dialyzer
  [git]=git
  [python3]=python3
  [debootstrap]=debootstrap
  [rebar3]=rebar3
)
missing=()
for tool in "${!wanted[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${wanted[$tool]}")
done
# erlang-dev has no command of its own: look for its headers.
erl_root=$(erl -noshell -eval 'io:format("~s", [code:root_dir()]), halt().' 2>/dev/null || true)
if [ -z "$erl_root" ] || ! ls "$erl_root"/usr/include/erl_nif.h >/dev/null 2>&1; then
  missing+=(erlang-dev)
fi

if [ ${#missing[@]} -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  echo "setup: installing ${missing[*]} with apt-get" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for tool in "${!wanted[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "setup: $tool is still missing after apt-get install" >&2; exit 1; }
done
mix --version | tail -n 1

npm ci --no-audit --no-fund
npm run build

# The second Elixir of the suite (1.20 on OTP 29, from Debian unstable) in a
# cached chroot; the tests that need it fail with its reason when it is absent.
bash scripts/elixir-next.sh
