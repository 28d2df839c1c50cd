#!/usr/bin/env bash
# Benchmark of the `browser` check of `probe --sim` (the Web SDK flow in headless Chromium) in
# Chromium's headless shell, which the built-in page uses when it is installed, against the full
# `chromium --headless=new`, which it falls back to: ROUNDS interleaved runs of each in the same
# run, so both see the same machine load. Also prints the whole `probe --sim` run's wall time.
# Not part of the test suite: speed goals are measured here, never asserted in tests.
#
# Usage: benches/browser_flow.sh [ROUNDS]   (default 15; needs `scripts/test`'s set-up: chromium,
# chromium-headless-shell, the demo page's npm packages)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-15}
shell=${HEADLESS_SHELL:-/usr/lib/chromium/chromium-headless-shell}
full=${CHROMIUM:-/usr/lib/chromium/chromium}
for program in "$shell" "$full"; do
  [ -x "$program" ] || { echo "missing $program (scripts/apt/browser.txt lists it)" >&2; exit 2; }
done

cargo build --release --quiet --workspace
bin=target/release/agora-doctor
work=$(mktemp -d /tmp/agora-browser-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# `duration_ms` of the browser check (whose status must be pass), or `wall_ms` of the run.
field() { # json-file check-id|wall
  if [ "$2" = wall ]; then
    grep -o '"wall_ms": *[0-9]*' "$1" | grep -o '[0-9]*$'
  else
    tr -d '\n ' <"$1" | grep -o '"id":"browser","title":"[^"]*","status":"pass".*"duration_ms":[0-9]*' \
      | grep -o '"duration_ms":[0-9]*$' | grep -o '[0-9]*$'
  fi
}
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
max() { sort -n | tail -1; }

for round in $(seq "$rounds"); do
  for name in shell full whole; do
    case $name in
      shell) "$bin" probe --sim --only browser --json --chromium "$shell" >"$work/out.json" ;;
      full) "$bin" probe --sim --only browser --json --chromium "$full" >"$work/out.json" ;;
      whole) "$bin" probe --sim --json >"$work/out.json" ;;
    esac
    if [ $name = whole ]; then value=$(field "$work/out.json" wall); else value=$(field "$work/out.json" browser); fi
    [ -n "$value" ] || { echo "round $round ($name): the browser check did not pass" >&2; cat "$work/out.json" >&2; exit 1; }
    echo "$value" >>"$work/$name"
  done
  printf 'round %2d  headless shell %5d ms   full chromium %5d ms   whole probe --sim %5d ms\n' \
    "$round" "$(tail -1 "$work/shell")" "$(tail -1 "$work/full")" "$(tail -1 "$work/whole")"
done

s=$(median <"$work/shell"); f=$(median <"$work/full"); w=$(median <"$work/whole")
echo "browser check, median of $rounds: headless shell $s ms (max $(max <"$work/shell")), full chromium $f ms (max $(max <"$work/full"))"
awk -v s="$s" -v f="$f" 'BEGIN { printf "full/headless-shell = %.2f\n", f / s }'
echo "whole probe --sim (default: headless shell), median $w ms, max $(max <"$work/whole") ms"
