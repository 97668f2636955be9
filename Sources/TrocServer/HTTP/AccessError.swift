package import TrocCore

/// Why a caller may not do what it asked.
package enum AccessError: Error, Equatable {
    /// No `Authorization: Bearer` header.
    case missingToken
    /// The token is not one the broker issued.
    case invalidToken
    case expiredToken
    case revokedToken
    case disabledUser
    /// The caller's role cannot use this endpoint.
    case forbiddenRole(Role, allowed: [Role])
    /// No such resource, or one the caller may not see: both answer 404 so nothing leaks.
    case notFound(String)
}
