package import Hummingbird
package import Logging

/// Logs each request by its method and route template (`/v1/deals/{dealId}`), never its URI.
///
/// A query string may carry what must not reach a log (a token pasted by mistake, an email in a filter), and path
/// values are ids already attached where they matter; Hummingbird's own request log writes the full URI.
package struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    private let level: Logger.Level

    package init(_ level: Logger.Level) {
        self.level = level
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Router middleware runs once the route is resolved, so the template is known; unknown paths have none.
        context.logger.log(
            level: level, "request",
            metadata: ["http.method": .string(request.method.rawValue), "http.route": .string(context.endpointPath ?? "unmatched")])
        return try await next(request, context)
    }
}
