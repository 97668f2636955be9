package import Foundation
import GRDB
package import TrocCore
package import TrocCrypto

/// Why a database operation was refused or failed; the server maps each case to its own response.
package enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field of a new record is malformed.
    case invalidField(field: String, value: String, reason: String)
    /// Another organisation already has this SIREN.
    case duplicateSIREN(siren: String, existingOrganisationID: String)
    /// A broker organisation already exists, and there is only one.
    case brokerAlreadyExists(existingOrganisationID: String)
    /// No organisation has this id.
    case organisationNotFound(id: String)
    /// The role does not fit the organisation's kind.
    case roleNotAllowed(role: Role, organisationID: String, organisationKind: OrganisationKind)
    /// No user has this id.
    case userNotFound(id: String)
    /// The user is disabled, so it cannot be given tokens.
    case userDisabled(id: String, disabledAt: Date)
    /// The expiry given for a new token is not after its issue date.
    case expiryNotInFuture(expiresAt: Date, now: Date)
    /// No token has this id.
    case tokenNotFound(id: String)
    /// The presented secret does not have the shape of a Troc token.
    case tokenMalformed
    /// No token has this secret.
    case tokenUnknown
    /// The token expired.
    case tokenExpired(id: String, expiredAt: Date)
    /// The token was revoked.
    case tokenRevoked(id: String, revokedAt: Date)
    /// The token's user is disabled.
    case tokenUserDisabled(tokenID: String, userID: String, disabledAt: Date)
    /// No file has this id.
    case fileNotFound(id: String)
    /// The stored keys were wrapped by another master key than the one loaded.
    case wrongMasterKey(expected: String, loaded: String)
    /// Rotation found a key wrapped by a master key that is neither the old nor the new one.
    case unknownMasterKey(table: String, rowID: String, masterKeyID: String, old: String, new: String)
    /// Rotation was asked to go from a key to itself.
    case rotationToSameKey(masterKeyID: String)
    /// A stored wrapped key could not be parsed or opened.
    case damagedWrappedKey(what: String, KeyWrapError)
    /// The stored broker private key did not decrypt.
    case damagedBrokerKey(id: String, reason: String)
    /// The database handle was opened without the audit key, so it cannot record audited changes.
    case auditKeyMissing
    /// The audit trail is damaged, so it is not extended until restored.
    case auditTrailDamaged(AuditDamage)
    /// No deal has this id, or the acting partner is not one of its parties.
    case dealNotFound(id: String)
    /// The deal is not in a state the transition starts from.
    case dealTransitionRefused(DealTransitionError)
    /// The actor's role may not make this transition.
    case transitionNotAllowed(transition: DealTransition, role: Role)
    /// The sector verdict forbids the deal outright.
    case dealRefusedBySector(kind: SectorVerdict.Kind, reason: String)
    /// The price per 1,000 addresses is outside the broker's bounds.
    case priceOutOfBounds(price: Money, minimum: Money, maximum: Money)
    /// A deal party must be a partner organisation.
    case organisationNotPartner(id: String)
    /// Files can be attached only while the deal awaits them.
    case dealNotAwaitingFiles(dealID: String, current: DealState)
    /// The match needs both parties' files.
    case dealFilesMissing(dealID: String, organisationIDs: [String])
    /// A file was replaced after the match started.
    case dealFilesChanged(dealID: String)
    /// The reports between two firms within the retention window have spent the privacy budget on one's files towards the other.
    case privacyBudgetSpent(organisationID: String, counterpartID: String, availableFrom: Date)
    /// No delivery has this id for the asking organisation.
    case deliveryNotFound(id: String)
    /// The delivery's download window is over.
    case deliveryExpired(id: String, expiredAt: Date)
    /// The delivery has no downloads left.
    case deliveryExhausted(id: String)
    /// The delivery was purged at the end of retention.
    case deliveryPurged(id: String, purgedAt: Date)
    /// The file feeds a deal that has not been released yet.
    case fileInUse(fileID: String, dealID: String, state: DealState)
    /// No notice has this id for the asking firm.
    case noticeNotFound(id: String)
    /// Proposed broker settings break the rules.
    case invalidSettings(BrokerSettingsError)
    /// The broker's invoicing identity is not (fully) set yet.
    case invoicingNotConfigured(missing: [String])
    /// No invoice has this number.
    case invoiceNotFound(number: String)
    /// The credit note cannot be issued.
    case creditNoteRefused(CreditNoteError)
    /// No number can be allocated in the draft's series.
    case invoiceNumbering(InvoiceNumberError)
    /// A draft does not fit the deal it is issued for.
    case invalidInvoiceDraft(index: Int, reason: String)
    /// A change to users, tokens or delivery keys that the account rules refuse.
    case account(AccountRefusal)
    /// A console enrolment, sign-in or session the console rules refuse.
    case console(ConsoleRefusal)
    /// Storing the file would take the firm over one of its quotas.
    case quotaExceeded(QuotaExcess)
    /// A firm may delete only files no deal refers to; this one is attached to a deal.
    case fileAttachedToDeal(fileID: String, dealID: String, state: DealState)
    /// SQLite or GRDB failed.
    case database(String)
    /// A declared VAT status does not fit the firm's address or SIREN.
    case vatStatusInvalid(VATStatusError)
    /// A firm cannot agree a deal before registering its VAT status and bank account.
    case partyNotReady(organisationID: String, name: String, missing: [String])
    /// The deal's terms could not be frozen: its invoices could not be computed on them.
    case dealTermsRefused(InvoicingError)
    /// The mandate accepted is not the current wording.
    case billingMandateWordingOutdated(given: String, current: String)
    /// Another mandate is in force, with other terms.
    case billingMandateInForce(reference: String, contestDays: Int)
    /// The firm has no mandate in force to withdraw.
    case billingMandateNotInForce(organisationID: String)
    /// The mandate is withdrawn while invoices are being issued under it.
    case billingMandateInUse(reference: String, dealIDs: [String])
    /// A party of the deal has no billing mandate in force.
    case billingMandateMissing(dealID: String, firms: [String])
    /// The financial year's start cannot move once invoices were issued in the current year.
    case financialYearLocked(current: ClosedRange<CivilDate>, invoices: Int)
    /// The deal has no settlement statement (it is not invoiced).
    case settlementNotFound(dealID: String)
    /// A settlement payment breaks the rules.
    case settlementPaymentRefused(SettlementPaymentError)
    /// The file system holding the database is full (SQLite's `SQLITE_FULL`).
    case storageFull
    /// The database cannot be written: its file system is read-only (SQLite's `SQLITE_READONLY`).
    case storageReadOnly

    package var description: String {
        switch self {
        case .invalidField(let field, let value, let reason):
            "invalid \(field) \"\(value)\": \(reason)"
        case .duplicateSIREN(let siren, let existing):
            "SIREN \(siren) is already registered to organisation \(existing); update that organisation instead of creating another"
        case .brokerAlreadyExists(let existing):
            "the broker organisation already exists (\(existing)); there is exactly one, create partner organisations instead"
        case .organisationNotFound(let id):
            "no organisation has id \(id)"
        case .roleNotAllowed(let role, let organisationID, let kind):
            "a user with role \(role.rawValue) must belong to the \(role.organisationKind.rawValue) organisation, "
                + "but \(organisationID) is a \(kind.rawValue) organisation"
        case .userNotFound(let id):
            "no user has id \(id)"
        case .userDisabled(let id, let disabledAt):
            "user \(id) was disabled at \(disabledAt.ISO8601Format()); enable it again before issuing tokens"
        case .expiryNotInFuture(let expiresAt, let now):
            "a token must expire after it is issued: expiry \(expiresAt.ISO8601Format()) is not after \(now.ISO8601Format())"
        case .tokenNotFound(let id):
            "no token has id \(id)"
        case .tokenMalformed:
            "the bearer token is not a Troc token: it should be \"troc_\" followed by 43 base64url characters"
        case .tokenUnknown:
            "the bearer token is not known: it was mistyped, or belongs to another Troc server"
        case .tokenExpired(let id, let expiredAt):
            "token \(id) expired at \(expiredAt.ISO8601Format()); ask for a new one"
        case .tokenRevoked(let id, let revokedAt):
            "token \(id) was revoked at \(revokedAt.ISO8601Format()); ask for a new one"
        case .tokenUserDisabled(let tokenID, let userID, let disabledAt):
            "token \(tokenID) belongs to user \(userID), disabled at \(disabledAt.ISO8601Format())"
        case .fileNotFound(let id):
            "no file has id \(id)"
        case .wrongMasterKey(let expected, let loaded):
            "the stored keys are wrapped by master key \(expected), but the loaded master key is \(loaded); "
                + "load the master key file that matches this data directory"
        case .unknownMasterKey(let table, let rowID, let keyID, let old, let new):
            "\(table) \(rowID) is wrapped by master key \(keyID), which is neither the old key \(old) nor the new key \(new); "
                + "nothing was changed: rotate from the key that wrapped it"
        case .rotationToSameKey(let keyID):
            "the old and new master keys are the same key (\(keyID)); generate a new key to rotate to"
        case .damagedWrappedKey(let what, let error):
            "the wrapped key of \(what) cannot be used: \(error)"
        case .damagedBrokerKey(let id, let reason):
            "the stored private key of broker key \(id) does not decrypt: \(reason); restore the database from a backup"
        case .auditKeyMissing:
            "this database handle has no audit key, so it cannot record audited changes; open it with withAuditKey(_:) "
                + "once the broker keys are loaded"
        case .auditTrailDamaged(let damage):
            "\(damage); nothing more is recorded until the database is restored from a backup whose trail verifies"
        case .dealNotFound(let id):
            "no deal has id \(id)"
        case .dealTransitionRefused(let error):
            error.description
        case .transitionNotAllowed(let transition, let role):
            "a \(role.rawValue) cannot \(transition.rawValue) a deal; only "
                + (transition.actors.isEmpty ? "the broker's services" : transition.actors.map(\.rawValue).sorted().joined(separator: " or "))
                + " can"
        case .dealRefusedBySector(let kind, let reason):
            "the sectors forbid this deal (\(kind.rawValue)): \(reason)"
        case .priceOutOfBounds(let price, let minimum, let maximum):
            "pricePer1000: \(price.frenchString) per 1 000 addresses is outside the broker's bounds "
                + "\(minimum.frenchString)…\(maximum.frenchString); agree a price within them"
        case .organisationNotPartner(let id):
            "organisation \(id) is not a partner firm; deals are between two partner organisations"
        case .dealNotAwaitingFiles(let dealID, let current):
            "deal \(dealID) is \(current.rawValue): files can be attached only while it is awaiting-files"
        case .dealFilesMissing(let dealID, let organisationIDs):
            "deal \(dealID) cannot be matched before \(organisationIDs.joined(separator: " and ")) attached a file"
        case .dealFilesChanged(let dealID):
            "a file of deal \(dealID) was replaced while the match ran; run the match again on the files attached now"
        case .privacyBudgetSpent(let organisationID, let counterpartID, let availableFrom):
            "the match reports between \(organisationID) and \(counterpartID) within the retention window have spent the privacy "
                + "budget between them; a new report can be released from \(availableFrom.ISO8601Format())"
        case .deliveryNotFound(let id):
            "no delivery has id \(id)"
        case .deliveryExpired(let id, let expiredAt):
            "delivery \(id) could be downloaded until \(expiredAt.ISO8601Format()); ask the broker to release it again"
        case .deliveryExhausted(let id):
            "delivery \(id) has no downloads left; ask the broker for more"
        case .deliveryPurged(let id, let purgedAt):
            "delivery \(id) was purged at \(purgedAt.ISO8601Format()) at the end of the deal's retention period"
        case .fileInUse(let fileID, let dealID, let state):
            "file \(fileID) is attached to deal \(dealID), which is \(state.rawValue); cancel the deal or wait for its release first"
        case .noticeNotFound(let id):
            "no notice to your firm has id \(id); `troc notices list` shows the notices your firm received"
        case .invalidSettings(let error):
            error.description
        case .invoicingNotConfigured(let missing):
            "the broker's invoicing identity is incomplete: set \(missing.joined(separator: ", ")) in the broker settings"
        case .invoiceNotFound(let number):
            "no invoice has number \(number)"
        case .creditNoteRefused(let error):
            error.description
        case .invoiceNumbering(let error):
            error.description
        case .invalidInvoiceDraft(let index, let reason):
            "invoice draft \(index + 1): \(reason); nothing was issued"
        case .account(let refusal):
            refusal.description
        case .console(let refusal):
            refusal.description
        case .quotaExceeded(let excess):
            excess.kind == .storage
                ? "the firm's stored files take \(QuotaExcess.text(bytes: excess.used)) of its \(QuotaExcess.text(bytes: excess.limit)) quota, "
                    + "and this upload adds at least \(QuotaExcess.text(bytes: excess.requested)); delete files it no longer needs "
                    + "(troc files delete FILE_ID) or ask the broker for a larger quota"
                : "the firm already stores as many files as its quota allows (\(excess.limit)); delete one it no longer needs "
                    + "(troc files delete FILE_ID) or ask the broker for a larger quota"
        case .fileAttachedToDeal(let fileID, let dealID, let state):
            "file \(fileID) is attached to deal \(dealID) (\(state.rawValue)); the broker keeps it as long as the deal needs it "
                + "and deletes it afterwards"
        case .database(let message):
            "database error: \(message)"
        case .vatStatusInvalid(let error):
            error.description
        case .partyNotReady(let id, let name, let missing):
            "\(name) (\(id)) has not registered its \(missing.joined(separator: " and ")) yet, which the deal's invoices need; "
                + "an operator records the VAT status (`troc orgs set-vat-status`), the firm its bank account (`troc orgs set-bank-account`)"
        case .dealTermsRefused(let error):
            "the deal cannot be agreed on these terms: \(error)"
        case .billingMandateWordingOutdated(let given, let current):
            "wordingVersion: \(given) is not the current wording of the billing mandate (\(current)); read it again (`troc mandate show`) and accept that one"
        case .billingMandateInForce(let reference, let contestDays):
            "mandate \(reference) is in force with a contest delay of \(contestDays) days; withdraw it first to accept other terms"
        case .billingMandateNotInForce(let id):
            "organisation \(id) has no billing mandate in force"
        case .billingMandateInUse(let reference, let dealIDs):
            "mandate \(reference) cannot be withdrawn while deal \(dealIDs.joined(separator: ", ")) is being invoiced under it; try again in a moment"
        case .billingMandateMissing(let dealID, let firms):
            "deal \(dealID): \(firms.joined(separator: " and ")) \(firms.count == 1 ? "has" : "have") no billing mandate in force, "
                + "so the broker cannot issue the exchange invoices in \(firms.count == 1 ? "its" : "their") name (CGI art. 289, I-2); "
                + "each firm accepts it with `troc mandate accept`"
        case .financialYearLocked(let period, let invoices):
            "the financial year \(period.lowerBound)…\(period.upperBound) already has \(invoices) invoice\(invoices == 1 ? "" : "s"); "
                + "its start can change only before the first invoice of a year, when the new year is declared to the tax office"
        case .settlementNotFound(let dealID):
            "deal \(dealID) has no settlement statement: it is not invoiced"
        case .settlementPaymentRefused(let error):
            error.description
        case .storageFull:
            "the file system of the data directory is full, so the database could not write; nothing of this operation was kept: "
                + "free space there"
        case .storageReadOnly:
            "the data directory is read-only, so the database could not write; nothing of this operation was kept: remount it read-write"
        }
    }

    /// Keeps a store error as it is, names a full or read-only file system, and describes any other failure (SQLite, GRDB,
    /// encoding) as `.database`.
    package init(_ error: any Error) {
        if let error = error as? StoreError {
            self = error
        } else if let error = error as? DatabaseError, error.resultCode == .SQLITE_FULL {
            self = .storageFull
        } else if let error = error as? DatabaseError, error.resultCode == .SQLITE_READONLY {
            self = .storageReadOnly
        } else {
            self = .database(String(describing: error))
        }
    }
}
