import Foundation
import Testing
import TrocCrypto

/// The browser's envelope module (WebCrypto, run under Node.js) opens the documented vectors and what TrocCrypto and
/// pyhpke seal, and seals what they open, at both chunk sizes and lengths from empty to a few MB.
@Suite struct WebCryptoEnvelopeInteropTests {
    /// One plaintext length at one chunk size, with the ways the module reads and writes for it.
    struct Case: CustomTestStringConvertible, Sendable {
        /// Plaintext bytes per record.
        let chunkSize: Int
        /// Plaintext length.
        let length: Int
        /// The module's sealing entry point: `records` (async iterator), `stream` (ReadableStream) or `blob`.
        let sealVia: String
        /// How the module is given an envelope: `bytes`, `blob`, `stream` (pulled in odd-sized pieces) or `to-blob`.
        let openVia: String

        var testDescription: String { "\(length) bytes at \(chunkSize)-byte chunks, sealed via \(sealVia), opened via \(openVia)" }
    }

    /// Empty, one byte, a chunk multiple and a few MB, at 1 KiB and 32 KiB chunks, covering every entry point.
    static let cases: [Case] = [
        Case(chunkSize: 1024, length: 0, sealVia: "records", openVia: "bytes"),
        Case(chunkSize: 1024, length: 1, sealVia: "stream", openVia: "blob"),
        Case(chunkSize: 1024, length: 4 * 1024, sealVia: "blob", openVia: "to-blob"),
        Case(chunkSize: 1024, length: (3 << 20) + 5, sealVia: "stream", openVia: "stream"),
        Case(chunkSize: 32768, length: 0, sealVia: "blob", openVia: "stream"),
        Case(chunkSize: 32768, length: 1, sealVia: "records", openVia: "to-blob"),
        Case(chunkSize: 32768, length: 4 * 32768, sealVia: "stream", openVia: "bytes"),
        Case(chunkSize: 32768, length: 3 << 20, sealVia: "records", openVia: "blob"),
    ]

    /// `count` random bytes read at once: drawing megabytes a byte at a time from `SystemRandomNumberGenerator`
    /// costs a system call per byte.
    func randomPlaintext(_ count: Int) throws -> [UInt8] {
        let source = try #require(FileHandle(forReadingAtPath: "/dev/urandom"))
        defer { try? source.close() }
        var bytes: [UInt8] = []
        while bytes.count < count {
            bytes += try #require(try source.read(upToCount: count - bytes.count))
        }
        return bytes
    }

    /// Writes a fresh key pair as PEM files in `directory`.
    func writeKeyPair(in directory: URL) throws -> (key: EnvelopePrivateKey, privateFile: URL, publicFile: URL) {
        let privateKey = EnvelopePrivateKey.generate()
        let privateFile = directory.appending(path: "firm.key.pem")
        let publicFile = directory.appending(path: "firm.pub.pem")
        try Data(privateKey.pemText.utf8).write(to: privateFile)
        try Data(privateKey.publicKey.pemText.utf8).write(to: publicFile)
        return (privateKey, privateFile, publicFile)
    }

    @Test("the module opens the AES-256-GCM vectors of docs/envelope.md, whole, from a Blob and one byte at a time")
    func documentedVectors() throws {
        try WebCryptoHarness.requireNode()
        try withTemporaryDirectory { directory in
            let vectors = try EnvelopeTestVector.loadAll().filter { try $0.field("aead").hasPrefix("0x0002") }
            #expect(vectors.count == 2)
            for vector in vectors {
                let privateKey = try EnvelopePrivateKey(rawRepresentation: bytes(hex: try vector.field("recipient_private_key")))
                let keyFile = directory.appending(path: "recipient.key.pem")
                try Data(privateKey.pemText.utf8).write(to: keyFile)
                let purpose = try vector.field("purpose")
                for (via, piece) in [("bytes", 4093), ("blob", 4093), ("stream", 1)] {
                    let (report, plaintext) = try WebCryptoHarness.open(
                        vector.envelope, keyFile: keyFile, purpose: purpose, in: directory, via: via, piece: piece)
                    #expect(report.ok, "vector \(vector) via \(via): \(String(describing: report.error))")
                    #expect(plaintext == (try vector.plaintext()), "vector \(vector) via \(via)")
                    #expect(report.yieldedSha256 == (try vector.field("plaintext_sha256")), "vector \(vector) via \(via)")
                }
                let other = try WebCryptoHarness.open(vector.envelope, keyFile: keyFile, purpose: "upload:other", in: directory)
                #expect(other.report.error == WebCryptoHarness.Refusal(EnvelopeError.wrongKeyOrPurpose), "vector \(vector)")
            }
        }
    }

    @Test("the ChaCha20-Poly1305 vector, which WebCrypto cannot open, is refused at its suite with a message saying what to do")
    func chaChaVectorRefused() throws {
        try WebCryptoHarness.requireNode()
        try withTemporaryDirectory { directory in
            let vector = try #require(try EnvelopeTestVector.loadAll().first { try $0.field("aead").hasPrefix("0x0003") })
            let privateKey = try EnvelopePrivateKey(rawRepresentation: bytes(hex: try vector.field("recipient_private_key")))
            let keyFile = directory.appending(path: "recipient.key.pem")
            try Data(privateKey.pemText.utf8).write(to: keyFile)
            let (report, plaintext) = try WebCryptoHarness.open(
                vector.envelope, keyFile: keyFile, purpose: try vector.field("purpose"), in: directory)
            let refusal = try #require(report.error)
            #expect(refusal.code == "unsupportedSuite")
            #expect(refusal.details == ["kem": 0x0020, "kdf": 0x0001, "aead": 0x0003])
            #expect(refusal.message.contains("ChaCha20-Poly1305") && refusal.message.contains("`troc` command-line client"))
            #expect(report.yieldedBytes == 0 && plaintext == nil)
        }
    }

    @Test("TrocCrypto seals, the module opens", arguments: cases)
    func swiftSealsModuleOpens(_ testCase: Case) throws {
        try WebCryptoHarness.requireNode()
        try withTemporaryDirectory { directory in
            let (key, privateFile, _) = try writeKeyPair(in: directory)
            let plaintext = try randomPlaintext(testCase.length)
            let envelope = try sealEnvelope(plaintext, to: key.publicKey, purpose: try .delivery("deal-7:org-2"), chunkSize: testCase.chunkSize)
            let (report, opened) = try WebCryptoHarness.open(
                envelope, keyFile: privateFile, purpose: "delivery:deal-7:org-2", in: directory, via: testCase.openVia)
            #expect(report.ok, "\(String(describing: report.error))")
            #expect(opened == plaintext)
            if testCase.openVia == "to-blob" {
                #expect(report.blobType == "text/csv")
            }
        }
    }

    @Test("the module seals, TrocCrypto and pyhpke open, and it read the file one chunk at a time", arguments: cases)
    func moduleSealsSwiftAndPythonOpen(_ testCase: Case) throws {
        try WebCryptoHarness.requireNode()
        try PyHPKE.require()
        try withTemporaryDirectory { directory in
            let (key, privateFile, publicFile) = try writeKeyPair(in: directory)
            let plaintext = try randomPlaintext(testCase.length)
            let (report, envelope) = try WebCryptoHarness.seal(
                plaintext, publicKeyFile: publicFile, purpose: "upload:org-42", chunkSize: testCase.chunkSize, via: testCase.sealVia, in: directory)
            try #require(report.ok, "\(String(describing: report.error))")
            let expectedLength = EnvelopeLength.of(plaintextBytes: Int64(testCase.length), chunkSize: testCase.chunkSize)
            #expect(envelope.count == Int(expectedLength) && report.envelopeBytes == envelope.count && report.expectedLength == envelope.count)
            #expect(Array(envelope[15..<19]) == [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: testCase.chunkSize >> $0) } && envelope[14] == 0x02)
            #expect(try openEnvelopeInRandomSlices(envelope, with: key, purpose: try .upload("org-42"), maximumSlice: 70_000) == plaintext)
            #expect(envelopeError(envelope, with: key, purpose: try .upload("org-43")) == .wrongKeyOrPurpose)

            let envelopeFile = directory.appending(path: "upload.troc")
            let pythonOutput = directory.appending(path: "upload.csv")
            try Data(envelope).write(to: envelopeFile)
            try PyHPKE.runScript(["decrypt", privateFile.path, envelopeFile.path, pythonOutput.path, "--purpose", "upload:org-42"])
            #expect(Array(try Data(contentsOf: pythonOutput)) == plaintext)

            let records = max(1, (testCase.length + testCase.chunkSize - 1) / testCase.chunkSize)
            #expect(report.largestSlice.map { $0 <= testCase.chunkSize } == true, "read \(String(describing: report.largestSlice)) bytes at once")
            if testCase.sealVia != "blob" {
                // A ReadableStream may pull one record ahead of its reader; nothing more may be read before it is sealed.
                #expect(report.mostSlicesAhead.map { $0 <= 2 } == true, "read \(String(describing: report.mostSlicesAhead)) slices ahead")
            }
            #expect(report.progressCalls == records)
            #expect(report.lastProgress == WebCryptoHarness.Progress(done: testCase.length, total: testCase.length))
        }
    }

    @Test("pyhpke seals, the module opens", arguments: cases)
    func pythonSealsModuleOpens(_ testCase: Case) throws {
        try WebCryptoHarness.requireNode()
        try PyHPKE.require()
        try withTemporaryDirectory { directory in
            let (_, privateFile, publicFile) = try writeKeyPair(in: directory)
            let plaintext = try randomPlaintext(testCase.length)
            let plainFile = directory.appending(path: "delivery.csv")
            let envelopeFile = directory.appending(path: "delivery.troc")
            try Data(plaintext).write(to: plainFile)
            try PyHPKE.runScript([
                "encrypt", publicFile.path, plainFile.path, envelopeFile.path, "--purpose", "delivery:deal-9:org-3",
                "--chunk-size", String(testCase.chunkSize),
            ])
            let envelope = Array(try Data(contentsOf: envelopeFile))
            let (report, opened) = try WebCryptoHarness.open(
                envelope, keyFile: privateFile, purpose: "delivery:deal-9:org-3", in: directory, via: testCase.openVia)
            #expect(report.ok, "\(String(describing: report.error))")
            #expect(opened == plaintext)
        }
    }

    @Test("opening streams: the first chunk is released long before a 3 MB envelope has arrived")
    func openingStreams() throws {
        try WebCryptoHarness.requireNode()
        try withTemporaryDirectory { directory in
            let (key, privateFile, _) = try writeKeyPair(in: directory)
            let plaintext = try randomPlaintext(3 << 20)
            let envelope = try sealEnvelope(plaintext, to: key.publicKey, purpose: try .delivery("deal-1"), chunkSize: 32768)
            let (report, opened) = try WebCryptoHarness.open(envelope, keyFile: privateFile, purpose: "delivery:deal-1", in: directory, piece: 4096)
            #expect(opened == plaintext)
            // The first record ends at 51 + 5 + 32768 + 16 bytes; the source is pulled 4096 bytes at a time.
            #expect(report.pulledAtFirstOutput.map { $0 <= 51 + 32789 + 4096 } == true, "pulled \(String(describing: report.pulledAtFirstOutput))")
            #expect(report.sourceCancelled == false)
        }
    }

    @Test("public keys and fingerprints agree with TrocCrypto for keys it generates and the documented key")
    func keysAndFingerprints() throws {
        try WebCryptoHarness.requireNode()
        try withTemporaryDirectory { directory in
            let (key, privateFile, publicFile) = try writeKeyPair(in: directory)
            for (command, file) in [("private-key", privateFile), ("public-key", publicFile)] {
                let report = try WebCryptoHarness.run([command, file.path])
                #expect(report.publicKey == hex(key.publicKey.rawRepresentation), "\(command)")
                #expect(report.fingerprint == key.publicKey.fingerprint, "\(command)")
            }
            let raw = try WebCryptoHarness.run(["public-key-hex", hex(key.publicKey.rawRepresentation)])
            #expect(raw.fingerprint == key.publicKey.fingerprint)

            let documented = directory.appending(path: "documented.key.pem")
            try Data(("key for broker\r\n" + KeyFileTests.rfcPrivatePEM.replacingOccurrences(of: "\n", with: "\r\n") + "trailer\r\n").utf8)
                .write(to: documented)
            let report = try WebCryptoHarness.run(["private-key", documented.path])
            #expect(report.publicKey == Fixtures.rfc9180PublicKeyHex)
            #expect(report.fingerprint == "fe56:3e05:3259:ef3c:8c0a:2d3d:c639:0b4f")
        }
    }
}
