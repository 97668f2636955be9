/// What an envelope is for (`upload:deal-42`, `delivery:file-7`); bound into the HPKE `info` so a ciphertext cannot be replayed elsewhere.
public struct EnvelopePurpose: Sendable, Hashable, CustomStringConvertible {
    /// Longest purpose accepted, in bytes.
    public static let maximumByteCount = 255

    /// The purpose text: 1 to 255 printable ASCII characters, no spaces.
    public let text: String

    /// Validates `text`; ASCII only, so every implementation feeds the same bytes to HPKE without Unicode normalisation.
    public init(_ text: String) throws(EnvelopeError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .invalidPurpose("the purpose is empty") }
        guard bytes.count <= Self.maximumByteCount else {
            throw .invalidPurpose("the purpose is \(bytes.count) bytes long, more than \(Self.maximumByteCount)")
        }
        if let index = bytes.firstIndex(where: { !(0x21...0x7E).contains($0) }) {
            throw .invalidPurpose(
                "byte \(index) of the purpose is 0x\(String(bytes[index], radix: 16)): only printable ASCII without spaces is allowed")
        }
        self.text = text
    }

    /// The purpose of a partner's upload of `resourceID` to the broker: `upload:<resourceID>`.
    public static func upload(_ resourceID: String) throws(EnvelopeError) -> EnvelopePurpose {
        try EnvelopePurpose("upload:" + resourceID)
    }

    /// The purpose of the broker's delivery of `resourceID` to a recipient firm: `delivery:<resourceID>`.
    public static func delivery(_ resourceID: String) throws(EnvelopeError) -> EnvelopePurpose {
        try EnvelopePurpose("delivery:" + resourceID)
    }

    public var description: String { text }
}
