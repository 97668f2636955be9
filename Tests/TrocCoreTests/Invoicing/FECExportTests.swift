import Foundation
import Testing
import TrocCore

/// The FEC of the broker's sales against the reference example.
@Suite struct FECExportTests {
    typealias Fixtures = InvoicingFixtures

    static let year2026 = CivilDate(year: 2026, month: 1, day: 1)!...CivilDate(year: 2026, month: 12, day: 31)!

    /// A year of documents: two deals' invoices (exchange and commission, FR and DE), a credit note, and a
    /// commission of the previous year, in shuffled order.
    static func documents() throws -> [InvoiceDocument] {
        let march = CivilDate(year: 2026, month: 3, day: 5)!
        let domestic = try Fixtures.invoices(Fixtures.deal(toA: 1234, toB: 987))
        var crossBorderDeal = Fixtures.deal(Fixtures.windows, Fixtures.german, toA: 0, toB: 4321)
        crossBorderDeal.figures.releaseDate = march
        let crossBorder = try Fixtures.invoices(crossBorderDeal, issueDate: march)
        let first = try Fixtures.issue(try #require(domestic.commissionToA))
        let second = try Fixtures.issue(try #require(domestic.commissionToB), after: first.reference)
        let credit = try Fixtures.issue(
            CreditNotes.draft(
                crediting: second, reason: "Erreur de volume", issueDate: CivilDate(year: 2026, month: 2, day: 10)!, existingCreditNote: nil),
            after: second.reference)
        let third = try Fixtures.issue(try #require(crossBorder.commissionToB), after: credit.reference)
        var lastYearDeal = Fixtures.deal(toA: 100, toB: 0)
        lastYearDeal.figures.releaseDate = CivilDate(year: 2025, month: 12, day: 30)!
        let lastYear = try Fixtures.invoices(lastYearDeal, issueDate: CivilDate(year: 2025, month: 12, day: 31)!)
        return [
            third, try Fixtures.issue(try #require(domestic.exchangeToA)), credit, try Fixtures.issue(try #require(lastYear.commissionToA)), second,
            try Fixtures.issue(try #require(crossBorder.exchangeToB)), first,
        ]
    }

    static func rows(_ fec: String) -> [[String]] {
        fec.components(separatedBy: "\r\n").dropLast().map { $0.components(separatedBy: "\t") }
    }

    static func cents(_ amount: String) -> Int64 {
        let parts = amount.split(separator: ",")
        return Int64(parts[0])! * 100 + Int64(parts[1])!
    }

    @Test func headerMatchesTheReferenceExample() throws {
        let example = try String(contentsOfFile: try Fixtures.sharedFile("data/fec-example-303265045FEC20251231.txt"), encoding: .utf8)
        let exampleHeader = try #require(example.components(separatedBy: "\r\n").first)
        #expect(FECExport.columns.joined(separator: "\t") == exampleHeader)
        #expect(FECExport.columns.count == 18)
        #expect(FECExport.render([], period: Self.year2026).hasPrefix(exampleHeader + "\r\n"))
    }

    @Test func linesHaveTheShapeOfTheReferenceExample() throws {
        let example = try String(contentsOfFile: try Fixtures.sharedFile("data/fec-example-303265045FEC20251231.txt"), encoding: .utf8)
        let fec = FECExport.render(try Self.documents(), period: Self.year2026)
        #expect(fec.hasSuffix("\r\n") && example.hasSuffix("\r\n"))
        #expect(!fec.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(fec.unicodeScalars.allSatisfy { $0.isASCII })
        let isDate = { (field: String) in field.count == 8 && field.allSatisfy(\.isNumber) }
        let isAmount = { (field: String) in field.range(of: #"^[0-9]+,[0-9]{2}$"#, options: .regularExpression) != nil }
        for row in Self.rows(example).dropFirst() + Self.rows(fec).dropFirst() {
            #expect(row.count == 18)
            #expect(isDate(row[3]) && isDate(row[9]) && isDate(row[15]))
            #expect(isAmount(row[11]) && isAmount(row[12]))
            #expect(row[16].isEmpty && row[17].isEmpty)
        }
    }

    @Test func booksTheBrokersSalesOnlyInChronologicalOrder() throws {
        let rows = Self.rows(FECExport.render(try Self.documents(), period: Self.year2026)).dropFirst()
        #expect(Set(rows.map { $0[0] }) == ["VT"])
        #expect(Set(rows.map { $0[1] }) == ["Journal des ventes"])
        #expect(
            rows.map { $0[8] } == Array(repeating: "TR2026-000001", count: 3) + Array(repeating: "TR2026-000002", count: 3)
                + Array(repeating: "TR2026-000003", count: 3) + Array(repeating: "TR2026-000004", count: 2))
        #expect(
            rows.map { $0[2] } == [
                "VT000001", "VT000001", "VT000001", "VT000002", "VT000002", "VT000002", "VT000003", "VT000003", "VT000003", "VT000004", "VT000004",
            ])
        #expect(rows.map { $0[3] } == Array(repeating: "20260131", count: 6) + Array(repeating: "20260210", count: 3) + ["20260305", "20260305"])
        #expect(!rows.contains { $0[8].hasPrefix("TRM") })
    }

    @Test func everyEntryBalances() throws {
        let rows = Self.rows(FECExport.render(try Self.documents(), period: Self.year2026)).dropFirst()
        let entries = Dictionary(grouping: rows, by: { $0[2] })
        #expect(entries.count == 4)
        for (number, lines) in entries {
            #expect(lines.reduce(0) { $0 + Self.cents($1[11]) } == lines.reduce(0) { $0 + Self.cents($1[12]) }, "\(number) is unbalanced")
        }
    }

    @Test func booksAnInvoiceAsTheExampleDoes() throws {
        let rows = Self.rows(FECExport.render(try Self.documents(), period: Self.year2026)).dropFirst()
        #expect(
            Array(rows.prefix(3)) == [
                [
                    "VT", "Journal des ventes", "VT000001", "20260131", "41100000", "Clients", "C732829320", "Menuiserie Durand SARL",
                    "TR2026-000001", "20260131",
                    "Facture TR2026-000001 Menuiserie Durand SARL", "1,85", "0,00", "", "", "20260131", "", "",
                ],
                [
                    "VT", "Journal des ventes", "VT000001", "20260131", "70600000", "Prestations de services", "", "", "TR2026-000001", "20260131",
                    "Facture TR2026-000001 Menuiserie Durand SARL", "0,00", "1,54", "", "", "20260131", "", "",
                ],
                [
                    "VT", "Journal des ventes", "VT000001", "20260131", "44571000", "TVA collectee", "", "", "TR2026-000001", "20260131",
                    "Facture TR2026-000001 Menuiserie Durand SARL", "0,00", "0,31", "", "", "20260131", "", "",
                ],
            ])
    }

    @Test func reversesACreditNote() throws {
        let rows = Self.rows(FECExport.render(try Self.documents(), period: Self.year2026)).dropFirst().filter { $0[2] == "VT000003" }
        #expect(
            rows.map { [$0[4], $0[11], $0[12]] } == [["41100000", "0,00", "1,48"], ["70600000", "1,23", "0,00"], ["44571000", "0,25", "0,00"]])
        #expect(rows.first?[10] == "Avoir TR2026-000003 Geothermie & Fils \"L'Energie\" SAS")
        #expect(rows.first?[7] == "Geothermie & Fils \"L'Energie\" SAS")
    }

    @Test func aReverseChargeInvoiceHasNoVATLine() throws {
        let rows = Self.rows(FECExport.render(try Self.documents(), period: Self.year2026)).dropFirst().filter { $0[2] == "VT000004" }
        #expect(rows.map { [$0[4], $0[6], $0[11], $0[12]] } == [["41100000", "CDE136695976", "5,40", "0,00"], ["70600000", "", "0,00", "5,40"]])
    }

    @Test func anEmptyPeriodGivesTheHeaderOnly() throws {
        let empty = CivilDate(year: 2024, month: 1, day: 1)!...CivilDate(year: 2024, month: 12, day: 31)!
        #expect(FECExport.render(try Self.documents(), period: empty) == FECExport.columns.joined(separator: "\t") + "\r\n")
        #expect(FECExport.render([], period: Self.year2026) == FECExport.columns.joined(separator: "\t") + "\r\n")
        let lastYear = CivilDate(year: 2025, month: 1, day: 1)!...CivilDate(year: 2025, month: 12, day: 31)!
        #expect(Self.rows(FECExport.render(try Self.documents(), period: lastYear)).count == 4)
    }

    @Test func namesTheFileAfterTheSIRENAndTheClosingDate() {
        #expect(FECExport.fileName(siren: "303265045", closingDate: CivilDate(year: 2025, month: 12, day: 31)!) == "303265045FEC20251231.txt")
    }

    /// A deal the broker collects, A owing B the net: its invoices, then the net received from A and paid out to B.
    static func collectedDeal() throws -> (documents: [InvoiceDocument], payments: [SettlementPayment], statement: SettlementStatement) {
        var deal = Fixtures.deal(toA: 1234, toB: 987)
        deal.collectionByBroker = true
        let invoices = try Fixtures.invoices(deal)
        let commissionA = try Fixtures.issue(try #require(invoices.commissionToA))
        let documents = [
            try Fixtures.issue(try #require(invoices.exchangeToA)), try Fixtures.issue(try #require(invoices.exchangeToB)), commissionA,
            try Fixtures.issue(try #require(invoices.commissionToB), after: commissionA.reference),
        ]
        let statement = invoices.settlement
        let received = SettlementPayment(
            dealID: "D-2026-0007", direction: .received, counterparty: "Menuiserie Durand SARL", counterpartyID: "732829320",
            amount: statement.netAmount, date: CivilDate(year: 2026, month: 2, day: 20)!, reference: "VIR 0220-A")
        let paidOut = SettlementPayment(
            dealID: "D-2026-0007", direction: .paidOut, counterparty: "Géothermie & Fils \"L'Énergie\" SAS", counterpartyID: "552100554",
            amount: statement.netAmount, date: CivilDate(year: 2026, month: 2, day: 21)!, reference: "VIR 0221-B")
        try statement.checkPayment(received, recorded: [])
        try statement.checkPayment(paidOut, recorded: [received])
        return (documents, [paidOut, received], statement)
    }

    @Test func aCollectedDealIsBookedInThirdPartyAndBankAccountsBalanced() throws {
        let (documents, payments, statement) = try Self.collectedDeal()
        #expect(statement.direction == .aPaysB && statement.netAmount == Money(cents: 740))
        let rows = Self.rows(FECExport.render(documents, payments: payments, period: Self.year2026)).dropFirst()
        #expect(Set(rows.map { $0[0] }) == ["VT", "MD", "BQ"])
        #expect(rows.allSatisfy { $0.count == 18 })
        // Every entry balances, and so does the whole file.
        for (number, lines) in Dictionary(grouping: rows, by: { $0[2] }) {
            #expect(lines.reduce(0) { $0 + Self.cents($1[11]) } == lines.reduce(0) { $0 + Self.cents($1[12]) }, "\(number) is unbalanced")
        }
        // Each exchange invoice: the buyer owes, the seller is owed, in third-party accounts; never in revenue.
        let mandates = rows.filter { $0[0] == "MD" }
        #expect(mandates.count == 4 && mandates.allSatisfy { $0[4] == "46700000" })
        #expect(
            mandates.map { [$0[2], $0[6], $0[11], $0[12]] } == [
                ["MD000001", "T732829320", "37,02", "0,00"], ["MD000001", "T552100554", "0,00", "37,02"],
                ["MD000002", "T552100554", "29,62", "0,00"], ["MD000002", "T732829320", "0,00", "29,62"],
            ])
        // The bank: money in from A, then out to B; once settled every third-party account is back to zero.
        let bank = rows.filter { $0[0] == "BQ" }
        #expect(
            bank.map { [$0[2], $0[3], $0[4], $0[6], $0[11], $0[12]] } == [
                ["BQ000001", "20260220", "51200000", "", "7,40", "0,00"], ["BQ000001", "20260220", "46700000", "T732829320", "0,00", "7,40"],
                ["BQ000002", "20260221", "46700000", "T552100554", "7,40", "0,00"], ["BQ000002", "20260221", "51200000", "", "0,00", "7,40"],
            ])
        for account in ["T732829320", "T552100554"] {
            let lines = rows.filter { $0[6] == account }
            #expect(lines.reduce(0) { $0 + Self.cents($1[11]) - Self.cents($1[12]) } == 0, "\(account) is not settled")
        }
        #expect(!rows.contains { $0[4] == "70600000" && $0[8].hasPrefix("TRM") }, "exchange invoices are never the broker's revenue")
    }

    @Test func aDirectlySettledDealLeavesOnlyCommissionsInTheBrokersBooks() throws {
        let invoices = try Fixtures.invoices(Fixtures.deal(toA: 1234, toB: 987))
        let documents = try invoices.drafts.map { try Fixtures.issue($0) }
        let rows = Self.rows(FECExport.render(documents, period: Self.year2026)).dropFirst()
        #expect(Set(rows.map { $0[0] }) == ["VT"])
    }

    @Test func theFinancialYearDecidesWhatIsBooked() throws {
        let (documents, payments, _) = try Self.collectedDeal()
        let closingInJune = try FinancialYear(startMonth: 7, startDay: 1)
        let year = closingInJune.period(endingIn: 2026)
        #expect(year == CivilDate(year: 2025, month: 7, day: 1)!...CivilDate(year: 2026, month: 6, day: 30)!)
        #expect(Self.rows(FECExport.render(documents, payments: payments, period: year)).count == 1 + 6 + 4 + 4)
        #expect(Self.rows(FECExport.render(documents, payments: payments, period: closingInJune.period(endingIn: 2027))).count == 1)
    }

    @Test func labelsCannotBreakTheFormat() throws {
        var messy = Fixtures.windows
        messy.name = "Œuvres\tŁódź\r\nSARL – « bis » €"
        let document = try Fixtures.issue(
            try #require(try Fixtures.invoices(Fixtures.deal(messy, Fixtures.heating, toA: 1000, toB: 0)).commissionToA))
        let fec = FECExport.render([document], period: Self.year2026)
        let rows = Self.rows(fec)
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0.count == 18 })
        #expect(rows[1][7] == "OEuvres Lodz  SARL - \" bis \" EUR")
    }
}
