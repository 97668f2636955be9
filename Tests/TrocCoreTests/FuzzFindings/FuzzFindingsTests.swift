import Testing

@testable import TrocCore

/// What the libFuzzer targets (Fuzz/, docs/RELIABILITY.md "Fuzzing") found in the core, each as the
/// smallest input that shows it, so the defect cannot come back unnoticed.
@Suite struct FuzzFindingsTests {
    typealias T = TestSupport

    /// Writes the canonical delivery of `selection` from `file`, and reads it back.
    static func deliver(_ file: String, selection: [DeliveredContact]) throws -> (bytes: [UInt8], reread: ContactSet) {
        var written: [UInt8] = []
        let provenance = DeliveryProvenance(supplierName: "Menuiseries Durand SARL", supplierSIREN: "732829320", dealID: "del_FUZZ0001")
        let rows = try CanonicalContactWriter.write(
            from: MemorySource(file), mappings: [], selection: selection, provenance: provenance, asOf: T.asOf
        ) { written.append(contentsOf: $0) }
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

    /// contact-file target, "a rejection's line lies within the file": when a Windows (CR LF) file's first line
    /// ended exactly at the sniffing window, the window held the CR but not its LF, so the reader took the file for an
    /// old-Mac one (CR alone) and read every CR LF as two line ends: rows kept their content, but every line number
    /// after the header was counted twice (a rejection at line 9 of a 6-line file).
    @Test(arguments: [1, 7, 1 << 20])
    func aWindowsLineEndCutByTheSniffingWindowIsStillOneLineEnd(readSize: Int) throws {
        let file = T.file([
            T.row(email: "anne@alpha.fr"), T.row(email: "bruno@alpha.fr"), T.row(email: "claire..x@alpha.fr", phone: "0612345678"),
        ])
        // The window is `sniffBytes` and one more byte: the header's CR is its last.
        let limits = ReaderLimits(maxRecordBytes: 300, blockBytes: 64, sniffBytes: T.header.utf8.count)
        let set = try T.read(Array(file.utf8), chunkSize: readSize, limits: limits, parallelism: 1)
        #expect(set.lines == [2, 3, 4])
        let rejections = MatchEngine.fileReport(set, rules: T.rules).rejections
        #expect(rejections.filter { $0.reason == .emailDoubleDot }.map(\.line) == [4])
        #expect(rejections.allSatisfy { (2...4).contains($0.line) })
    }

    /// contact-file target, same invariant, found next: a file whose lines end in CR alone (old Mac) and that later holds
    /// Windows lines (CR LF) read each CR LF as a line end and an empty line, so line numbers after it ran ahead of
    /// what any editor shows. A CR LF is now one line end there too.
    @Test(arguments: [1, 7, 1 << 20])
    func aWindowsLineInAnOldMacFileIsOneLine(readSize: Int) throws {
        let rows = [T.row(email: "anne@alpha.fr"), T.row(email: "bruno@alpha.fr"), T.row(email: "claire..x@alpha.fr", phone: "0612345678")]
        let file = T.header + "\r" + rows[0] + "\r\n" + rows[1] + "\r\n" + rows[2] + "\r"
        // The sniffing window sees the header's CR and not the first LF, so the file reads as old Mac.
        let limits = ReaderLimits(maxRecordBytes: 300, blockBytes: 64, sniffBytes: T.header.utf8.count + 8)
        let set = try T.read(Array(file.utf8), chunkSize: readSize, limits: limits, parallelism: 1)
        #expect(set.lines == [2, 3, 4])
        let rejections = MatchEngine.fileReport(set, rules: T.rules).rejections
        #expect(rejections.filter { $0.reason == .emailDoubleDot }.map(\.line) == [4])
    }

    /// Reader bounds above the decoder's first kilobyte (which it always decodes at once), as the contact-file
    /// target also uses them, so that inputs of a few kilobytes reach every limit.
    static let limits = ReaderLimits(maxRecordBytes: 3000, blockBytes: 2048, sniffBytes: 1500)

    /// What reading `bytes` in reads of `readSize` bytes gives: the file's report, or why it was refused.
    static func outcome(_ bytes: [UInt8], readSize: Int) -> Result<FileReport, ContactFileFailure> {
        Result { () throws(ContactFileFailure) in
            MatchEngine.fileReport(try T.read(bytes, chunkSize: readSize, limits: limits, parallelism: 1), rules: T.rules)
        }
    }

    /// Files the contact-file target found read differently in reads of one byte and in larger reads, each
    /// reduced to the decision that depended on where the reads ended.
    static let readSizeCases: [(name: String, bytes: [UInt8])] = [
        // A row longer than the limit was refused only if the read that carried its excess did not also carry its end.
        (
            "row too long",
            Array(
                ("email;nom\n" + String(repeating: "a@b.fr;x\n", count: 130) + "c@d.fr;" + String(repeating: "y", count: 3100) + "\n" + "e@f.fr;z\n")
                    .utf8)
        ),
        // Old Mac line ends were decided on whatever had been read: a CR before the sniffing window's end, an LF after it.
        (
            "old Mac line ends",
            Array(("email;nom\r" + String(repeating: "a@b.fr;x\r", count: 190) + "c@d.fr;y\n" + String(repeating: "e@f.fr;z\r", count: 40)).utf8)
        ),
        // The separator vote counted the record the window cut when a read ended exactly at the window.
        (
            "record cut by the sniffing window",
            Array(("e,mail;phone,x\n" + "p,q,r\n" + "u;v\n" + "w;" + String(repeating: "z", count: 1600) + "\n").utf8)
        ),
        // A header longer than the limit was refused only if it was still incomplete when the limit was reached.
        ("header too long", Array(("email;nom;" + String(repeating: "x", count: 3100) + "\n" + "a@b.fr;y;z\n").utf8)),
        // A row holding U+FFFD was refused only if it fell in a block the decoder had flagged for an invalid byte
        // elsewhere, and blocks end where reads do.
        (
            "replacement character",
            Array("email;prénom\n".utf8) + Array("a@b.fr;X".utf8) + [0xE9] + Array("Y\n".utf8)
                + Array(
                    (String(repeating: "c@d.fr;x\n", count: 300) + "e@f.fr;R\u{FFFD}sidence\n" + String(repeating: "g@h.fr;x\n", count: 300)).utf8)
        ),
        // The reader took a quote after a bare CR for an opening quote, where the row parser (and Excel) see an
        // ordinary character: the reader found the row's end where the parser found a quote left open, and whether the
        // next row was read or swallowed by that quote depended on whether a block ended between them.
        (
            "quote after a bare CR",
            Array(("email;nom;note\n" + String(repeating: "a@b.fr;x;y\n", count: 185) + "c@d.fr;x\r\"y;\"z\n" + "e@f.fr;z;w\n").utf8)
        ),
        // The report named the encoding the decoder had decided when the header was read: a Windows-1252 byte past
        // the sniffing window made the file Windows-1252 (as it was then read), but the report said UTF-8 if the
        // reads had not reached that byte by then.
        (
            "Windows-1252 byte past the sniffing window",
            Array(("email;nom\n" + String(repeating: "a@b.fr;x\n", count: 180) + "c@d.fr;Andr").utf8) + [0xE9]
                + Array("\ne@f.fr;z\n".utf8)
        ),
    ]

    /// contact-file target, "a file reads the same whatever the sizes of the reads": uploads are decrypted in
    /// 32 KiB chunks and files re-read from disk in 1 MiB reads, so a report, and the rows a release delivers,
    /// must not depend on where the reads end.
    @Test(arguments: readSizeCases.map(\.name))
    func readingDoesNotDependOnReadSizes(name: String) throws {
        let bytes = try #require(Self.readSizeCases.first { $0.name == name }).bytes
        let bytewise = Self.outcome(bytes, readSize: 1)
        for readSize in [7, 1000, 1 << 20] {
            let other = Self.outcome(bytes, readSize: readSize)
            switch (bytewise, other) {
            case (.success(let one), .success(let many)): #expect(one == many, "read \(readSize) bytes at a time")
            case (.failure(let one), .failure(let many)): #expect(one.error == many.error, "read \(readSize) bytes at a time")
            default: Issue.record("read 1 byte at a time: \(bytewise); \(readSize) bytes at a time: \(other)")
            }
        }
    }

    /// normalisers target, "a suppression entry's canonical form is itself": the byte trimmer of the contact-file path
    /// left U+202F (the narrow no-break space of French typography), U+2009 and vertical tabs around a value, while a
    /// suppression entry typed by an operator was trimmed of them as a `String`; the same address then had two match
    /// keys, and a person who objected was not suppressed from a file that padded the cell so.
    @Test(arguments: ["\u{202F}paul@menuiserie.fr", "paul@menuiserie.fr\u{2009}", "\u{0B}\t\tmailto:\t\u{202F}paul@menuiserie.fr\u{3000}"])
    func aValuePaddedWithUnicodeSpacesHasTheKeyOfTheBareValue(padded: String) throws {
        let bare = try #require(try EmailNormaliser.normalise("paul@menuiserie.fr")?.get().matchKey)
        #expect(try EmailNormaliser.normalise(padded)?.get().matchKey == bare)
        guard case .success(let (kind, canonical))? = SuppressionList.canonical(padded) else {
            Issue.record("\(padded.debugDescription) is refused as a suppression entry")
            return
        }
        #expect(kind == .email && canonical == bare)
    }

    /// The byte trimmer trims exactly what `Character.isWhitespace` calls white space, scalar by scalar.
    @Test func theByteTrimmerTrimsWhatSwiftCallsWhiteSpace() {
        for value in UInt32(0)...0x3000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let padded = Array(String(scalar).utf8) + Array("x".utf8) + Array(String(scalar).utf8)
            let trimmed = padded.withUnsafeBufferPointer { Array(ByteText.trimmed($0)) }
            let expected = Character(scalar).isWhitespace ? Array("x".utf8) : padded
            #expect(trimmed == expected, "U+\(String(value, radix: 16, uppercase: true))")
        }
    }
}
