/// A bank account to pay into: its IBAN and its bank's BIC, both checked.
public struct BankAccount: Hashable, Sendable, Codable {
    /// The account.
    public var iban: IBAN
    /// Its bank.
    public var bic: BIC

    /// An account from its checked parts.
    public init(iban: IBAN, bic: BIC) {
        self.iban = iban
        self.bic = bic
    }

    /// Checks `iban` and `bic` as typed; each problem names its field.
    public init(iban: String, bic: String) throws(BankAccountProblems) {
        var problems: [BankAccountProblems.Problem] = []
        var checkedIBAN: IBAN?
        var checkedBIC: BIC?
        do { checkedIBAN = try IBAN(iban) } catch { problems.append(.init(field: "iban", error: error)) }
        do { checkedBIC = try BIC(bic) } catch { problems.append(.init(field: "bic", error: error)) }
        if let checkedIBAN, let checkedBIC, let problem = BankAccount.mismatch(checkedIBAN, checkedBIC) {
            problems.append(.init(field: "bic", error: problem))
        }
        guard problems.isEmpty, let checkedIBAN, let checkedBIC else { throw BankAccountProblems(problems: problems) }
        self.iban = checkedIBAN
        self.bic = checkedBIC
    }

    /// `FR76 …0189`: the account as the audit trail records it, enough to tell two accounts apart without spelling it out.
    public var masked: String {
        let text = iban.text
        return String(text.prefix(4)) + " …" + String(text.suffix(4))
    }

    /// A BIC whose country is not the IBAN's: SEPA banks' BICs carry the country of the account, except for a few
    /// territories that share a neighbour's banking system (Monaco with France, for one).
    private static func mismatch(_ iban: IBAN, _ bic: BIC) -> BankAccountError? {
        let ibanCountry = String(iban.text.prefix(2))
        let bicCountry = String(bic.text.dropFirst(4).prefix(2))
        let sharedSystems: Set<String> = ["FR/MC", "MC/FR", "FR/GP", "FR/MQ", "FR/GF", "FR/RE", "FR/YT", "FR/PM", "FR/BL", "FR/MF"]
        guard ibanCountry != bicCountry, !sharedSystems.contains(ibanCountry + "/" + bicCountry) else { return nil }
        return .bicCountryMismatch(bic.text, bicCountry: bicCountry, ibanCountry: ibanCountry)
    }
}

/// The problems of a bank account as typed, by field.
public struct BankAccountProblems: Error, Hashable, Sendable, CustomStringConvertible {
    /// One problem: `iban` or `bic`, and what is wrong with it.
    public struct Problem: Hashable, Sendable {
        /// `iban` or `bic`.
        public let field: String
        /// What is wrong.
        public let error: BankAccountError
    }

    /// The problems, IBAN first.
    public let problems: [Problem]

    public var description: String { problems.map { "\($0.field): \($0.error)" }.joined(separator: "; ") }
}

/// An International Bank Account Number, normalised (no spaces, upper case) and checked (ISO 13616 mod 97).
public struct IBAN: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The normalised number, `FR7630006000011234567890189`.
    public let text: String

    /// The lengths of the IBANs of the SEPA countries (ISO 13616 registry); others are checked by mod 97 only.
    static let sepaLengths: [String: Int] = [
        "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24,
        "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21,
        "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24,
        "SI": 19, "SK": 24, "SM": 27, "VA": 22,
    ]

    /// Normalises `raw` (drops spaces and dashes, upper-cases) and checks its shape, length and mod-97 key.
    public init(_ raw: String) throws(BankAccountError) {
        let text = String(raw.filter { $0 != " " && $0 != "-" && $0 != "\u{00A0}" }.uppercased())
        let bytes = Array(text.utf8)
        guard (15...34).contains(bytes.count), bytes[0..<2].allSatisfy(\.isASCIIUppercase),
            bytes[2..<4].allSatisfy(\.isASCIIDigit),
            bytes[4...].allSatisfy({ $0.isASCIIDigit || $0.isASCIIUppercase })
        else { throw .ibanWrongFormat(text) }
        let country = String(text.prefix(2))
        if let expected = IBAN.sepaLengths[country], expected != bytes.count {
            throw .ibanWrongLength(text, country: country, expected: expected)
        }
        var remainder = 0
        for byte in bytes[4...] + bytes[0..<4] {
            let value = byte.isASCIIDigit ? Int(byte - UInt8(ascii: "0")) : Int(byte - UInt8(ascii: "A")) + 10
            remainder = (remainder * (value < 10 ? 10 : 100) + value) % 97
        }
        guard remainder == 1 else { throw .ibanWrongChecksum(text) }
        self.text = text
    }

    /// The number in groups of four, `FR76 3000 6000 0112 3456 7890 189`, as printed on invoices.
    public var grouped: String {
        var result = ""
        for (index, character) in text.enumerated() {
            if index > 0, index % 4 == 0 { result += " " }
            result.append(character)
        }
        return result
    }

    public var description: String { text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            self = try IBAN(try container.decode(String.self))
        } catch let error as BankAccountError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

/// A Business Identifier Code (ISO 9362): 4-letter institution, 2-letter country, 2-character location,
/// optional 3-character branch.
public struct BIC: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The normalised code, `BNPAFRPPXXX`.
    public let text: String

    /// Normalises `raw` (drops spaces, upper-cases) and checks its shape.
    public init(_ raw: String) throws(BankAccountError) {
        let text = String(raw.filter { $0 != " " }.uppercased())
        let bytes = Array(text.utf8)
        guard bytes.count == 8 || bytes.count == 11, bytes[0..<6].allSatisfy(\.isASCIIUppercase),
            bytes[6...].allSatisfy({ $0.isASCIIUppercase || $0.isASCIIDigit })
        else { throw .bicWrongFormat(text) }
        self.text = text
    }

    public var description: String { text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            self = try BIC(try container.decode(String.self))
        } catch let error as BankAccountError {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

/// Why an IBAN or a BIC was refused.
public enum BankAccountError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not 2 letters, 2 digits and 11 to 30 letters or digits.
    case ibanWrongFormat(String)
    /// The length does not match the country's.
    case ibanWrongLength(String, country: String, expected: Int)
    /// The mod-97 check fails.
    case ibanWrongChecksum(String)
    /// Not 8 or 11 characters of the form AAAA CC LL [BBB].
    case bicWrongFormat(String)
    /// The BIC's bank is in another country than the IBAN's account.
    case bicCountryMismatch(String, bicCountry: String, ibanCountry: String)

    public var description: String {
        switch self {
        case .ibanWrongFormat(let text):
            "\"\(text)\" is not an IBAN: expected a 2-letter country code, 2 check digits and 11 to 30 letters or digits"
        case .ibanWrongLength(let text, let country, let expected):
            "\"\(text)\" is not a valid IBAN: an IBAN of \(country) has \(expected) characters, this one has \(text.utf8.count)"
        case .ibanWrongChecksum(let text):
            "\"\(text)\" is not a valid IBAN: its check digits do not match (mod 97); look for a typing error"
        case .bicWrongFormat(let text):
            "\"\(text)\" is not a BIC: expected 8 or 11 characters, 4 letters for the bank, 2 for the country, "
                + "2 letters or digits for the location and optionally 3 for the branch (e.g. BNPAFRPPXXX)"
        case .bicCountryMismatch(let text, let bicCountry, let ibanCountry):
            "\"\(text)\" is the BIC of a bank in \(bicCountry), but the IBAN is of an account in \(ibanCountry); give the BIC of the bank "
                + "that holds the account (it is printed on the firm's RIB)"
        }
    }
}
