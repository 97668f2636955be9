package import Foundation
package import GRDB

/// A row of `privacy_spend`: the privacy budget one match report spent on one party's file, towards the other party.
package struct PrivacySpendRecord: StoreRecord {
    package static let databaseTableName = "privacy_spend"

    /// The deal whose report was released.
    package var dealID: String
    /// The party whose file the report described.
    package var organisationID: String
    /// The party that was shown it.
    package var counterpartID: String
    /// The budget ε spent, in thousandths.
    package var milliEpsilon: Int
    /// When the report was released.
    package var spentAt: Date
    /// When the spend stops counting: the end of the deal's retention window, after which its contacts are stale.
    package var countsUntil: Date

    /// A record with every column given (the other stores build it from their rows).
    package init(dealID: String, organisationID: String, counterpartID: String, milliEpsilon: Int, spentAt: Date, countsUntil: Date) {
        self.dealID = dealID
        self.organisationID = organisationID
        self.counterpartID = counterpartID
        self.milliEpsilon = milliEpsilon
        self.spentAt = spentAt
        self.countsUntil = countsUntil
    }

    /// Column references for queries.
    package enum Columns {
        /// The other party.
        package static let counterpartID = Column(CodingKeys.counterpartID)
        /// When the spend stops counting.
        package static let countsUntil = Column(CodingKeys.countsUntil)
        /// The deal.
        package static let dealID = Column(CodingKeys.dealID)
        /// The firm.
        package static let organisationID = Column(CodingKeys.organisationID)
    }
}
