/// The files Troc hands over (`to-a.csv`, `to-b.csv`, released deliveries): UTF-8 without BOM,
/// `;`-separated, CRLF, one canonical header, email as originally given, phone in E.164, SIRET
/// digits, NAF `NN.NNX`, dates `yyyy-mm-dd`, consent `oui`/`non`/date, type `B2B`/`B2C`.
public enum CanonicalContactWriter {
    /// The canonical columns, in order.
    public static let fields = ContactField.allCases

    /// The header line, without line end.
    public static var header: String { fields.map(\.canonicalHeader).joined(separator: ";") }

    /// Re-reads a contact file and writes the `selection` rows (any order) in canonical form to `sink`,
    /// in chunks; returns the number of rows written.
    public static func write(
        from source: any ContactByteSource, mappings: [ColumnMapping], selection: [DeliveredContact], limits: ReaderLimits = ReaderLimits(),
        to sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int {
        let wanted = Dictionary(selection.map { ($0.line, $0) }, uniquingKeysWith: { first, _ in first })
        var output: [UInt8] = Array((header + "\r\n").utf8)
        var written = 0
        var reader = ContactFileReader(mappings: mappings, limits: limits)
        try reader.readAll(from: source) { layout, blocks in
            for block in blocks {
                written += appendRows(of: block, layout: layout, wanted: wanted, to: &output)
                if output.count >= 1 << 20 {
                    try output.withUnsafeBytes(sink)
                    output.removeAll(keepingCapacity: true)
                }
            }
        }
        try output.withUnsafeBytes(sink)
        return written
    }

    private static func appendRows(of block: RecordBlock, layout: ContactFileLayout, wanted: [UInt32: DeliveredContact], to output: inout [UInt8])
        -> Int
    {
        let scanner = CSVRecordScanner(delimiter: layout.delimiter)
        var fields = FieldSpans()
        var scratch = ByteScratch(capacity: block.bytes.count + 1)
        var written = 0
        block.bytes.withUnsafeBufferPointer { bytes in
            var position = 0
            var line = block.firstLine
            while position < bytes.count {
                let scan = scanner.scan(bytes, from: position, into: &fields)
                let rowLine = UInt32(line)
                line += scan.lineBreaks
                position = scan.next
                guard let contact = wanted[rowLine], fields.isComplete else { continue }
                var values: [ContactField: String] = [:]
                for (index, field) in layout.fields.enumerated() {
                    guard let field, index < fields.count else { continue }
                    values[field] = String(decoding: CSVRecordScanner.value(of: fields[index], in: bytes, scratch: &scratch), as: UTF8.self)
                }
                let row = canonicalRow(values, channels: contact)
                output.append(contentsOf: row.map(quoted).joined(separator: ";").utf8)
                output.append(contentsOf: [0x0D, 0x0A])
                written += 1
            }
        }
        return written
    }

    /// The canonical cells of one row from its raw values by field.
    static func canonicalRow(_ raw: [ContactField: String], channels: DeliveredContact) -> [String] {
        func text(_ field: ContactField) -> String { (raw[field] ?? "").trimmingSpaces }
        var phones: [String] = []
        for field in [ContactField.phone, .secondPhone] {
            if case .success(let phone) = PhoneNormaliser.normalise(text(field)) { phones.append(phone.e164) }
        }
        let email: NormalisedEmail? = if case .success(let email) = EmailNormaliser.normalise(text(.email)) { email } else { nil }
        let company: CompanyIdentifier? = try? CompanyIdentifier.parse(text(.siret)).get()
        let segment =
            ValueParsers.segment(text(.segment))
            ?? Segment.derive(
                hasCompany: !text(.company).isEmpty, hasCompanyIdentifier: company != nil, validEmail: email != nil,
                consumerDomain: email.map { Webmail.domains.contains($0.domain) } ?? false)
        return fields.map { field in
            switch field {
            case .email: return channels.email ? (email?.delivered ?? "") : ""
            case .phone: return channels.phone ? (phones.first ?? "") : ""
            case .secondPhone: return channels.phone && phones.count > 1 ? phones[1] : ""
            case .siret: return company?.description ?? ""
            case .naf: return (try? NAFCode.normalise(text(.naf)).get()) ?? ""
            case .collectedOn, .lastContactOn: return ValueParsers.date(text(field))?.iso8601 ?? ""
            case .consent:
                switch ValueParsers.consent(text(.consent)) {
                case .given(let date): return date?.iso8601 ?? "oui"
                case .refused: return "non"
                case .unknown, nil: return ""
                }
            case .segment: return segment == .b2b ? "B2B" : "B2C"
            default: return text(field)
            }
        }
    }

    /// A cell quoted when it holds the separator, a quote or a line break (RFC 4180).
    static func quoted(_ cell: String) -> String {
        // By bytes, not `Character`s: CR LF is one `Character`, and so is a quote followed by a combining mark.
        let special = cell.utf8.contains {
            $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r")
        }
        guard special else { return cell }
        var escaped: [UInt8] = [UInt8(ascii: "\"")]
        for byte in cell.utf8 {
            escaped.append(byte)
            if byte == UInt8(ascii: "\"") { escaped.append(byte) }
        }
        escaped.append(UInt8(ascii: "\""))
        return String(decoding: escaped, as: UTF8.self)
    }
}

extension Segment {
    /// DOMAIN.md: a business contact has a company, a SIREN/SIRET or a professional (non-webmail) address.
    static func derive(hasCompany: Bool, hasCompanyIdentifier: Bool, validEmail: Bool, consumerDomain: Bool) -> Segment {
        hasCompany || hasCompanyIdentifier || validEmail && !consumerDomain ? .b2b : .b2c
    }
}
