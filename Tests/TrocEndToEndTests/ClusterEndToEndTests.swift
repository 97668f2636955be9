import Foundation
import Testing
import TrocCore
import TrocTestSupport

/// Two `trocd` instances sharing their records in PostgreSQL and their blobs in an object store (SeaweedFS), as behind a
/// reverse proxy with two upstreams: a swap whose steps land on either instance comes out as one broker's, byte for byte
/// what `troc match --release-dir` writes, with its four invoices and one audit trail.
@Suite(.serialized) struct ClusterEndToEndTests {
    @Test func twoInstancesOnPostgreSQLAndAnObjectStoreSwapAsOneBroker() async throws {
        try await Self.withServers(Self.swap)
    }

    @Test func aReleaseWhoseInstanceIsKilledIsFinishedByTheOtherOnce() async throws {
        try await Self.withServers(Self.killedRelease)
    }

    @Test func aMatchWhoseInstanceIsKilledIsFinishedByTheOtherOnce() async throws {
        try await Self.withServers(Self.killedMatch)
    }

    @Test func anEmbeddedBrokerMovesToPostgreSQLAndTheObjectStoreAndServesOnFromThere() async throws {
        try await Self.withServers(Self.migration)
    }

    @Test func twoInstancesBehindNginxServeASwapWhileOneOfThemStops() async throws {
        try await Self.withServers(Self.behindNginx)
    }

    @Test func releasesOnBothInstancesAtOnceNumberTheirInvoicesWithoutAGap() async throws {
        try await Self.withServers(Self.concurrentReleases)
    }

    /// Runs `body` with a throwaway PostgreSQL and SeaweedFS, both stopped afterwards whatever happens.
    static func withServers(_ body: (PostgresTestServer) async throws -> Void) async throws {
        let postgres = try await PostgresTestServer.start()
        do {
            try await SeaweedFS.withServer { try await body(postgres) }
        } catch {
            await postgres.stop()
            throw error
        }
        await postgres.stop()
    }

    /// Instance A, the world's daemon (which sets the broker up), and instance B, on another data directory (its spool
    /// only): the same master key, the same records (the test PostgreSQL) and blobs (the bucket), both given `serving`.
    static func twoInstances(
        _ label: String, postgres: PostgresTestServer, serving: [String] = []
    ) throws -> (world: BrokerEndToEndTests.World, second: Daemon) {
        let bucket = try #require(SeaweedFS.current)
        let environment = environment(postgres)
        let world = try BrokerEndToEndTests.World.make(label, daemonArguments: ["--blobs", bucket.url] + serving, environment: environment)
        do {
            let data = world.directory.appendingPathComponent("second-data").path
            let second = try Daemon(
                in: world.directory, arguments: ["--dev", "--port", "0", "--blobs", bucket.url, "--data", data] + serving, environment: environment)
            return (world, second)
        } catch {
            world.cleanUp()
            throw error
        }
    }

    /// `troc ARGUMENTS` as `user`, started and left running: a request whose instance the test kills, or one sent beside
    /// another.
    static func start(_ user: TrocUser, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = Binaries.troc
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["TROC_CONFIG_DIR": user.home.path]) { $1 }
        process.currentDirectoryURL = user.home
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        return process
    }

    /// The environment both instances and the admin commands share: the bucket's identity and the records' URL.
    static func environment(_ postgres: PostgresTestServer) -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": SeaweedFS.accessKeyID, "AWS_SECRET_ACCESS_KEY": SeaweedFS.secretAccessKey,
            "TROC_DATABASE": postgres.url(database: "postgres"),
        ]
    }

    /// `rows` business contacts (a company, its SIRET and NAF code, a contact address), the first `shared` of them also in
    /// the other firm's file, as a CRM exports them.
    static func contacts(_ firm: String, rows: Int, shared: Int) -> String {
        var text =
            "Civilité;Nom;Prénom;E-mail;Téléphone;Portable;Adresse;Code postal;Ville;Raison sociale;SIRET;Code APE;Origine;Date de collecte;Opt-in\n"
        text.reserveCapacity(rows * 130)
        for index in 0..<rows {
            let company = index < shared ? index : index + (firm == "a" ? 30_000_000 : 60_000_000)
            let siret = luhn(luhn(String(10_000_000 + company)) + "0001")
            text += "M.;Client\(index);Jean;contact@societe-\(company).fr;;;1 rue des Lilas;44000;Nantes;Société \(company);\(siret);41.20A;"
            text += "Annuaire 2026;14/03/2026;\n"
        }
        return text
    }

    /// `digits` followed by the Luhn check digit that makes the whole valid (SIREN, SIRET).
    static func luhn(_ digits: String) -> String {
        var sum = 0
        for (position, character) in digits.reversed().enumerated() {
            var digit = Int(String(character)) ?? 0
            if position % 2 == 0 {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return digits + String((10 - sum % 10) % 10)
    }

    /// Instance A is killed (`kill -9`) in the middle of a release it runs; instance B takes the job over once A's lease
    /// lapses and finishes it: one delivery per side, four invoices, one audit trail, whatever instant the kill hit.
    static func killedRelease(postgres: PostgresTestServer) async throws {
        let environment = environment(postgres)
        let (world, second) = try Self.twoInstances("cluster-kill", postgres: postgres, serving: ["--job-lease", "3"])
        defer { world.cleanUp() }
        defer { second.stop() }
        // The firms work with B, the operator with A: A is the one killed.
        try world.relogin(world.joinery, to: second)
        try world.relogin(world.heating, to: second)
        try world.joinery.succeed("keygen")
        try world.heating.succeed("keygen")
        // Files large enough that sealing the deliveries takes a while.
        let rows = 30_000
        let joineryFile = world.directory.appendingPathComponent("joinery.csv")
        let heatingFile = world.directory.appendingPathComponent("heating.csv")
        try Data(contacts("a", rows: rows, shared: rows / 5).utf8).write(to: joineryFile)
        try Data(contacts("b", rows: rows, shared: rows / 5).utf8).write(to: heatingFile)
        let dealID = try world.joinery.succeed(
            "deal", "propose", "--with", world.heatingID, "--price-per-1000", DealEndToEndTests.pricePer1000, "--policy", "equal-count", "--json"
        ).json(Deal.self).id
        try world.joinery.succeed("deal", "upload", dealID, joineryFile.path, "--json")
        #expect(try world.heating.succeed("deal", "upload", dealID, heatingFile.path, "--json").json(Deal.self).state == .matched)
        try world.joinery.succeed("deal", "accept", dealID)
        try world.heating.succeed("deal", "accept", dealID)
        try world.operatorUser.succeed("deal", "approve", dealID, "--reason", "files checked")

        // The release starts on A; A is killed while it runs.
        let release = try Self.start(world.operatorUser, ["deal", "release", dealID, "--json"])
        var started = false
        for _ in 0..<200 where !started {
            started = try Self.psql(postgres, "SELECT count(*) FROM job WHERE kind = 'release' AND state = 'running'") == "1"
            if !started { try await Task.sleep(for: .milliseconds(25)) }
        }
        #expect(started, "the release job was claimed")
        // At once: re-running the match and sealing 30,000 contacts a side takes A far longer than this.
        kill(world.daemon.process.processIdentifier, SIGKILL)
        release.waitUntilExit()

        // B takes the job over once A's lease (3 s) lapses, and finishes it.
        var state = ""
        for _ in 0..<480 where state != "invoiced" {
            try await Task.sleep(for: .milliseconds(250))
            state = try world.joinery.succeed("deal", "show", dealID, "--json").json(Deal.self).state.rawValue
        }
        let job = try Self.psql(postgres, "SELECT state || ' ' || attempts FROM job WHERE kind = 'release'")
        let jobs =
            try Self.psql(postgres, "SELECT kind, state, attempts, holder, outcome FROM job") + "\n"
            + (try Self.psql(
                postgres, "SELECT pid, state, wait_event_type, wait_event, left(query, 120) FROM pg_stat_activity WHERE datname = 'postgres'"))
        let log = second.output.split(separator: "\n").filter { !$0.contains("http.method=GET") }.suffix(40).joined(separator: "\n")
        #expect(state == "invoiced", "B finished the release: \(jobs)\n\(log)")
        #expect(job == "done 2", "the job, claimed by A then by B: \(job)")
        #expect(release.terminationStatus != 0, "the release request died with A")
        #expect(second.output.contains("taking over a deal job"))
        #expect(try Self.psql(postgres, "SELECT count(*) FROM delivery WHERE \"dealID\" = '\(dealID)'") == "2")
        #expect(try Self.psql(postgres, "SELECT count(*) FROM invoice WHERE \"dealID\" = '\(dealID)'") == "4")
        let toJoinery = world.directory.appendingPathComponent("to-joinery.csv")
        try world.joinery.succeed("deal", "download", dealID, "-o", toJoinery.path)
        let delivered = try world.joinery.succeed("deal", "show", dealID, "--json").json(Deal.self).delivery?.rows
        #expect((delivered ?? 0) > 0)
        try Self.expectAuditIntact(in: world.directory, environment: environment)
        #expect(second.stop() == 0)
    }

    /// An embedded broker (SQLite, a blob directory) with a released deal is stopped and moved with `trocd admin migrate`;
    /// a cluster instance then serves it: the same deliveries byte for byte, the same invoices, a trail that verifies and
    /// goes on growing. A second migration into the same database is refused and changes nothing.
    static func migration(postgres: PostgresTestServer) async throws {
        let bucket = try #require(SeaweedFS.current)
        let environment = environment(postgres)
        let world = try BrokerEndToEndTests.World.make("migrate")
        defer { world.cleanUp() }
        try world.joinery.succeed("keygen")
        try world.heating.succeed("keygen")
        let dealID = try world.joinery.succeed(
            "deal", "propose", "--with", world.heatingID, "--price-per-1000", DealEndToEndTests.pricePer1000, "--policy", "equal-count", "--json"
        ).json(Deal.self).id
        try world.joinery.succeed("deal", "upload", dealID, DealEndToEndTests.joineryFile, "--json")
        try world.heating.succeed("deal", "upload", dealID, DealEndToEndTests.heatingFile, "--json")
        try world.joinery.succeed("deal", "accept", dealID)
        try world.heating.succeed("deal", "accept", dealID)
        try world.operatorUser.succeed("deal", "approve", dealID, "--reason", "files checked")
        #expect(try world.operatorUser.succeed("deal", "release", dealID, "--json").json(Deal.self).state == .invoiced)
        let embedded = world.directory.appendingPathComponent("embedded-to-joinery.csv")
        try world.joinery.succeed("deal", "download", dealID, "-o", embedded.path)
        let invoices = try world.operatorUser.succeed("invoices", "list", "--json").json([InvoiceSummary].self)
        #expect(world.daemon.stop() == 0)

        let arguments = ["admin", "migrate", "--from", "troc-data", "--blobs", bucket.url]
        let migrated = try run(Binaries.trocd, arguments, in: world.directory, environment: environment)
        #expect(migrated.status == 0, "\(migrated.output)\(migrated.error)")
        #expect(migrated.output.contains("Audit trail in PostgreSQL intact"), "\(migrated.output)")
        #expect(migrated.output.contains("decrypts to the same"), "\(migrated.output)")
        #expect(try Self.psql(postgres, "SELECT count(*) FROM invoice") == String(invoices.count))
        #expect(try Self.psql(postgres, "SELECT count(*) FROM delivery WHERE \"dealID\" = '\(dealID)'") == "2")
        let auditRows = try Self.psql(postgres, "SELECT count(*) FROM audit")
        let again = try run(Binaries.trocd, arguments, in: world.directory, environment: environment)
        #expect(again.status != 0 && again.error.contains("already holds records"), "\(again.output)\(again.error)")
        #expect(try Self.psql(postgres, "SELECT count(*) FROM audit") == auditRows)

        let cluster = try Daemon(
            in: world.directory,
            arguments: ["--dev", "--port", "0", "--blobs", bucket.url, "--data", world.directory.appendingPathComponent("cluster-data").path],
            environment: environment)
        defer { cluster.stop() }
        #expect(cluster.operatorToken == nil, "the cluster finds the migrated broker")
        for user in [world.joinery, world.heating, world.operatorUser] { try world.relogin(user, to: cluster) }
        let migratedDelivery = world.directory.appendingPathComponent("cluster-to-joinery.csv")
        try world.joinery.succeed("deal", "download", dealID, "-o", migratedDelivery.path)
        #expect(try Data(contentsOf: migratedDelivery) == Data(contentsOf: embedded))
        let listed = try world.operatorUser.succeed("invoices", "list", "--json").json([InvoiceSummary].self)
        #expect(listed.map(\.number) == invoices.map(\.number))
        // New writes chain onto the migrated trail: a second deal, proposed on the cluster.
        try world.heating.succeed("deal", "propose", "--with", world.joineryID, "--price-per-1000", DealEndToEndTests.pricePer1000, "--json")
        try Self.expectAuditIntact(in: world.directory, environment: environment)
        #expect(cluster.stop() == 0)
    }

    /// Deploy/'s cluster variant: two instances as `trocd@.service` runs them (`--http`, trusting the proxy) behind nginx
    /// with `troc-cluster-upstream.conf`'s block. The parties register and a deal is matched through nginx, which spreads
    /// the requests over both; then one instance stops, and the acceptances, the approval, the release and the downloads
    /// go on through nginx to the other, as if nothing happened: four invoices, two deliveries, one intact trail.
    static func behindNginx(postgres: PostgresTestServer) async throws {
        let bucket = try #require(SeaweedFS.current)
        let environment = environment(postgres)
        let proxy = DeployEndToEndTests.proxyAddress
        let broker = try DeployEndToEndTests.ProductionBroker.start(
            "cluster-nginx", trusting: proxy, environment: environment, daemonArguments: ["--blobs", bucket.url])
        defer { broker.cleanUp() }
        let second = try Daemon(
            in: broker.directory,
            arguments: [
                "--http", "--port", "0", "--trusted-proxy", proxy, "--metrics-access", "loopback", "--blobs", bucket.url, "--data",
                broker.directory.appendingPathComponent("second-data").path,
            ], environment: environment)
        defer { second.stop() }
        let secondPort = try #require(second.url.split(separator: ":").last.flatMap { Int($0) })
        let nginx = try ReverseProxy(.nginx, upstreamPorts: [broker.port, secondPort], bindAddress: proxy, in: broker.directory)
        defer { nginx.stop() }
        let parties = try DeployEndToEndTests.Parties.register(through: nginx.url, certificate: nginx.certificate, broker: broker)
        let dealID = try parties.joinery.succeed(
            "deal", "propose", "--with", parties.heatingID, "--price-per-1000", DealEndToEndTests.pricePer1000, "--policy", "equal-count", "--json"
        ).json(Deal.self).id
        try parties.joinery.succeed("deal", "upload", dealID, DealEndToEndTests.joineryFile, "--json")
        #expect(try parties.heating.succeed("deal", "upload", dealID, DealEndToEndTests.heatingFile, "--json").json(Deal.self).state == .matched)
        // nginx spread the requests so far over both instances.
        for instance in [broker.daemon, second] { #expect(instance.output.contains("http.method=POST"), "\(instance.output.suffix(2000))") }

        #expect(broker.daemon.stop() == 0)
        try parties.joinery.succeed("deal", "accept", dealID)
        try parties.heating.succeed("deal", "accept", dealID)
        try parties.operatorUser.succeed("deal", "approve", dealID, "--reason", "files checked")
        #expect(try parties.operatorUser.succeed("deal", "release", dealID, "--json").json(Deal.self).state == .invoiced)
        for (user, name) in [(parties.joinery, "to-joinery.csv"), (parties.heating, "to-heating.csv")] {
            let file = broker.directory.appendingPathComponent(name)
            try user.succeed("deal", "download", dealID, "-o", file.path)
            #expect(try Data(contentsOf: file).count > 100)
        }
        let invoices = try parties.operatorUser.succeed("invoices", "list", "--json").json([InvoiceSummary].self).filter { $0.dealId == dealID }
        #expect(invoices.count == 4)
        try Self.expectAuditIntact(in: broker.directory, environment: environment)
        // Requests did reach the stopped instance's address, and were passed on.
        #expect(nginx.errorLog.contains("Connection refused) while connecting to upstream"), "\(nginx.errorLog.suffix(2000))")
        #expect(!nginx.errorLog.contains("no live upstreams"), "\(nginx.errorLog.suffix(2000))")
        #expect(second.stop() == 0)
    }

    /// Two deals between the same firms, one proposed by each (so their sellers' series come in opposite orders), released
    /// at the same moment, one on each instance: eight invoices, every number taken once, each series without a gap.
    static func concurrentReleases(postgres: PostgresTestServer) async throws {
        let environment = environment(postgres)
        let (world, second) = try Self.twoInstances("cluster-releases", postgres: postgres)
        defer { world.cleanUp() }
        defer { second.stop() }
        // The operator, signed in on both instances.
        let otherOperator = try TrocUser("operator-b", in: world.directory)
        let token = try #require(world.daemon.operatorToken)
        try otherOperator.succeed(
            "login", "--server", second.url, "--token", token, "--ca", world.directory.appendingPathComponent("troc-dev-cert.pem").path)
        try world.joinery.succeed("keygen")
        try world.heating.succeed("keygen")
        var deals: [String] = []
        let joinery = (user: world.joinery, id: world.joineryID, file: DealEndToEndTests.joineryFile)
        let heating = (user: world.heating, id: world.heatingID, file: DealEndToEndTests.heatingFile)
        for (proposer, partner) in [(joinery, heating), (heating, joinery)] {
            let dealID = try proposer.user.succeed(
                "deal", "propose", "--with", partner.id, "--price-per-1000", DealEndToEndTests.pricePer1000, "--policy", "equal-count", "--json"
            ).json(Deal.self).id
            try proposer.user.succeed("deal", "upload", dealID, proposer.file, "--json")
            #expect(try partner.user.succeed("deal", "upload", dealID, partner.file, "--json").json(Deal.self).state == .matched)
            try world.joinery.succeed("deal", "accept", dealID)
            try world.heating.succeed("deal", "accept", dealID)
            try world.operatorUser.succeed("deal", "approve", dealID, "--reason", "files checked")
            deals.append(dealID)
        }
        // Both releases at once, one on each instance.
        let releases = try zip([world.operatorUser, otherOperator], deals).map { user, dealID in
            try Self.start(user, ["deal", "release", dealID, "--json"])
        }
        for release in releases {
            release.waitUntilExit()
            #expect(release.terminationStatus == 0)
        }
        let invoices = try world.operatorUser.succeed("invoices", "list", "--json").json([InvoiceSummary].self)
        #expect(invoices.count == 8)
        // Each series (the broker's, each seller's) numbered 1, 2, … with no gap and no number twice.
        let series = Dictionary(grouping: invoices.map(\.number)) { String($0.prefix { $0 != "-" }) }
        #expect(series.count == 3, "\(series)")
        for (prefix, numbers) in series {
            let sequence = numbers.compactMap { Int($0.split(separator: "-").last ?? "") }.sorted()
            #expect(sequence == Array(1...numbers.count), "series \(prefix): \(numbers.sorted())")
        }
        #expect(second.output.contains("http.method=POST"))
        try Self.expectAuditIntact(in: world.directory, environment: environment)
        #expect(second.stop() == 0)
    }

    /// Instance A is killed (`kill -9`) while it runs the match the second upload started; instance B takes the match job
    /// over once A's lease lapses and records the report; the deal then goes through B to one delivery per side and four
    /// invoices.
    static func killedMatch(postgres: PostgresTestServer) async throws {
        let environment = environment(postgres)
        let (world, second) = try Self.twoInstances("cluster-kill-match", postgres: postgres, serving: ["--job-lease", "3"])
        defer { world.cleanUp() }
        defer { second.stop() }
        try world.joinery.succeed("keygen")
        try world.heating.succeed("keygen")
        // Files large enough that reading and matching them takes A a while.
        let rows = 40_000
        let joineryFile = world.directory.appendingPathComponent("joinery.csv")
        let heatingFile = world.directory.appendingPathComponent("heating.csv")
        try Data(contacts("a", rows: rows, shared: rows / 5).utf8).write(to: joineryFile)
        try Data(contacts("b", rows: rows, shared: rows / 5).utf8).write(to: heatingFile)
        let dealID = try world.joinery.succeed(
            "deal", "propose", "--with", world.heatingID, "--price-per-1000", DealEndToEndTests.pricePer1000, "--policy", "equal-count", "--json"
        ).json(Deal.self).id
        try world.joinery.succeed("deal", "upload", dealID, joineryFile.path, "--json")

        // The second upload, on A, starts the match there; A is killed while it runs.
        let upload = try Self.start(world.heating, ["deal", "upload", dealID, heatingFile.path, "--json"])
        var started = false
        for _ in 0..<1200 where !started {
            started = try Self.psql(postgres, "SELECT count(*) FROM job WHERE kind = 'match' AND state = 'running'") == "1"
            if !started { try await Task.sleep(for: .milliseconds(25)) }
        }
        #expect(started, "the match job was claimed")
        kill(world.daemon.process.processIdentifier, SIGKILL)
        upload.waitUntilExit()
        #expect(try Self.psql(postgres, "SELECT state FROM deal WHERE id = '\(dealID)'") == "awaiting-files", "killed before the report")

        // B takes the match over once A's lease (3 s) lapses; the rest of the deal goes through B.
        for user in [world.joinery, world.heating, world.operatorUser] { try world.relogin(user, to: second) }
        var state = ""
        for _ in 0..<480 where state != "matched" {
            try await Task.sleep(for: .milliseconds(250))
            state = try world.joinery.succeed("deal", "show", dealID, "--json").json(Deal.self).state.rawValue
        }
        let jobs = try Self.psql(postgres, "SELECT kind, state, attempts, outcome FROM job")
        #expect(state == "matched", "B finished the match: \(jobs)")
        #expect(try Self.psql(postgres, "SELECT state || ' ' || attempts FROM job WHERE kind = 'match'") == "done 2")
        #expect(second.output.contains("taking over a deal job"))
        try world.joinery.succeed("deal", "accept", dealID)
        try world.heating.succeed("deal", "accept", dealID)
        try world.operatorUser.succeed("deal", "approve", dealID, "--reason", "files checked")
        #expect(try world.operatorUser.succeed("deal", "release", dealID, "--json").json(Deal.self).state == .invoiced)
        #expect(try Self.psql(postgres, "SELECT count(*) FROM delivery WHERE \"dealID\" = '\(dealID)'") == "2")
        #expect(try Self.psql(postgres, "SELECT count(*) FROM invoice WHERE \"dealID\" = '\(dealID)'") == "4")
        try Self.expectAuditIntact(in: world.directory, environment: environment)
        #expect(second.stop() == 0)
    }

    /// `trocd admin audit verify` on the cluster's records finds the trail intact.
    static func expectAuditIntact(in directory: URL, environment: [String: String]) throws {
        let verified = try run(Binaries.trocd, ["admin", "audit", "verify"], in: directory, environment: environment)
        #expect(verified.status == 0 && verified.output.contains("audit trail intact"), "\(verified.output)\(verified.error)")
    }

    /// One value read with `psql` from the test server's `postgres` database.
    static func psql(_ server: PostgresTestServer, _ sql: String) throws -> String {
        let result = try run(
            URL(fileURLWithPath: "/usr/bin/psql"), ["-h", server.directory, "-U", server.user, "-d", "postgres", "-Atc", sql],
            in: URL(fileURLWithPath: server.directory))
        guard result.status == 0 else { throw PostgresTestServer.Failure("psql: \(result.error)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func swap(postgres: PostgresTestServer) async throws {
        let environment = environment(postgres)
        let (world, second) = try Self.twoInstances("cluster", postgres: postgres)
        defer { world.cleanUp() }
        defer { second.stop() }
        #expect(world.daemon.output.contains("Records: postgres://troc@socket"), "\(world.daemon.output)")
        #expect(second.operatorToken == nil, "the second instance finds the broker the first set up")
        try world.relogin(world.heating, to: second)
        try world.relogin(world.operatorUser, to: second)

        try world.joinery.succeed("keygen")
        try world.heating.succeed("keygen")
        let dealID = try world.joinery.succeed(
            "deal", "propose", "--with", world.heatingID, "--price-per-1000", DealEndToEndTests.pricePer1000, "--policy", "equal-count", "--json"
        ).json(Deal.self).id
        // Each firm uploads to its own instance; the match runs where the second file lands, reading the first from the bucket.
        try world.joinery.succeed("deal", "upload", dealID, DealEndToEndTests.joineryFile, "--json")
        let matched = try world.heating.succeed("deal", "upload", dealID, DealEndToEndTests.heatingFile, "--json").json(Deal.self)
        #expect(matched.state == .matched && matched.reportReady)
        let full = try #require(try world.operatorUser.succeed("deal", "report", dealID, "--json").json(DealReportView.self).full)
        try world.joinery.succeed("deal", "accept", dealID)
        try world.heating.succeed("deal", "accept", dealID)
        try world.operatorUser.succeed("deal", "approve", dealID, "--reason", "files checked")
        #expect(try world.operatorUser.succeed("deal", "release", dealID, "--json").json(Deal.self).state == .invoiced)
        #expect(try world.operatorUser.troc("deal", "release", dealID).status == 5)

        // Downloads from either instance; the same deliveries as troc match's, offline.
        let toJoinery = world.directory.appendingPathComponent("to-joinery.csv")
        let toHeating = world.directory.appendingPathComponent("to-heating.csv")
        try world.joinery.succeed("deal", "download", dealID, "-o", toJoinery.path)
        try world.heating.succeed("deal", "download", dealID, "-o", toHeating.path)
        let offline = world.directory.appendingPathComponent("offline")
        try FileManager.default.createDirectory(at: offline, withIntermediateDirectories: true)
        let match = try world.operatorUser.succeed(
            "match", DealEndToEndTests.joineryFile, DealEndToEndTests.heatingFile, "--naf-a", "43.32A", "--naf-b", "43.22B", "--policy",
            "equal-count", "--as-of", full.asOf.iso8601, "--release-dir", offline.path, "--supplier-a-name", "Menuiseries Durand SARL",
            "--supplier-a-siren", "732829320", "--supplier-b-name", "Géothermie Martin SAS", "--supplier-b-siren", "552100554", "--deal-id", dealID,
            "--json"
        ).json(MatchReport.self)
        #expect(try Data(contentsOf: toJoinery) == Data(contentsOf: offline.appendingPathComponent("to-a.csv")))
        #expect(try Data(contentsOf: toHeating) == Data(contentsOf: offline.appendingPathComponent("to-b.csv")))
        #expect(full == match && match.delivery.toA > 0 && match.delivery.toB > 0)

        // One broker's invoices and one audit trail, whichever instance wrote them.
        let invoices = try world.operatorUser.succeed("invoices", "list", "--json").json([InvoiceSummary].self).filter { $0.dealId == dealID }
        #expect(invoices.count == 4)
        try Self.expectAuditIntact(in: world.directory, environment: environment)
        // Nothing in the data directories: the blobs are in the bucket.
        for data in ["troc-data", "second-data"] {
            let blobs = world.directory.appendingPathComponent(data).appendingPathComponent("blobs").path
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: blobs)) ?? []).isEmpty, "\(data)/blobs")
            #expect(!FileManager.default.fileExists(atPath: world.directory.appendingPathComponent(data).appendingPathComponent("troc.sqlite").path))
        }
        #expect(second.stop() == 0)
    }
}
