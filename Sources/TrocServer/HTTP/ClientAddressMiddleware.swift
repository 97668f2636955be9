package import Hummingbird

/// Settles who is calling from where: the connection's peer, or the client a trusted reverse proxy names in
/// `X-Forwarded-For`. Audited actions record the result; it never reaches a log line (an address is personal data).
package struct ClientAddressMiddleware: RouterMiddleware {
    package typealias Context = TrocRequestContext

    /// `X-Forwarded-For`, the de facto header nginx and Caddy set (an `HTTPField.Name`, named through what Hummingbird exports).
    static let forwardedFor = HTTPFields.Element.Name("X-Forwarded-For")!

    let trustedProxies: TrustedProxies

    package init(trustedProxies: TrustedProxies) {
        self.trustedProxies = trustedProxies
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let peer = context.clientAddress.flatMap { IPAddress($0) }
        context.clientAddress = trustedProxies.clientAddress(peer: peer, forwardedFor: request.headers[values: Self.forwardedFor])?.description
        return try await next(request, context)
    }
}
