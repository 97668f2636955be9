package import Foundation
package import TrocCore

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

extension DealRecord {
    /// The row a proposal is stored as, under a fresh id, in `state`, with the retention and idle expiry in force.
    package init(proposing draft: DealDraft, state: DealState, settings: BrokerSettings, now: Date) {
        let createdAt = Timestamp.stored(now)
        self.init(
            id: RecordID.make(RecordID.deal), state: state, proposerID: draft.proposerID, partnerID: draft.partnerID,
            pricePer1000Cents: draft.pricePer1000.cents, policy: draft.policy, verdict: draft.verdict, overrideReason: nil, reportJSON: nil,
            retentionMonths: settings.retentionMonths, createdAt: createdAt, updatedAt: createdAt,
            expiresAt: createdAt.addingTimeInterval(TimeInterval(settings.dealExpiryDays) * 86_400), releasedAt: nil)
    }
}
