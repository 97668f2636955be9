import Foundation
import Testing
import TrocCrypto

/// Every way an envelope can be wrong is refused, with an error that names the fault and where it is.
@Suite struct EnvelopeFailureTests {
    let privateKey: EnvelopePrivateKey
    let purpose: EnvelopePurpose
    /// 3000 bytes at 1 KiB chunks: records at offsets 51, 1096 (full) and 2141 (final, 952 bytes); 3114 bytes in all.
    let plaintext: [UInt8]
    let envelope: [UInt8]
    /// 4 full chunks and an empty final record, for swapping two non-final records.
    let fourChunkEnvelope: [UInt8]

    init() throws {
        privateKey = EnvelopePrivateKey.generate()
        purpose = try .upload("deal-42")
        plaintext = randomBytes(3000)
        envelope = try sealEnvelope(plaintext, to: privateKey.publicKey, purpose: purpose)
        fourChunkEnvelope = try sealEnvelope(randomBytes(4096), to: privateKey.publicKey, purpose: purpose)
    }

    /// The error opening `bytes` with this suite's key and purpose throws.
    func failure(_ bytes: [UInt8], purpose: EnvelopePurpose? = nil) -> EnvelopeError? {
        envelopeError(bytes, with: privateKey, purpose: purpose ?? self.purpose)
    }

    /// `envelope` with one bit flipped.
    func flipping(bit: Int, at offset: Int, in bytes: [UInt8]? = nil) -> [UInt8] {
        var copy = bytes ?? envelope
        copy[offset] ^= UInt8(1 << bit)
        return copy
    }

    @Test("a file that is not an envelope is refused after its first bytes")
    func notAnEnvelope() throws {
        var opener = EnvelopeOpener(privateKey: privateKey, purpose: purpose)
        #expect(throws: EnvelopeError.notAnEnvelope) { try opener.feed(Array("email,phone\n".utf8)) }
        #expect(failure([]) == .notAnEnvelope)
        #expect(failure(Array("TROC".utf8)) == .notAnEnvelope)
        #expect(failure(Array("TROCHPKE".utf8)) == .framing(.truncated(completeChunks: 0, offset: 8)))
    }

    @Test("unsupported version, suite and chunk size are named")
    func unsupportedHeader() throws {
        var version = envelope
        version[8] = 2
        #expect(failure(version) == .unsupportedVersion(2))
        var kem = envelope
        kem[10] = 0x10
        #expect(failure(kem) == .unsupportedSuite(kem: 0x0010, kdf: 0x0001, aead: 0x0002))
        var aead = envelope
        aead[14] = 0x01
        #expect(failure(aead) == .unsupportedSuite(kem: 0x0020, kdf: 0x0001, aead: 0x0001))
        var chunkSize = envelope
        chunkSize[17] = 0x00
        chunkSize[18] = 0x10
        #expect(failure(chunkSize) == .framing(.chunkSizeOutOfBounds(16)))
    }

    @Test("a low-order encapsulated key is refused before any record")
    func lowOrderEncapsulatedKey() throws {
        var zeroEnc = envelope
        zeroEnc.replaceSubrange(19..<51, with: [UInt8](repeating: 0, count: 32))
        let error = failure(zeroEnc)
        guard case .invalidKey = error else {
            Issue.record("expected invalidKey, got \(String(describing: error))")
            return
        }
    }

    @Test("truncation at every record boundary is reported as a missing end marker")
    func truncatedAtBoundaries() throws {
        #expect(failure(Array(envelope[..<51])) == .framing(.truncated(completeChunks: 0, offset: 51)))
        #expect(failure(Array(envelope[..<1096])) == .framing(.truncated(completeChunks: 1, offset: 1096)))
        #expect(failure(Array(envelope[..<2141])) == .framing(.truncated(completeChunks: 2, offset: 2141)))
    }

    @Test("dropping the final record is refused")
    func droppedFinalRecord() throws {
        let withoutFinal = Array(fourChunkEnvelope.dropLast(21))
        #expect(failure(withoutFinal) == .framing(.truncated(completeChunks: 4, offset: 51 + 4 * 1045)))
    }

    @Test("truncation inside the header or a record is refused")
    func truncatedInside() throws {
        #expect(failure(Array(envelope[..<30])) == .framing(.truncated(completeChunks: 0, offset: 30)))
        #expect(failure(Array(envelope[..<1500])) == .framing(.truncated(completeChunks: 1, offset: 1500)))
        #expect(failure(Array(envelope.dropLast())) == .framing(.truncated(completeChunks: 2, offset: 3113)))
    }

    @Test("swapping two chunks fails at the first moved one")
    func swappedChunks() throws {
        let recordSize = 1045
        func record(_ index: Int) -> ArraySlice<UInt8> { fourChunkEnvelope[(51 + index * recordSize)..<(51 + (index + 1) * recordSize)] }
        let swappedMiddle = Array(fourChunkEnvelope[..<51] + record(0) + record(2) + record(1) + record(3) + fourChunkEnvelope.suffix(21))
        #expect(failure(swappedMiddle) == .framing(.chunkAuthenticationFailed(index: 1, offset: 51 + recordSize)))
        let swappedFirst = Array(fourChunkEnvelope[..<51] + record(1) + record(0) + record(2) + record(3) + fourChunkEnvelope.suffix(21))
        #expect(failure(swappedFirst) == .wrongKeyOrPurpose)
        let replayed = Array(fourChunkEnvelope[..<51] + record(0) + record(1) + record(1) + record(3) + fourChunkEnvelope.suffix(21))
        #expect(failure(replayed) == .framing(.chunkAuthenticationFailed(index: 2, offset: 51 + 2 * recordSize)))
    }

    @Test("a flipped bit in ciphertext, tag or record header names the chunk")
    func flippedBits() throws {
        #expect(failure(flipping(bit: 0, at: 1096 + 5 + 10)) == .framing(.chunkAuthenticationFailed(index: 1, offset: 1096)))
        #expect(failure(flipping(bit: 7, at: envelope.count - 1)) == .framing(.chunkAuthenticationFailed(index: 2, offset: 2141)))
        #expect(failure(flipping(bit: 3, at: 51 + 5)) == .wrongKeyOrPurpose)
        // Flag 0x00 -> 0x01 keeps the framing valid, so only the AAD catches it.
        #expect(failure(flipping(bit: 0, at: 1096)) == .framing(.chunkAuthenticationFailed(index: 1, offset: 1096)))
        let lengthFlipped = failure(flipping(bit: 0, at: 1096 + 4))
        guard case .framing(.malformedRecord(index: 1, offset: 1096, _)) = lengthFlipped else {
            Issue.record("expected a malformed record 1, got \(String(describing: lengthFlipped))")
            return
        }
        let unknownFlag = failure(flipping(bit: 4, at: 51))
        guard case .framing(.malformedRecord(index: 0, offset: 51, let reason)) = unknownFlag else {
            Issue.record("expected a malformed record 0, got \(String(describing: unknownFlag))")
            return
        }
        #expect(reason.text.contains("0x10"))
    }

    @Test("every single-bit flip in the header is refused and yields nothing")
    func everyHeaderBit() throws {
        for offset in 0..<51 {
            for bit in 0..<8 {
                var opener = EnvelopeOpener(privateKey: privateKey, purpose: purpose)
                var yielded = 0
                var refused = false
                do {
                    yielded = try opener.feed(flipping(bit: bit, at: offset)).count
                    try opener.finish()
                } catch {
                    refused = true
                }
                #expect(refused && yielded == 0, "bit \(bit) of header byte \(offset) was not refused")
            }
        }
    }

    @Test("every single-bit flip anywhere is refused")
    func everyBit() throws {
        let small = try sealEnvelope(randomBytes(1100), to: privateKey.publicKey, purpose: purpose)
        for offset in small.indices {
            for bit in 0..<8 {
                #expect(failure(flipping(bit: bit, at: offset, in: small)) != nil, "bit \(bit) of byte \(offset) was not refused")
            }
        }
    }

    @Test("the wrong private key is refused at the first chunk")
    func wrongKey() throws {
        let other = EnvelopePrivateKey.generate()
        #expect(envelopeError(envelope, with: other, purpose: purpose) == .wrongKeyOrPurpose)
        #expect(EnvelopeError.wrongKeyOrPurpose.description.contains("another public key or for another purpose"))
    }

    @Test("an envelope sealed for another purpose is refused at the first chunk")
    func wrongPurpose() throws {
        #expect(failure(envelope, purpose: try .upload("deal-43")) == .wrongKeyOrPurpose)
        #expect(failure(envelope, purpose: try .delivery("deal-42")) == .wrongKeyOrPurpose)
    }

    @Test("bytes after the final record are refused, in the same feed or a later one")
    func trailingData() throws {
        #expect(failure(envelope + [0]) == .framing(.trailingData(offset: 3114)))
        var opener = EnvelopeOpener(privateKey: privateKey, purpose: purpose)
        #expect(try opener.feed(envelope).count == 3)
        #expect(throws: EnvelopeError.framing(.trailingData(offset: 3114))) { try opener.feed([0x00, 0x01]) }
        #expect(throws: EnvelopeError.framing(.trailingData(offset: 3114))) { try opener.finish() }
    }

    @Test("nothing is yielded from a chunk before it authenticates")
    func nothingBeforeAuthentication() throws {
        let tampered = flipping(bit: 2, at: 2000)
        var opener = EnvelopeOpener(privateKey: privateKey, purpose: purpose)
        var yielded: [UInt8] = []
        var failedAt: Int?
        for offset in tampered.indices {
            do {
                for chunk in try opener.feed(tampered[offset...offset]) { yielded += chunk }
            } catch {
                #expect(error == .framing(.chunkAuthenticationFailed(index: 1, offset: 1096)))
                failedAt = offset
                break
            }
        }
        #expect(failedAt == 2140)
        #expect(yielded == Array(plaintext[..<1024]))
    }

    @Test("after a failure every call throws the same error")
    func failureIsSticky() throws {
        var opener = EnvelopeOpener(privateKey: privateKey, purpose: purpose)
        let tampered = flipping(bit: 0, at: 60)
        #expect(throws: EnvelopeError.wrongKeyOrPurpose) { try opener.feed(tampered[..<1200]) }
        #expect(throws: EnvelopeError.wrongKeyOrPurpose) { try opener.feed(tampered[1200...]) }
        #expect(throws: EnvelopeError.wrongKeyOrPurpose) { try opener.finish() }
    }

    @Test("the sealer refuses chunks of the wrong size")
    func sealerMisuse() throws {
        var sealer = try EnvelopeSealer(recipient: privateKey.publicKey, purpose: purpose, chunkSize: 1024)
        #expect(throws: EnvelopeError.framing(.chunkLengthMismatch(expected: 1024, actual: 1000))) { try sealer.seal(randomBytes(1000)) }
        #expect(throws: EnvelopeError.framing(.lastChunkTooLong(maximum: 1024, actual: 1025))) {
            try EnvelopeSealer(recipient: privateKey.publicKey, purpose: purpose, chunkSize: 1024).finish(randomBytes(1025))
        }
    }

    @Test("purposes are 1 to 255 printable ASCII characters", arguments: ["", "upload deal", "livraison:été", String(repeating: "x", count: 256)])
    func invalidPurpose(text: String) throws {
        #expect(throws: EnvelopeError.self) { try EnvelopePurpose(text) }
    }

    @Test("purpose helpers prefix the resource id")
    func purposeHelpers() throws {
        #expect(try EnvelopePurpose.upload("deal-42").text == "upload:deal-42")
        #expect(try EnvelopePurpose.delivery("file-7").text == "delivery:file-7")
        #expect(try EnvelopePurpose(String(repeating: "x", count: 255)).text.count == 255)
    }

    @Test("error messages say what failed, where, and what to do")
    func messages() {
        let chunk = EnvelopeError.framing(.chunkAuthenticationFailed(index: 7, offset: 7366)).description
        #expect(chunk.contains("chunk 7") && chunk.contains("7366") && chunk.contains("send it again"))
        let truncated = EnvelopeError.framing(.truncated(completeChunks: 2, offset: 2141)).description
        #expect(truncated.contains("2141") && truncated.contains("truncated"))
    }
}
