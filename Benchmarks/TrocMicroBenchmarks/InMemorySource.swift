import TrocCore

/// A contact file already in memory, handed to the ingest in reads as large as its buffer: the benchmarks measure
/// parsing, normalising and hashing, not the disk.
final class InMemorySource: ContactByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    /// Reads `bytes` from the start.
    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes[offset..<(offset + count)].withUnsafeBytes { buffer.copyMemory(from: $0) }
        offset += count
        return count
    }
}
