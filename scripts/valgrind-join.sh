#!/usr/bin/env bash
# Memory check of the native join cycle: runs `agora-doctor join --sim` (the binding loading the SDK
# double, a TEST DOUBLE, through dlopen, talking to the simulated relay) under valgrind memcheck, once
# on the success path (join, publish, listen, leave) and once on a failure path (expired token).
# Fails if valgrind reports any memory error or a definite/indirect leak. Needs: valgrind (Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
cargo build --quiet -p agora-doctor -p agora-sdk-double
bin=target/debug/agora-doctor
vg=(valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --num-callers=30)

run() {
  local name=$1 want=$2; shift 2
  echo "== valgrind: $name: $bin $*" >&2
  set +e
  "${vg[@]}" --log-file="target/valgrind-$name.log" "$bin" "$@" > "target/valgrind-$name.out"
  local code=$?
  set -e
  grep -E "ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|still reachable|All heap blocks" \
    "target/valgrind-$name.log" | sed 's/^==[0-9]*== /  /' >&2
  head -1 "target/valgrind-$name.out" >&2
  if [ "$code" -eq 99 ]; then echo "valgrind found errors on the $name path" >&2; exit 1; fi
  if [ "$code" -ne "$want" ]; then echo "$name path exited $code, expected $want" >&2; exit 1; fi
}

run success 0 join --sim --listen --tone-secs 0.5 --timeout 30 --color never
run expired 1 join --sim --sim-fault expired --timeout 30 --color never
echo "valgrind: no memory errors and no definite or indirect leaks on either path" >&2
