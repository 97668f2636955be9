import Foundation
import NIOCore
import NIOFoundationCompat

/// Chunks of bytes as an async sequence of buffers, for raw uploads in tests.
struct AsyncBytes: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let chunks: [Data]

    func makeAsyncIterator() -> Iterator { Iterator(chunks: chunks) }

    struct Iterator: AsyncIteratorProtocol {
        var chunks: [Data]
        mutating func next() async -> ByteBuffer? {
            chunks.isEmpty ? nil : ByteBuffer(data: chunks.removeFirst())
        }
    }
}
