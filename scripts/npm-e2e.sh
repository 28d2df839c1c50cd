#!/usr/bin/env bash
# The install paths a user takes, each from an empty directory outside the checkout:
#  1. the npm package: a real npm registry (verdaccio, scripts/verdaccio, installed by
#     scripts/setup.d/45-verdaccio.sh) on 127.0.0.1:<free port>, storage in a temporary folder, no
#     uplinks (it never reaches the internet); the Web SDK 4.24.8 the package depends on (with its
#     dependencies, from fixtures/web's lock) and the package (scripts/npm-pack.sh) are published
#     there, installed into an empty folder, and run with `npx agora-doctor token --example expired`
#     (exit 1) and `npx agora-doctor probe --sim`;
#  2. the `cargo install`ed binary (first argument): `probe --sim`, whose Web SDK it downloads with
#     npm, from that loopback registry, into an empty cache (then the next run uses the cache).
# With Chromium installed every probe check passes (devices is a skip under --sim by design).
# `scripts/npm-e2e.sh INSTALLED_BINARY [PACKAGED_BINARY]`.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
installed=$(realpath "$1")
packaged=${2:-$installed}
bash scripts/setup.d/45-verdaccio.sh

work=$(mktemp -d)
registry_pid=""
cleanup() {
  # The registry's own exit status (143 after the kill) must not become this script's under set -e.
  if [ -n "$registry_pid" ]; then
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
registry="http://127.0.0.1:$port/"
cat > "$work/config.yaml" <<YAML
storage: $work/storage
auth:
  htpasswd:
    file: $work/htpasswd
uplinks: {}
max_body_size: 500mb
packages:
  '**':
    access: \$all
    publish: \$authenticated
logs: { type: stdout, format: pretty, level: warn }
YAML
node scripts/verdaccio/node_modules/verdaccio/bin/verdaccio --config "$work/config.yaml" \
  --listen "127.0.0.1:$port" > "$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 150); do
  curl -sf --max-time 2 "${registry}-/ping" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf --max-time 5 "${registry}-/ping" >/dev/null || { cat "$work/registry.log" >&2; exit 1; }

# A user of the test registry, and an npm configuration that knows only it.
token=$(curl -sf --max-time 10 -X PUT -H 'content-type: application/json' \
  -d '{"name":"ci","password":"ci-password-1"}' "${registry}-/user/org.couchdb.user:ci" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')
export npm_config_userconfig="$work/npmrc"
printf 'registry=%s\n//127.0.0.1:%s/:_authToken=%s\n' "$registry" "$port" "$token" > "$npm_config_userconfig"
export npm_config_cache="$work/npm-cache" npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export HOME="$work/home" XDG_CACHE_HOME="$work/xdg-cache"
mkdir -p "$HOME"
unset AGORA_DOCTOR_WEB_SDK AGORA_DOCTOR_CACHE AGORA_DOCTOR_NO_BROWSER

# The Web SDK the package depends on (the current 4.24.8) with every package it needs, and the
# article's 4.3.0, as fixtures/web's lock installed them; --ignore-scripts because an installed
# folder is not a source tree (several packages' prepublish scripts would try to build it).
fixtures="$repo/fixtures/web"
node -e '
  const lock = require(process.argv[1] + "/package-lock.json");
  for (const path of Object.keys(lock.packages))
    if (path && !/agora-rtc-sdk-ng-4\d+$/.test(path)) console.log(process.argv[1] + "/" + path);' "$fixtures" |
  xargs -P 4 -I{} npm publish --ignore-scripts --loglevel=error {} >/dev/null
for sdk in agora-rtc-sdk-ng-430 agora-rtc-sdk-ng-424; do
  npm publish --ignore-scripts --loglevel=error "$fixtures/node_modules/$sdk" >/dev/null
done
tarball=$(scripts/npm-pack.sh "$packaged")
npm publish --loglevel=error "$tarball" >/dev/null

# Every check passes but devices (a skip under --sim by design); print the Web SDK's source.
judge() {
  node -e '
    let s=""; process.stdin.on("data",d=>s+=d).on("end",()=>{
      const r = JSON.parse(s), bad = [];
      for (const c of r.checks) if (c.status !== "pass" && !(c.id === "devices" && c.status === "skip")) bad.push(c.id + ": " + c.status + " " + c.summary);
      const browser = r.checks.find(c => c.id === "browser");
      const sdk = browser && browser.findings.find(f => f.key === "probe.browser.web_sdk");
      if (bad.length) { console.error(bad.join("\n")); process.exit(1); }
      if (!sdk) { console.error("no probe.browser.web_sdk finding"); process.exit(1); }
      console.log(sdk.evidence.filter(e => /^(version|source):/.test(e)).join(", "));
    })'
}

echo "== npm package: npx agora-doctor in an empty directory" >&2
app="$work/app"
mkdir -p "$app"
cd "$app"
npm install --loglevel=error agora-doctor >/dev/null
status=0
npx --no-install agora-doctor token --example expired >/dev/null || status=$?
[ "$status" -eq 1 ] || { echo "npx agora-doctor token --example expired exited $status, expected 1" >&2; exit 1; }
got=$(npx --no-install agora-doctor probe --sim --json | judge)
echo "npx agora-doctor probe --sim: every check passed; Web SDK $got" >&2
case "$got" in *"source: package"*) ;; *) echo "expected the package's Web SDK, got: $got" >&2; exit 1 ;; esac

echo "== cargo install: $installed in an empty directory" >&2
empty="$work/empty"
mkdir -p "$empty"
cd "$empty"
status=0
"$installed" token --example expired >/dev/null || status=$?
[ "$status" -eq 1 ] || { echo "token --example expired exited $status, expected 1" >&2; exit 1; }
got=$("$installed" probe --sim --json | judge)
echo "installed probe --sim (first run): every check passed; Web SDK $got" >&2
case "$got" in *"source: download"*) ;; *) echo "expected a download, got: $got" >&2; exit 1 ;; esac
got=$("$installed" probe --sim --json | judge)
echo "installed probe --sim (second run): every check passed; Web SDK $got" >&2
case "$got" in *"source: cache"*) ;; *) echo "expected the cache, got: $got" >&2; exit 1 ;; esac
echo "npm package and installed binary work from empty directories" >&2
