/// An email, phone or SIRET in the canonical form match keys are computed from: the email's match key, the E.164
/// number, the 14-digit SIRET.
public struct PersonValue: Hashable, Sendable, Comparable {
    /// Which kind of value.
    public var kind: MatchKeyKind
    /// The canonical text.
    public var canonical: String

    /// A value of `kind`.
    public init(kind: MatchKeyKind, canonical: String) {
        self.kind = kind
        self.canonical = canonical
    }

    public static func < (lhs: PersonValue, rhs: PersonValue) -> Bool {
        (lhs.kind.rawValue, lhs.canonical) < (rhs.kind.rawValue, rhs.canonical)
    }
}

/// One person, as an erasure request names them: any of their canonical values.
public struct ErasedPerson: Sendable, Hashable {
    /// Email match keys (`EmailNormaliser`'s form).
    public var emails: Set<String>
    /// E.164 numbers.
    public var phones: Set<String>
    /// 14-digit SIRETs.
    public var sirets: Set<String>
    /// Each email match key's address as the request gave it, lowercased: what a firm searches its files for.
    private var givenEmails: [String: String]

    /// A person from the raw values an operator typed; each is normalised, the invalid ones reported.
    public init(emails: [String] = [], phones: [String] = [], sirets: [String] = []) throws(ErasureRequestError) {
        var normalisedEmails: Set<String> = []
        var givenEmails: [String: String] = [:]
        for email in emails {
            guard case .success(let value)? = EmailNormaliser.normalise(email) else { throw .invalidValue("email", email) }
            normalisedEmails.insert(value.matchKey)
            givenEmails[value.matchKey] = givenEmails[value.matchKey] ?? value.delivered.lowercased()
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
        self.givenEmails = givenEmails
    }

    /// The values that name the person, sorted: the suppression entries that keep them out of future matches.
    public var canonicalValues: [PersonValue] {
        emails.map { PersonValue(kind: .email, canonical: $0) } + phones.map { PersonValue(kind: .phone, canonical: $0) }
            + sirets.map { PersonValue(kind: .siret, canonical: $0) }
    }

    /// Whether `value` is one of the person's.
    public func contains(_ value: PersonValue) -> Bool {
        switch value.kind {
        case .email: emails.contains(value.canonical)
        case .phone: phones.contains(value.canonical)
        case .siret: sirets.contains(value.canonical)
        }
    }

    /// One of the person's values as a firm would search for it: the email as the request gave it (lowercased), the
    /// phone in E.164, the SIRET's 14 digits.
    public func shown(_ value: PersonValue) -> String {
        value.kind == .email ? givenEmails[value.canonical] ?? value.canonical : value.canonical
    }
}

/// What an erasure took out of one file.
public struct ErasureRemoval: Sendable, Equatable {
    /// Records removed.
    public var rows: Int
    /// The person's values those records held.
    public var found: Set<PersonValue>
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

/// Rewrites a contact file without one person's rows (DOMAIN.md: an erasure request removes a person from every file
/// the broker still holds), and lists the values a file holds (what a delivery carried, for erasure notices). Kept
/// rows are copied as decoded, so the result is UTF-8 with the file's own separator: a canonical delivery stays
/// canonical.
public enum ContactFileFilter {
    /// Reads `source`, writes its header and every record not about `person` to `sink`; returns what it removed.
    public static func remove(
        _ person: ErasedPerson, from source: any ContactByteSource, mappings: [ColumnMapping] = [], limits: ReaderLimits = ReaderLimits(),
        to sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> ErasureRemoval {
        var reader = ContactFileReader(mappings: mappings, limits: limits)
        var output: [UInt8] = []
        var removal = ErasureRemoval(rows: 0, found: [])
        var headerWritten = false
        try reader.readAll(from: source) { layout, blocks in
            if !headerWritten {
                let delimiter = String(UnicodeScalar(layout.delimiter))
                output.append(contentsOf: (layout.headers.map(CanonicalContactWriter.quoted).joined(separator: delimiter) + "\r\n").utf8)
                headerWritten = true
            }
            for block in blocks {
                forEachRecord(of: block, layout: layout) { record, values in
                    let found = values.filter(person.contains)
                    if found.isEmpty {
                        output.append(contentsOf: record)
                    } else {
                        removal.rows += 1
                        removal.found.formUnion(found)
                    }
                }
            }
            if output.count >= 1 << 20 {
                try output.withUnsafeBytes(sink)
                output.removeAll(keepingCapacity: true)
            }
        }
        try output.withUnsafeBytes(sink)
        return removal
    }

    /// Calls `body` with the canonical email, phones and SIRET of every record of `source`.
    public static func values(
        in source: any ContactByteSource, mappings: [ColumnMapping] = [], limits: ReaderLimits = ReaderLimits(),
        _ body: (PersonValue) -> Void
    ) throws {
        var reader = ContactFileReader(mappings: mappings, limits: limits)
        try reader.readAll(from: source) { layout, blocks in
            for block in blocks {
                forEachRecord(of: block, layout: layout) { _, values in values.forEach(body) }
            }
        }
    }

    /// Calls `body` with each record's bytes and the values it names.
    private static func forEachRecord(of block: RecordBlock, layout: ContactFileLayout, _ body: (ArraySlice<UInt8>, [PersonValue]) -> Void) {
        let scanner = CSVRecordScanner(delimiter: layout.delimiter)
        var fields = FieldSpans()
        var scratch = ByteScratch(capacity: block.bytes.count + 1)
        block.bytes.withUnsafeBufferPointer { bytes in
            var position = 0
            while position < bytes.count {
                let start = position
                let scan = scanner.scan(bytes, from: position, into: &fields)
                position = scan.next
                var values: [PersonValue] = []
                for (index, field) in layout.fields.enumerated() where index < min(fields.count, fields.capacity) {
                    guard let field, field == .email || field == .phone || field == .secondPhone || field == .siret else { continue }
                    let value = String(decoding: CSVRecordScanner.value(of: fields[index], in: bytes, scratch: &scratch), as: UTF8.self)
                    switch field {
                    case .email:
                        if case .success(let email)? = EmailNormaliser.normalise(value) {
                            values.append(PersonValue(kind: .email, canonical: email.matchKey))
                        }
                    case .siret:
                        if case .success(.siret(let siret)) = CompanyIdentifier.parse(value) {
                            values.append(PersonValue(kind: .siret, canonical: siret))
                        }
                    default:
                        if case .success(let phone)? = PhoneNormaliser.normalise(value) {
                            values.append(PersonValue(kind: .phone, canonical: phone.e164))
                        }
                    }
                }
                body(block.bytes[start..<position], values)
            }
        }
    }
}
