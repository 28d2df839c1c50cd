#!/usr/bin/env python3
"""Score `agora-doctor explain` on a set of pasted messages (fixtures/explain-tuning by default).

Each item's message goes to `explain --json -- <message>`; the answer is `entries[0]` when the command
exits 0 with entries. An item with `expect.family` passes when that entry declares the family (its
`family`/`families` fields, or its key framed by `-` contains `-<family>-`); otherwise the entry must be
for the expected product and carry the expected code (`value` or an integer in `codes`) or name (`names`,
`aliases`, `codes`, `value`, or a whitespace/colon-separated token of one of them). Prints the score
overall and by product, platform group and language, then every miss with what was answered.

usage: scripts/catalog/score_tuning.py [BINARY] [MESSAGES.jsonl]
"""
import json
import re
import subprocess
import sys
from collections import defaultdict


def norm_family(s):
    return re.sub(r"[._ ]", "-", s.lower())


def norm_name(s):
    return re.sub(r"[^A-Z0-9]+", "_", str(s).upper()).strip("_")


SDK_PRODUCT = {"web": "rtc-web", "web-app": "rtc-web"}
NATIVE = {"native", "android", "ios", "macos", "windows", "linux", "electron", "flutter",
          "react-native", "unity", "unreal"}


def entry_products(e):
    p = e.get("product")
    if p:
        return set(p) if isinstance(p, list) else {p}
    sdk = e.get("sdk", "")
    if sdk in SDK_PRODUCT:
        return {SDK_PRODUCT[sdk]}
    if sdk in NATIVE:
        return {"rtc-native"}
    if sdk == "agora-doctor":
        return {"token-builder"} if e["key"].startswith(("token.", "token_server.")) else {"agora-doctor"}
    return {sdk}


def passes(item, e):
    exp = item["expect"]
    if exp.get("family"):
        fam = norm_family(exp["family"])
        declared = []
        if isinstance(e.get("family"), str):
            declared.append(e["family"])
        declared += e.get("families") or []
        if any(norm_family(d) == fam for d in declared):
            return True
        return f"-{fam}-" in f"-{norm_family(e['key'])}-"
    products = entry_products(e)
    want = exp["product"]
    ok_product = want in products or (want == "browser" and "rtc-web" in products) or (
        want == "platform" and "rtc-native" in products)
    if not ok_product:
        return False
    if exp.get("code") is not None:
        vals = [e.get("value", "")] + [c for c in e.get("codes", [])]
        for v in vals:
            try:
                if abs(int(v)) == abs(int(exp["code"])):
                    return True
            except (TypeError, ValueError):
                pass
        return False
    if exp.get("name"):
        want_n = norm_name(exp["name"])
        spellings = list(e.get("names", [])) + list(e.get("aliases", [])) + list(e.get("codes", [])) + [e.get("value", "")]
        for s in spellings:
            if norm_name(s) == want_n:
                return True
            for tok in re.split(r"[\s:]+", str(s)):
                if tok and norm_name(tok) == want_n:
                    return True
    return False


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/agora-doctor"
    path = sys.argv[2] if len(sys.argv) > 2 else "fixtures/explain-tuning/messages.jsonl"
    items = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    groups = defaultdict(lambda: [0, 0])
    misses = []
    passed = 0
    for item in items:
        run = subprocess.run([binary, "explain", "--json", "--", item["message"]],
                             capture_output=True, text=True)
        answer = None
        ok = False
        if run.returncode == 0:
            doc = json.loads(run.stdout)
            if doc.get("entries"):
                answer = doc["entries"][0]
                ok = passes(item, answer)
        passed += ok
        for g in ("product", "platform_group", "lang"):
            groups[(g, item[g])][0] += ok
            groups[(g, item[g])][1] += 1
        if not ok:
            misses.append((item["id"], item["expect"], answer["key"] if answer else f"exit {run.returncode}"))
    print(f"score {passed}/{len(items)} ({100 * passed / len(items):.0f} %)")
    for (g, v), (p, n) in sorted(groups.items()):
        print(f"  {g}={v}: {p}/{n}")
    for m in misses:
        print("  miss", *m)


if __name__ == "__main__":
    main()
