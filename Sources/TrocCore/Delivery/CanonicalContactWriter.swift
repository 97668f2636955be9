/// The files Troc hands over (`to-a.csv`, `to-b.csv`, released deliveries): UTF-8 without BOM,
/// `;`-separated, CRLF, the `DeliveryColumn` header, email as originally given, phones in E.164,
/// SIRET digits, NAF `NN.NNX`, dates `yyyy-mm-dd`, type `B2B`/`B2C`, and the provenance of each row.
///
/// A channel the engine did not pass is left empty, and so are its consent cells; a consent is
/// written only when the supplier recorded it and the engine accepted it, never assumed. Every cell
/// a spreadsheet would run as a formula is neutralised.
public enum CanonicalContactWriter {
    /// The header line, without line end.
    public static var header: String { DeliveryColumn.allCases.map(\.rawValue).joined(separator: ";") }

    /// Re-reads a contact file and writes the `selection` rows (any order) in canonical form to `sink`,
    /// in chunks; returns the number of rows written. `asOf` is the match's reference date: a date
    /// after it was ignored by the engine and is not written.
    public static func write(
        from source: any ContactByteSource, mappings: [ColumnMapping], selection: [DeliveredContact], provenance: DeliveryProvenance,
        asOf: CivilDate, limits: ReaderLimits = ReaderLimits(), to sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int {
        let wanted = Dictionary(selection.map { ($0.line, $0) }, uniquingKeysWith: { first, _ in first })
        var output: [UInt8] = Array((header + "\r\n").utf8)
        var written = 0
        var reader = ContactFileReader(mappings: mappings, limits: limits)
        try reader.readAll(from: source) { layout, blocks in
            for block in blocks {
                written += appendRows(of: block, layout: layout, wanted: wanted, provenance: provenance, asOf: asOf, to: &output)
                if output.count >= 1 << 20 {
                    try output.withUnsafeBytes(sink)
                    output.removeAll(keepingCapacity: true)
                }
            }
        }
        try output.withUnsafeBytes(sink)
        return written
    }

    private static func appendRows(
        of block: RecordBlock, layout: ContactFileLayout, wanted: [UInt32: DeliveredContact], provenance: DeliveryProvenance, asOf: CivilDate,
        to output: inout [UInt8]
    ) -> Int {
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
                let row = canonicalRow(values, contact: contact, provenance: provenance, asOf: asOf)
                output.append(contentsOf: row.map { quoted(SpreadsheetCell.neutralised($0)) }.joined(separator: ";").utf8)
                output.append(contentsOf: [0x0D, 0x0A])
                written += 1
            }
        }
        return written
    }

    /// The canonical cells of one row from its raw values by field, before neutralisation and quoting.
    static func canonicalRow(_ raw: [ContactField: String], contact: DeliveredContact, provenance: DeliveryProvenance, asOf: CivilDate)
        -> [String]
    {
        func text(_ field: ContactField) -> String { (raw[field] ?? "").trimmingSpaces }
        func date(_ field: ContactField) -> CivilDate? { ValueParsers.date(text(field)).flatMap { $0 <= asOf ? $0 : nil } }
        var phones: [NormalisedPhone] = []
        for field in [ContactField.phone, .secondPhone] {
            if case .success(let phone) = PhoneNormaliser.normalise(text(field)) { phones.append(phone) }
        }
        // A number passed for SMS alone is a mobile one.
        let numbers = contact.phone ? phones.map(\.e164) : contact.sms ? phones.filter { $0.phoneClass == .mobile }.map(\.e164) : []
        let email: NormalisedEmail? = if case .success(let email) = EmailNormaliser.normalise(text(.email)) { email } else { nil }
        let company: CompanyIdentifier? = try? CompanyIdentifier.parse(text(.siret)).get()
        var inbound = date(.lastInboundOn)
        if let lastContact = date(.lastContactOn), ValueParsers.direction(text(.lastContactDirection)) == .inbound {
            inbound = max(inbound ?? lastContact, lastContact)
        }
        let consents = contact.consents
        func consent(_ kind: RecordedConsents) -> String { consents.contains(kind) ? "oui" : "" }
        func consentDate(_ kind: RecordedConsents, own: ContactField, fallback: ContactField?, channelDate: ContactField) -> String {
            guard consents.contains(kind) else { return "" }
            return self.consentDate(raw, own: own, fallback: fallback, channelDate: channelDate)?.iso8601 ?? ""
        }
        let channels = [(contact.email, "email"), (contact.phone, "telephone"), (contact.sms, "sms")].filter(\.0).map(\.1)
        return DeliveryColumn.allCases.map { column in
            switch column {
            case .civility: text(.civility)
            case .lastName: text(.lastName)
            case .firstName: text(.firstName)
            case .fullName: text(.fullName)
            case .email: contact.email ? (email?.delivered ?? "") : ""
            case .phone: numbers.first ?? ""
            case .secondPhone: numbers.count > 1 ? numbers[1] : ""
            case .address: text(.address)
            case .postalCode: text(.postalCode)
            case .city: text(.city)
            case .country: text(.country)
            case .company: text(.company)
            case .siret: company?.description ?? ""
            case .naf: (try? NAFCode.normalise(text(.naf)).get()) ?? ""
            case .segment: contact.business ? "B2B" : "B2C"
            case .channels: channels.joined(separator: ",")
            case .consentEmail: consent(.email)
            case .consentEmailOn: consentDate(.email, own: .consentEmail, fallback: .consent, channelDate: .consentEmailOn)
            case .consentPhone: consent(.phone)
            case .consentPhoneOn: consentDate(.phone, own: .consentPhone, fallback: nil, channelDate: .consentPhoneOn)
            case .consentSMS: consent(.sms)
            case .consentSMSOn: consentDate(.sms, own: .consentSMS, fallback: nil, channelDate: .consentSMSOn)
            case .partnerConsent: consent(.partners)
            case .consentProof: consents.isEmpty ? "" : text(.consentProof)
            case .source: text(.source)
            case .collectedOn: date(.collectedOn)?.iso8601 ?? ""
            case .lastInboundOn: inbound?.iso8601 ?? ""
            case .supplier: provenance.supplierName
            case .supplierSIREN: provenance.supplierSIREN
            case .deal: provenance.dealID
            }
        }
    }

    /// The date of a channel's consent, read in the engine's order (`ChannelState`): the date in the
    /// channel's own cell when that cell records a consent (else in the fallback, the generic column
    /// for email), then the channel's date column, then the common consent date.
    private static func consentDate(_ raw: [ContactField: String], own: ContactField, fallback: ContactField?, channelDate: ContactField)
        -> CivilDate?
    {
        func text(_ field: ContactField) -> String { (raw[field] ?? "").trimmingSpaces }
        var cell = ValueParsers.consent(text(own)) ?? .unknown
        if case .unknown = cell, let fallback { cell = ValueParsers.consent(text(fallback)) ?? .unknown }
        if case .given(let date?) = cell { return date }
        return ValueParsers.date(text(channelDate)) ?? ValueParsers.date(text(.consentDate))
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
