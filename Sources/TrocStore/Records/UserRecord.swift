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
    /// Whether the user may create and disable the other users of its firm (partners only; a firm's first user has it).
    package var firmAdmin: Bool
    /// Who created the user; nil for the broker's own set-up.
    package var createdByUserID: String?
    /// Why an operator added a user to a firm that already had one.
    package var creationReason: String?

    /// A record with every column given (the other stores build it from their rows).
    package init(
        id: String, organisationID: String, role: Role, name: String, email: String?, createdAt: Date, disabledAt: Date?, firmAdmin: Bool,
        createdByUserID: String?, creationReason: String?
    ) {
        self.id = id
        self.organisationID = organisationID
        self.role = role
        self.name = name
        self.email = email
        self.createdAt = createdAt
        self.disabledAt = disabledAt
        self.firmAdmin = firmAdmin
        self.createdByUserID = createdByUserID
        self.creationReason = creationReason
    }

    /// Column references for queries.
    package enum Columns {
        /// The user's organisation.
        package static let organisationID = Column(CodingKeys.organisationID)
        /// The user's role.
        package static let role = Column(CodingKeys.role)
        /// Creation date.
        package static let createdAt = Column(CodingKeys.createdAt)
        /// The id, which breaks ties in listing order.
        package static let id = Column(CodingKeys.id)
        /// When the user was disabled.
        package static let disabledAt = Column(CodingKeys.disabledAt)
    }
}

/// What a creator gives to add a user; the store adds the id, the dates and who created it.
package struct UserDraft: Sendable, Equatable {
    /// The organisation the user acts for.
    package var organisationID: String
    /// The role, which must fit the organisation's kind.
    package var role: Role
    /// Display name, not empty.
    package var name: String
    /// Contact email.
    package var email: String?
    /// Whether a partner user gets the firm-admin right (a firm's first user always does).
    package var firmAdmin: Bool

    /// A draft from its fields.
    package init(organisationID: String, role: Role, name: String, email: String?, firmAdmin: Bool = false) {
        self.organisationID = organisationID
        self.role = role
        self.name = name
        self.email = email
        self.firmAdmin = firmAdmin
    }
}

/// A user just added, with its first token (whose secret exists only here).
package struct CreatedAccount: Sendable {
    /// The stored user.
    package var user: UserRecord
    /// Its first token.
    package var token: IssuedSecret

    /// A user just created with its first token.
    package init(user: UserRecord, token: IssuedSecret) {
        self.user = user
        self.token = token
    }
}

extension UserRecord {
    /// Reads a `user` row column by column: the `Decodable` default costs more than the query on the hot read paths (authentication, deal pages).
    package init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"), organisationID: try row.decode(forColumn: "organisationID"), role: try row.decode(forColumn: "role"),
            name: try row.decode(forColumn: "name"), email: try row.decode(forColumn: "email"), createdAt: try row.decode(forColumn: "createdAt"),
            disabledAt: try row.decode(forColumn: "disabledAt"), firmAdmin: try row.decode(forColumn: "firmAdmin"),
            createdByUserID: try row.decode(forColumn: "createdByUserID"), creationReason: try row.decode(forColumn: "creationReason"))
    }
}
