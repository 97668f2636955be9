import Foundation
import FuzzSupport
import TrocCrypto

/// The at-rest blob opener (`BlobOpener`) on arbitrary bytes, and on blobs sealed then damaged.
///
/// Input: a control byte, then either a blob (bit 0 clear) opened with a fixed data key, or (bit 0 set) a
/// chunk-size byte, two bytes of damage offset, a damage mask and a plaintext that the harness seals,
/// damages and opens. The fixed data key reaches the opener the way the store's does: unwrapped by a master key.
enum BlobHarness {
    /// The fixed data key, wrapped by the fixed master key for blob `fuzz-blob` (Fuzz/make_corpus.py derives both).
    static let dataKey: DataKey = {
        do {
            let masterKey = try MasterKey(base64Text: "SQOosf6jzRfrDB9wTronpwHDZpcBydYM30f4EBERj8Q=")
            let wrapped = try WrappedKey(
                bytes: Data(base64Encoded: "AWgwfumpYKUjct4AXuL1IWY0DaRLhQ17+DUSHsVTfuzGfOhIF9ENSYBdazeUpZIKylAU+bjmUq/gtzG1dhZszmBDHvmf")!)
            return try masterKey.unwrapDataKey(wrapped, blobID: "fuzz-blob")
        } catch {
            fatalError("the fuzz blob key does not unwrap: \(error)")
        }
    }()
    /// Slice sizes: single bytes, primes, a header, a record of 1024-byte chunks, everything.
    static let sliceSizes = [[1], [2, 3], [5, 1], [17], [13], [1045], [4096, 1], [1 << 20]]
    /// Bytes around each chunk's plaintext: the record header and the AES-GCM tag.
    static let recordOverhead = 21

    /// One fuzzer input.
    static func run(_ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let control = input.byte()
        let sizes = sliceSizes[Int(control >> 5)]
        if control & 1 == 0 {
            openArbitrary(input.rest(), sizes: sizes)
        } else {
            let chunkSize = 1024 + Int(input.byte()) * 4
            let offset = Int(input.byte()) << 8 | Int(input.byte())
            let mask = input.byte()
            sealDamageOpen(input.rest(), chunkSize: chunkSize, damage: (offset, mask), sizes: sizes)
        }
    }

    /// Whatever opens is authentic: a prefix of the seeds' plaintext (`p[i] = i mod 251`) cut at chunk bounds,
    /// and failing the same way whether the bytes come in one piece or in slices.
    static func openArbitrary(_ blob: [UInt8], sizes: [Int]) {
        let sliced = OpeningRun(BlobStream(opener: BlobOpener(dataKey: dataKey)), bytes: blob, sizes: sizes)
        let whole = OpeningRun(BlobStream(opener: BlobOpener(dataKey: dataKey)), bytes: blob, sizes: [max(blob.count, 1)])
        FuzzCheck.equal(sliced.failure, whole.failure, "the failure of a blob fed in slices \(sizes) and in one piece")
        // A failing call drops the chunks it completed before failing (they are provisional until the end is
        // read): how many were released depends on the cut, but one run's chunks begin the other's.
        let (fewer, more) = sliced.chunks.count <= whole.chunks.count ? (sliced.chunks, whole.chunks) : (whole.chunks, sliced.chunks)
        FuzzCheck.expect(more.starts(with: fewer), "the chunks of a blob fed in slices \(sizes) and in one piece differ")
        if sliced.failure == nil { FuzzCheck.equal(sliced.chunks, whole.chunks, "the chunks of a blob that opened") }
        let plaintext = sliced.plaintext
        FuzzCheck.expect(plaintext.indices.allSatisfy { plaintext[$0] == UInt8($0 % 251) }, "released bytes that were never sealed")
        // Bytes 9-12 of the header are the chunk size; chunks are only released once the header was accepted.
        checkChunkSizes(sliced.chunks, chunkSize: blob.prefix(13).dropFirst(9).reduce(0) { $0 << 8 | Int($1) })
    }

    /// A sealed blob opens to its plaintext; once damaged anywhere, it never opens, and what it released
    /// before the damage is a prefix of the plaintext made only of records entirely before the damage.
    static func sealDamageOpen(_ plaintext: [UInt8], chunkSize: Int, damage: (offset: Int, mask: UInt8), sizes: [Int]) {
        var blob: [UInt8]
        let key: DataKey
        do {
            var sealer = try BlobSealer(chunkSize: chunkSize)
            key = sealer.dataKey
            blob = Array(sealer.header.bytes)
            var start = 0
            while plaintext.count - start >= chunkSize {
                blob += try sealer.seal(plaintext[start..<(start + chunkSize)])
                start += chunkSize
            }
            blob += try sealer.finish(plaintext[start...])
        } catch {
            fatalError("invariant broken: sealing failed: \(error)")
        }
        let damaged = damage.mask != 0
        if damaged { blob[damage.offset % blob.count] ^= damage.mask }
        let run = OpeningRun(BlobStream(opener: BlobOpener(dataKey: key)), bytes: blob, sizes: sizes)
        let released = run.plaintext
        FuzzCheck.expect(released.elementsEqual(plaintext.prefix(released.count)), "released bytes that were not sealed")
        checkChunkSizes(run.chunks, chunkSize: chunkSize)
        if damaged {
            FuzzCheck.expect(run.failure != nil, "a damaged blob (byte \(damage.offset % blob.count) ^ \(damage.mask)) opened")
            let recordsBeforeDamage = max(0, (damage.offset % blob.count - BlobHeader.byteCount) / (chunkSize + recordOverhead))
            FuzzCheck.expect(run.chunks.count <= recordsBeforeDamage, "released \(run.chunks.count) chunks, damage in record \(recordsBeforeDamage)")
        } else {
            FuzzCheck.equal(run.failure, nil, "an undamaged blob's failure")
            FuzzCheck.expect(released == plaintext, "an undamaged blob opened to other bytes")
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
