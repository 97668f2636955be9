#!/usr/bin/env bash
# Checks that two `troc` binaries (before and after an engine change) give the same reports and release files, byte for
# byte: every pair of the fixture contact files under the three balancing policies, then the two generated files of
# Benchmarks/match_vs_baselines.py (2 × 1M by default) with their release files.
#
#   Benchmarks/same_reports.sh OLD_TROC NEW_TROC [DATA_DIR]     e.g. DATA_DIR=.build-bench/contacts-1000000
#
# Both runs use the same key file, so the keyed hashes (and so the order of ties) are the same. Exits 1 on any difference.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: Benchmarks/same_reports.sh OLD_TROC NEW_TROC [DATA_DIR]" >&2; exit 64; }
old=$1 new=$2 data=${3:-.build-bench/contacts-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/key"
as_of=(--as-of 2026-11-23 --key-file "$work/key")

compared=0 differ=0
same() {  # same LABEL: compares $work/old.out and $work/new.out
    compared=$((compared + 1))
    if ! cmp -s "$work/old.out" "$work/new.out"; then
        differ=$((differ + 1))
        echo "differs: $1" >&2
    fi
}

files=(Fixtures/contacts/*.csv)
for a in "${files[@]}"; do
    for b in "${files[@]}"; do
        for policy in equal-count quality-weighted all; do
            "$old" match "$a" "$b" --json --policy "$policy" "${as_of[@]}" > "$work/old.out" 2>&1 || true
            "$new" match "$a" "$b" --json --policy "$policy" "${as_of[@]}" > "$work/new.out" 2>&1 || true
            same "$a $b $policy"
        done
    done
done

if [ -f "$data/a.csv" ] && [ -f "$data/b.csv" ]; then
    release=(--supplier-a-name "A SA" --supplier-b-name "B SA" --deal-id same-reports)
    for which in old new; do
        binary=$old
        [ "$which" = new ] && binary=$new
        "$binary" match "$data/a.csv" "$data/b.csv" --json "${as_of[@]}" "${release[@]}" --release-dir "$work/$which-release" > "$work/$which.report"
    done
    cp "$work/old.report" "$work/old.out"
    cp "$work/new.report" "$work/new.out"
    same "$data: the report"
    for name in to-a.csv to-b.csv; do
        cp "$work/old-release/$name" "$work/old.out"
        cp "$work/new-release/$name" "$work/new.out"
        same "$data: $name"
    done
else
    echo "no $data/a.csv and b.csv (run Benchmarks/match_vs_baselines.py once to generate them): fixtures only" >&2
fi

echo "$compared comparisons, $differ differ"
[ "$differ" -eq 0 ]
