#!/usr/bin/env bash
# Install the token-server test fixture's npm packages (Agora's official agora-token) exactly as locked.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/npm-ci-locked.sh fixtures/token-server
