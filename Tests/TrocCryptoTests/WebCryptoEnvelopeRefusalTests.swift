import Crypto
import Foundation
import Testing
import TrocCrypto

/// Every refusal of docs/envelope.md 1.5 is made by the browser's module exactly as TrocCrypto makes it (same case,
/// values and message), and the module releases nothing of a record before it authenticates.
@Suite struct WebCryptoEnvelopeRefusalTests {
    let privateKey: EnvelopePrivateKey
    let purpose = "upload:deal-42:org-1"
    /// 3000 bytes at 1 KiB chunks: records at offsets 51, 1096 (full) and 2141 (final, 952 bytes); 3114 bytes in all.
    let plaintext: [UInt8]
    let envelope: [UInt8]
    /// 4 full chunks and an empty final record, for dropping the end marker and moving records.
    let fourChunkPlaintext: [UInt8]
    let fourChunkEnvelope: [UInt8]

    init() throws {
        privateKey = EnvelopePrivateKey.generate()
        plaintext = randomBytes(3000)
        envelope = try sealEnvelope(plaintext, to: privateKey.publicKey, purpose: try EnvelopePurpose(purpose))
        fourChunkPlaintext = randomBytes(4096)
        fourChunkEnvelope = try sealEnvelope(fourChunkPlaintext, to: privateKey.publicKey, purpose: try EnvelopePurpose(purpose))
    }

    /// `bytes` with one bit flipped.
    func flipping(bit: Int, at offset: Int, in bytes: [UInt8]) -> [UInt8] {
        var copy = bytes
        copy[offset] ^= UInt8(1 << bit)
        return copy
    }

    /// `bytes` with `replacement` written at `offset`.
    func replacing(at offset: Int, with replacement: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        var copy = bytes
        copy.replaceSubrange(offset..<(offset + replacement.count), with: replacement)
        return copy
    }

    /// Record `index` of the four-chunk envelope.
    func record(_ index: Int) -> ArraySlice<UInt8> {
        fourChunkEnvelope[(51 + index * 1045)..<(51 + (index + 1) * 1045)]
    }

    /// The plaintext bytes a reader may have released before refusing with `error`: the non-final records that
    /// authenticated before the fault; never a byte of the faulty record, nor the final record before the input ends.
    func releasable(before error: EnvelopeError) -> Int {
        switch error {
        case .framing(.chunkAuthenticationFailed(let index, _)), .framing(.malformedRecord(let index, _, _)): index * 1024
        case .framing(.truncated(let completeChunks, _)): completeChunks * 1024
        case .framing(.trailingData): 2 * 1024
        default: 0
        }
    }

    /// Opens `bytes` with TrocCrypto and with the module, and requires the same refusal and no premature plaintext.
    func expectSameRefusal(
        _ name: String, _ bytes: [UInt8], purpose: String? = nil, plaintext source: [UInt8]? = nil, piece: Int = 7, in directory: URL,
        key: (EnvelopePrivateKey, URL)
    ) throws {
        let swiftError = try #require(
            envelopeError(bytes, with: key.0, purpose: try EnvelopePurpose(purpose ?? self.purpose)), "TrocCrypto accepted the case \(name)")
        let (report, output) = try WebCryptoHarness.open(bytes, keyFile: key.1, purpose: purpose ?? self.purpose, in: directory, piece: piece)
        #expect(report.error == WebCryptoHarness.Refusal(swiftError), "case \(name)")
        let released = releasable(before: swiftError)
        #expect(report.yieldedBytes == released, "case \(name): released \(String(describing: report.yieldedBytes)) bytes, expected \(released)")
        #expect(report.yieldedSha256 == hex(SHA256.hash(data: (source ?? plaintext).prefix(released))), "case \(name)")
        #expect(output == nil, "case \(name): output left behind")
    }

    /// The private key written as a PEM file in `directory`.
    func keyFile(in directory: URL) throws -> (EnvelopePrivateKey, URL) {
        let file = directory.appending(path: "broker.key.pem")
        try Data(privateKey.pemText.utf8).write(to: file)
        return (privateKey, file)
    }

    @Test("what is not an envelope, or names another version, suite or chunk size, is refused at its header")
    func headers() throws {
        try WebCryptoHarness.requireNode()
        try withTemporaryDirectory { directory in
            let key = try keyFile(in: directory)
            let cases: [(String, [UInt8])] = [
                ("a CSV file", Array("email,phone\n".utf8)),
                ("an empty file", []),
                ("half the magic", Array("TROC".utf8)),
                ("the magic alone", Array("TROCHPKE".utf8)),
                ("inside the header", Array(envelope[..<30])),
                ("version 2", replacing(at: 8, with: [2], in: envelope)),
                ("another KEM", replacing(at: 10, with: [0x10], in: envelope)),
                ("AEAD 0x0001", replacing(at: 14, with: [0x01], in: envelope)),
                ("a 16-byte chunk size", replacing(at: 17, with: [0x00, 0x10], in: envelope)),
                ("a 1025-byte chunk size", flipping(bit: 0, at: 18, in: envelope)),
                ("a flipped bit in the magic", flipping(bit: 5, at: 0, in: envelope)),
                ("a flipped bit in the KDF", flipping(bit: 1, at: 12, in: envelope)),
                ("a flipped bit in enc", flipping(bit: 6, at: 40, in: envelope)),
            ]
            for (name, bytes) in cases {
                try expectSameRefusal(name, bytes, in: directory, key: key)
            }
        }
    }

    @Test("a low-order encapsulated key is refused before any record, as TrocCrypto refuses it")
    func lowOrderEncapsulatedKeys() throws {
        try WebCryptoHarness.requireNode()
        try withTemporaryDirectory { directory in
            let key = try keyFile(in: directory)
            let order8 = try bytes(hex: "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")
            for point in [[UInt8](repeating: 0, count: 32), [1] + [UInt8](repeating: 0, count: 31), order8] {
                try expectSameRefusal("enc \(hex(point))", replacing(at: 19, with: point, in: envelope), in: directory, key: key)
            }
        }
    }

    @Test("truncation at and inside records and a dropped end marker are refused with the chunks that authenticated")
    func truncation() throws {
        try WebCryptoHarness.requireNode()
        try withTemporaryDirectory { directory in
            let key = try keyFile(in: directory)
            for end in [51, 53, 1096, 1500, 2141, envelope.count - 1] {
                try expectSameRefusal("cut at \(end)", Array(envelope[..<end]), in: directory, key: key)
            }
            try expectSameRefusal(
                "end marker dropped", Array(fourChunkEnvelope.dropLast(21)), plaintext: fourChunkPlaintext, in: directory, key: key)
        }
    }

    @Test("bytes after the final record are refused, and the final chunk is not released")
    func trailingData() throws {
        try WebCryptoHarness.requireNode()
        try withTemporaryDirectory { directory in
            let key = try keyFile(in: directory)
            try expectSameRefusal("one trailing byte", envelope + [0], in: directory, key: key)
            try expectSameRefusal("a second envelope", envelope + envelope, piece: 4096, in: directory, key: key)
        }
    }

    @Test("flipped bits in a record's header, ciphertext or tag, and moved records, are refused naming the record")
    func tampering() throws {
        try WebCryptoHarness.requireNode()
        try withTemporaryDirectory { directory in
            let key = try keyFile(in: directory)
            let cases: [(String, [UInt8], [UInt8])] = [
                ("ciphertext of record 1", flipping(bit: 0, at: 1096 + 5 + 10, in: envelope), plaintext),
                ("tag of the final record", flipping(bit: 7, at: envelope.count - 1, in: envelope), plaintext),
                ("ciphertext of record 0", flipping(bit: 3, at: 51 + 5, in: envelope), plaintext),
                ("flag of record 1 made final", flipping(bit: 0, at: 1096, in: envelope), plaintext),
                ("length of record 1", flipping(bit: 0, at: 1096 + 4, in: envelope), plaintext),
                ("unknown flag of record 0", flipping(bit: 4, at: 51, in: envelope), plaintext),
                ("final record longer than a chunk", replacing(at: 2141 + 1, with: [0, 0, 0x04, 0x01], in: envelope), plaintext),
                (
                    "records 1 and 2 swapped",
                    Array(fourChunkEnvelope[..<51] + record(0) + record(2) + record(1) + record(3) + fourChunkEnvelope.suffix(21)),
                    fourChunkPlaintext
                ),
                (
                    "records 0 and 1 swapped",
                    Array(fourChunkEnvelope[..<51] + record(1) + record(0) + record(2) + record(3) + fourChunkEnvelope.suffix(21)),
                    fourChunkPlaintext
                ),
                (
                    "record 1 replayed",
                    Array(fourChunkEnvelope[..<51] + record(0) + record(1) + record(1) + record(3) + fourChunkEnvelope.suffix(21)),
                    fourChunkPlaintext
                ),
            ]
            for (name, bytes, source) in cases {
                try expectSameRefusal(name, bytes, plaintext: source, in: directory, key: key)
            }
        }
    }

    @Test("another purpose or another private key is refused at the first chunk")
    func wrongPurposeOrKey() throws {
        try WebCryptoHarness.requireNode()
        try withTemporaryDirectory { directory in
            let key = try keyFile(in: directory)
            try expectSameRefusal("another deal", envelope, purpose: "upload:deal-43:org-1", in: directory, key: key)
            try expectSameRefusal("a delivery", envelope, purpose: "delivery:deal-42:org-1", in: directory, key: key)
            let other = EnvelopePrivateKey.generate()
            let otherFile = directory.appending(path: "other.key.pem")
            try Data(other.pemText.utf8).write(to: otherFile)
            try expectSameRefusal("another firm's key", envelope, in: directory, key: (other, otherFile))
        }
    }

    @Test("a refused download stops: what authenticated is released, the bad record is not, and the source is cancelled")
    func nothingBeforeAuthentication() throws {
        try WebCryptoHarness.requireNode()
        try withTemporaryDirectory { directory in
            let key = try keyFile(in: directory)
            let large = randomBytes(40 * 1024)
            let sealed = try sealEnvelope(large, to: privateKey.publicKey, purpose: try EnvelopePurpose(purpose))
            let tampered = flipping(bit: 2, at: 51 + 3 * 1045 + 600, in: sealed)
            let (report, output) = try WebCryptoHarness.open(tampered, keyFile: key.1, purpose: purpose, in: directory, piece: 1000)
            #expect(report.error == WebCryptoHarness.Refusal(EnvelopeError.framing(.chunkAuthenticationFailed(index: 3, offset: 51 + 3 * 1045))))
            #expect(report.yieldedBytes == 3 * 1024)
            #expect(report.yieldedSha256 == hex(SHA256.hash(data: large.prefix(3 * 1024))))
            #expect(report.sourceCancelled == true)
            #expect(output == nil)
        }
    }

    @Test("a file that changes while it is sealed is refused, not sealed short")
    func fileChangedWhileSealing() throws {
        try WebCryptoHarness.requireNode()
        try withTemporaryDirectory { directory in
            let publicFile = directory.appending(path: "broker.pub.pem")
            try Data(privateKey.publicKey.pemText.utf8).write(to: publicFile)
            let (report, _) = try WebCryptoHarness.seal(
                plaintext, publicKeyFile: publicFile, purpose: purpose, chunkSize: 1024, via: "records", in: directory,
                options: ["--short-read-at", "2048"])
            let refusal = try #require(report.error)
            #expect(refusal.code == "sourceChanged" && refusal.details == ["offset": 2048])
            #expect(refusal.message.contains("offset 2048") && refusal.message.contains("choose the file again"))
        }
    }

    @Test("the sealer refuses the chunk sizes and purposes TrocCrypto refuses, with the same error")
    func sealerRefusals() throws {
        try WebCryptoHarness.requireNode()
        try withTemporaryDirectory { directory in
            let publicFile = directory.appending(path: "broker.pub.pem")
            try Data(privateKey.publicKey.pemText.utf8).write(to: publicFile)
            for chunkSize in [512, 16 * 1024 * 1024 + 1] {
                let swiftError = try #require(throws: EnvelopeError.self) {
                    _ = try EnvelopeSealer(recipient: privateKey.publicKey, purpose: try EnvelopePurpose(purpose), chunkSize: chunkSize)
                }
                let (report, _) = try WebCryptoHarness.seal(
                    [1, 2, 3], publicKeyFile: publicFile, purpose: purpose, chunkSize: chunkSize, via: "records", in: directory)
                #expect(report.error == WebCryptoHarness.Refusal(swiftError), "chunk size \(chunkSize)")
            }
            for text in ["", "upload deal", "livraison:été", String(repeating: "x", count: 256)] {
                let swiftError = try #require(throws: EnvelopeError.self) { try EnvelopePurpose(text) }
                for via in ["records", "stream", "blob"] {
                    let (report, _) = try WebCryptoHarness.seal(
                        [1, 2, 3], publicKeyFile: publicFile, purpose: text, chunkSize: 1024, via: via, in: directory)
                    #expect(report.error == WebCryptoHarness.Refusal(swiftError), "purpose \"\(text)\" via \(via)")
                }
            }
        }
    }
}
