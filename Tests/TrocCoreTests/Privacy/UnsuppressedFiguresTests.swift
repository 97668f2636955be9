import Foundation
import Testing

@testable import TrocCore

/// What a firm sees of its own file, and what the minimum file size is checked against, never depend on the suppression
/// list: a firm cannot learn from them that one of its contacts objected.
@Suite struct UnsuppressedFiguresTests {
    typealias T = TestSupport

    static let rows = (0..<8).map { T.row(email: "p\($0)@entreprise.fr", company: "A") } + [T.row(email: "perso@gmail.com", consent: "non")]
    static let list = SuppressionList(entries: [(.email, T.hasher.matchKey(.email, of: "p3@entreprise.fr"))])

    @Test func theFirmsOwnReportIsTheFileWithoutTheList() throws {
        let file = try T.read(T.file(Self.rows))
        let (report, unsuppressed) = MatchEngine.fileReports(file, rules: T.rules, suppression: Self.list)
        #expect(report == MatchEngine.fileReport(file, rules: T.rules, suppression: Self.list))
        #expect(report.suppressed == 1 && report.exchangeable == 7)
        #expect(unsuppressed == MatchEngine.fileReport(file, rules: T.rules))
        #expect(unsuppressed.exchangeable == 8 && unsuppressed.suppressed == 0)

        let partner = PartnerFileReport(unsuppressed: unsuppressed)
        #expect(partner.exchangeable == 8 && partner.contacts == 9 && partner.refusedConsent == 1)
        let json = String(decoding: try JSONEncoder().encode(partner), as: UTF8.self)
        #expect(!json.contains("suppressed"))
    }

    @Test func theMinimumIsCheckedOnWhatTheOwnerCanCountItself() throws {
        let withList = try T.match(
            T.file(Self.rows), T.file([T.row(email: "b@entreprise.fr", company: "B")]),
            options: MatchOptions(rules: T.rules, suppression: Self.list))
        #expect(withList.report.a.exchangeable == 7 && withList.unsuppressedExchangeable.a == 8 && withList.unsuppressedExchangeable.b == 1)
        let withoutList = try T.match(T.file(Self.rows), T.file([T.row(email: "b@entreprise.fr", company: "B")]))
        #expect(withoutList.unsuppressedExchangeable == withList.unsuppressedExchangeable)
        #expect(withoutList.report.a.exchangeable == 8)
        // The recipient's sector still counts: consumers never go to an energy-renovation firm.
        let consumers = (0..<4).map { T.row(email: "c\($0)@gmail.com") }
        let renovation = try T.match(
            T.file(consumers), T.file([T.row(email: "b@entreprise.fr", company: "B")]),
            options: MatchOptions(rules: T.rules, bAcceptsConsumers: false))
        #expect(renovation.unsuppressedExchangeable.a == 0 && renovation.report.a.exchangeable == 0)
    }
}
