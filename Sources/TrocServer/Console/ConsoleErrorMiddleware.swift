import Foundation
import HTTPTypes
import Hummingbird
import Logging
import TrocCore
import TrocStore

/// Turns what a console page throws into what a person can act on: a redirect to the sign-in page when the session is
/// gone, otherwise a page saying what went wrong in the reader's language (scripts asking for JSON get problem+json).
struct ConsoleErrorMiddleware: RouterMiddleware {
    typealias Context = TrocRequestContext

    let renderer: ConsoleRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let wantsJSON =
                request.headers[.accept]?.contains("application/json") == true || request.headers[ConsoleSessionMiddleware.csrfHeader] != nil
            if case ConsoleError.signInRequired(let reason) = error {
                if wantsJSON {
                    return ProblemMapping.response(
                        ProblemMapping.make(401, "console.sign-in-required", "Sign in", "the console session ended; sign in again"))
                }
                return ConsoleRenderer.redirect("/console/login" + (reason.map { "?ended=\($0.rawValue)" } ?? ""))
            }
            let problem = Self.problem(for: error)
            if problem.status >= 500 { context.logger.error("console request failed", metadata: ["error.type": "\(type(of: error))"]) }
            if wantsJSON { return ProblemMapping.response(problem) }
            let language = ConsoleLanguage.preferred(request.headers[.acceptLanguage])
            let text = ConsoleText(language)
            let frame = ConsolePageFrame(
                language: language, title: text.problemTitle(problem), session: context.console, section: nil, flash: nil)
            var values: [String: Any?] = [
                "problem": [
                    "status": problem.status, "code": problem.code, "summary": text.problemSummary(problem), "detail": problem.detail,
                    "fields": (problem.errors ?? []).map { ["field": $0.field, "detail": $0.detail] }, "hasFields": !(problem.errors ?? []).isEmpty,
                ]
            ]
            values["back"] = Self.back(request)
            return renderer.page("error", frame: frame, values: values, status: .init(code: problem.status))
        }
    }

    /// The problem an error maps to, with the console's own cases.
    static func problem(for error: any Error) -> Problem {
        switch error {
        case ConsoleError.formTokenRefused:
            return ProblemMapping.make(
                403, "console.form-token", "Form refused",
                "the form did not carry this session's token (an old tab, or another site sending it): reload the page and try again")
        case ConsoleError.invalidField(let field):
            return ProblemMapping.make(422, "console.invalid-field", "Invalid field", "the field \(field) is missing or malformed")
        default:
            return ProblemMapping.problem(for: error)
        }
    }

    /// Where the error page's back link goes: the page a form was sent from (its path without the action), else home.
    static func back(_ request: Request) -> String {
        var path = request.uri.path
        if request.method == .post, let slash = path.lastIndex(of: "/"), path.distance(from: path.startIndex, to: slash) > "/console".count {
            path = String(path[..<slash])
        } else if request.method != .get {
            path = "/console/"
        }
        return path.hasPrefix("/console") ? path : "/console/"
    }
}

/// The headers every console response carries: nothing loaded from elsewhere, no framing, no sniffing, no referrer to
/// other sites.
struct ConsoleHeadersMiddleware: RouterMiddleware {
    typealias Context = TrocRequestContext

    /// The content security policy: this origin only, no inline script or style, forms sent only here.
    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.frameOptions] = "DENY"
        response.headers[Self.referrerPolicy] = "same-origin"
        response.headers[Self.openerPolicy] = "same-origin"
        return response
    }

    /// `X-Frame-Options`, for browsers older than `frame-ancestors`.
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    /// `Referrer-Policy: same-origin`: no console URL (which may name a deal) leaves in a referrer to another site, while
    /// the console's own forms keep a real `Origin` (under `no-referrer`, Chromium sends `Origin: null`).
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    /// `Cross-Origin-Opener-Policy`.
    static let openerPolicy = HTTPField.Name("Cross-Origin-Opener-Policy")!
}
