/// A valid email address in its two forms: the address to deliver and the key to match on.
public struct NormalisedEmail: Hashable, Sendable {
    /// The address as given, trimmed (what a recipient receives).
    public var delivered: String
    /// Lowercased; for gmail.com and googlemail.com without dots and `+tag`, on gmail.com.
    public var matchKey: String
    /// The domain, lowercased.
    public var domain: String
}

/// Email syntax checks and the match-key rules of docs/RULES.md "Normalisation".
public enum EmailNormaliser {
    /// The outcome of normalising one value.
    enum Outcome: Equatable {
        case missing
        case valid(domainStart: Int)
        case rejected(RejectionReason)
    }

    /// Validates `raw` and writes the lowercased address to `address`, and the match key to `key`.
    ///
    /// `address` and `key` must have room for `raw.count` bytes.
    static func normalise(_ raw: UnsafeBufferPointer<UInt8>, address: inout ByteScratch, key: inout ByteScratch) -> Outcome {
        address.removeAll()
        key.removeAll()
        var value = ByteText.trimmed(raw)
        if value.count >= 7, ByteText.equalsIgnoringCase(UnsafeBufferPointer(rebasing: value[0..<7]), "mailto:") {
            value = ByteText.trimmed(UnsafeBufferPointer(rebasing: value[7...]))
        }
        guard !value.isEmpty else { return .missing }
        guard value.count <= address.capacity else { return .rejected(.emailDomainLength) }

        var at = -1
        var ats = 0
        var whitespace = false
        var previous: UInt8 = 0
        for byte in value {
            if byte == UInt8(ascii: "@") {
                if at < 0 { at = address.count }
                ats += 1
            } else if byte == ByteText.space || byte == ByteText.tab || byte == 0xA0 && previous == 0xC2 {
                whitespace = true
            }
            address.append(ByteText.lowercased(byte))
            previous = byte
        }
        // The most telling reason first: "jean at orange.fr" lacks an @ more than it has spaces.
        guard ats > 0 else { return .rejected(.emailMissingAt) }
        guard ats == 1 else { return .rejected(.emailMultipleAt) }
        guard !whitespace else { return .rejected(.emailWhitespace) }
        let bytes = address.bytes
        if let reason = checkLocal(UnsafeBufferPointer(rebasing: bytes[0..<at])) { return .rejected(reason) }
        if let reason = checkDomain(UnsafeBufferPointer(rebasing: bytes[(at + 1)...])) { return .rejected(reason) }

        let domain = UnsafeBufferPointer(rebasing: bytes[(at + 1)...])
        if ByteText.equalsIgnoringCase(domain, "gmail.com") || ByteText.equalsIgnoringCase(domain, "googlemail.com") {
            // A `+tag` goes only after a user name: dropping it from `+tag@gmail.com` would leave no user, and a
            // key (`@gmail.com`) that every such address shares.
            for byte in bytes[0..<at] {
                if byte == UInt8(ascii: "+"), key.count > 0 { break }
                if byte != UInt8(ascii: ".") { key.append(byte) }
            }
            key.append("@gmail.com")
        } else {
            key.append(bytes)
        }
        return .valid(domainStart: at + 1)
    }

    /// RFC 5321/5322 dot-atom local part (UTF-8 allowed, RFC 6531), at most 64 bytes.
    private static func checkLocal(_ local: UnsafeBufferPointer<UInt8>) -> RejectionReason? {
        guard !local.isEmpty, local.count <= 64 else { return .emailLocalLength }
        guard local.first != UInt8(ascii: "."), local.last != UInt8(ascii: ".") else { return .emailDotPosition }
        var previous: UInt8 = 0
        for byte in local {
            if byte == UInt8(ascii: "."), previous == UInt8(ascii: ".") { return .emailDoubleDot }
            guard byte >= 0x80 || isLocalCharacter(byte) else { return .emailInvalidCharacter }
            previous = byte
        }
        return nil
    }

    /// A host name of at least two labels, each 1–63 letters, digits or hyphens (not at the ends),
    /// with an alphabetic (or IDN) top-level domain of two characters or more.
    private static func checkDomain(_ domain: UnsafeBufferPointer<UInt8>) -> RejectionReason? {
        guard !domain.isEmpty else { return .emailMissingDomain }
        guard domain.count <= 253 else { return .emailDomainLength }
        var labelStart = 0
        var labels = 0
        var index = 0
        while index <= domain.count {
            if index == domain.count || domain[index] == UInt8(ascii: ".") {
                let label = UnsafeBufferPointer(rebasing: domain[labelStart..<index])
                if label.isEmpty {
                    return index == domain.count && labels > 0 ? .emailNoTLD : (labels == 0 && index == 0 ? .emailInvalidDomain : .emailDoubleDot)
                }
                guard label.count <= 63, label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return .emailInvalidDomain }
                labels += 1
                if index == domain.count {
                    guard labels >= 2 else { return .emailNoTLD }
                    let isPunycode = label.count > 4 && ByteText.equalsIgnoringCase(UnsafeBufferPointer(rebasing: label[0..<4]), "xn--")
                    let alphabetic = label.allSatisfy { $0 >= 0x80 || $0 &- 0x61 < 26 }
                    guard label.count >= 2, alphabetic || isPunycode else { return .emailNoTLD }
                }
                labelStart = index + 1
            } else {
                let byte = domain[index]
                let allowed = byte >= 0x80 || ByteText.isDigit(byte) || byte &- 0x61 < 26 || byte == UInt8(ascii: "-")
                guard allowed else { return .emailInvalidDomain }
            }
            index += 1
        }
        return nil
    }

    /// atext of RFC 5322 plus the dot, as one bit per ASCII byte (bytes 0–63, then 64–127): a shift and a mask per
    /// byte instead of a chain of range tests. `EmailNormaliserTests` checks the masks against the RFC's list.
    @inline(__always)
    static func isLocalCharacter(_ byte: UInt8) -> Bool {
        guard byte < 0x80 else { return false }
        let mask: UInt64 = byte < 64 ? 0xA3FF_ECFA_0000_0000 : 0x7FFF_FFFF_C7FF_FFFE
        return mask >> UInt64(byte & 63) & 1 == 1
    }

    /// Normalises one address given as text (API, suppression entries, tests).
    public static func normalise(_ text: String) -> Result<NormalisedEmail, RejectionReason>? {
        ByteText.withBytes(of: text) { raw in
            var address = ByteScratch(capacity: max(raw.count, 16))
            var key = ByteScratch(capacity: max(raw.count, 16) + 16)
            switch normalise(raw, address: &address, key: &key) {
            case .missing:
                return nil
            case .rejected(let reason):
                return .failure(reason)
            case .valid(let domainStart):
                let delivered = String(decoding: trimmedDelivered(raw), as: UTF8.self)
                let domain = String(decoding: UnsafeBufferPointer(rebasing: address.bytes[domainStart...]), as: UTF8.self)
                return .success(NormalisedEmail(delivered: delivered, matchKey: key.string, domain: domain))
            }
        }
    }

    /// The delivered form: trimmed, without a `mailto:` prefix, original case kept.
    static func trimmedDelivered(_ raw: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        let value = ByteText.trimmed(raw)
        if value.count >= 7, ByteText.equalsIgnoringCase(UnsafeBufferPointer(rebasing: value[0..<7]), "mailto:") {
            return ByteText.trimmed(UnsafeBufferPointer(rebasing: value[7...]))
        }
        return value
    }
}
