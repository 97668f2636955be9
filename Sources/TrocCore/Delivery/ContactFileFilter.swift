/// One person, as an erasure request names them: any of their canonical values.
public struct ErasedPerson: Sendable, Hashable {
    /// Email match keys (`EmailNormaliser`'s form).
    public var emails: Set<String>
    /// E.164 numbers.
    public var phones: Set<String>
    /// 14-digit SIRETs.
    public var sirets: Set<String>

    /// A person from the raw values an operator typed; each is normalised, the invalid ones reported.
    public init(emails: [String] = [], phones: [String] = [], sirets: [String] = []) throws(ErasureRequestError) {
        var normalisedEmails: Set<String> = []
        for email in emails {
            guard case .success(let value)? = EmailNormaliser.normalise(email) else { throw .invalidValue("email", email) }
            normalisedEmails.insert(value.matchKey)
        }
        var normalisedPhones: Set<String> = []
        for phone in phones {
            guard case .success(let value)? = PhoneNormaliser.normalise(phone) else { throw .invalidValue("phone", phone) }
            normalisedPhones.insert(value.e164)
        }
        var normalisedSIRETs: Set<String> = []
        for siret in sirets {
            guard case .success(.siret(let value)) = CompanyIdentifier.parse(siret) else { throw .invalidValue("siret", siret) }
            normalisedSIRETs.insert(value)
        }
        guard !(normalisedEmails.isEmpty && normalisedPhones.isEmpty && normalisedSIRETs.isEmpty) else { throw .nothingToErase }
        self.emails = normalisedEmails
        self.phones = normalisedPhones
        self.sirets = normalisedSIRETs
    }

    /// The suppression entries that keep the person out of future matches.
    public var canonicalValues: [(MatchKeyKind, String)] {
        emails.sorted().map { (.email, $0) } + phones.sorted().map { (.phone, $0) } + sirets.sorted().map { (.siret, $0) }
    }
}

/// Why an erasure request cannot be carried out.
public enum ErasureRequestError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidValue(String, String)
    case nothingToErase

    public var description: String {
        switch self {
        case .invalidValue(let field, _): "the \(field) given is not a valid \(field); the request names a person by email, phone or SIRET"
        case .nothingToErase: "name the person by at least one email, phone or SIRET"
        }
    }
}

/// Rewrites a contact file without one person's rows (DOMAIN.md: an erasure request removes a person
/// from every stored file not yet released). Kept rows are copied as decoded, so the result is UTF-8
/// with the file's own separator.
public enum ContactFileFilter {
    /// Reads `source`, writes its header and every record not about `person` to `sink`; returns the records removed.
    public static func remove(
        _ person: ErasedPerson, from source: any ContactByteSource, mappings: [ColumnMapping] = [], limits: ReaderLimits = ReaderLimits(),
        to sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int {
        var reader = ContactFileReader(mappings: mappings, limits: limits)
        var output: [UInt8] = []
        var removed = 0
        var headerWritten = false
        try reader.readAll(from: source) { layout, blocks in
            if !headerWritten {
                let delimiter = String(UnicodeScalar(layout.delimiter))
                output.append(contentsOf: (layout.headers.map(CanonicalContactWriter.quoted).joined(separator: delimiter) + "\r\n").utf8)
                headerWritten = true
            }
            for block in blocks { removed += keepRecords(of: block, layout: layout, without: person, into: &output) }
            if output.count >= 1 << 20 {
                try output.withUnsafeBytes(sink)
                output.removeAll(keepingCapacity: true)
            }
        }
        try output.withUnsafeBytes(sink)
        return removed
    }

    private static func keepRecords(of block: RecordBlock, layout: ContactFileLayout, without person: ErasedPerson, into output: inout [UInt8]) -> Int
    {
        let scanner = CSVRecordScanner(delimiter: layout.delimiter)
        var fields = FieldSpans()
        var scratch = ByteScratch(capacity: block.bytes.count + 1)
        var removed = 0
        block.bytes.withUnsafeBufferPointer { bytes in
            var position = 0
            while position < bytes.count {
                let start = position
                let scan = scanner.scan(bytes, from: position, into: &fields)
                position = scan.next
                var concerns = false
                for (index, field) in layout.fields.enumerated() where index < min(fields.count, fields.capacity) {
                    let value = String(decoding: CSVRecordScanner.value(of: fields[index], in: bytes, scratch: &scratch), as: UTF8.self)
                    switch field {
                    case .email?:
                        concerns = concerns || (try? EmailNormaliser.normalise(value)?.get()).map { person.emails.contains($0.matchKey) } == true
                    case .phone?, .secondPhone?:
                        concerns = concerns || (try? PhoneNormaliser.normalise(value)?.get()).map { person.phones.contains($0.e164) } == true
                    case .siret?:
                        if case .success(.siret(let siret)) = CompanyIdentifier.parse(value) { concerns = concerns || person.sirets.contains(siret) }
                    default: break
                    }
                }
                if concerns {
                    removed += 1
                } else {
                    output.append(contentsOf: bytes[start..<position])
                }
            }
        }
        return removed
    }
}
