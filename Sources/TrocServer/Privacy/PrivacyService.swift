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
    func suppress(_ values: [String], source: SuppressionSource, caller: Identity, field: (Int) -> String) throws -> SuppressionResult {
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
        let added = try broker.database.addSuppressions(
            entries, source: source, actor: DealService(broker: broker).actor(caller), now: broker.clock())
        return SuppressionResult(
            added: added, alreadyListed: entries.count - added, rejected: rejected, total: try broker.database.suppressionCount())
    }

    /// Removes a person from every stored file not yet released, suppresses them, and records the fact without their data.
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
        let actor = DealService(broker: broker).actor(caller)
        var filesRewritten = 0
        var rowsRemoved = 0
        for file in try broker.database.files(organisationID: nil) {
            guard let blob = try broker.database.blob(id: file.blobID) else { continue }
            let source = try broker.blobs.openReader(blobID: blob.id, wrappedKey: try blob.parsedWrappedKey(), masterKey: broker.masterKey)
            let writer = try broker.blobs.makeWriter(masterKey: broker.masterKey)
            let removed = try await EngineRunner.run { [source = UncheckedSources(sources: [source]), writer = UncheckedWriter(writer: writer)] in
                try ContactFileFilter.remove(person, from: source.sources[0]) { try writer.writer.append($0) }
            }
            guard removed > 0 else {
                writer.abort()
                continue
            }
            let rewritten = try writer.finish()
            do {
                let oldBlob = try broker.database.replaceFileBlob(
                    fileID: file.id, with: rewritten, removedRows: removed, actor: actor, now: broker.clock())
                _ = try? broker.blobs.delete(blobID: oldBlob)
                filesRewritten += 1
                rowsRemoved += removed
            } catch {
                _ = try? broker.blobs.delete(blobID: rewritten.id)
                // A file already released cannot be rewritten; the person is still suppressed below.
                if case .fileReleased = error { continue }
                throw error
            }
        }
        guard rowsRemoved > 0 else {
            throw Problem(
                type: ProblemMapping.typeURI("erasure.unknown-person"), title: "Unknown person", status: 404,
                detail:
                    "no stored file not yet released holds this person; nothing was erased (suppress them with `troc suppress add` if they object)",
                code: "erasure.unknown-person")
        }
        let hasher = broker.suppressionHasher()
        let keys = person.canonicalValues.map { kind, canonical in (kind, hasher.matchKey(kind, of: canonical)) }
        _ = try broker.database.addSuppressions(keys, source: .erasure, actor: actor, now: broker.clock())
        let record = try broker.database.recordErasure(
            requestedAt: requestedAt, filesRewritten: filesRewritten, rowsRemoved: rowsRemoved, keysSuppressed: keys.count, actor: actor,
            now: broker.clock())
        return ErasureResult(id: record.id, filesRewritten: filesRewritten, rowsRemoved: rowsRemoved, suppressed: true)
    }
}
