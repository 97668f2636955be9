package import Crypto

/// The 256-bit key that MACs the audit trail; the server derives it from the root hashing secret and never stores it.
package struct AuditKey: Sendable {
    /// Bytes in the key.
    package static let byteCount = 32

    /// The HMAC-SHA-256 key.
    let key: SymmetricKey

    /// The key from its 32 raw bytes.
    package init(bytes: some Collection<UInt8>) throws(StoreError) {
        guard bytes.count == Self.byteCount else {
            throw .invalidField(
                field: "auditKey", value: "\(bytes.count) bytes", reason: "an audit key is \(Self.byteCount) bytes; derive it with HKDF-SHA256")
        }
        key = SymmetricKey(data: Array(bytes))
    }

    /// A swift-crypto key of 256 bits.
    package init(_ key: SymmetricKey) throws(StoreError) {
        try self.init(bytes: key.withUnsafeBytes { Array($0) })
    }
}
