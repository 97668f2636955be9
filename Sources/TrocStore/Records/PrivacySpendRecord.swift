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
