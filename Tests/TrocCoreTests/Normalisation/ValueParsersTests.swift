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

    /// The fixed-position reading of the common date forms agrees with the general reader wherever it answers.
    @Test func fixedWidthDatesReadAsTheGeneralReaderDoes() {
        /// Whether the fixed-position reader answered.
        @discardableResult func check(_ text: String) -> Bool {
            ByteText.withBytes(of: text) { value in
                guard let fast = ValueParsers.fixedWidthDate(value) else { return false }
                #expect(fast == ValueParsers.anyDate(value), "\(text)")
                return true
            }
        }
        func padded(_ number: Int, _ width: Int) -> String {
            let digits = String(number)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var answered = 0
        for (first, second) in [("/", "/"), ("-", "-"), (".", "."), ("/", "-"), ("x", "x")] {
            for day in [0, 1, 9, 12, 28, 29, 30, 31, 32, 99] {
                for month in [0, 1, 2, 9, 12, 13, 99] {
                    for year in [0, 1969, 2024, 2025, 2026, 9999] {
                        let dd = padded(day, 2)
                        let mm = padded(month, 2)
                        let yyyy = padded(year, 4)
                        if check(dd + first + mm + second + yyyy) { answered += 1 }
                        if check(yyyy + first + mm + second + dd) { answered += 1 }
                    }
                }
            }
        }
        // Random ten-byte texts over digits and separators: mostly not dates, sometimes almost.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let alphabet = Array("0123456789/-. T".utf8)
        for _ in 0..<200_000 {
            var bytes: [UInt8] = []
            for _ in 0..<10 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            check(String(decoding: bytes, as: UTF8.self))
        }
        #expect(answered > 0)
    }
}
