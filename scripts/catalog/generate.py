#!/usr/bin/env python3
"""Turn the extracted official tables (scripts/catalog/rows/*.tsv, see extract.py) into catalog entries
(src/explain/catalog/<key>.md) and write docs/error-sources.md, the list of every table and its rows
that the tidy test (tests/all/explain_catalog.rs) holds the catalog to.

    python3 scripts/catalog/generate.py

The rows give the facts (value, name, message, where Agora publishes them); the prose is ours: each
generated row needs a line in scripts/catalog/prose/<table>.tsv with our own `meaning` (and `causes`
and `fix` where the official row has them), written from the official text but never copied from it.
A row without one stops the run; `python3 scripts/catalog/generate.py --todo` lists such rows with the
official text to paraphrase, and scripts/catalog/check_prose.py checks that no entry copies a run of
eight or more words from it.

A row already covered by a hand-written entry (same family and name, or same value for tables that
give only numbers) is not duplicated: that entry gains `product`, `table` and `source` in its front
matter if it has none. Generated files carry `generated = true`; regenerating rewrites only those.
"""

import os
import re
import sys
import tomllib

from tables import TABLES
import families

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CATALOG = os.path.join(ROOT, "src", "explain", "catalog")
ROWS = os.path.join(HERE, "rows")
PROSE = os.path.join(HERE, "prose")
PROSE_COLUMNS = ["value", "name", "message", "meaning", "causes", "fix"]
# A row's own fix that says nothing to do: no prose needed for it.
EMPTY_FIX = ("/", "None.", "No action required.", "-")


def normalise(s):
    """The catalog's spelling normalisation (src/explain/query.rs `normalise`)."""
    out = []
    chars = list(s.strip())
    for i, c in enumerate(chars):
        if c.isalnum():
            if c.isupper() and i > 0:
                prev = chars[i - 1]
                nxt = chars[i + 1] if i + 1 < len(chars) else ""
                if prev.islower() or prev.isdigit() or (prev.isupper() and nxt.islower()):
                    out.append("_")
            out.append(c.upper())
        elif not out or out[-1] != "_":
            out.append("_")
    return "".join(out).strip("_")


def read_entry(path):
    text = open(path, encoding="utf-8").read()
    assert text.startswith("+++\n"), path
    end = text.index("\n+++\n", 4)
    fm = tomllib.loads(text[4:end])
    return fm, text, end


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_list(items):
    return "[" + ", ".join(toml_str(i) for i in items) + "]"


def slug(s, limit=48):
    s = re.sub(r"[^a-z0-9]+", "_", s.lower()).strip("_")
    if len(s) > limit:
        s = s[:limit].rsplit("_", 1)[0]
    return s


def sentence(s):
    s = s.strip()
    if s and s[-1] not in ".!?":
        s += "."
    return s[:1].upper() + s[1:] if s else s


def load_rows(tid):
    path = os.path.join(ROWS, tid + ".tsv")
    lines = open(path, encoding="utf-8").read().splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, l.split("\t"))) for l in lines[1:]]


def load_prose(tid):
    """Our own wording of each row of a table (scripts/catalog/prose/<table>.tsv), keyed by the row's
    value, name and message (which together tell every row of a table apart)."""
    path = os.path.join(PROSE, tid + ".tsv")
    if not os.path.exists(path):
        return {}
    lines = open(path, encoding="utf-8").read().splitlines()
    header = lines[0].split("\t")
    assert header == PROSE_COLUMNS, f"{path}: header must be {PROSE_COLUMNS}"
    out = {}
    for n, line in enumerate(lines[1:], 2):
        cells = line.split("\t")
        assert len(cells) == len(PROSE_COLUMNS), f"{path}:{n}: {len(cells)} cells, want {len(PROSE_COLUMNS)}"
        p = dict(zip(header, cells))
        k = (p["value"], p["name"], p["message"])
        assert k not in out, f"{path}:{n}: row {k} given twice"
        out[k] = p
    return out


def prose_gaps(r, p):
    """What our wording of row `r` lacks (empty when it has all it needs)."""
    if p is None:
        return ["no prose row"]
    gaps = []
    if r["meaning"].strip() and not p["meaning"].strip():
        gaps.append("meaning")
    if r["causes"].strip() and not p["causes"].strip():
        gaps.append("causes")
    if r["fix"].strip() and r["fix"] not in EMPTY_FIX and not p["fix"].strip():
        gaps.append("fix")
    return gaps


# Tables whose identifiers are not searched for inside a pasted line (they stay names: `explain RECORD_AUDIO`).
NO_CODE_TABLES = {"rtc-permission-type"}


def main():
    todo = "--todo" in sys.argv[1:]
    missing = []  # (table, row, gaps)
    existing = {}
    claims_names = {}  # normalised spelling -> key (names and aliases of every entry)
    claims_literals = {}  # code/pattern literal -> key
    generated_files = set()
    for f in sorted(os.listdir(CATALOG)):
        fm, _, _ = read_entry(os.path.join(CATALOG, f))
        if fm.get("generated"):
            generated_files.add(f)
            continue
        existing[fm["key"]] = fm
        for n in fm.get("names", []) + fm.get("aliases", []):
            claims_names.setdefault(normalise(n), fm["key"])
        for lit in fm.get("codes", []) + fm.get("patterns", []):
            claims_literals.setdefault(lit, fm["key"])
    by_kind_name = {}
    by_kind_value = {}
    for key, fm in existing.items():
        for n in fm.get("names", []):
            by_kind_name.setdefault((fm["kind"], normalise(n)), key)
        if fm.get("value"):
            by_kind_value.setdefault((fm["kind"], fm["value"].lstrip("-") if fm["kind"] != "rtm-error" else fm["value"]), key)

    # Every row's official name is claimed before any alias, so that no alias shadows a later row's name.
    for t in TABLES:
        for r in load_rows(t["id"]):
            if r["name"]:
                claims_names.setdefault(normalise(r["name"]), "(a table row)")
    extended = {}  # key -> (product, table, source) for hand-written entries
    generated = {}  # key -> entry text
    doc_tables = []
    new_keys = {}

    for t in TABLES:
        rows = load_rows(t["id"])
        prose = load_prose(t["id"])
        supplement = {}
        if t.get("supplement"):
            for r in load_rows(t["supplement"]):
                supplement.setdefault(r["value"], r)
        listed = []
        for r in rows:
            name = r["name"]
            value = r["value"]
            # A row of a table written from source files names its hand-written entry itself.
            key = r.get("entry") or None
            kinds = t["existing"] or [t["kind"]]
            if name and key is None:
                for k in kinds:
                    key = by_kind_name.get((k, normalise(name)))
                    if key:
                        break
            if key is None and (t.get("by_value") or not name):
                v = value.lstrip("-") if t["kind"] != "rtm-error" else value
                for k in kinds:
                    key = by_kind_value.get((k, v))
                    if key:
                        break
            if key is None and not name and t.get("by_value"):
                # A number-only row whose name the SDK's declarations give: the generated entry.
                key = new_keys.get((t["kind"], value.lstrip("-")))
            if key is not None:
                if key in existing and key not in extended:
                    extended[key] = (t["product"], t["id"], t["url"])
                listed.append((value, name or r.get("message", ""), key))
                continue
            if not name and t.get("by_value"):
                # A documented number the declarations do not name: an entry of its own.
                name = ""
            if not r["meaning"] and r["value"] in supplement:
                s = supplement[r["value"]]
                r = dict(r, meaning=s["meaning"], causes=s["causes"], fix=s["fix"], legacy=r["legacy"] if not s["meaning"] else s["legacy"])
            p = prose.get((r["value"], r["name"], r.get("message", "")))
            gaps = prose_gaps(r, p)
            if gaps:
                missing.append((t, r, gaps))
                p = p or {c: "" for c in PROSE_COLUMNS}
            key = make_key(t, r, name)
            base = key
            n = 2
            while key in existing or key in generated:
                key = f"{base}_{n}"
                n += 1
            generated[key] = entry_text(t, r, p, name, key, claims_names, claims_literals)
            if name:
                by_kind_name.setdefault((t["kind"], normalise(name)), key)
            new_keys.setdefault((t["kind"], value.lstrip("-")), key)
            listed.append((value, name or r.get("message", ""), key))
        doc_tables.append((t, listed))

    if todo:
        # The rows that still need our wording, with the official text to paraphrase, one TSV per table.
        print("\t".join(["table", "value", "name", "message", "gaps", "official meaning", "official causes", "official fix"]))
        for t, r, gaps in missing:
            print("\t".join([t["id"], r["value"], r["name"], r.get("message", ""), ",".join(gaps), r["meaning"], r["causes"], r["fix"]]))
        return
    if missing:
        for t, r, gaps in missing:
            print(f"{t['id']}: row {r['value']} {r['name'] or r.get('message', '')!r} lacks {', '.join(gaps)} "
                  f"in scripts/catalog/prose/{t['id']}.tsv", file=sys.stderr)
        sys.exit(f"{len(missing)} rows lack our own wording; `generate.py --todo` lists them with the official text")
    for f in generated_files:
        os.remove(os.path.join(CATALOG, f))
    for key, text in generated.items():
        with open(os.path.join(CATALOG, key + ".md"), "w", encoding="utf-8") as f:
            f.write(text)
    for key, (product, table, source) in extended.items():
        path = os.path.join(CATALOG, key + ".md")
        fm, text, end = read_entry(path)
        if "table" in fm:
            continue
        head = text[: end + 1]
        extra = f"product = {toml_str(product)}\ntable = {toml_str(table)}\nsource = {toml_str(source)}\n"
        with open(path, "w", encoding="utf-8") as f:
            f.write(head + extra + text[end + 1 :])
    families.apply()
    write_doc(doc_tables)
    print(f"{len(generated)} generated entries, {len(extended)} hand-written entries linked to a table")


def make_key(t, r, name):
    p = t["prefix"]
    if name and t["kind"] not in ("rest-status",):
        n = name
        if p == "rtm2." and n.startswith("RTM_ERROR_"):
            n = n[len("RTM_ERROR_"):]
        if t.get("qualify") and t["kind"] == "rtm1-error" and not n.startswith(t["qualify"].split("_")[0]):
            n = t["qualify"] + "_" + n
        return p + slug(n, 64)
    tail = slug(r.get("message") or r["meaning"], 40)
    return p + (r["value"].lstrip("-") + ("_" + tail if tail else ""))


def entry_text(t, r, p, name, key, claims_names, claims_literals):
    """The entry for row `r` of table `t`. The row gives the facts (value, name, message, whether it
    reports success); `p` gives the prose, our own wording of what the row means and what to do."""
    value = r["value"]
    meaning = r["meaning"].strip()
    ours = p["meaning"].strip()
    aliases = []
    for a in [x for x in r["aliases"].split("|") if x]:
        na = normalise(a)
        # Generic spellings (`OK`, `connecting`) and spellings another entry owns stay out.
        if len(na) < 8 or "_" not in na and len(na) < 12:
            continue
        if na == normalise(name) or na in claims_names:
            continue
        claims_names[na] = key
        aliases.append(a)
    names = []
    if name:
        nn = normalise(name)
        names.append(name)
        claims_names.setdefault(nn, key)
    codes = []
    # Permission names (RECORD_AUDIO, CAMERA) are the platforms' words as much as Agora's: a paste that
    # holds one is about the platform's permission, which the platform families answer.
    if name and "_" in name and len(name) >= 10 and name not in claims_literals and t["kind"] not in ("rest-status",) and t["id"] not in NO_CODE_TABLES:
        codes.append(name)
        claims_literals[name] = key
    for a in aliases:
        if re.match(r"^(Agora|EMError|Rtm|RTM)", a) and a not in claims_literals and len(a) >= 12:
            codes.append(a)
            claims_literals[a] = key
    patterns = []
    msg = (r.get("message") or "").strip().strip(".")
    distinctive = (len(msg) >= 14 and len(msg.split()) >= 2) or (re.fullmatch(r"[a-z]+(?:_[a-z]+)+", msg or "") and len(msg) >= 10)
    # Event names (`channel create`) are everyday words in logs: a webhook event is found by its number.
    if msg and msg not in ("/", "N/A") and distinctive and msg not in claims_literals and len(msg) <= 80 and t["kind"] != "ncs-event":
        patterns.append(msg)
        claims_literals[msg] = key
    status = r.get("status") or ""
    if name:
        shown = f"{name} ({value})"
    elif status and status != value:
        shown = f"code {value} (HTTP {status})" + (f" `{msg}`" if msg else "")
    elif t["kind"] in ("rest-status",) or status:
        shown = f"HTTP {value}" + (f" `{msg}`" if msg else "")
    else:
        shown = f"{value} `{msg}`" if msg else value
    title = f"{shown}: {t['label']}"
    section = r.get("section", "")
    where = t["where"]
    if section and section not in ("General status codes",):
        where += f" (from the `{section}` call)" if t["id"].startswith("cloud-recording") else ""
    label = t["label"][:1].upper() + t["label"][1:]
    summary = f"{label} {('`' + name + '` (' + value + ')') if name else shown}: {where}."
    summary = summary.replace("..", ".")
    if meaning:
        summary += f" Per Agora's table ({t['title']}, {t['version']}): {sentence(ours)}"
    else:
        summary += f" Agora does not describe this value in {t['title']} ({t['version']}); it is kept so that a log or paste that prints it is still recognised."
    if r.get("legacy"):
        summary += " It is retired or undocumented in current SDKs."
    causes = []
    if r["causes"]:
        for c in re.split(r";\s*", p["causes"]):
            c = c.strip(" ;")
            if c:
                causes.append(sentence(c))
    if meaning and not causes:
        who = "The server" if t["kind"] in ("rest-status", "classroom-error", "whiteboard-error", "ncs-event") else "The SDK"
        causes.append(sentence(cause_from_meaning(ours, who)))
    causes += [c for c in t["causes"]]
    if not causes:
        causes.append("Informational: the SDK reports a state change, not a fault; look at the event next to it for the cause.")
    fix_parts = []
    if p["fix"].strip():
        fix_parts.append(sentence(p["fix"]))
    elif r["fix"] == "No action required." or re.search(r"\b(succe(ss|eds?)|normal state|is normal|Correct call)\b", meaning):
        fix_parts.append("Nothing to fix: this value reports success or a normal state.")
    if t["fix"]:
        fix_parts.append(t["fix"].replace("{value}", value.lstrip("-")))
    if not fix_parts:
        fix_parts.append(f"Follow the table's description above; the SDK's API reference for {t['version']} says which call reports it.")
    fm = [
        "+++",
        f"key = {toml_str(key)}",
        f"sdk = {toml_str(t['sdk'])}",
        f"kind = {toml_str(t['kind'])}",
        f"product = {toml_str(t['product'])}",
        f"table = {toml_str(t['id'])}",
        f"source = {toml_str(t['url'])}",
        "generated = true",
        f"value = {toml_str(value)}",
        f"names = {toml_list(names)}",
        f"aliases = {toml_list(aliases)}",
        f"codes = {toml_list(codes)}",
        f"patterns = {toml_list(patterns)}",
        f"retired = {toml_str(r.get('legacy', ''))}",
        "+++",
        "",
        f"# {title}",
        "",
        "## Summary",
        "",
        summary,
        "",
        "## Likely causes",
        "",
    ]
    fm += [f"- {c}" for c in causes]
    fm += ["", "## Fix", "", "\n\n".join(fix_parts), "", "## Check with", ""]
    fm += [f"- {c}" for c in t["check"]]
    return "\n".join(fm) + "\n"


# Words that keep their capital inside a sentence.
PROPER = ("Agora", "Agora's", "Chat", "IRtmService", "Android", "iOS")


def cause_from_meaning(meaning, who):
    m = meaning.strip().rstrip(".")
    if m.split(" ", 1)[0] not in PROPER:
        m = m[:1].lower() + m[1:]
    return who + " reported: " + m


def write_doc(doc_tables):
    out = [
        "# Where the catalog's rows come from",
        "",
        "Every official table `agora-doctor explain` covers, with the public page that publishes it, the SDK or",
        "API version it describes, its row count and, per row, the catalog entry that explains it. The tidy test",
        "(`tests/all/explain_catalog.rs`) parses this file: every listed row must resolve to its entry, and every",
        "entry generated from a table must be listed. Entries are generated by `scripts/catalog/generate.py` from",
        "the rows `scripts/catalog/extract.py` read (2026-12-07) from github.com/AgoraIO/Docs-Source at commit",
        "8c1f0c5 (the source of docs.agora.io/en), github.com/AgoraIO-Extensions/react-native-agora at commit",
        "cea3490 (package 4.6.2, the RTC 4.x enums with Agora's doc comments, mirroring the C++ `AgoraBase.h`) and",
        "github.com/AgoraIO-Community/Agora-Unity-RTM-SDK at commit 0454dec (the RTM 1.x enums of `IAgoraRtmService.h`).",
        "A row that a hand-written entry already explained links to that entry instead of getting a second one.",
        "The rows supply the facts; the wording of each generated entry is ours, from `scripts/catalog/prose/<table>.tsv`.",
        "",
    ]
    out += families.doc_lines()
    out += [
        "| table | product | version | rows | source |",
        "|---|---|---|---:|---|",
    ]
    total = 0
    for t, rows in doc_tables:
        out.append(f"| [`{t['id']}`](#{t['id']}) | {t['product']} | {t['version']} | {len(rows)} | <{t['url']}> |")
        total += len(rows)
    out += ["", f"{len(doc_tables)} tables, {total} rows.", ""]
    for t, rows in doc_tables:
        out += [
            f"## {t['id']}",
            "",
            f"{t['title']} ({t['product']}; {t['version']}). Source: <{t['url']}>. Rows: {len(rows)}.",
            "",
            "| value | identifier | entry |",
            "|---|---|---|",
        ]
        for value, ident, key in rows:
            ident = ident.replace("|", "/")
            out.append(f"| `{value}` | {('`' + ident + '`') if ident else '-'} | `{key}` |")
        out.append("")
    with open(os.path.join(ROOT, "docs", "error-sources.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
