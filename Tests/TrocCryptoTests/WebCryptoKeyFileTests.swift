import Foundation
import Testing
import TrocCrypto

/// The browser's module refuses the key files TrocCrypto refuses, with the same case and message.
@Suite struct WebCryptoKeyFileTests {
    /// A key file's text, the module command that reads it, and how TrocCrypto reads the same text.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// `private-key`, `public-key` or `public-key-hex`.
        let command: String
        /// The file's text, or the hex of raw bytes for `public-key-hex`.
        let text: String

        var testDescription: String { name }

        /// TrocCrypto's error for the same input, or nil if it accepts it.
        func swiftError() throws -> KeyFileError? {
            do {
                switch command {
                case "private-key": _ = try EnvelopePrivateKey(pemText: text)
                case "public-key": _ = try EnvelopePublicKey(pemText: text)
                default: _ = try EnvelopePublicKey(rawRepresentation: try bytes(hex: text))
                }
                return nil
            } catch let error as KeyFileError {
                return error
            }
        }
    }

    /// PEM armour around DER bytes, wrapped at 64 columns.
    static func pem(_ der: [UInt8], label: String) -> String {
        "-----BEGIN \(label)-----\n" + Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
            + "\n-----END \(label)-----\n"
    }

    /// The SubjectPublicKeyInfo DER of an X25519 key, before its 32 bytes.
    static let subjectPublicKeyInfoPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x6E, 0x03, 0x21, 0x00]
    /// PKCS#8 of an X448 key: the OID 1.3.101.111 and 56 key bytes.
    static let x448PrivatePEM = pem(
        [0x30, 0x46, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x6F, 0x04, 0x3A, 0x04, 0x38] + [UInt8](repeating: 7, count: 56),
        label: "PRIVATE KEY")

    static let cases: [Case] = [
        Case(name: "a public key file given as the private key", command: "private-key", text: KeyFileTests.rfcPublicPEM),
        Case(name: "a private key file given as the public key", command: "public-key", text: KeyFileTests.rfcPrivatePEM),
        Case(name: "an Ed25519 signing key", command: "private-key", text: KeyFileTests.ed25519PrivatePEM),
        Case(name: "an X448 key", command: "private-key", text: x448PrivatePEM),
        Case(name: "a CSV file", command: "public-key", text: "email,phone"),
        Case(name: "a PEM body that is not base64", command: "public-key", text: "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n"),
        Case(name: "a 3-byte DER", command: "public-key", text: "-----BEGIN PUBLIC KEY-----\nAQID\n-----END PUBLIC KEY-----\n"),
        Case(name: "a PEM block without its end line", command: "public-key", text: "-----BEGIN PUBLIC KEY-----\nAQID\n"),
        Case(
            name: "a password-protected private key", command: "private-key",
            text: "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAQID\n-----END ENCRYPTED PRIVATE KEY-----\n"),
        Case(name: "31 raw bytes", command: "public-key-hex", text: String(repeating: "09", count: 31)),
        Case(name: "the all-zero point", command: "public-key-hex", text: String(repeating: "00", count: 32)),
        Case(name: "a point of order 8", command: "public-key-hex", text: "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
        Case(
            name: "a PEM public key of order 4", command: "public-key",
            text: pem(subjectPublicKeyInfoPrefix + [1] + [UInt8](repeating: 0, count: 31), label: "PUBLIC KEY")),
    ]

    @Test("a refused key file carries TrocCrypto's error", arguments: cases)
    func refusal(_ testCase: Case) throws {
        try WebCryptoHarness.requireNode()
        let swiftError = try #require(try testCase.swiftError(), "TrocCrypto accepted \(testCase.name)")
        try withTemporaryDirectory { directory in
            var argument = testCase.text
            if testCase.command != "public-key-hex" {
                let file = directory.appending(path: "key.pem")
                try Data(testCase.text.utf8).write(to: file)
                argument = file.path
            }
            let report = try WebCryptoHarness.run([testCase.command, argument])
            #expect(report.error == WebCryptoHarness.Refusal(swiftError))
        }
    }

    @Test("a page without WebCrypto, as browsers leave an insecure page, is told why and what to do")
    func withoutWebCrypto() throws {
        try WebCryptoHarness.requireNode()
        try withTemporaryDirectory { directory in
            let file = directory.appending(path: "broker.pub.pem")
            try Data(KeyFileTests.rfcPublicPEM.utf8).write(to: file)
            let refusal = try #require(try WebCryptoHarness.run(["public-key", file.path, "--without-webcrypto"]).error)
            #expect(refusal.code == "webCryptoUnavailable")
            #expect(refusal.message.contains("HTTPS") && refusal.message.contains("https://"))
        }
    }
}
