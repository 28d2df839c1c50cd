#!/usr/bin/env python3
"""Extract Agora's official error tables into one TSV per table (scripts/catalog/rows/<table>.tsv).

Inputs are checkouts of three public repositories, passed as arguments:
  DOCS   github.com/AgoraIO/Docs-Source (the source of docs.agora.io/en)
  RN     github.com/AgoraIO-Extensions/react-native-agora (the RTC 4.x enums with their doc comments)
  RTM1   github.com/AgoraIO-Community/Agora-Unity-RTM-SDK (the RTM 1.x enums with their doc comments)

    python3 scripts/catalog/extract.py DOCS RN RTM1

Each row: value, name, aliases (|-separated), meaning, causes, fix, legacy (non-empty = retired).
The facts are Agora's; scripts/catalog/generate.py turns them into catalog entries.
"""

import json
import os
import re
import subprocess
import sys

from tables import TABLES

HERE = os.path.dirname(os.path.abspath(__file__))
ROWS = os.path.join(HERE, "rows")


def git_show(repo, path):
    return subprocess.run(
        ["git", "-C", repo, "show", "HEAD:" + path],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def git_show_at(repo, rev, path):
    """A file as it was at `rev` (a page Agora has since retired or rewritten)."""
    return subprocess.run(
        ["git", "-C", repo, "show", rev + ":" + path],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def read(repo, path):
    if os.path.isdir(os.path.join(repo, ".git")) or not os.path.exists(os.path.join(repo, path)):
        return git_show(repo, path)
    with open(os.path.join(repo, path), encoding="utf-8") as f:
        return f.read()


# ---------------------------------------------------------------- text cleaning

VARS = {
    "COMPANY": "Agora",
    "CONSOLE": "Agora Console",
    "SDK": "SDK",
    "CHAT": "Chat",
    "SIG": "Signaling",
    "NAME": "the service",
    "VIDEO": "Video",
    "CHAT_GROUP_LOWER": "chat group",
    "CHAT_GROUP_LOWER_PLURAL": "chat groups",
    "CHAT_GROUP": "Chat group",
    "CLIENT": "app",
    "VSDK": "Video SDK",
}


def clean(cell, platform_vars=None):
    s = cell
    s = s.replace("<wbr/>", "")
    if platform_vars is not None:
        s = re.sub(
            r"\{(\w+)\.(\w+)\[props\.ag_platform\]\}",
            lambda m: platform_vars.get(m.group(1), {}).get(m.group(2), {}).get("cpp")
            or m.group(2),
            s,
        )
    s = re.sub(r'<V\w+ k="(\w+)"\s*/>', lambda m: VARS.get(m.group(1), m.group(1).lower()), s)
    s = re.sub(r"<li>", "; ", s)
    s = re.sub(r"<br\s*/?>", " ", s)
    s = re.sub(r"<[^>]+>", "", s)
    s = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", s)
    s = s.replace("\\|", "/")
    s = s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"^[;:]\s*", "", s)
    s = s.replace(": ;", ":").replace(". ;", ".")
    s = s.replace("\t", " ")
    return s.strip()


def md_tables(text):
    """Every markdown table as (heading, header cells, rows of cells)."""
    out = []
    heading = ""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        if line.strip().startswith("|") and i + 1 < len(lines) and re.match(r"^\s*\|[\s:|-]+\|?\s*$", lines[i + 1]):
            header = split_row(line)
            rows = []
            i += 2
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append(split_row(lines[i]))
                i += 1
            out.append((heading, header, rows))
            continue
        i += 1
    return out


def split_row(line):
    line = line.strip()
    line = line.replace("\\|", "\x00")
    cells = line.strip("|").split("|")
    return [c.replace("\x00", "\\|").strip() for c in cells]


def mdx_vars(text):
    """`export const x = { cpp: "…", … };` blocks of the Signaling reference."""
    out = {}
    for m in re.finditer(r"export const (\w+) = \{(.*?)\};", text, re.S):
        d = {}
        for k, v in re.findall(r'(\w+):\s*"([^"]*)"', m.group(2)):
            d[k] = v
        out[m.group(1)] = d
    return out


def enum_members(text, enum):
    """(name, value, comment) of one TS/C#/C++ enum with `/** … */` comments before each member."""
    m = re.search(r"enum\s+" + re.escape(enum) + r"\s*\{(.*?)\n\s*\}", text, re.S)
    if not m:
        raise SystemExit(f"enum {enum} not found")
    body = m.group(1)
    out = []
    comment = ""
    for tok in re.finditer(r"/\*\*(.*?)\*/|(\w+)\s*=\s*(-?\w+)\s*,?(?:\s*//[^\n]*)?", body, re.S):
        if tok.group(1) is not None:
            comment = tok.group(1)
            continue
        name, value = tok.group(2), tok.group(3)
        try:
            v = int(value, 0)
        except ValueError:
            comment = ""
            continue
        c = re.sub(r"^\s*\*\s?", "", comment, flags=re.M)
        c = re.sub(r"\\ref\s+\S+\s+\"([^\"]+)\"", r"\1", c)
        c = re.sub(r"@\w+", "", c) if "@ignore" not in c else "@ignore"
        c = re.sub(r"\s+", " ", c).strip()
        c = re.sub(r"^-?\d+\s*[:：]\s*", "", c)
        out.append((name, v, c))
        comment = ""
    return out


def snake(name):
    """`ErrInvalidToken` → `ERR_INVALID_TOKEN` (the C++ spelling of a TS enum member)."""
    s = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    return s.upper()


# ---------------------------------------------------------------- per-source readers


def split_meaning(desc):
    """A description into (meaning, causes, fix) by its own words."""
    desc = desc.strip()
    causes = ""
    fix = ""
    m = re.search(r"(?:There (?:are|is) (?:usually|generally) the following reasons?|Possible reasons?|possible reasons?|due to one of the following reasons?|Possible causes?)\s*:?\s*(.*)", desc)
    if m:
        causes = m.group(1)
        desc = desc[: m.start()].strip()
    fm = re.search(r"(?:^|(?<=\. ))((?:Please |Check |Ensure |Make sure |Call |Try |Prompt |Wait |Retry |Use |Contact |Reduce |Upgrade |Verify |Do not |Reinitialize |Reset ).*)$", desc)
    if fm and fm.start() > 0:
        fix = fm.group(1).strip()
        desc = desc[: fm.start()].strip()
    return desc, causes, fix


def rn_enum(rn, path, enum):
    text = read(rn, path)
    rows = []
    for name, v, c in enum_members(text, enum):
        legacy = ""
        if c == "@ignore":
            c = ""
            legacy = "not documented by Agora (marked @ignore in the SDK's type declarations)"
        if re.search(r"\bDeprecated\b|\bdeprecated\b", c):
            legacy = "deprecated: " + re.sub(r".*?([Dd]eprecated[^.]*\.?).*", r"\1", c)
        meaning, causes, fix = split_meaning(c)
        rows.append([str(v), snake(name), name, meaning, causes, fix, legacy])
    return rows


def cs_enum(repo, path, enum):
    text = read(repo, path)
    rows = []
    for name, v, c in enum_members(text, enum):
        legacy = ""
        if "does not return this error code" in c or "deprecated" in c.lower():
            legacy = c
        meaning, causes, fix = split_meaning(c)
        rows.append([str(v), name, "", meaning, causes, fix, legacy])
    return rows


def body_rows(text):
    """The cells of every body row of every Markdown table in `text`, in order."""
    for _, _header, body in md_tables(text):
        yield from body


def docs_native_errors(docs):
    rows = []
    for cells in body_rows(read(docs, "shared/video-sdk/reference/error-codes/non-web-error-codes.mdx")):
        v = clean(cells[0]).strip("`")
        desc = clean(cells[1])
        meaning, causes, fix = split_meaning(desc)
        legacy = "deprecated" if "Deprecated" in desc else ""
        rows.append([v, "", "", meaning, causes, fix, legacy])
    return rows


def docs_native_warnings_3x(docs):
    text = read(docs, "shared/on-premise-recording/reference/_error-codes.mdx")
    part = text.split("### Warning codes", 1)[1].split("## Web", 1)[0]
    rows = []
    for cells in body_rows(part):
        v = clean(cells[0]).strip("`")
        if not re.fullmatch(r"-?\d+", v):
            continue
        meaning, causes, fix = split_meaning(clean(cells[-1]))
        rows.append([v, "", "", meaning, causes, fix, "Native SDK 3.x; 4.x reports these through other callbacks"])
    return rows


def docs_web_errors(docs):
    rows = []
    for cells in body_rows(read(docs, "shared/video-sdk/reference/error-codes/web-error-codes.mdx")):
        name = clean(cells[0]).strip("`")
        if not re.fullmatch(r"[A-Z0-9_]+", name):
            continue
        rows.append([name, name, "", clean(cells[1]), "", clean(cells[2]) if len(cells) > 2 else "", ""])
    return rows


def rtm2_errors(docs):
    base = "shared/signaling/reference/api-ref/"
    variables = {
        "code": mdx_vars(read(docs, base + "shared/_error-codes.mdx")),
        "enumv": mdx_vars(read(docs, base + "shared/_enumv.mdx")),
        "config": {},
    }
    text = read(docs, base + "linux-cpp/troubleshooting.mdx")
    rows = []
    for _, header, body in md_tables(text):
        if "Error code" not in header[0]:
            continue
        for cells in body:
            v = clean(cells[0]).strip("`")
            m = re.search(r"\{code\.(\w+)\[", cells[1])
            names = variables["code"].get(m.group(1), {}) if m else {}
            name = names.get("cpp") or names.get("javascript") or ""
            if not name:
                continue
            aliases = sorted(
                {
                    n
                    for k, n in names.items()
                    if n and n != "/" and n != name and k != "linux"
                }
            )
            desc = clean(cells[2], variables)
            meaning, causes, fix = split_meaning(desc)
            rows.append([v, name, "|".join(aliases), meaning, causes, fix, ""])
    return rows


def rtm2_connection_reasons(docs):
    base = "shared/signaling/reference/api-ref/"
    enumv = mdx_vars(read(docs, base + "shared/_enumv.mdx"))
    text = read(docs, base + "linux-cpp/_enumv-en.mdx")
    rows = []
    for m in re.finditer(r"\|\s*<code>\{enumv\.(reason\w+)\[props\.ag_platform\]\}</code>\s*\|\s*`(\d+)`:\s*(.*?)\|\s*$", text, re.M):
        names = enumv.get(m.group(1), {})
        name = names.get("cpp", "")
        aliases = sorted({n for k, n in names.items() if n and n != name and n != "/"})
        desc = clean(m.group(3))
        meaning, causes, fix = split_meaning(desc)
        rows.append([m.group(2), name, "|".join(aliases), meaning, causes, fix, ""])
    seen = set()
    out = []
    for r in rows:
        if r[1] in seen:
            continue
        seen.add(r[1])
        out.append(r)
    return out


def chat_native(docs):
    base = "shared/chat-sdk/reference/error-codes/"
    ios = {}
    for _, header, body in md_tables(read(docs, base + "ios.mdx")):
        for cells in body:
            ios.setdefault(clean(cells[0]).strip("`"), clean(cells[1]))
    unity = {}
    for _, header, body in md_tables(read(docs, base + "unity.mdx")):
        for cells in body:
            unity.setdefault(clean(cells[0]).strip("`"), clean(cells[1]))
    rows = []
    for _, header, body in md_tables(read(docs, base + "android.mdx")):
        for cells in body:
            v = clean(cells[0]).strip("`")
            name = clean(cells[1])
            aliases = set()
            i = ios.get(v)
            if i:
                aliases.add(i)
                if i.startswith("AgoraChatError"):
                    # The Easemob (Hyphenate) SDK that Agora Chat grew from names the same codes EMError….
                    aliases.add("EMError" + i[len("AgoraChatError"):])
            u = unity.get(v)
            if u and u != name:
                aliases.add(u)
            aliases.discard(name)
            rows.append([v, name, "|".join(sorted(aliases)), clean(cells[2]), "", clean(cells[3]), ""])
    return rows


def chat_web(docs):
    rows = []
    for _, header, body in md_tables(read(docs, "shared/chat-sdk/reference/error-codes/web.mdx")):
        for cells in body:
            rows.append([clean(cells[0]).strip("`"), clean(cells[1]), "", clean(cells[2]), "", clean(cells[3]), ""])
    return rows


def chat_rest(docs):
    rows = []
    for heading, header, body in md_tables(read(docs, "shared/chat-sdk/reference/_http-status-codes.mdx")):
        for cells in body:
            if len(cells) < 5:
                continue
            status = clean(cells[0]).strip("`")
            code = clean(cells[1]).replace("` `", "").strip("`").replace(" ", "")
            msg = clean(cells[2]).strip('"')
            name = code if code not in ("N/A", "-", "") else ""
            rows.append([status, name, "", clean(cells[3]), "", clean(cells[4]), "", msg])
    return rows


def http_table(docs, path, status_col=0, msg_col=None, desc_col=1, fix_col=None, name_col=None, header=None, only=None):
    """Rows of HTTP status tables; with `header`, only tables whose first header cell says it (a page that
    also holds a table of video resolutions, `| 320 × 240 |`, is not read as statuses); with `only`, only
    those statuses (the shared RESTful table's rows that a product's own table lacks)."""
    rows = []
    for heading, head, body in md_tables(read(docs, path)):
        if header is not None and header.lower() not in clean(head[0]).lower():
            continue
        for cells in body:
            if len(cells) <= desc_col:
                continue
            status = clean(cells[status_col]).strip("`")
            m = re.match(r"(\d{3})", status)
            if not m or (only is not None and m.group(1) not in only):
                continue
            msg = clean(cells[msg_col]).strip('"`') if msg_col is not None else ""
            name = clean(cells[name_col]).strip("`") if name_col is not None else ""
            fix = clean(cells[fix_col]) if fix_col is not None and fix_col < len(cells) else ""
            rows.append([m.group(1), name, "", clean(cells[desc_col]), "", fix, "", msg])
    return rows


def cloud_recording(docs):
    rows = []
    for heading, header, body in md_tables(read(docs, "cloud-recording/rest-api/status-codes.mdx")):
        for cells in body:
            status = clean(cells[0]).strip("`")
            m = re.match(r"(\d{3})", status)
            second = clean(cells[1])
            cm = re.search(r"code:\s*(\d+)(?:,\s*reason:\s*\"([^\"]+)\")?", second)
            if cm:
                value = cm.group(1)
                msg = cm.group(2) or ""
            else:
                value = m.group(1)
                msg = second.strip('"`')
            rows.append([value, "", "", clean(cells[2]), "", clean(cells[3]), "", msg, heading, m.group(1)])
    return rows


# Docs-Source commit b1cf5a9 (2026-06-17) replaced the Cloud Recording "Common errors" page with the
# per-endpoint status tables; the service still answers with the numbered codes that page documented.
CLOUD_RECORDING_COMMON_ERRORS_AT = "b1cf5a97fde35ba175c39d8868ef514a3c5eb6e6^"


def cloud_recording_common_errors(docs):
    """The numbered codes of the retired Common errors page: `- \`433\`: The resource ID has expired. …`,
    with indented sub-bullets as causes."""
    text = git_show_at(docs, CLOUD_RECORDING_COMMON_ERRORS_AT, "cloud-recording/reference/common-errors.md")
    part = text.split("## Error codes", 1)[1].split("## Status codes", 1)[0]
    rows = []
    current = None
    for line in part.splitlines():
        m = re.match(r"^- `(\d+)`:\s*(.*)$", line)
        if m:
            current = [m.group(1), clean(m.group(2)), []]
            rows.append(current)
            continue
        sub = re.match(r"^\s+- (.*)$", line)
        if sub and current is not None:
            current[2].append(clean(sub.group(1)))
            continue
        if line.startswith("- "):
            current = None
    out = []
    for value, desc, subs in rows:
        meaning, causes, fix = split_meaning(desc)
        if subs and not causes:
            causes = "; ".join(subs)
        elif subs:
            causes = causes + "; " + "; ".join(subs)
        if not fix:
            fm = re.search(r"(?<=\. )((?:Do not|Call|Retry|You need|Ensure)[^.]*\.?.*)$", meaning)
            if fm:
                fix = fm.group(1)
                meaning = meaning[: fm.start()].strip()
        out.append([value, "", "", meaning, causes, fix, ""])
    return out


def ncs_cloud_recording_events(docs):
    """The Cloud Recording event table: `| [1](#1-cloud_recording_error) | 0 (cloud recording service) | … |`;
    the event's name is the anchor's tail, the service type goes to `section`."""
    rows = []
    text = read(docs, "shared/notification-center-service/event-types/cloud-recording.mdx")
    for heading, header, body in md_tables(text):
        if clean(header[0]).lower() != "eventtype":
            continue
        for cells in body:
            m = re.match(r"\[(\d+)\]\(#\d+-(\w+)\)", cells[0].strip())
            if not m:
                continue
            rows.append([m.group(1), "", "", clean(cells[2]), "", "", "", m.group(2), clean(cells[1])])
    return rows


def cloud_recording_ncs_codes(docs, part):
    """The code tables inside the Cloud Recording event descriptions: `leave` (LEAVE_CODE_* of event 41,
    `| LEAVE_CODE_SIG | 2 (binary 10): … |`), `web-stop` (the `code`/`message` of event 71) and `codes`
    and `errors`, `warnings`, `status` (the codes of events 1-3, under "Error and warning codes")."""
    text = read(docs, "shared/notification-center-service/event-types/cloud-recording.mdx")
    rows = []
    if part in ("errors", "warnings", "status"):
        text = text.split("### Error and warning codes", 1)[1]
    for heading, header, body in md_tables(text):
        head = clean(header[0]).lower()
        for cells in body:
            if part == "leave" and head == "enumerator":
                m = re.match(r"(\d+)(?: \(binary \d+\))?:\s*(.*)", clean(cells[1]))
                if m:
                    meaning, causes, fix = split_meaning(m.group(2))
                    rows.append([m.group(1), clean(cells[0]), "", meaning, causes, fix, ""])
            elif part == "web-stop" and head == "error code" and len(cells) >= 3:
                msg = clean(cells[1]).strip("`").strip()
                rows.append([clean(cells[0]).strip("`"), "", "", clean(cells[2]), "", "", "", msg])
            elif part in ("errors", "warnings", "status") and len(cells) == 2 and re.fullmatch(r"\d+", clean(cells[0])) \
                    and heading.lower().startswith({"errors": "error codes", "warnings": "warning codes", "status": "status codes"}[part]):
                rows.append([clean(cells[0]), "", "", clean(cells[1]), "", "", "", "", heading])
    return rows


def whiteboard_conversion(docs):
    rows = []
    text = read(docs, "interactive-whiteboard/reference/whiteboard-api/file-conversion.md")
    for heading, header, body in md_tables(text):
        for cells in body:
            v = clean(cells[0]).strip("`")
            if not re.fullmatch(r"\d{7}", v):
                continue
            rows.append([v, "", "", clean(cells[1]), "", clean(cells[2]), "", clean(cells[1])])
    return rows


def classroom_rest(docs):
    rows = []
    text = read(docs, "flexible-classroom/restful-api/classroom-api.mdx")
    for heading, header, body in md_tables(text):
        if not header or "status" not in header[0].lower():
            continue
        for cells in body:
            status = clean(cells[0])
            code = clean(cells[1])
            if not re.fullmatch(r"\d{3}", status):
                continue
            value = code if re.fullmatch(r"\d+", code) and code != status and code != "0" else status
            rows.append([value, "", "", clean(cells[2]), "", "", "", "", "", status])
    return rows


def ncs_events(docs, path):
    """Rows of an NCS event-type table: `| 101 | \`channel create\` | Creates a channel. |` (the number may be
    a link `[101](#101-agent-joined)`)."""
    rows = []
    for heading, header, body in md_tables(read(docs, path)):
        for cells in body:
            if len(cells) < 3:
                continue
            m = re.match(r"\[?(\d{1,3})\]?", clean(cells[0]).strip("`"))
            if not m:
                continue
            name = clean(cells[1]).strip("`").strip()
            rows.append([m.group(1), "", "", clean(cells[2]), "", "", "", name])
    return rows


def research_tsv(kind):
    """Rows of the Web SDK research table (fixtures/errors.tsv, read from the npm package agora-rtc-sdk-ng
    4.24.8: rtc-sdk_en.d.ts and the bundle's gateway tables) of one kind."""
    path = os.path.join(os.path.dirname(os.path.dirname(HERE)), "fixtures", "errors.tsv")
    rows = []
    for line in open(path, encoding="utf-8").read().splitlines()[1:]:
        f = line.split("\t")
        if f[3] != kind:
            continue
        value, name = f[1], f[2]
        if kind == "gateway-reason" and value == "-":
            value = ""
        rows.append([value, name, "", f[4], f[5], f[6], ""])
    return rows


READERS = {
    "docs_native_errors": lambda a: docs_native_errors(a["docs"]),
    "docs_native_warnings_3x": lambda a: docs_native_warnings_3x(a["docs"]),
    "docs_web_errors": lambda a: docs_web_errors(a["docs"]),
    "rtm2_errors": lambda a: rtm2_errors(a["docs"]),
    "rtm2_connection_reasons": lambda a: rtm2_connection_reasons(a["docs"]),
    "chat_native": lambda a: chat_native(a["docs"]),
    "chat_web": lambda a: chat_web(a["docs"]),
    "chat_rest": lambda a: chat_rest(a["docs"]),
    "cloud_recording": lambda a: cloud_recording(a["docs"]),
    "cloud_recording_common_errors": lambda a: cloud_recording_common_errors(a["docs"]),
    "ncs_cloud_recording_events": lambda a: ncs_cloud_recording_events(a["docs"]),
    "cloud_recording_ncs_leave": lambda a: cloud_recording_ncs_codes(a["docs"], "leave"),
    "cloud_recording_ncs_web_stop": lambda a: cloud_recording_ncs_codes(a["docs"], "web-stop"),
    "cloud_recording_ncs_errors": lambda a: cloud_recording_ncs_codes(a["docs"], "errors"),
    "cloud_recording_ncs_warnings": lambda a: cloud_recording_ncs_codes(a["docs"], "warnings"),
    "cloud_recording_ncs_status": lambda a: cloud_recording_ncs_codes(a["docs"], "status"),
    "whiteboard_conversion": lambda a: whiteboard_conversion(a["docs"]),
    "classroom_rest": lambda a: classroom_rest(a["docs"]),
}


def run(table, args):
    src = table["reader"]
    if src in READERS:
        return READERS[src](args)
    kind, rest = src.split(":", 1)
    if kind == "rn":
        path, enum = rest.split("#")
        return rn_enum(args["rn"], path, enum)
    if kind == "rtm1":
        return cs_enum(args["rtm1"], "unity_rtm_sdk/Projects/Rtm-Scripts/RtmEnum.cs", rest)
    if kind == "research":
        return research_tsv(rest)
    if kind == "ncs":
        return ncs_events(args["docs"], rest)
    if kind == "http":
        spec = json.loads(rest)
        path = spec.pop("path")
        return http_table(args["docs"], path, **spec)
    raise SystemExit(f"unknown reader {src}")


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    args = {"docs": sys.argv[1], "rn": sys.argv[2], "rtm1": sys.argv[3]}
    os.makedirs(ROWS, exist_ok=True)
    for table in TABLES:
        if table.get("hand"):
            continue
        rows = run(table, args)
        # One row per distinct identifier: the same code listed under several endpoints is one row.
        seen = set()
        kept = []
        for r in rows:
            r = (r + [""] * 10)[:10]
            ident = (r[0], r[1], r[7])
            if ident in seen:
                continue
            seen.add(ident)
            kept.append(r)
        with open(os.path.join(ROWS, table["id"] + ".tsv"), "w", encoding="utf-8") as f:
            f.write("value\tname\taliases\tmeaning\tcauses\tfix\tlegacy\tmessage\tsection\tstatus\n")
            for r in kept:
                f.write("\t".join(c.replace("\t", " ").replace("\n", " ") for c in r) + "\n")
        print(f"{table['id']}: {len(kept)} rows")


if __name__ == "__main__":
    main()
