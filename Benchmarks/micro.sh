#!/usr/bin/env bash
# Micro-benchmarks of the engine's parts (ordo-one/benchmark): the ingest, the match, each normaliser, the keyed hash.
#
#   Benchmarks/micro.sh                         run them all, print the table
#   Benchmarks/micro.sh baseline update before  store this run as "before" (in .benchmarkBaselines/, git-ignored)
#   Benchmarks/micro.sh baseline check before   run again and compare: fails when slower than the thresholds in
#                                               Benchmarks/TrocMicroBenchmarks/TrocMicroBenchmarks.swift allow
#   Benchmarks/micro.sh --filter 'email.*'      any other option of `swift package benchmark`
#
# Release build into .build-bench (shared with the other benchmarks; the first build of the benchmark package takes
# about 5 minutes). The input, two 100,000-row files from ../shared/bench/gen_contacts.py, is generated once.
set -euo pipefail
cd "$(dirname "$0")/.."
data=.build-bench/contacts-100000
if [ ! -f "$data/b.csv" ]; then
    mkdir -p "$data"
    python3 ../shared/bench/gen_contacts.py 100000 100000 30000 "$data" >/dev/null
fi
export TROC_BENCHMARKS=1 TROC_MICRO_DATA="$PWD/$data"
exec swift package --scratch-path .build-bench --allow-writing-to-package-directory benchmark "$@"
