import Foundation
import Testing
import TrocCore
import TrocCrypto
import TrocStore

/// The record-store seam as the server uses it: the SQLite store reached only as `any RecordStore`, through every domain a
/// deal crosses on its way to a match, with its refusals still typed `StoreError` (the server's problem mapping needs them).
@Suite struct RecordStoreSeamTests {
    @Test func aDealGoesFromProposalToMatchAndIntoTheListingThroughTheSeam() async throws {
        let directory = try TemporaryDirectory()
        let blobs = try BlobStore(directory: directory.appending("blobs"))
        let masterKey = MasterKey.generate()
        // Opened as `Broker.open` does: the keys first, then the handle whose audited writes chain under the derived key.
        let opened: any RecordStore = try AppDatabase.inMemory()
        let keys = try await opened.ensureBrokerKeys(masterKey: masterKey, now: Dates.start)
        #expect(try await opened.activeBrokerKey()?.id == keys.id)
        let auditKey = try AuditKey(keys.rootHashingSecret.auditKey())
        let store: any RecordStore = try #require(opened as? AppDatabase).withAuditKey(auditKey)

        // Accounts: the broker, two complementary firms, a user each, and a token that authenticates.
        let broker = try await store.createOrganisation(Organisations.broker(), now: Dates.start)
        let windows = try await store.createOrganisation(
            OrganisationDraft(
                kind: .partner, name: "Menuiserie Durand SARL", siren: "732829320", nafCode: "43.32A", street: "2 avenue des Artisans",
                postcode: "69001", city: "Lyon", countryCode: "FR"),
            now: Dates.start)
        let heating = try await store.createOrganisation(
            OrganisationDraft(
                kind: .partner, name: "Géothermie & Fils SAS", siren: "552100554", nafCode: "43.22B", street: "12 chemin des Sources",
                postcode: "33000", city: "Bordeaux", countryCode: "FR"),
            now: Dates.start)
        let expiry = Dates.at(90 * 86_400)
        let operatorUser = try await store.addUser(
            UserDraft(organisationID: broker.id, role: .operator, name: "Olga", email: nil), reason: nil, firstTokenExpiresAt: expiry,
            creator: .system, now: Dates.start)
        let operatorActor = AuditActor(operatorUser.user)
        let will = try await store.addUser(
            UserDraft(organisationID: windows.id, role: .partner, name: "Will", email: nil), reason: nil, firstTokenExpiresAt: expiry,
            creator: operatorActor, now: Dates.start)
        let hugo = try await store.addUser(
            UserDraft(organisationID: heating.id, role: .partner, name: "Hugo", email: nil), reason: nil, firstTokenExpiresAt: expiry,
            creator: operatorActor, now: Dates.start)
        let signedIn = try await store.authenticate(secret: will.token.secret, now: Dates.at(1))
        #expect(signedIn.user.id == will.user.id && signedIn.organisation.id == windows.id)
        #expect(try await store.organisations().map(\.id) == [broker.id, heating.id, windows.id], "the broker first, then partners by name")

        // Sectors and deals: the verdict from the store's own tables, then both files attached and the report recorded.
        let verdict = try SectorRules(reference: try await store.sectorReference()).verdict(windows.nafCode, heating.nafCode).get()
        let windowsActor = AuditActor(will.user)
        let heatingActor = AuditActor(hugo.user)
        let deal = try await store.createDeal(
            DealDraft(proposerID: windows.id, partnerID: heating.id, pricePer1000: Money(cents: 2500), verdict: verdict), actor: windowsActor,
            now: Dates.at(2))
        #expect(deal.state == .awaitingFiles)
        var fileIDs: Set<String> = []
        for (organisation, actor, seed) in [(windows, windowsActor, UInt64(1)), (heating, heatingActor, UInt64(2))] {
            let stored = try await storeBlob(patternBytes(count: 64, seed: seed), in: blobs, masterKey: masterKey)
            let file = try await store.createFile(
                organisationID: organisation.id, blob: stored, name: "contacts.csv", byteCount: 64, reportJSON: #"{"rows":1}"#,
                partnerReportJSON: nil, now: Dates.at(3))
            #expect(try await store.blob(id: file.blobID)?.id == stored.id)
            _ = try await store.attachFile(dealID: deal.id, fileID: file.id, actor: actor, now: Dates.at(4))
            fileIDs.insert(file.id)
        }
        #expect(Set(try await store.dealFiles(dealID: deal.id).compactMap(\.fileID)) == fileIDs)
        let matched = try await store.recordMatch(
            dealID: deal.id, fileIDs: fileIDs, reportJSON: #"{"delivery":{"toA":1,"toB":1}}"#, actor: .system, now: Dates.at(5))
        #expect(matched.state == .matched)

        // The listing `GET /v1/deals` reads: the deal with both files and both firms, for either party.
        let page = try #require(try await store.dealPage(organisationID: heating.id, after: nil, limit: 10, recipientID: heating.id))
        #expect(page.deals.map(\.id) == [deal.id])
        #expect(page.files[deal.id]?.count == 2)
        #expect(page.organisations[windows.id]?.name == windows.name)
        #expect(try await store.dealPage(organisationID: heating.id, after: "deal_unknown", limit: 10, recipientID: heating.id) == nil)

        // A refused transition arrives as the typed error: this block only compiles if the existential call throws `StoreError`.
        do throws(StoreError) {
            _ = try await store.approve(dealID: deal.id, actor: operatorActor, now: Dates.at(6))
            Issue.record("approving a deal nobody accepted was allowed")
        } catch {
            #expect(error == .dealTransitionRefused(DealTransitionError(transition: .approve, current: .matched)))
        }
        #expect(try await store.deal(id: deal.id)?.state == .matched, "the refusal changed nothing")

        // Audit: every step of the deal chained in the trail, which verifies.
        let trail = try await store.auditEntries(dealID: deal.id, limit: 100, afterSeq: 0).map(\.action)
        #expect(trail.first == "deal.create" && trail.last == "deal.match" && trail.count == 4, "\(trail)")
        #expect(try await store.verifyAudit(key: auditKey, expecting: nil).isIntact)
    }
}
