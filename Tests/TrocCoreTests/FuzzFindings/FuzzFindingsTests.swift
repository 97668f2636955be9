import Testing

@testable import TrocCore

/// What the libFuzzer targets (Fuzz/, docs/RELIABILITY.md "Fuzzing") found in the core, each as the
/// smallest input that shows it, so the defect cannot come back unnoticed.
@Suite struct FuzzFindingsTests {
    typealias T = TestSupport

    /// Writes the canonical delivery of `selection` from `file`, and reads it back.
    static func deliver(_ file: String, selection: [DeliveredContact]) throws -> (bytes: [UInt8], reread: ContactSet) {
        var written: [UInt8] = []
        let rows = try CanonicalContactWriter.write(from: MemorySource(file), mappings: [], selection: selection) { written.append(contentsOf: $0) }
        #expect(rows == selection.count)
        return (written, try T.read(written))
    }

    /// contact-file target, delivery invariant: a quoted cell holding a Windows line break (CR LF) was
    /// written unquoted, because Swift sees CR LF as one `Character` that is neither "\r" nor "\n"; the
    /// delivered file then split the row in two and shifted every later cell into the wrong column.
    @Test func aCellWithAWindowsLineBreakIsQuotedInTheDelivery() throws {
        let file = T.file([T.row(name: "\"Martin\r\nfils\"", email: "paul@menuiserie.fr")])
        let (bytes, reread) = try Self.deliver(file, selection: [DeliveredContact(line: 2, email: true, phone: true)])
        #expect(String(decoding: bytes, as: UTF8.self).contains("\"Martin\r\nfils\""))
        #expect(reread.records == 1)
        #expect(reread.acceptedRows == 1)
    }

    /// Same cause, found while fixing the above: a quote followed by a combining mark is one `Character`
    /// that is not "\"", so it was not doubled and closed the quoted cell early in the delivery.
    @Test func aQuoteCarryingACombiningMarkIsDoubledInTheDelivery() throws {
        let file = T.file([T.row(name: "\"Mar\"\"\u{301}tin;fils\"", email: "paul@menuiserie.fr")])
        let (bytes, reread) = try Self.deliver(file, selection: [DeliveredContact(line: 2, email: true, phone: true)])
        #expect(String(decoding: bytes, as: UTF8.self).contains("\"Mar\"\"\u{301}tin;fils\""))
        #expect(reread.records == 1)
        #expect(reread.acceptedRows == 1)
    }

    /// normalisers target, "a match key normalises to itself": a Gmail address whose local part starts with
    /// `+` had the empty match key `@gmail.com`, which is not an address, so every such address was one
    /// contact: they deduplicated into each other and one suppression entry suppressed them all.
    @Test func aGmailAddressStartingWithPlusKeepsItsTagInTheMatchKey() throws {
        let promo = try #require(try EmailNormaliser.normalise("+Promo@GoogleMail.com")?.get())
        #expect(promo.matchKey == "+promo@gmail.com")
        #expect(try EmailNormaliser.normalise(promo.matchKey)?.get().matchKey == promo.matchKey)
        #expect(try EmailNormaliser.normalise("+news@gmail.com")?.get().matchKey == "+news@gmail.com")
        #expect(try EmailNormaliser.normalise("Jean.Dupont+promo@gmail.com")?.get().matchKey == "jeandupont@gmail.com")
    }
}
