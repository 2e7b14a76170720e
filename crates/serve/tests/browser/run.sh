#!/usr/bin/env bash
# Drives the `w2k8 serve` dashboard in headless Chromium (dashboard.mjs)
# against a live server on a temporary fleet store: examples/fleet (scanned
# as of 2026-06-01), examples/srv-legacy01 and examples/srv-r2-esu01 (2026-09-01) and a copy of
# examples/srv-file01 renamed `<script>alert(1)</script>` (2026-11-25), so
# the exposure history has three points and one host name is hostile; and
# a junk bundle named srv-legacy01.zip (2026-11-26), so that a name names two
# hosts.
# Needs /usr/bin/chromium (Debian package `chromium`, or CHROMIUM=path) and
# Node.js with npm; installs playwright-core from the lock file.
# Screenshots: target/browser/dashboard-*.png.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
out="$root/target/browser"
mkdir -p "$out"
(cd "$here" && npm ci --no-audit --no-fund --silent)

cargo build --quiet --locked -p w2k8
bin="${CARGO_TARGET_DIR:-$root/target}/debug/w2k8"
[[ "$bin" = /* ]] || bin="$root/$bin"

tmp="$(mktemp -d /tmp/w2k8-dashboard.XXXXXX)"
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

db="$tmp/fleet.db"
# examples/fleet holds two unreadable zips and a 2012 R2 host on purpose:
# scan exits 4 ("some hosts failed; the others are stored").
rc=0
"$bin" scan --db "$db" --as-of 2026-06-01 "$root/examples/fleet" >/dev/null || rc=$?
[ "$rc" -eq 4 ] || { echo "scan of examples/fleet exited $rc, expected 4" >&2; exit 1; }
"$bin" scan --db "$db" --as-of 2026-09-01 "$root/examples/srv-legacy01" >/dev/null
# A Windows Server 2008 R2 SP1 host (issue 17): build 7601 has a bar of its own.
rc=0
"$bin" scan --db "$db" --as-of 2026-09-01 "$root/examples/srv-r2-esu01" >/dev/null || rc=$?
[ "$rc" -eq 0 ] || { echo "scan of examples/srv-r2-esu01 exited $rc, expected 0" >&2; exit 1; }
node "$here/make-hostile.mjs" "$root/examples/srv-file01" "$tmp/hostile" '<script>alert(1)</script>'
"$bin" scan --db "$db" --as-of 2026-11-25 "$tmp/hostile" >/dev/null
printf 'not a zip' >"$tmp/srv-legacy01.zip"
rc=0
"$bin" scan --db "$db" --as-of 2026-11-26 "$tmp/srv-legacy01.zip" >/dev/null || rc=$?
[ "$rc" -eq 4 ] || { echo "scan of a junk bundle exited $rc, expected 4" >&2; exit 1; }

# Port 0: the server picks a free port and prints its address.
"$bin" serve --db "$db" --listen 127.0.0.1:0 --token-file "$tmp/token.txt" 2>"$tmp/serve.log" &
server=$!
url=""
for _ in $(seq 1 200); do
  url="$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$tmp/serve.log" | head -n 1 || true)"
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$tmp/serve.log" >&2; echo "w2k8 serve did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$tmp/serve.log" >&2; echo "w2k8 serve printed no address" >&2; exit 1; }
echo "w2k8 serve at $url"

node "$here/dashboard.mjs" "$url" "$tmp/token.txt" "$out"
