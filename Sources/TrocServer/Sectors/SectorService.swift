import Foundation
import TrocCore
import TrocStore

/// Operators' edits of the sector tables, shared by the API and the console: each audited with its reason.
struct SectorService {
    let broker: Broker

    /// Adds `code` to or removes it from an audience cluster (`cluster`), or the confidential sectors (`cluster` nil).
    func edit(code: String, cluster: String?, add: Bool, change: SectorChange, caller: Identity) async throws {
        guard caller.role == .operator else { throw AccessError.forbiddenRole(caller.role, allowed: [.operator]) }
        guard !change.reason.trimmed.isEmpty else { throw RequestError.invalidField("reason", "say why: it goes in the audit trail") }
        let normalised: String
        switch NAFCode.normalise(code) {
        case .success(let value): normalised = value
        case .failure(let reason): throw RequestError.invalidParameter("code", reason.explanation)
        }
        let actor = DealService(broker: broker).actor(caller)
        let now = broker.clock()
        if let cluster {
            if add {
                _ = try await broker.store.addClusterCode(cluster: cluster, code: normalised, reason: change.reason, actor: actor, now: now)
            } else {
                _ = try await broker.store.removeClusterCode(cluster: cluster, code: normalised, reason: change.reason, actor: actor, now: now)
            }
        } else if add {
            guard let subclass = ReferenceData.embedded.subclasses[normalised] else {
                throw RequestError.invalidParameter("code", "\(normalised) is not a subclass of the NAF rév. 2 nomenclature")
            }
            guard let rationale = change.rationale?.trimmed, !rationale.isEmpty else {
                throw RequestError.invalidField("rationale", "say why this sector's files are confidential")
            }
            _ = try await broker.store.setConfidential(
                code: normalised, label: subclass.label, scope: change.scope ?? "core", rationale: rationale, reason: change.reason, actor: actor,
                now: now)
        } else {
            _ = try await broker.store.removeConfidential(code: normalised, reason: change.reason, actor: actor, now: now)
        }
    }
}
