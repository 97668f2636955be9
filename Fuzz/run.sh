#!/usr/bin/env bash
# Builds and runs the libFuzzer targets (docs/RELIABILITY.md, "Fuzzing").
#
#   Fuzz/run.sh TARGET|all|ci [SECONDS | -runs=N | --build-only] [--workers W]
#   e.g.  Fuzz/run.sh all 30   Fuzz/run.sh envelope -runs=10000000   Fuzz/run.sh contact-file -runs=10000000 --workers 2
#
# TARGET is contact-file, envelope, blob, key-file, normalisers or api-decoders. With SECONDS (default 30)
# each target runs that long; with -runs=N, N inputs; with --build-only, none (CI builds them while the tests
# run). The committed seeds (Fuzz/corpus/TARGET) are read first; what the fuzzer learns goes to
# .build-fuzz/corpus/TARGET, a crash to .build-fuzz/artifacts/TARGET/ and the log to .build-fuzz/logs/TARGET.log.
# Reproduce a crash with `.build-fuzz/release/FuzzEnvelope .build-fuzz/artifacts/envelope/crash-…`.
# With --workers W, W fuzzing processes share the corpus directory (libFuzzer reads what the others add every second),
# split -runs=N between them (or each run SECONDS), log to .build-fuzz/logs/TARGET-workerI.log, and the executions
# reported are their sum: a long campaign on all the machine's cores. A campaign's corpus can be paused and resumed
# (docs/RELIABILITY.md, "Fuzzing").
# Exits 1 if any target crashed.
set -euo pipefail
cd "$(dirname "$0")/.."

declare -A products=(
    [contact-file]=FuzzContactFile [envelope]=FuzzEnvelope [blob]=FuzzBlob
    [key-file]=FuzzKeyFile [normalisers]=FuzzNormalisers [api-decoders]=FuzzAPIDecoders
)
order=(contact-file envelope blob key-file normalisers api-decoders)
# Inputs larger than this slow the reader down without reaching new code.
declare -A max_len=([contact-file]=8192 [envelope]=8192 [blob]=8192 [key-file]=1024 [normalisers]=256 [api-decoders]=2048)

usage() {
    echo "usage: Fuzz/run.sh contact-file|envelope|blob|key-file|normalisers|api-decoders|all|ci [SECONDS | -runs=N | --build-only] [--workers W]" >&2
    exit 64
}
case $# in 1 | 2 | 4) ;; *) usage ;; esac
workers=1
if [ $# -eq 4 ]; then
    [ "$3" = --workers ] || usage
    case "$4" in *[!0-9]* | "" | 0) usage ;; *) workers=$4 ;; esac
fi
# `ci`: the targets that do not build the server (api-decoders instruments all of TrocServer, which costs CI more than
# its budget holds; the API's decoders are attacked in CI by schemathesis instead).
ci_targets=(contact-file envelope blob key-file normalisers)
case "$1" in
    all) targets=("${order[@]}") ;;
    ci) targets=("${ci_targets[@]}") ;;
    *) [ -n "${products[$1]:-}" ] || usage; targets=("$1") ;;
esac
budget="${2:-30}"
case "$budget" in
    --build-only) limit=() ;;
    -runs=*) limit=("$budget") ;;
    *[!0-9]* | "") usage ;;
    *) limit=("-max_total_time=$budget") ;;
esac

scratch=.build-fuzz
for target in "${targets[@]}"; do
    TROC_FUZZ=1 swift build -c release --scratch-path "$scratch" --product "${products[$target]}" 2>&1 |
        grep -v "ld.gold: warning\|ld.lld: warning" | grep -E "error|warning: |Compiling|Build of product" || true
    [ -x "$scratch/release/${products[$target]}" ] || { echo "$target: the build failed" >&2; exit 1; }
done
[ "$budget" != --build-only ] || exit 0

# The Swift runtime's own crash reporter would wait on a process libFuzzer is tearing down: let libFuzzer report.
export SWIFT_BACKTRACE=enable=no
# LeakSanitizer cannot follow the pointers Swift keeps in some globals (a `Data` in a `static let`) and
# reports them at exit; leaks of Swift values are reference cycles, which fuzzing is not the tool for.
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
failed=()
for target in "${targets[@]}"; do
    mkdir -p "$scratch/corpus/$target" "$scratch/artifacts/$target" "$scratch/logs"
    dictionary=()
    [ -f "Fuzz/dictionaries/$target.dict" ] && dictionary=("-dict=Fuzz/dictionaries/$target.dict")
    command=("$scratch/release/${products[$target]}" "${limit[@]}" "${dictionary[@]}" -max_len="${max_len[$target]}" -timeout=60 -detect_leaks=0
        -print_final_stats=1 -artifact_prefix="$scratch/artifacts/$target/" "$scratch/corpus/$target" "Fuzz/corpus/$target")
    started=$(date +%s)
    status=0
    if [ "$workers" -eq 1 ]; then
        logs=("$scratch/logs/$target.log")
        "${command[@]}" >"${logs[0]}" 2>&1 || status=$?
    else
        # Each worker gets its share of -runs=N (libFuzzer's -runs comes first in the command, from `limit`).
        [[ "${limit[0]}" != -runs=* ]] || command[1]="-runs=$(((${limit[0]#-runs=} + workers - 1) / workers))"
        logs=()
        pids=()
        for ((worker = 1; worker <= workers; worker++)); do
            logs+=("$scratch/logs/$target-worker$worker.log")
            "${command[@]}" >"${logs[-1]}" 2>&1 &
            pids+=($!)
        done
        # A script's background processes ignore SIGINT: pass an interruption on as SIGTERM, which libFuzzer ends on
        # cleanly (final statistics written, corpus kept).
        trap 'kill -TERM "${pids[@]}" 2>/dev/null || true' INT TERM
        for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
        trap - INT TERM
    fi
    seconds=$(($(date +%s) - started))
    total=0
    for log in "${logs[@]}"; do
        runs=$(sed -n "s/^stat::number_of_executed_units: *//p" "$log" | tail -1)
        speed=$(sed -n "s/^stat::average_exec_per_sec: *//p" "$log" | tail -1)
        coverage=$(grep -oE "cov: [0-9]+ ft: [0-9]+" "$log" | tail -1)
        total=$((total + ${runs:-0}))
        if [ "$workers" -eq 1 ]; then
            echo "$target: ${runs:-?} executions in ${seconds} s (${speed:-?}/s), ${coverage:-no coverage line}, exit $status"
        else
            echo "  $(basename "$log" .log): ${runs:-?} executions (${speed:-?}/s), ${coverage:-no coverage line}"
        fi
    done
    [ "$workers" -eq 1 ] || echo "$target: $total executions in ${seconds} s by $workers workers, exit $status"
    if [ "$status" -eq 72 ]; then
        # libFuzzer's exit code when interrupted (SIGINT, SIGTERM): not a finding; what it learned is in the corpus.
        echo "$target: interrupted, its corpus kept in $scratch/corpus/$target"
    elif [ "$status" -ne 0 ]; then
        grep -hE "invariant broken|Fatal error|ERROR: |SUMMARY|Test unit written" "${logs[@]}" | head -8 >&2 || true
        failed+=("$target")
    fi
done
[ ${#failed[@]} -eq 0 ] || { echo "crashed: ${failed[*]} (logs in $scratch/logs)" >&2; exit 1; }
