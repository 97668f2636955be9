import PropertyBased
import Testing

@testable import TrocCore

@Suite struct CivilDateTests {
    @Test func componentsRoundTrip() async {
        await propertyCheck(input: Gen.int(in: -200_000...2_900_000)) { days in
            let date = CivilDate(daysSinceEpoch: Int32(days))
            let (year, month, day) = date.components
            #expect(CivilDate(year: year, month: month, day: day) == date)
            #expect(CivilDate(iso8601: date.iso8601) == date)
        }
    }

    @Test func knownDates() {
        #expect(CivilDate(year: 1970, month: 1, day: 1)?.daysSinceEpoch == 0)
        #expect(CivilDate(year: 2026, month: 11, day: 23)?.iso8601 == "2026-11-23")
        #expect(CivilDate(year: 2026, month: 11, day: 23)?.compact == "20261123")
        #expect(CivilDate(year: 2026, month: 11, day: 23)?.french == "23/11/2026")
        #expect(CivilDate(year: 2025, month: 2, day: 29) == nil)
        #expect(CivilDate(iso8601: "2026-1-01") == nil)
    }

    @Test(arguments: [
        ("2026-03-31", -1, "2026-02-28"), ("2024-03-31", -1, "2024-02-29"), ("2026-11-23", -13, "2025-10-23"),
        ("2026-01-31", 1, "2026-02-28"), ("2026-12-15", 1, "2027-01-15"), ("2026-11-23", 0, "2026-11-23"),
    ])
    func addingMonthsClampsTheDay(start: String, months: Int, expected: String) {
        #expect(CivilDate(iso8601: start)?.adding(months: months).iso8601 == expected)
    }
}
