#!/usr/bin/env python3
"""A 200 MiB prospect file, HPKE-encrypted by `troc upload`, over HTTPS on loopback into encrypted
storage: prints the end-to-end throughput, the server's RSS growth and peak, and beside them the
machine's `openssl speed -evp aes-256-gcm` figure as the hardware reference.

usage: Benchmarks/upload_throughput.py [--mib 200] [--runs 3] [--bin DIR] [--blobs s3://bucket?endpoint=…]

Builds trocd and troc in release mode into .build-bench unless --bin is given. Everything runs in a
temporary directory: a `trocd serve --dev` on a free port, a partner firm, its key pair. With --blobs, the
daemon keeps the blobs in that object store (credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in
the environment, as `trocd serve --blobs` reads them)."""
import argparse
import os
import re
import shutil
import subprocess
import tempfile
import time

from trocbench import Broker, Troc, register_firm, release_binaries, rss_kb, write_contacts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mib", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bin")
    parser.add_argument("--blobs", help="an s3:// URL: the blobs go to that object store instead of the data directory")
    args = parser.parse_args()

    bin_dir = release_binaries(args.bin, ["trocd", "troc"])
    trocd, troc_path = os.path.join(bin_dir, "trocd"), os.path.join(bin_dir, "troc")

    work = tempfile.mkdtemp(prefix="troc-upload-bench-")
    server = Broker(trocd, work, ["--max-upload-mb", str(args.mib * 2)] + (["--blobs", args.blobs] if args.blobs else []))
    try:
        troc = Troc(troc_path, work, server)
        register_firm(troc, "Bench SARL", "732829320", "43.32A", profile="partner")
        troc.run("keygen", profile="partner")

        path = os.path.join(work, "contacts.csv")
        size = write_contacts(path, args.mib)

        baseline = rss_kb(server.process.pid, "VmRSS")
        speeds = []
        for _ in range(args.runs):
            start = time.perf_counter()
            troc.run("upload", path, "--json", profile="partner")
            speeds.append(size / (time.perf_counter() - start) / 1e6)
        peak = rss_kb(server.process.pid, "VmHWM")
        after = rss_kb(server.process.pid, "VmRSS")
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)

    openssl = subprocess.run(["openssl", "speed", "-evp", "aes-256-gcm", "-bytes", "16384", "-seconds", "2"], capture_output=True, text=True).stdout
    match = re.search(r"aes-256-gcm\s+([\d.]+)k", openssl) or re.search(r"AES-256-GCM\s+([\d.]+)k", openssl)
    aes = float(match.group(1)) / 1000 if match else float("nan")

    print(f"\n{size / 2**20:.0f} MiB over HTTPS on loopback, HPKE-sealed by troc, decrypted, read and re-encrypted at rest by trocd"
          + (f" into {args.blobs.split('?')[0]}" if args.blobs else " into its data directory"))
    print(f"throughput per run: {', '.join(f'{speed:.0f}' for speed in speeds)} MB/s (best {max(speeds):.0f}; goal ≥ 150)")
    print(f"server RSS: {baseline / 1024:.0f} MB before, {after / 1024:.0f} MB after, peak {peak / 1024:.0f} MB "
          f"(growth {(peak - baseline) / 1024:.0f} MB; goal ≤ 100)")
    print(f"hardware reference: openssl speed -evp aes-256-gcm (16 KiB blocks, one core): {aes:,.0f} MB/s")


if __name__ == "__main__":
    main()
