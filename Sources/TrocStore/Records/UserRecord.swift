package import Foundation
public import GRDB
package import TrocCore

extension Role: DatabaseValueConvertible {}

extension Role {
    /// The organisation kind this role belongs to.
    package var organisationKind: OrganisationKind {
        switch self {
        case .partner: .partner
        case .operator, .accountant: .broker
        }
    }
}

/// A row of `user`: a person or a script acting for one organisation with one role.
package struct UserRecord: StoreRecord, Identifiable {
    package static let databaseTableName = "user"

    /// `usr_` and 16 base32 characters.
    package var id: String
    /// The organisation the user acts for.
    package var organisationID: String
    /// The user's role, which must fit the organisation's kind.
    package var role: Role
    /// Display name.
    package var name: String
    /// Contact email, if given.
    package var email: String?
    /// When the user was created.
    package var createdAt: Date
    /// When the user was disabled; a disabled user's tokens no longer authenticate.
    package var disabledAt: Date?
}
