#!/usr/bin/env bash
# Install what the production profile and its tests run on, from Debian's packages, if missing:
# redis-server, PostgreSQL (initdb/pg_ctl under /usr/lib/postgresql/*/bin) and nginx. Idempotent: when all three
# are there it does nothing (no network). The packages' own system services are not needed: the tests and
# scripts/run-cluster.sh start their own instances on loopback ports in temporary directories.
# Needs root (or sudo) only when something is missing. SKIP_SERVICE_INSTALL=1 skips it (the production tests
# are then skipped where a binary is missing).
set -euo pipefail

[ "${SKIP_SERVICE_INSTALL:-0}" = 1 ] && { echo "install-services: skipped (SKIP_SERVICE_INSTALL=1)"; exit 0; }

missing=()
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || missing+=(postgresql)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-services: redis-server, postgresql and nginx are installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-services: missing ${missing[*]} and no apt-get here: install them with your package manager" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-services: missing ${missing[*]}; run as root" >&2; exit 1; }
  SUDO="sudo"
fi

echo "install-services: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Do not start the packages' system-wide services on install (port 80/5432/6379 may be taken or not wanted);
# policy-rc.d is honoured by invoke-rc.d. Removed again afterwards unless it was there before.
policy=/usr/sbin/policy-rc.d
own_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null && $SUDO chmod +x "$policy" && own_policy=1
fi
cleanup() { [ "$own_policy" = 1 ] && $SUDO rm -f "$policy"; true; }
trap cleanup EXIT

# An old or empty package list makes apt-get install fail: update once, then install.
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-services: done"
