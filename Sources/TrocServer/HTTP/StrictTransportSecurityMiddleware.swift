package import Hummingbird

/// Adds `Strict-Transport-Security` (RFC 6797) to every response the broker sends over HTTPS, so a browser that has
/// reached the console once never tries plain HTTP for it again, and a network attacker cannot strip TLS.
///
/// Plain HTTP on loopback (`--http`) does not send it: there the TLS-terminating proxy in front sets it.
package struct StrictTransportSecurityMiddleware<Context: RequestContext>: RouterMiddleware {
    /// One year, the value the HSTS preload list asks for; no `includeSubDomains`, which would bind sibling hosts
    /// the broker does not run.
    package static var value: String { "max-age=31536000" }

    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.strictTransportSecurity] = Self.value
        return response
    }
}
