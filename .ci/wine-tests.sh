#!/usr/bin/env bash
# Runs the generated install.cmd / rollback.cmd under Wine's cmd.exe with a stub wusa
# (crates/cli/tests/wine/run.sh). Installs Wine (Debian: wine64) when it is missing.
# Exits non-zero when Wine cannot be installed or any check fails. About 15 s once Wine is installed
# (the first Wine start creates its prefix); installing Wine itself takes a few minutes on a fresh image.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wine >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wine64 wine >/dev/null
fi
exec crates/cli/tests/wine/run.sh
