import Foundation
import Hummingbird
import Logging
import TrocCore
import TrocCrypto
import TrocStore

/// The audit trail (operators).
struct AuditController {
    let broker: Broker

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get("audit", use: list)
    }

    @Sendable func list(_ request: Request, context: TrocRequestContext) async throws -> [AuditEntryView] {
        _ = try context.caller(in: .operator)
        let query = request.uri.queryParameters
        let limit = query.get("limit").flatMap(Int.init) ?? 100
        guard (1...1000).contains(limit) else { throw RequestError.invalidParameter("limit", "between 1 and 1000") }
        let after = query.get("after").flatMap(Int64.init) ?? 0
        let entries = try await broker.store.auditEntries(dealID: query.get("dealId"), limit: limit, afterSeq: after)
        return try entries.map { entry in
            AuditEntryView(
                seq: entry.seq, at: entry.at, actorUserId: entry.actorUserID, actorRole: entry.actorRole, organisationId: entry.organisationID,
                dealId: entry.dealID, action: entry.action, detail: try entry.decodedDetail().mapValues(\.text), reason: entry.reason,
                clientAddress: entry.clientAddress)
        }
    }
}
