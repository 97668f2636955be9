package import NIOSSL

/// The broker's TLS profile (SECURITY.md "Transport"): TLS 1.3 whenever the client offers it, TLS 1.2 at
/// least, and under 1.2 only ephemeral elliptic-curve key exchange with AEAD ciphers.
///
/// ECDHE gives forward secrecy (a stolen certificate key does not open recorded sessions); AEAD suites
/// leave out the CBC constructions behind padding-oracle and Lucky Thirteen attacks. This is the
/// "intermediate" profile of Mozilla's server-side TLS guidelines and of ANSSI's TLS recommendations
/// (guide ANSSI-PA-035, R5 to R10). TLS 1.3 suites are all AEAD and are not configurable in BoringSSL.
package enum TLSProfile {
    /// The TLS 1.2 suites offered, in the server's order of preference.
    package static let tls12CipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ]

    /// The server configuration for a PEM certificate chain and private key.
    package static func server(certificatePath: String, keyPath: String) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificatePath).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        configuration.maximumTLSVersion = .tlsv13
        configuration.cipherSuiteValues = tls12CipherSuites
        return configuration
    }
}
