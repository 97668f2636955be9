package import Foundation
package import TrocCore

/// The rules a firm's billing terms meet (VAT status, account, billing mandate), whatever the engine that stores them.
extension StoreRules {
    /// `organisation` when it is a partner firm; otherwise the error saying it is not found or not a partner.
    package static func partner(_ organisation: OrganisationRecord?, id: String) throws(StoreError) -> OrganisationRecord {
        guard let organisation else { throw .organisationNotFound(id: id) }
        guard organisation.kind == .partner else { throw .organisationNotPartner(id: id) }
        return organisation
    }

    /// The VAT status `regime` and `vatNumber` give `organisation`, checked against its address and SIREN.
    package static func vatStatus(regime: VATRegime, vatNumber: String?, of organisation: OrganisationRecord) throws(StoreError) -> FirmVATStatus {
        do throws(VATStatusError) {
            return try FirmVATStatus(regime: regime, vatNumber: vatNumber, address: organisation.address, siren: organisation.siren)
        } catch {
            throw .vatStatusInvalid(error)
        }
    }

    /// The accepting user's id, once the wording is the current one, the delay in range and the actor one of the firm's users.
    package static func mandateAcceptance(organisationID: String, wordingVersion: String, contestDays: Int, actor: AuditActor) throws(StoreError)
        -> String
    {
        guard wordingVersion == BillingMandateWording.version else {
            throw .billingMandateWordingOutdated(given: wordingVersion, current: BillingMandateWording.version)
        }
        guard BillingMandateWording.contestDaysRange.contains(contestDays) else {
            throw .invalidField(
                field: "contestDays", value: String(contestDays),
                reason: "between \(BillingMandateWording.contestDaysRange.lowerBound) and \(BillingMandateWording.contestDaysRange.upperBound) days")
        }
        guard actor.role == .partner, actor.organisationID == organisationID, let userID = actor.userID else {
            throw .invalidField(
                field: "organisationID", value: organisationID, reason: "a firm's billing mandate is accepted by one of its own users")
        }
        return userID
    }

    /// The withdrawing user's id, once the actor is one of the firm's users.
    package static func mandateWithdrawal(organisationID: String, actor: AuditActor) throws(StoreError) -> String {
        guard actor.role == .partner, actor.organisationID == organisationID, let userID = actor.userID else {
            throw .invalidField(
                field: "organisationID", value: organisationID, reason: "a firm's billing mandate is withdrawn by one of its own users")
        }
        return userID
    }

    /// The legal name and SIREN a mandate names the broker by: its invoicing identity, else its organisation.
    package static func brokerIdentity(settings: BrokerSettings, broker: OrganisationRecord?) throws(StoreError) -> (name: String, siren: String) {
        if let identity = settings.identity { return (identity.legalName, identity.siren) }
        guard let broker, let siren = broker.siren else { throw .invoicingNotConfigured(missing: BrokerSettings.identityFields) }
        return (broker.name, siren)
    }
}

extension StoreRules {
    /// A firm as a deal's terms hold it: identity, VAT status and account, or the error naming what it has yet to register.
    package static func dealPartner(_ organisation: OrganisationRecord, status: VATStatusRecord?, account: BankAccountRecord?) throws(StoreError)
        -> DealPartner
    {
        var missing: [String] = []
        if status == nil { missing.append("vatStatus") }
        if account == nil { missing.append("bankAccount") }
        guard let status, let account else { throw .partyNotReady(organisationID: organisation.id, name: organisation.name, missing: missing) }
        let vatStatus: FirmVATStatus
        do throws(VATStatusError) {
            vatStatus = try status.status(of: organisation)
        } catch {
            throw .vatStatusInvalid(error)
        }
        let bankAccount: BankAccount
        do throws(BankAccountProblems) {
            bankAccount = try account.account()
        } catch {
            throw .database("the stored account of \(organisation.id) no longer checks: \(error)")
        }
        return DealPartner(
            name: organisation.name, address: organisation.address, siren: organisation.siren, vatStatus: vatStatus, bankAccount: bankAccount)
    }

    /// The terms `deal` is agreed on at `now` between its two firms (proposer first), under the broker's invoicing
    /// settings, as stored: the terms and their JSON.
    package static func terms(
        of deal: DealRecord, broker: BrokerInvoicingSettings, collectionByBroker: Bool, partners: (DealPartner, DealPartner), now: Date
    ) throws(StoreError) -> (terms: DealTerms, json: String) {
        let terms: DealTerms
        do throws(InvoicingError) {
            terms = try DealTerms(
                pricePer1000: deal.pricePer1000, policy: deal.policy, broker: broker, partnerA: partners.0, partnerB: partners.1,
                collectionByBroker: collectionByBroker, agreedOn: Timestamp.day(now))
        } catch {
            throw .dealTermsRefused(error)
        }
        return (terms, try sortedJSON(terms))
    }
}

extension BillingMandateRecord {
    /// The mandate `organisation` gives now, in the current wording naming `broker`, under a fresh reference.
    package init(
        accepting organisation: OrganisationRecord, contestDays: Int, userID: String, broker: (name: String, siren: String), now: Date
    ) {
        self.init(
            id: RecordID.make(RecordID.mandate), organisationID: organisation.id, wordingVersion: BillingMandateWording.version,
            scope: BillingMandateWording.scope, contestDays: contestDays,
            wording: BillingMandateWording.text(
                firm: organisation.name, firmSIREN: organisation.siren, broker: broker.name, brokerSIREN: broker.siren, contestDays: contestDays),
            acceptedAt: Timestamp.stored(now), acceptedByUserID: userID, withdrawnAt: nil, withdrawnByUserID: nil, withdrawalReason: nil)
    }

    /// Withdrawn by `userID` at `now`, with the reason the firm gave.
    package mutating func withdraw(by userID: String, reason: String?, now: Date) {
        withdrawnAt = Timestamp.stored(now)
        withdrawnByUserID = userID
        withdrawalReason = StoreRules.optionalReason(reason)
    }
}
