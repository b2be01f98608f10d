#!/usr/bin/env bash
# The suite's second Elixir: Debian unstable's Elixir (1.20 on Erlang/OTP 29)
# in a chroot made by debootstrap, kept in a machine-wide cache so that later
# runs reuse it. Prints the chroot's path. Needs root (or sudo) to build.
#
#   OTPGEN_ELIXIR_NEXT_ROOT   where the chroot lives
#                             (default /var/cache/create-otp-app/elixir-next)
#   OTPGEN_DEBIAN_MIRROR      the Debian mirror (default: the one apt uses here)
set -euo pipefail

root=${OTPGEN_ELIXIR_NEXT_ROOT:-/var/cache/create-otp-app/elixir-next}
stamp="$root/.otpgen-ready"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"

if [ -f "$stamp" ] && [ -x "$root/usr/bin/elixir" ]; then
  echo "$root"
  exit 0
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  echo "elixir-next: installing debootstrap with apt-get" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

mirror=${OTPGEN_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  mirror=$(grep -rhoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
    | grep -oE 'https?://[^ ]+' | head -n 1 || true)
  mirror=${mirror:-http://deb.debian.org/debian}
fi

work="$root.partial"
$sudo rm -rf "$work"
$sudo mkdir -p "$(dirname "$root")"
echo "elixir-next: debootstrap sid into $work from $mirror" >&2
if ! $sudo debootstrap --variant=minbase sid "$work" "$mirror" >"$work.log" 2>&1; then
  echo "elixir-next: debootstrap failed; the last lines of $work.log:" >&2
  tail -n 5 "$work.log" >&2
  exit 1
fi
echo "elixir-next: installing elixir in the chroot" >&2
if ! $sudo chroot "$work" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
  sh -c 'apt-get install -y -qq --no-install-recommends elixir ca-certificates >/dev/null'; then
  echo "elixir-next: apt-get install elixir failed inside the chroot" >&2
  exit 1
fi
$sudo mkdir -p "$work/work"
$sudo chroot "$work" elixir --version | tail -n 1 >&2
$sudo rm -rf "$root" "$work.log"
$sudo mv "$work" "$root"
$sudo touch "$stamp"
echo "$root"
