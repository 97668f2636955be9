import Crypto
import Foundation

/// The secret a match-key hasher is keyed with, as given in a key file or drawn at random.
public enum MatchKeySecret {
    /// A fresh random 256-bit secret.
    public static func random() -> [UInt8] {
        SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }

    /// Reads a key file's bytes: 64 hex digits, base64 of at least 16 bytes, or at least 16 raw bytes.
    public static func parse(_ contents: [UInt8]) throws(MatchKeySecretError) -> [UInt8] {
        let text = String(decoding: contents, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count == 64, let hex = hexBytes(text) { return hex }
        if let decoded = Data(base64Encoded: text), decoded.count >= 16 { return Array(decoded) }
        guard contents.count >= 16 else { throw .tooShort(contents.count) }
        return contents
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = hexValue(high), let l = hexValue(low) else { return nil }
            bytes.append(h << 4 | l)
        }
        return bytes
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Why a key file cannot key the matcher.
public enum MatchKeySecretError: Error, CustomStringConvertible {
    case tooShort(Int)

    public var description: String {
        switch self {
        case .tooShort(let count):
            "the key file holds \(count) bytes; use at least 16 random bytes (for example: openssl rand -hex 32 > match.key)"
        }
    }
}
