#!/usr/bin/env bash
# Install the demo page's npm packages (the real Agora Web SDK, 4.3.0 and 4.24.x) exactly as locked.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/npm-ci-locked.sh fixtures/web
