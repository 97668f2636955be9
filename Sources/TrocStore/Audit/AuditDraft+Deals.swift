import Foundation
package import TrocCore

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

    /// A deal moved by `transition` from `from` to its state now, for `organisationID` when a party answered.
    package static func dealMoved(
        _ transition: DealTransition, _ deal: DealRecord, from: DealState, by actor: AuditActor, organisationID: String? = nil, reason: String?
    ) -> AuditDraft {
        AuditDraft(
            action: .deal(transition), actor: actor, organisationID: organisationID, dealID: deal.id,
            detail: ["from": .string(from.rawValue), "to": .string(deal.state.rawValue)], reason: reason)
    }

    /// A party's file attached to a deal, replacing `replaced`, `attached` files in all now.
    package static func dealFileAttached(_ file: FileRecord, dealID: String, replaced: String?, attached: Int, by actor: AuditActor) -> AuditDraft {
        AuditDraft(
            action: .dealFileAttach, actor: actor, organisationID: file.organisationID, dealID: dealID,
            detail: ["fileID": .string(file.id), "replacedFileID": AuditValue(replaced), "filesAttached": AuditValue(attached)])
    }

    /// A party accepted the report of `deal` (which left `from`); `bothAccepted` when it was the second.
    package static func dealAccepted(_ deal: DealRecord, from: DealState, by actor: AuditActor, organisationID: String, bothAccepted: Bool)
        -> AuditDraft
    {
        AuditDraft(
            action: .deal(.accept), actor: actor, organisationID: organisationID, dealID: deal.id,
            detail: ["from": .string(from.rawValue), "to": .string(deal.state.rawValue), "bothAccepted": .boolean(bothAccepted)])
    }

    /// A deal released (it left `from`) with its deliveries: to whom, how many contacts, sealed to which key.
    package static func dealReleased(_ deal: DealRecord, from: DealState, deliveries: [DeliveryRecord], by actor: AuditActor) -> AuditDraft {
        let summary: [AuditValue] = deliveries.map {
            ["recipientID": .string($0.recipientID), "rowCount": .integer($0.rowCount), "keyFingerprint": AuditValue($0.recipientKeyFingerprint)]
        }
        return AuditDraft(
            action: .deal(.release), actor: actor, dealID: deal.id,
            detail: ["from": .string(from.rawValue), "to": .string(deal.state.rawValue), "deliveries": .array(summary)])
    }

    /// A download of `delivery` granted (`delivery` as it is after the count went down).
    package static func deliveryDownloaded(_ delivery: DeliveryRecord, by actor: AuditActor) -> AuditDraft {
        AuditDraft(
            action: .deliveryDownload, actor: actor, dealID: delivery.dealID,
            detail: [
                "deliveryID": .string(delivery.id), "rowCount": .integer(delivery.rowCount),
                "downloadsRemaining": AuditValue(delivery.downloadsRemaining),
                "keyFingerprint": AuditValue(delivery.recipientKeyFingerprint),
            ])
    }

    /// A spent delivery (expired, or no download left) purged before its deal closes.
    package static func deliveryPurged(_ delivery: DeliveryRecord) -> AuditDraft {
        AuditDraft(
            action: "delivery.purge", actor: .system, organisationID: delivery.recipientID, dealID: delivery.dealID,
            detail: ["delivery": .string(delivery.id), "downloadsRemaining": AuditValue(delivery.downloadsRemaining)])
    }

    /// A deal closed at the end of retention (it left `from`), with what was purged.
    package static func dealClosed(
        _ deal: DealRecord, from: DealState, blobsPurged: Int, filesPurged: Int, recipientKeysPurged: Int, by actor: AuditActor
    ) -> AuditDraft {
        AuditDraft(
            action: .deal(.close), actor: actor, dealID: deal.id,
            detail: [
                "from": .string(from.rawValue), "to": .string(deal.state.rawValue), "blobsPurged": AuditValue(blobsPurged),
                "filesPurged": AuditValue(filesPurged), "recipientKeysPurged": AuditValue(recipientKeysPurged),
            ])
    }

    /// A deal's match held (`record`), with why.
    package static func matchHeld(_ record: MatchHoldRecord, _ hold: MatchHold) -> AuditDraft {
        var detail: [String: AuditValue] = ["reason": .string(record.reason)]
        switch hold {
        case .filesTooSmall(let parties, let minimum):
            detail["organisationIDs"] = .array(parties.map(AuditValue.string))
            detail["minimumExchangeable"] = AuditValue(minimum)
        case .privacyBudgetSpent(let availableFrom):
            detail["availableFrom"] = .string(Timestamp.stored(availableFrom).ISO8601Format())
        }
        return AuditDraft(action: .dealHold, actor: .system, dealID: record.dealID, detail: detail)
    }
}
