import Foundation
import Testing
import TrocCore
import TrocCrypto
import TrocPostgres
import TrocStore

/// Proposing deals and reading them back: the sector verdict decides the first state, the settings the price bounds,
/// expiry and retention; the same on both backends.
extension PostgresTests {
    @Suite struct DealStore {
        typealias Admin = UserAdministrationStore
        static let start = Admin.start
        static let rules = SectorRules(reference: ReferenceData.embedded)

        /// A partner firm in NAF sub-class `nafCode`, with its first user.
        static func firm(_ store: any AccountRecords, siren: String, nafCode: String) async throws -> (OrganisationRecord, AuditActor) {
            var draft = PostgresTests.AccountStore.partner("Firm \(siren)", siren: siren)
            draft.nafCode = nafCode
            let firm = try await store.createOrganisation(draft, now: start)
            let user = try await store.addUser(
                UserDraft(organisationID: firm.id, role: .partner, name: "Anne", email: nil), reason: nil, firstTokenExpiresAt: Admin.expiry,
                creator: try await Admin.makeOperator(store), now: start)
            return (firm, Admin.actor(user.user))
        }

        /// The proposal of a deal between `a` and `b` at `cents` per 1,000 addresses, judged by the embedded rules.
        static func draft(_ a: OrganisationRecord, _ b: OrganisationRecord, cents: Int64 = 2500) throws -> DealDraft {
            DealDraft(proposerID: a.id, partnerID: b.id, pricePer1000: Money(cents: cents), verdict: try rules.verdict(a.nafCode, b.nafCode).get())
        }

        @Test(
            "complementary sectors start awaiting files, unrelated ones proposed; the deal reads back with its parties, proposer first",
            arguments: Backend.allCases)
        func proposals(backend: Backend) async throws {
            try await backend.withStore { store in
                let (windows, windowsActor) = try await Self.firm(store, siren: "432432432", nafCode: "43.32A")
                let (heating, _) = try await Self.firm(store, siren: "432243224", nafCode: "43.22B")
                let (consultant, _) = try await Self.firm(store, siren: "702270227", nafCode: "70.22Z")
                let deal = try await store.createDeal(try Self.draft(windows, heating), actor: windowsActor, now: Self.start)
                #expect(deal.state == .awaitingFiles && deal.verdict.kind == .complementary)
                #expect(deal.retentionMonths == BrokerSettings.defaults.retentionMonths)
                #expect(deal.expiresAt == Self.start.addingTimeInterval(TimeInterval(BrokerSettings.defaults.dealExpiryDays) * 86_400))
                #expect(try await store.deal(id: deal.id) == deal)
                #expect(try await store.dealParties(dealID: deal.id).map(\.organisationID) == [windows.id, heating.id])
                #expect(try await store.dealParties(dealID: deal.id).allSatisfy { $0.acceptedAt == nil && $0.declinedAt == nil })
                #expect(try await store.dealFiles(dealID: deal.id).isEmpty)

                let unrelated = try await store.createDeal(
                    try Self.draft(windows, consultant), actor: windowsActor, now: Self.start.addingTimeInterval(1))
                #expect(unrelated.state == .proposed)
                #expect(try await store.deals(in: .awaitingFiles) == [deal])
                #expect(try await store.deals(in: .proposed) == [unrelated])
                #expect(try await store.deal(id: "del_aaaaaaaaaaaaaaaa") == nil)
                let entries = try await store.auditEntries(dealID: deal.id, limit: 10, afterSeq: 0)
                #expect(entries.map(\.action) == ["deal.create"])
                #expect(try entries.first?.decodedDetail()["verdict"] == "complementary")
                #expect((try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }

        @Test(
            "competing or confidential sectors, a deal with oneself, another firm's proposal, a stale verdict or a price out of bounds are refused, and nothing is recorded",
            arguments: Backend.allCases)
        func refusals(backend: Backend) async throws {
            try await backend.withStore { store in
                let (windows, windowsActor) = try await Self.firm(store, siren: "434343434", nafCode: "43.32A")
                let (rival, rivalActor) = try await Self.firm(store, siren: "435435435", nafCode: "43.32A")
                let (heating, _) = try await Self.firm(store, siren: "436436436", nafCode: "43.22B")
                let (guards, _) = try await Self.firm(store, siren: "801080108", nafCode: "80.10Z")
                await #expect(throws: StoreError.self) {
                    try await store.createDeal(try Self.draft(windows, rival), actor: windowsActor, now: Self.start)
                }
                await #expect(throws: StoreError.self) {
                    try await store.createDeal(try Self.draft(windows, guards), actor: windowsActor, now: Self.start)
                }
                var withSelf = try Self.draft(windows, heating)
                withSelf.partnerID = windows.id
                await #expect(
                    throws: StoreError.invalidField(field: "partnerID", value: windows.id, reason: "a deal is between two different organisations")
                ) {
                    try await store.createDeal(withSelf, actor: windowsActor, now: Self.start)
                }
                await #expect(
                    throws: StoreError.invalidField(
                        field: "proposerID", value: windows.id, reason: "a partner proposes deals for its own organisation only")
                ) {
                    try await store.createDeal(try Self.draft(windows, heating), actor: rivalActor, now: Self.start)
                }
                var stale = try Self.draft(windows, heating)
                stale.verdict = try Self.rules.verdict("43.32A", "43.22A").get()
                await #expect(throws: StoreError.self) { try await store.createDeal(stale, actor: windowsActor, now: Self.start) }
                await #expect(
                    throws: StoreError.priceOutOfBounds(
                        price: Money(cents: 9000), minimum: BrokerSettings.defaults.minimumPricePer1000,
                        maximum: BrokerSettings.defaults.maximumPricePer1000)
                ) {
                    try await store.createDeal(try Self.draft(windows, heating, cents: 9000), actor: windowsActor, now: Self.start)
                }
                await #expect(throws: StoreError.organisationNotFound(id: "org_aaaaaaaaaaaaaaaa")) {
                    var unknown = try Self.draft(windows, heating)
                    unknown.partnerID = "org_aaaaaaaaaaaaaaaa"
                    return try await store.createDeal(unknown, actor: windowsActor, now: Self.start)
                }
                for state in [DealState.proposed, .awaitingFiles] { #expect(try await store.deals(in: state).isEmpty) }
                #expect(try await store.auditEntries(dealID: nil, limit: 100, afterSeq: 0).filter { $0.action == "deal.create" }.isEmpty)
            }
        }

        @Test(
            "an operator overrides unrelated sectors with a reason; parties attach and replace their own files while the deal awaits them, and cancel it",
            arguments: Backend.allCases)
        func filesAndTransitions(backend: Backend) async throws {
            let blobs = try FileStore.Blobs()
            try await backend.withStore { store in
                let operatorActor = try await Admin.makeOperator(store)
                let (windows, windowsActor) = try await Self.firm(store, siren: "442442442", nafCode: "43.32A")
                let (consultant, consultantActor) = try await Self.firm(store, siren: "702702702", nafCode: "70.22Z")
                let (outsider, _) = try await Self.firm(store, siren: "443443443", nafCode: "43.22B")
                let deal = try await store.createDeal(try Self.draft(windows, consultant), actor: windowsActor, now: Self.start)
                await #expect(throws: StoreError.transitionNotAllowed(transition: .override, role: .partner)) {
                    try await store.overrideDeal(id: deal.id, reason: "please", actor: windowsActor, now: Self.start)
                }
                await #expect(throws: StoreError.self) {
                    try await store.overrideDeal(id: deal.id, reason: " ", actor: operatorActor, now: Self.start)
                }
                let later = Self.start.addingTimeInterval(3600)
                let overridden = try await store.overrideDeal(
                    id: deal.id, reason: " Consultants advise renovators ", actor: operatorActor, now: later)
                #expect(overridden.state == .awaitingFiles && overridden.overrideReason == "Consultants advise renovators")
                #expect(overridden.expiresAt == later.addingTimeInterval(TimeInterval(BrokerSettings.defaults.dealExpiryDays) * 86_400))
                await #expect(throws: StoreError.dealTransitionRefused(DealTransitionError(transition: .override, current: .awaitingFiles))) {
                    try await store.overrideDeal(id: deal.id, reason: "again", actor: operatorActor, now: later)
                }

                let first = try await FileStore.upload(store, blobs, organisationID: windows.id)
                let second = try await FileStore.upload(store, blobs, organisationID: windows.id)
                let theirs = try await FileStore.upload(store, blobs, organisationID: consultant.id)
                let stranger = try await FileStore.upload(store, blobs, organisationID: outsider.id)
                await #expect(throws: StoreError.fileNotFound(id: theirs.id)) {
                    try await store.attachFile(dealID: deal.id, fileID: theirs.id, actor: windowsActor, now: later)
                }
                await #expect(throws: StoreError.dealNotFound(id: deal.id)) {
                    try await store.attachFile(
                        dealID: deal.id, fileID: stranger.id, actor: Admin.actor(try await store.users(organisationID: outsider.id)[0]), now: later)
                }
                await #expect(throws: StoreError.self) {
                    try await store.attachFile(dealID: deal.id, fileID: stranger.id, actor: operatorActor, now: later)
                }
                _ = try await store.attachFile(dealID: deal.id, fileID: first.id, actor: windowsActor, now: later)
                _ = try await store.attachFile(dealID: deal.id, fileID: theirs.id, actor: consultantActor, now: later.addingTimeInterval(1))
                let files = try await store.attachFile(dealID: deal.id, fileID: second.id, actor: windowsActor, now: later.addingTimeInterval(2))
                #expect(files.map(\.fileID) == [theirs.id, second.id])
                #expect(try await store.dealFiles(dealID: deal.id) == files)
                await #expect(throws: StoreError.fileAttachedToDeal(fileID: second.id, dealID: deal.id, state: .awaitingFiles)) {
                    try await store.deleteUnattachedFile(id: second.id, actor: windowsActor, now: later)
                }
                let attach = try #require(try await store.auditEntries(dealID: deal.id, limit: 20, afterSeq: 0).last)
                #expect(try attach.decodedDetail() == ["fileID": .string(second.id), "replacedFileID": .string(first.id), "filesAttached": 2])

                await #expect(throws: StoreError.dealTransitionRefused(DealTransitionError(transition: .decline, current: .awaitingFiles))) {
                    try await store.decline(dealID: deal.id, reason: nil, actor: consultantActor, now: later)
                }
                await #expect(throws: StoreError.dealTransitionRefused(DealTransitionError(transition: .reject, current: .awaitingFiles))) {
                    try await store.reject(dealID: deal.id, reason: "no", actor: operatorActor, now: later)
                }
                let cancelled = try await store.cancel(dealID: deal.id, reason: "changed our minds", actor: consultantActor, now: later)
                #expect(cancelled.state == .cancelled)
                await #expect(throws: StoreError.dealNotAwaitingFiles(dealID: deal.id, current: .cancelled)) {
                    try await store.attachFile(dealID: deal.id, fileID: first.id, actor: windowsActor, now: later)
                }
                let actions = try await store.auditEntries(dealID: deal.id, limit: 20, afterSeq: 0).map(\.action)
                #expect(actions == ["deal.create", "deal.override", "deal.file.attach", "deal.file.attach", "deal.file.attach", "deal.cancel"])
                #expect((try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }

        @Test("a deal cancelled on two instances at once is cancelled once; the other is refused with the state it found")
        func oneWinnerAcrossInstances() async throws {
            try await PostgresTests.withTwoInstances { first, second in
                let (windows, windowsActor) = try await Self.firm(first, siren: "452452452", nafCode: "43.32A")
                let (heating, heatingActor) = try await Self.firm(first, siren: "453453453", nafCode: "43.22B")
                let deal = try await first.createDeal(try Self.draft(windows, heating), actor: windowsActor, now: Self.start)
                /// Cancels on `store` for `actor`, keeping the refusal.
                @Sendable func cancelling(on store: PostgresStore, _ actor: AuditActor) async -> Result<DealRecord, StoreError> {
                    do throws(StoreError) {
                        return .success(try await store.cancel(dealID: deal.id, reason: nil, actor: actor, now: Self.start))
                    } catch {
                        return .failure(error)
                    }
                }
                async let one = cancelling(on: first, windowsActor)
                async let two = cancelling(on: second, heatingActor)
                let outcomes = await [one, two]
                #expect(outcomes.count { (try? $0.get()) != nil } == 1)
                for case .failure(let error) in outcomes {
                    #expect(error == .dealTransitionRefused(DealTransitionError(transition: .cancel, current: .cancelled)))
                }
                #expect(try await first.auditEntries(dealID: deal.id, limit: 10, afterSeq: 0).map(\.action) == ["deal.create", "deal.cancel"])
            }
        }

        /// A complementary deal between the firms of `pair` with both files attached, ready to match.
        static func dealWithFiles(
            _ store: any AccountRecords, _ blobs: FileStore.Blobs, pair: (OrganisationRecord, AuditActor, OrganisationRecord, AuditActor)
        ) async throws -> (deal: DealRecord, files: Set<String>) {
            let (windows, windowsActor, heating, heatingActor) = pair
            let deal = try await store.createDeal(try draft(windows, heating), actor: windowsActor, now: start)
            let a = try await FileStore.upload(store, blobs, organisationID: windows.id)
            let b = try await FileStore.upload(store, blobs, organisationID: heating.id)
            _ = try await store.attachFile(dealID: deal.id, fileID: a.id, actor: windowsActor, now: start)
            _ = try await store.attachFile(dealID: deal.id, fileID: b.id, actor: heatingActor, now: start)
            return (deal, [a.id, b.id])
        }

        @Test(
            "a match needs both files as the engine read them and JSON, spends the pair's privacy budget, and a party may then decline",
            arguments: Backend.allCases)
        func match(backend: Backend) async throws {
            let blobs = try FileStore.Blobs()
            try await backend.withStore { store in
                let operatorActor = try await Admin.makeOperator(store)
                _ = try await store.updateSettings(SettingsChange(privacyReportsPerPair: 1), reason: nil, actor: operatorActor, now: Self.start)
                let (windows, windowsActor) = try await Self.firm(store, siren: "462462462", nafCode: "43.32A")
                let (heating, heatingActor) = try await Self.firm(store, siren: "463463463", nafCode: "43.22B")
                let lone = try await store.createDeal(try Self.draft(windows, heating), actor: windowsActor, now: Self.start)
                await #expect(throws: StoreError.dealFilesMissing(dealID: lone.id, organisationIDs: [windows.id, heating.id])) {
                    try await store.recordMatch(dealID: lone.id, fileIDs: [], reportJSON: "{}", actor: .system, now: Self.start)
                }
                _ = try await store.cancel(dealID: lone.id, reason: nil, actor: windowsActor, now: Self.start)
                let (deal, files) = try await Self.dealWithFiles(store, blobs, pair: (windows, windowsActor, heating, heatingActor))
                await #expect(throws: StoreError.dealFilesChanged(dealID: deal.id)) {
                    try await store.recordMatch(dealID: deal.id, fileIDs: [files.first!], reportJSON: "{}", actor: .system, now: Self.start)
                }
                await #expect(throws: StoreError.self) {
                    try await store.recordMatch(dealID: deal.id, fileIDs: files, reportJSON: "{report", actor: .system, now: Self.start)
                }
                await #expect(throws: StoreError.transitionNotAllowed(transition: .match, role: .partner)) {
                    try await store.recordMatch(dealID: deal.id, fileIDs: files, reportJSON: "{}", actor: windowsActor, now: Self.start)
                }
                let matched = try await store.recordMatch(
                    dealID: deal.id, fileIDs: files, reportJSON: #"{"exchangeable":1200}"#, actor: .system, now: Self.start)
                #expect(matched.state == .matched && matched.reportJSON == #"{"exchangeable":1200}"#)
                #expect(try await store.deal(id: deal.id) == matched)
                // One report per pair: the next deal between them waits until the spend stops counting.
                await #expect(throws: StoreError.self) {
                    try await store.createDeal(try Self.draft(windows, heating), actor: windowsActor, now: Self.start)
                }
                let declined = try await store.decline(dealID: deal.id, reason: "too few", actor: heatingActor, now: Self.start)
                #expect(declined.state == .cancelled)
                #expect(try await store.dealParties(dealID: deal.id).map { $0.declinedAt != nil } == [false, true])
                let entry = try #require(try await store.auditEntries(dealID: deal.id, limit: 20, afterSeq: 0).last)
                #expect(entry.action == "deal.decline" && entry.organisationID == heating.id && entry.reason == "too few")
                #expect((try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }

        @Test("four matches between the same firms on two instances at once, with budget for one: one is recorded, the others refused")
        func budgetAcrossInstances() async throws {
            let blobs = try FileStore.Blobs()
            try await PostgresTests.withTwoInstances { first, second in
                let operatorActor = try await Admin.makeOperator(first)
                _ = try await first.updateSettings(SettingsChange(privacyReportsPerPair: 1), reason: nil, actor: operatorActor, now: Self.start)
                let (windows, windowsActor) = try await Self.firm(first, siren: "472472472", nafCode: "43.32A")
                let (heating, heatingActor) = try await Self.firm(first, siren: "473473473", nafCode: "43.22B")
                let pair = (windows, windowsActor, heating, heatingActor)
                var deals: [(deal: DealRecord, files: Set<String>)] = []
                for _ in 0..<4 { deals.append(try await Self.dealWithFiles(first, blobs, pair: pair)) }
                let ready = deals
                let outcomes = await withTaskGroup(of: Bool.self) { group in
                    for (index, prepared) in ready.enumerated() {
                        let store = index.isMultiple(of: 2) ? first : second
                        group.addTask {
                            (try? await store.recordMatch(
                                dealID: prepared.deal.id, fileIDs: prepared.files, reportJSON: "{}", actor: .system, now: Self.start)) != nil
                        }
                    }
                    return await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(outcomes.count { $0 } == 1)
            }
        }

        @Test(
            "each party accepts once its VAT status and account are in; the second acceptance freezes the terms; approval needs both mandates",
            arguments: Backend.allCases)
        func acceptAndApprove(backend: Backend) async throws {
            let blobs = try FileStore.Blobs()
            try await backend.withStore { store in
                let operatorActor = try await Admin.makeOperator(store)
                let (windows, windowsActor) = try await Self.firm(store, siren: "482482482", nafCode: "43.32A")
                let (heating, heatingActor) = try await Self.firm(store, siren: "483483483", nafCode: "43.22B")
                let (deal, files) = try await Self.dealWithFiles(store, blobs, pair: (windows, windowsActor, heating, heatingActor))
                _ = try await store.recordMatch(dealID: deal.id, fileIDs: files, reportJSON: "{}", actor: .system, now: Self.start)
                await #expect(
                    throws: StoreError.partyNotReady(organisationID: windows.id, name: windows.name, missing: ["vatStatus", "bankAccount"])
                ) {
                    try await store.accept(dealID: deal.id, actor: windowsActor, now: Self.start)
                }
                let account = try BankAccount(iban: "FR76 3000 6000 0112 3456 7890 189", bic: "AGRIFRPP")
                for firm in [windows, heating] {
                    _ = try await store.setVATStatus(
                        organisationID: firm.id, regime: .franchise, vatNumber: nil, reason: nil, actor: operatorActor, now: Self.start)
                    _ = try await store.setBankAccount(organisationID: firm.id, account: account, reason: nil, actor: operatorActor, now: Self.start)
                }
                let later = Self.start.addingTimeInterval(3600)
                let first = try await store.accept(dealID: deal.id, actor: windowsActor, now: later)
                #expect(first.state == .matched && first.updatedAt == later)
                #expect(try await store.accept(dealID: deal.id, actor: windowsActor, now: later) == first)
                #expect(try await store.dealTerms(dealID: deal.id) == nil)
                await #expect(throws: StoreError.invoicingNotConfigured(missing: BrokerSettings.identityFields)) {
                    try await store.accept(dealID: deal.id, actor: heatingActor, now: later)
                }
                _ = try await store.updateSettings(SettingsStore.identity, reason: nil, actor: operatorActor, now: Self.start)
                let accepted = try await store.accept(dealID: deal.id, actor: heatingActor, now: later)
                #expect(accepted.state == .accepted)
                let terms = try #require(try await store.dealTerms(dealID: deal.id))
                #expect(terms.agreedOn == Timestamp.day(later) && terms.pricePer1000 == deal.pricePer1000)
                #expect(try await store.dealParties(dealID: deal.id).allSatisfy { $0.acceptedAt == later })

                await #expect(throws: StoreError.billingMandateMissing(dealID: deal.id, firms: [windows.name, heating.name])) {
                    try await store.approve(dealID: deal.id, actor: operatorActor, now: later)
                }
                for actor in [windowsActor, heatingActor] {
                    _ = try await store.acceptMandate(
                        organisationID: actor.organisationID!, wordingVersion: BillingMandateWording.version, contestDays: 15, actor: actor,
                        now: later)
                }
                await #expect(throws: StoreError.transitionNotAllowed(transition: .approve, role: .partner)) {
                    try await store.approve(dealID: deal.id, actor: windowsActor, now: later)
                }
                let approved = try await store.approve(dealID: deal.id, actor: operatorActor, now: later)
                #expect(approved.state == .approved)
                #expect(try await store.dealTerms(dealID: deal.id) == terms)
                let actions = try await store.auditEntries(dealID: deal.id, limit: 20, afterSeq: 0).map(\.action)
                #expect(actions.suffix(3) == ["deal.accept", "deal.accept", "deal.approve"])
                let second = try #require(
                    try await store.auditEntries(dealID: deal.id, limit: 20, afterSeq: 0).filter { $0.action == "deal.accept" }.last)
                #expect(try second.decodedDetail()["bothAccepted"] == true)
                #expect((try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }

        /// What `body` returned or the store error it threw.
        static func outcome<Value: Sendable>(_ body: () async throws(StoreError) -> Value) async -> Result<Value, StoreError> {
            do throws(StoreError) {
                return .success(try await body())
            } catch {
                return .failure(error)
            }
        }

        /// An approved deal between two new firms with delivery keys, terms and mandates, ready to release.
        static func approvedDeal(
            _ store: any AccountRecords, _ blobs: FileStore.Blobs, sirens: (String, String)
        ) async throws -> (
            deal: DealRecord, windows: (OrganisationRecord, AuditActor), heating: (OrganisationRecord, AuditActor), operator: AuditActor
        ) {
            let operatorActor = try await Admin.makeOperator(store)
            let (windows, windowsActor) = try await firm(store, siren: sirens.0, nafCode: "43.32A")
            let (heating, heatingActor) = try await firm(store, siren: sirens.1, nafCode: "43.22B")
            let (deal, files) = try await dealWithFiles(store, blobs, pair: (windows, windowsActor, heating, heatingActor))
            _ = try await store.recordMatch(dealID: deal.id, fileIDs: files, reportJSON: "{}", actor: .system, now: start)
            if try await store.settings().identity == nil {
                _ = try await store.updateSettings(SettingsStore.identity, reason: nil, actor: operatorActor, now: start)
            }
            let account = try BankAccount(iban: "FR76 3000 6000 0112 3456 7890 189", bic: "AGRIFRPP")
            for (firm, actor) in [(windows, windowsActor), (heating, heatingActor)] {
                _ = try await store.registerFirstPublicKey(
                    organisationID: firm.id, publicKey: EnvelopePrivateKey.generate().publicKey, actor: actor, now: start)
                _ = try await store.setVATStatus(
                    organisationID: firm.id, regime: .franchise, vatNumber: nil, reason: nil, actor: operatorActor, now: start)
                _ = try await store.setBankAccount(organisationID: firm.id, account: account, reason: nil, actor: operatorActor, now: start)
                _ = try await store.accept(dealID: deal.id, actor: actor, now: start)
                _ = try await store.acceptMandate(
                    organisationID: firm.id, wordingVersion: BillingMandateWording.version, contestDays: 15, actor: actor, now: start)
            }
            let approved = try await store.approve(dealID: deal.id, actor: operatorActor, now: start)
            return (approved, (windows, windowsActor), (heating, heatingActor), operatorActor)
        }

        @Test(
            "a release records one delivery per party, sealed to its key, with the settings' downloads and window, once",
            arguments: Backend.allCases)
        func release(backend: Backend) async throws {
            let blobs = try FileStore.Blobs()
            try await backend.withStore { store in
                let (deal, (windows, _), (heating, _), operatorActor) = try await Self.approvedDeal(store, blobs, sirens: ("492492492", "493493493"))
                let later = Self.start.addingTimeInterval(7200)
                await #expect(throws: StoreError.self) {
                    try await store.release(
                        dealID: deal.id,
                        deliveries: [
                            DeliveryDraft(recipientID: windows.id, blob: try blobs.make(), rowCount: 1),
                            DeliveryDraft(recipientID: windows.id, blob: try blobs.make(), rowCount: 1),
                        ], actor: operatorActor, now: later)
                }
                let drafts = [
                    DeliveryDraft(recipientID: windows.id, blob: try blobs.make(), rowCount: 1200),
                    DeliveryDraft(recipientID: heating.id, blob: try blobs.make(), rowCount: 1100),
                ]
                let records = try await store.release(dealID: deal.id, deliveries: drafts, actor: operatorActor, now: later)
                #expect(records.map(\.recipientID) == [windows.id, heating.id])
                #expect(records.map(\.supplierID) == [heating.id, windows.id])
                let settings = BrokerSettings.defaults
                #expect(records.allSatisfy { $0.downloadsRemaining == settings.deliveryDownloads })
                #expect(records.allSatisfy { $0.expiresAt == later.addingTimeInterval(TimeInterval(settings.deliveryDays) * 86_400) })
                let windowsKey = try await store.organisation(id: windows.id)?.publicKeyFingerprint
                #expect(records[0].recipientKeyFingerprint == windowsKey && windowsKey != nil)
                #expect(try await store.deal(id: deal.id)?.state == .released)
                #expect(try await store.deal(id: deal.id)?.releasedAt == later)
                #expect(try await store.deliveries(dealID: deal.id, recipientID: nil).count == 2)
                #expect(try await store.deliveries(dealID: deal.id, recipientID: heating.id) == [records[1]])
                #expect(try await store.delivery(id: records[0].id) == records[0])
                #expect(try await store.blob(id: drafts[0].blob.id) != nil)
                await #expect(throws: StoreError.dealTransitionRefused(DealTransitionError(transition: .release, current: .released))) {
                    try await store.release(dealID: deal.id, deliveries: [], actor: operatorActor, now: later)
                }
                let entry = try #require(try await store.auditEntries(dealID: deal.id, limit: 50, afterSeq: 0).last)
                #expect(entry.action == "deal.release")
                #expect((try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }

        @Test("a release and a firm's mandate withdrawal on two instances at once never both succeed")
        func releaseAgainstWithdrawal() async throws {
            let blobs = try FileStore.Blobs()
            for round in 0..<4 {
                try await PostgresTests.withTwoInstances { first, second in
                    let (deal, (windows, windowsActor), (heating, _), operatorActor) = try await Self.approvedDeal(
                        first, blobs, sirens: ("50\(round)50\(round)50\(round)", "51\(round)51\(round)51\(round)"))
                    let drafts = [
                        DeliveryDraft(recipientID: windows.id, blob: try blobs.make(), rowCount: 1),
                        DeliveryDraft(recipientID: heating.id, blob: try blobs.make(), rowCount: 1),
                    ]
                    async let released = Self.outcome { () async throws(StoreError) in
                        try await first.release(dealID: deal.id, deliveries: drafts, actor: operatorActor, now: Self.start)
                    }
                    async let withdrawn = Self.outcome { () async throws(StoreError) in
                        try await second.withdrawMandate(organisationID: windows.id, reason: nil, actor: windowsActor, now: Self.start)
                    }
                    let (release, withdrawal) = await (released, withdrawn)
                    switch (release, withdrawal) {
                    case (.success, .failure(let error)):
                        guard case .billingMandateInUse = error else {
                            Issue.record("round \(round): the withdrawal was refused with \(error)")
                            return
                        }
                    case (.failure(let error), .success):
                        #expect(error == .billingMandateMissing(dealID: deal.id, firms: [windows.name]))
                    default:
                        Issue.record("round \(round): release \(release), withdrawal \(withdrawal)")
                    }
                }
            }
        }

        @Test(
            "a recipient downloads its delivery as many times as the settings allow, never another's; spent deliveries are purged",
            arguments: Backend.allCases)
        func downloads(backend: Backend) async throws {
            let blobs = try FileStore.Blobs()
            try await backend.withStore { store in
                let (deal, (windows, windowsActor), (heating, heatingActor), operatorActor) = try await Self.approvedDeal(
                    store, blobs, sirens: ("522522522", "523523523"))
                _ = try await store.updateSettings(SettingsChange(deliveryDownloads: 2), reason: nil, actor: operatorActor, now: Self.start)
                let records = try await store.release(
                    dealID: deal.id,
                    deliveries: [
                        DeliveryDraft(recipientID: windows.id, blob: try blobs.make(), rowCount: 3),
                        DeliveryDraft(recipientID: heating.id, blob: try blobs.make(), rowCount: 4),
                    ], actor: operatorActor, now: Self.start)
                let toWindows = records[0]
                await #expect(throws: StoreError.deliveryNotFound(id: toWindows.id)) {
                    try await store.claimDownload(deliveryID: toWindows.id, actor: heatingActor, now: Self.start)
                }
                let first = try await store.claimDownload(deliveryID: toWindows.id, actor: windowsActor, now: Self.start.addingTimeInterval(10))
                #expect(first.delivery.downloadsRemaining == 1 && first.delivery.firstDownloadedAt == Self.start.addingTimeInterval(10))
                #expect(first.blob.id == toWindows.blobID)
                let second = try await store.claimDownload(deliveryID: toWindows.id, actor: windowsActor, now: Self.start.addingTimeInterval(20))
                #expect(second.delivery.downloadsRemaining == 0 && second.delivery.firstDownloadedAt == Self.start.addingTimeInterval(10))
                await #expect(throws: StoreError.deliveryExhausted(id: toWindows.id)) {
                    try await store.claimDownload(deliveryID: toWindows.id, actor: windowsActor, now: Self.start)
                }
                let expiry = records[1].expiresAt
                await #expect(throws: StoreError.deliveryExpired(id: records[1].id, expiredAt: expiry)) {
                    try await store.claimDownload(deliveryID: records[1].id, actor: heatingActor, now: expiry)
                }
                #expect(try await store.dealsDueForMaintenance(now: Self.start).map(\.id) == [deal.id])
                #expect(try await store.purgeSpentDeliveries(now: Self.start) == [toWindows.blobID!])
                #expect(try await store.blob(id: toWindows.blobID!) == nil)
                await #expect(throws: StoreError.deliveryPurged(id: toWindows.id, purgedAt: Self.start)) {
                    try await store.claimDownload(deliveryID: toWindows.id, actor: windowsActor, now: Self.start)
                }
                #expect(try await store.purgeSpentDeliveries(now: expiry) == [records[1].blobID!])
                let actions = try await store.auditEntries(dealID: deal.id, limit: 50, afterSeq: 0).map(\.action).suffix(4)
                #expect(Array(actions) == ["delivery.download", "delivery.download", "delivery.purge", "delivery.purge"])
                #expect((try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }

        @Test("stalled deals expire once their idle period has passed; released ones do not", arguments: Backend.allCases)
        func expiry(backend: Backend) async throws {
            try await backend.withStore { store in
                let (windows, windowsActor) = try await Self.firm(store, siren: "532532532", nafCode: "43.32A")
                let (heating, _) = try await Self.firm(store, siren: "533533533", nafCode: "43.22B")
                let deal = try await store.createDeal(try Self.draft(windows, heating), actor: windowsActor, now: Self.start)
                #expect(try await store.expireStalledDeals(now: deal.expiresAt.addingTimeInterval(-1)).isEmpty)
                let expired = try await store.expireStalledDeals(now: deal.expiresAt)
                #expect(expired.map(\.id) == [deal.id] && expired.first?.state == .expired)
                #expect(try await store.deal(id: deal.id)?.state == .expired)
                #expect(try await store.expireStalledDeals(now: deal.expiresAt.addingTimeInterval(86_400 * 365)).isEmpty)
                #expect(try await store.auditEntries(dealID: deal.id, limit: 10, afterSeq: 0).map(\.action) == ["deal.create", "deal.expire"])
            }
        }

        @Test(
            "a firm's deals are listed oldest first, a page at a time after the last one seen, with their parties, files, holds and deliveries",
            arguments: Backend.allCases)
        func pages(backend: Backend) async throws {
            let blobs = try FileStore.Blobs()
            try await backend.withStore { store in
                let (released, (windows, windowsActor), (heating, heatingActor), operatorActor) = try await Self.approvedDeal(
                    store, blobs, sirens: ("542542542", "543543543"))
                let delivered = try await store.release(
                    dealID: released.id,
                    deliveries: [
                        DeliveryDraft(recipientID: windows.id, blob: try blobs.make(), rowCount: 3),
                        DeliveryDraft(recipientID: heating.id, blob: try blobs.make(), rowCount: 4),
                    ], actor: operatorActor, now: Self.start)
                var deals = [released]
                for second in 1...3 {
                    deals.append(
                        try await store.createDeal(
                            try Self.draft(windows, heating), actor: windowsActor, now: Self.start.addingTimeInterval(TimeInterval(second))))
                }
                let (other, _) = try await Self.firm(store, siren: "544544544", nafCode: "43.22B")
                let outside = try await store.createDeal(try Self.draft(windows, other), actor: windowsActor, now: Self.start.addingTimeInterval(9))
                let (held, files) = try await Self.dealWithFiles(store, blobs, pair: (windows, windowsActor, heating, heatingActor))
                deals.append(held)
                await #expect(throws: StoreError.dealFilesChanged(dealID: held.id)) {
                    try await store.holdMatch(
                        dealID: held.id, .filesTooSmall(organisationIDs: [windows.id], minimum: 100), fileIDs: [], now: Self.start)
                }
                let hold = try await store.holdMatch(
                    dealID: held.id, .filesTooSmall(organisationIDs: [windows.id], minimum: 100), fileIDs: files, now: Self.start)
                #expect(try await store.matchHold(dealID: held.id) == hold)

                // Oldest first, ties (deals made in the same second) by id.
                deals.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
                let first = try #require(try await store.dealPage(organisationID: heating.id, after: nil, limit: 2, recipientID: heating.id))
                #expect(first.deals.map(\.id) == deals.prefix(2).map(\.id))
                #expect(first.deliveries.values.map(\.id) == (first.deals.contains { $0.id == released.id } ? [delivered[1].id] : []))
                #expect(first.deals.allSatisfy { first.parties[$0.id]?.count == 2 })
                #expect(first.organisations.keys.sorted() == [windows.id, heating.id].sorted())
                let rest = try #require(
                    try await store.dealPage(organisationID: heating.id, after: first.deals.last?.id, limit: 10, recipientID: heating.id))
                #expect(rest.deals.map(\.id) == deals.suffix(3).map(\.id))
                let pages = first.holds.merging(rest.holds) { a, _ in a }
                #expect(pages == [held.id: hold])
                #expect((first.files[held.id] ?? rest.files[held.id])?.count == 2)
                #expect(try await store.dealPage(organisationID: heating.id, after: outside.id, limit: 10, recipientID: nil) == nil)
                let everything = try #require(try await store.dealPage(organisationID: nil, after: nil, limit: 100, recipientID: nil))
                #expect(everything.deals.count == 6 && everything.deliveries.isEmpty)
                let listing = try await store.listing(of: rest.deals, recipientID: heating.id)
                #expect(listing.deals == rest.deals && listing.holds == rest.holds && listing.files == rest.files)

            }
        }
    }
}
