import Foundation
import Testing
import TrocCore

/// A whole swap through the real daemon and the real client: two firms upload the fixture files,
/// read the report, accept; an operator approves and releases; each firm downloads what it received;
/// an accountant pulls the invoices and the FEC. The deliveries must be, byte for byte, what
/// `troc match --release-dir` writes for the same files, sectors, suppression list and policy.
@Suite(.serialized) struct DealEndToEndTests {
    static let fixtures = Binaries.repositoryRoot.appendingPathComponent("Fixtures/contacts")
    static let pricePer1000 = "35.00"

    @Test func aSwapFromProposalToInvoicesMatchesTrocMatch() throws {
        let world = try BrokerEndToEndTests.World.make("deal")
        defer { world.cleanUp() }
        let joineryFile = Self.fixtures.appendingPathComponent("menuiserie-atlantique.csv").path
        let heatingFile = Self.fixtures.appendingPathComponent("peinture-erdre.csv").path
        let opposition = Self.fixtures.appendingPathComponent("opposition-2026.txt").path

        // The operator loads an opposition list; its header and its junk line are reported with their lines.
        let suppressed = try world.operatorUser.succeed("suppress", "import", opposition, "--json").json(SuppressionResult.self)
        #expect(suppressed.added == 4)
        #expect(suppressed.rejected.map(\.field) == ["\(opposition):1", "\(opposition):7"])

        try world.joinery.succeed("keygen")
        try world.heating.succeed("keygen")

        // Window joinery and heating share an audience: the verdict is immediate.
        let proposed = try world.joinery.succeed(
            "deal", "propose", "--with", world.heatingID, "--price-per-1000", Self.pricePer1000, "--policy", "equal-count", "--json"
        ).json(Deal.self)
        #expect(proposed.state == .awaitingFiles)
        #expect(proposed.verdict.kind == .complementary, "\(proposed.verdict)")
        let dealID = proposed.id

        // Accepting before the report is a conflict (exit 5).
        #expect(try world.joinery.troc("deal", "accept", dealID).status == 5)

        try world.joinery.succeed("deal", "upload", dealID, joineryFile, "--json")
        let matched = try world.heating.succeed("deal", "upload", dealID, heatingFile, "--json").json(Deal.self)
        #expect(matched.state == .matched && matched.reportReady)

        // Partners see aggregates only: every count of these small files is hidden as "< 50".
        let report = try world.heating.succeed("deal", "report", dealID, "--json").json(DealReportView.self)
        #expect(report.full == nil)
        #expect(report.report.a.rows == .fewerThanThreshold && report.report.overlapEmails == .fewerThanThreshold)
        let operatorReport = try world.operatorUser.succeed("deal", "report", dealID, "--json").json(DealReportView.self)
        let full = try #require(operatorReport.full)

        // A second upload after the match is refused.
        #expect(try world.joinery.troc("deal", "upload", dealID, joineryFile).status == 5)

        try world.joinery.succeed("deal", "accept", dealID)
        try world.heating.succeed("deal", "accept", dealID)
        // A partner cannot approve its own deal.
        #expect(try world.joinery.troc("deal", "approve", dealID).status == 3)
        try world.operatorUser.succeed("deal", "approve", dealID, "--reason", "files checked")
        let released = try world.operatorUser.succeed("deal", "release", dealID, "--json").json(Deal.self)
        #expect(released.state == .invoiced)
        // Releasing twice is a conflict; nothing is delivered or invoiced twice.
        #expect(try world.operatorUser.troc("deal", "release", dealID).status == 5)

        // Each firm decrypts its delivery with its own key.
        let toJoinery = world.directory.appendingPathComponent("to-joinery.csv")
        let toHeating = world.directory.appendingPathComponent("to-heating.csv")
        try world.joinery.succeed("deal", "download", dealID, "-o", toJoinery.path)
        try world.heating.succeed("deal", "download", dealID, "-o", toHeating.path)
        // The other firm's delivery is not yours: 404 is the same as no such deal.
        let joineryDeal = try world.joinery.succeed("deal", "show", dealID, "--json").json(Deal.self)
        let heatingDeal = try world.heating.succeed("deal", "show", dealID, "--json").json(Deal.self)
        let rowsToJoinery = try #require(joineryDeal.delivery?.rows)
        let rowsToHeating = try #require(heatingDeal.delivery?.rows)

        // The same release, computed offline by `troc match` with the same inputs.
        let offline = world.directory.appendingPathComponent("offline")
        try FileManager.default.createDirectory(at: offline, withIntermediateDirectories: true)
        let match = try world.operatorUser.succeed(
            "match", joineryFile, heatingFile, "--naf-a", "43.32A", "--naf-b", "43.22B", "--suppression", opposition, "--policy", "equal-count",
            "--as-of", full.asOf.iso8601, "--release-dir", offline.path, "--json"
        ).json(MatchReport.self)
        #expect(try Data(contentsOf: toJoinery) == Data(contentsOf: offline.appendingPathComponent("to-a.csv")))
        #expect(try Data(contentsOf: toHeating) == Data(contentsOf: offline.appendingPathComponent("to-b.csv")))
        #expect(match.delivery.toA == rowsToJoinery && match.delivery.toB == rowsToHeating)
        #expect(rowsToJoinery > 0 && rowsToHeating > 0)
        #expect(full == match, "the broker's report differs from troc match's")

        // Four invoices: each firm's exchange invoice for what it received, and the broker's commission to each.
        let invoices = try world.operatorUser.succeed("invoices", "list", "--json").json([InvoiceSummary].self).filter { $0.dealId == dealID }
        #expect(invoices.count == 4)
        let price = Int64(3500)
        func exchange(boughtBy buyer: String) throws -> InvoiceSummary {
            try #require(invoices.first { $0.purpose == "exchange" && $0.buyer == buyer })
        }
        let joineryBuys = try exchange(boughtBy: "Menuiseries Durand SARL")
        let heatingBuys = try exchange(boughtBy: "Géothermie Martin SAS")
        #expect(joineryBuys.seller == "Géothermie Martin SAS" && heatingBuys.seller == "Menuiseries Durand SARL")
        #expect(joineryBuys.netCents == Self.halfUp(Int64(rowsToJoinery) * price, 1000))
        #expect(heatingBuys.netCents == Self.halfUp(Int64(rowsToHeating) * price, 1000))
        for invoice in invoices {
            #expect(invoice.vatCents == Self.halfUp(invoice.netCents * 20, 100), "\(invoice.number)")
            #expect(invoice.grossCents == invoice.netCents + invoice.vatCents, "\(invoice.number)")
        }
        let commissions = invoices.filter { $0.purpose == "commission" }
        #expect(Set(commissions.map(\.buyer)) == ["Menuiseries Durand SARL", "Géothermie Martin SAS"])
        #expect(Set(commissions.map(\.seller)) == ["Troc Dev Broker"])

        // The settlement nets the two exchange invoices.
        let settlement = try world.joinery.succeed("invoices", "settlement", dealID, "--json").json(SettlementStatement.self)
        #expect(settlement.aOwesB.cents == joineryBuys.grossCents && settlement.bOwesA.cents == heatingBuys.grossCents)

        // The accountant pulls the e-invoices and the FEC, read-only.
        let accountant = try Self.accountant(world)
        #expect(try accountant.troc("deal", "approve", dealID).status == 3)
        var xmlFiles: [String] = []
        for invoice in invoices {
            for format in ["ubl", "cii"] {
                let file = accountant.home.appendingPathComponent("\(invoice.number)-\(format).xml").path
                try accountant.succeed("invoices", "get", invoice.number, "--format", format, "-o", file)
                xmlFiles.append(file)
            }
        }
        let checker = Binaries.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/tools/einvoice_check.py").path
        let verdicts = try run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", checker] + xmlFiles, in: world.directory)
        #expect(verdicts.status == 0, "einvoice_check.py:\n\(verdicts.output)\(verdicts.error)")
        #expect(verdicts.output.split(separator: "\n").filter { $0.hasPrefix("PASS ") }.count == xmlFiles.count, "\(verdicts.output)")

        let year = String(invoices[0].issueDate.iso8601.prefix(4))
        try accountant.succeed("ledger", "fec", "--year", year)
        let fec = try String(contentsOf: accountant.home.appendingPathComponent("303265045FEC\(year)1231.txt"), encoding: .utf8)
        let lines = fec.split(whereSeparator: \.isNewline).map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(lines.first?.count == 18 && lines.first?.first == "JournalCode")
        #expect(lines.count > 1 && lines.dropFirst().allSatisfy { $0.count == 18 && $0[0] == "VT" })
        // The broker's books hold its commission (706) and the VAT on it (44571), balanced.
        let debit = lines.dropFirst().reduce(Int64(0)) { $0 + Self.cents($1[11]) }
        let credit = lines.dropFirst().reduce(Int64(0)) { $0 + Self.cents($1[12]) }
        #expect(debit == credit && debit == commissions.reduce(0) { $0 + $1.grossCents })
    }

    /// An accountant created by the operator and logged in.
    static func accountant(_ world: BrokerEndToEndTests.World) throws -> TrocUser {
        let created = try world.operatorUser.succeed("users", "create", "--json", "--name", "Agnès Comptable", "--role", "accountant")
            .json(CreatedUser.self)
        let user = try TrocUser("agnes", in: world.directory)
        try user.succeed(
            "login", "--server", world.daemon.url, "--token", created.token.token, "--ca",
            world.directory.appendingPathComponent("troc-dev-cert.pem").path)
        return user
    }

    /// `numerator / denominator` rounded half up (both non-negative).
    static func halfUp(_ numerator: Int64, _ denominator: Int64) -> Int64 { (numerator * 2 + denominator) / (denominator * 2) }

    /// `1234,56` → 123456.
    static func cents(_ text: Substring) -> Int64 {
        let parts = text.split(separator: ",")
        let euros = Int64(parts.first ?? "0") ?? 0
        let fraction = parts.count > 1 ? Int64(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0 : 0
        return euros * 100 + fraction
    }
}
