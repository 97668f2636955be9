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
    /// `address` and `key` must have room for `raw.count` bytes. One walk over the value lowercases it into
    /// `address` and checks both parts as it goes: the local part as an RFC 5321/5322 dot-atom of at most 64 bytes
    /// (UTF-8 allowed, RFC 6531), the domain as a host name of at least two labels of 1–63 letters, digits or
    /// hyphens (not at the ends) under an alphabetic (or IDN) top-level domain of two characters or more. Each part
    /// keeps its first failure in the order of its bytes, and the reasons are then weighed in a fixed order, the most
    /// telling first ("jean at orange.fr" lacks an @ more than it has spaces).
    static func normalise(_ raw: UnsafeBufferPointer<UInt8>, address: inout ByteScratch, key: inout ByteScratch) -> Outcome {
        address.removeAll()
        key.removeAll()
        var value = ByteText.trimmed(raw)
        if value.count >= 7, ByteText.equalsIgnoringCase(UnsafeBufferPointer(rebasing: value[0..<7]), "mailto:") {
            value = ByteText.trimmed(UnsafeBufferPointer(rebasing: value[7...]))
        }
        guard !value.isEmpty else { return .missing }
        guard value.count <= address.capacity else { return .rejected(.emailDomainLength) }

        let dot = UInt8(ascii: ".")
        var at = -1
        var ats = 0
        var whitespace = false
        var previous: UInt8 = 0
        var localFailure: RejectionReason?
        var domainFailure: RejectionReason?
        var labelStart = 0
        var labels = 0
        var lastLabelAlphabetic = true
        for byte in value {
            let lower = ByteText.lowercased(byte)
            let index = address.count
            address.append(lower)
            defer { previous = byte }
            if byte == UInt8(ascii: "@") {
                if at < 0 {
                    at = index
                    labelStart = index + 1
                    continue
                }
                ats += 1
            } else if byte == ByteText.space || byte == ByteText.tab || byte == 0xA0 && previous == 0xC2 {
                whitespace = true
            }
            if at < 0 {
                // The local part: a double dot or a character outside atext, whichever comes first.
                guard localFailure == nil else { continue }
                if lower == dot, previous == dot {
                    localFailure = .emailDoubleDot
                } else if lower < 0x80, !isLocalCharacter(lower) {
                    localFailure = .emailInvalidCharacter
                }
            } else if domainFailure == nil {
                // The domain: each label judged at the dot that ends it, each byte as it comes.
                if lower == dot {
                    domainFailure = labelFailure(address.bytes, from: labelStart, to: index, isLast: false, labels: labels)
                    labels += 1
                    labelStart = index + 1
                    lastLabelAlphabetic = true
                } else {
                    let allowed = lower >= 0x80 || ByteText.isDigit(lower) || lower &- 0x61 < 26 || lower == UInt8(ascii: "-")
                    if !allowed { domainFailure = .emailInvalidDomain }
                    lastLabelAlphabetic = lastLabelAlphabetic && (lower >= 0x80 || lower &- 0x61 < 26)
                }
            }
        }
        ats += at >= 0 ? 1 : 0
        guard ats > 0 else { return .rejected(.emailMissingAt) }
        guard ats == 1 else { return .rejected(.emailMultipleAt) }
        guard !whitespace else { return .rejected(.emailWhitespace) }
        let bytes = address.bytes
        guard at > 0, at <= 64 else { return .rejected(.emailLocalLength) }
        guard bytes[0] != dot, bytes[at - 1] != dot else { return .rejected(.emailDotPosition) }
        if let localFailure { return .rejected(localFailure) }
        let domainCount = bytes.count - at - 1
        guard domainCount > 0 else { return .rejected(.emailMissingDomain) }
        guard domainCount <= 253 else { return .rejected(.emailDomainLength) }
        if let domainFailure { return .rejected(domainFailure) }
        if let failure = labelFailure(bytes, from: labelStart, to: bytes.count, isLast: true, labels: labels) { return .rejected(failure) }
        let tld = UnsafeBufferPointer(rebasing: bytes[labelStart...])
        let isPunycode = tld.count > 4 && ByteText.hasPrefix(tld, "xn--")
        guard labels + 1 >= 2, tld.count >= 2, lastLabelAlphabetic || isPunycode else { return .rejected(.emailNoTLD) }

        let domain = UnsafeBufferPointer(rebasing: bytes[(at + 1)...])
        if ByteText.equalsIgnoringCase(domain, "gmail.com") || ByteText.equalsIgnoringCase(domain, "googlemail.com") {
            // A `+tag` goes only after a user name: dropping it from `+tag@gmail.com` would leave no user, and a
            // key (`@gmail.com`) that every such address shares.
            for byte in bytes[0..<at] {
                if byte == UInt8(ascii: "+"), key.count > 0 { break }
                if byte != dot { key.append(byte) }
            }
            key.append("@gmail.com")
        } else {
            key.append(bytes)
        }
        return .valid(domainStart: at + 1)
    }

    /// What is wrong with the domain label `bytes[start..<end]`, which `labels` labels precede (`isLast`: it ends the
    /// domain), or nil.
    @inline(__always)
    private static func labelFailure(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, isLast: Bool, labels: Int) -> RejectionReason?
    {
        guard end > start else {
            // An empty label: after a last dot the domain lacks its top level; first (".orange.fr") it is malformed.
            return isLast && labels > 0 ? .emailNoTLD : (labels == 0 && !isLast ? .emailInvalidDomain : .emailDoubleDot)
        }
        guard end - start <= 63, bytes[start] != UInt8(ascii: "-"), bytes[end - 1] != UInt8(ascii: "-") else { return .emailInvalidDomain }
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
