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

/// The one-pass email normaliser the block parser uses against the plain one: the same outcome, address and key.
@Suite struct EmailNormaliserOnePassTests {
    /// Both normalisers' outcome, lowercased address and key for `text`.
    private func both(_ text: String) -> (plain: String, onePass: String) {
        ByteText.withBytes(of: text) { raw in
            var address = ByteScratch(capacity: max(raw.count, 16))
            var key = ByteScratch(capacity: max(raw.count, 16) + 16)
            let plain = EmailNormaliser.normalise(raw, address: &address, key: &key)
            let plainText = "\(plain) \(address.string) \(key.string)"
            let onePass = EmailNormaliser.normaliseInOnePass(raw, address: &address, key: &key)
            return (plainText, "\(onePass) \(address.string) \(key.string)")
        }
    }

    /// Pieces that reach every rule: case, dots, `+tags`, the gmail domains, white space, IDN, punycode, hyphens,
    /// digits, brackets, a second `@`, labels too long, and a `mailto:` prefix.
    private static let pieces = [
        "a", "Z", "é", "0", "9", ".", "..", "@", "@", "-", "_", "+", "+tag", "'", "(", "[", "]", " ", "\t", "\u{00A0}", "\u{202F}",
        "gmail.com", "GoogleMail.com", "orange.fr", "xn--socit-esab", "xn--", ".fr", ".f", ".123", "mailto:", "jean.dupont",
        String(repeating: "a", count: 63), String(repeating: "b", count: 64), String(repeating: "abcdefghi.", count: 13),
    ]

    @Test func randomAddressesGiveWhatThePlainChecksGive() async {
        await propertyCheck(input: Gen.int(in: 0...(EmailNormaliserOnePassTests.pieces.count - 1)).array(of: 0...12)) { picks in
            let text = picks.map { EmailNormaliserOnePassTests.pieces[$0] }.joined()
            let (plain, onePass) = both(text)
            #expect(plain == onePass, "\(text)")
        }
    }

    @Test func addressShapedTextGivesWhatThePlainChecksGive() async {
        let local = Gen.int(in: 0...(EmailNormaliserOnePassTests.pieces.count - 1)).array(of: 0...5)
        await propertyCheck(input: local, local, local) { user, host, tld in
            let part = { (picks: [Int]) in picks.map { EmailNormaliserOnePassTests.pieces[$0] }.joined() }
            for text in ["\(part(user))@\(part(host)).\(part(tld))", "\(part(user))@\(part(host))", " \(part(user)).x@y\(part(tld)) "] {
                let (plain, onePass) = both(text)
                #expect(plain == onePass, "\(text)")
            }
        }
    }

    @Test(arguments: EmailNormaliserTests.invalid.map(\.0) + ["Jean.Dupont@Orange.FR", "j.e.a.n+promo@gmail.com", "+tag@gmail.com", "", " "])
    func theWorkedExamplesGiveWhatThePlainChecksGive(text: String) {
        let (plain, onePass) = both(text)
        #expect(plain == onePass)
    }
}
