import Foundation
import Hummingbird
import Logging
import TrocCore
import TrocStore

/// Erasure notices (GDPR art. 19): a partner lists and acknowledges its own firm's, an operator lists them all (sealed,
/// it cannot read them). Another firm's notice answers 404.
struct NoticeController {
    let broker: Broker

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get("notices", use: list)
        router.post("notices/:noticeId/ack", use: acknowledge)
    }

    @Sendable func list(_ request: Request, context: TrocRequestContext) async throws -> [ErasureNotice] {
        let caller = try context.caller(in: .partner, .operator)
        let notices = try await broker.store.notices(organisationID: caller.role == .operator ? nil : caller.organisationID)
        return notices.map(ErasureNotice.init)
    }

    @Sendable func acknowledge(_ request: Request, context: TrocRequestContext) async throws -> ErasureNotice {
        let caller = try context.caller(in: .partner)
        let id = try context.parameters.require("noticeId")
        let notice = try await broker.store.acknowledgeNotice(id: id, actor: DealService(broker: broker).actor(caller), now: broker.clock())
        context.logger.info("erasure notice acknowledged", metadata: ["notice": .string(id)])
        return ErasureNotice(notice)
    }
}

extension ErasureNotice {
    /// The API form of a stored notice, its envelope in base64.
    init(_ record: NoticeRecord) {
        self.init(
            id: record.id, erasureId: record.erasureID, organisationId: record.organisationID, dealId: record.dealID, deliveryId: record.deliveryID,
            createdAt: record.createdAt, keyFingerprint: record.keyFingerprint, sealed: record.sealed?.base64EncodedString(),
            acknowledgedAt: record.acknowledgedAt, acknowledgedBy: record.acknowledgedBy)
    }
}
