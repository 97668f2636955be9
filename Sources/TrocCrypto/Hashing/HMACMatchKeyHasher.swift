import CTrocHash
public import TrocCore

/// HMAC-SHA-256 match keys (docs/RULES.md "Privacy-preserving overlap and dedupe"), at the hardware's pace.
///
/// Each kind of key gets its own subkey, `HMAC-SHA-256(secret, "troc/match-key/v1/<kind>")`, so an
/// email and a phone can never collide. The pads of each subkey are compressed once; a short
/// value then costs two SHA-256 compressions (SHA-NI), about ten times faster than swift-crypto's
/// `HMAC` per call, and two values hashed together cost little more than one.
public struct HMACMatchKeyHasher: MatchKeyHasher, @unchecked Sendable {
    // Immutable after init: safe to share between threads.
    private let subkeys: [troc_hmac_sha256_key]

    /// A hasher keyed by `secret` (at least 16 bytes; a deal key is 32).
    public init(secret: some Collection<UInt8>) {
        precondition(secret.count >= 16, "a match-key secret needs at least 16 bytes")
        let secretBytes = Array(secret)
        var root = troc_hmac_sha256_key()
        secretBytes.withUnsafeBufferPointer { troc_hmac_sha256_key_init(&root, $0.baseAddress, $0.count) }
        subkeys = MatchKeyKind.allCases.map { kind in
            let label = Array("troc/match-key/v1/\(kind.name)".utf8)
            var derived = [UInt8](repeating: 0, count: 32)
            label.withUnsafeBufferPointer { troc_hmac_sha256(&root, $0.baseAddress, $0.count, &derived) }
            var key = troc_hmac_sha256_key()
            derived.withUnsafeBufferPointer { troc_hmac_sha256_key_init(&key, $0.baseAddress, $0.count) }
            return key
        }
    }

    public func matchKey(_ kind: MatchKeyKind, of canonical: UnsafeRawBufferPointer) -> MatchKey {
        var digest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        subkeys.withUnsafeBufferPointer { keys in
            withUnsafeMutableBytes(of: &digest) { out in
                troc_hmac_sha256(
                    keys.baseAddress! + kind.rawValue, canonical.baseAddress?.assumingMemoryBound(to: UInt8.self), canonical.count,
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        return MatchKey(high: UInt64(bigEndian: digest.0), low: UInt64(bigEndian: digest.1))
    }

    /// Both HMACs in one call, their SHA-256 compressions side by side.
    public func matchKeys(
        _ first: MatchKeyKind, of firstCanonical: UnsafeRawBufferPointer, _ second: MatchKeyKind, of secondCanonical: UnsafeRawBufferPointer
    ) -> (MatchKey, MatchKey) {
        var digests = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        subkeys.withUnsafeBufferPointer { keys in
            withUnsafeMutableBytes(of: &digests) { out in
                let words = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
                troc_hmac_sha256_pair(
                    keys.baseAddress! + first.rawValue, firstCanonical.baseAddress?.assumingMemoryBound(to: UInt8.self), firstCanonical.count,
                    words, keys.baseAddress! + second.rawValue, secondCanonical.baseAddress?.assumingMemoryBound(to: UInt8.self),
                    secondCanonical.count, words + 32)
            }
        }
        return (
            MatchKey(high: UInt64(bigEndian: digests.0), low: UInt64(bigEndian: digests.1)),
            MatchKey(high: UInt64(bigEndian: digests.4), low: UInt64(bigEndian: digests.5))
        )
    }

    /// The full HMAC-SHA-256 of `message` under `key` (for tests against other implementations).
    public static func hmac(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        var prepared = troc_hmac_sha256_key()
        let keyBytes = Array(key)
        let messageBytes = Array(message)
        keyBytes.withUnsafeBufferPointer { troc_hmac_sha256_key_init(&prepared, $0.baseAddress, $0.count) }
        var out = [UInt8](repeating: 0, count: 32)
        messageBytes.withUnsafeBufferPointer { troc_hmac_sha256(&prepared, $0.baseAddress, $0.count, &out) }
        return out
    }
}
