#!/usr/bin/env python3
"""A 200 MiB prospect file, HPKE-encrypted by `troc upload`, over HTTPS on loopback into encrypted
storage: prints the end-to-end throughput, the server's RSS growth and peak, and beside them the
machine's `openssl speed -evp aes-256-gcm` figure as the hardware reference.

usage: Benchmarks/upload_throughput.py [--mib 200] [--runs 3] [--bin DIR]

Builds trocd and troc in release mode into .build-bench unless --bin is given. Everything runs in a
temporary directory: a `trocd serve --dev` on a free port, a partner firm, its key pair."""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)


def rss_kb(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mib", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bin")
    args = parser.parse_args()

    bin_dir = args.bin
    if bin_dir is None:
        print("building trocd and troc (release, .build-bench)…", flush=True)
        scratch = os.path.join(root, ".build-bench")
        for product in ["trocd", "troc"]:
            subprocess.run(["swift", "build", "-c", "release", "--product", product, "--scratch-path", scratch], cwd=root, check=True,
                           stdout=subprocess.DEVNULL)
        bin_dir = os.path.join(scratch, "release")
    trocd, troc = os.path.join(bin_dir, "trocd"), os.path.join(bin_dir, "troc")

    work = tempfile.mkdtemp(prefix="troc-upload-bench-")
    env = dict(os.environ, TROC_CONFIG_DIR=os.path.join(work, "config"))
    server = subprocess.Popen([trocd, "serve", "--dev", "--port", "0", "--max-upload-mb", str(args.mib * 2)], cwd=work,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        while True:
            line = server.stdout.readline()
            if not line:
                sys.exit("trocd stopped:\n" + "".join(lines))
            lines.append(line)
            if line.startswith("Troc broker listening on "):
                url = line.split()[-1]
            if line.startswith("First operator token"):
                token = line.split()[-1]
                break
        ca = os.path.join(work, "troc-dev-cert.pem")

        def troc_run(*arguments, profile="op"):
            result = subprocess.run([troc, *arguments, "--profile", profile] if arguments[0] not in ("login",) else [troc, *arguments],
                                    env=env, capture_output=True, text=True)
            if result.returncode != 0:
                sys.exit(f"troc {' '.join(arguments)} failed: {result.stderr}")
            return result.stdout

        troc_run("login", "--profile", "op", "--server", url, "--token", token, "--ca", ca)
        organisation = json.loads(troc_run("orgs", "create", "--json", "--name", "Bench SARL", "--siren", "732829320", "--naf", "43.32A",
                                           "--street", "1 rue", "--postcode", "69001", "--city", "Lyon"))
        user = json.loads(troc_run("users", "create", "--json", "--name", "Bench", "--role", "partner", "--org", organisation["id"]))
        troc_run("login", "--profile", "partner", "--server", url, "--token", user["token"]["token"], "--ca", ca)
        troc_run("keygen", profile="partner")

        path = os.path.join(work, "contacts.csv")
        row = "M.;Martin;Jean;jean.martin{:07d}@entreprise.fr;06 12 34 56 78;12 rue de la Paix;75002;Paris;ACME;salon;01/10/2026;oui\r\n"
        with open(path, "w") as file:
            file.write("civilite;nom;prenom;email;telephone;adresse;code_postal;ville;raison_sociale;source;date_collecte;consentement\r\n")
            written, index = 0, 0
            while written < args.mib << 20:
                line = row.format(index)
                file.write(line)
                written += len(line)
                index += 1
        size = os.path.getsize(path)

        baseline = rss_kb(server.pid, "VmRSS")
        speeds = []
        for _ in range(args.runs):
            start = time.perf_counter()
            troc_run("upload", path, "--json", profile="partner")
            speeds.append(size / (time.perf_counter() - start) / 1e6)
        peak = rss_kb(server.pid, "VmHWM")
        after = rss_kb(server.pid, "VmRSS")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)

    openssl = subprocess.run(["openssl", "speed", "-evp", "aes-256-gcm", "-bytes", "16384", "-seconds", "2"], capture_output=True, text=True).stdout
    match = re.search(r"aes-256-gcm\s+([\d.]+)k", openssl) or re.search(r"AES-256-GCM\s+([\d.]+)k", openssl)
    aes = float(match.group(1)) / 1000 if match else float("nan")

    print(f"\n{size / 2**20:.0f} MiB over HTTPS on loopback, HPKE-sealed by troc, decrypted, read and re-encrypted at rest by trocd")
    print(f"throughput per run: {', '.join(f'{speed:.0f}' for speed in speeds)} MB/s (best {max(speeds):.0f}; goal ≥ 150)")
    print(f"server RSS: {baseline / 1024:.0f} MB before, {after / 1024:.0f} MB after, peak {peak / 1024:.0f} MB "
          f"(growth {(peak - baseline) / 1024:.0f} MB; goal ≤ 100)")
    print(f"hardware reference: openssl speed -evp aes-256-gcm (16 KiB blocks, one core): {aes:,.0f} MB/s")


if __name__ == "__main__":
    main()
