import Crypto
import Foundation
import Testing
import TrocCrypto

/// The decryption vectors published in docs/envelope.md open to the documented plaintexts.
@Suite struct EnvelopeTestVectorTests {
    let vectors: [EnvelopeTestVector]

    init() throws {
        vectors = try EnvelopeTestVector.loadAll()
    }

    @Test("the document holds three vectors: AES-256-GCM over 3 chunks, ChaCha20-Poly1305, and an empty file")
    func inventory() throws {
        #expect(vectors.map(\.description) == ["1", "2", "3"])
        #expect(try vectors[0].field("aead").hasPrefix("0x0002") && vectors[0].plaintext().count > 2 * 1024)
        #expect(try vectors[1].field("aead").hasPrefix("0x0003"))
        #expect(try vectors[2].plaintext().isEmpty)
    }

    @Test("each vector opens with the documented key and purpose, fed whole or one byte at a time")
    func open() throws {
        for vector in vectors {
            let privateKey = try EnvelopePrivateKey(rawRepresentation: bytes(hex: try vector.field("recipient_private_key")))
            #expect(hex(privateKey.publicKey.rawRepresentation) == (try vector.field("recipient_public_key")))
            let purpose = try EnvelopePurpose(try vector.field("purpose"))
            let expected = try vector.plaintext()
            #expect(hex(SHA256.hash(data: expected)) == (try vector.field("plaintext_sha256")))
            #expect(vector.envelope.count == Int(try vector.field("envelope_length")))
            #expect(try openEnvelope(vector.envelope, with: privateKey, purpose: purpose) == expected, "vector \(vector)")
            #expect(try openEnvelope(vector.envelope, with: privateKey, purpose: purpose, sliceSize: 1) == expected, "vector \(vector)")
            #expect(envelopeError(vector.envelope, with: privateKey, purpose: try EnvelopePurpose("upload:other")) == .wrongKeyOrPurpose)
        }
    }

    @Test("each vector's info and enc lines follow section 1.3 from its header and purpose")
    func infoAndEnc() throws {
        for vector in vectors {
            let purpose = Array(try vector.field("purpose").utf8)
            let info = Array(vector.envelope[..<19]) + [UInt8(purpose.count >> 8), UInt8(purpose.count & 0xFF)] + purpose
            #expect(hex(info) == (try vector.field("info")), "vector \(vector)")
            #expect(hex(vector.envelope[19..<51]) == (try vector.field("enc")), "vector \(vector)")
            #expect(Array(vector.envelope[15..<19]) == [0, 0, 4, 0], "vector \(vector) should use 1 KiB chunks")
        }
    }
}
