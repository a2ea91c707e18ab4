#!/usr/bin/env bash
# Installs what PhotonCloud's commands and tests need on a Debian 12 host, idempotently:
# the npm packages (when node_modules is missing or older than package-lock.json) and the
# Debian packages listed in scripts/host-packages.txt (only those not yet installed).
# Debian's server packages start their daemons on install; a temporary policy-rc.d stops
# that, because tests run their own instances on loopback ports.
set -euo pipefail
quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1
say() { [ "$quiet" = 1 ] || echo "setup-host: $*"; }
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup-host: installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

mapfile -t wanted < <(grep -vE '^\s*(#|$)' scripts/host-packages.txt | awk '{print $1}')
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  say "all ${#wanted[@]} host packages present"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "setup-host: missing Debian packages: ${missing[*]}; run this script as root (sudo $0)" >&2
  exit 1
fi
echo "setup-host: installing Debian packages: ${missing[*]}" >&2
policy=/usr/sbin/policy-rc.d
had_policy=0
[ -e "$policy" ] && had_policy=1
if [ "$had_policy" = 0 ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  trap 'rm -f "$policy"' EXIT
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
say "installed ${#missing[@]} packages"
