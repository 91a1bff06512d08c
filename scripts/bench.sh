#!/usr/bin/env bash
# Whole-command benchmarks of liuyi at scale, each against its floor measured in the same run.
#
#   scripts/bench.sh [DATA_DIR]        (default DATA_DIR: /tmp/liuyi-bench)
#
# Builds the release binary, generates (once; kept in DATA_DIR) a decade of a 2,000-household
# village, three years of the same village (the middle point of verify's memory curve), a bundle
# village (>= 50,000 entries, >= 1 GB of scans) and a township year of 30 villages, then times the commands and prints a Markdown table (also DATA_DIR/results.md).
# Times are medians (hyperfine if installed, else a loop of `date +%s%N`); peak memory is
# /usr/bin/time's maximum resident set size. The machine is shared and noisy: compare the
# ratios of one run, not absolute times across runs.
#
# LIUYI_BIN=path uses that binary instead of building one.
# Sizes can be lowered for a quick try:  HOUSEHOLDS=300 YEARS=2 MATTERS=40 SCANS_MB=50 \
#   BUNDLE_SCANS_MB=100 VILLAGES=4 scripts/bench.sh /tmp/liuyi-bench-small
set -euo pipefail

DATA=${1:-/tmp/liuyi-bench}
HOUSEHOLDS=${HOUSEHOLDS:-2000}
YEARS=${YEARS:-10}
MATTERS=${MATTERS:-1000}
SCANS_MB=${SCANS_MB:-1100}
BUNDLE_HOUSEHOLDS=${BUNDLE_HOUSEHOLDS:-500}
BUNDLE_MATTERS=${BUNDLE_MATTERS:-100}
BUNDLE_SCANS_MB=${BUNDLE_SCANS_MB:-1100}
VILLAGES=${VILLAGES:-30}
TOWNSHIP_HOUSEHOLDS=${TOWNSHIP_HOUSEHOLDS:-600}
MID_YEARS=${MID_YEARS:-3}
MID_MATTERS=${MID_MATTERS:-300}
MID_SCANS_MB=${MID_SCANS_MB:-300}
RUNS=${RUNS:-10}

cd "$(dirname "$0")/.."
if [ -z "${LIUYI_BIN:-}" ]; then
    cargo build --release --quiet
fi
BIN=${LIUYI_BIN:-$PWD/target/release/liuyi}
mkdir -p "$DATA"
cd "$DATA"
export LIUYI_NO_PROGRESS=1

say() { echo "bench: $*" >&2; }

# --- data -----------------------------------------------------------------------------------
gen() { # dir args...
    local dir=$1
    shift
    if [ ! -f "$dir/liuyi.db" ] && [ ! -d "$dir/village-01" ]; then
        say "generating $dir ($*)"
        /usr/bin/time -f "%e" -o "$dir.gen-time" "$BIN" generate "$@" --out "$dir" >&2
    fi
}
gen decade --households "$HOUSEHOLDS" --years "$YEARS" --matters "$MATTERS" \
    --scans-mb "$SCANS_MB" --open-consultation
gen mid --households "$HOUSEHOLDS" --years "$MID_YEARS" --matters "$MID_MATTERS" \
    --scans-mb "$MID_SCANS_MB"
gen bundle-village --households "$BUNDLE_HOUSEHOLDS" --years 1 --matters "$BUNDLE_MATTERS" \
    --scans-mb "$BUNDLE_SCANS_MB" --seed 7
gen township --households "$TOWNSHIP_HOUSEHOLDS" --years 1 --matters 100 --villages "$VILLAGES"
DB=$DATA/decade/liuyi.db
KEY=$DATA/decade/liuyi.key

# --- timing helpers ---------------------------------------------------------------------------
# median seconds of a shell command over RUNS runs
median() {
    local cmd=$1 runs=${2:-$RUNS}
    if command -v hyperfine > /dev/null; then
        hyperfine --style none --warmup 1 --runs "$runs" --export-json /tmp/liuyi-hf.json \
            "$cmd" > /dev/null 2>&1
        python3 -c 'import json;print(json.load(open("/tmp/liuyi-hf.json"))["results"][0]["median"])'
    else
        local ts=()
        for _ in $(seq "$runs"); do
            local t0 t1
            t0=$(date +%s%N)
            bash -c "$cmd" > /dev/null 2>&1
            t1=$(date +%s%N)
            ts+=("$(((t1 - t0) / 1000))")
        done
        printf '%s\n' "${ts[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.6f\n", a[int((NR+1)/2)]/1e6}'
    fi
}
# peak RSS in MB of one run
peak() {
    /usr/bin/time -f "%M" -o /tmp/liuyi-rss bash -c "$1" > /dev/null 2>&1 || true
    awk '{printf "%.0f", $1/1024}' /tmp/liuyi-rss
}
ms() { awk -v s="$1" 'BEGIN {printf "%.1f ms", s*1000}'; }
secs() { awk -v s="$1" 'BEGIN {printf "%.2f s", s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f×", a/b}'; }

ROWS=()
row() { ROWS+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); say "$1: $2 (floor $4: $3) $5"; }

ENTRIES=$(sqlite3 "$DB" 'select count(*) from entries')
ATT_MB=$(sqlite3 "$DB" 'select sum(size)/1048576 from attachments')
DB_MB=$(($(stat -c %s "$DB") / 1048576))
say "decade: $ENTRIES entries, $ATT_MB MB attachments, $DB_MB MB file"

# --- reading commands on the decade database ----------------------------------------------------
FLOOR_OPEN=$(median "sqlite3 $DB 'select count(*) from matters'")
ID=$(sqlite3 "$DB" "select id from matters where stage = 'result_published' order by id desc limit 1")
for c in "show $ID --json" "status --json" "list --json"; do
    t=$(median "$BIN --db $DB $c")
    row "\`$c\` (decade)" "$(ms "$t")" "$(ms "$FLOOR_OPEN")" "sqlite3 opens the file and counts matters" \
        "$(ratio "$t" "$FLOOR_OPEN")" "< 100 ms"
done

# --- check: bounded by hashing ----------------------------------------------------------------
FLOOR_HASH_DB=$(median "openssl dgst -sha256 $DB" 3)
t=$(median "$BIN --db $DB check" 1)
m=$(peak "$BIN --db $DB check")
row "\`check\` (decade, $ENTRIES entries)" "$(secs "$t"), ${m} MB" "$(secs "$FLOOR_HASH_DB")" \
    "openssl dgst -sha256 of the .db file" "$(ratio "$t" "$FLOOR_HASH_DB")" "bounded by hashing"

# --- import 2,000 consents in one command ---------------------------------------------------------
read -r OPEN_ID OPEN_NOW < "$DATA/decade/open-consultation.txt"
import_on() { # village dir: best of 3 imports of its consents.csv, each into a fresh copy
    local dir=$1 work=$DATA/import-work.db best="" id now
    read -r id now < "$dir/open-consultation.txt"
    for _ in 1 2 3; do
        cp "$dir/liuyi.db" "$work"
        # Else the import's first fsync writes out the whole copy still dirty in the cache.
        sync "$work"
        local t0 t1
        t0=$(date +%s%N)
        LIUYI_NOW=$now "$BIN" --db "$work" --key "$dir/liuyi.key" consult "$id" import \
            "$dir/consents.csv" > /dev/null
        t1=$(date +%s%N)
        local t=$(((t1 - t0) / 1000))
        if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    rm -f "$work"
    awk -v u="$best" 'BEGIN {printf "%.6f", u/1e6}'
}
# The floor: the same import into a village holding only the roster and this one matter.
gen small --households "$HOUSEHOLDS" --years 1 --matters 0 --open-consultation
t_small=$(import_on "$DATA/small")
t_big=$(import_on "$DATA/decade")
N=$(($(wc -l < "$DATA/decade/consents.csv") - 1))
row "\`consult import\` $N consents (decade)" "$(ms "$t_big")" "$(ms "$t_small")" \
    "the same import into a new village" "$(ratio "$t_big" "$t_small")" "< 0.5 s, one signature"

# --- one large scan attached (the 民议 sheets, scanned as one file) ---------------------------------
# Into a fresh copy of the small village each time; the floor writes the same bytes durably.
SCAN_MB=${SCAN_MB:-200}
head -c $((SCAN_MB * 1048576)) /dev/urandom > "$DATA/scan.bin"
read -r SMALL_ID SMALL_NOW < "$DATA/small/open-consultation.txt"
ATTACH="cp $DATA/small/liuyi.db $DATA/attach.db && sync $DATA/attach.db && LIUYI_NOW=$SMALL_NOW \
    $BIN --db $DATA/attach.db --key $DATA/small/liuyi.key consult $SMALL_ID attach $DATA/scan.bin"
t_floor=$(median "rm -f $DATA/scan.copy; cp $DATA/scan.bin $DATA/scan.copy; sync $DATA/scan.copy" 3)
t=$(median "$ATTACH" 3)
m=$(peak "$ATTACH")
row "\`consult attach\` of one $SCAN_MB MB scan" "$(secs "$t"), ${m} MB" "$(secs "$t_floor")" \
    "cp + sync of the scan" "$(ratio "$t" "$t_floor")" "memory flat"
rm -f "$DATA/attach.db" "$DATA/scan.bin" "$DATA/scan.copy"

# --- paper ------------------------------------------------------------------------------------
rm -f "$DATA"/sheet*.pdf
t=$(median "rm -f $DATA/sheet.pdf; $BIN --db $DB form $OPEN_ID consultation -o $DATA/sheet.pdf" 3)
row "\`form consultation\` ($N-household sheet, decade)" "$(ms "$t")" "$(ms "$FLOOR_OPEN")" \
    "sqlite3 opens the file" "$(ratio "$t" "$FLOOR_OPEN")" "—"

# Re-printing the notice of the decade's last finished matter: proved against the signed
# checkpoint with the village key beside the database, and without the key (it then replays
# the log up to the notice and re-renders it).
rm -f "$DATA/reprint.pdf"
t=$(median "rm -f $DATA/reprint.pdf; $BIN --db $DB notice $ID result -o $DATA/reprint.pdf" 3)
m=$(peak "rm -f $DATA/reprint.pdf; $BIN --db $DB notice $ID result -o $DATA/reprint.pdf")
row "\`notice $ID result\` (re-print, decade)" "$(ms "$t"), ${m} MB" "$(ms "$FLOOR_OPEN")" \
    "sqlite3 opens the file" "$(ratio "$t" "$FLOOR_OPEN")" "< 1 s (SPEC §7)"
NOKEY="--key $DATA/no-such.key"
t=$(median "rm -f $DATA/reprint.pdf; $BIN --db $DB $NOKEY notice $ID result -o $DATA/reprint.pdf" 1)
m=$(peak "rm -f $DATA/reprint.pdf; $BIN --db $DB $NOKEY notice $ID result -o $DATA/reprint.pdf")
row "\`notice $ID result\` without the key (replay and re-render, decade)" "$(secs "$t"), ${m} MB" \
    "$(ms "$FLOOR_OPEN")" "sqlite3 opens the file" "$(ratio "$t" "$FLOOR_OPEN")" "—"
# After a change of secretary (a copy of the decade, made once, with its key rotated): the new
# key file proves the hand-over entry, and the old key it names proves the notice.
if [ ! -f "$DATA/rotated/new.key" ]; then
    say "copying the decade and rotating its key"
    rm -rf "$DATA/rotated"
    mkdir -p "$DATA/rotated"
    cp "$DB" "$KEY" "$DATA/rotated/"
    "$BIN" --db "$DATA/rotated/liuyi.db" --key "$DATA/rotated/liuyi.key" key rotate \
        --new-key "$DATA/rotated/new.key" --reason 换届 >/dev/null
fi
ROT="--db $DATA/rotated/liuyi.db --key $DATA/rotated/new.key"
t=$(median "rm -f $DATA/reprint.pdf; $BIN $ROT notice $ID result -o $DATA/reprint.pdf" 3)
m=$(peak "rm -f $DATA/reprint.pdf; $BIN $ROT notice $ID result -o $DATA/reprint.pdf")
row "\`notice $ID result\` after a change of secretary (new key, decade)" "$(ms "$t"), ${m} MB" \
    "$(ms "$FLOOR_OPEN")" "sqlite3 opens the file" "$(ratio "$t" "$FLOOR_OPEN")" "< 1 s (SPEC §7)"

# --- export and verify (bundle village: >= 50,000 entries, >= 1 GB of scans) -----------------------
BDB=$DATA/bundle-village/liuyi.db
BENTRIES=$(sqlite3 "$BDB" 'select count(*) from entries')
BATT_MB=$(sqlite3 "$BDB" 'select sum(size)/1048576 from attachments')
MDB=$DATA/mid/liuyi.db
MENTRIES=$(sqlite3 "$MDB" 'select count(*) from entries')
# verify of ZIP (time over RUNS runs, peak memory) against openssl over the same bytes
verify_row() { # zip label runs target
    local t_sha t_ver m_ver
    t_sha=$(median "openssl dgst -sha256 $1" "$3")
    t_ver=$(median "$BIN verify $1" "$3")
    m_ver=$(peak "$BIN verify $1")
    row "\`verify\` ($2)" "$(secs "$t_ver"), ${m_ver} MB" "$(secs "$t_sha")" \
        "openssl dgst -sha256 of the bundle" "$(ratio "$t_ver" "$t_sha")" "$4"
}
if "$BIN" export --help > /dev/null 2>&1; then
    rm -f "$DATA/bundle.zip" "$DATA/copy.db"
    t_copy=$(median "rm -f $DATA/copy.db; cp $BDB $DATA/copy.db; sync $DATA/copy.db" 3)
    t_exp=$(median "rm -f $DATA/bundle.zip; $BIN --db $BDB export --all -o $DATA/bundle.zip" 3)
    m_exp=$(peak "rm -f $DATA/bundle.zip; $BIN --db $BDB export --all -o $DATA/bundle.zip")
    row "\`export --all\` ($BENTRIES entries, $BATT_MB MB scans)" "$(secs "$t_exp"), ${m_exp} MB" \
        "$(secs "$t_copy")" "cp + sync of the .db file" "$(ratio "$t_exp" "$t_copy")" "—"
    verify_row "$DATA/bundle.zip" "same bundle" 3 "≤ 1.3×, ≤ 64 MB"
    # Flat memory, the middle point: a bundle of three years of the decade's village.
    rm -f "$DATA/mid.zip"
    "$BIN" --db "$MDB" export --all -o "$DATA/mid.zip" > /dev/null
    verify_row "$DATA/mid.zip" "$MID_YEARS-year bundle, $MENTRIES entries" 1 "≤ 64 MB (flat)"
    # Flat memory: a bundle of the decade village (40× the entries), its export timed once.
    rm -f "$DATA/decade.zip" "$DATA/copy.db"
    t_copy=$(median "rm -f $DATA/copy.db; cp $DB $DATA/copy.db; sync $DATA/copy.db" 1)
    rm -f "$DATA/copy.db"
    /usr/bin/time -f "%e %M" -o /tmp/liuyi-exp "$BIN" --db "$DB" export --all -o "$DATA/decade.zip" > /dev/null
    read -r t_exp m_exp < /tmp/liuyi-exp
    row "\`export --all\` (decade, $ENTRIES entries)" "$(secs "$t_exp"), $((m_exp / 1024)) MB" \
        "$(secs "$t_copy")" "cp + sync of the .db file" "$(ratio "$t_exp" "$t_copy")" "—"
    verify_row "$DATA/decade.zip" "decade bundle, $ENTRIES entries" 1 "≤ 64 MB (flat)"
else
    say "export/verify not in this binary: skipped"
fi

# --- township year ----------------------------------------------------------------------------
T=$DATA/township
TENTRIES=0
for d in "$T"/village-*; do TENTRIES=$((TENTRIES + $(sqlite3 "$d/liuyi.db" 'select count(*) from entries'))); done
t_floor=$(median "cat $T/village-*/liuyi.db | openssl dgst -sha256" 1)
t=$(median "for d in $T/village-*; do $BIN --db \$d/liuyi.db check || exit 1; done" 1)
row "\`check\` × $VILLAGES villages (township year, $TENTRIES entries)" "$(secs "$t")" \
    "$(secs "$t_floor")" "openssl dgst -sha256 of the $VILLAGES files" "$(ratio "$t" "$t_floor")" \
    "bounded by hashing"

{
    echo "| measurement | time | floor | floor is | ratio | target |"
    echo "|---|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "Data: decade = $HOUSEHOLDS households, $YEARS years, $MATTERS matters, $ENTRIES entries," \
        "$ATT_MB MB scans, $DB_MB MB file (generated in $(cat decade.gen-time) s);" \
        "middle point = $MID_YEARS years, $MID_MATTERS matters, $MENTRIES entries;" \
        "bundle village = $BENTRIES entries, $BATT_MB MB scans;" \
        "township = $VILLAGES villages × $TOWNSHIP_HOUSEHOLDS households × 100 matters" \
        "(generated in $(cat township.gen-time) s)."
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
        "$(free -g | awk '/Mem:/ {print $2}') GB RAM; $(date -u +%Y-%m-%d)."
} | tee "$DATA/results.md"
