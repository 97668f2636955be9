import PropertyBased
import Testing

@testable import TrocCore

@Suite struct PhoneNormaliserTests {
    @Test(arguments: [
        ("06 12 34 56 78", "+33612345678", PhoneClass.mobile),
        ("06.12.34.56.78", "+33612345678", .mobile),
        ("06-12-34-56-78", "+33612345678", .mobile),
        ("+33 6 12 34 56 78", "+33612345678", .mobile),
        ("+33612345678", "+33612345678", .mobile),
        ("0033612345678", "+33612345678", .mobile),
        ("+33 (0)6 12 34 56 78", "+33612345678", .mobile),
        ("+330612345678", "+33612345678", .mobile),
        ("612345678", "+33612345678", .mobile),
        ("33612345678", "+33612345678", .mobile),
        ("07 81 23 45 67", "+33781234567", .mobile),
        ("01 42 68 53 00", "+33142685300", .landline),
        ("05 56 00 00 01", "+33556000001", .landline),
        ("09 72 10 10 10", "+33972101010", .voip),
        ("\u{00A0}06\u{00A0}12 34 56 78 ", "+33612345678", .mobile),
        ("0262 21 34 56", "+262262213456", .landline),
        ("0692 12 34 56", "+262692123456", .mobile),
        ("0639 12 34 56", "+262639123456", .mobile),
        ("+262 692 12 34 56", "+262692123456", .mobile),
        ("0590 82 12 34", "+590590821234", .landline),
        ("0690 12 34 56", "+590690123456", .mobile),
        ("0594 29 12 34", "+594594291234", .landline),
        ("0696 12 34 56", "+596696123456", .mobile),
        ("+687 75 12 34", "+687751234", .mobile),
        ("+687 27 12 34", "+687271234", .landline),
        ("+689 87 12 34 56", "+68987123456", .mobile),
        ("+44 20 7946 0958", "+442079460958", .foreign),
        ("+32 2 123 45 67", "+3221234567", .foreign),
        ("0049 30 1234567", "+49301234567", .foreign),
        ("+1 212 555 0100", "+12125550100", .foreign),
    ])
    func validNumbersBecomeE164(raw: String, e164: String, phoneClass: PhoneClass) throws {
        let phone = try #require(try PhoneNormaliser.normalise(raw)?.get())
        #expect(phone.e164 == e164)
        #expect(phone.phoneClass == phoneClass)
    }

    @Test func overseasNumbersAreMarked() throws {
        #expect(try PhoneNormaliser.normalise("0692 12 34 56")?.get().isOverseas == true)
        #expect(try PhoneNormaliser.normalise("06 12 34 56 78")?.get().isOverseas == false)
    }

    @Test(arguments: [
        ("06 12 34 56", RejectionReason.phoneTooShort),
        ("06123", .phoneTooShort),
        ("+33 6 12 34", .phoneTooShort),
        ("06 12 34 56 78 9", .phoneTooLong),
        ("+33 6 12 34 56 78 90", .phoneTooLong),
        ("012345678901234567890123", .phoneTooLong),
        ("06 12 AB 56 78", .phoneInvalidCharacter),
        ("6,12345678E+08", .phoneInvalidCharacter),
        ("06 12 34 56 78 poste 12", .phoneInvalidCharacter),
        ("06+12345678", .phoneInvalidCharacter),
        ("08 00 12 34 56", .phoneSpecialRate),
        ("+33 8 92 12 34 56", .phoneSpecialRate),
        ("+999 123 456 789", .phoneUnknownCountry),
        ("06 66 66 66 66", .phoneImplausible),
        ("01 11 11 11 11", .phoneImplausible),
        ("00 00 00 00 00", .phoneUnknownCountry),
        ("+", .phoneTooShort),
    ])
    func invalidNumbersSayWhy(raw: String, reason: RejectionReason) {
        #expect(PhoneNormaliser.normalise(raw) == .failure(reason))
    }

    @Test(arguments: ["", "  ", " - "])
    func blankIsMissing(raw: String) {
        #expect(PhoneNormaliser.normalise(raw) == nil)
    }

    @Test func anyWayOfWritingAFrenchMobileGivesTheSameNumber() async {
        let digits = Gen.int(in: 0...99_999_999)
        let style = Gen.int(in: 0...5)
        await propertyCheck(input: Gen.int(in: 6...7), digits, style) { prefix, digits, style in
            let rest = String(digits)
            let national = "0\(prefix)" + String(repeating: "0", count: 8 - rest.count) + rest
            let pairs = stride(from: 0, to: 10, by: 2).map { index -> String in
                let start = national.index(national.startIndex, offsetBy: index)
                return String(national[start..<national.index(start, offsetBy: 2)])
            }
            let written: String
            switch style {
            case 0: written = pairs.joined(separator: " ")
            case 1: written = pairs.joined(separator: ".")
            case 2: written = "+33 " + String(national.dropFirst())
            case 3: written = "0033" + String(national.dropFirst())
            case 4: written = "+33 (0)" + String(national.dropFirst())
            default: written = String(national.dropFirst())
            }
            let subscriber = String(national.dropFirst())
            // 0639 and 069x are overseas mobiles (+262, +590, +594, +596), covered by the table above.
            guard Set(subscriber).count > 1, !["639", "690", "691", "692", "693", "694", "696", "697"].contains(String(subscriber.prefix(3))) else {
                return
            }
            #expect(PhoneNormaliser.normalise(written) == .success(NormalisedPhone(e164: "+33" + subscriber, phoneClass: .mobile, isOverseas: false)))
            // Idempotent: the E.164 form normalises to itself.
            #expect((try? PhoneNormaliser.normalise("+33" + subscriber)?.get())?.e164 == "+33" + subscriber)
        }
    }
}
