#!/usr/bin/env python3
"""Times `troc match --json` against the DuckDB (and optionally pandas) baseline on the same files,
in the same run, and prints the ratio, the peak RSS, the CPU use and whether both found the same
email overlap (they must).

usage: Benchmarks/match_vs_baselines.py [--rows 1000000] [--overlap 300000] [--runs 3] [--pandas] [--floor]
                                        [--data DIR] [--troc PATH] [--shared ../shared]

--floor adds Benchmarks/floor/floor.c (built with cc): the match's unavoidable work alone (reading,
splitting, the three HMAC-SHA-256 keys of every row, sorting the email keys), written as tightly as we
can, so that the table shows how far troc is from the hardware as well as from DuckDB.

Needs `pip install duckdb` (and `pandas` with --pandas). Builds `troc` in release mode into
.build-bench unless --troc is given; generates the files with shared/bench/gen_contacts.py once.
Absolute times move with the machine: compare ratios from one run."""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)


def run(command):
    """Runs with os.wait4 so the child's own peak RSS and CPU time are known."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{' '.join(command)} failed ({status}):\n{err.decode()[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024, "out": out}


def build_floor():
    """Compiles Benchmarks/floor/floor.c against CTrocHash, the HMAC code troc itself uses."""
    out = os.path.join(root, ".build-bench", "floor")
    sources = [os.path.join(here, "floor", "floor.c")] + [os.path.join(root, "Sources", "CTrocHash", f) for f in ("hmac_sha256.c", "sha256_ni.c")]
    include = os.path.join(root, "Sources", "CTrocHash")
    subprocess.run(["cc", "-O3", "-march=x86-64-v3", "-msha", "-I", include, "-I", os.path.join(include, "include"), "-o", out, *sources,
                    "-lcrypto", "-lpthread"], check=True)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--overlap", type=int)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pandas", action="store_true")
    parser.add_argument("--floor", action="store_true")
    parser.add_argument("--data")
    parser.add_argument("--troc")
    parser.add_argument("--shared", default=os.path.join(root, "..", "shared"))
    args = parser.parse_args()
    overlap = args.overlap if args.overlap is not None else args.rows * 3 // 10
    data = args.data or os.path.join(root, ".build-bench", f"contacts-{args.rows}")
    bench = os.path.join(args.shared, "bench")

    troc = args.troc
    if troc is None:
        print("building troc (release, .build-bench)…", flush=True)
        subprocess.run(["swift", "build", "-c", "release", "--product", "troc", "--scratch-path", os.path.join(root, ".build-bench")],
                       cwd=root, check=True, stdout=subprocess.DEVNULL)
        troc = os.path.join(root, ".build-bench", "release", "troc")

    a, b = os.path.join(data, "a.csv"), os.path.join(data, "b.csv")
    if not (os.path.exists(a) and os.path.exists(b)):
        os.makedirs(data, exist_ok=True)
        print(f"generating 2 × {args.rows:,} contacts ({overlap:,} shared) in {data}…", flush=True)
        subprocess.run([sys.executable, os.path.join(bench, "gen_contacts.py"), str(args.rows), str(args.rows), str(overlap), data], check=True,
                       stdout=subprocess.DEVNULL)
    size = (os.path.getsize(a) + os.path.getsize(b)) / 1e6

    tools = {
        "troc match (full)": [troc, "match", a, b, "--json", "--as-of", "2026-11-23"],
        "DuckDB (email overlap only)": [sys.executable, os.path.join(bench, "baseline_duckdb.py"), a, b],
    }
    if args.pandas:
        tools["pandas + hashlib (email overlap only)"] = [sys.executable, os.path.join(bench, "baseline_pandas.py"), a, b]
    if args.floor:
        tools["floor (keys only, C)"] = [build_floor(), a, b]

    results = {name: [] for name in tools}
    for _ in range(args.runs):
        for name, command in tools.items():  # interleaved, so drift on a shared machine hits both
            results[name].append(run(command))

    overlaps = {}
    for name, runs in results.items():
        report = json.loads(runs[-1]["out"])
        if "overlap_email_keys" in report:
            continue  # the floor skips the gmail rules and every check, so its overlap is not the match's
        overlaps[name] = report["overlap"]["email"] if "a" in report else report["overlap"]
    print(f"\n2 × {args.rows:,} contacts, {size:,.0f} MB of CSV, {args.runs} interleaved runs, median shown\n")
    print(f"{'tool':40} {'wall s':>8} {'cpu %':>7} {'peak RSS MB':>12} {'email overlap':>14}")
    medians = {}
    for name, runs in results.items():
        wall = statistics.median(r["wall"] for r in runs)
        medians[name] = wall
        cpu = statistics.median(100 * r["cpu"] / r["wall"] for r in runs)
        rss = max(r["rss_mb"] for r in runs)
        overlap = f"{overlaps[name]:,}" if name in overlaps else "-"
        print(f"{name:40} {wall:8.2f} {cpu:7.0f} {rss:12.0f} {overlap:>14}")
    troc_name = "troc match (full)"
    print()
    for name in tools:
        if name.startswith("floor"):
            print(f"troc takes {medians[troc_name] / medians[name]:.2f}× the floor's time; the floor is "
                  f"{medians['DuckDB (email overlap only)'] / medians[name]:.2f}× faster than DuckDB")
        elif name != troc_name:
            print(f"troc is {medians[name] / medians[troc_name]:.2f}× faster than {name} (goal vs DuckDB: ≥ 3×)")
    agree = len(set(overlaps.values())) == 1
    print(f"same email overlap everywhere: {'yes' if agree else 'NO'} ({overlaps[troc_name]:,})")
    troc_rss = max(r["rss_mb"] for r in results[troc_name])
    print(f"troc peak RSS {troc_rss:.0f} MB (goal ≤ 400 MB for 2 × 1M)")
    sys.exit(0 if agree else 1)


if __name__ == "__main__":
    main()
