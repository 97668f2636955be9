package import Foundation
package import GRDB
package import TrocCore

/// A row of `billing_mandate`: a firm's acceptance of the billing mandate, in force until withdrawn.
package struct BillingMandateRecord: StoreRecord, Identifiable {
    package static let databaseTableName = "billing_mandate"

    /// `mdt_` and 16 base32 characters: the reference invoices print.
    package var id: String
    /// The firm that gave it.
    package var organisationID: String
    /// The version of the wording accepted.
    package var wordingVersion: String
    /// What it covers (`exchange-invoices`).
    package var scope: String
    /// Days the firm has to contest an invoice issued in its name.
    package var contestDays: Int
    /// The full wording the firm accepted.
    package var wording: String
    /// When it was accepted.
    package var acceptedAt: Date
    /// The firm's user who accepted it.
    package var acceptedByUserID: String
    /// When it was withdrawn, if it was.
    package var withdrawnAt: Date?
    /// The firm's user who withdrew it.
    package var withdrawnByUserID: String?
    /// Why, if the firm said.
    package var withdrawalReason: String?

    /// A record with every column given (the other stores build it from their rows).
    package init(
        id: String, organisationID: String, wordingVersion: String, scope: String, contestDays: Int, wording: String, acceptedAt: Date,
        acceptedByUserID: String, withdrawnAt: Date?, withdrawnByUserID: String?, withdrawalReason: String?
    ) {
        self.id = id
        self.organisationID = organisationID
        self.wordingVersion = wordingVersion
        self.scope = scope
        self.contestDays = contestDays
        self.wording = wording
        self.acceptedAt = acceptedAt
        self.acceptedByUserID = acceptedByUserID
        self.withdrawnAt = withdrawnAt
        self.withdrawnByUserID = withdrawnByUserID
        self.withdrawalReason = withdrawalReason
    }

    /// Whether it is in force.
    package var inForce: Bool { withdrawnAt == nil }

    /// The acceptance as invoices cite it, dated in UTC like every civil date of the broker.
    package var acceptance: MandateAcceptance {
        MandateAcceptance(reference: id, acceptedOn: Timestamp.day(acceptedAt), contestDays: contestDays, wordingVersion: wordingVersion)
    }

    /// Column references for queries.
    package enum Columns {
        /// Acceptance date.
        package static let acceptedAt = Column(CodingKeys.acceptedAt)
        /// The id, which breaks ties in listing order.
        package static let id = Column(CodingKeys.id)
        /// The firm.
        package static let organisationID = Column(CodingKeys.organisationID)
        /// Withdrawal date; nil while the mandate stands.
        package static let withdrawnAt = Column(CodingKeys.withdrawnAt)
    }
}
