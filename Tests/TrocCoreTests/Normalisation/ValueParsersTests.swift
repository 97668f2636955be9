import Testing

@testable import TrocCore

@Suite struct ValueParsersTests {
    @Test(arguments: [
        ("oui", Consent.given(on: nil)), ("OUI", .given(on: nil)), ("Yes", .given(on: nil)), ("1", .given(on: nil)),
        ("true", .given(on: nil)), ("VRAI", .given(on: nil)), ("x", .given(on: nil)), ("X", .given(on: nil)), ("opt-in", .given(on: nil)),
        ("non", .refused), ("No", .refused), ("0", .refused), ("false", .refused), ("opt-out", .refused), ("refus", .refused),
        ("", .unknown), ("  ", .unknown),
        ("12/03/2026", .given(on: CivilDate(year: 2026, month: 3, day: 12))),
        ("2026-03-12", .given(on: CivilDate(year: 2026, month: 3, day: 12))),
    ])
    func consentValues(raw: String, expected: Consent) {
        #expect(ValueParsers.consent(raw) == expected)
    }

    @Test(arguments: ["peut-être", "2", "oui!", "13/13/2026"])
    func unrecognisedConsent(raw: String) {
        #expect(ValueParsers.consent(raw) == nil)
    }

    @Test(arguments: [
        ("15/03/2026", CivilDate(year: 2026, month: 3, day: 15)),
        ("5/3/2026", CivilDate(year: 2026, month: 3, day: 5)),
        ("15-03-2026", CivilDate(year: 2026, month: 3, day: 15)),
        ("15.03.2026", CivilDate(year: 2026, month: 3, day: 15)),
        ("2026-03-15", CivilDate(year: 2026, month: 3, day: 15)),
        ("2026/03/15", CivilDate(year: 2026, month: 3, day: 15)),
        ("2026-03-15T10:30:00Z", CivilDate(year: 2026, month: 3, day: 15)),
        ("15/03/2026 10:30", CivilDate(year: 2026, month: 3, day: 15)),
        ("15/03/26", CivilDate(year: 2026, month: 3, day: 15)),
        ("15/03/99", CivilDate(year: 1999, month: 3, day: 15)),
        ("45000", CivilDate(year: 2023, month: 3, day: 15)),
        ("45000.5", CivilDate(year: 2023, month: 3, day: 15)),
        ("29/02/2024", CivilDate(year: 2024, month: 2, day: 29)),
    ])
    func dates(raw: String, expected: CivilDate?) {
        #expect(ValueParsers.date(raw) == expected)
    }

    @Test(arguments: ["31/02/2026", "29/02/2025", "2026-13-01", "03/15/2026", "15/03", "hier", "12345", "99999", "15/03-2026", "2026-3-15-1"])
    func invalidDates(raw: String) {
        #expect(ValueParsers.date(raw) == nil)
    }

    @Test(arguments: [("B2B", Segment.b2b), ("professionnel", .b2b), ("Pro", .b2b), ("B2C", .b2c), ("Particulier", .b2c)])
    func segments(raw: String, expected: Segment) {
        #expect(ValueParsers.segment(raw) == expected)
    }

    @Test(arguments: [("4332A", "43.32A"), ("43.32a", "43.32A"), ("43 32 A", "43.32A"), (" 43.22B ", "43.22B"), ("01.11Z", "01.11Z")])
    func nafCodesNormalise(raw: String, code: String) {
        #expect(NAFCode.normalise(raw) == .success(code))
    }

    @Test(arguments: [
        ("99.99Z", RejectionReason.nafUnknown), ("43.32", .nafFormat), ("4332AB", .nafFormat), ("A4332", .nafFormat), ("43/32A", .nafFormat),
    ])
    func invalidNAFCodes(raw: String, reason: RejectionReason) {
        #expect(NAFCode.normalise(raw) == .failure(reason))
    }
}
