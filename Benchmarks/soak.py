#!/usr/bin/env python3
"""Soak: one trocd under an hour of mixed traffic, its resident memory and open descriptors sampled throughout.

usage: Benchmarks/soak.py [--bin DIR] [--troc PATH] [--minutes 60] [--sample 10] [--csv PATH]

Traffic, until --minutes have passed, from two threads:
- reads: GET /v1/me, /v1/deals, /v1/files and /v1/invoices for a partner, round after round;
- swaps, through the real `troc`: a loose upload (and the deletion of the one before it), a deal proposed, both firms'
  files uploaded into it (the match), both acceptances, the operator's approval and release (deliveries and invoices),
  both downloads, the invoice list. A pair of firms gets at most 12 match reports, so a new pair is registered every
  12 deals.
Every --sample seconds, a line of the CSV: seconds since start, VmRSS (kB), open descriptors (/proc/PID/fd), threads,
reads, swaps and failed commands so far. At the end, for RSS and descriptors: start, max, end and the least-squares
slope per hour over the whole run and over its second half (after warm-up).

Builds trocd in release mode into .build-bench unless --bin is given; troc (the client, not measured) comes from
.build/debug unless --troc is given. Everything runs in a temporary directory. Not in CI."""
import argparse
import csv
import datetime
import json
import os
import shutil
import sys
import tempfile
import threading
import time

from trocbench import Broker, Troc, register_firm, release_binaries, root, rss_kb, siren

fixtures = os.path.join(root, "Fixtures/contacts")
deals_per_pair = 12


class Counters:
    """What the traffic threads did so far, read by the sampler."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reads = 0
        self.swaps = 0
        self.failures = {}

    def add(self, name, count=1):
        with self.lock:
            setattr(self, name, getattr(self, name) + count)

    def fail(self, what):
        with self.lock:
            self.failures[what] = self.failures.get(what, 0) + 1


def descriptors(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def threads(pid):
    return rss_kb(pid, "Threads")


def slope_per_hour(points):
    """Least-squares slope of (seconds, value) points, per hour."""
    if len(points) < 2:
        return float("nan")
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    variance = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / variance * 3600 if variance else float("nan")


def reads(broker, firm, counters, deadline):
    paths = ["/v1/me", "/v1/deals", "/v1/files", f"/v1/invoices?from={datetime.date.today().isoformat()}"]
    while time.monotonic() < deadline:
        for path in paths:
            connection = broker.connection()
            try:
                connection.request("GET", path, headers={"Authorization": f"Bearer {firm['token']}"})
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    counters.add("reads")
                else:
                    counters.fail(f"GET {path.split('?')[0]} {response.status}")
            except OSError as error:
                counters.fail(f"GET {path.split('?')[0]} {type(error).__name__}")
            finally:
                connection.close()
        time.sleep(0.05)


def swaps(troc, broker, work, counters, deadline, first_pair):
    pair, done, loose = first_pair, 0, []
    index = 1
    while time.monotonic() < deadline:
        if done == deals_per_pair:
            for file_id in loose:
                troc.run("files", "delete", file_id, profile=pair[0]["profile"], check=False)
            pair, done, loose = new_pair(troc, index), 0, []
            index += 1
        a, b = pair

        def step(what, *arguments, profile):
            result = troc.run(*arguments, profile=profile, check=False)
            if result.returncode != 0:
                counters.fail(f"{what} exit {result.returncode}")
                return None
            return result.stdout

        stored = step("upload", "upload", os.path.join(fixtures, "menuiserie-atlantique.csv"), "--json", profile=a["profile"])
        if stored:
            loose.append(json.loads(stored)["id"])
        if len(loose) > 1:
            step("files delete", "files", "delete", loose.pop(0), profile=a["profile"])
        proposed = step("propose", "deal", "propose", "--with", b["id"], "--price-per-1000", "35.00", "--policy", "equal-count", "--json",
                        profile=a["profile"])
        if not proposed:
            continue
        deal = json.loads(proposed)["id"]
        done += 1
        steps = [("deal upload", ["deal", "upload", deal, os.path.join(fixtures, "menuiserie-atlantique.csv")], a["profile"]),
                 ("deal upload", ["deal", "upload", deal, os.path.join(fixtures, "peinture-erdre.csv")], b["profile"]),
                 ("accept", ["deal", "accept", deal], a["profile"]), ("accept", ["deal", "accept", deal], b["profile"]),
                 ("approve", ["deal", "approve", deal, "--reason", "soak"], "op"), ("release", ["deal", "release", deal], "op"),
                 ("download", ["deal", "download", deal, "-o", os.path.join(work, "delivery-a.csv")], a["profile"]),
                 ("download", ["deal", "download", deal, "-o", os.path.join(work, "delivery-b.csv")], b["profile"]),
                 ("invoices", ["invoices", "list", "--from", datetime.date.today().isoformat(), "--json"], "op")]
        if all(step(what, *arguments, profile=profile) is not None for what, arguments, profile in steps):
            counters.add("swaps")


def new_pair(troc, index):
    """Two partner firms with keys and billing mandates, logged in as profiles a<index> and b<index>."""
    a = register_firm(troc, f"Menuiserie Soak {index}", siren(20000000 + 2 * index), "43.32A", profile=f"a{index}")
    b = register_firm(troc, f"Chauffage Soak {index}", siren(20000001 + 2 * index), "43.22B", profile=f"b{index}")
    for firm in (a, b):
        troc.run("keygen", profile=firm["profile"])
        troc.run("mandate", "accept", profile=firm["profile"])
    return a, b


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin")
    parser.add_argument("--troc", default=os.path.join(root, ".build/debug/troc"))
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--sample", type=float, default=10)
    parser.add_argument("--csv", default="soak.csv")
    args = parser.parse_args()

    trocd = os.path.join(release_binaries(args.bin, ["trocd"]), "trocd")
    work = tempfile.mkdtemp(prefix="troc-soak-")
    broker = Broker(trocd, work)
    counters = Counters()
    samples = []
    try:
        broker.admin("settings", "set", "min-exchangeable=1", "--reason", "soak: small files")
        broker.admin("settings", "set", f"reports-per-pair={deals_per_pair}", "--reason", "soak")
        troc = Troc(args.troc, work, broker)
        first = new_pair(troc, 0)
        started = time.monotonic()
        deadline = started + args.minutes * 60
        workers = [threading.Thread(target=reads, args=(broker, first[0], counters, deadline), daemon=True),
                   threading.Thread(target=swaps, args=(troc, broker, work, counters, deadline, first), daemon=True)]
        for worker in workers:
            worker.start()
        pid = broker.process.pid
        with open(args.csv, "w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["seconds", "rss_kb", "descriptors", "threads", "reads", "swaps", "failures"])
            while True:
                now = time.monotonic()
                with counters.lock:
                    row = [round(now - started, 1), rss_kb(pid, "VmRSS"), descriptors(pid), threads(pid), counters.reads, counters.swaps,
                           sum(counters.failures.values())]
                samples.append(row)
                writer.writerow(row)
                file.flush()
                print(" ".join(str(value) for value in row), flush=True)
                if now >= deadline:
                    break
                time.sleep(min(args.sample, max(0.0, deadline - now)))
        for worker in workers:
            worker.join(timeout=120)
    finally:
        broker.stop()
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nsoak: {samples[-1][0] / 60:.1f} minutes, {samples[-1][4]} reads, {samples[-1][5]} complete swaps, "
          f"failed commands: {counters.failures or 'none'}; samples in {args.csv}")
    half = [row for row in samples if row[0] >= samples[-1][0] / 2]
    for column, name, unit, scale in [(1, "RSS", "MB", 1 / 1024), (2, "open descriptors", "", 1)]:
        values = [row[column] * scale for row in samples]
        whole = slope_per_hour([(row[0], row[column] * scale) for row in samples])
        late = slope_per_hour([(row[0], row[column] * scale) for row in half])
        print(f"{name}: start {values[0]:.0f}{unit}, max {max(values):.0f}{unit}, end {values[-1]:.0f}{unit}; "
              f"slope {whole:+.1f}{unit}/h over the run, {late:+.1f}{unit}/h over its second half")
    sys.exit(1 if counters.failures else 0)


if __name__ == "__main__":
    main()
