#!/usr/bin/env bash
# `npm ci` in DIR exactly as its package-lock.json says, skipped when node_modules was installed from
# this very lock file; installs Debian's npm first when there is none. Used by scripts/setup.d/*.
# Usage: scripts/npm-ci-locked.sh DIR
set -euo pipefail
cd "$1"
if ! command -v npm >/dev/null 2>&1; then
  # Debian's nodejs does not carry npm; NodeSource's does (and conflicts with Debian's npm package).
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm
fi
stamp=node_modules/.agora-doctor-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
