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
import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)


def rss_kb(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class Broker:
    """A `trocd serve --dev` on a free port, with its operator token and an HTTPS client pinned to its certificate."""

    def __init__(self, trocd, work, extra):
        self.work = work
        self.process = subprocess.Popen([trocd, "serve", "--dev", "--port", "0", *extra], cwd=work, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        lines = []
        while True:
            line = self.process.stdout.readline()
            if not line:
                sys.exit("trocd stopped:\n" + "".join(lines))
            lines.append(line)
            if line.startswith("Troc broker listening on "):
                self.url = line.split()[-1]
            if line.startswith("First operator token"):
                self.operator_token = line.split()[-1]
                break
        # Drain the log so that the daemon never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in self.process.stdout], daemon=True).start()
        self.ca = os.path.join(work, "troc-dev-cert.pem")
        self.port = int(self.url.rsplit(":", 1)[1])
        self.context = ssl.create_default_context(cafile=self.ca)

    def connection(self, timeout=60):
        return http.client.HTTPSConnection("localhost", self.port, context=self.context, timeout=timeout)

    def request(self, method, path, token, body=None, headers=None, expect=(200, 201)):
        connection = self.connection()
        all_headers = {"Authorization": f"Bearer {token}", **(headers or {})}
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        if response.status not in expect:
            sys.exit(f"{method} {path}: {response.status} {data[:400]!r}")
        return json.loads(data) if data else None

    def stop(self):
        self.process.terminate()
        self.process.wait()


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
    row = "M.;Martin;Jean;jean.martin{:08d}@entreprise.fr;06 12 34 56 78;12 rue de la Paix;75002;Paris;ACME;salon;01/10/2026;oui\r\n"
    with open(plain, "w") as file:
        file.write("civilite;nom;prenom;email;telephone;adresse;code_postal;ville;raison_sociale;source;date_collecte;consentement\r\n")
        written, index = 0, 0
        while written < args.upload_mib << 20:
            line = row.format(index)
            file.write(line)
            written += len(line)
            index += 1
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

    bin_dir = args.bin
    if bin_dir is None:
        print("building trocd (release, .build-bench)…", flush=True)
        scratch = os.path.join(root, ".build-bench")
        subprocess.run(["swift", "build", "-c", "release", "--product", "trocd", "--scratch-path", scratch], cwd=root, check=True,
                       stdout=subprocess.DEVNULL)
        bin_dir = os.path.join(scratch, "release")
    trocd = os.path.abspath(os.path.join(bin_dir, "trocd"))

    work = tempfile.mkdtemp(prefix="troc-load-bench-")
    env = dict(os.environ, TROC_CONFIG_DIR=os.path.join(work, "config"))
    broker = Broker(trocd, work, [])
    ok = True
    try:
        def troc_run(*arguments, profile="op"):
            command = [args.troc, *arguments] if arguments[0] == "login" else [args.troc, *arguments, "--profile", profile]
            result = subprocess.run(command, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                sys.exit(f"troc {' '.join(arguments)} failed: {result.stderr}")
            return result.stdout

        troc_run("login", "--profile", "op", "--server", broker.url, "--token", broker.operator_token, "--ca", broker.ca)
        firms = []
        for index, (name, siren, naf, vat) in enumerate([("Menuiseries Bench SARL", "732829320", "43.32A", "FR44732829320"),
                                                         ("Chauffage Bench SAS", "552100554", "43.22B", "FR96552100554")]):
            organisation = json.loads(troc_run("orgs", "create", "--json", "--name", name, "--siren", siren, "--naf", naf,
                                               "--street", "1 rue", "--postcode", "69001", "--city", "Lyon", "--vat-status", "registered",
                                               "--vat-number", vat, "--iban", "FR76 3000 4000 0312 3456 7890 143", "--bic", "BNPAFRPP"))
            user = json.loads(troc_run("users", "create", "--json", "--name", f"Bench {index}", "--role", "partner", "--org",
                                       organisation["id"]))
            firms.append({"id": organisation["id"], "token": user["token"]["token"]})
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
