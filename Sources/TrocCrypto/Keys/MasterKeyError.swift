/// Why master key text could not be loaded; the text itself never appears in the message.
public enum MasterKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text is empty or only whitespace.
    case empty
    /// The text is not base64.
    case notBase64
    /// The text decodes to the wrong number of bytes.
    case wrongLength(Int)

    public var description: String {
        let remedy = "a master key is 32 random bytes in base64 (44 characters); generate one with `openssl rand -base64 32`"
        return switch self {
        case .empty: "the master key is empty; \(remedy)"
        case .notBase64: "the master key is not valid base64; \(remedy)"
        case .wrongLength(let count): "the master key decodes to \(count) bytes instead of 32; \(remedy)"
        }
    }
}
