package import Foundation
package import TrocCore
package import TrocCrypto

/// The rules a deal's proposal meets, whatever the engine that records it.
extension StoreRules {
    /// The state a proposed deal starts in: `awaiting-files` for complementary sectors, `proposed` (waiting for an
    /// override) for unrelated ones; confidential and competing sectors, a deal with oneself and a partner proposing
    /// for another firm are refused.
    package static func initialState(of draft: DealDraft, proposedBy actor: AuditActor) throws(StoreError) -> DealState {
        let initial: DealState
        switch draft.verdict.kind {
        case .complementary: initial = .awaitingFiles
        case .unrelated: initial = .proposed
        case .confidential, .competitor: throw .dealRefusedBySector(kind: draft.verdict.kind, reason: draft.verdict.reason)
        }
        guard draft.proposerID != draft.partnerID else {
            throw .invalidField(field: "partnerID", value: draft.partnerID, reason: "a deal is between two different organisations")
        }
        if actor.role == .partner, actor.organisationID != draft.proposerID {
            throw .invalidField(field: "proposerID", value: draft.proposerID, reason: "a partner proposes deals for its own organisation only")
        }
        return initial
    }

    /// Checks the proposal against its parties as stored (proposer then partner, nil when not found) and the settings in
    /// force: two partner firms, the verdict judging their NAF codes, the price within the broker's bounds.
    package static func checkProposal(_ draft: DealDraft, parties: [OrganisationRecord?], settings: BrokerSettings) throws(StoreError) {
        var nafCodes: [String] = []
        for (id, organisation) in zip([draft.proposerID, draft.partnerID], parties) {
            nafCodes.append(try partner(organisation, id: id).nafCode)
        }
        let judged = draft.verdict.codes.map(\.code)
        guard judged == nafCodes else {
            throw .invalidField(
                field: "verdict", value: judged.joined(separator: " / "),
                reason: "the verdict judges other NAF codes than the parties' \(nafCodes.joined(separator: " / ")); compute it again")
        }
        guard (settings.minimumPricePer1000...settings.maximumPricePer1000).contains(draft.pricePer1000) else {
            throw .priceOutOfBounds(price: draft.pricePer1000, minimum: settings.minimumPricePer1000, maximum: settings.maximumPricePer1000)
        }
    }

    /// Refuses when the reports between two firms that still count leave less than one report's budget, either way,
    /// saying from when a report fits again. `spends` are, for each direction (owner, viewer), the spends still counting
    /// on the owner's files towards the viewer, oldest first; the budget per pair is `reportsPerPair` times ε.
    package static func requirePrivacyBudget(reportsPerPair: Int, spends: [(owner: String, viewer: String, spends: [PrivacySpendRecord])])
        throws(StoreError)
    {
        let needed = PartnerPrivacy.milli(PartnerPrivacy.epsilonPerDealAndSide)
        let cap = reportsPerPair * needed
        for (owner, viewer, counting) in spends {
            var spent = counting.reduce(0) { $0 + $1.milliEpsilon }
            guard spent + needed > cap else { continue }
            for spend in counting {
                spent -= spend.milliEpsilon
                if spent + needed <= cap { throw .privacyBudgetSpent(organisationID: owner, counterpartID: viewer, availableFrom: spend.countsUntil) }
            }
        }
    }
}

extension StoreRules {
    /// `deal` (read as `dealID`, nil when not found) when `actor` may see it and run `transition` on it from the state it
    /// is in: a partner sees only its own deals (others answer not found), transitions with no listed actor are the
    /// services' (an operator may run them by hand, nobody else), and the deal must be in a state the transition leaves.
    package static func checkTransition(_ transition: DealTransition, of deal: DealRecord?, dealID: String, by actor: AuditActor) throws(StoreError)
        -> DealRecord
    {
        let deal = try visible(deal, dealID: dealID, to: actor)
        if let role = actor.role {
            let allowed = transition.actors.isEmpty ? role == .operator : transition.actors.contains(role)
            guard allowed else { throw .transitionNotAllowed(transition: transition, role: role) }
        }
        guard transition.from.contains(deal.state) else {
            throw .dealTransitionRefused(DealTransitionError(transition: transition, current: deal.state))
        }
        return deal
    }

    /// `deal` when `actor` may see it: a partner sees only the deals it is a party of, and another's answers not found.
    package static func visible(_ deal: DealRecord?, dealID: String, to actor: AuditActor) throws(StoreError) -> DealRecord {
        guard let deal, actor.role != .partner || actor.organisationID.map(deal.partyIDs.contains) == true else { throw .dealNotFound(id: dealID) }
        return deal
    }
}

extension StoreRules {
    /// Checks the files the engine read against those attached to `deal` (`attached`): every party's file is in and none
    /// was replaced meanwhile (the match must then run again); and that the report is JSON.
    package static func checkMatch(of deal: DealRecord, attached: [DealFileRecord], fileIDs: Set<String>, reportJSON: String) throws(StoreError) {
        let missing = deal.partyIDs.filter { party in !attached.contains { $0.organisationID == party && $0.fileID != nil } }
        guard missing.isEmpty else { throw .dealFilesMissing(dealID: deal.id, organisationIDs: missing) }
        guard Set(attached.compactMap(\.fileID)) == fileIDs else { throw .dealFilesChanged(dealID: deal.id) }
        guard isJSON(reportJSON) else {
            throw .invalidField(field: "report", value: String(reportJSON.prefix(40)), reason: "the match report is not valid JSON")
        }
    }

    /// The budget one match report of `deal` spends on each party's file towards the other, counting until the end of
    /// the deal's retention window.
    package static func privacySpends(of deal: DealRecord, now: Date) -> [PrivacySpendRecord] {
        let today = CivilDate(daysSinceEpoch: Int32(Timestamp.seconds(now) / 86_400))
        let until = Date(timeIntervalSince1970: TimeInterval(today.adding(months: deal.retentionMonths).daysSinceEpoch) * 86_400)
        return deal.partyIDs.map { owner in
            PrivacySpendRecord(
                dealID: deal.id, organisationID: owner, counterpartID: deal.counterparty(of: owner),
                milliEpsilon: PartnerPrivacy.milli(PartnerPrivacy.epsilonPerDealAndSide), spentAt: Timestamp.stored(now), countsUntil: until)
        }
    }
}

extension StoreRules {
    /// Checks a release's deliveries: at most one per party of `deal`, each with a count of contacts.
    package static func checkDeliveries(_ deliveries: [DeliveryDraft], of deal: DealRecord) throws(StoreError) {
        let recipients = deliveries.map(\.recipientID)
        for (index, delivery) in deliveries.enumerated() {
            guard deal.partyIDs.contains(delivery.recipientID), !recipients[..<index].contains(delivery.recipientID) else {
                throw .invalidField(
                    field: "deliveries[\(index)].recipientID", value: delivery.recipientID,
                    reason: "each delivery goes to a different party of deal \(deal.id)")
            }
            guard delivery.rowCount >= 0 else {
                throw .invalidField(
                    field: "deliveries[\(index)].rowCount", value: String(delivery.rowCount), reason: "a count of contacts cannot be negative")
            }
        }
    }
}

extension StoreRules {
    /// `delivery` (read as `deliveryID`, nil when not found) and its blob when `actor`'s firm may download it at `now`:
    /// another firm's delivery answers not found, a purged or expired one says since when.
    package static func downloadable(_ delivery: DeliveryRecord?, deliveryID: String, by actor: AuditActor, now: Date) throws(StoreError)
        -> (delivery: DeliveryRecord, blobID: String)
    {
        guard let delivery, delivery.recipientID == actor.organisationID else { throw .deliveryNotFound(id: deliveryID) }
        guard let blobID = delivery.blobID else { throw .deliveryPurged(id: deliveryID, purgedAt: delivery.purgedAt ?? delivery.expiresAt) }
        guard now < delivery.expiresAt else { throw .deliveryExpired(id: deliveryID, expiredAt: delivery.expiresAt) }
        return (delivery, blobID)
    }

    /// Whether registering `publicKey` as `organisation`'s first key changes anything: false when it is the key the firm
    /// has; refused when the firm has another (a new key is a key change, which an operator approves).
    package static func registersFirstKey(_ publicKey: EnvelopePublicKey, for organisation: OrganisationRecord) throws(StoreError) -> Bool {
        guard let fingerprint = organisation.publicKeyFingerprint else { return true }
        guard organisation.publicKeyPEM == publicKey.pemText else {
            throw .account(.keyAlreadyRegistered(organisationID: organisation.id, fingerprint: fingerprint))
        }
        return false
    }
}

extension DeliveryRecord {
    /// The row of `draft`, released at `now` from `deal` to `recipient` (sealed to the key it has registered now), with
    /// the downloads and window of the settings in force, under a fresh id.
    package init(releasing draft: DeliveryDraft, of deal: DealRecord, to recipient: OrganisationRecord, settings: BrokerSettings, now: Date) {
        let createdAt = Timestamp.stored(now)
        self.init(
            id: RecordID.make(RecordID.delivery), dealID: deal.id, recipientID: draft.recipientID,
            supplierID: deal.counterparty(of: draft.recipientID),
            blobID: draft.blob.id, rowCount: Int64(draft.rowCount), downloadsRemaining: settings.deliveryDownloads, createdAt: createdAt,
            expiresAt: createdAt.addingTimeInterval(TimeInterval(settings.deliveryDays) * 86_400), purgedAt: nil,
            recipientKeyPEM: recipient.publicKeyPEM, recipientKeyFingerprint: recipient.publicKeyFingerprint, firstDownloadedAt: nil)
    }
}

extension DealRecord {
    /// Moved by `transition` at `now`: its new state, and a deal that can still stall gets its full idle period again.
    package mutating func move(_ transition: DealTransition, now: Date, settings: BrokerSettings) {
        state = transition.to
        touch(now: now, settings: settings)
    }

    /// Touched at `now`: updated, and its idle expiry pushed back to the settings' full period.
    package mutating func touch(now: Date, settings: BrokerSettings) {
        updatedAt = Timestamp.stored(now)
        if DealTransition.expire.from.contains(state) { expiresAt = settings.stalledExpiry(after: now) }
    }

    /// The row a proposal is stored as, under a fresh id, in `state`, with the retention and idle expiry in force.
    package init(proposing draft: DealDraft, state: DealState, settings: BrokerSettings, now: Date) {
        let createdAt = Timestamp.stored(now)
        self.init(
            id: RecordID.make(RecordID.deal), state: state, proposerID: draft.proposerID, partnerID: draft.partnerID,
            pricePer1000Cents: draft.pricePer1000.cents, policy: draft.policy, verdict: draft.verdict, overrideReason: nil, reportJSON: nil,
            retentionMonths: settings.retentionMonths, createdAt: createdAt, updatedAt: createdAt,
            expiresAt: settings.stalledExpiry(after: now), releasedAt: nil)
    }
}

extension BrokerSettings {
    /// When a deal last moved at `now` expires if nothing happens to it: the settings' idle period later.
    package func stalledExpiry(after now: Date) -> Date {
        Timestamp.stored(now).addingTimeInterval(TimeInterval(dealExpiryDays) * 86_400)
    }
}
