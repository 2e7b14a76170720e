#!/usr/bin/env bash
# Renders the fleet report fixture to HTML with the w2k8 binary and checks it
# in headless Chromium (fleet.mjs). Needs /usr/bin/chromium (Debian package
# `chromium`) and Node.js with npm; installs playwright-core from the lock
# file. Screenshots: target/browser/fleet-report.png, fleet-report-print.png,
# fleet-report-1440.png, fleet-report-390.png, fleet-report-390-hosts.png (look at them).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
out="$root/target/browser"
mkdir -p "$out"
fixture="$root/crates/report/tests/fixtures/fleet/report.json"
(cd "$here" && npm ci --no-audit --no-fund --silent)
cargo run --quiet --locked -p w2k8 -- report --from-json "$fixture" --format html --out "$out/fleet-report.html"
node "$here/fleet.mjs" "$out/fleet-report.html" "$fixture" "$out"
