import Foundation
import TrocCore

/// The audit entries of the deal lifecycle, built once for both record stores.
extension AuditDraft {
    /// A deal proposed.
    package static func dealCreated(_ deal: DealRecord, by actor: AuditActor) -> AuditDraft {
        AuditDraft(
            action: .dealCreate, actor: actor, organisationID: deal.proposerID, dealID: deal.id,
            detail: [
                "state": .string(deal.state.rawValue), "partnerID": .string(deal.partnerID), "verdict": .string(deal.verdict.kind.rawValue),
                "pricePer1000Cents": .integer(deal.pricePer1000Cents), "policy": .string(deal.policy.rawValue),
            ])
    }
}
