#!/usr/bin/env bash
# Install the loopback npm registry (verdaccio) scripts/npm-e2e.sh publishes the npm package to,
# exactly as locked in scripts/verdaccio/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/../verdaccio"
stamp=node_modules/.agora-doctor-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
