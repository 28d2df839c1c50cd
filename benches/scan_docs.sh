#!/usr/bin/env bash
# Benchmark of `agora-doctor scan` on a repository shaped like an SDK's: a small app beside a
# documentation site of SIZE_MB megabytes (default 150: generated HTML API pages with Agora calls in
# their examples, a search index, MkDocs' marker file) and a node_modules of 2,000 files. The site and
# node_modules are left out unread, so the scan's time and memory follow the app, not the repository.
#
# Usage: benches/scan_docs.sh [SIZE_MB]   (the repository is generated under /tmp and deleted at the end)
# BIN=path/to/agora-doctor uses that binary instead of building one.
# Prints the best and median wall time and the largest max RSS of RUNS=9 runs (warm page cache).
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-150}
runs=${RUNS:-9}
work=$(mktemp -d /tmp/agora-scan-docs.XXXXXX)
trap 'rm -rf "$work"' EXIT
bin=${BIN:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet --bin agora-doctor
  bin=target/release/agora-doctor
fi

python3 - "$work/repo" "$size" <<'PY'
import os, sys
root, mb = sys.argv[1], int(sys.argv[2])
os.makedirs(f"{root}/src", exist_ok=True)
open(f"{root}/package.json", "w").write('{"name":"app","dependencies":{"agora-rtc-sdk-ng":"^4.24.8"}}\n')
open(f"{root}/src/main.js", "w").write('import AgoraRTC from "agora-rtc-sdk-ng";\nconst client = AgoraRTC.createClient({ mode: "rtc", codec: "vp8" });\nexport async function start(appId, channel, token, uid) {\n  await client.join(appId, channel, token, uid);\n  await client.publish([await AgoraRTC.createMicrophoneAudioTrack()]);\n}\n')
page = ("<html><body><pre><code>await client.join(APP_ID, \"demo\", \"\", null);\nclient.publish([track]);\n"
        "const appId = \"YOUR_APP_ID\";</code></pre>" + "<p>Reference text of the API page.</p>\n" * 120 + "</body></html>\n")
os.makedirs(f"{root}/docs/api", exist_ok=True)
open(f"{root}/docs/mkdocs.yml", "w").write("site_name: API\n")
written, i = 0, 0
while written < mb * 1024 * 1024:
    d = f"{root}/docs/api/section{i // 500}"
    os.makedirs(d, exist_ok=True)
    open(f"{d}/page{i}.html", "w").write(page)
    written += len(page); i += 1
open(f"{root}/docs/search_index.json", "w").write('{"docs":[' + ",".join('{"t":"join %d"}' % n for n in range(200000)) + "]}\n")
for n in range(2000):
    d = f"{root}/node_modules/pkg{n // 50}"
    os.makedirs(d, exist_ok=True)
    open(f"{d}/index{n}.js", "w").write("module.exports = function () { return client.join(a, b, '', null); };\n")
print(f"docs pages: {i}")
PY
echo "repository: $(du -sm "$work/repo" | cut -f1) MB, docs $(du -sm "$work/repo/docs" | cut -f1) MB, $(find "$work/repo" -type f | wc -l) files"
"$bin" scan "$work/repo" --json --now 2026-11-25T00:00:00Z >/dev/null || true
: > "$work/runs"
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%e %M" -o "$work/one" "$bin" scan "$work/repo" --json --now 2026-11-25T00:00:00Z >/dev/null || true
  cat "$work/one" >> "$work/runs"
done
"$bin" scan "$work/repo" --now 2026-11-25T00:00:00Z | grep -E "^not app code|problems|no problems" || true
python3 - "$work/runs" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
wall = sorted(float(r[0]) * 1000 for r in rows); rss = max(int(r[1]) for r in rows)
print(f"agora-doctor scan: best {wall[0]:.0f} ms, median {wall[len(wall) // 2]:.0f} ms, max RSS {rss / 1024:.1f} MB ({len(rows)} runs)")
PY
