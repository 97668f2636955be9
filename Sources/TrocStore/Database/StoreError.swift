package import Foundation
package import TrocCore
package import TrocCrypto

/// Why a database operation was refused or failed; the server maps each case to its own response.
package enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field of a new record is malformed.
    case invalidField(field: String, value: String, reason: String)
    /// Another organisation already has this SIREN.
    case duplicateSIREN(siren: String, existingOrganisationID: String)
    /// A broker organisation already exists, and there is only one.
    case brokerAlreadyExists(existingOrganisationID: String)
    /// No organisation has this id.
    case organisationNotFound(id: String)
    /// The role does not fit the organisation's kind.
    case roleNotAllowed(role: Role, organisationID: String, organisationKind: OrganisationKind)
    /// No user has this id.
    case userNotFound(id: String)
    /// The user is disabled, so it cannot be given tokens.
    case userDisabled(id: String, disabledAt: Date)
    /// The expiry given for a new token is not after its issue date.
    case expiryNotInFuture(expiresAt: Date, now: Date)
    /// No token has this id.
    case tokenNotFound(id: String)
    /// The presented secret does not have the shape of a Troc token.
    case tokenMalformed
    /// No token has this secret.
    case tokenUnknown
    /// The token expired.
    case tokenExpired(id: String, expiredAt: Date)
    /// The token was revoked.
    case tokenRevoked(id: String, revokedAt: Date)
    /// The token's user is disabled.
    case tokenUserDisabled(tokenID: String, userID: String, disabledAt: Date)
    /// No file has this id.
    case fileNotFound(id: String)
    /// The stored keys were wrapped by another master key than the one loaded.
    case wrongMasterKey(expected: String, loaded: String)
    /// Rotation found a key wrapped by a master key that is neither the old nor the new one.
    case unknownMasterKey(table: String, rowID: String, masterKeyID: String, old: String, new: String)
    /// Rotation was asked to go from a key to itself.
    case rotationToSameKey(masterKeyID: String)
    /// A stored wrapped key could not be parsed or opened.
    case damagedWrappedKey(what: String, KeyWrapError)
    /// The stored broker private key did not decrypt.
    case damagedBrokerKey(id: String, reason: String)
    /// SQLite or GRDB failed.
    case database(String)

    package var description: String {
        switch self {
        case .invalidField(let field, let value, let reason):
            "invalid \(field) \"\(value)\": \(reason)"
        case .duplicateSIREN(let siren, let existing):
            "SIREN \(siren) is already registered to organisation \(existing); update that organisation instead of creating another"
        case .brokerAlreadyExists(let existing):
            "the broker organisation already exists (\(existing)); there is exactly one, create partner organisations instead"
        case .organisationNotFound(let id):
            "no organisation has id \(id)"
        case .roleNotAllowed(let role, let organisationID, let kind):
            "a user with role \(role.rawValue) must belong to the \(role.organisationKind.rawValue) organisation, "
                + "but \(organisationID) is a \(kind.rawValue) organisation"
        case .userNotFound(let id):
            "no user has id \(id)"
        case .userDisabled(let id, let disabledAt):
            "user \(id) was disabled at \(disabledAt.ISO8601Format()); enable it again before issuing tokens"
        case .expiryNotInFuture(let expiresAt, let now):
            "a token must expire after it is issued: expiry \(expiresAt.ISO8601Format()) is not after \(now.ISO8601Format())"
        case .tokenNotFound(let id):
            "no token has id \(id)"
        case .tokenMalformed:
            "the bearer token is not a Troc token: it should be \"troc_\" followed by 43 base64url characters"
        case .tokenUnknown:
            "the bearer token is not known: it was mistyped, or belongs to another Troc server"
        case .tokenExpired(let id, let expiredAt):
            "token \(id) expired at \(expiredAt.ISO8601Format()); ask for a new one"
        case .tokenRevoked(let id, let revokedAt):
            "token \(id) was revoked at \(revokedAt.ISO8601Format()); ask for a new one"
        case .tokenUserDisabled(let tokenID, let userID, let disabledAt):
            "token \(tokenID) belongs to user \(userID), disabled at \(disabledAt.ISO8601Format())"
        case .fileNotFound(let id):
            "no file has id \(id)"
        case .wrongMasterKey(let expected, let loaded):
            "the stored keys are wrapped by master key \(expected), but the loaded master key is \(loaded); "
                + "load the master key file that matches this data directory"
        case .unknownMasterKey(let table, let rowID, let keyID, let old, let new):
            "\(table) \(rowID) is wrapped by master key \(keyID), which is neither the old key \(old) nor the new key \(new); "
                + "nothing was changed: rotate from the key that wrapped it"
        case .rotationToSameKey(let keyID):
            "the old and new master keys are the same key (\(keyID)); generate a new key to rotate to"
        case .damagedWrappedKey(let what, let error):
            "the wrapped key of \(what) cannot be used: \(error)"
        case .damagedBrokerKey(let id, let reason):
            "the stored private key of broker key \(id) does not decrypt: \(reason); restore the database from a backup"
        case .database(let message):
            "database error: \(message)"
        }
    }

    /// Keeps a store error as it is and describes any other (SQLite, GRDB, encoding) as `.database`.
    init(_ error: any Error) {
        self = (error as? StoreError) ?? .database(String(describing: error))
    }
}
