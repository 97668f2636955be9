import TrocCore

/// A contact file held in memory, handed to the reader in reads of the sizes the fuzzer chose (or smaller,
/// when the reader's buffer is).
final class MemoryByteSource: ContactByteSource {
    private let bytes: [UInt8]
    private let sizes: [Int]
    private var offset = 0
    private var turn = 0

    /// `bytes`, read `sizes[0]`, `sizes[1]`, … bytes at a time, in turn.
    init(_ bytes: [UInt8], readSizes sizes: [Int]) {
        precondition(!sizes.isEmpty && sizes.allSatisfy { $0 > 0 }, "read sizes must be positive")
        self.bytes = bytes
        self.sizes = sizes
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(sizes[turn % sizes.count], buffer.count, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes[offset..<(offset + count)].withUnsafeBytes { buffer.copyMemory(from: $0) }
        offset += count
        turn += 1
        return count
    }
}
