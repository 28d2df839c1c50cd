#!/usr/bin/env python3
"""Write each entry's cause families (scripts/catalog/families.tsv) into its front matter as
`families = [...]`, replacing any `families` line it had. Run after generate.py (which calls it).

    python3 scripts/catalog/families.py
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOG = os.path.join(os.path.dirname(os.path.dirname(HERE)), "src", "explain", "catalog")


def load():
    out = {}
    with open(os.path.join(HERE, "families.tsv"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            key, fams = line.split("\t")
            out.setdefault(key, [])
            out[key] += [x.strip() for x in fams.split(",") if x.strip()]
    return out


def apply():
    fams = load()
    missing = []
    for key, families in fams.items():
        path = os.path.join(CATALOG, key + ".md")
        if not os.path.exists(path):
            missing.append(key)
            continue
        text = open(path, encoding="utf-8").read()
        end = text.index("\n+++\n", 4)
        head = [l for l in text[4:end].split("\n") if not l.startswith("families = ")]
        head.append("families = [" + ", ".join('"' + f + '"' for f in families) + "]")
        new = "+++\n" + "\n".join(head) + text[end:]
        if new != text:
            open(path, "w", encoding="utf-8").write(new)
    if missing:
        raise SystemExit("families.tsv names keys with no entry: " + ", ".join(missing))


if __name__ == "__main__":
    apply()
