#!/usr/bin/env bash
# Sets up a fresh machine for create-otp-app development: Elixir (for the
# checks and the tests), the npm dependencies, and the built CLI in dist/.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v mix >/dev/null 2>&1; then
  echo "setup: installing Elixir and Erlang with apt-get" >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq elixir erlang-dev git >/dev/null
fi
mix --version | tail -n 1

npm ci --no-audit --no-fund
npm run build
