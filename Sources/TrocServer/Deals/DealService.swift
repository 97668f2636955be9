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
    func visibleDeal(_ id: String, for caller: Identity) throws -> DealRecord {
        guard let deal = try broker.database.deal(id: id), caller.role == .operator || deal.partyIDs.contains(caller.organisationID) else {
            throw AccessError.notFound("deal")
        }
        return deal
    }

    /// Proposes a deal from the caller's firm to `new.partnerId`; the sector verdict decides at once.
    func propose(_ new: NewDeal, caller: Identity) throws -> DealRecord {
        guard new.partnerId != caller.organisationID else {
            throw ValidationFailure(
                subject: "deal", code: "deal.invalid",
                fields: [FieldProblem(field: "partnerId", code: "self", detail: "a firm cannot swap with itself")])
        }
        guard let proposer = try broker.database.organisation(id: caller.organisationID),
            let partner = try broker.database.organisation(id: new.partnerId), partner.kind == .partner
        else { throw AccessError.notFound("partner organisation") }
        let rules = try broker.sectors()
        let verdict: SectorVerdict
        switch rules.verdict(proposer.nafCode, partner.nafCode) {
        case .success(let found): verdict = found
        case .failure(let refusal): throw refusal
        }
        return try broker.database.createDeal(
            DealDraft(
                proposerID: proposer.id, partnerID: partner.id, pricePer1000: Money(cents: Int64(new.pricePer1000Cents)),
                policy: new.policy ?? .equalCount,
                verdict: verdict), actor: actor(caller), now: broker.clock())
    }

    /// Runs the match once both files are attached; a no-op otherwise.
    func matchIfReady(_ dealID: String) async throws {
        guard let deal = try broker.database.deal(id: dealID), deal.state == .awaitingFiles else { return }
        let files = try broker.database.dealFiles(dealID: dealID)
        guard files.count == 2, files.allSatisfy({ $0.fileID != nil }) else { return }
        let outcome = try await match(deal, files: files)
        _ = try broker.database.recordMatch(
            dealID: dealID, fileIDs: Set(files.compactMap(\.fileID)),
            reportJSON: String(decoding: try StrictJSON.encoder.encode(outcome.report), as: UTF8.self),
            now: broker.clock())
    }

    /// The engine's outcome for a deal: both files read under the deal's key, the suppression list
    /// applied, consumers kept from trades that may not canvass them.
    func match(_ deal: DealRecord, files: [DealFileRecord]? = nil) async throws -> MatchOutcome {
        let files = try files ?? broker.database.dealFiles(dealID: deal.id)
        let sources = try [deal.proposerID, deal.partnerID].map { organisationID in
            guard let attached = files.first(where: { $0.organisationID == organisationID }), let fileID = attached.fileID,
                let file = try broker.database.file(id: fileID), let blob = try broker.database.blob(id: file.blobID)
            else { throw StoreError.dealFilesMissing(dealID: deal.id, organisationIDs: [organisationID]) }
            return try broker.blobs.openReader(blobID: blob.id, wrappedKey: try blob.parsedWrappedKey(), masterKey: broker.masterKey)
        }
        let sectors = try broker.sectors()
        guard let proposer = try broker.database.organisation(id: deal.proposerID), let partner = try broker.database.organisation(id: deal.partnerID)
        else {
            throw AccessError.notFound("organisation")
        }
        let rules = try broker.rules(retentionMonths: deal.retentionMonths)
        let options = MatchOptions(
            rules: rules, policy: deal.policy, aAcceptsConsumers: sectors.mayReceiveConsumerContacts(proposer.nafCode),
            bAcceptsConsumers: sectors.mayReceiveConsumerContacts(partner.nafCode))
        let hasher = broker.dealHasher(deal.id)
        let suppression = try broker.suppressionCheck()
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
    func release(_ dealID: String, caller: Identity) async throws -> DealRecord {
        let deal = try visibleDeal(dealID, for: caller)
        guard deal.state == .approved else { throw StoreError.dealTransitionRefused(DealTransitionError(transition: .release, current: deal.state)) }
        // Invoices go out with the release: refuse before writing anything if they cannot.
        _ = try broker.database.settings().invoicing()
        let outcome = try await match(deal)
        let files = try broker.database.dealFiles(dealID: dealID)
        var drafts: [DeliveryDraft] = []
        do {
            for (supplierID, recipientID, selection) in [
                (deal.proposerID, deal.partnerID, outcome.toB), (deal.partnerID, deal.proposerID, outcome.toA),
            ] {
                guard let fileID = files.first(where: { $0.organisationID == supplierID })?.fileID, let file = try broker.database.file(id: fileID),
                    let blob = try broker.database.blob(id: file.blobID)
                else { throw StoreError.dealFilesMissing(dealID: dealID, organisationIDs: [supplierID]) }
                let source = try broker.blobs.openReader(blobID: blob.id, wrappedKey: try blob.parsedWrappedKey(), masterKey: broker.masterKey)
                let writer = try broker.blobs.makeWriter(masterKey: broker.masterKey)
                let written = try await EngineRunner.run { [source = UncheckedSources(sources: [source]), writer = UncheckedWriter(writer: writer)] in
                    try CanonicalContactWriter.write(from: source.sources[0], mappings: [], selection: selection) { try writer.writer.append($0) }
                }
                drafts.append(DeliveryDraft(recipientID: recipientID, blob: try writer.finish(), rowCount: written))
            }
            _ = try broker.database.release(dealID: dealID, deliveries: drafts, actor: actor(caller), now: broker.clock())
        } catch {
            // A racing release won, or writing failed: our delivery blobs are nobody's.
            for draft in drafts { _ = try? broker.blobs.delete(blobID: draft.blob.id) }
            throw error
        }
        try issueInvoices(dealID, deliveredToProposer: outcome.toA.count, deliveredToPartner: outcome.toB.count, actor: actor(caller))
        return try visibleDeal(dealID, for: caller)
    }

    /// The exchange and commission invoices of a released deal and its settlement statement, in one transaction.
    func issueInvoices(_ dealID: String, deliveredToProposer: Int, deliveredToPartner: Int, actor: AuditActor) throws {
        guard let deal = try broker.database.deal(id: dealID), deal.state == .released,
            let proposer = try broker.database.organisation(id: deal.proposerID), let partner = try broker.database.organisation(id: deal.partnerID)
        else { return }
        let settings = try broker.database.settings().invoicing()
        let figures = DealFigures(
            dealID: deal.id, releaseDate: broker.today(), pricePer1000: deal.pricePer1000, partnerA: DealPartner(proposer),
            partnerB: DealPartner(partner), addressesToA: deliveredToProposer, addressesToB: deliveredToPartner)
        let invoices = try DealInvoicing.invoices(for: figures, settings: settings, issueDate: broker.today())
        _ = try broker.database.issueInvoices(
            dealID: dealID, drafts: invoices.drafts, settlement: invoices.settlement, actor: actor, now: broker.clock())
    }
}

extension DealPartner {
    /// A partner as invoices name it, from its registration.
    init(_ organisation: OrganisationRecord) {
        self.init(
            name: organisation.name,
            address: PostalAddress(
                street: organisation.street, postcode: organisation.postcode, city: organisation.city, countryCode: organisation.countryCode),
            siren: organisation.siren, foreignRegistrationID: nil, vatNumber: organisation.vatNumber)
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
