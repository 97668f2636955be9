#!/usr/bin/env python3
"""Load on a release trocd over HTTPS on loopback: authenticated reads against /healthz, concurrent large uploads,
and a normal request among many idle connections. Prints every figure docs/RELIABILITY.md "Load" records.

usage: Benchmarks/load.py [--bin DIR] [--troc PATH] [--deals 20] [--scale 200,1000] [--seconds 10]
                          [--uploads 20] [--upload-mib 50] [--idle 500] [--skip-uploads] [--skip-idle]

1. Reads: a partner firm with --deals deals (proposed through the API), then wrk with 8 and 64 connections against
   /healthz, GET /v1/me and GET /v1/deals in the same run: requests/s, p50, p99 and the ratio to /healthz. Then the
   partner's deal count grows to each --scale figure and GET /v1/deals (its first page) is measured again.
2. Uploads: --uploads concurrent uploads of --upload-mib MiB each (sealed once per firm with the independent pyhpke
   implementation in Tests/Interop): every one must answer 201, or 429 with Retry-After; the server's peak RSS.
3. Idle connections: --idle TLS connections opened and left silent (half of them with a request head half sent),
   then one normal GET /v1/me must complete, and its latency is printed.

Builds trocd in release mode into .build-bench unless --bin is given (about 15 minutes on two cores); troc (used only
to set up firms and users) comes from .build/debug unless --troc is given. Everything runs in a temporary directory.
Needs `wrk` (Debian package) and `pyhpke` (PyPI)."""
import argparse
import concurrent.futures
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from trocbench import Broker, Troc, register_firm, release_binaries, root, rss_kb, write_contacts


def wrk(url, token, connections, seconds):
    """Runs wrk with `connections` connections and returns (requests/s, p50 ms, p99 ms, non-2xx count)."""
    arguments = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "10s"]
    if token:
        arguments += ["-H", f"Authorization: Bearer {token}"]
    output = subprocess.run([*arguments, url], capture_output=True, text=True, check=True).stdout

    def milliseconds(label):
        match = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rate, milliseconds("50%"), milliseconds("99%"), int(errors.group(1)) if errors else 0


def propose(broker, token, partner_id, count):
    for _ in range(count):
        broker.request("POST", "/v1/deals", token, {"partnerId": partner_id, "pricePer1000Cents": 3500, "policy": "equal-count"})


def profile(broker, partner_token, args):
    """Samples trocd with perf while wrk reads --profile's path with 8 connections; prints the hottest symbols."""
    data = os.path.join(broker.work, "perf.data")
    recorder = subprocess.Popen(["perf", "record", "-F", "499", "-g", "-o", data, "-p", str(broker.process.pid)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
    wrk(broker.url + args.profile, partner_token, 8, args.seconds)
    recorder.send_signal(2)
    recorder.wait()
    for mode in (["--no-children"], ["--children"]):
        report = subprocess.run(["perf", "report", "-i", data, "--stdio", "-g", "none", "--percent-limit", "1.5", *mode], capture_output=True,
                                text=True).stdout
        print(f"\n== perf report {mode[0]} (GET {args.profile}, 8 connections) ==")
        print("\n".join(line[:160] for line in report.splitlines() if line.strip() and not line.startswith("#")))


def reads(broker, partner_token, partner_id, args):
    print(f"\n== Reads over HTTPS on loopback, wrk -t2, {args.seconds} s per line, a partner with {args.deals} deals ==")
    print(f"{'endpoint':<14}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'vs /healthz':>13}{'non-2xx':>9}")
    targets = [("/healthz", None), ("/v1/me", partner_token), ("/v1/deals", partner_token)]
    for connections in (8, 64):
        baseline = None
        for path, token in targets:
            rate, p50, p99, errors = wrk(broker.url + path, token, connections, args.seconds)
            baseline = baseline or rate
            print(f"{path:<14}{connections:>6}{rate:>10.0f}{p50:>9.1f}{p99:>9.1f}{rate / baseline:>12.0%}{errors:>9}", flush=True)
    listed = args.deals
    for total in args.scale:
        propose(broker, partner_token, partner_id, total - listed)
        listed = total
        page = broker.request("GET", "/v1/deals", partner_token)
        rate, p50, p99, errors = wrk(broker.url + "/v1/deals", partner_token, 64, args.seconds)
        print(f"/v1/deals with {total} deals (first page: {len(page)}), 64 conns: {rate:.0f} req/s, p50 {p50:.1f} ms, "
              f"p99 {p99:.1f} ms, non-2xx {errors}", flush=True)


def uploads(broker, firms, args):
    print(f"\n== {args.uploads} concurrent uploads of {args.upload_mib} MiB over {len(firms)} firms ==")
    key = broker.request("GET", "/v1/broker-key", firms[0]["token"])
    key_path = os.path.join(broker.work, "broker-key.pem")
    with open(key_path, "w") as file:
        file.write(key["publicKey"])
    plain = os.path.join(broker.work, "upload.csv")
    write_contacts(plain, args.upload_mib)
    for firm in firms:
        firm["envelope"] = os.path.join(broker.work, f"upload-{firm['id']}.troc")
        purpose = key["uploadPurpose"].replace("{organisationId}", firm["id"])
        subprocess.run([sys.executable, os.path.join(root, "Tests/Interop/hpke_envelope.py"), "encrypt", key_path, plain, firm["envelope"],
                        "--purpose", purpose, "--chunk-size", str(1 << 20)], check=True)

    def upload(index):
        firm = firms[index % len(firms)]
        size = os.path.getsize(firm["envelope"])
        connection = broker.connection(timeout=600)
        started = time.perf_counter()
        connection.putrequest("POST", f"/v1/files?name=load-{index}.csv")
        for name, value in [("Authorization", f"Bearer {firm['token']}"), ("Content-Type", "application/octet-stream"),
                            ("Content-Length", str(size))]:
            connection.putheader(name, value)
        connection.endheaders()
        try:
            with open(firm["envelope"], "rb") as file:
                while chunk := file.read(1 << 20):
                    connection.send(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a refused upload is answered before its body is read; the answer is still there to read
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status, response.getheader("Retry-After"), time.perf_counter() - started

    baseline = rss_kb(broker.process.pid, "VmRSS")
    with concurrent.futures.ThreadPoolExecutor(args.uploads) as pool:
        results = list(pool.map(upload, range(args.uploads)))
    peak = rss_kb(broker.process.pid, "VmHWM")
    statuses = {}
    for status, retry_after, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    refused_without_retry = sum(1 for status, retry_after, _ in results if status == 429 and not retry_after)
    unexpected = sum(count for status, count in statuses.items() if status not in (201, 429))
    slowest = max(seconds for status, _, seconds in results if status == 201) if 201 in statuses else float("nan")
    print(f"statuses: {dict(sorted(statuses.items()))}; 429 without Retry-After: {refused_without_retry}; other: {unexpected}")
    print(f"slowest accepted upload: {slowest:.1f} s; server RSS {baseline / 1024:.0f} MB before, peak {peak / 1024:.0f} MB")
    return unexpected == 0 and refused_without_retry == 0


def idle(broker, token, args):
    print(f"\n== {args.idle} idle or slow TLS connections, then one normal request ==")
    sockets = []
    for index in range(args.idle):
        raw = socket.create_connection(("127.0.0.1", broker.port), timeout=10)
        if index % 2:
            wrapped = broker.context.wrap_socket(raw, server_hostname="localhost")
            wrapped.sendall(b"GET /v1/me HTTP/1.1\r\nHost: localhost\r\nAuthor")
            sockets.append(wrapped)
        else:
            sockets.append(raw)
    time.sleep(1)
    started = time.perf_counter()
    me = broker.request("GET", "/v1/me", token)
    elapsed = time.perf_counter() - started
    print(f"GET /v1/me with {len(sockets)} connections held open: {elapsed * 1000:.0f} ms ({'ok' if me else 'no answer'}; goal < 2000 ms)")
    for held in sockets:
        held.close()
    return elapsed < 2


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin")
    parser.add_argument("--troc", default=os.path.join(root, ".build/debug/troc"))
    parser.add_argument("--deals", type=int, default=20)
    parser.add_argument("--scale", default="200,1000")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--upload-mib", type=int, default=50)
    parser.add_argument("--idle", type=int, default=500)
    parser.add_argument("--skip-uploads", action="store_true")
    parser.add_argument("--skip-idle", action="store_true")
    parser.add_argument("--profile", metavar="PATH", help="sample trocd with perf while wrk reads PATH (/v1/deals) and stop there")
    args = parser.parse_args()
    args.scale = [int(value) for value in args.scale.split(",") if value]

    trocd = os.path.join(release_binaries(args.bin, ["trocd"]), "trocd")

    work = tempfile.mkdtemp(prefix="troc-load-bench-")
    broker = Broker(trocd, work)
    ok = True
    try:
        troc = Troc(args.troc, work, broker)
        firms = [register_firm(troc, "Menuiseries Bench SARL", "732829320", "43.32A"),
                 register_firm(troc, "Chauffage Bench SAS", "552100554", "43.22B")]
        partner, other = firms
        propose(broker, partner["token"], other["id"], args.deals)
        if args.profile:
            profile(broker, partner["token"], args)
            return
        reads(broker, partner["token"], other["id"], args)
        if not args.skip_uploads:
            ok = uploads(broker, firms, args) and ok
        if not args.skip_idle:
            ok = idle(broker, partner["token"], args) and ok
    finally:
        broker.stop()
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
