import Foundation
import Synchronization
import Testing
import TrocClient
import TrocCore

/// What the crash campaign does to the broker between two kills, and what it checks after each restart.
final class CrashWorkload: Sendable {
    /// Deals between the campaign's two firms: the broker gives a pair this many match reports (its maximum).
    static let dealLimit = 12
    static let sqlite = URL(fileURLWithPath: "/usr/bin/sqlite3")

    let world: BrokerEndToEndTests.World
    let deliveries: URL
    /// Set once the daemon is dead: the running step issues no more commands.
    let stopped = Atomic<Bool>(false)
    /// Files uploaded outside deals, oldest first, that a later step deletes.
    let looseFiles = Mutex<[String]>([])

    init(world: BrokerEndToEndTests.World) throws {
        self.world = world
        deliveries = world.directory.appendingPathComponent("deliveries")
        try FileManager.default.createDirectory(at: deliveries, withIntermediateDirectories: true)
    }

    var database: String { world.directory.appendingPathComponent("troc-data/troc.sqlite").path }

    /// One pass of traffic: with `kill` > 0 a loose upload, a deletion and a backup first (the daemon may die at any
    /// point, so failures are expected); then every deal moves as far as it can. Returns whether anything moved.
    @discardableResult
    func step(_ kill: Int) -> Bool {
        let killed = kill > 0
        var moved = false
        if killed {
            if let file = try? attempt(world.joinery, ["upload", DealEndToEndTests.joineryFile, "--json"], killed), file.status == 0,
                let stored = try? file.json(StoredFile.self)
            {
                looseFiles.withLock { $0.append(stored.id) }
            }
            if let oldest = looseFiles.withLock({ $0.count > 2 ? $0.first : nil }),
                let deleted = try? attempt(world.joinery, ["files", "delete", oldest], killed), deleted.status == 0 || deleted.status == 4
            {
                looseFiles.withLock { $0.removeAll { $0 == oldest } }
            }
            if kill % 3 == 0 {
                _ = try? run(
                    Binaries.trocd, ["admin", "backup", "--into", world.directory.appendingPathComponent("backups").path, "--keep", "2"],
                    in: world.directory)
            }
        }
        guard let listed = try? attempt(world.operatorUser, ["deal", "list", "--json"], killed), listed.status == 0,
            let deals = try? listed.json([Deal].self)
        else { return false }
        let open: Set<DealState> = [.awaitingFiles, .matched, .accepted, .approved]
        if deals.count < Self.dealLimit && !deals.contains(where: { open.contains($0.state) }) {
            let proposed = try? attempt(
                world.joinery,
                ["deal", "propose", "--with", world.heatingID, "--price-per-1000", DealEndToEndTests.pricePer1000, "--policy", "equal-count"],
                killed)
            moved = moved || proposed?.status == 0
        }
        for deal in deals.reversed() where !stopped.load(ordering: .sequentiallyConsistent) {
            moved = advance(deal, killed) || moved
        }
        return moved
    }

    /// Takes `deal` one state further (or downloads what it delivered); returns whether a command succeeded.
    func advance(_ deal: Deal, _ killed: Bool) -> Bool {
        var commands: [(TrocUser, [String])] = []
        switch deal.state {
        case .awaitingFiles:
            if !deal.proposer.fileAttached { commands.append((world.joinery, ["deal", "upload", deal.id, DealEndToEndTests.joineryFile])) }
            if !deal.partner.fileAttached { commands.append((world.heating, ["deal", "upload", deal.id, DealEndToEndTests.heatingFile])) }
        case .matched:
            if deal.proposer.acceptedAt == nil { commands.append((world.joinery, ["deal", "accept", deal.id])) }
            if deal.partner.acceptedAt == nil { commands.append((world.heating, ["deal", "accept", deal.id])) }
        case .accepted: commands.append((world.operatorUser, ["deal", "approve", deal.id, "--reason", "crash campaign"]))
        case .approved: commands.append((world.operatorUser, ["deal", "release", deal.id]))
        case .released, .invoiced:
            for (user, side) in [(world.joinery, "a"), (world.heating, "b")] {
                let target = deliveries.appendingPathComponent("\(deal.id)-\(side).csv")
                guard !FileManager.default.fileExists(atPath: target.path) else { continue }
                let partial = target.appendingPathExtension("part")
                guard let result = try? attempt(user, ["deal", "download", deal.id, "-o", partial.path], killed), result.status == 0 else {
                    continue
                }
                #expect((try? FileManager.default.moveItem(at: partial, to: target)) != nil)
                return true
            }
        case .proposed, .closed, .rejected, .cancelled, .expired: break
        }
        var moved = false
        for (user, arguments) in commands {
            if let result = try? attempt(user, arguments, killed), result.status == 0 { moved = true }
        }
        return moved
    }

    /// Runs `troc` as `user` unless the daemon is dead; without kills every command must succeed.
    func attempt(_ user: TrocUser, _ arguments: [String], _ killed: Bool) throws -> CommandResult? {
        guard !stopped.load(ordering: .sequentiallyConsistent) else { return nil }
        let result = try run(Binaries.troc, arguments, in: user.home, environment: ["TROC_CONFIG_DIR": user.home.path])
        if !killed {
            #expect(result.status == 0, "troc \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.error)\(result.output)")
        }
        return result
    }

    /// The data directory after a restart: SQLite intact, the audit chain intact, blobs and their rows one to one, invoice
    /// numbers without gaps, every deal in a state from which it can finish, every invoiced deal with its four invoices.
    func checkStorage(after moment: String) throws {
        #expect(try query("PRAGMA integrity_check; PRAGMA foreign_key_check;") == ["ok"], "after \(moment)")
        let audit = try run(Binaries.trocd, ["admin", "audit", "verify"], in: world.directory)
        #expect(audit.status == 0, "audit verify after \(moment): \(audit.error)\(audit.output)")
        let rows = Set(try query("SELECT id FROM blob;"))
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: world.directory.appendingPathComponent("troc-data/blobs").path))
        #expect(files.subtracting(rows).isEmpty, "blob files without their row after \(moment): \(files.subtracting(rows).sorted())")
        #expect(rows.subtracting(files).isEmpty, "blob rows without their file after \(moment): \(rows.subtracting(files).sorted())")
        let gaps = try query(
            "SELECT seriesPrefix || year FROM invoice GROUP BY seriesPrefix, year HAVING min(sequence) != 1 OR max(sequence) != count(*);")
        #expect(gaps.isEmpty, "invoice series with gaps after \(moment): \(gaps)")
        let illegal = try query(
            "SELECT id || ' ' || state FROM deal WHERE state NOT IN ('awaiting-files', 'matched', 'accepted', 'approved', 'released', 'invoiced');")
        #expect(illegal.isEmpty, "deals that cannot finish after \(moment): \(illegal)")
        let unbilled = try query(
            "SELECT id FROM deal WHERE state = 'invoiced' AND (SELECT count(*) FROM invoice WHERE invoice.dealID = deal.id) != 4;")
        #expect(unbilled.isEmpty, "invoiced deals without their four invoices after \(moment): \(unbilled)")
    }

    /// Every deal invoiced, and each firm's download byte for byte what `troc match --release-dir` writes for it.
    func checkDeliveries() throws {
        let deals = try world.operatorUser.succeed("deal", "list", "--json").json([Deal].self)
        #expect(deals.count == Self.dealLimit)
        for deal in deals {
            #expect(deal.state == .invoiced, "\(deal.id) is \(deal.state.rawValue)")
            let report = try world.operatorUser.succeed("deal", "report", deal.id, "--json").json(DealReportView.self)
            let full = try #require(report.full)
            let offline = deliveries.appendingPathComponent("offline-\(deal.id)")
            try FileManager.default.createDirectory(at: offline, withIntermediateDirectories: true)
            try world.operatorUser.succeed(
                "match", DealEndToEndTests.joineryFile, DealEndToEndTests.heatingFile, "--naf-a", "43.32A", "--naf-b", "43.22B", "--policy",
                "equal-count", "--as-of", full.asOf.iso8601, "--release-dir", offline.path, "--supplier-a-name", "Menuiseries Durand SARL",
                "--supplier-a-siren", "732829320", "--supplier-b-name", "Géothermie Martin SAS", "--supplier-b-siren", "552100554", "--deal-id",
                deal.id)
            for side in ["a", "b"] {
                let downloaded = try Data(contentsOf: deliveries.appendingPathComponent("\(deal.id)-\(side).csv"))
                #expect(downloaded == (try Data(contentsOf: offline.appendingPathComponent("to-\(side).csv"))), "\(deal.id) to-\(side)")
            }
        }
    }

    /// The rows `sql` returns from the broker's database, one string each.
    func query(_ sql: String) throws -> [String] {
        let result = try run(Self.sqlite, ["-bail", "-cmd", ".timeout 10000", database, sql], in: world.directory)
        #expect(result.status == 0, "sqlite3 \(sql): \(result.error)")
        return result.output.split(separator: "\n").map(String.init)
    }
}
