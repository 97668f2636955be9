import Crypto
import Foundation

/// The broker's master key (256-bit), kept outside the data directory; it only wraps other keys.
public struct MasterKey: Sendable {
    /// The AES-256 key.
    private let key: SymmetricKey
    /// This key's public identifier.
    public let id: MasterKeyID

    /// A new random master key.
    public static func generate() -> MasterKey {
        MasterKey(key: SymmetricKey(size: .bits256))
    }

    /// Wraps a swift-crypto key.
    private init(key: SymmetricKey) {
        self.key = key
        self.id = MasterKeyID(of: key)
    }

    /// Loads the key from base64 text, such as a key file's or an environment variable's content; surrounding whitespace is ignored.
    public init(base64Text: String) throws(MasterKeyError) {
        let trimmed = base64Text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }
        guard let bytes = Data(base64Encoded: trimmed) else { throw .notBase64 }
        guard bytes.count == 32 else { throw .wrongLength(bytes.count) }
        self.init(key: SymmetricKey(data: bytes))
    }

    /// The key as base64 text, to write once into the master key file.
    public var base64Text: String {
        key.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// Wraps a blob's data key, bound to `blobID` so the wrapped key cannot be moved to another blob.
    public func wrap(_ dataKey: DataKey, blobID: String) throws(KeyWrapError) -> WrappedKey {
        try seal(dataKey.key, context: try .checked(blobID: blobID))
    }

    /// Unwraps the data key of blob `blobID`.
    public func unwrapDataKey(_ wrapped: WrappedKey, blobID: String) throws(KeyWrapError) -> DataKey {
        DataKey(key: try open(wrapped, context: try .checked(blobID: blobID)))
    }

    /// Re-seals a wrapped data key from `old` to `new` for master key rotation; the blob itself is untouched.
    public static func rewrap(_ wrapped: WrappedKey, from old: MasterKey, to new: MasterKey, blobID: String) throws(KeyWrapError) -> WrappedKey {
        let context = try WrapContext.checked(blobID: blobID)
        return try new.seal(try old.open(wrapped, context: context), context: context)
    }

    /// Wraps the root hashing secret, so master key rotation leaves every derived key unchanged.
    public func wrap(_ secret: RootHashingSecret) throws(KeyWrapError) -> WrappedKey {
        try seal(secret.key, context: .rootHashingSecret)
    }

    /// Unwraps the root hashing secret.
    public func unwrapRootHashingSecret(_ wrapped: WrappedKey) throws(KeyWrapError) -> RootHashingSecret {
        RootHashingSecret(key: try open(wrapped, context: .rootHashingSecret))
    }

    /// Re-seals the wrapped root hashing secret from `old` to `new` for master key rotation.
    public static func rewrapRootHashingSecret(_ wrapped: WrappedKey, from old: MasterKey, to new: MasterKey) throws(KeyWrapError) -> WrappedKey {
        try new.seal(try old.open(wrapped, context: .rootHashingSecret), context: .rootHashingSecret)
    }

    /// AES-256-GCM with a random nonce: a master key wraps far fewer than the 2^32 keys that random nonces allow.
    private func seal(_ secret: SymmetricKey, context: WrapContext) throws(KeyWrapError) -> WrappedKey {
        do {
            let box = try secret.withUnsafeBytes { bytes in try AES.GCM.seal(bytes, using: key, authenticating: context.aad) }
            return WrappedKey(masterKeyID: id, sealed: box.combined!)
        } catch {
            throw .sealingFailed(String(describing: error))
        }
    }

    /// Checks the master key id, then authenticates and decrypts.
    private func open(_ wrapped: WrappedKey, context: WrapContext) throws(KeyWrapError) -> SymmetricKey {
        guard wrapped.masterKeyID == id else { throw .wrongMasterKey(wrappedBy: wrapped.masterKeyID, loaded: id) }
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped.sealed)
            return SymmetricKey(data: try AES.GCM.open(box, using: key, authenticating: context.aad))
        } catch {
            throw .authenticationFailed(what: context.description)
        }
    }
}

/// What a wrapped key is for; its AAD keeps a data key from passing for another blob's or for the root secret.
private enum WrapContext: CustomStringConvertible {
    /// The data key of one blob.
    case dataKey(blobID: String)
    /// The root hashing secret.
    case rootHashingSecret

    /// A data key context, refusing an empty blob id.
    static func checked(blobID: String) throws(KeyWrapError) -> WrapContext {
        guard !blobID.isEmpty else { throw .emptyBlobID }
        return .dataKey(blobID: blobID)
    }

    /// `troc/wrap/data-key/v1` 0x00 blob id (UTF-8), or `troc/wrap/root-hashing-secret/v1`.
    var aad: Data {
        switch self {
        case .dataKey(let blobID): Data("troc/wrap/data-key/v1".utf8) + [0] + Data(blobID.utf8)
        case .rootHashingSecret: Data("troc/wrap/root-hashing-secret/v1".utf8)
        }
    }

    var description: String {
        switch self {
        case .dataKey(let blobID): "data key of blob \"\(blobID)\""
        case .rootHashingSecret: "root hashing secret"
        }
    }
}
