import Crypto
import Foundation
import Testing
import TrocCrypto

/// Data keys and the root hashing secret are wrapped by the master key, bound to their use, and survive rotation.
@Suite struct KeyWrapTests {
    /// A small sealed blob and its data key, to check later that an unwrapped key is the same key.
    func probe() throws -> (blob: [UInt8], dataKey: DataKey) {
        try sealBlob(Array("contact@example.fr".utf8))
    }

    @Test("a wrapped data key unwraps to the same key with the same blob id")
    func roundTrip() throws {
        let master = MasterKey.generate()
        let (blob, dataKey) = try probe()
        let wrapped = try master.wrap(dataKey, blobID: "blob-1")
        #expect(wrapped.masterKeyID == master.id)
        let reread = try WrappedKey(bytes: wrapped.bytes)
        #expect(reread == wrapped)
        #expect(try openBlob(blob, dataKey: try master.unwrapDataKey(reread, blobID: "blob-1")) == Array("contact@example.fr".utf8))
    }

    @Test("a wrapped key moved to another blob, or altered, is refused")
    func boundToBlob() throws {
        let master = MasterKey.generate()
        let wrapped = try master.wrap(unrelatedDataKey(), blobID: "blob-1")
        #expect(throws: KeyWrapError.authenticationFailed(what: "data key of blob \"blob-2\"")) {
            try master.unwrapDataKey(wrapped, blobID: "blob-2")
        }
        var bytes = Array(wrapped.bytes)
        bytes[40] ^= 0x01
        #expect(throws: KeyWrapError.authenticationFailed(what: "data key of blob \"blob-1\"")) {
            try master.unwrapDataKey(try WrappedKey(bytes: bytes), blobID: "blob-1")
        }
        #expect(throws: KeyWrapError.emptyBlobID) { try master.wrap(unrelatedDataKey(), blobID: "") }
    }

    @Test("rotation rewraps without touching the blob, and the old key no longer matches")
    func rotation() throws {
        let old = MasterKey.generate()
        let new = MasterKey.generate()
        let (blob, dataKey) = try probe()
        let wrapped = try old.wrap(dataKey, blobID: "blob-9")
        let rewrapped = try MasterKey.rewrap(wrapped, from: old, to: new, blobID: "blob-9")
        #expect(rewrapped.masterKeyID == new.id && rewrapped.masterKeyID != old.id)
        #expect(try openBlob(blob, dataKey: try new.unwrapDataKey(rewrapped, blobID: "blob-9")) == Array("contact@example.fr".utf8))
        #expect(throws: KeyWrapError.wrongMasterKey(wrappedBy: new.id, loaded: old.id)) { try old.unwrapDataKey(rewrapped, blobID: "blob-9") }
        #expect(throws: KeyWrapError.wrongMasterKey(wrappedBy: new.id, loaded: old.id)) {
            try MasterKey.rewrap(rewrapped, from: old, to: new, blobID: "blob-9")
        }
    }

    @Test("malformed wrapped keys are refused")
    func malformed() throws {
        #expect(throws: KeyWrapError.malformedWrappedKey(byteCount: 68)) { try WrappedKey(bytes: [UInt8](repeating: 1, count: 68)) }
        #expect(throws: KeyWrapError.unsupportedVersion(2)) { try WrappedKey(bytes: [2] + [UInt8](repeating: 0, count: 68)) }
    }

    @Test("the master key loads from base64 text with surrounding whitespace, and its id is stable")
    func masterKeyText() throws {
        let master = MasterKey.generate()
        let reloaded = try MasterKey(base64Text: "  \(master.base64Text)\n")
        #expect(reloaded.id == master.id)
        #expect(master.base64Text.count == 44)
        #expect(MasterKeyID(hex: master.id.description) == master.id)
        #expect(master.id.description.count == 16)
        #expect(MasterKeyID(hex: "xyz") == nil)
        let known = try MasterKey(base64Text: Data(repeating: 0, count: 32).base64EncodedString())
        let expected = HMAC<SHA256>.authenticationCode(for: Array("troc/master-key-id/v1".utf8), using: SymmetricKey(data: Data(count: 32)))
        #expect(known.id.description == hex(Array(expected).prefix(8)))
    }

    @Test("bad master key text is refused without echoing it")
    func badMasterKeyText() throws {
        #expect(throws: MasterKeyError.empty) { try MasterKey(base64Text: " \n") }
        #expect(throws: MasterKeyError.notBase64) { try MasterKey(base64Text: "not base64!") }
        #expect(throws: MasterKeyError.wrongLength(16)) { try MasterKey(base64Text: Data(count: 16).base64EncodedString()) }
        #expect(MasterKeyError.wrongLength(16).description.contains("openssl rand -base64 32"))
    }

    @Test("derivations follow the documented HKDF info strings and survive master key rotation")
    func derivations() throws {
        let old = MasterKey.generate()
        let new = MasterKey.generate()
        let secret = RootHashingSecret.generate()
        let wrapped = try old.wrap(secret)
        let rotated = try MasterKey.rewrapRootHashingSecret(wrapped, from: old, to: new)
        let unwrapped = try new.unwrapRootHashingSecret(rotated)
        #expect(unwrapped.dealMatchKey(dealID: "deal-42") == secret.dealMatchKey(dealID: "deal-42"))
        #expect(unwrapped.suppressionKey() == secret.suppressionKey())

        // An independent derivation from the raw secret, unwrapped by hand as docs/envelope.md describes.
        let masterBytes = try #require(Data(base64Encoded: new.base64Text))
        let rotatedBytes = Array(rotated.bytes)
        let raw = try AES.GCM.open(
            AES.GCM.SealedBox(combined: rotatedBytes[9...]),
            using: SymmetricKey(data: masterBytes),
            authenticating: Array("troc/wrap/root-hashing-secret/v1".utf8)
        )
        func hkdf(_ info: [UInt8]) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: raw), salt: [UInt8](), info: info, outputByteCount: 32)
        }
        #expect(secret.dealMatchKey(dealID: "deal-42") == hkdf(Array("troc/v1/deal-match-key".utf8) + [0] + Array("deal-42".utf8)))
        #expect(secret.suppressionKey() == hkdf(Array("troc/v1/suppression-key".utf8)))
        #expect(secret.dealMatchKey(dealID: "deal-42").bitCount == 256)
        #expect(secret.dealMatchKey(dealID: "deal-42") != secret.dealMatchKey(dealID: "deal-43"))
        #expect(secret.dealMatchKey(dealID: "") != secret.suppressionKey())
    }

    @Test("a wrapped root secret cannot pass for a data key, nor the reverse")
    func contextsAreSeparate() throws {
        let master = MasterKey.generate()
        let wrappedSecret = try master.wrap(RootHashingSecret.generate())
        #expect(throws: KeyWrapError.self) { try master.unwrapDataKey(wrappedSecret, blobID: "blob-1") }
        let wrappedDataKey = try master.wrap(unrelatedDataKey(), blobID: "blob-1")
        #expect(throws: KeyWrapError.authenticationFailed(what: "root hashing secret")) { try master.unwrapRootHashingSecret(wrappedDataKey) }
    }
}
