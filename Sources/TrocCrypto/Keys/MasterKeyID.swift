import Crypto
import Foundation

/// A short public identifier of a master key, stored beside each wrapped key so rotation knows which key wrapped what.
public struct MasterKeyID: Sendable, Hashable, CustomStringConvertible {
    /// Length of the identifier.
    static let byteCount = 8
    /// HMAC message whose tag under the master key is the identifier; a keyed hash reveals nothing about the key.
    private static let label = Data("troc/master-key-id/v1".utf8)

    /// The identifier's bytes.
    let bytes: [UInt8]

    /// The identifier of `key`: the first 8 bytes of HMAC-SHA256(key, "troc/master-key-id/v1").
    init(of key: SymmetricKey) {
        bytes = Array(HMAC<SHA256>.authenticationCode(for: Self.label, using: key).prefix(Self.byteCount))
    }

    /// An identifier read from a wrapped key.
    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// An identifier from its 16 lowercase hex digits, as shown by `description`.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        // Hex digits only: `UInt8(_:radix:)` alone would also take a sign, reading `+f` as 0f and `-0` as 00.
        guard digits.count == 2 * Self.byteCount, digits.allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }) else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...(index + 1)], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.bytes = bytes
    }

    /// 16 lowercase hex digits.
    public var description: String {
        bytes.map { ($0 < 0x10 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
