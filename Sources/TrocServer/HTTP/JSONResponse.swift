import Foundation
import Hummingbird
import NIOFoundationEssentialsCompat

/// JSON responses with an explicit status (201 for creations), encoded like every other body.
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(data: try StrictJSON.encoder.encode(value))))
    }

    /// 204 No Content.
    static func noContent() -> Response { Response(status: .noContent) }
}
