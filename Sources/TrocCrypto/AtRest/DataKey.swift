import Crypto

/// A random 256-bit AES-GCM key that encrypts exactly one blob; only `BlobSealer` creates one, and it is stored only wrapped.
public struct DataKey: Sendable {
    /// The AES-256 key.
    let key: SymmetricKey

    /// A fresh random data key, for one new blob.
    static func generate() -> DataKey {
        DataKey(key: SymmetricKey(size: .bits256))
    }
}
