#!/usr/bin/env bash
# Score `agora-doctor scan` on the labelled real repositories of fixtures/scan-real/ (how they were chosen
# and labelled, and the matching rule, are in fixtures/scan-real/README.md). Not part of the test suite.
#
# Usage: benches/scan_real.sh BINARY [REPOS_DIR]
#   BINARY     an agora-doctor binary (any version: its `scan --json` output is what is scored)
#   REPOS_DIR  where scripts/scan-real-fetch.sh put the repositories (default target/scan-real)
# Environment: SCAN_REAL_NOW (default 2026-12-07T00:00:00Z) is passed as --now, so that token expiry is
# judged at one fixed time; SCAN_REAL_ONLY=owner/name scores one repository; SCAN_REAL_VERBOSE=1 lists
# every finding with its verdict, and every missed label.
# Prints, per repository: wall time, max RSS, findings, true (problem labels matched), accepted (true but
# optional labels matched), false, duplicates, problems found / labelled; then the totals, precision,
# recall and the each-fact-once violations. Exit 0 whatever the score.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: benches/scan_real.sh BINARY [REPOS_DIR]}
repos=${2:-target/scan-real}
[ -x "$bin" ] || { echo "not an executable: $bin" >&2; exit 2; }
[ -d "$repos" ] || { echo "no repositories at $repos: run scripts/scan-real-fetch.sh $repos first" >&2; exit 2; }
exec python3 - "$bin" "$repos" fixtures/scan-real/labels.json <<'PY'
import json, os, re, subprocess, sys, tempfile, time

bin_, repos_dir, labels_path = sys.argv[1:4]
now = os.environ.get("SCAN_REAL_NOW", "2026-12-07T00:00:00Z")
only = os.environ.get("SCAN_REAL_ONLY")
verbose = os.environ.get("SCAN_REAL_VERBOSE") == "1"
LINE_SLACK = 3
# A finding's key is compatible with a label's kind when it matches the kind's pattern (README: "Kinds").
KINDS = {
    "app_id_placeholder": r"app_?id.*(placeholder|invalid|empty|missing)|placeholder",
    "app_id_empty": r"app_?id.*(empty|invalid|missing|placeholder)",
    "app_id_invalid": r"app_?id.*(invalid|malformed|placeholder)|bad_app_id",
    "token_placeholder": r"placeholder|token\.(empty|unknown_version|truncated|bad_|app_id_instead)",
    "xcode_placeholder": r"placeholder",
    "channel_placeholder": r"placeholder|channel",
    "channel_empty": r"channel",
    "token_empty": r"empty",
    "token_expired": r"expire",
    "token_invalid": r"token\.(bad_|truncated|signature|unknown|trailing|missing_padding)|invalid",
    "token_wrong_channel": r"channel",
    "token_wrong_uid": r"uid",
    "chat_token_for_rtc": r"chat|service|vendor|product",
    "rtc_token_for_rtm": r"rtm|service",
    "login_jwt_as_token": r"jwt|vendor|not_agora",
    "lifetime_as_expiry": r"lifetime|expire|expiry",
    "certificate_in_client": r"certificate|secret",
    "certificate_committed": r"certificate|secret",
    "secret_in_client": r"secret|certificate|credential",
    "retired_sdk": r"retired|end_of_life|eol|deprecated|legacy|generation|3x|v3|unsupported|old_sdk",
    "sdk_generation_mismatch": r"generation|mismatch|retired|legacy|3x|v3|wrong_sdk|api_version",
    "undeclared_sdk_import": r"undeclared|not_declared|missing_dep|missing_package|import",
    "remove_without_check": r"remove",
    "publish_after_failed_join": r"publish_after|swallow|after_failed|join.*(fail|catch|ignored)",
    "audio_never_played": r"play",
    "join_empty_token": r"empty",
    "token_never_renewed": r"renew",
    "sdk_version": r"deps\.|version|known_problem|duplicate|deprecated",
    "api_misuse": r"^scan\.code\.",
}
PROBLEM_STATUSES = {"warn", "fail", "error"}


def norm(path):
    path = (path or "").replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def places(finding):
    """Every (file, line) a finding names: its own, and those of any list of places it carries."""
    out = [(norm(finding.get("file")), finding.get("line"))]
    for key in ("places", "locations", "occurrences", "also", "at"):
        extra = finding.get(key)
        if isinstance(extra, list):
            for p in extra:
                if isinstance(p, dict) and p.get("file"):
                    out.append((norm(p["file"]), p.get("line")))
    return out


def label_places(label):
    return [(norm(label["file"]), label.get("line"))] + [(norm(a["file"]), a.get("line")) for a in label.get("also", [])]


def near(fl, ll):
    return fl is None or ll is None or abs(fl - ll) <= LINE_SLACK


def matches(finding, label):
    if not re.search(KINDS.get(label["kind"], r"(?!)"), finding["key"]):
        return None
    fps = places(finding)
    if all(f == "" for f, _ in fps):
        return 10**6  # a finding with no file matches by kind alone, last in preference
    best = None
    for f, fl in fps:
        for lf, ll in label_places(label):
            if f == lf and near(fl, ll):
                d = abs(fl - ll) if fl is not None and ll is not None else LINE_SLACK + 1
                best = d if best is None else min(best, d)
    return best


def in_leave_alone(finding, entry):
    files = [f for f, _ in places(finding) if f]
    return any((f == norm(l["file"]) or (l["file"].endswith("/") and f.startswith(norm(l["file"])))) for f in files for l in entry["leave_alone"])


def run(dir_):
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        p = subprocess.Popen([bin_, "scan", dir_, "--json", "--now", now], stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
        out.seek(0)
        data = out.read()
    try:
        report = json.loads(data)
    except ValueError:
        report = None
    return wall, usage.ru_maxrss / 1024.0, report, os.waitstatus_to_exitcode(status)


labels = json.load(open(labels_path))
tot = dict(findings=0, true=0, accepted=0, false=0, dups=0, found=0, problems=0, leave_alone_hits=0)
print(f"scan --json --now {now}, binary {bin_}")
print(f"{'repository':<50} {'wall ms':>8} {'RSS MB':>7} {'finds':>5} {'true':>4} {'acc':>4} {'false':>5} {'dup':>4} {'found':>8}")
for entry in labels:
    if only and entry["repo"] != only:
        continue
    dir_ = os.path.join(repos_dir, entry["repo"].replace("/", "+"))
    if not os.path.isdir(dir_):
        print(f"{entry['repo']:<50} missing at {dir_}")
        continue
    wall, rss, report, code = run(dir_)
    if report is None:
        print(f"{entry['repo']:<50} {wall*1000:8.0f} {rss:7.1f}  no JSON (exit {code})")
        continue
    findings = [f for f in report.get("findings", []) if f.get("status") in PROBLEM_STATUSES]
    problems = [dict(l, _problem=True, _hits=0) for l in entry["problems"]]
    accepted = [dict(l, _problem=False, _hits=0) for l in entry.get("acceptable", [])]
    counts = dict(true=0, accepted=0, false=0, leave_alone_hits=0)
    for f in findings:
        cands = []
        for lab in problems + accepted:
            d = matches(f, lab)
            if d is not None:
                cands.append((not lab["_problem"], lab["_hits"] > 0, d, id(lab), lab))
        if cands:
            lab = min(cands)[-1]
            lab["_hits"] += 1
            verdict = "true" if lab["_problem"] else "accepted"
            counts[verdict] += 1
        else:
            lab, verdict = None, "false"
            counts["false"] += 1
            if in_leave_alone(f, entry):
                counts["leave_alone_hits"] += 1
        if verbose:
            where = f"{f.get('file')}:{f.get('line')}"
            print(f"    {verdict:<8} {f['key']:<40} {where}" + (f"  -> {lab['kind']}" if lab else ""))
    dups = sum(max(0, l["_hits"] - 1) for l in problems + accepted)
    found = sum(1 for l in problems if l["_hits"])
    if verbose:
        for l in problems:
            if not l["_hits"]:
                print(f"    missed   {l['kind']:<40} {l['file']}:{l['line']}")
    print(f"{entry['repo']:<50} {wall*1000:8.0f} {rss:7.1f} {len(findings):5d} {counts['true']:4d} {counts['accepted']:4d} {counts['false']:5d} {dups:4d} {found:3d} / {len(problems):<3d}")
    tot["findings"] += len(findings)
    tot["true"] += counts["true"]
    tot["accepted"] += counts["accepted"]
    tot["false"] += counts["false"]
    tot["leave_alone_hits"] += counts["leave_alone_hits"]
    tot["dups"] += dups
    tot["found"] += found
    tot["problems"] += len(problems)

precision = (tot["true"] + tot["accepted"]) / tot["findings"] if tot["findings"] else 1.0
recall = tot["found"] / tot["problems"] if tot["problems"] else 1.0
print(f"total: {tot['findings']} findings, {tot['true']} true, {tot['accepted']} accepted, {tot['false']} false "
      f"({tot['leave_alone_hits']} of them in files labelled leave-alone); {tot['found']} of {tot['problems']} labelled problems found")
print(f"precision {precision:.1%}  recall {recall:.1%}  each-fact-once violations {tot['dups']} (findings beyond the first on one labelled fact)")
PY
