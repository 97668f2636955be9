/// Record ids: a kind prefix such as `org_` then 16 random lowercase base32 characters (80 bits from the system CSPRNG).
package enum RecordID {
    /// RFC 4648 base32 alphabet in lowercase, so ids read unambiguously in URLs and logs.
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)
    /// Random characters after the prefix.
    static let randomCharacterCount = 16

    /// Prefix of organisation ids.
    package static let organisation = "org_"
    /// Prefix of user ids.
    package static let user = "usr_"
    /// Prefix of token ids.
    package static let token = "tok_"
    /// Prefix of blob ids.
    package static let blob = "blb_"
    /// Prefix of file ids.
    package static let file = "fil_"
    /// Prefix of broker key ids.
    package static let brokerKey = "bkk_"
    /// Prefix of deal ids.
    package static let deal = "del_"
    /// Prefix of delivery ids.
    package static let delivery = "dlv_"
    /// Prefix of erasure request ids.
    package static let erasure = "era_"
    /// Prefix of key change ids.
    package static let keyChange = "kch_"
    /// Prefix of enrolment code ids.
    package static let enrolmentCode = "enr_"
    /// Prefix of console session ids.
    package static let consoleSession = "ses_"
    /// Prefix of erasure notice ids.
    package static let notice = "ntc_"
    /// Prefix of billing mandate ids, the references invoices print.
    package static let mandate = "mdt_"
    /// Prefix of recorded settlement payment ids.
    package static let payment = "pay_"

    /// A new id with `prefix`.
    package static func make(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        // 80 random bits, 5 per character; the unique primary key turns an (astronomically unlikely) collision into an error.
        let characters = (0..<randomCharacterCount).map { _ in alphabet[Int(generator.next(upperBound: UInt8(alphabet.count)))] }
        return prefix + String(decoding: characters, as: UTF8.self)
    }

    /// Whether `id` has the shape of an id with `prefix`, so it can safely become a file name.
    package static func isValid(_ id: String, prefix: String) -> Bool {
        let bytes = Array(id.utf8)
        let prefixBytes = Array(prefix.utf8)
        guard bytes.count == prefixBytes.count + randomCharacterCount, bytes.starts(with: prefixBytes) else { return false }
        return bytes[prefixBytes.count...].allSatisfy { alphabet.contains($0) }
    }

    /// The SQLite GLOB pattern matching ids with `prefix`, for CHECK constraints.
    static func globPattern(_ prefix: String) -> String {
        prefix + String(repeating: "[a-z2-7]", count: randomCharacterCount)
    }
}
