import Foundation
package import Hummingbird
import Logging
import NIOCore
import NIOFoundationEssentialsCompat
package import TrocCore

/// Who is calling: set by `AuthenticationMiddleware` from a valid bearer token.
package struct Identity: Sendable {
    package var userID: String
    package var role: Role
    package var organisationID: String
    package var tokenID: String
    /// Where the request came from (see `ClientAddressMiddleware`), recorded with audited actions.
    package var clientAddress: String?
}

/// The request context of every route: Hummingbird's core storage plus the caller's identity,
/// and JSON coders that write dates as ISO 8601 and keys in a stable order.
package struct TrocRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    package var identity: Identity?
    /// The console session behind the request, set by `ConsoleSessionMiddleware` on the console's pages.
    package var console: ConsoleSessionState?
    /// The connection's peer address, until `ClientAddressMiddleware` replaces it with the one a trusted proxy forwarded.
    package var clientAddress: String?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        console = nil
        clientAddress = source.channel.remoteAddress?.ipAddress.flatMap { IPAddress($0)?.description }
    }

    package var requestDecoder: TrocJSONDecoder { TrocJSONDecoder() }
    package var responseEncoder: TrocJSONEncoder { TrocJSONEncoder() }

    /// The authenticated caller; routes behind `AuthenticationMiddleware` always have one.
    package func caller() throws -> Identity {
        guard let identity else { throw AccessError.missingToken }
        return identity
    }

    /// The caller, if it has one of `roles`; otherwise a 403 naming the role it lacks.
    package func caller(in roles: Role...) throws -> Identity {
        let identity = try caller()
        guard roles.contains(identity.role) else { throw AccessError.forbiddenRole(identity.role, allowed: roles) }
        return identity
    }
}

/// Decodes request bodies strictly: unknown fields are refused, dates are ISO 8601.
package struct TrocJSONDecoder: RequestDecoder {
    package func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        return try StrictJSON.decode(type, from: Data(buffer: buffer))
    }
}

/// Encodes every JSON response of the API, the views handlers return: ISO 8601 dates, sorted keys, UTF-8 JSON.
package struct TrocJSONEncoder: ResponseEncoder {
    package func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let data = try StrictJSON.encoder.encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
    }
}
