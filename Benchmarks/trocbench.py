"""What the benchmarks share: building trocd, starting a `trocd serve --dev` on a free port, the `troc` CLI with its own
configuration directory, registering partner firms, writing large contact files, reading a process's memory."""
import json
import os
import ssl
import subprocess
import sys
import threading
import http.client

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)


def rss_kb(pid, field):
    """A field of /proc/PID/status in kB (VmRSS, VmHWM), 0 if absent."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def release_binaries(bin_dir, products):
    """`bin_dir` if given, else a release build of `products` into .build-bench (about 15 minutes on two cores)."""
    if bin_dir is not None:
        return os.path.abspath(bin_dir)
    print(f"building {' and '.join(products)} (release, .build-bench)…", flush=True)
    scratch = os.path.join(root, ".build-bench")
    for product in products:
        subprocess.run(["swift", "build", "-c", "release", "--product", product, "--scratch-path", scratch], cwd=root, check=True,
                       stdout=subprocess.DEVNULL)
    return os.path.join(scratch, "release")


class Broker:
    """A `trocd serve --dev` on a free port, with its operator token and an HTTPS client pinned to its certificate.

    With `joins` (another instance of a broker already set up, on the same records), there is no first operator token to
    wait for: it is ready once it listens."""

    def __init__(self, trocd, work, extra=(), env=None, joins=False):
        self.work = work
        self.trocd = trocd
        self.env = env
        self.process = subprocess.Popen([trocd, "serve", "--dev", "--port", "0", *extra], cwd=work, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, env=env)
        lines = []
        self.operator_token = None
        while True:
            line = self.process.stdout.readline()
            if not line:
                sys.exit("trocd stopped:\n" + "".join(lines))
            lines.append(line)
            if line.startswith("Troc broker listening on "):
                self.url = line.split()[-1]
                if joins:
                    break
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

    def admin(self, *arguments):
        """`trocd admin …` on the broker's data directory, while it serves."""
        subprocess.run([self.trocd, "admin", *arguments], cwd=self.work, check=True, capture_output=True, env=self.env)

    def stop(self):
        self.process.terminate()
        self.process.wait()


class Troc:
    """The `troc` CLI with a configuration directory of its own; each user is a profile."""

    def __init__(self, troc, work, broker):
        self.troc = troc
        self.broker = broker
        self.env = dict(os.environ, TROC_CONFIG_DIR=os.path.join(work, "config"))
        self.login("op", broker.operator_token)

    def login(self, profile, token, broker=None):
        """Logs `profile` in with `token`, on `broker` (another instance of the same broker) or the one given at creation."""
        broker = broker or self.broker
        self.run("login", "--profile", profile, "--server", broker.url, "--token", token, "--ca", broker.ca, profile=None)

    def run(self, *arguments, profile="op", check=True):
        """Runs troc as `profile`; returns its standard output, or exits with its error when `check`."""
        command = [self.troc, *arguments] + (["--profile", profile] if profile else [])
        result = subprocess.run(command, env=self.env, capture_output=True, text=True)
        if check and result.returncode != 0:
            sys.exit(f"troc {' '.join(arguments)} failed ({result.returncode}): {result.stderr}")
        return result.stdout if check else result

    def json(self, *arguments, profile="op"):
        return json.loads(self.run(*arguments, "--json", profile=profile))


def siren(number):
    """The valid SIREN (Luhn) whose first eight digits are `number`."""
    digits = f"{number:08d}"
    total = 0
    for index, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return digits + str((10 - total % 10) % 10)


def vat_number(siren_text):
    """The French intra-EU VAT number of a SIREN."""
    return f"FR{(12 + 3 * (int(siren_text) % 97)) % 97:02d}{siren_text}"


def register_firm(troc, name, siren_text, naf, profile=None):
    """An operator registers a partner firm and its user; returns {id, token, profile}, logged in as `profile` if given."""
    organisation = troc.json("orgs", "create", "--name", name, "--siren", siren_text, "--naf", naf, "--street", "1 rue", "--postcode",
                             "69001", "--city", "Lyon", "--vat-status", "registered", "--vat-number", vat_number(siren_text), "--iban",
                             "FR76 3000 4000 0312 3456 7890 143", "--bic", "BNPAFRPP")
    user = troc.json("users", "create", "--name", f"{name} user", "--role", "partner", "--org", organisation["id"])
    firm = {"id": organisation["id"], "token": user["token"]["token"], "profile": profile}
    if profile:
        troc.login(profile, firm["token"])
    return firm


def write_contacts(path, mib, first=0):
    """A contact file of about `mib` MiB, each row a distinct business contact numbered from `first`."""
    row = "M.;Martin;Jean;jean.martin{:08d}@entreprise.fr;06 12 34 56 78;12 rue de la Paix;75002;Paris;ACME;salon;01/10/2026;oui\r\n"
    with open(path, "w") as file:
        file.write("civilite;nom;prenom;email;telephone;adresse;code_postal;ville;raison_sociale;source;date_collecte;consentement\r\n")
        written, index = 0, first
        while written < mib * (1 << 20):
            line = row.format(index)
            file.write(line)
            written += len(line)
            index += 1
    return os.path.getsize(path)
