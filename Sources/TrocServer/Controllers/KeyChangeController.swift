import Foundation
import Hummingbird
import Logging
import TrocCore
import TrocStore

/// Changes of a firm's delivery key: a partner user of the firm asks, an operator approves after confirming the new
/// fingerprint with the firm out of band (or refuses), the change takes effect after the broker's delay, and until then
/// the firm or an operator can cancel it. Every step is audited.
struct KeyChangeController {
    let broker: Broker

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get("key-changes", use: list)
        router.get("key-changes/:keyChangeId", use: get)
        router.post("key-changes/:keyChangeId/approve", use: approve)
        router.post("key-changes/:keyChangeId/refuse", use: refuse)
        router.post("key-changes/:keyChangeId/cancel", use: cancel)
        router.get("organisations/:organisationId/key-changes", use: listForOrganisation)
        router.post("organisations/:organisationId/key-changes", use: request)
    }

    /// Operators see every firm's changes (`?state=requested` for the ones awaiting them); a partner sees its firm's.
    @Sendable func list(_ request: Request, context: TrocRequestContext) async throws -> [KeyChange] {
        let caller = try context.caller(in: .operator, .partner)
        var records = try await broker.store.keyChanges(organisationID: caller.role == .operator ? nil : caller.organisationID)
        if let state = request.uri.queryParameters.get("state") {
            guard let wanted = KeyChangeState(rawValue: state) else {
                throw RequestError.invalidParameter("state", "one of " + KeyChangeState.allCases.map(\.rawValue).joined(separator: ", "))
            }
            records = records.filter { $0.state == wanted }
        }
        return try await views(records)
    }

    @Sendable func listForOrganisation(_ request: Request, context: TrocRequestContext) async throws -> [KeyChange] {
        let caller = try context.caller(in: .operator, .partner)
        let id = try context.parameters.require("organisationId")
        guard caller.role == .operator || caller.organisationID == id, try await broker.store.organisation(id: id) != nil else {
            throw AccessError.notFound("organisation")
        }
        return try await views(try await broker.store.keyChanges(organisationID: id))
    }

    @Sendable func get(_ request: Request, context: TrocRequestContext) async throws -> KeyChange {
        let caller = try context.caller(in: .operator, .partner)
        let id = try context.parameters.require("keyChangeId")
        guard let record = try await broker.store.keyChange(id: id), caller.role == .operator || caller.organisationID == record.organisationID else {
            throw AccessError.notFound("key change")
        }
        return try await views([record])[0]
    }

    /// A partner user asks to replace its firm's registered key; the answer says how the operator will confirm it.
    @Sendable func request(_ request: Request, context: TrocRequestContext) async throws -> EditedResponse<KeyChange> {
        let caller = try context.caller(in: .partner)
        let id = try context.parameters.require("organisationId")
        guard caller.organisationID == id else { throw AccessError.notFound("organisation") }
        let new = try await request.decode(as: NewKeyChange.self, context: context)
        let key = try AccountController.publicKey(new.publicKey)
        let record = try await broker.store.requestKeyChange(
            organisationID: id, publicKey: key, note: new.note, actor: DealService(broker: broker).actor(caller), now: broker.clock())
        context.logger.info("key change requested", metadata: ["organisation": .string(id), "keyChange": .string(record.id)])
        return EditedResponse(status: .created, response: try await views([record])[0])
    }

    /// An operator approves, giving the fingerprint the firm confirmed out of band.
    @Sendable func approve(_ request: Request, context: TrocRequestContext) async throws -> KeyChange {
        let caller = try context.caller(in: .operator)
        let id = try context.parameters.require("keyChangeId")
        let approval = try await request.decode(as: KeyChangeApproval.self, context: context)
        let record = try await broker.store.approveKeyChange(
            id: id, confirmedFingerprint: approval.confirmedFingerprint, reason: approval.reason, actor: DealService(broker: broker).actor(caller),
            now: broker.clock())
        context.logger.info("key change approved", metadata: ["keyChange": .string(id)])
        return try await views([record])[0]
    }

    /// An operator refuses, saying why.
    @Sendable func refuse(_ request: Request, context: TrocRequestContext) async throws -> KeyChange {
        let caller = try context.caller(in: .operator)
        let id = try context.parameters.require("keyChangeId")
        let decision = try await request.decode(as: KeyChangeDecision.self, context: context)
        let record = try await broker.store.refuseKeyChange(
            id: id, reason: decision.reason, actor: DealService(broker: broker).actor(caller), now: broker.clock())
        context.logger.info("key change refused", metadata: ["keyChange": .string(id)])
        return try await views([record])[0]
    }

    /// Any user of the firm, or an operator, withdraws a change before it takes effect.
    @Sendable func cancel(_ request: Request, context: TrocRequestContext) async throws -> KeyChange {
        let caller = try context.caller(in: .operator, .partner)
        let id = try context.parameters.require("keyChangeId")
        let decision = try await request.decode(as: KeyChangeDecision.self, context: context)
        let record = try await broker.store.cancelKeyChange(
            id: id, reason: decision.reason, actor: DealService(broker: broker).actor(caller), now: broker.clock())
        context.logger.info("key change cancelled", metadata: ["keyChange": .string(id)])
        return try await views([record])[0]
    }

    /// The API form of key changes, with the broker's current delay in their next step.
    private func views(_ records: [KeyChangeRecord]) async throws -> [KeyChange] {
        let delay = try await broker.store.settings().keyChangeDelayHours
        return records.map { KeyChange($0, delayHours: delay) }
    }
}
