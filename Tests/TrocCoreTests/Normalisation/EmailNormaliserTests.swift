import PropertyBased
import Testing

@testable import TrocCore

@Suite struct EmailNormaliserTests {
    @Test(arguments: [
        ("Jean.Dupont@Orange.FR", "jean.dupont@orange.fr"),
        ("  jean@example.com ", "jean@example.com"),
        ("mailto:Jean@Example.com", "jean@example.com"),
        ("j.e.a.n+promo@gmail.com", "jean@gmail.com"),
        ("J.Ean+x+y@GoogleMail.com", "jean@gmail.com"),
        ("jean.dupont+news@orange.fr", "jean.dupont+news@orange.fr"),
        ("o'brien@example.co.uk", "o'brien@example.co.uk"),
        ("élodie@exemple.fr", "élodie@exemple.fr"),
        ("contact@xn--socit-esab.fr", "contact@xn--socit-esab.fr"),
        ("a@b.fr", "a@b.fr"),
    ])
    func validAddressesGiveTheirMatchKey(raw: String, key: String) throws {
        let email = try #require(try EmailNormaliser.normalise(raw)?.get())
        #expect(email.matchKey == key)
    }

    @Test func theLocalPartMasksHoldExactlyRFC5322Atext() {
        let atext = Set(("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" + "!#$%&'*+-/=?^_`{|}~" + ".").utf8)
        for byte in UInt8.min...UInt8.max {
            #expect(EmailNormaliser.isLocalCharacter(byte) == atext.contains(byte), "byte \(byte)")
        }
    }

    @Test func theDeliveredAddressKeepsTheOriginalForm() throws {
        let email = try #require(try EmailNormaliser.normalise("  J.Ean+promo@GMail.com ")?.get())
        #expect(email.delivered == "J.Ean+promo@GMail.com")
        #expect(email.matchKey == "jean@gmail.com")
        #expect(email.domain == "gmail.com")
    }

    static let invalid: [(String, RejectionReason)] = [
        ("jean.dupont.orange.fr", .emailMissingAt),
        ("jean at orange.fr", .emailMissingAt),
        ("jean@@orange.fr", .emailMultipleAt),
        ("jean@dupont@orange.fr", .emailMultipleAt),
        ("jean dupont@orange.fr", .emailWhitespace),
        ("jean\u{00A0}dupont@orange.fr", .emailWhitespace),
        ("@orange.fr", .emailLocalLength),
        (String(repeating: "a", count: 65) + "@orange.fr", .emailLocalLength),
        ("jean..dupont@orange.fr", .emailDoubleDot),
        (".jean@orange.fr", .emailDotPosition),
        ("jean.@orange.fr", .emailDotPosition),
        ("jean(dupont)@orange.fr", .emailInvalidCharacter),
        ("jean@", .emailMissingDomain),
        ("jean@orange", .emailNoTLD),
        ("jean@orange.", .emailNoTLD),
        ("jean@orange.f", .emailNoTLD),
        ("jean@orange.123", .emailNoTLD),
        ("jean@-orange.fr", .emailInvalidDomain),
        ("jean@orange-.fr", .emailInvalidDomain),
        ("jean@ora_nge.fr", .emailInvalidDomain),
        ("jean@orange..fr", .emailDoubleDot),
        ("jean@.orange.fr", .emailInvalidDomain),
        ("jean@[192.168.0.1]", .emailInvalidDomain),
        ("jean@" + String(repeating: "a", count: 64) + ".fr", .emailInvalidDomain),
        ("jean@" + String(repeating: "abcdefghi.", count: 26) + "fr", .emailDomainLength),
    ]

    @Test(arguments: invalid)
    func invalidAddressesSayWhy(raw: String, reason: RejectionReason) {
        #expect(EmailNormaliser.normalise(raw) == .failure(reason))
    }

    @Test(arguments: ["", "   ", "\u{00A0}"])
    func blankIsMissingNotRejected(raw: String) {
        #expect(EmailNormaliser.normalise(raw) == nil)
    }

    @Test func normalisingTheMatchKeyAgainChangesNothing() async {
        let local = Gen.oneOf(Gen.letterOrNumber.string(of: 1...12), Gen.always("jean.dupont"), Gen.always("a.b+c"))
        let domain = Gen.oneOf(Gen.always("gmail.com"), Gen.always("GoogleMail.com"), Gen.always("orange.fr"), Gen.always("Example.CO.uk"))
        await propertyCheck(input: local, domain) { local, domain in
            guard case .success(let once)? = EmailNormaliser.normalise("\(local)@\(domain)") else {
                Issue.record("\(local)@\(domain) should be valid")
                return
            }
            #expect((try? EmailNormaliser.normalise(once.matchKey)?.get())?.matchKey == once.matchKey)
        }
    }
}
