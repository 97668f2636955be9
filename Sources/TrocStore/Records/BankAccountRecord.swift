package import Foundation
import GRDB
package import TrocCore

/// A row of `organisation_bank_account`: the account a firm is paid into, checked.
package struct BankAccountRecord: StoreRecord {
    package static let databaseTableName = "organisation_bank_account"

    /// The firm.
    package var organisationID: String
    /// IBAN, normalised.
    package var iban: String
    /// BIC.
    package var bic: String
    /// When it was registered or last changed.
    package var updatedAt: Date

    /// A record with every column given (the other stores build it from their rows).
    package init(organisationID: String, iban: String, bic: String, updatedAt: Date) {
        self.organisationID = organisationID
        self.iban = iban
        self.bic = bic
        self.updatedAt = updatedAt
    }

    /// The row of `account` for `organisationID`, changed at `now`.
    package init(organisationID: String, account: BankAccount, now: Date) {
        self.organisationID = organisationID
        iban = account.iban.text
        bic = account.bic.text
        updatedAt = Timestamp.stored(now)
    }

    /// The account, checked again.
    package func account() throws(BankAccountProblems) -> BankAccount { try BankAccount(iban: iban, bic: bic) }
}
