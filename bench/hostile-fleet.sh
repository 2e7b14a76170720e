#!/usr/bin/env bash
# Issue 18's memory target: peak RSS of `w2k8 scan` on a 1,000-host fleet with hostile members <= 200 MB, and the
# scan always ends with its summary. Writes 990 demo bundles and 10 hostile host folders beside them (a link to
# /dev/zero, a FIFO, a 2 GiB sparse CBS.log, a link out of the bundle to /etc/passwd, a 50 MB systeminfo.txt of
# repeated hotfix lines, a systeminfo.txt that is one 20 MB line, a folder link loop, a zero-byte file, a bundle
# of binary noise, a device node link), scans them with a deadline and prints the peak RSS, the wall time and the
# summary's last lines.
#
# Usage: bench/hostile-fleet.sh W2K8_BIN   Linux only (FIFOs, /proc). Figures, not assertions.
set -eu   # no pipefail: `yes | head` ends yes with SIGPIPE by design
bin="$1"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/w2k8-hostile.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
export W2K8_DATA_DIR="$tmp/no-overlay"
"$bin" demo-fleet 990 --out "$tmp/fleet" >/dev/null
f="$tmp/fleet"
for base in "$f"/*/; do break; done   # the first host folder (no pipe: pipefail would trip on SIGPIPE)
hostile() { # hostile NAME: a copy of a good host folder to spoil
    mkdir -p "$f/$1"; cp "$base"/* "$f/$1/" 2>/dev/null || true; echo "$f/$1"
}
d=$(hostile h01-zero); ln -s /dev/zero "$d/z.txt"
d=$(hostile h02-fifo); mkfifo "$d/fifo.txt"
d=$(hostile h03-sparse); truncate -s 2G "$d/CBS.log"
d=$(hostile h04-passwd); ln -s /etc/passwd "$d/passwd.txt"
d=$(hostile h05-big); { printf 'Host Name: BIG\r\nOS Name: Microsoft Windows Server 2008 Standard\r\nOS Version: 6.0.6002 Service Pack 2 Build 6002\r\nHotfix(s): 1 Hotfix(s) Installed.\r\n'
    yes '                           [01]: KB4493471' | head -c 50000000; } > "$d/systeminfo.txt"
d=$(hostile h06-line); head -c 20000000 /dev/zero | tr '\0' 'A' > "$d/systeminfo.txt"
d=$(hostile h07-loop); ln -s "$d" "$d/loop"
d=$(hostile h08-empty); : > "$d/systeminfo.txt"
mkdir -p "$f/h09-noise"; head -c 5000000 /dev/urandom > "$f/h09-noise/systeminfo.txt"
d=$(hostile h10-device); ln -s /dev/null "$d/null.txt"
start=$(date +%s.%N)
set +e
timeout 600 /usr/bin/time -f "%M" -o "$tmp/rss" "$bin" scan "$f" --db "$tmp/f.db" > "$tmp/out.txt" 2>&1
code=$?
set -e
end=$(date +%s.%N)
echo "scan of 1,000 hosts (10 hostile): exit $code, $(echo "$end - $start" | bc) s wall, peak RSS $(( $(tail -n 1 "$tmp/rss" 2>/dev/null || echo 0) / 1024 )) MB (target <= 200 MB)"
tail -n 3 "$tmp/out.txt"
