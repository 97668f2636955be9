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

/// The email normaliser as it was before its checks were folded into one walk over the bytes (issue 16): three
/// passes, the local part and the domain each checked on their own. The oracle the one-pass normaliser must agree
/// with on every input, reason and bytes alike. The trimming and the `mailto:` prefix, which the rewrite did not touch,
/// come from the normaliser's own `trimmedDelivered`.
private enum ThreePassEmailNormaliser {
    static func normalise(_ raw: UnsafeBufferPointer<UInt8>, address: inout ByteScratch, key: inout ByteScratch) -> EmailNormaliser.Outcome {
        address.removeAll()
        key.removeAll()
        let value = EmailNormaliser.trimmedDelivered(raw)
        guard !value.isEmpty else { return .missing }
        guard value.count <= address.capacity else { return .rejected(.emailDomainLength) }

        var at = -1
        var ats = 0
        var whitespace = false
        var previous: UInt8 = 0
        for byte in value {
            if byte == UInt8(ascii: "@") {
                if at < 0 { at = address.count }
                ats += 1
            } else if byte == ByteText.space || byte == ByteText.tab || byte == 0xA0 && previous == 0xC2 {
                whitespace = true
            }
            address.append(ByteText.lowercased(byte))
            previous = byte
        }
        // The most telling reason first: "jean at orange.fr" lacks an @ more than it has spaces.
        guard ats > 0 else { return .rejected(.emailMissingAt) }
        guard ats == 1 else { return .rejected(.emailMultipleAt) }
        guard !whitespace else { return .rejected(.emailWhitespace) }
        let bytes = address.bytes
        if let reason = checkLocal(UnsafeBufferPointer(rebasing: bytes[0..<at])) { return .rejected(reason) }
        if let reason = checkDomain(UnsafeBufferPointer(rebasing: bytes[(at + 1)...])) { return .rejected(reason) }

        let domain = UnsafeBufferPointer(rebasing: bytes[(at + 1)...])
        if ByteText.equalsIgnoringCase(domain, "gmail.com") || ByteText.equalsIgnoringCase(domain, "googlemail.com") {
            // A `+tag` goes only after a user name: dropping it from `+tag@gmail.com` would leave no user, and a
            // key (`@gmail.com`) that every such address shares.
            for byte in bytes[0..<at] {
                if byte == UInt8(ascii: "+"), key.count > 0 { break }
                if byte != UInt8(ascii: ".") { key.append(byte) }
            }
            key.append("@gmail.com")
        } else {
            key.append(bytes)
        }
        return .valid(domainStart: at + 1)
    }

    /// RFC 5321/5322 dot-atom local part (UTF-8 allowed, RFC 6531), at most 64 bytes.
    static func checkLocal(_ local: UnsafeBufferPointer<UInt8>) -> RejectionReason? {
        guard !local.isEmpty, local.count <= 64 else { return .emailLocalLength }
        guard local.first != UInt8(ascii: "."), local.last != UInt8(ascii: ".") else { return .emailDotPosition }
        var previous: UInt8 = 0
        for byte in local {
            if byte == UInt8(ascii: "."), previous == UInt8(ascii: ".") { return .emailDoubleDot }
            guard byte >= 0x80 || EmailNormaliser.isLocalCharacter(byte) else { return .emailInvalidCharacter }
            previous = byte
        }
        return nil
    }

    /// A host name of at least two labels, each 1–63 letters, digits or hyphens (not at the ends),
    /// with an alphabetic (or IDN) top-level domain of two characters or more.
    static func checkDomain(_ domain: UnsafeBufferPointer<UInt8>) -> RejectionReason? {
        guard !domain.isEmpty else { return .emailMissingDomain }
        guard domain.count <= 253 else { return .emailDomainLength }
        var labelStart = 0
        var labels = 0
        var index = 0
        while index <= domain.count {
            if index == domain.count || domain[index] == UInt8(ascii: ".") {
                let label = UnsafeBufferPointer(rebasing: domain[labelStart..<index])
                if label.isEmpty {
                    return index == domain.count && labels > 0 ? .emailNoTLD : (labels == 0 && index == 0 ? .emailInvalidDomain : .emailDoubleDot)
                }
                guard label.count <= 63, label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return .emailInvalidDomain }
                labels += 1
                if index == domain.count {
                    guard labels >= 2 else { return .emailNoTLD }
                    let isPunycode = label.count > 4 && ByteText.equalsIgnoringCase(UnsafeBufferPointer(rebasing: label[0..<4]), "xn--")
                    let alphabetic = label.allSatisfy { $0 >= 0x80 || $0 &- 0x61 < 26 }
                    guard label.count >= 2, alphabetic || isPunycode else { return .emailNoTLD }
                }
                labelStart = index + 1
            } else {
                let byte = domain[index]
                let allowed = byte >= 0x80 || ByteText.isDigit(byte) || byte &- 0x61 < 26 || byte == UInt8(ascii: "-")
                guard allowed else { return .emailInvalidDomain }
            }
            index += 1
        }
        return nil
    }

}

@Suite struct EmailNormaliserOracleTests {
    /// Pieces that reach every check: case, dots, @, hyphens, atext and non-atext bytes, white space (NBSP
    /// included), UTF-8, punycode, the gmail domains, a mailto: prefix, labels at their 63-byte limit.
    static let pieces = [
        "a", "Z", "0", ".", "..", "@", "-", "+", "_", "(", "'", " ", "\t", "\u{00A0}", "é", "xn--", "gmail.com", "GoogleMail.com",
        "mailto:", "fr", "co", "c", "1", "[", "]", "orange", String(repeating: "a", count: 63), String(repeating: "b", count: 30), "\u{00C2}",
    ]

    @Test func theOnePassNormaliserAgreesWithTheThreePassOneOnEveryInput() async {
        let piece = Gen.int(in: 0...(Self.pieces.count - 1)).map { Self.pieces[$0] }
        let anything = piece.array(of: 0...14).map { $0.joined() }
        // Mostly address-shaped: a local part, one @ and a domain, so that valid addresses and their keys are compared too.
        let local = Gen.oneOf(piece.array(of: 1...4).map { $0.joined() }, Gen.always("j.e.an+promo"), Gen.always("+tag"), Gen.always("a..b"))
        let domain = Gen.oneOf(
            piece.array(of: 1...4).map { $0.joined() }, Gen.always("gmail.com"), Gen.always("GoogleMail.com"), Gen.always("orange.fr"))
        let shaped = zip(local, domain).map { "\($0)@\($1)" }
        await propertyCheck(count: 4000, input: Gen.oneOf(anything, shaped, shaped)) { text in Self.expectSameOutcome(text) }
    }

    @Test(arguments: EmailNormaliserTests.invalid.map(\.0) + ["jean@orange.fr", "a@b.fr", "J.e.An+x@GMail.com", "+x@gmail.com", "a@xn--abcd"])
    func theListedAddressesGiveTheSameOutcomeBothWays(text: String) {
        Self.expectSameOutcome(text)
    }

    /// Both normalisers on `text`: the same outcome and, for a valid address, the same address and key bytes.
    static func expectSameOutcome(_ text: String) {
        ByteText.withBytes(of: text) { raw in
            var address = ByteScratch(capacity: max(raw.count, 16))
            var key = ByteScratch(capacity: max(raw.count, 16) + 16)
            var oldAddress = ByteScratch(capacity: max(raw.count, 16))
            var oldKey = ByteScratch(capacity: max(raw.count, 16) + 16)
            let outcome = EmailNormaliser.normalise(raw, address: &address, key: &key)
            let expected = ThreePassEmailNormaliser.normalise(raw, address: &oldAddress, key: &oldKey)
            #expect(outcome == expected, "\(text.debugDescription)")
            if case .valid = expected {
                #expect(Array(address.bytes) == Array(oldAddress.bytes), "address of \(text.debugDescription)")
                #expect(Array(key.bytes) == Array(oldKey.bytes), "key of \(text.debugDescription)")
            }
        }
    }
}
