import NIOCore
import Testing

@testable import TrocObjectStore

/// Parts are cut at exact sizes whatever the incoming buffers' sizes, without losing or reordering a byte.
@Suite struct PartReaderTests {
    /// The parts `bytes` arrives as when fed in `chunk`-sized buffers and cut every `partSize` bytes.
    func parts(of bytes: [UInt8], chunk: Int, partSize: Int) async throws -> [[UInt8]] {
        let chunks = stride(from: 0, to: bytes.count, by: chunk).map { ByteBuffer(bytes: bytes[$0..<min($0 + chunk, bytes.count)]) }
        var reader = PartReader(iterator: chunks.async.makeAsyncIterator(), partSize: partSize)
        var parts: [[UInt8]] = []
        repeat {
            let part = try await reader.nextPart()
            parts.append(Array(part.readableBytesView))
        } while !reader.finished
        return parts
    }

    @Test(arguments: [(1_000, 7, 100), (1_000, 100, 100), (1_000, 333, 100), (999, 1_000, 100), (50, 3, 100), (0, 5, 100)])
    func partsAreExactAndComplete(length: Int, chunk: Int, partSize: Int) async throws {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let parts = try await parts(of: bytes, chunk: chunk, partSize: partSize)
        #expect(Array(parts.joined()) == bytes)
        #expect(parts.dropLast().allSatisfy { $0.count == partSize })
        #expect(parts.last.map { $0.count <= partSize } == true)
        // A length that is a multiple of the part size costs no trailing empty part.
        #expect(parts.count == max(1, (length + partSize - 1) / partSize))
    }
}
