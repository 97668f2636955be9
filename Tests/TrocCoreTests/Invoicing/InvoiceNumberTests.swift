import Foundation
import Testing
import TrocCore

/// Invoice numbers and the continuous sequence of each series.
@Suite struct InvoiceNumberTests {
    static let formatCases: [(text: String, prefix: String, year: Int, sequence: Int)] = [
        ("TR2026-000042", "TR", 2026, 42), ("TR2026-000001", "TR", 2026, 1), ("F2025-999999", "F", 2025, 999_999),
        ("TRM7328293202026-000001", "TRM732829320", 2026, 1), ("TRMNL004495445B012026-000123", "TRMNL004495445B01", 2026, 123),
    ]

    @Test(arguments: formatCases)
    func formatsAndParses(text: String, prefix: String, year: Int, sequence: Int) throws {
        let number = try InvoiceNumber(prefix: prefix, year: year, sequence: sequence)
        #expect(number.text == text)
        #expect(try InvoiceNumber(parsing: text) == number)
        #expect(text.utf8.count <= 35)
    }

    @Test func parsesWhatPeopleType() throws {
        #expect(try InvoiceNumber(parsing: "  tr2026-000042 ").text == "TR2026-000042")
    }

    @Test(arguments: [
        "", "TR2026-42", "TR2026000042", "TR26-000042", "2026-000042", "TR2026-0000042", "TR2026-00004A", "T R2026-000042", "TR2026-000000",
    ])
    func refusesMalformedNumbers(text: String) {
        #expect(throws: InvoiceNumberError.malformed(text)) { try InvoiceNumber(parsing: text) }
    }

    @Test func refusesBadParts() {
        #expect(throws: InvoiceNumberError.invalidPrefix("tr")) { try InvoiceNumber(prefix: "tr", year: 2026, sequence: 1) }
        #expect(throws: InvoiceNumberError.invalidPrefix(String(repeating: "A", count: 24))) {
            try InvoiceNumber(prefix: String(repeating: "A", count: 24), year: 2026, sequence: 1)
        }
        #expect(throws: InvoiceNumberError.yearOutOfRange(999)) { try InvoiceNumber(prefix: "TR", year: 999, sequence: 1) }
        #expect(throws: InvoiceNumberError.sequenceOutOfRange(1_000_000)) { try InvoiceNumber(prefix: "TR", year: 2026, sequence: 1_000_000) }
        #expect(throws: InvoiceNumberError.sequenceOutOfRange(0)) { try InvoiceNumber(prefix: "TR", year: 2026, sequence: 0) }
    }

    @Test func ordersBySeriesYearAndSequence() throws {
        let numbers = try ["TR2026-000010", "TR2025-000099", "TR2026-000002", "TRM7328293202026-000001"].map { try InvoiceNumber(parsing: $0) }
        #expect(numbers.sorted().map(\.text) == ["TR2025-000099", "TR2026-000002", "TR2026-000010", "TRM7328293202026-000001"])
    }

    @Test func allocatesOneContinuousSequencePerSeriesAndYear() throws {
        let series = InvoiceSeries.commission(brokerSIREN: "303265045", prefix: "TR")
        let january = CivilDate(year: 2026, month: 1, day: 31)!
        let first = try series.nextNumber(after: nil, issueDate: january)
        #expect(first.text == "TR2026-000001")
        let second = try series.nextNumber(after: InvoiceReference(number: first, issueDate: january), issueDate: january)
        #expect(second.text == "TR2026-000002")
        let nextYear = try series.nextNumber(
            after: InvoiceReference(number: second, issueDate: january), issueDate: CivilDate(year: 2027, month: 1, day: 2)!)
        #expect(nextYear.text == "TR2027-000001")
    }

    @Test func refusesNumbersThatWouldBreakTheSequence() throws {
        let series = InvoiceSeries.commission(brokerSIREN: "303265045", prefix: "TR")
        let date = CivilDate(year: 2026, month: 3, day: 1)!
        let last = InvoiceReference(number: try InvoiceNumber(parsing: "TR2026-000007"), issueDate: date)
        let earlier = CivilDate(year: 2026, month: 2, day: 28)!
        #expect(throws: InvoiceNumberError.outOfChronology(last: last, issueDate: earlier)) { try series.nextNumber(after: last, issueDate: earlier) }
        let other = InvoiceReference(number: try InvoiceNumber(parsing: "TRM7328293202026-000007"), issueDate: date)
        #expect(throws: InvoiceNumberError.wrongSeries(other.number, expectedPrefix: "TR")) { try series.nextNumber(after: other, issueDate: date) }
        let full = InvoiceReference(number: try InvoiceNumber(parsing: "TR2026-999999"), issueDate: date)
        #expect(throws: InvoiceNumberError.exhausted(prefix: "TR", year: 2026)) { try series.nextNumber(after: full, issueDate: date) }
    }

    @Test func issuingChecksTheNumberAgainstTheDraft() throws {
        let draft = try #require(try InvoicingFixtures.invoices(InvoicingFixtures.deal(toA: 10, toB: 0)).commissionToA)
        let wrongSeries = try InvoiceNumber(parsing: "TRM7328293202026-000001")
        #expect(throws: InvoiceNumberError.wrongSeries(wrongSeries, expectedPrefix: "TR")) { try draft.issued(as: wrongSeries) }
        let wrongYear = try InvoiceNumber(parsing: "TR2025-000001")
        #expect(throws: InvoiceNumberError.yearMismatch(wrongYear, issueDate: InvoicingFixtures.issueDate)) { try draft.issued(as: wrongYear) }
        let issued = try draft.issued(as: try InvoiceNumber(parsing: "TR2026-000005"))
        #expect(issued.number.text == "TR2026-000005")
        #expect(issued.content == draft.content)
        #expect(issued.totals == draft.content.totals)
        #expect(issued.reference == InvoiceReference(number: issued.number, issueDate: InvoicingFixtures.issueDate))
    }

    @Test func documentsRoundTripThroughCodable() throws {
        let document = try InvoicingFixtures.issue(try #require(try InvoicingFixtures.invoices(InvoicingFixtures.deal(toA: 10, toB: 0)).exchangeToA))
        let data = try JSONEncoder().encode(document)
        #expect(try JSONDecoder().decode(InvoiceDocument.self, from: data) == document)
        #expect(String(decoding: data, as: UTF8.self).contains("\"number\":\"TRM5521005542026-000001\""))
    }
}
