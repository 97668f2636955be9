package import Foundation
package import GRDB

/// A row of `token`: a bearer API token, stored only as the SHA-256 of its secret.
package struct TokenRecord: StoreRecord, Identifiable {
    package static let databaseTableName = "token"

    /// `tok_` and 16 base32 characters; safe to show and log, unlike the secret.
    package var id: String
    /// The user the token authenticates.
    package var userID: String
    /// SHA-256 of the secret's UTF-8 text (32 bytes).
    package var hash: Data
    /// What the token is for, chosen by its owner.
    package var label: String
    /// When the token was issued.
    package var createdAt: Date
    /// The first instant at which the token no longer authenticates.
    package var expiresAt: Date
    /// When the token was revoked.
    package var revokedAt: Date?
    /// When the token last authenticated, to within a minute (see `AppDatabase.lastUsedGranularity`).
    package var lastUsedAt: Date?
    /// The token it was minted with, if any: it expires no later and is revoked with it.
    package var parentID: String?

    /// A record with every column given (the other stores build it from their rows).
    package init(
        id: String, userID: String, hash: Data, label: String, createdAt: Date, expiresAt: Date, revokedAt: Date?, lastUsedAt: Date?,
        parentID: String?
    ) {
        self.id = id
        self.userID = userID
        self.hash = hash
        self.label = label
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
        self.parentID = parentID
    }

    /// Column references for queries.
    package enum Columns {
        /// The secret's hash.
        package static let hash = Column(CodingKeys.hash)
        /// The owning user.
        package static let userID = Column(CodingKeys.userID)
        /// Issue date.
        package static let createdAt = Column(CodingKeys.createdAt)
        /// The token it was minted with.
        package static let parentID = Column(CodingKeys.parentID)
        /// Revocation date.
        package static let revokedAt = Column(CodingKeys.revokedAt)
        /// The id, which breaks ties in listing order.
        package static let id = Column(CodingKeys.id)
    }
}

/// A token just issued: its record and its secret, which exists only here and must be shown once.
package struct IssuedSecret: Sendable {
    /// The stored record.
    package var token: TokenRecord
    /// The bearer secret, `troc_` and 43 base64url characters.
    package var secret: String

    /// A token just issued with its secret.
    package init(token: TokenRecord, secret: String) {
        self.token = token
        self.secret = secret
    }
}

/// Who a valid token speaks for.
package struct Authenticated: Sendable, Equatable {
    /// The user.
    package var user: UserRecord
    /// The user's organisation.
    package var organisation: OrganisationRecord
    /// The token that authenticated.
    package var token: TokenRecord

    /// Who a token speaks for.
    package init(user: UserRecord, organisation: OrganisationRecord, token: TokenRecord) {
        self.user = user
        self.organisation = organisation
        self.token = token
    }
}

extension TokenRecord {
    /// Reads a `token` row column by column: the `Decodable` default costs more than the query on the hot read paths (authentication, deal pages).
    package init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"), userID: try row.decode(forColumn: "userID"), hash: try row.decode(forColumn: "hash"),
            label: try row.decode(forColumn: "label"), createdAt: try row.decode(forColumn: "createdAt"),
            expiresAt: try row.decode(forColumn: "expiresAt"),
            revokedAt: try row.decode(forColumn: "revokedAt"), lastUsedAt: try row.decode(forColumn: "lastUsedAt"),
            parentID: try row.decode(forColumn: "parentID"))
    }
}

extension IssuedSecret {
    /// A new secret from the system CSPRNG and the row that stores only its SHA-256, under a fresh id.
    package static func make(userID: String, parentID: String?, label: String, expiresAt: Date, now: Date) -> IssuedSecret {
        let secret = TokenSecret.make()
        // The secret was just made in the right shape, so it always hashes.
        let hash = TokenSecret.hash(of: secret)!
        let token = TokenRecord(
            id: RecordID.make(RecordID.token), userID: userID, hash: hash, label: label, createdAt: Timestamp.stored(now),
            expiresAt: Timestamp.stored(expiresAt), revokedAt: nil, lastUsedAt: nil, parentID: parentID)
        return IssuedSecret(token: token, secret: secret)
    }
}
