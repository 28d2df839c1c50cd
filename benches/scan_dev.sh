#!/usr/bin/env bash
# Precision and recall of `agora-doctor scan` on the development (tuning) set labelled in
# fixtures/scan-dev/labels.json. The repositories are not committed: check each one out at its
# pinned commit into DIR/<owner>+<name>/ (e.g. `git clone https://github.com/<owner>/<name>` then
# `git -C … checkout <commit>`, or `git archive <commit> | tar -x -C …`).
#
# Usage: benches/scan_dev.sh DIR [BIN]   (BIN defaults to a release build of this tree)
# LABELS=fixtures/scan-dev2/labels.json benches/scan_dev.sh DIR [BIN] scores the second batch.
# Prints each repository's findings judged true (+) or false (-), the labelled problems missed, and
# the totals. This set shaped the rules: its score is not a measure of unseen projects.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: benches/scan_dev.sh DIR [BIN]}
bin=${2:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet --bin agora-doctor
  bin=target/release/agora-doctor
fi
labels=${LABELS:-fixtures/scan-dev/labels.json}
export labels
out=$(mktemp -d /tmp/agora-scan-dev.XXXXXX)
trap 'rm -rf "$out"' EXIT
now=$(python3 -c "import json; print(json.load(open('$labels'))['now'])")
python3 -c "import json; [print(r['repo']) for r in json.load(open('$labels'))['repos']]" |
while read -r repo; do
  local_dir="$dir/${repo/\//+}"
  [ -d "$local_dir" ] || { echo "missing: $local_dir" >&2; continue; }
  "$bin" scan "$local_dir" --json --now "$now" > "$out/${repo/\//+}.json" 2>/dev/null || true
done
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
labels = json.load(open(os.environ["labels"]))
tp = fp = found = total = 0
for r in labels["repos"]:
    path = os.path.join(out, r["repo"].replace("/", "+") + ".json")
    if not os.path.exists(path):
        continue
    findings = json.load(open(path))["findings"]
    def hits(f, p):
        files = {pl["file"] for pl in f["places"]}
        return f["key"] == p["key"] and p["file"] in files and p.get("match", "") in f["summary"]
    print(f"{r['repo']}: {len(findings)} findings, {len(r['problems'])} problems")
    for f in findings:
        ok = any(hits(f, p) for p in r["problems"])
        tp += ok; fp += not ok
        print(f"  {'+' if ok else '-'} {f['key']} {f['places'][0]['file']}")
    for p in r["problems"]:
        total += 1
        if any(hits(f, p) for f in findings):
            found += 1
        else:
            print(f"  missed {p['key']} {p['file']}")
n = tp + fp
print(f"findings {n}: {tp} true, {fp} false; precision {100 * tp / max(n, 1):.1f} %")
print(f"problems {total}: {found} found; recall {100 * found / max(total, 1):.1f} %")
PY
