#!/usr/bin/env bash
# Install the loopback npm registry (verdaccio) scripts/npm-e2e.sh publishes the npm package to,
# exactly as locked in scripts/verdaccio/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/npm-ci-locked.sh scripts/verdaccio
