public import Foundation

/// A 256-bit key sealed by the master key (AES-256-GCM), with the id of the master key that sealed it.
public struct WrappedKey: Sendable, Hashable {
    /// The only format version this code reads and writes.
    public static let version: UInt8 = 1
    /// Length of the serialised form: version, key id, nonce, ciphertext, tag.
    public static let byteCount = 1 + MasterKeyID.byteCount + 12 + 32 + 16

    /// The master key that sealed this key.
    public let masterKeyID: MasterKeyID
    /// Nonce, ciphertext and tag, as AES.GCM's combined form.
    let sealed: Data

    /// Assembles a wrapped key.
    init(masterKeyID: MasterKeyID, sealed: Data) {
        self.masterKeyID = masterKeyID
        self.sealed = sealed
    }

    /// Reads the serialised form written by `bytes`.
    public init(bytes: some ContiguousBytes) throws(KeyWrapError) {
        let raw = bytes.withUnsafeBytes { Array($0) }
        guard raw.count == Self.byteCount else { throw .malformedWrappedKey(byteCount: raw.count) }
        guard raw[0] == Self.version else { throw .unsupportedVersion(raw[0]) }
        masterKeyID = MasterKeyID(bytes: Array(raw[1...MasterKeyID.byteCount]))
        sealed = Data(raw[(1 + MasterKeyID.byteCount)...])
    }

    /// The 69-byte serialised form: version (1), master key id (8), nonce (12), ciphertext (32), tag (16).
    public var bytes: Data {
        var bytes = Data([Self.version] + masterKeyID.bytes)
        bytes.append(sealed)
        return bytes
    }
}
