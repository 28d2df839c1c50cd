#!/usr/bin/env bash
# Score `explain --log` on the held-out set of pasted logs (fixtures/logs-heldout, see its README): how many of
# the problems their threads settled on it names, how many of the lines the threads called harmless it classes
# as noise, whether it draws a timeline for the logs that carry times, and every miss. A measurement, not a
# test: it never fails on a low score.
#
# Usage: benches/log_heldout.sh BINARY [DIR]   (DIR defaults to fixtures/logs-heldout)
# BINARY is run as `BINARY explain --log FILE --json` once per log; its exit code is not judged (1 only means
# it found something). Exits 2 when BINARY cannot be run or prints something that is not JSON.
#
# Reads both the explain-log v1 document (schema/explain-log.v1.json: `errors` with `first_line`, `last_line`
# and the matched `line` text) and a later one with `problems`, `timeline`, `noise` and `unrecognised` arrays.
# The rules (also in the set's README):
# - a problem is named when any entry of `problems` (or v1 `errors`) reports its line or one of its
#   `also_lines` — through `line`, `lines`, `first_line` or `last_line` — or quotes a text (`text`, `line`,
#   `message`, `excerpt`) that contains the label's `text`;
# - a harmless line is classed as noise when an entry of `noise` reports that line the same way (a group
#   should list its `lines`) or quotes its text; v1 has no noise, so nothing is;
# - a log with times has a timeline when the document's `timeline` (v3: `timeline.events`) is a non-empty array;
# - a harmless line that a `problems`/`errors` entry reports is also listed, as a false alarm; reports on
#   lines the set labels neither way are counted (and listed with VERBOSE=1), not judged.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: benches/log_heldout.sh BINARY [DIR]}
dir=${2:-fixtures/logs-heldout}
[ -x "$bin" ] || { echo "log_heldout: $bin is not an executable; pass the agora-doctor binary to score" >&2; exit 2; }
[ -f "$dir/labels.jsonl" ] || { echo "log_heldout: no $dir/labels.jsonl; pass the held-out set's directory" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/agora-log-heldout.XXXXXX")
trap 'rm -rf "$work"' EXIT

python3 - "$dir/labels.jsonl" <<'PY' > "$work/files"
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        print(json.loads(line)["file"])
PY
while IFS= read -r f; do
  set +e
  "$bin" explain --log "$dir/$f" --json > "$work/$f.json" 2> "$work/$f.err"
  rc=$?
  set -e
  echo "$rc" > "$work/$f.rc"
done < "$work/files"

python3 - "$dir/labels.jsonl" "$work" <<'PY'
import json, sys, os
from collections import defaultdict

labels = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
work = sys.argv[2]

def entries(doc, *keys):
    out = []
    for k in keys:
        v = doc.get(k)
        if isinstance(v, list):
            out += [e for e in v if isinstance(e, dict)]
    return out

def reported_lines(e):
    s = set()
    for k in ("line", "first_line", "last_line"):
        if isinstance(e.get(k), int):
            s.add(e[k])
    for k in ("lines", "line_numbers"):
        if isinstance(e.get(k), list):
            s |= {n for n in e[k] if isinstance(n, int)}
    return s

def texts(e):
    return [e[k] for k in ("text", "line", "message", "excerpt", "example") if isinstance(e.get(k), str)]

def hits(es, lines, text):
    return any(reported_lines(e) & lines or any(text in t for t in texts(e)) for e in es)

tot = defaultdict(int)
per_format = defaultdict(lambda: [0, 0, 0, 0])
misses, alarms, failures, others = [], [], [], []
schemas = set()
for lab in labels:
    f = lab["file"]
    raw = open(os.path.join(work, f + ".json"), encoding="utf-8").read()
    try:
        doc = json.loads(raw)
    except ValueError:
        failures.append(f"{f}: not JSON (exit {open(os.path.join(work, f + '.rc')).read().strip()}): "
                        + open(os.path.join(work, f + ".err")).read().strip()[:200])
        continue
    schemas.add(str(doc.get("schema")))
    problems = entries(doc, "problems", "errors")
    noise = entries(doc, "noise")
    fmt = per_format[lab["format"]]
    for p in lab["problems"]:
        tot["problems"] += 1; fmt[0] += 1
        if hits(problems, {p["line"], *p.get("also_lines", [])}, p["text"]):
            tot["named"] += 1; fmt[1] += 1
        else:
            misses.append(f"problem  {lab['id']} {f}:{p['line']}  {p['text']!r} not named")
    for h in lab["harmless"]:
        tot["harmless"] += 1; fmt[2] += 1
        if hits(noise, {h["line"]}, h["text"]):
            tot["noise"] += 1; fmt[3] += 1
        else:
            misses.append(f"harmless {lab['id']} {f}:{h['line']}  {h['text']!r} not classed as noise")
        if hits(problems, {h["line"]}, h["text"]):
            alarms.append(f"alarm    {lab['id']} {f}:{h['line']}  {h['text']!r} reported as a problem")
    labelled = {h["line"] for h in lab["harmless"]}
    for p in lab["problems"]:
        labelled |= {p["line"], *p.get("also_lines", [])}
    for e in problems:
        extra = sorted(reported_lines(e) - labelled)
        if extra and not (reported_lines(e) & labelled):
            others.append(f"other    {lab['id']} {f}:{','.join(map(str, extra))}  reported as a problem, not labelled either way")
    if lab["has_times"]:
        tot["timed"] += 1
        tl = doc.get("timeline")
        # explain-log/v2: an array of events; v3: an object whose `events` array holds them.
        if isinstance(tl, dict):
            tl = tl.get("events")
        if isinstance(tl, list) and tl:
            tot["timeline"] += 1
        else:
            misses.append(f"timeline {lab['id']} {f}  has times, no timeline")

def pct(a, b):
    return f"{a}/{b} ({100.0 * a / b:.1f}%)" if b else f"{a}/{b}"

print(f"logs: {len(labels)}, schema {', '.join(sorted(schemas)) or 'none'}")
print(f"problems named: {pct(tot['named'], tot['problems'])}")
print(f"harmless lines classed as noise: {pct(tot['noise'], tot['harmless'])}")
print(f"timeline present for logs with times: {pct(tot['timeline'], tot['timed'])}")
print(f"harmless lines reported as problems: {len(alarms)}")
print(f"problem reports on lines the set does not label: {len(others)} (listed with VERBOSE=1)")
print("by format (problems named, harmless as noise):")
for k in sorted(per_format):
    v = per_format[k]
    print(f"  {k:24} {v[1]}/{v[0]}  {v[3]}/{v[2]}")
if failures or misses or alarms:
    print("misses:")
    for m in failures + misses + alarms:
        print("  " + m)
if os.environ.get("VERBOSE") == "1" and others:
    print("not labelled:")
    for m in others:
        print("  " + m)
sys.exit(2 if failures else 0)
PY
