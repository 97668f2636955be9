import PropertyBased
import Testing

@testable import TrocCore

@Suite struct ContactFileReaderTests {
    @Test(arguments: [";", ",", "\t", "|"])
    func theSeparatorIsSniffed(separator: String) throws {
        let text =
            ["Nom", "E-mail", "Téléphone", "Adresse", "Société"].joined(separator: separator) + "\n"
            + ["Martin", "jean@example.fr", "06 12 34 56 78", "\"1\(separator) rue de la Paix\"", "Martin SA"].joined(separator: separator) + "\n"
            + ["Durand", "paul@example.fr", "", "2 rue Haute", "Durand SA"].joined(separator: separator) + "\n"
        let file = try TestSupport.read(text)
        #expect(file.layout.delimiter == UInt8(ascii: Unicode.Scalar(separator)!))
        #expect(file.records == 2)
        #expect(file.acceptedRows == 2)
        #expect(file.formatRejectionCounts.isEmpty)
    }

    @Test func frenchAndEnglishHeadersAreRecognised() throws {
        let headers = [
            "Civilité", "NOM", "Prénom", "Courriel", "Portable", "Tél. fixe", "Adresse", "Code postal", "Ville", "Raison sociale",
            "N° SIRET", "Code APE", "Origine", "Date de collecte", "Opt-in", "Dernier contact", "Type", "Remarques",
        ]
        let row = headers.map { $0 == "Courriel" ? "jean@example.fr" : "" }
        let file = try TestSupport.read(headers.joined(separator: ";") + "\n" + row.joined(separator: ";") + "\n")
        let fields = file.layout.fields
        #expect(
            fields == [
                .civility, .lastName, .firstName, .email, .phone, .secondPhone, .address, .postalCode, .city, .company, .siret, .naf, .source,
                .collectedOn, .consent, .lastContactOn, .segment, nil,
            ])
        #expect(file.layout.ignoredHeaders == ["Remarques"])
    }

    @Test func mappingsOverrideOrIgnoreColumns() throws {
        let text = "Contact;Numéro;Mail pro\nMartin;06 12 34 56 78;jean@example.fr\n"
        let file = try TestSupport.read(
            text,
            mappings: [
                try ColumnMapping(parsing: "Mail pro=email"), try ColumnMapping(parsing: "2=phone"), try ColumnMapping(parsing: "Contact=ignore"),
            ])
        #expect(file.layout.fields == [nil, .phone, .email])
        #expect(file.acceptedRows == 1)
    }

    @Test func badMappingsSayWhatIsWrong() {
        #expect(throws: ContactFileError.self) { try ColumnMapping(parsing: "email") }
        #expect(throws: ContactFileError.self) { try ColumnMapping(parsing: "Mail=nonsense") }
        #expect {
            try TestSupport.read("email\njean@example.fr\n", mappings: [ColumnMapping(column: "Courriel", field: .email)])
        } throws: { error in
            guard let failure = error as? ContactFileFailure, case .badMapping(let message)? = failure.error else { return false }
            return message.contains("Courriel") && message.contains("\"email\"")
        }
    }

    @Test func quotedFieldsHoldSeparatorsLineBreaksAndQuotes() throws {
        let text =
            "nom;email;adresse;telephone\r\n"
            + "\"Martin; fils\";jean@example.fr;\"12 rue \"\"Haute\"\"\r\nBâtiment B\";0612345678\r\n"
            + "Durand;paul@example.fr;\"\";0698765432\r\n"
        let file = try TestSupport.read(text)
        #expect(file.records == 2)
        #expect(file.acceptedRows == 2)
        #expect(file.lines == [2, 4])
        #expect(file.formatRejectionCounts.isEmpty)
    }

    @Test func aQuoteInsideAnUnquotedFieldIsAnOrdinaryCharacter() throws {
        let text = "nom;email\nÉcran 24\";jean@example.fr\nDurand;paul@example.fr\n"
        let file = try TestSupport.read(text)
        #expect(file.acceptedRows == 2)
    }

    @Test func crlfLfAndOldMacLineEndsAllWork() throws {
        for end in ["\r\n", "\n", "\r"] {
            let text = ["email;telephone", "jean@example.fr;0612345678", "paul@example.fr;0698765432"].joined(separator: end) + end
            let file = try TestSupport.read(text)
            #expect(file.acceptedRows == 2, "line end \(end.debugDescription)")
            #expect(file.lines == [2, 3])
        }
    }

    @Test func theLastRowNeedsNoLineEnd() throws {
        let file = try TestSupport.read("email\njean@example.fr\npaul@example.fr")
        #expect(file.acceptedRows == 2)
    }

    @Test func raggedRowsAreRejectedWithTheirLineAndCounts() throws {
        let text =
            "email;telephone;ville\njean@example.fr;0612345678;Paris\npaul@example.fr;0698765432\nzoe@example.fr;0611111112;Lyon;extra\nleo@example.fr;0622222223;Nice;;\n"
        let file = try TestSupport.read(text)
        #expect(file.acceptedRows == 2)
        #expect(file.formatRejectionCounts == [.rowRagged: 2])
        #expect(file.formatRejections.map(\.line) == [3, 4])
        #expect(
            file.formatRejections.first?.message
                == "line 3: the row does not have as many fields as the header (an unquoted separator or line break?) — 2 fields where the header has 3"
        )
    }

    @Test func anUnterminatedQuoteCostsOnlyItsRow() throws {
        let text = "nom;email\nMartin;jean@example.fr\n\"Durand;paul@example.fr\nLeroy;leo@example.fr\nPetit;zoe@example.fr\n"
        let file = try TestSupport.read(text)
        #expect(file.formatRejectionCounts == [.rowUnterminatedQuote: 1])
        #expect(file.formatRejections.first?.line == 3)
        #expect(file.formatRejections.first?.column == 1)
        #expect(file.lines == [2, 4, 5])
    }

    @Test func aHugeLineIsRejectedWithoutBufferingIt() throws {
        let limits = ReaderLimits(maxRecordBytes: 4096, blockBytes: 8192, sniffBytes: 1024)
        var bytes = Array("email;note\njean@example.fr;ok\n".utf8)
        bytes += Array("paul@example.fr;".utf8) + Array(repeating: UInt8(ascii: "x"), count: 200_000) + [0x0A]
        bytes += Array("zoe@example.fr;ok\n".utf8)
        let file = try TestSupport.read(bytes, chunkSize: 1000, limits: limits)
        #expect(file.formatRejectionCounts == [.rowTooLong: 1])
        #expect(file.formatRejections.first?.line == 3)
        #expect(file.lines == [2, 4])
    }

    @Test func nulBytesAndInvalidTextRejectTheirRowNamingTheColumn() throws {
        // A NUL in the first kilobyte marks a binary file; further on it costs only its row.
        var bytes = Array("nom;email\nZoé;zoe@example.fr\n".utf8)
        bytes += (0..<100).flatMap { Array("Nom\($0);user\($0)@example.fr\n".utf8) }
        bytes += Array("Mar".utf8) + [0x00] + Array("tin;jean@example.fr\n".utf8)
        bytes += Array("Durand;".utf8) + [0x70, 0xFF, 0x61] + Array("ul@example.fr\n".utf8)
        bytes += Array("Leroy;leo@example.fr\n".utf8)
        let file = try TestSupport.read(bytes)
        #expect(file.formatRejectionCounts == [.rowNulByte: 1, .rowInvalidEncoding: 1])
        #expect(file.formatRejections.map(\.line) == [103, 104])
        #expect(file.formatRejections.map(\.column) == [1, 2])
        #expect(file.formatRejections.map(\.field) == ["nom", "email"])
        #expect(file.acceptedRows == 102)
    }

    @Test func wholeFileProblemsAreErrors() {
        func failure(_ text: String) -> ContactFileError? {
            do {
                _ = try TestSupport.read(text)
                return nil
            } catch {
                return error.error
            }
        }
        #expect(failure("") == .empty)
        #expect(failure("\n\n") == .empty)
        #expect(failure("email;telephone\r\n") == .headerOnly(columns: 2))
        #expect(failure("email;telephone\r\n\r\n\r\n") == .headerOnly(columns: 2))
        #expect(failure("nom;ville\nMartin;Paris\n") == .noContactColumn(headers: ["nom", "ville"]))
        #expect(failure("\"nom;email\nMartin;jean@example.fr\n") != nil)
    }

    @Test func rowsWithoutAnyValidEmailOrPhoneAreRejected() throws {
        // A row of empty cells (";", what Excel leaves under a range) is not a row at all.
        let file = try TestSupport.read("email;telephone\nnot-an-email;12\n;\njean@example.fr;\n")
        #expect(file.formatRejectionCounts == [.rowNoContact: 1, .emailMissingAt: 1, .phoneTooShort: 1])
        #expect(file.acceptedRows == 1)
        #expect(file.records == 2)
    }

    /// The header is looked for again only when an LF arrives: a header longer than the sniffing window, with a quoted
    /// line break and too many columns or none at the end, reads the same a byte at a time as in one piece.
    @Test(arguments: [
        "\"E-mail\nperso\";" + (1...150).map { "colonne \($0)" }.joined(separator: ";") + "\njean@example.fr" + String(repeating: ";x", count: 150)
            + "\n",
        (1...5000).map { "c\($0)" }.joined(separator: ";") + "\n",
        "email;" + String(repeating: "n", count: 700),
        "\"email\n" + String(repeating: "n", count: 700),
    ])
    func aLongHeaderReadsTheSameInTinyReads(text: String) {
        let limits = ReaderLimits(maxRecordBytes: 3000, blockBytes: 2048, sniffBytes: 100)
        let whole = Result { try TestSupport.read(Array(text.utf8), chunkSize: 1 << 20, limits: limits) }
        for chunkSize in [1, 2, 7] {
            let small = Result { try TestSupport.read(Array(text.utf8), chunkSize: chunkSize, limits: limits) }
            switch (whole, small) {
            case (.success(let whole), .success(let small)):
                #expect(small.lines == whole.lines && small.records == whole.records, "reads of \(chunkSize)")
            case (.failure(let whole), .failure(let small)):
                #expect(String(describing: small) == String(describing: whole), "reads of \(chunkSize)")
            default:
                Issue.record("reads of \(chunkSize): \(small), in one piece: \(whole)")
            }
        }
    }

    /// ... and is found as soon as its LF has arrived (and the byte after it, which tells a record end from the end of
    /// what has been read), not at the next line end or the end of the file.
    @Test func aLongHeaderIsKnownAsSoonAsItsLineEndArrives() throws {
        let header = "email;" + (1...300).map { "colonne \($0)" }.joined(separator: ";")
        let bytes = Array((header + "\njean@example.fr" + String(repeating: ";x", count: 300) + "\n").utf8)
        var reader = ContactFileReader(limits: ReaderLimits(maxRecordBytes: 6000, blockBytes: 2048, sniffBytes: 100))
        var knownAt: Int?
        for index in bytes.indices where knownAt == nil {
            _ = try bytes[index...index].withUnsafeBytes { try reader.consume($0) }
            if reader.layout != nil { knownAt = index }
        }
        #expect(knownAt == header.utf8.count + 1)
        #expect(reader.layout?.headers.count == 301)
    }

    @Test func chunkingNeverChangesWhatIsRead() async {
        let rows = (0..<60).map { index in
            index % 7 == 0
                ? "\"Nom \(index)\n suite\";user\(index)@example.fr;06 12 34 \(10 + index) 78"
                : "Nom \(index);user\(index)@example.fr;0612\(100_000 + index)"
        }
        let text = "nom;email;telephone\r\n" + rows.joined(separator: "\r\n") + "\r\n"
        let reference = try? TestSupport.read(text)
        await propertyCheck(input: Gen.int(in: 1...97), Gen.int(in: 0...1)) { chunkSize, small in
            let limits = small == 1 ? ReaderLimits(maxRecordBytes: 512, blockBytes: 256, sniffBytes: 64) : ReaderLimits()
            guard let file = try? TestSupport.read(Array(text.utf8), chunkSize: chunkSize, limits: limits) else {
                Issue.record("reading failed with chunks of \(chunkSize)")
                return
            }
            #expect(file.lines == reference?.lines)
            #expect(file.records == reference?.records)
            #expect(file.keys.map(\.count) == reference?.keys.map(\.count))
        }
    }
}
