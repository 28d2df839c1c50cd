#!/usr/bin/env python3
"""Write the tree of COMMIT from the git directory GIT_DIR into DEST, the way `git archive` would,
but passing over blobs the git directory does not hold (a partial mirror may lack its largest files).
Prints how many files were written and which were missing. Used by scripts/scan-real-fetch.sh.

Usage: scan-real-export.py GIT_DIR COMMIT DEST
"""
import os
import subprocess
import sys


def main() -> int:
    git_dir, commit, dest = sys.argv[1:4]
    listing = subprocess.run(
        ["git", "--git-dir", git_dir, "ls-tree", "-r", "-z", "--full-tree", commit],
        check=True, capture_output=True,
    ).stdout
    entries = []
    for rec in listing.split(b"\0"):
        if not rec:
            continue
        meta, path = rec.split(b"\t", 1)
        mode, kind, sha = meta.split(b" ")
        if kind != b"blob":
            continue  # submodules are not part of the tree's files
        entries.append((mode.decode(), sha.decode(), os.fsdecode(path)))
    cat = subprocess.Popen(
        ["git", "--git-dir", git_dir, "cat-file", "--batch"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )
    written, missing = 0, []
    for mode, sha, path in entries:
        cat.stdin.write(sha.encode() + b"\n")
        cat.stdin.flush()
        header = cat.stdout.readline().split()
        if len(header) < 2 or header[1] == b"missing":
            missing.append(path)
            continue
        size = int(header[2])
        data = cat.stdout.read(size)
        cat.stdout.read(1)  # the newline after the object
        target = os.path.join(dest, path)
        os.makedirs(os.path.dirname(target) or dest, exist_ok=True)
        if mode == "120000":
            if os.path.lexists(target):
                os.remove(target)
            os.symlink(os.fsdecode(data), target)
        else:
            with open(target, "wb") as out:
                out.write(data)
            if mode == "100755":
                os.chmod(target, 0o755)
        written += 1
    cat.stdin.close()
    cat.wait()
    print(f"{written} files written, {len(missing)} missing from the git directory")
    for path in missing:
        print(f"  missing: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
