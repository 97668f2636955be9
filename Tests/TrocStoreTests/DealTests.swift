import Foundation
import GRDB
import Testing
import TrocCore
import TrocStore

/// Deals move only along the lifecycle, each step checked against its state and actor and audited with it.
@Suite struct DealTests {
    let world: DealWorld

    init() throws {
        world = try DealWorld()
    }

    /// A refusal of `transition` from `current`.
    func refused(_ transition: DealTransition, _ current: DealState) -> StoreError {
        .dealTransitionRefused(DealTransitionError(transition: transition, current: current))
    }

    @Test("a complementary deal awaits files, with the settings' expiry and retention, and both parties recorded")
    func createComplementary() throws {
        let deal = try world.proposeDeal()
        #expect(deal.state == .awaitingFiles)
        #expect(deal.pricePer1000 == Money(cents: 2500))
        #expect(deal.retentionMonths == 13)
        #expect(deal.expiresAt == Dates.at(60 * 86_400))
        #expect(deal.verdict.kind == .complementary)
        #expect(try world.database.deal(id: deal.id) == deal)
        #expect(try world.database.dealParties(dealID: deal.id).map(\.organisationID) == [world.windows.id, world.heating.id])
        #expect(try world.database.deals(organisationID: world.heating.id) == [deal])
        #expect(try world.database.deals(organisationID: nil) == [deal])
        let entry = try #require(try world.database.auditEntries(dealID: deal.id).first)
        #expect(entry.action == "deal.create")
        #expect(entry.actorUserID == world.windowsActor.userID)
        #expect(try entry.decodedDetail()["verdict"] == "complementary")
    }

    @Test("unrelated sectors wait for an operator's override, which needs a reason")
    func overrideUnrelated() throws {
        let consulting = try world.database.createOrganisation(Organisations.partner("Conseil SA", siren: Organisations.siren(40)), now: Dates.start)
        let verdict = try SectorRules().verdict(world.windows.nafCode, consulting.nafCode).get()
        #expect(verdict.kind == .unrelated)
        let deal = try world.database.createDeal(
            DealDraft(proposerID: world.windows.id, partnerID: consulting.id, pricePer1000: Money(cents: 3000), verdict: verdict),
            actor: world.windowsActor, now: Dates.start)
        #expect(deal.state == .proposed)
        #expect(storeError { try world.database.overrideDeal(id: deal.id, reason: "  ", actor: world.operatorActor, now: Dates.at(1)) } != nil)
        #expect(
            storeError { try world.database.overrideDeal(id: deal.id, reason: "ok", actor: world.windowsActor, now: Dates.at(1)) }
                == .transitionNotAllowed(transition: .override, role: .partner))
        let overridden = try world.database.overrideDeal(
            id: deal.id, reason: "Both sell to new homeowners", actor: world.operatorActor, now: Dates.at(1))
        #expect(overridden.state == .awaitingFiles)
        #expect(overridden.overrideReason == "Both sell to new homeowners")
        #expect(try world.database.auditEntries(dealID: deal.id).last?.reason == "Both sell to new homeowners")
        #expect(
            storeError { try world.database.overrideDeal(id: deal.id, reason: "again", actor: world.operatorActor, now: Dates.at(2)) }
                == refused(.override, .awaitingFiles))
    }

    @Test("competitors, confidential sectors, out-of-bounds prices, the broker and a stale verdict are refused")
    func createRefusals() throws {
        let rival = try world.database.createOrganisation(
            OrganisationDraft(
                kind: .partner, name: "Fenêtres Rivales", siren: Organisations.siren(41), nafCode: "43.32B", street: "1 rue", postcode: "75001",
                city: "Paris", countryCode: "FR"), now: Dates.start)
        let competing = try SectorRules().verdict(world.windows.nafCode, rival.nafCode).get()
        #expect(
            storeError {
                try world.database.createDeal(
                    DealDraft(proposerID: world.windows.id, partnerID: rival.id, pricePer1000: Money(cents: 2500), verdict: competing),
                    actor: world.windowsActor, now: Dates.start)
            } == .dealRefusedBySector(kind: .competitor, reason: competing.reason))
        #expect(
            storeError { try world.proposeDeal(price: 1999) }
                == .priceOutOfBounds(price: Money(cents: 1999), minimum: Money(cents: 2000), maximum: Money(cents: 3500)))
        let broker = try #require(try world.database.brokerOrganisation())
        let verdict = try world.verdict()
        #expect(
            storeError {
                try world.database.createDeal(
                    DealDraft(proposerID: world.windows.id, partnerID: broker.id, pricePer1000: Money(cents: 2500), verdict: verdict),
                    actor: world.operatorActor, now: Dates.start)
            } == .organisationNotPartner(id: broker.id))
        // A verdict computed the other way round judges other codes than the parties'.
        let reversed = try SectorRules().verdict(world.heating.nafCode, world.windows.nafCode).get()
        #expect(throws: StoreError.self) {
            try world.database.createDeal(
                DealDraft(proposerID: world.windows.id, partnerID: world.heating.id, pricePer1000: Money(cents: 2500), verdict: reversed),
                actor: world.windowsActor, now: Dates.start)
        }
        #expect(throws: StoreError.self) {
            try world.database.createDeal(
                DealDraft(proposerID: world.windows.id, partnerID: world.heating.id, pricePer1000: Money(cents: 2500), verdict: verdict),
                actor: world.heatingActor, now: Dates.start)
        }
        #expect(try world.database.deals(organisationID: nil).isEmpty)
    }

    @Test("files: a party attaches and replaces its own, never another's, and only while the deal awaits files")
    func attachFiles() throws {
        let deal = try world.proposeDeal()
        let first = try world.upload(for: world.windows.id)
        let second = try world.upload(for: world.windows.id, seed: 3)
        let theirs = try world.upload(for: world.heating.id, seed: 2)
        #expect(
            storeError { try world.database.attachFile(dealID: deal.id, fileID: theirs.id, actor: world.windowsActor, now: Dates.at(1)) }
                == .fileNotFound(id: theirs.id))
        _ = try world.database.attachFile(dealID: deal.id, fileID: first.id, actor: world.windowsActor, now: Dates.at(1))
        let files = try world.database.attachFile(dealID: deal.id, fileID: second.id, actor: world.windowsActor, now: Dates.at(2))
        #expect(files.map(\.fileID) == [second.id])
        #expect(try world.database.deal(id: deal.id)?.expiresAt == Dates.at(2 + 60 * 86_400))
        #expect(
            storeError { try world.database.recordMatch(dealID: deal.id, fileIDs: [second.id], reportJSON: "{}", now: Dates.at(3)) }
                == .dealFilesMissing(dealID: deal.id, organisationIDs: [world.heating.id]))
        _ = try world.database.attachFile(dealID: deal.id, fileID: theirs.id, actor: world.heatingActor, now: Dates.at(3))
        // The engine read the first file; the party replaced it meanwhile.
        #expect(
            storeError { try world.database.recordMatch(dealID: deal.id, fileIDs: [first.id, theirs.id], reportJSON: "{}", now: Dates.at(4)) }
                == .dealFilesChanged(dealID: deal.id))
        let matched = try world.database.recordMatch(dealID: deal.id, fileIDs: [second.id, theirs.id], reportJSON: #"{"ok":true}"#, now: Dates.at(4))
        #expect(matched.state == .matched)
        #expect(matched.reportJSON == #"{"ok":true}"#)
        #expect(
            storeError { try world.database.attachFile(dealID: deal.id, fileID: first.id, actor: world.windowsActor, now: Dates.at(5)) }
                == .dealNotAwaitingFiles(dealID: deal.id, current: .matched))
        // The schema also refuses a file attached for the party that does not own it.
        #expect(
            constraintCode {
                try world.raw {
                    try $0.execute(sql: "UPDATE deal_file SET fileID = ? WHERE organisationID = ?", arguments: [theirs.id, world.windows.id])
                }
            } == .SQLITE_CONSTRAINT_TRIGGER)
    }

    @Test("the first acceptance waits for the second; operators and outsiders cannot accept")
    func acceptance() throws {
        let deal = try world.matchedDeal()
        #expect(
            storeError { try world.database.accept(dealID: deal.id, actor: world.operatorActor, now: Dates.at(1)) }
                == .transitionNotAllowed(transition: .accept, role: .operator))
        let outsider = try world.database.createOrganisation(Organisations.partner("Tiers", siren: Organisations.siren(42)), now: Dates.start)
        let outsiderActor = AuditActor(userID: nil, role: .partner, organisationID: outsider.id)
        #expect(storeError { try world.database.accept(dealID: deal.id, actor: outsiderActor, now: Dates.at(1)) } == .dealNotFound(id: deal.id))
        let first = try world.database.accept(dealID: deal.id, actor: world.windowsActor, now: Dates.at(1))
        #expect(first.state == .matched)
        #expect(try world.database.accept(dealID: deal.id, actor: world.windowsActor, now: Dates.at(2)).state == .matched)
        let second = try world.database.accept(dealID: deal.id, actor: world.heatingActor, now: Dates.at(3))
        #expect(second.state == .accepted)
        #expect(try world.database.dealParties(dealID: deal.id).map(\.acceptedAt) == [Dates.at(1), Dates.at(3)])
        #expect(
            storeError { try world.database.approve(dealID: deal.id, actor: world.windowsActor, now: Dates.at(4)) }
                == .transitionNotAllowed(transition: .approve, role: .partner))
        #expect(storeError { try world.database.reject(dealID: deal.id, reason: "", actor: world.operatorActor, now: Dates.at(4)) } != nil)
        let rejected = try world.database.reject(dealID: deal.id, reason: "Opt-in proofs missing", actor: world.operatorActor, now: Dates.at(4))
        #expect(rejected.state == .rejected)
        #expect(
            storeError { try world.database.approve(dealID: deal.id, actor: world.operatorActor, now: Dates.at(5)) } == refused(.approve, .rejected))
    }

    @Test("a party declining cancels the deal; a released deal can no longer be cancelled")
    func declineAndCancel() throws {
        try world.allowReports(3)
        let deal = try world.matchedDeal()
        _ = try world.database.accept(dealID: deal.id, actor: world.windowsActor, now: Dates.at(1))
        let declined = try world.database.decline(dealID: deal.id, reason: "Too few contacts", actor: world.heatingActor, now: Dates.at(2))
        #expect(declined.state == .cancelled)
        #expect(try world.database.dealParties(dealID: deal.id).map { $0.declinedAt != nil } == [false, true])
        let (released, _) = try world.releasedDeal()
        #expect(
            storeError { try world.database.cancel(dealID: released.id, reason: nil, actor: world.windowsActor, now: Dates.at(3)) }
                == refused(.cancel, .released))
        let pending = try world.proposeDeal()
        #expect(
            try world.database.cancel(dealID: pending.id, reason: "changed our mind", actor: world.heatingActor, now: Dates.at(3)).state == .cancelled
        )
    }

    @Test("stalled deals expire; released and finished ones do not")
    func expiry() throws {
        let stalled = try world.proposeDeal(now: Dates.start)
        let fresh = try world.proposeDeal(now: Dates.at(30 * 86_400))
        let (released, _) = try world.releasedDeal(now: Dates.start)
        let expired = try world.database.expireStalledDeals(now: Dates.at(60 * 86_400))
        #expect(expired.map(\.id) == [stalled.id])
        #expect(expired.first?.state == .expired)
        #expect(try world.database.deal(id: fresh.id)?.state == .awaitingFiles)
        #expect(try world.database.deal(id: released.id)?.state == .released)
        let entry = try #require(try world.database.auditEntries(dealID: stalled.id).last)
        #expect(entry.action == "deal.expire")
        #expect(entry.actorUserID == nil)
        #expect(try world.database.expireStalledDeals(now: Dates.at(60 * 86_400)).isEmpty)
    }

    @Test("release records one delivery per party, from the other, with the settings' downloads and window")
    func release() throws {
        let deal = try world.approvedDeal()
        let duplicate = try [
            DeliveryDraft(recipientID: world.windows.id, blob: world.storedBlob(seed: 1), rowCount: 1),
            DeliveryDraft(recipientID: world.windows.id, blob: world.storedBlob(seed: 2), rowCount: 1),
        ]
        #expect(throws: StoreError.self) {
            try world.database.release(dealID: deal.id, deliveries: duplicate, actor: world.operatorActor, now: Dates.at(1))
        }
        #expect(try world.database.deal(id: deal.id)?.state == .approved)
        let deliveries = try world.database.release(dealID: deal.id, deliveries: world.deliveryDrafts(), actor: world.operatorActor, now: Dates.at(1))
        #expect(deliveries.map(\.supplierID) == [world.heating.id, world.windows.id])
        #expect(deliveries.allSatisfy { $0.downloadsRemaining == 3 && $0.expiresAt == Dates.at(1 + 30 * 86_400) })
        let released = try #require(try world.database.deal(id: deal.id))
        #expect(released.state == .released)
        #expect(released.releasedAt == Dates.at(1))
        #expect(try world.database.deliveries(dealID: deal.id, recipientID: world.heating.id).map(\.rowCount) == [1100])
    }

    @Test("a file a live deal needs cannot be deleted; once the deal ended it can, and the deal keeps the attachment")
    func fileDeletion() throws {
        let deal = try world.matchedDeal()
        let fileID = try #require(try world.database.dealFiles(dealID: deal.id).first?.fileID)
        #expect(storeError { try world.database.deleteFile(id: fileID) } == .fileInUse(fileID: fileID, dealID: deal.id, state: .matched))
        _ = try world.database.cancel(dealID: deal.id, reason: nil, actor: world.operatorActor, now: Dates.at(1))
        _ = try world.database.deleteFile(id: fileID)
        #expect(try world.database.dealFiles(dealID: deal.id).map(\.fileID).contains(nil))
    }

    @Test("closing an invoiced deal purges its deliveries and source files, and returns the blobs to delete")
    func close() throws {
        try world.configureInvoicing()
        let (deal, deliveries) = try world.releasedDeal()
        let invoices = try world.invoices(for: deal, issueDate: CivilDate(year: 2025, month: 1, day: 2)!)
        #expect(
            storeError { try world.database.closeDeal(dealID: deal.id, actor: world.operatorActor, now: Dates.at(2)) } == refused(.close, .released))
        _ = try world.database.issueInvoices(
            dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: world.operatorActor, now: Dates.at(1))
        let files = try world.database.dealFiles(dealID: deal.id).compactMap(\.fileID)
        let fileBlobs = try files.map { try #require(try world.database.file(id: $0)).blobID }
        let closed = try world.database.closeDeal(dealID: deal.id, actor: world.operatorActor, now: Dates.at(2))
        #expect(closed.deal.state == .closed)
        #expect(Set(closed.purgedBlobIDs) == Set(deliveries.compactMap(\.blobID) + fileBlobs))
        #expect(try world.database.deliveries(dealID: deal.id).allSatisfy { $0.blobID == nil && $0.purgedAt == Dates.at(2) })
        #expect(try files.allSatisfy { try world.database.file(id: $0) == nil })
        #expect(try world.database.dealFiles(dealID: deal.id).allSatisfy { $0.fileID == nil })
        #expect(try closed.purgedBlobIDs.allSatisfy { try world.database.blob(id: $0) == nil })
        #expect(try world.database.verifyAudit(key: world.auditKey).isIntact)
    }

    @Test("maintenance reads the released deals and the invoiced ones whose retention may be over, not every deal")
    func dueForMaintenance() throws {
        try world.configureInvoicing()
        try world.allowReports(3)
        let waiting = try world.proposeDeal()
        let (released, _) = try world.releasedDeal()
        let (invoiced, _) = try world.releasedDeal()
        let drafts = try world.invoices(for: invoiced, issueDate: CivilDate(year: 2025, month: 1, day: 2)!)
        _ = try world.database.issueInvoices(
            dealID: invoiced.id, drafts: drafts.drafts, settlement: drafts.settlement, actor: world.operatorActor, now: Dates.start)
        let releasedAt = try #require(invoiced.releasedAt)
        // Thirteen months of retention are at least 13 × 28 days: a day before that bound the invoiced deal cannot be due.
        let bound = releasedAt.addingTimeInterval(Double(invoiced.retentionMonths) * 28 * 86_400)
        #expect(try world.database.dealsDueForMaintenance(now: bound.addingTimeInterval(-86_400)).map(\.id) == [released.id])
        // Both deals were created in the same second, so their random ids order them: compare the sets.
        #expect(try Set(world.database.dealsDueForMaintenance(now: bound).map(\.id)) == [released.id, invoiced.id])
        #expect(try world.database.deals(in: .released).map(\.id) == [released.id])
        #expect(try world.database.deals(in: waiting.state).map(\.id) == [waiting.id])
    }
}
