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

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get("suppressions", use: count)
        router.post("suppressions", use: add)
        router.post("erasure-requests", use: erase)
    }

    @Sendable func count(_ request: Request, context: TrocRequestContext) async throws -> [String: Int] {
        _ = try context.caller(in: .operator)
        return ["total": try await broker.store.suppressionCount()]
    }

    @Sendable func add(_ request: Request, context: TrocRequestContext) async throws -> EditedResponse<SuppressionResult> {
        let caller = try context.caller(in: .operator)
        let new = try await request.decode(as: NewSuppressions.self, context: context)
        guard let source = SuppressionSource(rawValue: new.source ?? "optout") else {
            throw RequestError.invalidField("source", "optout, unsubscribe or opposition-list")
        }
        let result = try await PrivacyService(broker: broker).suppress(new.values, source: source, caller: caller) { "values[\($0)]" }
        return EditedResponse(status: .created, response: result)
    }

    /// Erases a person (GDPR art. 17): suppressed, removed from every stored file and held delivery, a notice to each
    /// firm that received them (art. 19), recorded without their data. 201 when the broker held them, 202 when it did
    /// not (they are suppressed all the same).
    @Sendable func erase(_ request: Request, context: TrocRequestContext) async throws -> EditedResponse<ErasureResult> {
        let caller = try context.caller(in: .operator)
        let body = try await request.decode(as: NewErasureRequest.self, context: context)
        let result = try await PrivacyService(broker: broker).erase(body, caller: caller)
        context.logger.info(
            "erasure carried out",
            metadata: [
                "erasure": .string(result.id), "found": .stringConvertible(result.found), "notices": .stringConvertible(result.noticesRecorded),
            ])
        return EditedResponse(status: result.found ? .created : .accepted, response: result)
    }
}
