import Foundation
package import Hummingbird
import Logging
import TrocStore

/// Resolves `Authorization: Bearer …` to the caller's identity, or refuses the request with 401.
/// Tokens never reach a log: only their id is attached to the request's logger.
package struct AuthenticationMiddleware: RouterMiddleware {
    package typealias Context = TrocRequestContext

    let broker: Broker

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { throw AccessError.missingToken }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw AccessError.missingToken }
        let authenticated: Authenticated
        do {
            authenticated = try await broker.store.authenticate(secret: String(parts[1]).trimmingCharacters(in: .whitespaces), now: broker.clock())
        } catch {
            switch error {
            case .tokenExpired: throw AccessError.expiredToken
            case .tokenRevoked: throw AccessError.revokedToken
            case .tokenUserDisabled, .userDisabled: throw AccessError.disabledUser
            case .tokenUnknown, .tokenMalformed: throw AccessError.invalidToken
            default: throw error
            }
        }
        // Approved key changes take effect lazily: whatever this request reads next sees the key in force now.
        _ = try await broker.store.settleKeyChanges(now: broker.clock())
        var context = context
        context.identity = Identity(
            userID: authenticated.user.id, role: authenticated.user.role, organisationID: authenticated.organisation.id,
            tokenID: authenticated.token.id, clientAddress: context.clientAddress)
        context.logger[metadataKey: "user"] = .string(authenticated.user.id)
        return try await next(request, context)
    }
}
