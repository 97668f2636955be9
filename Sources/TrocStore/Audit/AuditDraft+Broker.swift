import Foundation
package import TrocCore

/// The audit entries of the broker's settings, its sector tables and the firms' files, built once for both record stores.
extension AuditDraft {
    /// The settings changed from `before` to `after`, each changed setting with both values; nil when nothing changed
    /// (a change that changes nothing writes nothing).
    package static func settingsUpdated(from before: BrokerSettings, to after: BrokerSettings, by actor: AuditActor, reason: String?) -> AuditDraft? {
        let (old, new) = (before.auditValues, after.auditValues)
        let changed = new.keys.filter { old[$0] != new[$0] }.sorted()
        guard !changed.isEmpty else { return nil }
        var detail: [String: AuditValue] = [:]
        for name in changed { detail[name] = ["before": old[name] ?? .null, "after": new[name] ?? .null] }
        return AuditDraft(action: .settingsUpdate, actor: actor, detail: ["changes": .object(detail)], reason: reason)
    }

    /// A sub-class put on the renovation / home-adaptation list, or its ground changed.
    package static func renovationSectorAdded(_ sector: RenovationSector, by actor: AuditActor, reason: String) -> AuditDraft {
        AuditDraft(
            action: "sector.renovation.add", actor: actor,
            detail: ["code": .string(sector.code), "nomenclature": .string(sector.nomenclature.rawValue), "ground": .string(sector.ground.rawValue)],
            reason: reason)
    }

    /// A sub-class taken off the renovation / home-adaptation list.
    package static func renovationSectorRemoved(code: String, nomenclature: NAFNomenclature, by actor: AuditActor, reason: String) -> AuditDraft {
        AuditDraft(
            action: "sector.renovation.remove", actor: actor, detail: ["code": .string(code), "nomenclature": .string(nomenclature.rawValue)],
            reason: reason)
    }

    /// A sub-class added to an audience cluster.
    package static func clusterCodeAdded(cluster: String, code: String, by actor: AuditActor, reason: String) -> AuditDraft {
        AuditDraft(action: .sectorClusterAdd, actor: actor, detail: ["cluster": .string(cluster), "code": .string(code)], reason: reason)
    }

    /// A sub-class removed from an audience cluster.
    package static func clusterCodeRemoved(cluster: String, code: String, by actor: AuditActor, reason: String) -> AuditDraft {
        AuditDraft(action: .sectorClusterRemove, actor: actor, detail: ["cluster": .string(cluster), "code": .string(code)], reason: reason)
    }

    /// A confidential sector added, or its label, scope or rationale changed.
    package static func confidentialSectorSet(code: String, scope: String, by actor: AuditActor, reason: String) -> AuditDraft {
        AuditDraft(action: .sectorConfidentialSet, actor: actor, detail: ["code": .string(code), "scope": .string(scope)], reason: reason)
    }

    /// A confidential sector removed.
    package static func confidentialSectorRemoved(code: String, by actor: AuditActor, reason: String) -> AuditDraft {
        AuditDraft(action: .sectorConfidentialRemove, actor: actor, detail: ["code": .string(code)], reason: reason)
    }
}

extension AuditDraft {
    /// A firm's file that no deal refers to, deleted with its blob.
    package static func fileDeleted(_ file: FileRecord, by actor: AuditActor) -> AuditDraft {
        AuditDraft(
            action: .fileDelete, actor: actor, organisationID: file.organisationID,
            detail: ["file": .string(file.id), "bytes": .integer(file.byteCount)])
    }
}
