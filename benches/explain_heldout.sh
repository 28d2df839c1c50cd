#!/usr/bin/env bash
# Scores `agora-doctor explain` on the held-out corpus (fixtures/explain-heldout/messages.jsonl):
# every message is passed to `<BINARY> explain --json -- <message>` and the top entry of the answer is
# judged by the rule in fixtures/explain-heldout/README.md ("Scoring"). Prints the score overall, by
# product, by platform group, by source kind and by language, then every miss with what was answered.
# Not part of the test suite: the number is recorded in the README, never asserted.
#
# Usage: benches/explain_heldout.sh [BINARY] [CORPUS]
#   BINARY  default target/release/agora-doctor (built first when it is that default)
#   CORPUS  default fixtures/explain-heldout/messages.jsonl
# Environment: HELDOUT_JSON=FILE also writes each item's verdict as JSON lines to FILE.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/agora-doctor}
corpus=${2:-fixtures/explain-heldout/messages.jsonl}
if [ "$bin" = target/release/agora-doctor ] && [ $# -eq 0 ]; then
  cargo build --release --quiet --workspace
fi
[ -x "$bin" ] || { echo "not an executable: $bin" >&2; exit 2; }
[ -f "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }

python3 - "$bin" "$corpus" "${HELDOUT_JSON:-}" <<'PY'
import json, re, subprocess, sys
from collections import defaultdict

binary, corpus, verdicts_path = sys.argv[1], sys.argv[2], sys.argv[3]

# Products an entry belongs to: its `product` field when the JSON carries one, else its `sdk`
# (and for agora-doctor's own checks, its key prefix) mapped as below. An item expecting
# `browser` also accepts an rtc-web entry; one expecting `platform` also accepts an rtc-native one.
SDK_PRODUCT = {"web": "rtc-web", "web-app": "rtc-web",
               "native": "rtc-native", "android": "rtc-native", "ios": "rtc-native", "macos": "rtc-native",
               "windows": "rtc-native", "linux": "rtc-native", "electron": "rtc-native",
               "flutter": "rtc-native", "react-native": "rtc-native", "unity": "rtc-native",
               "unreal": "rtc-native", "rtm-1.x": "rtm-1.x", "rtm-2.x": "rtm-2.x"}
ALSO = {"browser": {"rtc-web"}, "platform": {"rtc-native"}}

def products(entry):
    p = entry.get("product")
    if isinstance(p, str) and p:
        return {p}
    if isinstance(p, list) and p:
        return {x for x in p if isinstance(x, str)}
    sdk, key = entry.get("sdk") or "", entry.get("key") or ""
    if sdk == "agora-doctor":
        return {"token-builder"} if key.startswith(("token.", "token_server.")) else {"agora-doctor"}
    return {SDK_PRODUCT.get(sdk, sdk)}

def norm_name(s):
    return re.sub(r"[^A-Z0-9]+", "_", str(s).upper()).strip("_")

def name_tokens(entry):
    out = set()
    for field in ("names", "aliases", "codes"):
        for v in entry.get(field) or []:
            out.add(norm_name(v))
            out.update(norm_name(t) for t in re.split(r"[\s:]+", str(v)) if t)
    if entry.get("value") not in (None, ""):
        out.add(norm_name(entry["value"]))
    out.discard("")
    return out

def int_values(entry):
    out = set()
    for v in [entry.get("value")] + list(entry.get("codes") or []):
        if v is None:
            continue
        if isinstance(v, int):
            out.add(abs(v))
        elif re.fullmatch(r"\s*-?\d+\s*", str(v)):
            out.add(abs(int(v)))
    return out

def norm_family(s):
    return re.sub(r"[._\s]+", "-", str(s).strip().lower())

def declares(entry, family):
    fam = norm_family(family)
    declared = set()
    for field in ("family", "families"):
        v = entry.get(field)
        if isinstance(v, str):
            declared.add(norm_family(v))
        elif isinstance(v, list):
            declared.update(norm_family(x) for x in v if isinstance(x, str))
    if fam in declared:
        return "family field"
    if "-" + fam + "-" in "-" + norm_family(entry.get("key", "")) + "-":
        return "key"
    return None

def judge(item, top):
    """(passed, route) for the top entry (None = nothing matched)."""
    if top is None:
        return False, "no answer"
    accepted = ([item["existing_key"]] if item.get("existing_key") else []) + list(item.get("also_correct") or [])
    if top.get("key") in accepted:
        return True, "existing_key" if top.get("key") == item.get("existing_key") else "also_correct"
    exp = item["expect"]
    if exp.get("family"):
        how = declares(top, exp["family"])
        return (True, "family (" + how + ")") if how else (False, "miss")
    want = {exp["product"]} | ALSO.get(exp["product"], set())
    if not (products(top) & want):
        return False, "miss"
    if exp.get("code") is not None and abs(int(exp["code"])) in int_values(top):
        return True, "code"
    if exp.get("name") and norm_name(exp["name"]) in name_tokens(top):
        return True, "name"
    return False, "miss"

items = [json.loads(l) for l in open(corpus, encoding="utf-8") if l.strip()]
rows = []
for item in items:
    run = subprocess.run([binary, "explain", "--json", "--", item["message"]],
                         capture_output=True, text=True, timeout=60)
    top, err = None, ""
    try:
        doc = json.loads(run.stdout) if run.stdout.strip() else {}
    except json.JSONDecodeError:
        doc, err = {}, "unparsable JSON"
    entries = doc.get("entries") or []
    if run.returncode == 0 and entries:
        top = entries[0]
    elif run.returncode not in (0, 2):
        err = "exit %d: %s" % (run.returncode, (run.stderr or run.stdout).strip()[:160])
    ok, route = judge(item, top)
    rows.append({"id": item["id"], "pass": ok, "route": route,
                 "answered": top.get("key") if top else None,
                 "answered_title": top.get("title") if top else None,
                 "others": [e.get("key") for e in entries[1:4]],
                 "error": err, "item": item})

def line(label, rs):
    n, p = len(rs), sum(r["pass"] for r in rs)
    return "  %-22s %3d/%-3d %5.1f%%" % (label, p, n, 100.0 * p / n if n else 0.0)

total = sum(r["pass"] for r in rows)
print("explain held-out score: %d/%d (%.1f%%)" % (total, len(rows), 100.0 * total / len(rows)))
for title, field in (("product", "product"), ("platform group", "platform_group"),
                     ("source", "source"), ("language", "lang")):
    print("by %s:" % title)
    groups = defaultdict(list)
    for r in rows:
        groups[r["item"].get(field, "?")].append(r)
    for k in sorted(groups, key=lambda k: (-len(groups[k]), k)):
        print(line(k, groups[k]))
print("by how the expectation is stated:")
kinds = defaultdict(list)
for r in rows:
    it = r["item"]
    kinds["existing_key set" if it.get("existing_key") else
          ("family" if it["expect"].get("family") else "product+code/name")].append(r)
for k in sorted(kinds):
    print(line(k, kinds[k]))
passes = defaultdict(int)
for r in rows:
    if r["pass"]:
        passes[r["route"]] += 1
print("passes by route: " + ", ".join("%s %d" % kv for kv in sorted(passes.items())))

misses = [r for r in rows if not r["pass"]]
print("\nmisses (%d):" % len(misses))
for r in misses:
    it = r["item"]; exp = it["expect"]
    want = [x for x in ("key=" + it["existing_key"] if it.get("existing_key") else None,
                        "family=" + exp["family"] if exp.get("family") else None,
                        "code=%s" % exp["code"] if exp.get("code") is not None else None,
                        "name=" + exp["name"] if exp.get("name") else None) if x]
    got = r["answered"] or "nothing matches"
    if r["error"]:
        got += " [" + r["error"] + "]"
    msg = re.sub(r"\s+", " ", it["message"]).strip()
    print("  %s [%s/%s] %s" % (it["id"], it["product"], it.get("platform_group", "?"),
                               msg[:100] + ("…" if len(msg) > 100 else "")))
    print("      expected %s (product %s); answered %s%s" % (
        ", ".join(want) or "-", exp["product"], got,
        ("; next: " + ", ".join(k for k in r["others"] if k)) if r["others"] else ""))

if verdicts_path:
    with open(verdicts_path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps({k: r[k] for k in ("id", "pass", "route", "answered", "others", "error")},
                                ensure_ascii=False) + "\n")
PY
