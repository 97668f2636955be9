/// The fixed RFC 8410 DER forms of X25519 keys: swift-crypto 4.5.2 has no PEM/DER support for Curve25519 keys.
enum X25519DER {
    /// SubjectPublicKeyInfo prefix: SEQUENCE { SEQUENCE { OID 1.3.101.110 }, BIT STRING (0 unused bits) }, then the 32 key bytes.
    static let publicKeyPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x6E, 0x03, 0x21, 0x00]
    /// PKCS#8 v1 PrivateKeyInfo prefix: version 0, algorithm OID 1.3.101.110, OCTET STRING { OCTET STRING }, then the 32 key bytes.
    static let privateKeyPrefix: [UInt8] = [
        0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x6E, 0x04, 0x22, 0x04, 0x20,
    ]
    /// Length of a raw X25519 key.
    static let keyByteCount = 32

    /// The 32 raw key bytes after `prefix`, or an error naming what the DER holds instead.
    static func rawKey(from der: [UInt8], prefix: [UInt8]) throws(KeyFileError) -> [UInt8] {
        if der.count == prefix.count + keyByteCount, der.starts(with: prefix) {
            return Array(der[prefix.count...])
        }
        throw foreignAlgorithm(in: der).map { KeyFileError.notX25519(algorithm: $0) } ?? .malformedDER(byteCount: der.count)
    }

    /// Names a well-known non-X25519 algorithm whose OID appears in the DER, for a helpful error.
    private static func foreignAlgorithm(in der: [UInt8]) -> String? {
        let known: [(oid: [UInt8], name: String)] = [
            ([0x06, 0x03, 0x2B, 0x65, 0x70], "Ed25519 (a signing key)"),
            ([0x06, 0x03, 0x2B, 0x65, 0x6F], "X448"),
            ([0x06, 0x03, 0x2B, 0x65, 0x71], "Ed448 (a signing key)"),
            ([0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01], "an elliptic-curve (ECDSA/ECDH) key"),
            ([0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01], "an RSA key"),
        ]
        return known.first { entry in der.indices.contains { der[$0...].starts(with: entry.oid) } }?.name
    }
}
