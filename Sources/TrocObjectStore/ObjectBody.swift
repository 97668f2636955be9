import AsyncHTTPClient
public import NIOCore

/// An object's bytes as an asynchronous sequence of buffers, never held whole.
public struct ObjectBody: AsyncSequence, Sendable {
    /// A chunk of the object as it came off the connection.
    public typealias Element = ByteBuffer
    let base: HTTPClientResponse.Body

    /// Iterates the chunks in order.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: HTTPClientResponse.Body.AsyncIterator

        /// The next chunk, or nil at the end of the object.
        public mutating func next() async throws -> ByteBuffer? {
            try await base.next()
        }
    }

    /// Starts reading; a body is read once.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator())
    }
}
