/// A `--map column=field` override: a column named by its header text or its 1-based position.
public struct ColumnMapping: Hashable, Sendable {
    /// The column as the user named it.
    public var column: String
    /// The field it holds, or nil to ignore the column.
    public var field: ContactField?

    /// Parses `column=field` (`field` may be `ignore`), or says what is wrong with it.
    public init(parsing text: String) throws(ContactFileError) {
        guard let equals = text.lastIndex(of: "=") else {
            throw .badMapping("--map \(text): expected COLUMN=FIELD, for example --map \"Mail pro=email\"")
        }
        let column = String(text[..<equals]).trimmingSpaces
        let name = String(text[text.index(after: equals)...]).trimmingSpaces
        guard !column.isEmpty else { throw .badMapping("--map \(text): the column name is empty") }
        if name.lowercased() == "ignore" {
            self.init(column: column, field: nil)
            return
        }
        guard let field = ContactField.named(name) else {
            let known = ContactField.allCases.map(\.rawValue).joined(separator: ", ")
            throw .badMapping("--map \(text): unknown field \"\(name)\"; fields are \(known), or ignore")
        }
        self.init(column: column, field: field)
    }

    /// A mapping of `column` to `field`.
    public init(column: String, field: ContactField?) {
        self.column = column
        self.field = field
    }
}

/// What the reader learnt from a file's first bytes and header: how to read every following row.
public struct ContactFileLayout: Sendable, Codable, Hashable {
    /// The encoding the bytes were decoded from.
    public var encoding: TextEncoding
    /// The field separator.
    public var delimiter: UInt8
    /// The header cells as written.
    public var headers: [String]
    /// The field each column holds (nil: not used).
    public var fields: [ContactField?]

    /// The column index holding `field`, if any.
    public func column(of field: ContactField) -> Int? {
        fields.firstIndex(of: field)
    }

    /// The columns nobody recognised, by header text.
    public var ignoredHeaders: [String] {
        zip(headers, fields).compactMap { $0.1 == nil && !$0.0.isEmpty ? $0.0 : nil }
    }

    /// The delimiter as a printable name.
    public var delimiterName: String {
        switch delimiter {
        case UInt8(ascii: ";"): ";"
        case UInt8(ascii: ","): ","
        case UInt8(ascii: "\t"): "TAB"
        case UInt8(ascii: "|"): "|"
        default: String(UnicodeScalar(delimiter))
        }
    }

    /// Builds the column-to-field map from the header cells and the user's overrides.
    init(encoding: TextEncoding, delimiter: UInt8, headers: [String], overrides: [ColumnMapping]) throws(ContactFileError) {
        var fields: [ContactField?] = headers.map(ContactField.recognise)
        // A second phone column (fixe + portable) is the second phone, not a clash.
        var seen: Set<ContactField> = []
        for index in fields.indices {
            guard let field = fields[index] else { continue }
            if seen.contains(field) {
                fields[index] = field == .phone && !seen.contains(.secondPhone) ? .secondPhone : nil
            }
            if let kept = fields[index] { seen.insert(kept) }
        }
        for mapping in overrides {
            let index: Int
            if let position = Int(mapping.column), (1...headers.count).contains(position) {
                index = position - 1
            } else if let found = headers.firstIndex(where: { $0 == mapping.column })
                ?? headers.firstIndex(where: { ContactField.fold($0) == ContactField.fold(mapping.column) })
            {
                index = found
            } else {
                throw .badMapping(
                    "--map \(mapping.column)=\(mapping.field?.rawValue ?? "ignore"): no column \"\(mapping.column)\" in the header ("
                        + headers.map { "\"\($0)\"" }.joined(separator: ", ") + ")")
            }
            if let field = mapping.field {
                for other in fields.indices where fields[other] == field { fields[other] = nil }
            }
            fields[index] = mapping.field
        }
        guard fields.contains(.email) || fields.contains(.phone) || fields.contains(.secondPhone) else {
            throw .noContactColumn(headers: headers)
        }
        if !fields.contains(.phone), let second = fields.firstIndex(of: .secondPhone) { fields[second] = .phone }
        self.encoding = encoding
        self.delimiter = delimiter
        self.headers = headers
        self.fields = fields
    }
}
