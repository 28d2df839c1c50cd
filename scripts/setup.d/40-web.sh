#!/usr/bin/env bash
# Install the demo page's npm packages (the real Agora Web SDK, 4.3.0 and 4.24.x) exactly as locked.
set -euo pipefail
cd "$(dirname "$0")/../../fixtures/web"
if ! command -v npm >/dev/null 2>&1; then
  # Debian's nodejs does not carry npm; NodeSource's does (and conflicts with Debian's npm package).
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm
fi
# Skip the download when node_modules was installed from this very lock file.
stamp=node_modules/.agora-doctor-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
