package import Hummingbird
import NIOCore

/// Answers a refused request only once its body has arrived, up to the upload limit.
///
/// HTTP/1.1 clients that do not send `Expect: 100-continue` (AsyncHTTPClient, which `troc` uses, among them)
/// may lose an answer that arrives while they are still sending: a firm over its quota, a deal no longer taking
/// files or an expired token then saw "connection broken" instead of the problem that says what to do. The body
/// is read through one shared iterator, so whatever the handler left unread (nothing, or the rest of a stream it
/// stopped part way) is read and discarded before the error becomes the answer. Only bodies of a declared length
/// within the limit wait so: a body declared larger is refused at once, and a chunked one is answered as soon as it
/// is refused, since its sender announced no end to wait for.
package struct RefusalAfterBodyMiddleware: RouterMiddleware {
    package typealias Context = TrocRequestContext

    let limit: Int

    package init(limit: Int) {
        self.limit = limit
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let declared = request.headers[.contentLength].flatMap(Int.init), declared > 0, declared <= limit else {
            return try await next(request, context)
        }
        let body = SharedRequestBody(request.body)
        var request = request
        request.body = RequestBody(asyncSequence: body)
        do {
            return try await next(request, context)
        } catch {
            await body.discardRemainder(upTo: limit)
            throw error
        }
    }
}

/// A request body read through one iterator by whoever asks: the handler first, then the middleware for what is left.
///
/// `@unchecked Sendable`: the handler and then `RefusalAfterBodyMiddleware` read it one after the other in the
/// request's own task, never at the same time.
final class SharedRequestBody: AsyncSequence, @unchecked Sendable {
    typealias Element = ByteBuffer

    private var iterator: RequestBody.AsyncIterator
    private var finished = false

    init(_ body: RequestBody) {
        iterator = body.makeAsyncIterator()
    }

    /// The next buffer of the body, or nil at its end.
    func next() async throws -> ByteBuffer? {
        guard !finished else { return nil }
        guard let buffer = try await iterator.next() else {
            finished = true
            return nil
        }
        return buffer
    }

    /// Reads and drops what the handler left, at most `limit` bytes; a body that breaks off ends the reading quietly.
    func discardRemainder(upTo limit: Int) async {
        var discarded = 0
        while discarded <= limit, let buffer = try? await next() { discarded += buffer.readableBytes }
    }

    /// Iterates the shared body.
    struct AsyncIterator: AsyncIteratorProtocol {
        let body: SharedRequestBody
        mutating func next() async throws -> ByteBuffer? { try await body.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: self) }
}
