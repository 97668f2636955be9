import Crypto
import Foundation
import Testing
import TrocCrypto

/// At-rest blobs round-trip, follow the documented format, and refuse any damage.
@Suite struct BlobTests {
    @Test("round trip at every length around chunk boundaries", arguments: [0, 1, 1023, 1024, 1025, 5000])
    func roundTrip(length: Int) throws {
        let plaintext = randomBytes(length)
        let (blob, dataKey) = try sealBlob(plaintext)
        #expect(try openBlob(blob, dataKey: dataKey) == plaintext)
        #expect(try openBlob(blob, dataKey: dataKey, sliceSize: 1) == plaintext)
    }

    @Test("the default chunk size is the envelope's")
    func defaultChunkSize() throws {
        #expect(try BlobSealer().chunkSize == ChunkSizeLimits.standard)
        #expect(throws: BlobError.framing(.chunkSizeOutOfBounds(100))) { _ = try BlobSealer(chunkSize: 100) }
    }

    @Test("an independent decoder following docs/envelope.md reads the blob and its wrapped data key")
    func documentedFormat() throws {
        let master = MasterKey.generate()
        let plaintext = randomBytes(2500)
        let (blob, dataKey) = try sealBlob(plaintext)
        let wrapped = Array(try master.wrap(dataKey, blobID: "blob-1").bytes)

        // Wrapped key: version 1, master key id, then AES-GCM nonce || ciphertext || tag with AAD "troc/wrap/data-key/v1" 0x00 blob id.
        #expect(wrapped.count == 69 && wrapped[0] == 1)
        #expect(hex(wrapped[1..<9]) == master.id.description)
        let masterBytes = try #require(Data(base64Encoded: master.base64Text))
        let wrapAAD = Array("troc/wrap/data-key/v1".utf8) + [0] + Array("blob-1".utf8)
        let rawDataKey = try AES.GCM.open(AES.GCM.SealedBox(combined: wrapped[9...]), using: SymmetricKey(data: masterBytes), authenticating: wrapAAD)
        let key = SymmetricKey(data: rawDataKey)

        // Blob: "TROCBLOB", version 1, chunk size; records of flag, length, ciphertext, tag; nonce = 4 zero bytes || u64 index.
        #expect(Array(blob[..<13]) == Array("TROCBLOB".utf8) + [1, 0, 0, 4, 0])
        var offset = 13
        var index: UInt64 = 0
        var decoded: [UInt8] = []
        var sawFinal = false
        while offset < blob.count {
            let recordHeader = Array(blob[offset..<(offset + 5)])
            let length = Int(recordHeader[1]) << 24 | Int(recordHeader[2]) << 16 | Int(recordHeader[3]) << 8 | Int(recordHeader[4])
            let body = blob[(offset + 5)..<(offset + 5 + length + 16)]
            let nonce = try AES.GCM.Nonce(data: [0, 0, 0, 0] + withUnsafeBytes(of: index.bigEndian) { Array($0) })
            let box = try AES.GCM.SealedBox(nonce: nonce, ciphertext: body.dropLast(16), tag: body.suffix(16))
            decoded += try AES.GCM.open(box, using: key, authenticating: Array(blob[..<13]) + recordHeader)
            sawFinal = recordHeader[0] == 1
            offset += 5 + length + 16
            index += 1
        }
        #expect(sawFinal && index == 3)
        #expect(decoded == plaintext)
    }

    @Test("another blob's data key is refused at the first chunk")
    func wrongDataKey() throws {
        let (blob, _) = try sealBlob(randomBytes(3000))
        let otherKey = try unrelatedDataKey()
        #expect(throws: BlobError.wrongDataKey) { try openBlob(blob, dataKey: otherKey) }
    }

    @Test("truncation, reordering, trailing bytes and bit flips are refused")
    func damage() throws {
        let (blob, dataKey) = try sealBlob(randomBytes(3000))
        // Records at 13, 1058 (full, 1045 bytes) and 2103 (final, 952 bytes); 3076 bytes in all.
        #expect(throws: BlobError.framing(.truncated(completeChunks: 2, offset: 2103))) { try openBlob(Array(blob[..<2103]), dataKey: dataKey) }
        #expect(throws: BlobError.framing(.trailingData(offset: 3076))) { try openBlob(blob + [0], dataKey: dataKey) }
        let swapped = Array(blob[..<13] + blob[1058..<2103] + blob[13..<1058] + blob[2103...])
        #expect(throws: BlobError.wrongDataKey) { try openBlob(swapped, dataKey: dataKey) }
        var flipped = blob
        flipped[1500] ^= 0x40
        #expect(throws: BlobError.framing(.chunkAuthenticationFailed(index: 1, offset: 1058))) { try openBlob(flipped, dataKey: dataKey) }
        var header = blob
        header[12] ^= 0x01
        #expect(throws: BlobError.self) { try openBlob(header, dataKey: dataKey) }
        var magic = blob
        magic[0] = 0x00
        #expect(throws: BlobError.notABlob) { try openBlob(magic, dataKey: dataKey) }
        var version = blob
        version[8] = 9
        #expect(throws: BlobError.unsupportedVersion(9)) { try openBlob(version, dataKey: dataKey) }
    }

    @Test("every single-bit flip is refused")
    func everyBit() throws {
        let (blob, dataKey) = try sealBlob(randomBytes(1100))
        for offset in blob.indices {
            for bit in 0..<8 {
                var copy = blob
                copy[offset] ^= UInt8(1 << bit)
                #expect(throws: BlobError.self, "bit \(bit) of byte \(offset) was not refused") { try openBlob(copy, dataKey: dataKey) }
            }
        }
    }
}
