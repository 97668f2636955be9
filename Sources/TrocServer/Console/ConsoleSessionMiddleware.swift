import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
package import TrocStore

/// The console session a request runs in: who is signed in, and the form token its unsafe requests must carry.
package struct ConsoleSessionState: Sendable {
    /// The session's id (never its cookie).
    package var sessionID: String
    /// The synchroniser token every form and unsafe request of the session echoes.
    package var csrfToken: String
    /// The signed-in user.
    package var user: UserRecord
    /// The user's organisation.
    package var organisation: OrganisationRecord
    /// False while the second factor is awaited.
    package var verified: Bool
}

/// The console's cookies: `__Host-` names, so browsers keep them to this origin, over HTTPS, for every path.
enum ConsoleCookies {
    /// The session cookie: the session's random secret.
    static let session = "__Host-troc_session"
    /// The sign-in and enrolment forms' token before any session exists (double submit).
    static let form = "__Host-troc_form"

    /// A cookie the page's scripts cannot read, sent back only over HTTPS and only by this site's own pages.
    static func make(_ name: String, value: String) -> Cookie {
        Cookie(name: name, value: value, path: "/", secure: true, httpOnly: true, sameSite: .strict)
    }

    /// A cookie that tells the browser to forget `name`.
    static func clear(_ name: String) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: true, httpOnly: true, sameSite: .strict)
    }
}

/// Why a console request cannot go on as asked; rendered as a page (or a redirect to sign in) by `ConsoleErrorMiddleware`.
enum ConsoleError: Error, Equatable {
    /// No live session: sign in (saying why the last one ended, when known).
    case signInRequired(ConsoleSessionEnd?)
    /// An unsafe request without the session's form token, or from another origin.
    case formTokenRefused
    /// A form field is missing or malformed.
    case invalidField(String)
}

/// Resolves the session cookie to the signed-in user (as `context.identity` and `context.console`), and refuses every
/// unsafe request whose form token is not the session's, or whose `Origin` is another site.
struct ConsoleSessionMiddleware: RouterMiddleware {
    typealias Context = TrocRequestContext

    let broker: Broker
    /// Whether the route serves a session still awaiting its second factor (the code page only).
    var awaitingSecondFactor = false

    /// `X-CSRF-Token`: the form token on requests the console's scripts send (uploads).
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    /// `Sec-Fetch-Site`: where the browser says a request comes from.
    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!
    /// Largest form body read to find its token.
    static let formLimit = 1 << 20
    /// Largest multipart body (a suppression list to import).
    static let multipartLimit = 32 << 20

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let secret = request.cookies[ConsoleCookies.session]?.value, !secret.isEmpty else { throw ConsoleError.signInRequired(nil) }
        let signedIn: ConsoleSignedIn
        do {
            signedIn = try await broker.store.consoleSession(secret: secret, now: broker.clock())
        } catch {
            switch error {
            case .console(.sessionEnded(let reason)): throw ConsoleError.signInRequired(reason)
            case .console(.sessionUnknown): throw ConsoleError.signInRequired(nil)
            default: throw error
            }
        }
        guard signedIn.session.verified != awaitingSecondFactor else { throw ConsoleError.signInRequired(nil) }
        _ = try await broker.store.settleKeyChanges(now: broker.clock())
        var context = context
        context.identity = Identity(
            userID: signedIn.user.id, role: signedIn.user.role, organisationID: signedIn.organisation.id, tokenID: signedIn.session.id,
            clientAddress: context.clientAddress)
        context.console = ConsoleSessionState(
            sessionID: signedIn.session.id, csrfToken: signedIn.session.csrfToken, user: signedIn.user, organisation: signedIn.organisation,
            verified: signedIn.session.verified)
        context.logger[metadataKey: "user"] = .string(signedIn.user.id)
        guard Self.isUnsafe(request.method) else { return try await next(request, context) }
        try Self.checkOrigin(request)
        let (checked, token) = try await Self.formToken(request)
        guard let token, Self.same(token, signedIn.session.csrfToken) else { throw ConsoleError.formTokenRefused }
        return try await next(checked, context)
    }

    /// Whether a method changes something (and so needs the form token).
    static func isUnsafe(_ method: HTTPRequest.Method) -> Bool {
        ![.get, .head, .options].contains(method)
    }

    /// Refuses a request whose `Origin` names another site than the one it was sent to, or that the browser says comes
    /// from another site (`Sec-Fetch-Site`).
    static func checkOrigin(_ request: Request) throws {
        if let site = request.headers[fetchSite], !["same-origin", "none"].contains(site) { throw ConsoleError.formTokenRefused }
        guard let origin = request.headers[.origin] else { return }
        guard let host = request.head.authority, origin == "https://\(host)" || origin == "http://\(host)" else {
            throw ConsoleError.formTokenRefused
        }
    }

    /// The token an unsafe request carries (the `X-CSRF-Token` header, or the `_csrf` field of a form body), and the
    /// request with its body still readable.
    static func formToken(_ request: Request) async throws -> (Request, String?) {
        if let header = request.headers[Self.csrfHeader] { return (request, header) }
        let contentType = request.headers[.contentType] ?? ""
        var request = request
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            let buffer = try await request.body.collect(upTo: formLimit)
            request.body = .init(buffer: buffer)
            return (request, FormFields(encoded: String(buffer: buffer))["_csrf"])
        }
        if let boundary = MultipartForm.boundary(contentType: contentType) {
            let buffer = try await request.body.collect(upTo: multipartLimit)
            request.body = .init(buffer: buffer)
            let form = try? MultipartForm(body: Array(buffer: buffer), boundary: boundary)
            return (request, form?.fields["_csrf"])
        }
        return (request, nil)
    }

    /// Compares two tokens in time independent of where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
