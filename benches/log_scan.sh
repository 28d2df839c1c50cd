#!/usr/bin/env bash
# Benchmark of `agora-doctor explain --log` against ripgrep (`rg -c -F -f <patterns>`) and GNU grep
# (`grep -c -F -f <patterns>`) on the same generated log and the same literals, in the same run, every
# program writing to a pipe. Not part of the test suite: speed goals are measured here, never asserted
# in tests.
#
# Usage: benches/log_scan.sh [SIZE_MB]   (default 1024, i.e. ~1 GB; the log is deleted at the end)
# BASELINE_BIN=path/to/agora-doctor adds another build (e.g. an earlier commit's) to the same rounds.
# Prints each throughput (MB/s, best of RUNS=3 runs each, interleaved, wall clock and CPU time; the CPU
# figure is the steadier one on a shared machine) and the ratios explain/rg and explain/grep.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
runs=${RUNS:-3}
work=$(mktemp -d /tmp/agora-log-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin agora-doctor
bin=target/release/agora-doctor

# The same literals the scanner's automaton holds: every entry's `codes` and `patterns` (front matter of
# src/explain/catalog/*.md; a trailing `*` marks a prefix and is dropped) plus the paste-shape triggers
# (`SHAPE_TRIGGERS` in src/explain/matcher.rs).
python3 - "$work/patterns.txt" <<'PY'
import sys, tomllib, pathlib, re, json
out = []
for f in sorted(pathlib.Path("src/explain/catalog").glob("*.md")):
    fm = f.read_text().split("+++\n")[1]
    d = tomllib.loads(fm)
    out += [p.removesuffix("*") for p in d.get("codes", []) + d.get("patterns", [])]
src = pathlib.Path("src/explain/matcher.rs").read_text()
triggers = src.split("pub const SHAPE_TRIGGERS")[1].split("];")[0]
out += [json.loads(t) for t in re.findall(r'"(?:[^"\\]|\\.)*"', triggers)]
pathlib.Path(sys.argv[1]).write_text("\n".join(dict.fromkeys(out)) + "\n")
print(f"{len(dict.fromkeys(out))} patterns", file=sys.stderr)
PY

# A ~4 MB block of console lines, 1 in 200 an error line (several shapes), repeated to SIZE_MB.
python3 - "$work/block.log" <<'PY'
import sys, random
random.seed(7)
normal = [
    "{t} Agora-SDK [INFO]: [client-{c}] connection state change: CONNECTING -> CONNECTED",
    "{t} Agora-SDK [DEBUG]: [client-{c}] receive message from gateway: {{\"type\":\"ping\",\"seq\":{n}}}",
    "{t} Agora-SDK [INFO]: [track-mic-{c}] audio level {n}, volume 100, muted false",
    "{t} Agora-SDK [INFO]: [client-{c}] user-published: {n}, mediaType audio",
    "{t} app.js:212 render frame {n} took 3 ms, {n} nodes updated in the voice room list",
    "{t} Agora-SDK [DEBUG]: [pc-{c}] ice connection state checking -> connected, candidate pair udp {n}",
]
errors = [
    "E/flutter (16566): [ERROR:flutter/lib/ui/ui_dart_state.cc(209)] Unhandled Exception: AgoraRtcException(-17, null)",
    "I/flutter (16566): onError: ErrorCodeType.errInvalidToken",
    "I/flutter (16566): onConnectionStateChanged(state: 5, reason: 8)",
    "12-09 {t}.078  4803  4803 E AndroidRuntime: java.lang.UnsatisfiedLinkError: dlopen failed: library \"libagora-rtc-sdk.so\" not found",
    "I/flutter ( 3302): Login error: login failed errorCode:5",
    "ERROR   ({t}:998 |    0)   9735; [cm] onError: 110",
    "{t} Agora-SDK [WARNING]: [client-{c}] Choose server https://webrtc2-ap-web-1.agora.io/api/v1 failed, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic key expired, retry: false",
    "{t} Agora-SDK [ERROR]: [client-{c}] join number: 1, Joining channel failed, rollback AgoraRTCException: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: flag: 4096, message: AgoraRTCError CAN_NOT_GET_GATEWAY_SERVER: dynamic use static key",
    "Uncaught (in promise) AgoraRTCException: AgoraRTCError INVALID_OPERATION: Can't publish stream, haven't joined yet!",
    "Uncaught TypeError: Cannot read property 'remove' of null",
    "{t} Agora-SDK [ERROR]: [track-mic-{c}] AgoraRTCError NOT_READABLE: NotReadableError: Could not start audio source",
]
lines = []
size = 0
while size < 4 << 20:
    t = f"{random.randrange(24):02}:{random.randrange(60):02}:{random.randrange(60):02}:{random.randrange(1000)}"
    pool = errors if random.randrange(200) == 0 else normal
    l = random.choice(pool).format(t=t, c=f"{random.randrange(16**5):05x}", n=random.randrange(10**6)) + "\n"
    lines.append(l)
    size += len(l)
open(sys.argv[1], "w").write("".join(lines))
PY
block_mb=$(( $(stat -c %s "$work/block.log") ))
reps=$(( size_mb * 1048576 / block_mb + 1 ))
for _ in $(seq "$reps"); do cat "$work/block.log"; done > "$work/big.log"
rm "$work/block.log"
bytes=$(stat -c %s "$work/big.log")
echo "log: $work/big.log, $bytes bytes; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "grep: $(grep --version | head -1); rg: $(rg --version | head -1)"
echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' (with uncommitted changes)'); date: $(date -u '+%Y-%m-%d %H:%M UTC')"
cat "$work/big.log" > /dev/null  # warm the page cache for all three

# Wall-clock and CPU (user+sys, the whole pipeline) seconds of one run, its output into a pipe (GNU
# grep notices a /dev/null stdout and stops at the first match, which would time nothing).
measure() {
  local TIMEFORMAT='%R %U %S' t
  t=$( { time "$@" 2>/dev/null | cat > /dev/null; } 2>&1 ) || true
  echo "$t" | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }'
}
best() { sort -n -k1,1 | head -1; }

# Interleaved rounds, so a load spike on the shared machine hits all three alike.
: > "$work/t.explain"; : > "$work/t.rg"; : > "$work/t.grep"; : > "$work/t.base"
for _ in $(seq "$runs"); do
  measure "$bin" explain --log "$work/big.log" >> "$work/t.explain"
  if [ -n "${BASELINE_BIN:-}" ]; then measure "$BASELINE_BIN" explain --log "$work/big.log" >> "$work/t.base"; fi
  measure rg -c -F -f "$work/patterns.txt" "$work/big.log" >> "$work/t.rg"
  measure env LC_ALL=C grep -c -F -f "$work/patterns.txt" "$work/big.log" >> "$work/t.grep"
done
explain_t=$(best < "$work/t.explain")
rg_t=$(best < "$work/t.rg")
grep_t=$(best < "$work/t.grep")

"$bin" explain --log "$work/big.log" --json > "$work/out.json" || true
echo "explain --log found: $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(e["count"] for e in d["problems"]), "problem lines,", len(d["problems"]), "distinct problems,", sum(n["count"] for n in d["noise"]), "noise lines,", d["unrecognised"]["count"], "not recognised,", len(d["timeline"]["events"]), "timeline events kept; read as", d["format"]["label"])' "$work/out.json")"
# Peak memory (max RSS) of one run, measured by the kernel for the child (ru_maxrss, KiB).
echo "explain --log max RSS: $(python3 -c 'import resource,subprocess,sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "KiB")' "$bin" explain --log "$work/big.log")"
echo "rg -c matching lines: $(rg -c -F -f "$work/patterns.txt" "$work/big.log" || true)"
echo "grep -c matching lines: $(LC_ALL=C grep -c -F -f "$work/patterns.txt" "$work/big.log" || true)"
mbps() { echo "scale=1; $bytes / 1048576 / $1" | bc -l; }
read -r ew ec <<< "$explain_t"
read -r rw rc <<< "$rg_t"
read -r gw gc <<< "$grep_t"
printf '%-28s %8s s wall %8s MB/s   %8s s cpu %8s MB/s\n' "agora-doctor explain --log" "$ew" "$(mbps "$ew")" "$ec" "$(mbps "$ec")"
printf '%-28s %8s s wall %8s MB/s   %8s s cpu %8s MB/s\n' "rg -c -F -f patterns" "$rw" "$(mbps "$rw")" "$rc" "$(mbps "$rc")"
printf '%-28s %8s s wall %8s MB/s   %8s s cpu %8s MB/s\n' "grep -c -F -f patterns" "$gw" "$(mbps "$gw")" "$gc" "$(mbps "$gc")"
if [ -n "${BASELINE_BIN:-}" ]; then
  read -r bw bc <<< "$(best < "$work/t.base")"
  printf '%-28s %8s s wall %8s MB/s   %8s s cpu %8s MB/s\n' "baseline explain --log" "$bw" "$(mbps "$bw")" "$bc" "$(mbps "$bc")"
  printf 'ratio baseline/rg throughput:  wall %s, cpu %s\n' "$(echo "scale=2; $rw / $bw" | bc -l)" "$(echo "scale=2; $rc / $bc" | bc -l)"
fi
printf 'ratio explain/rg throughput:   wall %s, cpu %s\n' "$(echo "scale=2; $rw / $ew" | bc -l)" "$(echo "scale=2; $rc / $ec" | bc -l)"
printf 'ratio explain/grep throughput: wall %s, cpu %s\n' "$(echo "scale=2; $gw / $ew" | bc -l)" "$(echo "scale=2; $gc / $ec" | bc -l)"
