import Foundation
import Testing
import TrocCrypto

/// Key files are standard PEM (PKCS#8 / SubjectPublicKeyInfo, RFC 8410) that OpenSSL and Python's `cryptography` read and write.
@Suite struct KeyFileTests {
    /// RFC 9180 A.1 skRm as written by Python `cryptography` (PKCS#8, no encryption).
    static let rfcPrivatePEM = """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VuBCIEIEYSxVAmP8itWDdd8/VXqsUx0mhQkD5VqfI/IdhTTorI
        -----END PRIVATE KEY-----

        """
    /// RFC 9180 A.1 pkRm as written by Python `cryptography` (SubjectPublicKeyInfo).
    static let rfcPublicPEM = """
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VuAyEAOUjP4K0d22ldeA5ZB3GV2mxWUGsCcyl5SrAryoCBXE0=
        -----END PUBLIC KEY-----

        """
    /// An Ed25519 signing key, which must be refused with a helpful message.
    static let ed25519PrivatePEM = """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f
        -----END PRIVATE KEY-----
        """

    @Test("PEM written by Python cryptography is read, and written back byte for byte")
    func pythonPEM() throws {
        let privateKey = try EnvelopePrivateKey(pemText: Self.rfcPrivatePEM)
        #expect(hex(privateKey.rawRepresentation) == Fixtures.rfc9180PrivateKeyHex)
        #expect(hex(privateKey.publicKey.rawRepresentation) == Fixtures.rfc9180PublicKeyHex)
        #expect(privateKey.pemText == Self.rfcPrivatePEM)
        let publicKey = try EnvelopePublicKey(pemText: Self.rfcPublicPEM)
        #expect(publicKey == privateKey.publicKey)
        #expect(publicKey.pemText == Self.rfcPublicPEM)
    }

    @Test("generated keys survive a PEM round trip")
    func roundTrip() throws {
        let privateKey = EnvelopePrivateKey.generate()
        let reread = try EnvelopePrivateKey(pemText: privateKey.pemText)
        #expect(reread.rawRepresentation == privateKey.rawRepresentation)
        #expect(try EnvelopePublicKey(pemText: privateKey.publicKey.pemText) == privateKey.publicKey)
        #expect(try EnvelopePublicKey(rawRepresentation: privateKey.publicKey.rawRepresentation) == privateKey.publicKey)
    }

    @Test("PEM with CRLF line ends and surrounding text is accepted")
    func lenientArmour() throws {
        let text = "key for broker\r\n" + Self.rfcPublicPEM.replacingOccurrences(of: "\n", with: "\r\n") + "trailer\r\n"
        #expect(hex(try EnvelopePublicKey(pemText: text).rawRepresentation) == Fixtures.rfc9180PublicKeyHex)
    }

    @Test("the fingerprint is the first 16 bytes of SHA-256 over the SubjectPublicKeyInfo DER")
    func fingerprint() throws {
        let publicKey = try EnvelopePublicKey(pemText: Self.rfcPublicPEM)
        #expect(publicKey.fingerprint == "fe56:3e05:3259:ef3c:8c0a:2d3d:c639:0b4f")
    }

    @Test("a public key passed as the private key, and the reverse, is named")
    func swappedFiles() throws {
        #expect(throws: KeyFileError.wrongPEMLabel(found: "PUBLIC KEY", expected: "PRIVATE KEY")) {
            try EnvelopePrivateKey(pemText: Self.rfcPublicPEM)
        }
        #expect(throws: KeyFileError.wrongPEMLabel(found: "PRIVATE KEY", expected: "PUBLIC KEY")) {
            try EnvelopePublicKey(pemText: Self.rfcPrivatePEM)
        }
        #expect(KeyFileError.wrongPEMLabel(found: "PRIVATE KEY", expected: "PUBLIC KEY").description.contains("not the private one"))
    }

    @Test("an Ed25519 key is refused as a signing key")
    func ed25519() throws {
        #expect(throws: KeyFileError.notX25519(algorithm: "Ed25519 (a signing key)")) {
            try EnvelopePrivateKey(pemText: Self.ed25519PrivatePEM)
        }
    }

    @Test("damaged, encrypted or foreign files are refused with the reason")
    func damaged() throws {
        #expect(throws: KeyFileError.noPEMBlock(expectedLabel: "PUBLIC KEY")) { try EnvelopePublicKey(pemText: "email,phone") }
        #expect(throws: KeyFileError.invalidBase64) {
            try EnvelopePublicKey(pemText: "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n")
        }
        #expect(throws: KeyFileError.malformedDER(byteCount: 3)) {
            try EnvelopePublicKey(pemText: "-----BEGIN PUBLIC KEY-----\nAQID\n-----END PUBLIC KEY-----\n")
        }
        #expect(throws: KeyFileError.noPEMBlock(expectedLabel: "PUBLIC KEY")) {
            try EnvelopePublicKey(pemText: "-----BEGIN PUBLIC KEY-----\nAQID\n")
        }
        #expect(throws: KeyFileError.encryptedPrivateKey) {
            try EnvelopePrivateKey(pemText: "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAQID\n-----END ENCRYPTED PRIVATE KEY-----\n")
        }
        #expect(throws: KeyFileError.invalidRawKeyLength(31)) { try EnvelopePublicKey(rawRepresentation: [UInt8](repeating: 9, count: 31)) }
    }

    @Test("low-order public keys, which would let anyone read what is sealed to them, are refused")
    func lowOrderPoints() throws {
        let order8 = try bytes(hex: "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")
        for point in [[UInt8](repeating: 0, count: 32), [1] + [UInt8](repeating: 0, count: 31), order8] {
            #expect(throws: KeyFileError.lowOrderPublicKey) { try EnvelopePublicKey(rawRepresentation: point) }
        }
    }
}
