package import Foundation
package import GRDB

/// A row of `enrolment_code`: a one-time code that lets a user set their console credentials, stored only as a hash.
package struct EnrolmentCodeRecord: StoreRecord, Identifiable {
    package static let databaseTableName = "enrolment_code"

    /// `enr_` and 16 base32 characters.
    package var id: String
    /// The user who enrols with it.
    package var userID: String
    /// SHA-256 of the code's canonical text.
    package var hash: Data
    /// Who issued it; nil for the broker's own set-up.
    package var createdByUserID: String?
    /// When it was issued.
    package var createdAt: Date
    /// The first instant it no longer works.
    package var expiresAt: Date
    /// When it was used.
    package var usedAt: Date?
    /// When a newer code (or the user's disabling) replaced it.
    package var revokedAt: Date?

    /// A record with every column given (the other stores build it from their rows).
    package init(
        id: String, userID: String, hash: Data, createdByUserID: String?, createdAt: Date, expiresAt: Date, usedAt: Date?, revokedAt: Date?
    ) {
        self.id = id
        self.userID = userID
        self.hash = hash
        self.createdByUserID = createdByUserID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
        self.revokedAt = revokedAt
    }

    /// Column references for queries.
    package enum Columns {
        /// The code's hash.
        package static let hash = Column(CodingKeys.hash)
        /// The user.
        package static let userID = Column(CodingKeys.userID)
    }
}

/// A code just issued: its record and its text, which exists only here and is shown once.
package struct IssuedEnrolmentCode: Sendable {
    /// The stored record.
    package var record: EnrolmentCodeRecord
    /// The code, `XXXX-XXXX-XXXX-XXXX-XXXX`.
    package var code: String

    /// A code just issued, with its record.
    package init(record: EnrolmentCodeRecord, code: String) {
        self.record = record
        self.code = code
    }
}
