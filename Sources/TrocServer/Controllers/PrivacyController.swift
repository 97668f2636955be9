import Foundation
import Hummingbird
import Logging
import TrocCore
import TrocCrypto
import TrocStore

/// The suppression list and erasure requests (operators): clear values arrive over TLS, are hashed
/// under the broker-wide suppression key and forgotten.
struct PrivacyController {
    let broker: Broker
    var service: DealService { DealService(broker: broker) }

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get("suppressions", use: count)
        router.post("suppressions", use: add)
        router.post("erasure-requests", use: erase)
    }

    @Sendable func count(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try context.caller(in: .operator)
        return try JSONResponse.make(["total": try broker.database.suppressionCount()])
    }

    @Sendable func add(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try context.caller(in: .operator)
        let new = try await request.decode(as: NewSuppressions.self, context: context)
        guard let source = SuppressionSource(rawValue: new.source ?? "optout"), source != .erasure else {
            throw RequestError.invalidField("source", "optout, unsubscribe or opposition-list")
        }
        guard new.values.count <= 100_000 else { throw RequestError.invalidField("values", "at most 100000 values per request") }
        let hasher = broker.suppressionHasher()
        var entries: [(MatchKeyKind, MatchKey)] = []
        var rejected: [FieldProblem] = []
        for (index, value) in new.values.enumerated() {
            switch SuppressionList.canonical(value) {
            case .success(let (kind, canonical))?: entries.append((kind, hasher.matchKey(kind, of: canonical)))
            case .failure(let reason)?: rejected.append(FieldProblem(field: "values[\(index)]", code: reason.rawValue, detail: reason.explanation))
            case nil: rejected.append(FieldProblem(field: "values[\(index)]", code: "empty", detail: "an empty value"))
            }
        }
        let added = try broker.database.addSuppressions(entries, source: source, actor: service.actor(caller), now: broker.clock())
        let result = SuppressionResult(
            added: added, alreadyListed: entries.count - added, rejected: rejected, total: try broker.database.suppressionCount())
        return try JSONResponse.make(result, status: .created)
    }

    /// Erases a person (GDPR art. 17): suppressed, removed from every stored file and held delivery, a notice to each
    /// firm that received them (art. 19), recorded without their data. 201 when the broker held them, 202 when it did
    /// not (they are suppressed all the same).
    @Sendable func erase(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try context.caller(in: .operator)
        let requestedAt = broker.clock()
        let body = try await request.decode(as: NewErasureRequest.self, context: context)
        let person: ErasedPerson
        do {
            person = try ErasedPerson(emails: body.emails ?? [], phones: body.phones ?? [], sirets: body.sirets ?? [])
        } catch {
            throw ValidationFailure(
                subject: "erasure request", code: "erasure.invalid",
                fields: [FieldProblem(field: "person", code: "invalid", detail: error.description)])
        }
        let result = try await ErasureService(broker: broker).erase(person, requestedAt: requestedAt, actor: service.actor(caller))
        context.logger.info(
            "erasure carried out",
            metadata: [
                "erasure": .string(result.id), "found": .stringConvertible(result.found), "notices": .stringConvertible(result.noticesRecorded),
            ])
        return try JSONResponse.make(result, status: result.found ? .created : .accepted)
    }
}
