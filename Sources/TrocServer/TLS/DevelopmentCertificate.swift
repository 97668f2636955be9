import Crypto
package import Foundation
import SwiftASN1
import TrocCrypto
import X509

/// The self-signed certificate `trocd serve --dev` makes on first run, for `localhost` and the
/// loopback addresses, so a newcomer gets real HTTPS without any set-up.
package enum DevelopmentCertificate {
    /// Makes a P-256 key and a one-year self-signed certificate; returns both as PEM.
    package static func make(now: Date = Date()) throws -> (certificatePEM: String, privateKeyPEM: String) {
        let signingKey = P256.Signing.PrivateKey()
        let key = Certificate.PrivateKey(signingKey)
        let name = try DistinguishedName {
            OrganizationName("Troc development broker")
            CommonName("localhost")
        }
        let extensions = try Certificate.Extensions {
            // A self-signed certificate is its own trust anchor: clients add it with --ca.
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectAlternativeNames([
                .dnsName("localhost"),
                .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
            ])
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey, notValidBefore: now.addingTimeInterval(-300),
            notValidAfter: now.addingTimeInterval(365 * 86_400), issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: key)
        return (try certificate.serializeAsPEM().pemString, signingKey.pemRepresentation)
    }

    /// Writes a new certificate and key unless both files exist; returns whether it made them.
    package static func ensure(certificatePath: String, keyPath: String) throws -> Bool {
        let files = FileManager.default
        if files.fileExists(atPath: certificatePath), files.fileExists(atPath: keyPath) { return false }
        let (certificate, key) = try make()
        try SecretFile.write(Data(key.utf8), to: keyPath)
        try Data(certificate.utf8).write(to: URL(fileURLWithPath: certificatePath), options: .atomic)
        return true
    }

    /// The SHA-256 fingerprint of a PEM certificate's DER bytes, as browsers and `openssl x509 -fingerprint -sha256` print it.
    package static func fingerprint(certificatePEM: String) throws -> String {
        let certificate = try Certificate(pemEncoded: certificatePEM)
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return SHA256.hash(data: serializer.serializedBytes).map { String(format: "%02X", $0) }.joined(separator: ":")
    }
}
