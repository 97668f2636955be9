import Foundation
import Testing
import TrocCrypto
import TrocTestSupport

/// TrocCrypto and an independent RFC 9180 implementation (pyhpke, Tests/Interop/hpke_envelope.py) read each other's envelopes and key files.
@Suite struct EnvelopeInteropTests {
    /// Writes a fresh key pair as PEM files in `directory`.
    func writeKeyPair(in directory: URL) throws -> (EnvelopePrivateKey, privateFile: String, publicFile: String) {
        let privateKey = EnvelopePrivateKey.generate()
        let privateFile = directory.appending(path: "firm.key.pem")
        let publicFile = directory.appending(path: "firm.pub.pem")
        try Data(privateKey.pemText.utf8).write(to: privateFile)
        try Data(privateKey.publicKey.pemText.utf8).write(to: publicFile)
        return (privateKey, privateFile.path, publicFile.path)
    }

    @Test(
        "pyhpke seals, TrocCrypto opens",
        arguments: [("aes-256-gcm", 1024, 5000), ("chacha20-poly1305", 4096, 70_001), ("aes-256-gcm", 32768, 300_000), ("aes-256-gcm", 1024, 0)]
    )
    func pythonSealsSwiftOpens(aead: String, chunkSize: Int, length: Int) throws {
        try PyHPKE.require()
        try withTemporaryDirectory { directory in
            let (privateKey, _, publicFile) = try writeKeyPair(in: directory)
            let plaintext = randomBytes(length)
            let plainFile = directory.appending(path: "contacts.csv")
            let envelopeFile = directory.appending(path: "contacts.troc")
            try Data(plaintext).write(to: plainFile)
            try PyHPKE.runScript([
                "encrypt", publicFile, plainFile.path, envelopeFile.path, "--purpose", "upload:deal-42",
                "--chunk-size", String(chunkSize), "--aead", aead,
            ])
            let envelope = Array(try Data(contentsOf: envelopeFile))
            let purpose = try EnvelopePurpose.upload("deal-42")
            #expect(try openEnvelopeInRandomSlices(envelope, with: privateKey, purpose: purpose, maximumSlice: 9000) == plaintext)
            #expect(envelopeError(envelope, with: privateKey, purpose: try .delivery("deal-42")) == .wrongKeyOrPurpose)
        }
    }

    @Test("TrocCrypto seals, pyhpke opens", arguments: EnvelopeAEAD.allCases, [1024, 32768])
    func swiftSealsPythonOpens(aead: EnvelopeAEAD, chunkSize: Int) throws {
        try PyHPKE.require()
        try withTemporaryDirectory { directory in
            let (privateKey, privateFile, _) = try writeKeyPair(in: directory)
            let plaintext = randomBytes(3 * chunkSize + 77)
            let envelopeFile = directory.appending(path: "delivery.troc")
            let outputFile = directory.appending(path: "delivery.csv")
            let envelope = try sealEnvelope(plaintext, to: privateKey.publicKey, purpose: try .delivery("deal-7"), chunkSize: chunkSize, aead: aead)
            try Data(envelope).write(to: envelopeFile)
            try PyHPKE.runScript(["decrypt", privateFile, envelopeFile.path, outputFile.path, "--purpose", "delivery:deal-7"])
            #expect(Array(try Data(contentsOf: outputFile)) == plaintext)
        }
    }

    @Test("pyhpke refuses what TrocCrypto refuses: truncation, a dropped end marker, trailing data, a flipped bit, another purpose, a low-order key")
    func pythonRefusals() throws {
        try PyHPKE.require()
        try withTemporaryDirectory { directory in
            let (privateKey, privateFile, _) = try writeKeyPair(in: directory)
            let envelope = try sealEnvelope(randomBytes(3000), to: privateKey.publicKey, purpose: try .upload("deal-1"))
            let filled = try sealEnvelope(randomBytes(4096), to: privateKey.publicKey, purpose: try .upload("deal-1"))
            var flipped = envelope
            flipped[1500] ^= 0x01
            var lowOrder = envelope
            lowOrder.replaceSubrange(19..<51, with: [UInt8](repeating: 0, count: 32))
            let cases: [(String, [UInt8], String)] = [
                ("truncated at a record boundary", Array(envelope[..<2141]), "upload:deal-1"),
                ("end marker dropped", Array(filled.dropLast(21)), "upload:deal-1"),
                ("trailing byte", envelope + [0], "upload:deal-1"),
                ("bit flipped", flipped, "upload:deal-1"),
                ("other purpose", envelope, "upload:deal-2"),
                ("low-order encapsulated key", lowOrder, "upload:deal-1"),
            ]
            for (name, bytes, purpose) in cases {
                let input = directory.appending(path: "in.troc")
                let output = directory.appending(path: "out.csv")
                try Data(bytes).write(to: input)
                let outcome = try PyHPKE.run([
                    "decrypt", privateFile, input.path, output.path, "--purpose", purpose,
                ])
                #expect(outcome.status == 1, "pyhpke accepted the case \(name): \(outcome.error)")
                #expect(!FileManager.default.fileExists(atPath: output.path), "pyhpke left output behind for \(name)")
            }
        }
    }

    @Test("pyhpke opens the vectors of docs/envelope.md")
    func pythonOpensDocumentedVectors() throws {
        try PyHPKE.require()
        try withTemporaryDirectory { directory in
            for vector in try EnvelopeTestVector.loadAll() {
                let privateKey = try EnvelopePrivateKey(rawRepresentation: bytes(hex: try vector.field("recipient_private_key")))
                let keyFile = directory.appending(path: "recipient.key.pem")
                let input = directory.appending(path: "vector.troc")
                let output = directory.appending(path: "vector.bin")
                try Data(privateKey.pemText.utf8).write(to: keyFile)
                try Data(vector.envelope).write(to: input)
                try PyHPKE.runScript(["decrypt", keyFile.path, input.path, output.path, "--purpose", try vector.field("purpose")])
                #expect(Array(try Data(contentsOf: output)) == (try vector.plaintext()), "vector \(vector)")
            }
        }
    }

    @Test("key files written by Python cryptography are read, and their fingerprint matches one computed in Python")
    func pythonKeyFiles() throws {
        try PyHPKE.require()
        try withTemporaryDirectory { directory in
            let script = """
                import hashlib, sys
                from cryptography.hazmat.primitives import serialization as s
                from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
                key = X25519PrivateKey.generate()
                public = key.public_key()
                open(sys.argv[1], "wb").write(key.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()))
                open(sys.argv[2], "wb").write(public.public_bytes(s.Encoding.PEM, s.PublicFormat.SubjectPublicKeyInfo))
                der = public.public_bytes(s.Encoding.DER, s.PublicFormat.SubjectPublicKeyInfo)
                open(sys.argv[3], "w").write(hashlib.sha256(der).hexdigest()[:32])
                """
            let paths = ["key.pem", "pub.pem", "fingerprint.txt"].map { directory.appending(path: $0) }
            let outcome = try ExternalTool.run("python3", ["-c", script] + paths.map(\.path))
            try #require(outcome.status == 0, "python failed: \(outcome.error)")
            let privateKey = try EnvelopePrivateKey(pemText: String(contentsOf: paths[0], encoding: .utf8))
            let publicKey = try EnvelopePublicKey(pemText: String(contentsOf: paths[1], encoding: .utf8))
            #expect(privateKey.publicKey == publicKey)
            #expect(publicKey.fingerprint.replacingOccurrences(of: ":", with: "") == (try String(contentsOf: paths[2], encoding: .utf8)))
        }
    }
}
