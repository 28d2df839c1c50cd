#!/usr/bin/env bash
# Build the npm package (npm/, the Linux x64 binary in dist/linux-x64/) into target/npm/ and print
# the tarball's path. `scripts/npm-pack.sh [BINARY]`: package BINARY instead of building
# target/release/agora-doctor. The binary carries the demo page and the SDK double; nothing else
# goes beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-}
if [ -z "$binary" ]; then
  cargo build --release --locked >&2
  binary=target/release/agora-doctor
fi
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
stage=target/npm/package
rm -rf "$stage"
mkdir -p "$stage/dist/linux-x64"
cp -r npm/. "$stage/"
cp "$binary" "$stage/dist/linux-x64/agora-doctor"
chmod 755 "$stage/dist/linux-x64/agora-doctor" "$stage/bin/agora-doctor.js"
node -e '
  const fs = require("fs"); const f = process.argv[1];
  const p = JSON.parse(fs.readFileSync(f, "utf8")); p.version = process.argv[2];
  fs.writeFileSync(f, JSON.stringify(p, null, 2) + "\n");' "$stage/package.json" "$version"
out="$PWD/target/npm"
tarball=$(cd "$out" && npm pack ./package --loglevel=error --pack-destination . | tail -1)
echo "$out/$tarball"
