#!/usr/bin/env python3
"""Check that every catalog entry says things in our own words: no run of RUN or more consecutive
words of a generated entry's text may equal a run in the official description (meaning, causes, fix)
of the table row it was generated from, and no hand-written entry may repeat such a run from any row
of a table read from Agora's publications (the research tables, whose text is ours, are left out).
Exit status 1 lists each offending entry and run.

    python3 scripts/catalog/check_prose.py

The tidy test `generated_prose_is_our_own` (tests/all/explain_catalog.rs) holds the same rule.
"""

import os
import re
import sys

from generate import CATALOG, load_rows, read_entry
from tables import TABLES

RUN = 8


def words(text):
    # A link is a citation, not prose: its words do not count.
    text = re.sub(r"https?://\S+", " ", text)
    return re.findall(r"[a-z0-9]+", text.lower())


def runs(text, n=RUN):
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def main():
    rows = {}
    supplement = {t["id"]: t["supplement"] for t in TABLES if t.get("supplement")}
    bad = 0
    checked = 0
    for f in sorted(os.listdir(CATALOG)):
        fm, text, end = read_entry(os.path.join(CATALOG, f))
        if not fm.get("generated"):
            continue
        table = fm["table"]
        if table not in rows:
            rows[table] = load_rows(table)
        names = set(fm.get("names", []))
        official = [
            r for r in rows[table] if r["value"] == fm["value"] and (not r["name"] or not names or r["name"] in names)
        ]
        # A row the table leaves undescribed takes its text from the supplement table (generate.py).
        if table in supplement:
            official += [r for r in load_rows(supplement[table]) if r["value"] == fm["value"]]
        body = text[end + 5 :]
        # The message a row is known by is a literal the SDK or server prints, not prose: leave it out.
        for r in rows[table]:
            if r["value"] == fm["value"] and r.get("message"):
                body = body.replace(r["message"], " ")
        body = runs(body)
        checked += 1
        for r in official:
            for field in ("meaning", "causes", "fix"):
                shared = body & runs(r[field])
                if shared:
                    bad += 1
                    print(f"{f}: {len(shared)} run(s) of {RUN} words from the official {field}, e.g. "
                          f"{' '.join(sorted(shared)[0])!r}", file=sys.stderr)
    print(f"{checked} generated entries checked, {bad} with copied runs of {RUN}+ words")
    hand_bad = check_hand_written()
    return 1 if bad or hand_bad else 0


def check_hand_written():
    official = {}
    for t in TABLES:
        if t["reader"].startswith("research"):
            continue
        for r in load_rows(t["id"]):
            for field in ("meaning", "causes", "fix"):
                for run in runs(r[field]):
                    official.setdefault(run, (t["id"], r["value"], field))
    bad = 0
    checked = 0
    for f in sorted(os.listdir(CATALOG)):
        fm, text, end = read_entry(os.path.join(CATALOG, f))
        if fm.get("generated"):
            continue
        checked += 1
        for run in sorted(runs(text[end + 5 :])):
            if run in official:
                bad += 1
                t, value, field = official[run]
                print(f"{f}: {' '.join(run)!r} from the official {field} of {t} row {value}", file=sys.stderr)
    print(f"{checked} hand-written entries checked, {bad} copied runs of {RUN}+ words")
    return bad


if __name__ == "__main__":
    sys.exit(main())
