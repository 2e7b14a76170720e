#!/usr/bin/env bash
# Runs the fleet steps with two w2k8 binaries on the same synthetic fleet, one after the other, on this machine:
# demo-fleet, scan (wall time, peak RSS, database size), hosts --format json, report --format html, a KEV import with
# its re-assessment of every stored host, and assess of each bundled example (process time, best of 5).
#
# Usage: bench/before-after.sh BEFORE_BIN AFTER_BIN [HOSTS]   (HOSTS default 10000)
# Figures, not assertions. Both binaries judge the same fleet written by AFTER_BIN's demo-fleet.
set -euo pipefail
before="$1" after="$2" n="${3:-10000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/w2k8-before-after.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
# No catalog import of this machine's user changes the answers; the import step below has its own data folder.
export W2K8_DATA_DIR="$tmp/no-overlay"
"$after" demo-fleet "$n" --out "$tmp/fleet" >/dev/null
{ cat "$root/data/kev/kev-microsoft.csv"
  echo "CVE-2023-20569,Microsoft,Windows,TEST-ONLY fictitious entry (w2k8 bench),2026-12-01,2026-12-22,Known"
} > "$tmp/known_exploited_vulnerabilities.csv"

secs() { # secs COMMAND...: wall seconds of the command (its output dropped)
    local t0 t1
    t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc
}

for which in before after; do
    bin="$before"; [ "$which" = after ] && bin="$after"
    d="$tmp/$which"; mkdir -p "$d"
    /usr/bin/time -f "%e %M" -o "$d/time" "$bin" scan "$tmp/fleet" --db "$d/f.db" >/dev/null 2>&1 || true
    read -r wall rss < <(tail -n 1 "$d/time")
    echo "$which: scan $n hosts: ${wall} s, peak RSS $((rss / 1024)) MB, database $(( $(stat -c %s "$d/f.db") / 1000000 )) MB"
    echo "$which: hosts --format json: $(secs "$bin" hosts --db "$d/f.db" --format json) s"
    "$bin" report --db "$d/f.db" --format html > "$d/report.html" 2>/dev/null || true
    echo "$which: report --format html: $(secs "$bin" report --db "$d/f.db" --format html) s, $(( $(stat -c %s "$d/report.html") / 1000 )) kB"
    /usr/bin/time -f "%e %M" -o "$d/time" env W2K8_DATA_DIR="$d/data" \
        "$bin" catalog import "$tmp/known_exploited_vulnerabilities.csv" --db "$d/f.db" >/dev/null 2>&1 || true
    read -r wall rss < <(tail -n 1 "$d/time")
    echo "$which: catalog import + re-assessment of $n hosts: ${wall} s, peak RSS $((rss / 1024)) MB"
    for ex in srv-file01 srv-legacy01 srv-r2-esu01; do
        [ -d "$root/examples/$ex" ] || continue
        best=999
        for _ in 1 2 3 4 5; do
            s=$(secs "$bin" assess "$root/examples/$ex" --format json)
            best=$(echo "if ($s < $best) $s else $best" | bc)
        done
        echo "$which: assess $ex (process, best of 5): $best s"
    done
done
