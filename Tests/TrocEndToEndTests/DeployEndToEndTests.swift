import Foundation
import Testing
import TrocCore
import TrocTestSupport

/// What an administrator installs from `Deploy/`, run for real: nginx (and Caddy) with the shipped configuration in
/// front of `trocd serve --http`, the audit trail's client address, the nightly backup and the restore drill, and
/// trocd under systemd's protocols (readiness notification, the master key as a credential).
@Suite(.serialized) struct DeployEndToEndTests {
    /// The address nginx connects to trocd from in these tests, so that trocd can tell it from the client (127.0.0.1).
    static let proxyAddress = "127.0.0.2"

    /// A broker set up as in production: `trocd admin init`, then `trocd serve --http` trusting the proxy's address.
    struct ProductionBroker {
        let directory: URL
        let daemon: Daemon
        let operatorToken: String
        let port: Int

        /// `environment` and `daemonArguments` put the records and blobs elsewhere (the cluster's PostgreSQL and bucket).
        static func start(
            _ label: String, trusting proxy: String, environment: [String: String] = [:], daemonArguments: [String] = []
        ) throws -> ProductionBroker {
            let directory = try temporaryDirectory(label)
            let initialised = try run(
                Binaries.trocd,
                [
                    "admin", "init", "--name", "Troc SAS", "--siren", "303265045", "--street", "1 rue de la Paix", "--postcode", "75002", "--city",
                    "Paris", "--vat-number", "FR40303265045", "--iban", "FR7630006000011234567890189", "--bic", "AGRIFRPP", "--operator-name",
                    "Olivia",
                ], in: directory, environment: environment)
            try #require(initialised.status == 0, "trocd admin init: \(initialised.error)")
            let lines = initialised.output.split(separator: "\n")
            let tokenLine = try #require(lines.firstIndex { $0.hasPrefix("Broker organisation created.") }.map { lines[$0 + 1] })
            // The scenarios' files are small: let their deals match (the default minimum is 500 exchangeable contacts).
            let lowered = try run(
                Binaries.trocd, ["admin", "settings", "set", "min-exchangeable=1", "--reason", "small test files"], in: directory,
                environment: environment)
            try #require(lowered.status == 0, "\(lowered.error)")
            // As Deploy/debian/trocd.conf runs it: Prometheus scrapes on loopback, the proxy's clients are not loopback.
            let daemon = try Daemon(
                in: directory, arguments: ["--http", "--port", "0", "--trusted-proxy", proxy, "--metrics-access", "loopback"] + daemonArguments,
                environment: environment)
            let port = try #require(daemon.url.split(separator: ":").last.flatMap { Int($0) })
            return ProductionBroker(directory: directory, daemon: daemon, operatorToken: String(tokenLine), port: port)
        }

        func cleanUp() {
            daemon.stop()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// The operator and the two partner firms of the fixtures, logged in through `server`.
    struct Parties {
        let operatorUser: TrocUser
        let joinery: TrocUser
        let heating: TrocUser
        let heatingID: String

        static func register(through server: String, certificate: URL, broker: ProductionBroker) throws -> Parties {
            let operatorUser = try TrocUser("operator", in: broker.directory)
            try operatorUser.succeed("login", "--server", server, "--token", broker.operatorToken, "--ca", certificate.path)
            func firm(_ user: String, _ arguments: [String]) throws -> (TrocUser, String) {
                let organisation = try run(
                    Binaries.troc, ["orgs", "create", "--json"] + arguments, in: operatorUser.home, environment: operatorUser.environment)
                #expect(organisation.status == 0, "\(organisation.error)")
                let id = try organisation.json(Organisation.self).id
                let created = try operatorUser.succeed("users", "create", "--json", "--name", user, "--role", "partner", "--org", id).json(
                    CreatedUser.self)
                let partner = try TrocUser(user, in: broker.directory)
                try partner.succeed("login", "--server", server, "--token", created.token.token, "--ca", certificate.path)
                try partner.succeed("keygen")
                // Each firm lets the broker issue its invoices, as a firm does once before its first swap.
                try partner.succeed("mandate", "accept")
                return (partner, id)
            }
            let (joinery, _) = try firm(
                "jeanne",
                [
                    "--name", "Menuiseries Durand SARL", "--siren", "732829320", "--naf", "43.32A", "--street", "2 avenue des Artisans", "--postcode",
                    "69001", "--city", "Lyon", "--vat-status", "registered", "--vat-number", "FR44732829320", "--iban",
                    "FR76 3000 4000 0312 3456 7890 143", "--bic", "BNPAFRPP",
                ])
            let (heating, heatingID) = try firm(
                "hugo",
                [
                    "--name", "Géothermie Martin SAS", "--siret", "55210055400013", "--naf", "43.22B", "--street", "12 chemin des Sources",
                    "--postcode", "33000", "--city", "Bordeaux", "--vat-status", "registered", "--vat-number", "FR96552100554", "--iban",
                    "FR14 2004 1010 0505 0001 3M02 606", "--bic", "PSSTFRPPXXX",
                ])
            return Parties(operatorUser: operatorUser, joinery: joinery, heating: heating, heatingID: heatingID)
        }
    }

    /// A contact file of about `megabytes` MB, as CRMs export them: few contacts, each with long notes (an ignored column).
    static func largeContactFile(megabytes: Int, at url: URL) throws {
        let notes = String(repeating: "Rappeler après le salon, intéressé par une offre groupée. ", count: 34)
        var text = "Nom;Prénom;E-mail;Source;Date de collecte;Opt-in;Notes\n"
        let rows = megabytes * 1_000_000 / (notes.utf8.count + 80)
        text.reserveCapacity(megabytes * 1_000_000 + 4096)
        for index in 0..<rows {
            text += "Client\(index);Prénom\(index % 97);prospect.\(index)@entreprise-\(index % 1000).fr;salon Batimat;01/10/2026;oui;\(notes)\n"
        }
        try Data(text.utf8).write(to: url)
    }

    /// The audit trail as the operator reads it through the proxy.
    static func audit(_ operatorUser: TrocUser) throws -> [AuditEntryView] {
        try operatorUser.succeed("audit", "--limit", "1000", "--json").json([AuditEntryView].self)
    }

    @Test func aSwapThroughNginxStreamsRecordsClientsAndSurvivesTheRestoreDrill() throws {
        let broker = try ProductionBroker.start("nginx", trusting: Self.proxyAddress)
        defer { broker.cleanUp() }
        let nginx = try ReverseProxy(.nginx, upstreamPort: broker.port, bindAddress: Self.proxyAddress, in: broker.directory)
        defer { nginx.stop() }
        let parties = try Parties.register(through: nginx.url, certificate: nginx.certificate, broker: broker)
        let directory = broker.directory

        // The TLS profile: HSTS on every answer, plain HTTP redirected, TLS 1.1 and a non-AEAD TLS 1.2 suite refused
        // (the client side allows both, so a refusal is the server's).
        let health = try curl(["--include", "--cacert", nginx.certificate.path, "\(nginx.url)/healthz"], in: directory)
        #expect(
            health.status == 0 && health.output.lowercased().contains("strict-transport-security: max-age=63072000; includesubdomains"),
            "\(health.output)")
        let redirect = try curl(["--include", "http://127.0.0.1:\(nginx.httpPort)/v1/me"], in: directory)
        #expect(redirect.output.hasPrefix("HTTP/1.1 301") && redirect.output.contains("Location: https://"), "\(redirect.output)")
        let legacy = try curl(
            ["--cacert", nginx.certificate.path, "--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT@SECLEVEL=0", "\(nginx.url)/healthz"],
            in: directory)
        #expect(legacy.status == 35, "TLS 1.1 must be refused: \(legacy.status) \(legacy.error)")
        let cbc = try curl(
            ["--cacert", nginx.certificate.path, "--tls-max", "1.2", "--ciphers", "ECDHE-ECDSA-AES128-SHA256", "\(nginx.url)/healthz"], in: directory)
        #expect(cbc.status == 35, "a CBC suite must be refused: \(cbc.status) \(cbc.error)")
        #expect(try curl(["--cacert", nginx.certificate.path, "--fail", "\(nginx.url)/metrics"], in: directory).status == 22)

        // A swap from proposal to delivery, every command through the proxy.
        let deal = try parties.joinery.succeed(
            "deal", "propose", "--with", parties.heatingID, "--price-per-1000", "30.00", "--policy", "equal-count", "--json"
        ).json(Deal.self)
        try parties.joinery.succeed("deal", "upload", deal.id, DealEndToEndTests.joineryFile)
        try parties.heating.succeed("deal", "upload", deal.id, DealEndToEndTests.heatingFile)
        try parties.joinery.succeed("deal", "accept", deal.id)
        try parties.heating.succeed("deal", "accept", deal.id)
        try parties.operatorUser.succeed("deal", "approve", deal.id, "--reason", "files checked")
        #expect(try parties.operatorUser.succeed("deal", "release", deal.id, "--json").json(Deal.self).state == .invoiced)
        let received = directory.appendingPathComponent("received.csv")
        try parties.joinery.succeed("deal", "download", deal.id, "-o", received.path)
        let deliveredRows = try String(contentsOf: received, encoding: .utf8).split(separator: "\r\n").count - 1
        #expect(deliveredRows > 0)

        // A large upload streams through nginx to trocd, and back: nginx never spools it to a temporary file.
        let large = directory.appendingPathComponent("crm-export.csv")
        try Self.largeContactFile(megabytes: 60, at: large)
        let stored = try parties.joinery.succeed("upload", large.path, "--json").json(StoredFile.self)
        #expect(stored.byteCount == (try Data(contentsOf: large)).count && stored.report.contacts > 20_000)
        let back = directory.appendingPathComponent("crm-export-back.csv")
        try parties.joinery.succeed("download", stored.id, "-o", back.path)
        #expect(try Data(contentsOf: back) == Data(contentsOf: large))
        #expect(!nginx.errorLog.contains("buffered to a temporary file"), "\(nginx.errorLog)")

        // Forged X-Forwarded-For: straight to trocd (not a trusted proxy), and through nginx (which replaces it).
        let suppression = #"{"values": ["forged@exemple.fr"], "source": "optout"}"#
        let auth = "Authorization: Bearer \(broker.operatorToken)"
        let direct = try curl(
            [
                "--fail", "-H", auth, "-H", "Content-Type: application/json", "-H", "X-Forwarded-For: 203.0.113.66", "--data", suppression,
                "http://127.0.0.1:\(broker.port)/v1/suppressions",
            ], in: directory)
        #expect(direct.status == 0, "\(direct.error)")
        let proxied = try curl(
            [
                "--fail", "--cacert", nginx.certificate.path, "-H", auth, "-H", "Content-Type: application/json", "-H",
                "X-Forwarded-For: 203.0.113.77", "--data", suppression, "\(nginx.url)/v1/suppressions",
            ], in: directory)
        #expect(proxied.status == 0, "\(proxied.error)")

        // The trail names the client for every request: never the proxy's own address, never what a client claimed.
        let entries = try Self.audit(parties.operatorUser)
        let byUsers = entries.filter { $0.actorUserId != nil }
        #expect(byUsers.count > 15)
        #expect(byUsers.allSatisfy { $0.clientAddress == "127.0.0.1" }, "\(byUsers.map { "\($0.action) \($0.clientAddress ?? "-")" })")
        #expect(entries.filter { $0.action == "suppression.add" }.count == 2)
        #expect(entries.filter { $0.actorUserId == nil }.allSatisfy { $0.clientAddress == nil })

        // Sign-in is rate-limited per address, with a problem document.
        var statuses: [String] = []
        for _ in 0..<15 {
            let attempt = try curl(
                [
                    "--cacert", nginx.certificate.path, "--output", "/dev/null", "--write-out", "%{http_code}", "--data", "{}",
                    "\(nginx.url)/v1/tokens",
                ],
                in: directory)
            statuses.append(attempt.output)
        }
        #expect(statuses.first == "401" && statuses.contains("429"), "\(statuses)")
        let limited = try curl(["--cacert", nginx.certificate.path, "--data", "{}", "\(nginx.url)/v1/tokens"], in: directory)
        #expect(limited.output.contains(#""code":"rate-limited""#), "\(limited.output)")

        // Every trocd metric the alert rules read is one trocd exposes (Prometheus scrapes it on loopback).
        let exposition = try curl(["--fail", "http://127.0.0.1:\(broker.port)/metrics"], in: directory).output
        let rules = try String(contentsOf: Repository.file("Deploy/prometheus/troc-alerts.yml"), encoding: .utf8)
        let names = Set(rules.matches(of: /\b(?:hb|http_server)_[a-z_]+/).map { String($0.output) })
        #expect(names.count >= 2)
        for name in names { #expect(exposition.contains("\n\(name)"), "troc-alerts.yml reads \(name), which trocd does not expose") }

        // The nightly backup (online, into the rotation directory), then the restore drill on it.
        let backups = directory.appendingPathComponent("backups")
        let backedUp = try run(Binaries.trocd, ["admin", "backup", "--into", backups.path, "--keep", "2"], in: directory)
        #expect(backedUp.status == 0, "\(backedUp.error)")
        let drill = try run(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "bash", Repository.file("Deploy/restore-drill.sh").path, "--backups", backups.path, "--master-key",
                directory.appendingPathComponent("troc-master.key").path, "--delivery", deal.id, "--troc-config", parties.joinery.home.path,
            ],
            in: directory, environment: ["TROCD": Binaries.trocd.path, "TROC": Binaries.troc.path])
        #expect(drill.status == 0, "restore drill:\n\(drill.output)\n\(drill.error)")
        #expect(
            drill.output.contains("audit trail intact") && drill.output.contains("the delivery of \(deal.id) downloads and decrypts"),
            "\(drill.output)")
        #expect(drill.output.contains("(\(deliveredRows) contacts)"), "\(drill.output)")
        #expect(broker.daemon.stop() == 0)
    }

    @Test func caddyStreamsUploadsAndNamesTheClient() throws {
        let broker = try ProductionBroker.start("caddy", trusting: "127.0.0.1")
        defer { broker.cleanUp() }
        let caddy = try ReverseProxy(.caddy, upstreamPort: broker.port, bindAddress: "127.0.0.1", in: broker.directory)
        defer { caddy.stop() }
        let parties = try Parties.register(through: caddy.url, certificate: caddy.certificate, broker: broker)
        let directory = broker.directory

        let large = directory.appendingPathComponent("crm-export.csv")
        try Self.largeContactFile(megabytes: 20, at: large)
        let stored = try parties.heating.succeed("upload", large.path, "--json").json(StoredFile.self)
        #expect(stored.byteCount == (try Data(contentsOf: large)).count)

        // From another loopback address, with a forged header: Caddy replaces it with the address it saw.
        let forged = try curl(
            [
                "--fail", "--include", "--interface", "127.0.0.5", "--cacert", caddy.certificate.path, "-H",
                "Authorization: Bearer \(broker.operatorToken)",
                "-H", "Content-Type: application/json", "-H", "X-Forwarded-For: 203.0.113.99", "--data", #"{"values": ["forged@exemple.fr"]}"#,
                "\(caddy.url)/v1/suppressions",
            ], in: directory)
        #expect(
            forged.status == 0 && forged.output.lowercased().contains("strict-transport-security: max-age=63072000"),
            "\(forged.output)\(forged.error)")
        let entries = try Self.audit(parties.operatorUser)
        #expect(entries.last { $0.action == "suppression.add" }?.clientAddress == "127.0.0.5")
        #expect(entries.last { $0.action == "file.upload" }?.clientAddress == "127.0.0.1")
        #expect(!entries.contains { $0.clientAddress == "203.0.113.99" })
    }

    @Test func trocdTellsSystemdWhenReadyAndStoppingAndTakesItsKeyAsACredential() throws {
        let directory = try temporaryDirectory("systemd")
        defer { try? FileManager.default.removeItem(at: directory) }
        let initialised = try run(
            Binaries.trocd,
            [
                "admin", "init", "--name", "Troc SAS", "--siren", "303265045", "--street", "1 rue de la Paix", "--postcode", "75002", "--city",
                "Paris", "--vat-number", "FR40303265045",
                "--operator-name", "Olivia",
            ], in: directory)
        try #require(initialised.status == 0, "\(initialised.error)")
        // The key only as systemd's LoadCredential= leaves it: no key file where trocd would otherwise look.
        let credentials = directory.appendingPathComponent("credentials")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            at: directory.appendingPathComponent("troc-master.key"), to: credentials.appendingPathComponent("troc-master-key"))
        let listener = try NotifySocketListener(path: directory.appendingPathComponent("notify.socket").path)
        let environment = ["NOTIFY_SOCKET": listener.path, "CREDENTIALS_DIRECTORY": credentials.path]

        let daemon = try Daemon(in: directory, arguments: ["--http", "--port", "0"], environment: environment)
        let ready = try #require(listener.receive())
        #expect(ready == "READY=1\nSTATUS=Listening on \(daemon.url)")
        #expect(try curl(["--fail", "\(daemon.url)/healthz"], in: directory).output.contains("ok"))
        #expect(daemon.stop() == 0)
        #expect(listener.receive() == "STOPPING=1")

        // Without the credential there is no key; and rotation refuses a key it cannot rewrite.
        let keyless = try run(Binaries.trocd, ["serve", "--http", "--port", "0"], in: directory)
        #expect(keyless.status != 0 && keyless.error.contains("no master key at ./troc-master.key"), "\(keyless.error)")
        let rotation = try run(
            Binaries.trocd, ["admin", "rotate-master-key"], in: directory, environment: ["CREDENTIALS_DIRECTORY": credentials.path])
        #expect(
            rotation.status != 0 && rotation.error.contains("the master key comes from the systemd credential troc-master-key"), "\(rotation.error)")
    }

    @Test func bothCommandsPrintTheirVersion() throws {
        let directory = try temporaryDirectory("version")
        defer { try? FileManager.default.removeItem(at: directory) }
        for binary in [Binaries.trocd, Binaries.troc] {
            let result = try run(binary, ["--version"], in: directory)
            #expect(result.status == 0 && result.output == TrocVersion.current + "\n", "\(binary.lastPathComponent): \(result.output)\(result.error)")
        }
    }
}

extension TrocUser {
    /// The environment `troc` runs with as this user.
    var environment: [String: String] { ["TROC_CONFIG_DIR": home.path] }
}
