import Foundation
import Synchronization
import Testing
import TrocCore
import TrocTestSupport

/// A whole swap through the real daemon and the real client: two firms upload the fixture files,
/// read the report, accept; an operator approves and releases; each firm downloads what it received;
/// an accountant pulls the invoices and the FEC. The deliveries must be, byte for byte, what
/// `troc match --release-dir` writes for the same files, sectors, suppression list and policy.
@Suite(.serialized) struct DealEndToEndTests {
    static let fixtures = Binaries.repositoryRoot.appendingPathComponent("Fixtures/contacts")
    /// The window joinery's and the heating installer's prospect files (43.32A and 43.22B).
    static let joineryFile = fixture("menuiserie-atlantique.csv")
    static let heatingFile = fixture("peinture-erdre.csv")

    /// The path of a contact fixture.
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }
    static let pricePer1000 = "35.00"

    @Test func aSwapFromProposalToInvoicesMatchesTrocMatch() throws {
        let world = try BrokerEndToEndTests.World.make("deal")
        defer { world.cleanUp() }
        let (joineryFile, heatingFile) = (Self.joineryFile, Self.heatingFile)
        let opposition = Self.fixture("opposition-2026.txt")

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

        // Partners see noised aggregates only, the same on every call, and nothing about the suppression list.
        let reportJSON = try world.heating.succeed("deal", "report", dealID, "--json")
        let report = try reportJSON.json(DealReportView.self)
        #expect(report.full == nil && report.report.epsilon == 0.5 && !reportJSON.output.contains("suppressed"))
        #expect(try world.joinery.succeed("deal", "report", dealID, "--json").json(DealReportView.self) == report)
        let operatorReport = try world.operatorUser.succeed("deal", "report", dealID, "--json").json(DealReportView.self)
        let full = try #require(operatorReport.full)

        // A second upload after the match is refused.
        let again = try world.joinery.troc("deal", "upload", dealID, joineryFile)
        #expect(again.status == 5, "\(again.status) \(again.error)")

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
        // Each delivered row names its supplier and the deal (RGPD art. 14): the firms as `World` registered them.
        let match = try world.operatorUser.succeed(
            "match", joineryFile, heatingFile, "--naf-a", "43.32A", "--naf-b", "43.22B", "--suppression", opposition, "--policy", "equal-count",
            "--as-of", full.asOf.iso8601, "--release-dir", offline.path, "--supplier-a-name", "Menuiseries Durand SARL", "--supplier-a-siren",
            "732829320", "--supplier-b-name", "Géothermie Martin SAS", "--supplier-b-siren", "552100554", "--deal-id", dealID, "--json"
        ).json(MatchReport.self)
        #expect(try Data(contentsOf: toJoinery) == Data(contentsOf: offline.appendingPathComponent("to-a.csv")))
        #expect(try Data(contentsOf: toHeating) == Data(contentsOf: offline.appendingPathComponent("to-b.csv")))
        #expect(match.delivery.toA == rowsToJoinery && match.delivery.toB == rowsToHeating)
        #expect(rowsToJoinery > 0 && rowsToHeating > 0)
        let received = try String(contentsOf: toJoinery, encoding: .utf8)
        #expect(received.contains(";Géothermie Martin SAS;552100554;\(dealID)\r\n"), "every row names its supplier and the deal")
        #expect(full == match, "the broker's report differs from troc match's")

        // An erasure reaches the released deal: a person the joinery downloaded is removed from what the broker holds,
        // and only the joinery's key opens the notice that says whom to erase.
        let email = try #require(Self.firstEmail(in: try String(contentsOf: toJoinery, encoding: .utf8)))
        let erasure = try world.operatorUser.succeed("erase", "--email", email, "--json").json(ErasureResult.self)
        #expect(erasure.found && erasure.noticesRecorded == 1 && erasure.filesRewritten == 1, "\(erasure)")
        let notices = try world.joinery.succeed("notices", "list", "--json").json([ListedNotice].self)
        let notice = try #require(notices.first)
        #expect(notices.count == 1 && notice.notice.dealId == dealID)
        #expect(notice.content?.emails == [email.lowercased()], "\(notices)")
        #expect(try world.heating.succeed("notices", "list", "--json").json([ListedNotice].self).isEmpty)
        let foreign = try world.heating.troc("notices", "ack", notice.notice.id)
        #expect(foreign.status == 4 && foreign.error.contains("not-found"), "\(foreign.error)")
        let acknowledged = try world.joinery.succeed("notices", "ack", notice.notice.id, "--json").json(ErasureNotice.self)
        #expect(acknowledged.acknowledgedAt != nil && acknowledged.sealed == nil)

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

        // The settlement nets the two exchange invoices; the debtor pays the creditor's own account, each firm the broker its commission.
        let settlement = try world.joinery.succeed("invoices", "settlement", dealID, "--json").json(SettlementStatement.self)
        #expect(settlement.aOwesB.cents == joineryBuys.grossCents && settlement.bOwesA.cents == heatingBuys.grossCents)
        #expect(!settlement.collectionByBroker && settlement.transfers.filter { $0.purpose == .commission }.count == 2)
        if let balance = settlement.transfers.first(where: { $0.purpose == .exchangeBalance }) {
            let creditorIBAN = balance.payee == "Menuiseries Durand SARL" ? "FR7630004000031234567890143" : "FR1420041010050500013M02606"
            #expect(balance.account.iban.text == creditorIBAN)
        }

        // A second swap: a sole trader under the VAT franchise sells to, and buys from, a firm in La Réunion.
        let second = try Self.franchiseAndOverseasSwap(world, joineryFile: joineryFile, heatingFile: heatingFile)
        let allInvoices = invoices + second

        // The accountant pulls the e-invoices and the FEC, read-only.
        let accountant = try Self.accountant(world)
        #expect(try accountant.troc("deal", "approve", dealID).status == 3)
        var xmlFiles: [String] = []
        for invoice in allInvoices {
            for format in ["ubl", "cii"] {
                let file = accountant.home.appendingPathComponent("\(invoice.number)-\(format).xml").path
                try accountant.succeed("invoices", "get", invoice.number, "--format", format, "-o", file)
                xmlFiles.append(file)
            }
        }
        let (status, verdicts) = try EInvoiceChecker.check(xmlFiles)
        #expect(status == 0, "einvoice_check.py:\n\(verdicts)")
        #expect(xmlFiles.count == 16 && EInvoiceChecker.passes(verdicts).count == xmlFiles.count, "\(verdicts)")
        // Each invoice as Factur-X: the PDF carries exactly the CII fetched above, at the EN 16931 level, every font embedded.
        var pdfFiles: [String] = []
        for invoice in allInvoices {
            let file = accountant.home.appendingPathComponent("\(invoice.number).pdf").path
            try accountant.succeed("invoices", "get", invoice.number, "--format", "pdf", "-o", file)
            pdfFiles.append(file)
        }
        let extraction = try ExternalTool.run(
            "python3",
            [
                "-c",
                """
                import sys, facturx
                from lxml import etree
                for path in sys.argv[1:]:
                    name, xml = facturx.get_facturx_xml_from_pdf(open(path, 'rb').read())
                    tree = etree.fromstring(xml)
                    sys.stderr.write(name + ' ' + facturx.get_flavor(tree) + ' ' + facturx.get_level(tree) + '\\n')
                    sys.stdout.write(xml.decode())
                """,
            ] + pdfFiles)
        #expect(extraction.status == 0, "\(extraction.error)")
        #expect(extraction.error.split(separator: "\n") == Array(repeating: "factur-x.xml factur-x en16931", count: pdfFiles.count))
        let ciiFiles = xmlFiles.filter { $0.hasSuffix("-cii.xml") }
        #expect(extraction.text == (try ciiFiles.map { try String(contentsOfFile: $0, encoding: .utf8) }.joined()))
        for pdf in pdfFiles {
            let fonts = try ExternalTool.run("pdffonts", [pdf])
            let rows = fonts.text.split(separator: "\n").dropFirst(2)
            #expect(fonts.status == 0 && rows.count == 2, "\(fonts.text)")
            // Columns from the right: object, generation... the "emb" column is the 5th from the end (emb sub uni object ID).
            #expect(rows.allSatisfy { $0.split(separator: " ").reversed().dropFirst(4).first == "yes" }, "\(pdf): \(fonts.text)")
        }

        let year = String(invoices[0].issueDate.iso8601.prefix(4))
        try accountant.succeed("ledger", "fec", "--year", year)
        let fec = try String(contentsOf: accountant.home.appendingPathComponent("303265045FEC\(year)1231.txt"), encoding: .utf8)
        let lines = fec.split(whereSeparator: \.isNewline).map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(lines.first?.count == 18 && lines.first?.first == "JournalCode")
        // Each firm paid the other directly: the broker's books hold only its commissions (706) and their VAT (44571), balanced.
        #expect(lines.count > 1 && lines.dropFirst().allSatisfy { $0.count == 18 && $0[0] == "VT" })
        let debit = lines.dropFirst().reduce(Int64(0)) { $0 + Self.cents($1[11]) }
        let credit = lines.dropFirst().reduce(Int64(0)) { $0 + Self.cents($1[12]) }
        let allCommissions = allInvoices.filter { $0.purpose == "commission" }
        #expect(debit == credit && debit == allCommissions.reduce(0) { $0 + $1.grossCents })
    }

    /// Registers a firm under the VAT franchise (Nantes) and a VAT-registered firm in La Réunion, and runs a swap between
    /// them: the franchise seller's invoice bears no VAT and the 293 B mention, the Réunion firm charges the metropolitan
    /// buyer 20 %, the broker charges its commission at 20 % and 8.5 %. Returns the deal's four invoices.
    static func franchiseAndOverseasSwap(_ world: BrokerEndToEndTests.World, joineryFile: String, heatingFile: String) throws -> [InvoiceSummary] {
        let franchiseID = try world.operatorUser.succeed(
            "orgs", "create", "--json", "--name", "Atelier Leroy EI", "--siren", "404833048", "--naf", "43.32A", "--street", "3 quai Ceineray",
            "--postcode", "44000", "--city", "Nantes", "--vat-status", "franchise", "--iban", "FR76 3000 4000 0312 3456 7890 143", "--bic", "BNPAFRPP"
        ).json(Organisation.self).id
        // Bad input, through the binaries: a franchise with a VAT number, an overseas postcode with the metropolitan rate.
        let withNumber = try world.operatorUser.troc(
            "orgs", "create", "--name", "Atelier Bis EI", "--siren", "812345676", "--naf", "43.32A", "--street", "1 rue", "--postcode", "44000",
            "--city", "Nantes", "--vat-status", "franchise", "--vat-number", "FR19812345676", "--iban", "FR7630006000011234567890189", "--bic",
            "AGRIFRPP")
        #expect(
            withNumber.status == 2 && withNumber.error.contains("organisation.invalid") && withNumber.error.contains("293 B"), "\(withNumber.error)")
        let metropolitanRate = try world.operatorUser.troc(
            "orgs", "create", "--name", "Soleil Bis SAS", "--siren", "812345676", "--naf", "43.22B", "--street", "1 rue", "--postcode", "97400",
            "--city", "Saint-Denis", "--vat-status", "registered", "--vat-number", "FR19812345676", "--iban", "FR7630006000011234567890189", "--bic",
            "AGRIFRPP")
        #expect(
            metropolitanRate.status == 2 && metropolitanRate.error.contains("8,5 %")
                && metropolitanRate.error.contains("declare the status overseas"),
            "\(metropolitanRate.error)")
        let reunion = try world.operatorUser.succeed(
            "orgs", "create", "--json", "--name", "Solaire Bourbon SAS", "--siren", "412345670", "--naf", "43.22B", "--street", "14 rue de Paris",
            "--postcode", "97400", "--city", "Saint-Denis", "--vat-status", "overseas", "--vat-number", "FR96412345670", "--iban",
            "FR14 2004 1010 0505 0001 3M02 606", "--bic", "PSSTFRPPXXX"
        ).json(Organisation.self)
        #expect(reunion.vatStatus?.territory == "RE" && reunion.vatStatus?.standardRatePercent == "8.5")
        let franchise = try partner(world, name: "lea", organisationID: franchiseID)
        let overseas = try partner(world, name: "bruno", organisationID: reunion.id)
        let mandate = try franchise.succeed("mandate", "show", "--json").json(BillingMandateState.self)
        #expect(mandate.inForce?.wording.contains("Atelier Leroy EI, SIREN 404833048") == true)
        for user in [franchise, overseas] { try user.succeed("keygen") }
        let deal = try franchise.succeed("deal", "propose", "--with", reunion.id, "--price-per-1000", "30", "--policy", "equal-count", "--json")
            .json(Deal.self)
        try franchise.succeed("deal", "upload", deal.id, joineryFile)
        try overseas.succeed("deal", "upload", deal.id, heatingFile)
        try franchise.succeed("deal", "accept", deal.id)
        try overseas.succeed("deal", "accept", deal.id)
        let terms = try overseas.succeed("deal", "terms", deal.id, "--json").json(DealTerms.self)
        #expect(terms.partnerA.vatStatus.regime == .franchise && terms.partnerB.vatStatus.territory == .overseas(.reunion))
        try world.operatorUser.succeed("deal", "approve", deal.id)
        try world.operatorUser.succeed("deal", "release", deal.id)
        let invoices = try world.operatorUser.succeed("invoices", "list", "--json").json([InvoiceSummary].self).filter { $0.dealId == deal.id }
        #expect(invoices.count == 4)
        let franchiseSale = try #require(invoices.first { $0.purpose == "exchange" && $0.seller == "Atelier Leroy EI" })
        #expect(franchiseSale.vatCents == 0 && franchiseSale.grossCents == franchiseSale.netCents, "no VAT under the franchise")
        let html = try world.operatorUser.succeed("invoices", "get", franchiseSale.number, "--format", "html", "-o", "-").output
        let reference = try #require(mandate.inForce?.reference)
        #expect(html.contains("TVA non applicable, art. 293 B du CGI") && html.contains(reference))
        #expect(!html.contains("FR83404833048"), "no VAT number made up from the SIREN")
        let overseasSale = try #require(invoices.first { $0.purpose == "exchange" && $0.seller == "Solaire Bourbon SAS" })
        #expect(overseasSale.vatCents == Self.halfUp(overseasSale.netCents * 20, 100), "a service to a metropolitan buyer bears 20 %")
        let toReunion = try #require(invoices.first { $0.purpose == "commission" && $0.buyer == "Solaire Bourbon SAS" })
        #expect(toReunion.vatCents == Self.halfUp(toReunion.netCents * 85, 1000), "the commission to La Réunion bears 8.5 %")
        let toFranchise = try #require(invoices.first { $0.purpose == "commission" && $0.buyer == "Atelier Leroy EI" })
        #expect(toFranchise.vatCents == Self.halfUp(toFranchise.netCents * 20, 100), "the franchise firm pays VAT on what it buys")
        // The seller's own account is on its invoice: the Réunion firm's, not the broker's.
        let ubl = try world.operatorUser.succeed("invoices", "get", overseasSale.number, "--format", "ubl", "-o", "-").output
        #expect(ubl.contains("FR1420041010050500013M02606") && !ubl.contains("FR7630006000011234567890189"))
        return invoices
    }

    /// The refusals of the deal workflow, through the binaries: each with its exit code and its stable problem code.
    @Test func refusalsAndRacesThroughTheRealDaemon() throws {
        let world = try BrokerEndToEndTests.World.make("deal-refusals")
        defer { world.cleanUp() }
        let (joineryFile, heatingFile) = (Self.joineryFile, Self.heatingFile)
        let catererFile = Self.fixture("traiteur-saveurs-du-rhone.csv")
        let competitorID = try world.operatorUser.succeed(
            "orgs", "create", "--json", "--name", "Fenêtres de l'Erdre SARL", "--siren", "412345670", "--naf", "43.32A", "--street",
            "3 quai Ceineray", "--postcode", "44000", "--city", "Nantes", "--vat-status", "registered", "--vat-number", "FR96412345670", "--iban",
            "FR76 3000 4000 0312 3456 7890 143", "--bic", "BNPAFRPP"
        ).json(Organisation.self).id
        let catererID = try world.operatorUser.succeed(
            "orgs", "create", "--json", "--name", "Saveurs du Rhône SAS", "--siren", "817654320", "--naf", "56.21Z", "--street",
            "8 quai Saint-Antoine", "--postcode", "69002", "--city", "Lyon", "--vat-status", "registered", "--vat-number", "FR06817654320", "--iban",
            "FR14 2004 1010 0505 0001 3M02 606", "--bic", "PSSTFRPPXXX"
        ).json(Organisation.self).id
        let caterer = try Self.partner(world, name: "camille", organisationID: catererID)
        for user in [world.joinery, world.heating, caterer] { try user.succeed("keygen") }

        // Competitors (same NAF class) are refused at once, saying why.
        let competing = try world.joinery.troc("deal", "propose", "--with", competitorID, "--price-per-1000", "25")
        #expect(competing.status == 2 && competing.error.contains("sector.competitor"), "\(competing.error)")
        // A price outside the broker's 20–35 € bounds.
        let cheap = try world.joinery.troc("deal", "propose", "--with", world.heatingID, "--price-per-1000", "19.99")
        #expect(cheap.status == 2 && cheap.error.contains("deal.price-out-of-bounds"), "\(cheap.error)")
        // A sector the operator declares confidential is refused from then on.
        try world.operatorUser.succeed(
            "sectors", "set-confidential", "43.22B", "--rationale", "test: heating installers' files are sensitive", "--reason", "end-to-end test")
        let confidential = try world.joinery.troc("deal", "propose", "--with", world.heatingID, "--price-per-1000", "25")
        #expect(confidential.status == 2 && confidential.error.contains("sector.confidential"), "\(confidential.error)")
        try world.operatorUser.succeed("sectors", "remove-confidential", "43.22B", "--reason", "end of the test")

        // Unrelated sectors wait for an operator's written override; files are refused until then.
        let unrelated = try world.joinery.succeed("deal", "propose", "--with", catererID, "--price-per-1000", "30", "--json").json(Deal.self)
        #expect(unrelated.state == .proposed && unrelated.verdict.kind == .unrelated)
        #expect(try world.joinery.troc("deal", "upload", unrelated.id, joineryFile).status == 5)
        #expect(try world.joinery.troc("deal", "override", unrelated.id, "--reason", "mine").status == 3)
        #expect(try world.operatorUser.troc("deal", "override", unrelated.id).status == 1)
        let overridden = try world.operatorUser.succeed(
            "deal", "override", unrelated.id, "--reason", "caterer sells office lunches to building firms", "--json"
        ).json(Deal.self)
        #expect(overridden.state == .awaitingFiles && overridden.overrideReason == "caterer sells office lunches to building firms")

        // Released: a third firm cannot reach the delivery, and the download limit holds.
        try world.joinery.succeed("deal", "upload", unrelated.id, joineryFile)
        try caterer.succeed("deal", "upload", unrelated.id, catererFile)
        try world.joinery.succeed("deal", "accept", unrelated.id)
        try caterer.succeed("deal", "accept", unrelated.id)
        // A firm that withdrew its billing mandate holds the deal up until it accepts one again (conflict, exit 5).
        try caterer.succeed("mandate", "withdraw", "--reason", "reading the wording again")
        let unmandated = try world.operatorUser.troc("deal", "approve", unrelated.id)
        #expect(unmandated.status == 5 && unmandated.error.contains("billing-mandate.missing"), "\(unmandated.error)")
        try caterer.succeed("mandate", "accept")
        try world.operatorUser.succeed("deal", "approve", unrelated.id)
        try caterer.succeed("mandate", "withdraw")
        let unreleased = try world.operatorUser.troc("deal", "release", unrelated.id)
        #expect(unreleased.status == 5 && unreleased.error.contains("Saveurs du Rhône SAS has no billing mandate"), "\(unreleased.error)")
        try caterer.succeed("mandate", "accept")
        // An operator cannot give a franchise firm a VAT number (bad input, exit 2); the status change is checked.
        let franchiseWithNumber = try world.operatorUser.troc(
            "orgs", "set-vat-status", catererID, "--status", "franchise", "--vat-number", "FR06817654320", "--reason", "test")
        #expect(
            franchiseWithNumber.status == 2 && franchiseWithNumber.error.contains("organisation.vat-status-invalid"), "\(franchiseWithNumber.error)")
        try world.operatorUser.succeed("deal", "release", unrelated.id)
        let received = world.directory.appendingPathComponent("received.csv").path
        let stranger = try world.heating.troc("deal", "download", unrelated.id, "-o", received)
        #expect(stranger.status == 4 && !FileManager.default.fileExists(atPath: received))
        for _ in 1...3 { try caterer.succeed("deal", "download", unrelated.id, "-o", received) }
        let spent = try caterer.troc("deal", "download", unrelated.id, "-o", received + ".4")
        #expect(spent.status == 4 && spent.error.contains("delivery.exhausted"), "\(spent.error)")

        // Approve racing reject: exactly one wins, the other gets a conflict, and the deal shows the winner.
        let raced = try world.joinery.succeed("deal", "propose", "--with", world.heatingID, "--price-per-1000", "25", "--json").json(Deal.self)
        try world.joinery.succeed("deal", "upload", raced.id, joineryFile)
        try world.heating.succeed("deal", "upload", raced.id, heatingFile)
        try world.joinery.succeed("deal", "accept", raced.id)
        try world.heating.succeed("deal", "accept", raced.id)
        let results = try Self.concurrently(
            [
                ["deal", "approve", raced.id], ["deal", "reject", raced.id, "--reason", "duplicate of another deal"],
            ], as: world.operatorUser)
        #expect(results.map(\.status).sorted() == [0, 5], "\(results.map { ($0.status, $0.error) })")
        let final = try world.operatorUser.succeed("deal", "show", raced.id, "--json").json(Deal.self)
        #expect(final.state == (results[0].status == 0 ? .approved : .rejected))

        // Erasing someone the broker holds nowhere still suppresses them, and says nothing was found.
        let nobody = try world.operatorUser.succeed("erase", "--email", "personne@inconnu.example")
        #expect(nobody.output.contains("held nothing of this person; they are suppressed all the same"), "\(nobody.output)")
    }

    /// `troc notices list --json`: each notice with its content, opened with the firm's key.
    struct ListedNotice: Decodable {
        let notice: ErasureNotice
        let content: NoticeContent?
    }

    /// The email of the first data row of a canonical delivery that has one.
    static func firstEmail(in delivery: String) -> String? {
        let lines = delivery.split(separator: "\r\n").map { $0.split(separator: ";", omittingEmptySubsequences: false) }
        guard let header = lines.first, let column = header.firstIndex(of: "email") else { return nil }
        return lines.dropFirst().first { $0.count == header.count && !$0[column].isEmpty && !$0.joined().contains("\"") }.map { String($0[column]) }
    }

    /// Runs several `troc` commands as `user` at the same time and returns their results in order.
    static func concurrently(_ commands: [[String]], as user: TrocUser) throws -> [CommandResult] {
        let results = Mutex<[Int: CommandResult]>([:])
        let errors = Mutex<[any Error]>([])
        let group = DispatchGroup()
        for (index, arguments) in commands.enumerated() {
            DispatchQueue.global().async(group: group) {
                do {
                    let result = try run(Binaries.troc, arguments, in: user.home, environment: ["TROC_CONFIG_DIR": user.home.path])
                    results.withLock { $0[index] = result }
                } catch {
                    errors.withLock { $0.append(error) }
                }
            }
        }
        group.wait()
        if let error = errors.withLock({ $0.first }) { throw error }
        return results.withLock { stored in commands.indices.compactMap { stored[$0] } }
    }

    /// A partner user of `organisationID`, logged in, its firm's billing mandate accepted.
    static func partner(_ world: BrokerEndToEndTests.World, name: String, organisationID: String) throws -> TrocUser {
        let created = try world.operatorUser.succeed("users", "create", "--json", "--name", name, "--role", "partner", "--org", organisationID)
            .json(CreatedUser.self)
        let user = try TrocUser(name, in: world.directory)
        try user.succeed(
            "login", "--server", world.daemon.url, "--token", created.token.token, "--ca",
            world.directory.appendingPathComponent("troc-dev-cert.pem").path)
        try user.succeed("mandate", "accept")
        return user
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
