import Crypto
package import Foundation

/// Bearer token secrets: `troc_` then 32 random bytes in base64url without padding; only their SHA-256 is stored.
package enum TokenSecret {
    /// Text in front of every secret, so a leaked one is recognisable (and scannable) as a Troc token.
    static let prefix = "troc_"
    /// Random bytes in a secret.
    static let randomByteCount = 32
    /// Characters of the base64url part: 32 bytes without padding.
    static let encodedCount = 43

    /// A new secret from the system CSPRNG.
    package static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<randomByteCount / 8).flatMap { _ in withUnsafeBytes(of: generator.next() as UInt64) { Array($0) } }
        let base64url = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + base64url
    }

    /// SHA-256 of the secret's UTF-8 text, or nil if the text does not have the shape of a secret.
    package static func hash(of secret: String) -> Data? {
        let bytes = Array(secret.utf8)
        let prefixBytes = Array(prefix.utf8)
        guard bytes.count == prefixBytes.count + encodedCount, bytes.starts(with: prefixBytes),
            bytes[prefixBytes.count...].allSatisfy(isBase64URL)
        else { return nil }
        return Data(SHA256.hash(data: bytes))
    }

    /// Whether `byte` is in the base64url alphabet.
    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}
