package import Foundation
public import GRDB
package import TrocCore

/// A row of `settlement_payment`: money the broker received or paid out for a deal it collects, as on its bank statement.
package struct SettlementPaymentRecord: StoreRecord, Identifiable {
    package static let databaseTableName = "settlement_payment"

    /// `pay_` and 16 base32 characters.
    package var id: String
    /// The deal settled.
    package var dealID: String
    /// Received or paid out.
    package var direction: SettlementPaymentDirection
    /// The firm that paid or was paid.
    package var counterpartyID: String
    /// The amount, in cents.
    package var amountCents: Int64
    /// The value date.
    package var paidOn: CivilDate
    /// The bank's reference.
    package var reference: String
    /// When it was recorded.
    package var recordedAt: Date
    /// The operator who recorded it.
    package var recordedByUserID: String?

    /// A payment row with every column.
    package init(
        id: String, dealID: String, direction: SettlementPaymentDirection, counterpartyID: String, amountCents: Int64, paidOn: CivilDate,
        reference: String, recordedAt: Date, recordedByUserID: String?
    ) {
        self.id = id
        self.dealID = dealID
        self.direction = direction
        self.counterpartyID = counterpartyID
        self.amountCents = amountCents
        self.paidOn = paidOn
        self.reference = reference
        self.recordedAt = recordedAt
        self.recordedByUserID = recordedByUserID
    }

    /// Column references for queries.
    package enum Columns {
        /// The deal.
        package static let dealID = Column(CodingKeys.dealID)
        /// Payment date.
        package static let paidOn = Column(CodingKeys.paidOn)
        /// When the payment was recorded.
        package static let recordedAt = Column(CodingKeys.recordedAt)
    }
}

extension SettlementPaymentDirection: DatabaseValueConvertible {}
