import Foundation
import Testing
import TrocCrypto

/// Sealing then opening returns the plaintext, whatever its length, the AEAD or how the bytes arrive.
@Suite struct EnvelopeRoundTripTests {
    let purpose: EnvelopePurpose

    init() throws {
        purpose = try .upload("deal-42")
    }

    @Test(
        "round trip at every length around chunk boundaries",
        arguments: EnvelopeAEAD.allCases, [0, 1, 1023, 1024, 1025, 2048, 3000]
    )
    func roundTrip(aead: EnvelopeAEAD, length: Int) throws {
        let (privateKey, publicKey) = Fixtures.keyPair()
        let plaintext = randomBytes(length)
        let envelope = try sealEnvelope(plaintext, to: publicKey, purpose: purpose, aead: aead)
        #expect(try openEnvelope(envelope, with: privateKey, purpose: purpose) == plaintext)
    }

    @Test("the layout is header, full records, then a shorter final record")
    func layout() throws {
        let (_, publicKey) = Fixtures.keyPair()
        let envelope = try sealEnvelope(randomBytes(2 * 1024 + 100), to: publicKey, purpose: purpose, aead: .chaChaPoly)
        #expect(envelope.count == 51 + 2 * (5 + 1024 + 16) + (5 + 100 + 16))
        #expect(Array(envelope[0..<8]) == Array("TROCHPKE".utf8))
        #expect(Array(envelope[8..<19]) == [0x01, 0x00, 0x20, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x04, 0x00])
        #expect(Array(envelope[51..<56]) == [0x00, 0x00, 0x00, 0x04, 0x00])
        #expect(Array(envelope[1096..<1101]) == [0x00, 0x00, 0x00, 0x04, 0x00])
        #expect(Array(envelope[2141..<2146]) == [0x01, 0x00, 0x00, 0x00, 0x64])
    }

    @Test("a file that fills its last chunk ends with an empty final record")
    func emptyFinalRecord() throws {
        let (privateKey, publicKey) = Fixtures.keyPair()
        let plaintext = randomBytes(2048)
        let envelope = try sealEnvelope(plaintext, to: publicKey, purpose: purpose)
        #expect(Array(envelope.suffix(21).prefix(5)) == [0x01, 0, 0, 0, 0])
        #expect(try openEnvelope(envelope, with: privateKey, purpose: purpose) == plaintext)
    }

    @Test("a full chunk may also be sealed as the final record")
    func fullFinalRecord() throws {
        let (privateKey, publicKey) = Fixtures.keyPair()
        let plaintext = randomBytes(1024)
        let sealer = try EnvelopeSealer(recipient: publicKey, purpose: purpose, chunkSize: 1024)
        let envelope = Array(sealer.header.bytes) + Array(try sealer.finish(plaintext))
        #expect(envelope.count == 51 + 5 + 1024 + 16)
        #expect(try openEnvelope(envelope, with: privateKey, purpose: purpose) == plaintext)
    }

    @Test("feeding one byte at a time yields the same plaintext", arguments: EnvelopeAEAD.allCases)
    func oneByteAtATime(aead: EnvelopeAEAD) throws {
        let (privateKey, publicKey) = Fixtures.keyPair()
        let plaintext = randomBytes(3 * 1024 + 17)
        let envelope = try sealEnvelope(plaintext, to: publicKey, purpose: purpose, aead: aead)
        #expect(try openEnvelope(envelope, with: privateKey, purpose: purpose, sliceSize: 1) == plaintext)
    }

    @Test("feeding random slices yields the same plaintext")
    func randomSlices() throws {
        let (privateKey, publicKey) = Fixtures.keyPair()
        let plaintext = randomBytes(20 * 1024 + 5)
        let envelope = try sealEnvelope(plaintext, to: publicKey, purpose: purpose)
        for maximumSlice in [3, 60, 1100, 5000] {
            #expect(try openEnvelopeInRandomSlices(envelope, with: privateKey, purpose: purpose, maximumSlice: maximumSlice) == plaintext)
        }
    }

    @Test("each chunk is yielded as soon as its record is complete")
    func yieldsPerRecord() throws {
        let (privateKey, publicKey) = Fixtures.keyPair()
        let plaintext = randomBytes(2 * 1024 + 1)
        let envelope = try sealEnvelope(plaintext, to: publicKey, purpose: purpose)
        var opener = EnvelopeOpener(privateKey: privateKey, purpose: purpose)
        #expect(try opener.feed(envelope[..<1095]).isEmpty)
        #expect(opener.header?.chunkSize == 1024)
        #expect(try opener.feed(envelope[1095..<1096]) == [Data(plaintext[..<1024])])
        #expect(!opener.isComplete)
        #expect(try opener.feed(envelope[1096...]) == [Data(plaintext[1024..<2048]), Data(plaintext[2048...])])
        #expect(opener.isComplete)
        try opener.finish()
    }

    @Test("the default chunk size is 32 KiB and the bounds are 1 KiB and 16 MiB inclusive")
    func chunkSizeBounds() throws {
        let (privateKey, publicKey) = Fixtures.keyPair()
        let sealer = try EnvelopeSealer(recipient: publicKey, purpose: purpose)
        #expect(sealer.chunkSize == 32 * 1024)
        let plaintext = [UInt8](repeating: 0xA5, count: ChunkSizeLimits.maximum + 1)
        let envelope = try sealEnvelope(plaintext, to: publicKey, purpose: purpose, chunkSize: ChunkSizeLimits.maximum)
        #expect(try openEnvelope(envelope, with: privateKey, purpose: purpose, sliceSize: 65536) == plaintext)
        for size in [ChunkSizeLimits.minimum - 1, ChunkSizeLimits.maximum + 1, 0, -1] {
            #expect(throws: EnvelopeError.framing(.chunkSizeOutOfBounds(size))) {
                _ = try EnvelopeSealer(recipient: publicKey, purpose: self.purpose, chunkSize: size)
            }
        }
    }

    @Test("two envelopes of the same file differ: each has a fresh ephemeral key")
    func freshEncapsulation() throws {
        let (_, publicKey) = Fixtures.keyPair()
        let plaintext = randomBytes(100)
        let first = try sealEnvelope(plaintext, to: publicKey, purpose: purpose)
        let second = try sealEnvelope(plaintext, to: publicKey, purpose: purpose)
        #expect(first[19..<51] != second[19..<51])
        #expect(first[51...] != second[51...])
    }
}
