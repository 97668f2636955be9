import Foundation
import Logging
import TrocCore
import TrocCrypto
import TrocStore

/// The deal workflow's steps that need the engine or the blob store; the state changes themselves
/// are the store's transactions.
struct DealService {
    let broker: Broker

    /// Who acts, for the store's audit entries.
    func actor(_ identity: Identity) -> AuditActor {
        AuditActor(userID: identity.userID, role: identity.role, organisationID: identity.organisationID, clientAddress: identity.clientAddress)
    }

    /// The deal `id` if the caller may see it: its parties, operators; 404 for anyone else.
    func visibleDeal(_ id: String, for caller: Identity) async throws -> DealRecord {
        guard let deal = try await broker.store.deal(id: id), caller.role == .operator || deal.partyIDs.contains(caller.organisationID) else {
            throw AccessError.notFound("deal")
        }
        return deal
    }

    /// Refuses `transition` if the caller's role may not make it or the deal's state does not allow it, as the store
    /// would, but before any work (a match, a body read) is done for a request that cannot succeed.
    func authorise(_ transition: DealTransition, on deal: DealRecord, caller: Identity) throws(StoreError) {
        // Transitions with no listed actor are the services'; an operator may run them by hand, nobody else.
        let allowed = transition.actors.isEmpty ? caller.role == .operator : transition.actors.contains(caller.role)
        guard allowed else { throw .transitionNotAllowed(transition: transition, role: caller.role) }
        guard transition.from.contains(deal.state) else {
            throw .dealTransitionRefused(DealTransitionError(transition: transition, current: deal.state))
        }
    }

    /// Proposes a deal from the caller's firm to `new.partnerId`; the sector verdict decides at once.
    func propose(_ new: NewDeal, caller: Identity) async throws -> DealRecord {
        guard new.partnerId != caller.organisationID else {
            throw ValidationFailure(
                subject: "deal", code: "deal.invalid",
                fields: [FieldProblem(field: "partnerId", code: "self", detail: "a firm cannot swap with itself")])
        }
        guard let proposer = try await broker.store.organisation(id: caller.organisationID),
            let partner = try await broker.store.organisation(id: new.partnerId), partner.kind == .partner
        else { throw AccessError.notFound("partner organisation") }
        let rules = try await broker.sectors()
        let verdict: SectorVerdict
        switch rules.verdict(proposer.nafCode, in: proposer.nafNomenclature, partner.nafCode, in: partner.nafNomenclature) {
        case .success(let found): verdict = found
        case .failure(let refusal): throw refusal
        }
        return try await broker.store.createDeal(
            DealDraft(
                proposerID: proposer.id, partnerID: partner.id, pricePer1000: Money(cents: Int64(new.pricePer1000Cents)),
                policy: new.policy ?? .equalCount,
                verdict: verdict), actor: actor(caller), now: broker.clock())
    }

    /// Runs the match once both files are attached; a no-op otherwise. The report is recorded only if each file holds
    /// the broker's minimum of exchangeable contacts and the privacy budget between the two firms allows another
    /// report; otherwise the deal keeps awaiting files and records why (`MatchHold`).
    ///
    /// The match runs as a deal job: on a cluster, another instance finishes it if this one dies. When another instance
    /// runs it already, the request waits for it (`waitIfHeld`), a periodic duty does not.
    func matchIfReady(_ dealID: String, waitIfHeld: Bool = true) async throws {
        guard try await readyToMatch(dealID) != nil else { return }
        try await broker.jobs.run(.match, dealID: dealID, actor: .system, waitIfHeld: waitIfHeld) { try await self.performMatch(dealID) }
    }

    /// The deal and its two attached files when it awaits nothing but its match; nil otherwise.
    private func readyToMatch(_ dealID: String) async throws -> (DealRecord, [DealFileRecord])? {
        guard let deal = try await broker.store.deal(id: dealID), deal.state == .awaitingFiles else { return nil }
        let files = try await broker.store.dealFiles(dealID: dealID)
        guard files.count == 2, files.allSatisfy({ $0.fileID != nil }) else { return nil }
        return (deal, files)
    }

    /// The match job: reads both files and records the report or why the deal must wait; nothing when the deal no longer
    /// awaits its match (another run recorded it).
    func performMatch(_ dealID: String) async throws {
        guard let (deal, files) = try await readyToMatch(dealID) else { return }
        let fileIDs = Set(files.compactMap(\.fileID))
        let outcome = try await match(deal, files: files)
        let minimum = try await broker.store.settings().minimumExchangeable
        let small = zip(deal.partyIDs, [outcome.unsuppressedExchangeable.a, outcome.unsuppressedExchangeable.b]).filter { $0.1 < minimum }
        guard small.isEmpty else {
            _ = try await broker.store.holdMatch(
                dealID: dealID, .filesTooSmall(organisationIDs: small.map(\.0), minimum: minimum), fileIDs: fileIDs, now: broker.clock())
            return
        }
        do {
            _ = try await broker.store.recordMatch(
                dealID: dealID, fileIDs: fileIDs, reportJSON: String(decoding: try StrictJSON.encoder.encode(outcome.report), as: UTF8.self),
                actor: .system, now: broker.clock())
        } catch StoreError.privacyBudgetSpent(_, _, let availableFrom) {
            _ = try await broker.store.holdMatch(
                dealID: dealID, .privacyBudgetSpent(availableFrom: availableFrom), fileIDs: fileIDs, now: broker.clock())
        }
    }

    /// The engine's outcome for a deal: both files read under the deal's key, the suppression list
    /// applied, consumers kept from trades that may not canvass them.
    func match(_ deal: DealRecord, files: [DealFileRecord]? = nil) async throws -> MatchOutcome {
        let files = if let files { files } else { try await broker.store.dealFiles(dealID: deal.id) }
        var sources: [any ContactByteSource] = []
        for organisationID in [deal.proposerID, deal.partnerID] {
            guard let attached = files.first(where: { $0.organisationID == organisationID }), let fileID = attached.fileID,
                let file = try await broker.store.file(id: fileID), let blob = try await broker.store.blob(id: file.blobID)
            else { throw StoreError.dealFilesMissing(dealID: deal.id, organisationIDs: [organisationID]) }
            sources.append(try await broker.blobs.openReader(blobID: blob.id, wrappedKey: try blob.parsedWrappedKey(), masterKey: broker.masterKey))
        }
        let sectors = try await broker.sectors()
        guard let proposer = try await broker.store.organisation(id: deal.proposerID),
            let partner = try await broker.store.organisation(id: deal.partnerID)
        else {
            throw AccessError.notFound("organisation")
        }
        let rules = try await broker.rules(retentionMonths: deal.retentionMonths)
        let options = MatchOptions(
            rules: rules, policy: deal.policy, aAcceptsConsumers: sectors.mayReceiveConsumerContacts(proposer.nafCode, in: proposer.nafNomenclature),
            bAcceptsConsumers: sectors.mayReceiveConsumerContacts(partner.nafCode, in: partner.nafNomenclature))
        let hasher = broker.dealHasher(deal.id)
        let suppression = try await broker.suppressionCheck()
        let threads = broker.configuration.ingestThreads
        let readers = UncheckedSources(sources: sources)
        return try await EngineRunner.run {
            let sets = try ContactFileIngest.read(
                readers.sources, mappings: [[], []], rules: rules, hasher: hasher, parallelism: threads, suppression: suppression)
            return MatchEngine.match(sets[0], sets[1], options: options)
        }
    }

    /// Releases an approved deal: the deliveries are recomputed (the suppression list may have grown
    /// since the report), written as canonical CSV blobs, recorded with the release in one
    /// transaction, and the invoices issued.
    ///
    /// The release runs as a deal job: on a cluster, another instance finishes it (deliveries, then invoices) if this one
    /// dies; the request answers once it is done, wherever it ran.
    func release(_ dealID: String, caller: Identity) async throws -> DealRecord {
        let deal = try await visibleDeal(dealID, for: caller)
        try authorise(.release, on: deal, caller: caller)
        let actor = actor(caller)
        try await broker.jobs.run(.release, dealID: dealID, actor: actor, waitIfHeld: true) {
            try await self.performRelease(dealID, actor: actor)
        }
        return try await visibleDeal(dealID, for: caller)
    }

    /// The release job, resumable from wherever a previous run stopped: an approved deal is released and invoiced, a
    /// released one invoiced from its recorded deliveries; any other state means it is done (or was refused meanwhile).
    func performRelease(_ dealID: String, actor: AuditActor) async throws {
        guard let deal = try await broker.store.deal(id: dealID) else { throw StoreError.dealNotFound(id: dealID) }
        switch deal.state {
        case .approved:
            try await releaseApproved(deal, actor: actor)
        case .released:
            try await invoiceReleased(deal, actor: actor)
        default:
            return
        }
    }

    /// Issues the invoices of a released deal from its recorded deliveries (a release interrupted after it committed).
    func invoiceReleased(_ deal: DealRecord, actor: AuditActor) async throws {
        let deliveries = try await broker.store.deliveries(dealID: deal.id, recipientID: nil)
        let toProposer = deliveries.first { $0.recipientID == deal.proposerID }.map { Int($0.rowCount) } ?? 0
        let toPartner = deliveries.first { $0.recipientID == deal.partnerID }.map { Int($0.rowCount) } ?? 0
        try await issueInvoices(deal.id, deliveredToProposer: toProposer, deliveredToPartner: toPartner, actor: actor)
    }

    /// Seals both deliveries, records them with the release in one transaction, then issues the invoices.
    private func releaseApproved(_ deal: DealRecord, actor: AuditActor) async throws {
        let dealID = deal.id
        // Invoices go out with the release: refuse before writing anything if they cannot (the release transaction checks again).
        _ = try await broker.store.settings().invoicing()
        try await broker.store.checkMandates(dealID: dealID)
        let outcome = try await match(deal)
        let files = try await broker.store.dealFiles(dealID: dealID)
        var drafts: [DeliveryDraft] = []
        do {
            for (supplierID, recipientID, selection) in [
                (deal.proposerID, deal.partnerID, outcome.toB), (deal.partnerID, deal.proposerID, outcome.toA),
            ] {
                guard let fileID = files.first(where: { $0.organisationID == supplierID })?.fileID,
                    let file = try await broker.store.file(id: fileID),
                    let blob = try await broker.store.blob(id: file.blobID)
                else { throw StoreError.dealFilesMissing(dealID: dealID, organisationIDs: [supplierID]) }
                guard let supplier = try await broker.store.organisation(id: supplierID) else { throw AccessError.notFound("organisation") }
                // Each row names its supplier and the deal, so the recipient can tell the person where their data came from (RGPD art. 14).
                let provenance = DeliveryProvenance(supplierName: supplier.name, supplierSIREN: supplier.siren, dealID: dealID)
                let asOf = outcome.report.asOf
                let source = try await broker.blobs.openReader(blobID: blob.id, wrappedKey: try blob.parsedWrappedKey(), masterKey: broker.masterKey)
                let writer = try broker.blobs.makeWriter(masterKey: broker.masterKey)
                let written = try await EngineRunner.run { [source = UncheckedSources(sources: [source]), writer = UncheckedWriter(writer: writer)] in
                    try CanonicalContactWriter.write(
                        from: source.sources[0], mappings: [], selection: selection, provenance: provenance, asOf: asOf
                    ) { try writer.writer.append($0) }
                }
                let stored = try await broker.blobs.finish(writer)
                drafts.append(
                    DeliveryDraft(recipientID: recipientID, blob: stored, rowCount: written, recipientKeys: try await recipientKeys(of: stored)))
            }
            _ = try await broker.store.release(dealID: dealID, deliveries: drafts, actor: actor, now: broker.clock())
        } catch {
            // A racing release won, or writing failed: our delivery blobs are nobody's.
            for draft in drafts { _ = try? await broker.blobs.delete(blobID: draft.blob.id) }
            throw error
        }
        try await issueInvoices(dealID, deliveredToProposer: outcome.toA.count, deliveredToPartner: outcome.toB.count, actor: actor)
    }

    /// The keyed hashes of every email, phone and SIRET a delivery carries, read back from what was stored: the record
    /// of who received whom that lets an erasure notify the recipient after the delivery is gone (GDPR art. 19).
    private func recipientKeys(of stored: StoredBlob) async throws -> [RecipientKey] {
        let reader = try await broker.blobs.openReader(blobID: stored.id, wrappedKey: stored.wrappedKey, masterKey: broker.masterKey)
        let hasher = broker.recipientHasher()
        let keys = try await EngineRunner.run { [reader = UncheckedSources(sources: [reader])] in
            var keys: [RecipientKey] = []
            try ContactFileFilter.values(in: reader.sources[0]) { value in
                keys.append(RecipientKey(kind: value.kind, key: hasher.matchKey(value.kind, of: value.canonical)))
            }
            return keys
        }
        // Sorted for the index's insertion order; a value met twice is inserted once (INSERT OR IGNORE).
        return keys.sorted()
    }

    /// The exchange and commission invoices of a released deal and its settlement statement, in one transaction: on the
    /// terms frozen when both firms accepted, under the sellers' billing mandates in force, numbered in the broker's
    /// current series.
    func issueInvoices(_ dealID: String, deliveredToProposer: Int, deliveredToPartner: Int, actor: AuditActor) async throws {
        guard let deal = try await broker.store.deal(id: dealID), deal.state == .released else { return }
        let terms = try await broker.store.termsForInvoicing(dealID: dealID, now: broker.clock())
        let mandates = DealMandates(
            a: try await broker.store.mandateInForce(organisationID: deal.proposerID)?.acceptance,
            b: try await broker.store.mandateInForce(organisationID: deal.partnerID)?.acceptance)
        let figures = DealFigures(
            dealID: deal.id, releaseDate: broker.today(), addressesToA: deliveredToProposer, addressesToB: deliveredToPartner)
        let invoices = try DealInvoicing.invoices(
            for: figures, terms: terms, mandates: mandates, seriesPrefix: try await broker.store.settings().seriesPrefix, issueDate: broker.today())
        _ = try await broker.store.issueInvoices(
            dealID: dealID, drafts: invoices.drafts, settlement: invoices.settlement, actor: actor, now: broker.clock())
    }
}

/// Blob readers handed to the engine's threads, which alone use them.
struct UncheckedSources: @unchecked Sendable {
    let sources: [any ContactByteSource]
}

/// A blob writer handed to the engine's thread, which alone uses it until it returns.
struct UncheckedWriter: @unchecked Sendable {
    let writer: BlobWriter
}
