#!/usr/bin/env bash
# Benchmark of `agora-doctor token` (release build, end to end through the binary) against decoding the
# same 007 tokens with Agora's official Node package `agora-token` (pinned in benches/node/package.json
# and package-lock.json, installed here with `npm ci`, for this benchmark only).
# Not part of the test suite: speed goals are measured here, never asserted in tests.
#
# Usage: benches/token_vs_node.sh [N_TOKENS] [N_INVOCATIONS]   (defaults 2000 and 30)
# Prints, measured in this one run:
#   1. batch: N tokens decoded + signature-verified in ONE process each way (agora-doctor `token -`
#      reading stdin; node `AccessToken2.from_string` + `verifySignature`), wall time incl. start-up;
#   2. per invocation: one token per process, mean wall time over N_INVOCATIONS runs each way;
# and the ratio node/agora-doctor for both (> 1 means agora-doctor is faster).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
runs=${2:-30}
work=$(mktemp -d /tmp/agora-token-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
# A sample certificate (not a real project's), so the signature check really runs.
export AGORA_APP_CERTIFICATE=5CFd2fd1755d40ecb72977518be15d3b
app_id=970CA35de60c44645bbae8a215061b33

if [ -z "${AGORA_DOCTOR_BIN:-}" ]; then
  cargo build --release --quiet --bin agora-doctor
fi
bin=${AGORA_DOCTOR_BIN:-$PWD/target/release/agora-doctor}
(cd benches/node && npm ci --silent --no-audit --no-fund >/dev/null)

# N distinct tokens from the official builder (channel and uid vary).
node -e '
const { RtcTokenBuilder, RtcRole } = require("./benches/node/node_modules/agora-token");
const [n, appId, cert] = [Number(process.argv[1]), process.argv[2], process.env.AGORA_APP_CERTIFICATE];
const out = [];
for (let i = 0; i < n; i++) out.push(RtcTokenBuilder.buildTokenWithUid(appId, cert, "bench" + i, i + 1, RtcRole.PUBLISHER, 86400, 86400));
require("fs").writeFileSync(process.argv[3], out.join("\n") + "\n");
' "$n" "$app_id" "$work/tokens.txt"

cat > "$work/decode.js" <<'JS'
// Decode and verify every token given (file of lines, or one token argument) with agora-token.
const { AccessToken2 } = require(process.env.AGORA_TOKEN_PKG + "/src/AccessToken2");
const cert = process.env.AGORA_APP_CERTIFICATE;
const arg = process.argv[2];
const tokens = process.argv[3] === "--file" ? require("fs").readFileSync(arg, "utf8").split("\n").filter(Boolean) : [arg];
let ok = 0;
for (const t of tokens) {
  const tok = new AccessToken2();
  if (tok.from_string(t) && tok.verifySignature(cert)) ok++;
}
if (ok !== tokens.length) { console.error(`only ${ok} of ${tokens.length} verified`); process.exit(1); }
JS
export AGORA_TOKEN_PKG=$PWD/benches/node/node_modules/agora-token

now_ns() { date +%s%N; }
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e6 }'; }

# 1. Batch.
t0=$(now_ns); "$bin" token - --channel bench0 --uid 1 < "$work/tokens.txt" > /dev/null || true; t1=$(now_ns)
node "$work/decode.js" "$work/tokens.txt" --file; t2=$(now_ns)
doc_ms=$(ms "$t0" "$t1"); node_ms=$(ms "$t1" "$t2")
# Exit 1 is expected above (the channel/uid only match the first token); make sure it ran.
"$bin" token - --json < <(head -n 3 "$work/tokens.txt") | grep -q signature_valid

# 2. Per invocation.
one=$(head -n 1 "$work/tokens.txt")
t0=$(now_ns); for _ in $(seq "$runs"); do "$bin" token "$one" > /dev/null; done; t1=$(now_ns)
for _ in $(seq "$runs"); do node "$work/decode.js" "$one"; done; t2=$(now_ns)
doc_one=$(awk -v t="$(ms "$t0" "$t1")" -v r="$runs" 'BEGIN { printf "%.2f", t / r }')
node_one=$(awk -v t="$(ms "$t1" "$t2")" -v r="$runs" 'BEGIN { printf "%.2f", t / r }')

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "batch, $n tokens decoded + verified in one process:"
echo "  agora-doctor token -   ${doc_ms} ms  ($(awk -v n="$n" -v t="$doc_ms" 'BEGIN { printf "%.0f", n / t * 1000 }') tokens/s incl. start-up and report rendering)"
echo "  node agora-token       ${node_ms} ms  ($(awk -v n="$n" -v t="$node_ms" 'BEGIN { printf "%.0f", n / t * 1000 }') tokens/s incl. start-up)"
echo "  ratio node/agora-doctor: $(awk -v a="$node_ms" -v b="$doc_ms" 'BEGIN { printf "%.2f", a / b }')"
echo "per invocation, one token, mean of $runs runs:"
echo "  agora-doctor token T   ${doc_one} ms"
echo "  node decode T          ${node_one} ms"
echo "  ratio node/agora-doctor: $(awk -v a="$node_one" -v b="$doc_one" 'BEGIN { printf "%.2f", a / b }')"
