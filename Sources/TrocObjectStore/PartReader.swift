import NIOCore

/// Cuts a stream of buffers of any sizes into parts of exactly `partSize` bytes (the last one shorter),
/// holding at most one part.
struct PartReader<Iterator: AsyncIteratorProtocol> where Iterator.Element == ByteBuffer {
    private var iterator: Iterator
    private let partSize: Int
    private var carry: ByteBuffer?
    /// Whether the source has ended (after which the part just returned was the last).
    private(set) var finished = false

    /// A reader of `iterator` in parts of `partSize`.
    init(iterator: Iterator, partSize: Int) {
        self.iterator = iterator
        self.partSize = partSize
    }

    /// The next part: `partSize` bytes, or fewer when the source ends.
    mutating func nextPart() async throws -> ByteBuffer {
        var part = ByteBufferAllocator().buffer(capacity: partSize)
        while part.readableBytes < partSize {
            let next: ByteBuffer? = if let carried = carry.take() { carried } else { try await iterator.next() }
            guard var chunk = next else {
                finished = true
                break
            }
            let room = partSize - part.readableBytes
            if chunk.readableBytes > room, let head = chunk.readSlice(length: room) {
                part.writeImmutableBuffer(head)
                carry = chunk
            } else {
                part.writeBuffer(&chunk)
            }
        }
        if !finished && carry == nil {
            // A source that ends exactly on a part boundary should not cost an empty part.
            if let chunk = try await iterator.next() { carry = chunk } else { finished = true }
        }
        return part
    }
}
