#!/usr/bin/env bash
# Bring every repository of fixtures/scan-real/labels.json, at its pinned commit, into DEST/<owner>+<name>/,
# for benches/scan_real.sh. Repositories already present at DEST are left as they are.
#
# Usage: scripts/scan-real-fetch.sh DEST
#   SCAN_REAL_MIRROR=DIR  use local git directories instead of the network: DIR/<owner>+<name> is a bare
#                         git directory (or holds one as repo/ or repo/.git) containing the pinned commit.
#                         The tree is written from it directly; files missing from a partial mirror are
#                         listed and passed over (scripts/scan-real-export.py).
# Without SCAN_REAL_MIRROR each repository is cloned from GitHub with --filter=blob:none and checked out
# at the pinned commit.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:?usage: scripts/scan-real-fetch.sh DEST}
mkdir -p "$dest"
labels=fixtures/scan-real/labels.json
python3 -c 'import json,sys; [print(r["repo"], r["commit"]) for r in json.load(open(sys.argv[1]))]' "$labels" |
while read -r repo commit; do
  dir="$dest/${repo/\//+}"
  if [ -e "$dir" ]; then
    echo "$repo: $dir exists, left as it is"
    continue
  fi
  if [ -n "${SCAN_REAL_MIRROR:-}" ]; then
    src="$SCAN_REAL_MIRROR/${repo/\//+}"
    for candidate in "$src" "$src/repo/.git" "$src/repo"; do
      if git --git-dir="$candidate" cat-file -e "$commit^{commit}" 2>/dev/null; then
        git_dir=$candidate
        break
      fi
    done
    if [ -z "${git_dir:-}" ]; then
      echo "$repo: no git directory with commit $commit under $src" >&2
      exit 2
    fi
    mkdir -p "$dir"
    echo "$repo @ $commit (from $git_dir)"
    python3 scripts/scan-real-export.py "$git_dir" "$commit" "$dir"
    unset git_dir
  else
    echo "$repo @ $commit"
    git clone --quiet --filter=blob:none --no-checkout "https://github.com/$repo.git" "$dir"
    git -C "$dir" -c advice.detachedHead=false checkout --quiet "$commit"
  fi
done
