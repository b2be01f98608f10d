#!/usr/bin/env bash
# The suite's second Elixir: Debian unstable's Elixir (1.20 on Erlang/OTP 29)
# in a chroot made by debootstrap, kept in a machine-wide cache so that later
# runs reuse it. Prints the chroot's path. Needs root (or sudo) to build.
#
# Inside it, besides Elixir: what the real Hex libraries need to build and run
# (rebar3 for Erlang deps; make, cmake, a C/C++ compiler and erlang-dev for
# the NIFs of lazy_html and bcrypt_elixir; git for phx.new's git deps; xz for
# lexbor's seed) and PostgreSQL for the Ecto and LiveView tests.
#
#   OTPGEN_ELIXIR_NEXT_ROOT   where the chroot lives
#                             (default /var/cache/create-otp-app/elixir-next)
#   OTPGEN_DEBIAN_MIRROR      the Debian mirror (default: the one apt uses here)
set -euo pipefail

# Everything below runs with a clean environment: the caller's variables
# (TMPDIR above all, which points at a folder the chroot does not have and
# made the postinsts of ca-certificates, ssl-cert and dictionaries-common fail
# with mktemp errors) never reach debootstrap or apt-get in the chroot. Only
# PATH, HOME and this script's own OTPGEN_* settings are kept.
if [ -z "${OTPGEN_ELIXIR_NEXT_CLEAN:-}" ]; then
  keep=(OTPGEN_ELIXIR_NEXT_CLEAN=1 "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "HOME=${HOME:-/root}" LANG=C.UTF-8)
  [ -n "${OTPGEN_ELIXIR_NEXT_ROOT:-}" ] && keep+=("OTPGEN_ELIXIR_NEXT_ROOT=$OTPGEN_ELIXIR_NEXT_ROOT")
  [ -n "${OTPGEN_DEBIAN_MIRROR:-}" ] && keep+=("OTPGEN_DEBIAN_MIRROR=$OTPGEN_DEBIAN_MIRROR")
  exec env -i "${keep[@]}" bash "$0" "$@"
fi

root=${OTPGEN_ELIXIR_NEXT_ROOT:-/var/cache/create-otp-app/elixir-next}
stamp="$root/.otpgen-ready"
# Bump when PACKAGES changes: an older chroot gets the new packages in place.
level=2
PACKAGES="elixir erlang-dev erlang-dialyzer erlang-xmerl erlang-os-mon ca-certificates rebar3 make cmake gcc g++ git xz-utils postgresql"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"

if [ -f "$stamp" ] && [ -x "$root/usr/bin/elixir" ] && [ "$(cat "$stamp")" = "$level" ]; then
  echo "$root"
  exit 0
fi

# apt-get inside a chroot, with /proc mounted (postinsts such as
# ca-certificates' and PostgreSQL's read it) and policy-rc.d refusing to start
# services (there is no init); retried once, since a postinst can fail once.
in_chroot_apt() {
  local dir=$1; shift
  $sudo mkdir -p "$dir/proc" "$dir/usr/sbin"
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$dir/usr/sbin/policy-rc.d" >/dev/null
  $sudo chmod +x "$dir/usr/sbin/policy-rc.d"
  mountpoint -q "$dir/proc" || $sudo mount -t proc proc "$dir/proc"
  local ok=1 try
  for try in 1 2; do
    if $sudo chroot "$dir" /usr/bin/env DEBIAN_FRONTEND=noninteractive sh -c \
      "apt-get -o Acquire::Check-Valid-Until=false update -qq && dpkg --configure -a && apt-get install -y -qq --no-install-recommends $*" \
      >>"$dir.apt.log" 2>&1; then
      ok=0; break
    fi
    echo "elixir-next: apt-get in the chroot failed (try $try); the last lines of $dir.apt.log:" >&2
    tail -n 5 "$dir.apt.log" >&2
  done
  $sudo umount "$dir/proc" || true
  $sudo rm -f "$dir/usr/sbin/policy-rc.d"
  return $ok
}

if [ -f "$stamp" ] && [ -x "$root/usr/bin/elixir" ]; then
  echo "elixir-next: adding the build tools and PostgreSQL to $root" >&2
  in_chroot_apt "$root" "$PACKAGES"
  echo "$level" | $sudo tee "$stamp" >/dev/null
  $sudo rm -f "$root.apt.log"
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
if mountpoint -q "$work/proc" 2>/dev/null; then $sudo umount "$work/proc"; fi
$sudo rm -rf "$work" "$work.apt.log"
$sudo mkdir -p "$(dirname "$root")"
echo "elixir-next: debootstrap sid into $work from $mirror" >&2
ok=1
for try in 1 2; do
  if $sudo debootstrap --variant=minbase sid "$work" "$mirror" >"$work.log" 2>&1; then ok=0; break; fi
  echo "elixir-next: debootstrap failed (try $try); the last lines of $work.log:" >&2
  tail -n 5 "$work.log" >&2
  $sudo rm -rf "$work"
done
[ $ok = 0 ] || exit 1
echo "elixir-next: installing elixir, the build tools and PostgreSQL in the chroot" >&2
if ! in_chroot_apt "$work" "$PACKAGES"; then
  echo "elixir-next: apt-get install failed inside the chroot" >&2
  exit 1
fi
$sudo mkdir -p "$work/work"
$sudo chroot "$work" elixir --version | tail -n 1 >&2
$sudo rm -rf "$root" "$work.log" "$work.apt.log"
$sudo mv "$work" "$root"
echo "$level" | $sudo tee "$stamp" >/dev/null
echo "$root"
