import Foundation
import TrocCore
import TrocCrypto
import TrocStore

/// Carries out an erasure request (GDPR art. 17 and 19, docs/RULES.md "Erasure, retention, provenance"): the person is put
/// on the suppression list first, whatever follows; then removed from every file the broker holds, released deals'
/// included, and from every delivery it still holds (rewritten under a fresh data key); and each firm that had already
/// received them gets a notice, sealed to its key, saying what to find and erase. Nothing about the person is recorded
/// in clear: the audit trail and the erasure record hold counts and ids.
struct ErasureService {
    let broker: Broker

    /// Erases `person`, asked for at `requestedAt`, on behalf of `actor`.
    func erase(_ person: ErasedPerson, requestedAt: Date, actor: AuditActor) async throws -> ErasureResult {
        // Suppressed before anything else, so a failure below never leaves the person matchable.
        let suppressionHasher = broker.suppressionHasher()
        let suppressed = person.canonicalValues.map { ($0.kind, suppressionHasher.matchKey($0.kind, of: $0.canonical)) }
        _ = try await broker.store.addSuppressions(suppressed, source: .erasure, actor: actor, now: broker.clock())

        var filesRewritten = 0
        var rowsRemoved = 0
        for file in try await broker.store.files(organisationID: nil) {
            guard let blob = try await broker.store.blob(id: file.blobID), let found = try await rewrite(blob, without: person) else { continue }
            let (rewritten, removal) = found
            do {
                let oldBlobID = try await broker.store.replaceFileBlob(
                    fileID: file.id, with: rewritten, removedRows: removal.rows, reportJSON: nil, actor: actor, now: broker.clock())
                _ = try? await broker.blobs.delete(blobID: oldBlobID)
                filesRewritten += 1
                rowsRemoved += removal.rows
            } catch {
                _ = try? await broker.blobs.delete(blobID: rewritten.id)
                // Purged meanwhile by the retention rules: nothing of it is left to erase.
                if case .fileNotFound = error { continue }
                throw error
            }
        }

        var deliveriesRewritten = 0
        var rewrittenIDs: Set<String> = []
        var received: [(delivery: DeliveryRecord, values: Set<PersonValue>)] = []
        for delivery in try await broker.store.heldDeliveries() {
            guard let blobID = delivery.blobID, let blob = try await broker.store.blob(id: blobID),
                let found = try await rewrite(blob, without: person)
            else { continue }
            let (rewritten, removal) = found
            do {
                let swapped = try await broker.store.replaceDeliveryBlob(
                    deliveryID: delivery.id, with: rewritten, removedRows: removal.rows, actor: actor, now: broker.clock())
                _ = try? await broker.blobs.delete(blobID: swapped.oldBlobID)
                deliveriesRewritten += 1
                rowsRemoved += removal.rows
                rewrittenIDs.insert(delivery.id)
                if swapped.receivedBefore { received.append((delivery: swapped.delivery, values: removal.found)) }
            } catch {
                _ = try? await broker.blobs.delete(blobID: rewritten.id)
                // Purged meanwhile: the record of who received whom below still finds its recipient.
                if case .deliveryPurged = error { continue }
                throw error
            }
        }

        // Deliveries no longer held (or held and read above without the person) are found through the record of who
        // received whom; only a firm that downloaded one holds the person.
        let recipientHasher = broker.recipientHasher()
        var valuesByKey: [RecipientKey: PersonValue] = [:]
        for value in person.canonicalValues {
            valuesByKey[RecipientKey(kind: value.kind, key: recipientHasher.matchKey(value.kind, of: value.canonical))] = value
        }
        let indexed = try await broker.store.deliveriesCarrying(Array(valuesByKey.keys))
        for entry in indexed where !rewrittenIDs.contains(entry.delivery.id) {
            guard let fresh = try await broker.store.delivery(id: entry.delivery.id), fresh.firstDownloadedAt != nil else { continue }
            received.append((delivery: fresh, values: Set(entry.keys.compactMap { valuesByKey[$0] })))
        }

        var notices: [NoticeDraft] = []
        for (delivery, values) in received {
            notices.append(try await notice(for: delivery, values: values, person: person, requestedAt: requestedAt))
        }
        let record = try await broker.store.recordErasure(
            requestedAt: requestedAt, filesRewritten: filesRewritten, rowsRemoved: rowsRemoved, keysSuppressed: suppressed.count,
            deliveriesRewritten: deliveriesRewritten, notices: notices, forgetting: Array(valuesByKey.keys), actor: actor, now: broker.clock())
        return ErasureResult(
            id: record.id, filesRewritten: filesRewritten, rowsRemoved: rowsRemoved, deliveriesRewritten: deliveriesRewritten,
            noticesRecorded: notices.count, found: rowsRemoved > 0 || !indexed.isEmpty, suppressed: true)
    }

    /// A copy of `blob` without the person, stored under a fresh data key, and what it removed; nil (and nothing
    /// stored) when the blob does not hold the person.
    private func rewrite(_ blob: BlobRecord, without person: ErasedPerson) async throws -> (StoredBlob, ErasureRemoval)? {
        let source = try await broker.blobs.openReader(blobID: blob.id, wrappedKey: try blob.parsedWrappedKey(), masterKey: broker.masterKey)
        let writer = try broker.blobs.makeWriter(masterKey: broker.masterKey)
        let removal: ErasureRemoval
        do {
            removal = try await EngineRunner.run { [source = UncheckedSources(sources: [source]), writer = UncheckedWriter(writer: writer)] in
                try ContactFileFilter.remove(person, from: source.sources[0]) { try writer.writer.append($0) }
            }
        } catch {
            writer.abort()
            throw error
        }
        guard removal.rows > 0 else {
            writer.abort()
            return nil
        }
        return (try await broker.blobs.finish(writer), removal)
    }

    /// The notice to the recipient of `delivery`: the person's values it carried, sealed to the firm's registered key.
    private func notice(for delivery: DeliveryRecord, values: Set<PersonValue>, person: ErasedPerson, requestedAt: Date) async throws -> NoticeDraft {
        guard let recipient = try await broker.store.organisation(id: delivery.recipientID), let pem = recipient.publicKeyPEM else {
            throw Problem(
                type: ProblemMapping.typeURI("notice.no-key"), title: "No key to seal the notice to", status: 409,
                detail: "organisation \(delivery.recipientID) received the person but has no registered key; the person is suppressed and "
                    + "removed from the stored files; register the firm's key and ask again to record its notice",
                code: "notice.no-key")
        }
        let key = try EnvelopePublicKey(pemText: pem)
        let id = NoticeRecord.newID()
        func shown(_ kind: MatchKeyKind) -> [String] { values.filter { $0.kind == kind }.map(person.shown).sorted() }
        let content = NoticeContent(
            notice: id, dealId: delivery.dealID, deliveryId: delivery.id, deliveredAt: delivery.createdAt, requestedAt: requestedAt,
            emails: shown(.email), phones: shown(.phone), sirets: shown(.siret))
        let plaintext = try StrictJSON.encoder.encode(content)
        let purpose = try EnvelopePurpose(TransferPurpose.notice(noticeID: id, organisationID: recipient.id))
        var sealer = try EnvelopeSealer(recipient: key, purpose: purpose, chunkSize: ChunkSizeLimits.standard)
        var envelope = sealer.header.bytes
        var offset = 0
        while plaintext.count - offset > sealer.chunkSize {
            envelope.append(try sealer.seal(plaintext[offset..<(offset + sealer.chunkSize)]))
            offset += sealer.chunkSize
        }
        envelope.append(try sealer.finish(plaintext[offset...]))
        return NoticeDraft(id: id, deliveryID: delivery.id, sealed: envelope, keyFingerprint: key.fingerprint)
    }
}
