#!/usr/bin/env bash
# Side-by-side benchmark: w2k8 assess vs WES-NG (PyPI `wesng`), offline.
#
# Inputs: the real systeminfo samples of the research set and generated
# "patched through YYYY-MM" Windows Server 2008 SP2 x64 hosts (written by
# `cargo run -p w2k8-assess --example patched_through`). For each input it
# prints the wall time of each tool and the ratio, how many updates each calls
# missing, and, for the generated hosts, how many of those are false "missing"
# against the truth (a generated host truly misses only rollups, SSUs, SHA-2 or
# ESU packages released after its month).
#
# WES-NG runs with --definitions definitions-full.zip (what its users run) and
# definitions-ws2008.zip (the same rows w2k8's catalog is built from), and with
# --os forced to "Windows Server 2008 for x64-based Systems Service Pack 2" for
# the generated hosts (WES-NG cannot tell SP2 from systeminfo on 2008).
#
# Needs ../shared (the research data); users do not have it, and the script
# says so and exits 0.
set -u
cd "$(dirname "$0")/.."
SHARED="${W2K8_SHARED:-../shared}"
if [ ! -d "$SHARED/data/wesng" ] || [ ! -d "$SHARED/data/real-inputs" ]; then
    echo "vs-wesng: skipped: $SHARED/data/wesng and $SHARED/data/real-inputs are not here (research data, not shipped)"
    exit 0
fi
FULL="$SHARED/data/wesng/definitions-full.zip"
WS08="$SHARED/data/wesng/definitions-ws2008.zip"
OUT=target/vs-wesng
mkdir -p "$OUT"
VENV="${WESNG_VENV:-target/wesng-venv}"
if [ ! -x "$VENV/bin/wes" ]; then
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q wesng==1.0.3 || { echo "vs-wesng: skipped: cannot install wesng from PyPI"; exit 0; }
fi
WES="$VENV/bin/wes"
cargo build -q --release -p w2k8 || exit 1
W2K8="${CARGO_TARGET_DIR:-target}/release/w2k8"
cargo run -q --release -p w2k8-assess --example patched_through -- "$OUT/generated" || exit 1
OSNAME="Windows Server 2008 for x64-based Systems Service Pack 2"

now() { date +%s.%N; }
# wes_missing FILE DEFS [OS]: prints "seconds kbs" (kbs: distinct BulletinKB of its CSV, comma-separated).
wes_run() {
    local f="$1" defs="$2" os="${3:-}" csv="$OUT/wes.csv" t0 t1
    rm -f "$csv"
    t0=$(now)
    if [ -n "$os" ]; then "$WES" --definitions "$defs" --os "$os" -o "$csv" "$f" >/dev/null 2>&1
    else "$WES" --definitions "$defs" -o "$csv" "$f" >/dev/null 2>&1; fi
    t1=$(now)
    local kbs=""
    [ -f "$csv" ] && kbs=$(python3 - "$csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8", errors="replace")))
kbs = sorted({("KB" + r.get("BulletinKB", "").strip()) for r in rows if r.get("BulletinKB", "").strip()})
print(",".join(kbs))
PY
)
    echo "$(echo "$t1 - $t0" | bc) ${kbs:-}"
}
w2k8_run() {
    local f="$1" t0 t1 kbs
    t0=$(now)
    "$W2K8" assess "$f" --format json --esu premium --as-of 2026-11-25 >"$OUT/w2k8.json" 2>/dev/null
    t1=$(now)
    kbs=$(python3 -c 'import json,sys
try:
    d=json.load(open(sys.argv[1])); print(",".join(m["kb"] for m in d["missing"]))
except Exception: print("")' "$OUT/w2k8.json")
    echo "$(echo "$t1 - $t0" | bc) ${kbs:-}"
}
count() { [ -z "$1" ] && echo 0 || echo "$1" | tr ',' '\n' | grep -c .; }
# false_missing KBS MONTH: how many KBs are not a rollup, SSU, SHA-2 or ESU package released after MONTH
# (by data/servicing/ws2008-sp2-updates.csv; an undated SSU/ESU package there counts as after).
false_missing() {
    python3 - "$1" "$2" <<'PY'
import csv, sys
kbs = [k for k in sys.argv[1].split(",") if k]
month = sys.argv[2]
table = {r["kb"]: r for r in csv.DictReader(open("data/servicing/ws2008-sp2-updates.csv", encoding="utf-8"))}
bad = 0
for k in kbs:
    r = table.get(k)
    ok = r is not None and r["kind"] in ("monthly_rollup", "ssu", "sha2", "esu_prep") and (
        r["release_date"][:7] > month or (not r["release_date"] and r["kind"] in ("ssu", "esu_prep")))
    bad += 0 if ok else 1
print(bad)
PY
}

printf "%-44s %9s %9s %9s %8s %8s %7s %7s %7s %6s %6s\n" input w2k8_s wesF_s wes08_s xF x08 w2k8_m wesF_m wes08_m falseW falseF
tw=0; tf=0; t8=0; fw=0; ff=0; n=0
run_one() {
    local f="$1" label="$2" month="${3:-}" os="${4:-}"
    read -r sw kw <<<"$(w2k8_run "$f")"
    read -r sf kf <<<"$(wes_run "$f" "$FULL" "$os")"
    read -r s8 k8 <<<"$(wes_run "$f" "$WS08" "$os")"
    local xf x8 fmw="-" fmf="-"
    xf=$(echo "scale=0; $sf / $sw" | bc); x8=$(echo "scale=0; $s8 / $sw" | bc)
    if [ -n "$month" ]; then fmw=$(false_missing "${kw:-}" "$month"); fmf=$(false_missing "${kf:-}" "$month"); fw=$((fw+fmw)); ff=$((ff+fmf)); fi
    printf "%-44s %9.3f %9.3f %9.3f %7sx %7sx %7s %7s %7s %6s %6s\n" "$label" "$sw" "$sf" "$s8" "$xf" "$x8" \
        "$(count "${kw:-}")" "$(count "${kf:-}")" "$(count "${k8:-}")" "$fmw" "$fmf"
    tw=$(echo "$tw + $sw" | bc); tf=$(echo "$tf + $sf" | bc); t8=$(echo "$t8 + $s8" | bc); n=$((n+1))
}
for f in "$SHARED"/data/real-inputs/systeminfo/*.txt; do
    run_one "$f" "real/$(basename "$f")"
done
step="${VS_WESNG_STEP:-1}"
i=0
while IFS=$'\t' read -r month _ _; do
    [ "$month" = month ] && continue
    i=$((i+1)); [ $(( (i-1) % step )) -eq 0 ] || continue
    run_one "$OUT/generated/pt$month.txt" "generated/pt$month" "$month" "$OSNAME"
done < "$OUT/generated/truth.tsv"
printf "%-44s %9.3f %9.3f %9.3f %7sx %7sx %7s %7s %7s %6s %6s\n" "TOTAL ($n inputs)" "$tw" "$tf" "$t8" \
    "$(echo "scale=0; $tf / $tw" | bc)" "$(echo "scale=0; $t8 / $tw" | bc)" "" "" "" "$fw" "$ff"
echo "columns: seconds per tool (w2k8 assess; WES-NG full definitions; WES-NG 2008-only definitions), speed ratios,"
echo "updates called missing (distinct KBs), false 'missing' on generated hosts (w2k8; WES-NG full)."
