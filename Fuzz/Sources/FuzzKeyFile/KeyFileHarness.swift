import Foundation
import FuzzSupport
import TrocCore
import TrocCrypto

/// The key files: PEM private and public X25519 keys, the match-key secret file, the master key file, and the
/// wrapped keys and master key ids the store keeps. Every input goes to every parser; what one accepts must
/// write back to a form it reads as the same key.
enum KeyFileHarness {
    /// One fuzzer input.
    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        checkPrivateKey(text)
        checkPublicKey(text)
        checkMatchKeySecret(bytes)
        checkMasterKey(text, bytes: bytes)
    }

    /// A private key PEM reads back from the PEM it writes, and so does its public key.
    static func checkPrivateKey(_ text: String) {
        guard let key = try? EnvelopePrivateKey(pemText: text) else { return }
        let again = try? EnvelopePrivateKey(pemText: key.pemText)
        FuzzCheck.equal(again?.rawRepresentation, key.rawRepresentation, "a private key read back from its own PEM")
        FuzzCheck.equal(try? EnvelopePublicKey(pemText: key.publicKey.pemText), key.publicKey, "a public key read back from its own PEM")
    }

    /// A public key PEM reads back from the PEM it writes, and has a well-formed fingerprint.
    static func checkPublicKey(_ text: String) {
        guard let key = try? EnvelopePublicKey(pemText: text) else { return }
        FuzzCheck.equal(try? EnvelopePublicKey(pemText: key.pemText), key, "a public key read back from its own PEM")
        FuzzCheck.equal(try? EnvelopePublicKey(rawRepresentation: key.rawRepresentation), key, "a public key read back from its raw bytes")
        let groups = key.fingerprint.split(separator: ":", omittingEmptySubsequences: false)
        FuzzCheck.expect(groups.count == 8 && groups.allSatisfy { $0.count == 4 && $0.allSatisfy(\.isHexDigit) }, "fingerprint \(key.fingerprint)")
    }

    /// A match-key file either is refused or keys a hasher (which traps on fewer than 16 bytes).
    static func checkMatchKeySecret(_ bytes: [UInt8]) {
        guard let secret = try? MatchKeySecret.parse(bytes) else { return }
        FuzzCheck.expect(secret.count >= 16, "a \(secret.count)-byte match-key secret was accepted")
        _ = HMACMatchKeyHasher(secret: secret).matchKey(.email, of: "a@b.fr")
    }

    /// The master key file, a wrapped key and a master key id each read back from the form they write.
    static func checkMasterKey(_ text: String, bytes: [UInt8]) {
        if let key = try? MasterKey(base64Text: text) {
            FuzzCheck.equal(try? MasterKey(base64Text: key.base64Text).id, key.id, "a master key read back from its base64")
        }
        if let wrapped = try? WrappedKey(bytes: bytes) {
            FuzzCheck.equal(Array(wrapped.bytes), bytes, "a wrapped key written back")
        }
        if let id = MasterKeyID(hex: text) {
            FuzzCheck.equal(id.description, text.lowercased(), "a master key id written back")
        }
    }
}
