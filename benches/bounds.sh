#!/usr/bin/env bash
# Bounds under abuse (memory and time), measured on a release build in one run. Not part of the
# test suite: speed and memory goals are measured here, never asserted in tests.
#
# Usage: benches/bounds.sh [TOKENS] [FILES]   (defaults 100000 and 50000; work files under /tmp,
# deleted at the end). Prints, each with max RSS from /usr/bin/time:
#   1. `token -` on TOKENS lines (official vectors repeated): wall time, max RSS, and the time to
#      the first byte of output while stdin is still being written;
#   2. `scan` of a project of FILES files that each hold a token: wall time, max RSS;
#   3. `token … --cert-file /dev/zero`: exit code, wall time, max RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
tokens=${1:-100000}
files=${2:-50000}
work=$(mktemp -d /tmp/agora-bounds-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install time" >&2; exit 2; }
bin=${BIN:-target/release/agora-doctor}
if [ -z "${BIN:-}" ]; then cargo build --release --quiet --bin agora-doctor; fi

t006=006970CA35de60c44645bbae8a215061b33IABNRUO/126HmzFc+J8lQFfnkssUdUXqiePeE2WNZ7lyubdIfRAh39v0EAABAAAAR/QQAAEAAQCvKDdW
t007=007eJxTYJgT3rumdJdoWJpC3aNTb4o76swyLsrHvmznOn/x1cQM9gcKDJbmBs6OxqYpqWYGySYmZiamSUmJqRaJRoamBmaGScbG7l8EGCKYGBgYGUCYHYiZwXwQ+P8fAADUHTQ=

rss() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }

# 1. token - : whole run, then the first byte with stdin held open.
python3 - "$work/tokens.txt" "$tokens" "$t006" "$t007" <<'PY'
import sys
path, n, a, b = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(path, "w") as f:
    for i in range(n):
        f.write((a if i % 2 else b) + "\n")
PY
start=$(date +%s.%N)
/usr/bin/time -v "$bin" token - --json <"$work/tokens.txt" >"$work/tokens.json" 2>"$work/time1" || true
end=$(date +%s.%N)
first_ms=$(python3 - "$bin" "$t007" <<'PY'
import subprocess, sys, time
p = subprocess.Popen([sys.argv[1], "token", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
t0 = time.monotonic()
p.stdin.write((sys.argv[2] + "\n").encode()); p.stdin.flush()
p.stdout.read(1)
ms = (time.monotonic() - t0) * 1000
p.stdin.close(); p.stdout.read(); p.wait()
print(f"{ms:.1f}")
PY
)
printf 'token - on %d tokens: %.2f s, max RSS %d KB; first byte %s ms after the first line (stdin open)\n' \
  "$tokens" "$(echo "$end - $start" | bc)" "$(rss "$work/time1")" "$first_ms"

# 2. scan of FILES files holding tokens.
python3 - "$work/app" "$files" "$t006" "$t007" <<'PY'
import os, sys
root, n, a, b = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
for i in range(n):
    d = os.path.join(root, "src", f"m{i // 200}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"c{i}.js"), "w") as f:
        f.write(f'export const token{i} = "{a if i % 2 else b}";\nexport const channel = "room{i % 7}";\n')
PY
start=$(date +%s.%N)
/usr/bin/time -v "$bin" scan "$work/app" --json >/dev/null 2>"$work/time2" || true
end=$(date +%s.%N)
printf 'scan of %d files holding tokens: %.2f s, max RSS %d KB\n' \
  "$files" "$(echo "$end - $start" | bc)" "$(rss "$work/time2")"

# 3. an endless certificate.
start=$(date +%s.%N)
code=0
/usr/bin/time -v "$bin" token "$t006" --cert-file /dev/zero >/dev/null 2>"$work/time3" || code=$?
end=$(date +%s.%N)
printf 'token --cert-file /dev/zero: exit %s in %.3f s, max RSS %d KB\n' \
  "$code" "$(echo "$end - $start" | bc)" "$(rss "$work/time3")"
