import Foundation
import TrocCore
import TrocCrypto
import TrocStore

/// The suppression list and erasure requests, shared by the API and the console: clear values are hashed under the
/// broker-wide suppression key and forgotten.
struct PrivacyService {
    let broker: Broker

    /// Most values one request adds.
    static let maximumValues = 100_000

    /// Adds emails, phones or SIRETs to the suppression list (operators); values that are none of these are reported by
    /// position (`field(index)`), never by value.
    func suppress(_ values: [String], source: SuppressionSource, caller: Identity, field: (Int) -> String) async throws -> SuppressionResult {
        guard caller.role == .operator else { throw AccessError.forbiddenRole(caller.role, allowed: [.operator]) }
        guard source != .erasure else { throw RequestError.invalidField("source", "optout, unsubscribe or opposition-list") }
        guard values.count <= Self.maximumValues else {
            throw RequestError.invalidField("values", "at most \(Self.maximumValues) values per request")
        }
        let hasher = broker.suppressionHasher()
        var entries: [(MatchKeyKind, MatchKey)] = []
        var rejected: [FieldProblem] = []
        for (index, value) in values.enumerated() {
            switch SuppressionList.canonical(value) {
            case .success(let (kind, canonical))?: entries.append((kind, hasher.matchKey(kind, of: canonical)))
            case .failure(let reason)?: rejected.append(FieldProblem(field: field(index), code: reason.rawValue, detail: reason.explanation))
            case nil: rejected.append(FieldProblem(field: field(index), code: "empty", detail: "an empty value"))
            }
        }
        let added = try await broker.store.addSuppressions(
            entries, source: source, actor: DealService(broker: broker).actor(caller), now: broker.clock())
        return SuppressionResult(
            added: added, alreadyListed: entries.count - added, rejected: rejected, total: try await broker.store.suppressionCount())
    }

    /// Erases a person (GDPR art. 17) through `ErasureService`: suppressed, removed from every stored file and held
    /// delivery, a notice to each firm that received them (art. 19), recorded without their data.
    func erase(_ body: NewErasureRequest, caller: Identity) async throws -> ErasureResult {
        guard caller.role == .operator else { throw AccessError.forbiddenRole(caller.role, allowed: [.operator]) }
        let requestedAt = broker.clock()
        let person: ErasedPerson
        do {
            person = try ErasedPerson(emails: body.emails ?? [], phones: body.phones ?? [], sirets: body.sirets ?? [])
        } catch {
            throw ValidationFailure(
                subject: "erasure request", code: "erasure.invalid",
                fields: [FieldProblem(field: "person", code: "invalid", detail: error.description)])
        }
        return try await ErasureService(broker: broker).erase(person, requestedAt: requestedAt, actor: DealService(broker: broker).actor(caller))
    }
}
