#!/usr/bin/env bash
# Benchmark of `probe --sim` with the voice room (two participants in headless Chromium; B must hear
# A's tone) as its browser check: ROUNDS runs of the whole `probe --sim --json`, each giving the run's
# wall time, the browser check's time and the slowest other check's time (all from the same run, so
# they see the same machine load), compared with the run's wall time before the room (1.17 s, median
# of 15 release runs, BENCHMARKS.md "probe --sim") and with the goal of 2.5 s.
# Not part of the test suite: speed goals are measured here, never asserted in tests.
#
# Usage: benches/room_wall.sh [ROUNDS]   (default 15; needs `scripts/test`'s set-up: chromium,
# chromium-headless-shell, the demo page's npm packages)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-15}
before_ms=1170
goal_ms=2500

cargo build --release --quiet --workspace
bin=target/release/agora-doctor
work=$(mktemp -d /tmp/agora-room-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Per-check "id duration_ms status" lines of one --json report.
checks() { python3 -c 'import json,sys
for c in json.load(open(sys.argv[1]))["checks"]: print(c["id"], c["duration_ms"], c["status"])' "$1"; }
wall() { grep -o '"wall_ms": *[0-9]*' "$1" | grep -o '[0-9]*$'; }
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
max() { sort -n | tail -1; }

for round in $(seq "$rounds"); do
  "$bin" probe --sim --json >"$work/out.json" || { echo "round $round: probe --sim failed" >&2; cat "$work/out.json" >&2; exit 1; }
  checks "$work/out.json" >"$work/checks"
  grep -q '^browser [0-9]* pass$' "$work/checks" || { echo "round $round: the room did not pass" >&2; cat "$work/out.json" >&2; exit 1; }
  w=$(wall "$work/out.json")
  b=$(awk '$1 == "browser" {print $2}' "$work/checks")
  slow=$(awk '$1 != "browser" {print $2, $1}' "$work/checks" | sort -n | tail -1)
  echo "$w" >>"$work/wall"; echo "$b" >>"$work/browser"; echo "${slow% *}" >>"$work/other"
  printf 'round %2d  whole %5d ms   browser (room) %5d ms   slowest other check %5d ms (%s)\n' \
    "$round" "$w" "$b" "${slow% *}" "${slow#* }"
done

w=$(median <"$work/wall"); b=$(median <"$work/browser"); o=$(median <"$work/other")
echo "median of $rounds: whole probe --sim $w ms (max $(max <"$work/wall")), room $b ms (max $(max <"$work/browser")), slowest other check $o ms"
awk -v w="$w" -v o="$o" -v p="$before_ms" -v g="$goal_ms" 'BEGIN {
  printf "whole / slowest other check = %.2f\n", w / o
  printf "whole / before the room (%d ms) = %.2f\n", p, w / p
  printf "goal <= %d ms: %s\n", g, (w <= g ? "met" : "missed")
}'
