#!/usr/bin/env bash
# Benchmark of `agora-doctor scan` on a generated app project of FILES files (default 10000), against
# `rg --files` listing the same files, in the same run. Not part of the test suite: speed goals are
# measured here, never asserted in tests.
#
# Usage: benches/scan.sh [FILES]   (the project is generated under /tmp and deleted at the end)
# BIN=path/to/agora-doctor uses that binary instead of building one.
# Prints the best and median wall time of RUNS=15 interleaved runs of each command (warm page cache;
# one untimed run of each first) and the ratio scan/rg. The project holds only folders scan walks
# (no node_modules, build output or .git), so both commands visit the same files: rg lists them
# (hidden files included, no ignore files), scan reads every source file among them and checks it.
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-10000}
runs=${RUNS:-15}
work=$(mktemp -d /tmp/agora-scan-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

command -v rg >/dev/null || { echo "ripgrep (rg) is needed: apt-get install ripgrep (scripts/apt/scan.txt)" >&2; exit 2; }
bin=${BIN:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet --bin agora-doctor
  bin=target/release/agora-doctor
fi

# An app-shaped tree: JS/TS components with Agora calls, JSON, Dart/Kotlin/Swift sources, .env files,
# markdown and CSS (listed, not read) and PNGs (binary, passed over by name), 40 files a folder.
python3 - "$work/app" "$files" <<'PY'
import os, random, sys
root, total = sys.argv[1], int(sys.argv[2])
random.seed(19)
js = """import AgoraRTC from "agora-rtc-sdk-ng";
const client = AgoraRTC.createClient({{ mode: "rtc", codec: "vp8" }});
export async function start{n}(channel, uid) {{
  const token = await fetchToken(channel, uid);
  await client.join(import.meta.env.VITE_AGORA_APP_ID, channel, token, uid);
  const mic = await AgoraRTC.createMicrophoneAudioTrack();
  await client.publish([mic]);
  client.on("user-published", async (user, mediaType) => {{ await client.subscribe(user, mediaType); }});
  client.on("user-left", (user) => document.getElementById(`u-${{user.uid}}`)?.remove());
}}
""" + "// filler line of an ordinary component, nothing Agora about it at all {n}\n" * 40
kinds = [("js", 35), ("ts", 10), ("json", 15), ("dart", 5), ("kt", 5), ("swift", 5), ("md", 10), ("css", 8), ("png", 6), ("env", 1)]
names = [k for k, w in kinds for _ in range(w)]
for i in range(total):
    d = os.path.join(root, f"src/module{i // 400}/part{(i // 40) % 10}")
    os.makedirs(d, exist_ok=True)
    kind = names[i % len(names)]
    if kind == "env":
        path, body = os.path.join(d, f".env.part{i}"), f"VITE_AGORA_CHANNEL=room{i}\n"
    elif kind == "png":
        path, body = os.path.join(d, f"icon{i}.png"), None
        open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + bytes(random.randrange(256) for _ in range(2048)))
        continue
    elif kind == "json":
        path, body = os.path.join(d, f"data{i}.json"), '{"name": "item%d", "channel": "room%d", "values": [1, 2, 3]}\n' % (i, i)
    elif kind in ("md", "css"):
        path, body = os.path.join(d, f"doc{i}.{kind}"), "Some text about the component.\n" * 20
    else:
        path, body = os.path.join(d, f"File{i}.{kind}"), js.format(n=i)
    open(path, "w").write(body)
PY
listed=$(rg --files --hidden --no-ignore "$work/app" | wc -l)
echo "project: $listed files under $work/app"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_ms() {  # run "$@" once, print wall milliseconds
  local t0 t1
  t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
scan=( "$bin" scan "$work/app" --json --now 2026-11-25T00:00:00Z )
list=( rg --files --hidden --no-ignore "$work/app" )
"${scan[@]}" >/dev/null 2>&1 || true; "${list[@]}" >/dev/null
: > "$work/scan.ms"; : > "$work/rg.ms"
for _ in $(seq "$runs"); do
  time_ms "${scan[@]}" >> "$work/scan.ms"
  time_ms "${list[@]}" >> "$work/rg.ms"
done
# The generated code has findings (exit 1): only the document is read here.
read_files=$( ("${scan[@]}" || true) | python3 -c "import json,sys; d=json.load(sys.stdin); print(d['files_seen'], d['files_scanned'], len(d['findings']))")
s_best=$(sort -n "$work/scan.ms" | sed -n 1p); s_med=$(median < "$work/scan.ms")
r_best=$(sort -n "$work/rg.ms" | sed -n 1p); r_med=$(median < "$work/rg.ms")
echo "scan (files seen, read, findings): $read_files"
echo "agora-doctor scan: best ${s_best} ms, median ${s_med} ms"
echo "rg --files:        best ${r_best} ms, median ${r_med} ms"
python3 -c "print(f'ratio scan/rg (median): {max($s_med,1)/max($r_med,1):.1f}x')"
