package import Hummingbird
import NIOCore

/// A JSON array already written (see `EncodedViews`), answered as the API's encoder answers any list.
package struct JSONArrayResponse: ResponseGenerator {
    /// The array's bytes.
    package var bytes: [UInt8]

    package init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
