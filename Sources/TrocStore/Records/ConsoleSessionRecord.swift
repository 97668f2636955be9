package import Foundation
package import GRDB

/// Why a console session ended.
package enum ConsoleSessionEnd: String, Codable, Sendable, DatabaseValueConvertible {
    /// The user signed out.
    case signOut = "sign-out"
    /// The user (or an administrator) signed out every session of the user.
    case signOutEverywhere = "sign-out-everywhere"
    /// No request came within the idle timeout.
    case idle
    /// The session reached its absolute lifetime.
    case expired
    /// The user was disabled.
    case userDisabled = "user-disabled"
    /// The user enrolled again, replacing its credentials.
    case reEnrolled = "re-enrolled"
}

/// A row of `console_session`: a signed-in browser, identified by the SHA-256 of its cookie's secret.
package struct ConsoleSessionRecord: StoreRecord, Identifiable {
    package static let databaseTableName = "console_session"

    /// `ses_` and 16 base32 characters; safe to show and log, unlike the cookie.
    package var id: String
    /// The signed-in user.
    package var userID: String
    /// SHA-256 of the cookie's secret.
    package var hash: Data
    /// The synchroniser token every form and unsafe request of the session carries.
    package var csrfToken: String
    /// False while the password is checked and the second factor is awaited.
    package var verified: Bool
    /// The address the session was opened from.
    package var address: String
    /// When it was opened.
    package var createdAt: Date
    /// When it last served a request, to within a minute.
    package var lastSeenAt: Date
    /// Its absolute end.
    package var expiresAt: Date
    /// When it ended.
    package var endedAt: Date?
    /// Why it ended.
    package var endReason: ConsoleSessionEnd?

    /// Every field given.
    package init(
        id: String, userID: String, hash: Data, csrfToken: String, verified: Bool, address: String, createdAt: Date, lastSeenAt: Date,
        expiresAt: Date, endedAt: Date?, endReason: ConsoleSessionEnd?
    ) {
        self.id = id
        self.userID = userID
        self.hash = hash
        self.csrfToken = csrfToken
        self.verified = verified
        self.address = address
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.endedAt = endedAt
        self.endReason = endReason
    }

    /// Column references for queries.
    package enum Columns {
        /// The secret's hash.
        package static let hash = Column(CodingKeys.hash)
        /// The user.
        package static let userID = Column(CodingKeys.userID)
        /// End date.
        package static let endedAt = Column(CodingKeys.endedAt)
        /// Creation date.
        package static let createdAt = Column(CodingKeys.createdAt)
        /// Expiry date.
        package static let expiresAt = Column(CodingKeys.expiresAt)
    }
}

/// A session just opened: its record and the cookie secret, which exists only here.
package struct OpenedConsoleSession: Sendable {
    /// The stored record.
    package var record: ConsoleSessionRecord
    /// The cookie's value.
    package var secret: String

    /// Every field given.
    package init(record: ConsoleSessionRecord, secret: String) {
        self.record = record
        self.secret = secret
    }
}

/// A live session with the user and organisation it signs in.
package struct ConsoleSignedIn: Sendable {
    /// The session.
    package var session: ConsoleSessionRecord
    /// Its user.
    package var user: UserRecord
    /// The user's organisation.
    package var organisation: OrganisationRecord

    /// Every field given.
    package init(session: ConsoleSessionRecord, user: UserRecord, organisation: OrganisationRecord) {
        self.session = session
        self.user = user
        self.organisation = organisation
    }
}
