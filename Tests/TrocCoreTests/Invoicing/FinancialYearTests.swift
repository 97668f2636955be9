import Testing
import TrocCore

/// The broker's financial year: the period that ends in a given year, the one containing a day, and the starts refused.
@Suite struct FinancialYearTests {
    static func day(_ year: Int, _ month: Int, _ day: Int) -> CivilDate { CivilDate(year: year, month: month, day: day)! }

    static let periodCases: [(month: Int, day: Int, year: Int, start: CivilDate, end: CivilDate)] = [
        (1, 1, 2026, day(2026, 1, 1), day(2026, 12, 31)),
        (7, 1, 2026, day(2025, 7, 1), day(2026, 6, 30)),
        (10, 1, 2026, day(2025, 10, 1), day(2026, 9, 30)),
        // A year starting on 1 March closes on the last day of February, 29 in a leap year.
        (3, 1, 2028, day(2027, 3, 1), day(2028, 2, 29)),
        (3, 1, 2027, day(2026, 3, 1), day(2027, 2, 28)),
        (12, 31, 2026, day(2025, 12, 31), day(2026, 12, 30)),
    ]

    @Test(arguments: periodCases)
    func theYearEndingInAGivenYear(month: Int, day: Int, year: Int, start: CivilDate, end: CivilDate) throws {
        let financialYear = try FinancialYear(startMonth: month, startDay: day)
        #expect(financialYear.period(endingIn: year) == start...end)
        #expect(financialYear.period(endingIn: year).upperBound.components.year == year)
        // The FEC is named by the closing date.
        #expect(FECExport.fileName(siren: "303265045", closingDate: end) == "303265045FEC\(end.compact).txt")
    }

    @Test func theYearContainingADay() throws {
        let july = try FinancialYear(startMonth: 7, startDay: 1)
        #expect(july.period(containing: Self.day(2026, 6, 30)) == Self.day(2025, 7, 1)...Self.day(2026, 6, 30))
        #expect(july.period(containing: Self.day(2026, 7, 1)) == Self.day(2026, 7, 1)...Self.day(2027, 6, 30))
        #expect(FinancialYear.calendar.period(containing: Self.day(2026, 11, 23)) == Self.day(2026, 1, 1)...Self.day(2026, 12, 31))
    }

    @Test func refusesAStartNotEveryYearHas() throws {
        #expect(throws: FinancialYearError.invalidDay(29, month: 2)) { try FinancialYear(startMonth: 2, startDay: 29) }
        #expect(throws: FinancialYearError.invalidDay(31, month: 4)) { try FinancialYear(startMonth: 4, startDay: 31) }
        #expect(throws: FinancialYearError.invalidMonth(13)) { try FinancialYear(startMonth: 13, startDay: 1) }
        #expect(throws: FinancialYearError.malformed("juillet")) { try FinancialYear(parsing: "juillet") }
        #expect(try FinancialYear(parsing: "7-1") == FinancialYear(startMonth: 7, startDay: 1))
        #expect(try FinancialYear(parsing: " 07-01 ").text == "07-01")
    }
}
