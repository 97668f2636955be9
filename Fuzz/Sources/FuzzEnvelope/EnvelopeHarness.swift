import Foundation
import FuzzSupport
import TrocCrypto

/// The envelope opener (`EnvelopeOpener`) on arbitrary bytes, and on envelopes sealed then damaged.
///
/// Input: a control byte, then either an envelope (bit 0 clear) opened with the key and a purpose of the
/// documented test vectors (docs/envelope.md section 7), or (bit 0 set) a chunk-size byte, two bytes of
/// damage offset, a damage mask and a plaintext that the harness seals, damages and opens.
enum EnvelopeHarness {
    /// skRm of RFC 9180 test vector A.1, the recipient of the documented envelope vectors.
    static let privateKey = try! EnvelopePrivateKey(
        pemText: "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VuBCIEIEYSxVAmP8itWDdd8/VXqsUx0mhQkD5VqfI/IdhTTorI\n-----END PRIVATE KEY-----\n")
    /// The purposes of vectors 1, 2 and 3.
    static let purposes = ["upload:vector-1", "delivery:vector-2", "upload:vector-3"].map { try! EnvelopePurpose($0) }
    /// Slice sizes: single bytes, primes, a header, a record of the vectors' 1024-byte chunks, everything.
    static let sliceSizes = [[1], [2, 3], [5, 1], [17], [51], [1045], [4096, 1], [1 << 20]]
    /// Bytes around each chunk's plaintext: the record header and the AEAD tag.
    static let recordOverhead = 21

    /// One fuzzer input.
    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let control = input.byte()
        let sizes = sliceSizes[Int(control >> 5)]
        if control & 1 == 0 {
            openArbitrary(input.rest(), purpose: purposes[Int(control >> 1 & 0b11) % purposes.count], sizes: sizes)
        } else {
            let chunkSize = 1024 + Int(input.byte()) * 4
            let offset = Int(input.byte()) << 8 | Int(input.byte())
            let mask = input.byte()
            sealDamageOpen(
                input.rest(), chunkSize: chunkSize, aead: control & 0b10 == 0 ? .aesGCM256 : .chaChaPoly, damage: (offset, mask), sizes: sizes)
        }
    }

    /// Whatever opens is authentic: a prefix of a vector's plaintext (`p[i] = i mod 251`), cut at chunk bounds,
    /// and failing the same way whether the bytes come in one piece or in slices.
    static func openArbitrary(_ envelope: [UInt8], purpose: EnvelopePurpose, sizes: [Int]) {
        let sliced = OpeningRun(EnvelopeStream(opener: EnvelopeOpener(privateKey: privateKey, purpose: purpose)), bytes: envelope, sizes: sizes)
        let whole = OpeningRun(
            EnvelopeStream(opener: EnvelopeOpener(privateKey: privateKey, purpose: purpose)), bytes: envelope, sizes: [max(envelope.count, 1)])
        FuzzCheck.equal(sliced.failure, whole.failure, "the failure of an envelope fed in slices \(sizes) and in one piece")
        // A failing call drops the chunks it completed before failing (they are provisional until the end is
        // read): how many were released depends on the cut, but one run's chunks begin the other's.
        let (fewer, more) = sliced.chunks.count <= whole.chunks.count ? (sliced.chunks, whole.chunks) : (whole.chunks, sliced.chunks)
        FuzzCheck.expect(more.starts(with: fewer), "the chunks of an envelope fed in slices \(sizes) and in one piece differ")
        if sliced.failure == nil { FuzzCheck.equal(sliced.chunks, whole.chunks, "the chunks of an envelope that opened") }
        let plaintext = sliced.plaintext
        FuzzCheck.expect(plaintext.indices.allSatisfy { plaintext[$0] == UInt8($0 % 251) }, "released bytes that no sender sealed")
        // Bytes 15-18 of the header are the chunk size; chunks are only released once the header was accepted.
        checkChunkSizes(sliced.chunks, chunkSize: envelope.prefix(19).dropFirst(15).reduce(0) { $0 << 8 | Int($1) })
    }

    /// A sealed envelope opens to its plaintext; once damaged anywhere, it never opens, and what it released
    /// before the damage is a prefix of the plaintext made only of records entirely before the damage.
    static func sealDamageOpen(_ plaintext: [UInt8], chunkSize: Int, aead: EnvelopeAEAD, damage: (offset: Int, mask: UInt8), sizes: [Int]) {
        let purpose = try! EnvelopePurpose("upload:fuzz")
        var envelope: [UInt8]
        do {
            var sealer = try EnvelopeSealer(recipient: privateKey.publicKey, purpose: purpose, chunkSize: chunkSize, aead: aead)
            envelope = Array(sealer.header.bytes)
            var start = 0
            while plaintext.count - start >= chunkSize {
                envelope += try sealer.seal(plaintext[start..<(start + chunkSize)])
                start += chunkSize
            }
            envelope += try sealer.finish(plaintext[start...])
        } catch {
            fatalError("invariant broken: sealing failed: \(error)")
        }
        let damaged = damage.mask != 0
        if damaged { envelope[damage.offset % envelope.count] ^= damage.mask }
        let run = OpeningRun(EnvelopeStream(opener: EnvelopeOpener(privateKey: privateKey, purpose: purpose)), bytes: envelope, sizes: sizes)
        let released = run.plaintext
        FuzzCheck.expect(released.elementsEqual(plaintext.prefix(released.count)), "released bytes that were not sealed")
        checkChunkSizes(run.chunks, chunkSize: chunkSize)
        if damaged {
            FuzzCheck.expect(run.failure != nil, "a damaged envelope (byte \(damage.offset % envelope.count) ^ \(damage.mask)) opened")
            let recordsBeforeDamage = max(0, (damage.offset % envelope.count - EnvelopeHeader.byteCount) / (chunkSize + recordOverhead))
            FuzzCheck.expect(run.chunks.count <= recordsBeforeDamage, "released \(run.chunks.count) chunks, damage in record \(recordsBeforeDamage)")
        } else {
            FuzzCheck.equal(run.failure, nil, "an undamaged envelope's failure")
            FuzzCheck.expect(released == plaintext, "an undamaged envelope opened to other bytes")
        }
    }

    /// Every released chunk but the last is exactly the chunk size; the last (the final record's) is at most that.
    static func checkChunkSizes(_ chunks: [[UInt8]], chunkSize: Int) {
        for (index, chunk) in chunks.enumerated() {
            let isLast = index == chunks.count - 1
            FuzzCheck.expect(
                isLast ? chunk.count <= chunkSize : chunk.count == chunkSize, "chunk \(index) of \(chunk.count) bytes, chunk size \(chunkSize)")
        }
    }
}
