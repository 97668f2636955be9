import Foundation
import Testing
import TrocCore
import TrocCrypto
import TrocPostgres
import TrocStore

/// Invoices, credit notes, settlement payments and the close of a deal, the same on both backends; numbers gapless when
/// releases are invoiced on two instances at once.
extension PostgresTests {
    @Suite struct InvoiceStore {
        typealias Deals = PostgresTests.DealStore
        typealias Admin = PostgresTests.UserAdministrationStore
        static let start = Deals.start
        static let issueDate = Timestamp.day(start)

        /// Two firms registered for invoicing (keys, VAT status, account, mandates), the broker's identity set and room in
        /// the privacy budget for `deals` reports between them.
        struct Pair {
            let windows: (OrganisationRecord, AuditActor)
            let heating: (OrganisationRecord, AuditActor)
            let operatorActor: AuditActor

            init(_ store: any AccountRecords, sirens: (String, String), deals: Int = 1, collectionByBroker: Bool = false) async throws {
                operatorActor = try await Admin.makeOperator(store)
                if try await store.settings().identity == nil {
                    _ = try await store.updateSettings(SettingsStore.identity, reason: nil, actor: operatorActor, now: start)
                }
                _ = try await store.updateSettings(
                    SettingsChange(privacyReportsPerPair: deals, collectionByBroker: collectionByBroker), reason: nil, actor: operatorActor,
                    now: start)
                windows = try await Deals.firm(store, siren: sirens.0, nafCode: "43.32A")
                heating = try await Deals.firm(store, siren: sirens.1, nafCode: "43.22B")
                let account = try BankAccount(iban: "FR76 3000 6000 0112 3456 7890 189", bic: "AGRIFRPP")
                for (firm, actor) in [windows, heating] {
                    _ = try await store.registerFirstPublicKey(
                        organisationID: firm.id, publicKey: EnvelopePrivateKey.generate().publicKey, actor: actor, now: start)
                    _ = try await store.setVATStatus(
                        organisationID: firm.id, regime: .franchise, vatNumber: nil, reason: nil, actor: operatorActor, now: start)
                    _ = try await store.setBankAccount(organisationID: firm.id, account: account, reason: nil, actor: operatorActor, now: start)
                    _ = try await store.acceptMandate(
                        organisationID: firm.id, wordingVersion: BillingMandateWording.version, contestDays: 15, actor: actor, now: start)
                }
            }

            /// A deal between the pair, proposed by windows or, when `heatingProposes`, by heating, taken to `released`; the
            /// proposer's delivery carries `keys`.
            func releasedDeal(
                _ store: any AccountRecords, _ blobs: FileStore.Blobs, heatingProposes: Bool = false, keys: [RecipientKey] = []
            ) async throws -> DealRecord {
                let (proposer, partner) = heatingProposes ? (heating, windows) : (windows, heating)
                let (deal, files) = try await Deals.dealWithFiles(store, blobs, pair: (proposer.0, proposer.1, partner.0, partner.1))
                _ = try await store.recordMatch(dealID: deal.id, fileIDs: files, reportJSON: "{}", actor: .system, now: start)
                for (_, actor) in [proposer, partner] { _ = try await store.accept(dealID: deal.id, actor: actor, now: start) }
                _ = try await store.approve(dealID: deal.id, actor: operatorActor, now: start)
                let deliveries = [
                    DeliveryDraft(recipientID: proposer.0.id, blob: try blobs.make(), rowCount: 1200, recipientKeys: keys),
                    DeliveryDraft(recipientID: partner.0.id, blob: try blobs.make(), rowCount: 1100),
                ]
                _ = try await store.release(dealID: deal.id, deliveries: deliveries, actor: operatorActor, now: start)
                return try #require(try await store.deal(id: deal.id))
            }
        }

        /// The drafts TrocCore computes for released `deal` (1,200 contacts to its proposer, 1,100 to its partner) on its
        /// frozen terms and the mandates in force, as the server builds them.
        static func invoices(_ store: any AccountRecords, for deal: DealRecord) async throws -> DealInvoices {
            let mandates = DealMandates(
                a: try await store.mandateInForce(organisationID: deal.proposerID)?.acceptance,
                b: try await store.mandateInForce(organisationID: deal.partnerID)?.acceptance)
            return try DealInvoicing.invoices(
                for: DealFigures(dealID: deal.id, releaseDate: issueDate, addressesToA: 1200, addressesToB: 1100),
                terms: try await store.termsForInvoicing(dealID: deal.id, now: start), mandates: mandates,
                seriesPrefix: try await store.settings().seriesPrefix, issueDate: issueDate)
        }

        @Test(
            "a deal's invoices are numbered in their series and stored whole with its settlement, the deal moves to invoiced, once",
            arguments: Backend.allCases)
        func issue(backend: Backend) async throws {
            let blobs = try FileStore.Blobs()
            try await backend.withStore { store in
                let pair = try await Pair(store, sirens: ("621000009", "622000008"))
                let deal = try await pair.releasedDeal(store, blobs)
                let invoices = try await Self.invoices(store, for: deal)
                let issued = try await store.issueInvoices(
                    dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: pair.operatorActor, now: Self.start)
                let year = Self.issueDate.components.year
                // The proposer (windows, A) buys first: from heating, then heating from it, then the broker's commissions.
                #expect(issued.map(\.number) == ["TRM622000008\(year)-000001", "TRM621000009\(year)-000001", "TR\(year)-000001", "TR\(year)-000002"])
                #expect(issued.map(\.purpose) == [.exchange, .exchange, .commission, .commission])
                #expect(issued[0].sellerID == pair.heating.0.id && issued[0].buyerID == pair.windows.0.id)
                #expect(issued[2].sellerID == nil && issued[2].buyerID == pair.windows.0.id)
                #expect(try await store.invoice(number: issued[3].number) == issued[3])
                #expect(try await store.deal(id: deal.id)?.state == .invoiced)
                #expect(try await store.settlement(dealID: deal.id) == invoices.settlement)
                // By date, then series and number.
                #expect(
                    try await store.invoices(from: Self.issueDate, to: Self.issueDate, organisationID: nil) == issued.sorted { $0.number < $1.number }
                )
                #expect(try await store.invoices(from: Self.issueDate, to: Self.issueDate, organisationID: pair.heating.0.id).count == 3)
                #expect(
                    try await store.invoices(from: Self.issueDate.adding(days: 1), to: Self.issueDate.adding(days: 9), organisationID: nil).isEmpty)
                let entry = try #require(try await store.auditEntries(dealID: deal.id, limit: 100, afterSeq: 0).last)
                #expect(entry.action == "invoice.issue")
                await #expect(throws: StoreError.dealTransitionRefused(DealTransitionError(transition: .invoice, current: .invoiced))) {
                    try await store.issueInvoices(
                        dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: pair.operatorActor, now: Self.start)
                }
                #expect((try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }

        @Test(
            "an issue refused part-way (a mandate not cited, a draft of another deal, a credit note) stores nothing and takes no number",
            arguments: Backend.allCases)
        func refusedIssueTakesNoNumber(backend: Backend) async throws {
            let blobs = try FileStore.Blobs()
            try await backend.withStore { store in
                let pair = try await Pair(store, sirens: ("623000007", "624000006"))
                let deal = try await pair.releasedDeal(store, blobs)
                let invoices = try await Self.invoices(store, for: deal)
                let operatorActor = pair.operatorActor
                await #expect(throws: StoreError.self) {
                    try await store.issueInvoices(
                        dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: pair.windows.1, now: Self.start)
                }
                var foreign = invoices.drafts
                foreign[3].content.dealID = "del_aaaaaaaaaaaaaaaa"
                await #expect(throws: StoreError.invalidInvoiceDraft(index: 3, reason: "it bills deal del_aaaaaaaaaaaaaaaa, not \(deal.id)")) {
                    try await store.issueInvoices(
                        dealID: deal.id, drafts: foreign, settlement: invoices.settlement, actor: operatorActor, now: Self.start)
                }
                var credit = invoices.drafts
                credit[2].content.kind = .creditNote
                await #expect(
                    throws: StoreError.invalidInvoiceDraft(index: 2, reason: "it is a credit note; issue credit notes with issueCreditNote")
                ) {
                    try await store.issueInvoices(
                        dealID: deal.id, drafts: credit, settlement: invoices.settlement, actor: operatorActor, now: Self.start)
                }
                // A draft citing another mandate than the seller's in force (heating sells in the first).
                var uncited = invoices.drafts
                uncited[0].content.billingMandate?.reference = "mdt_aaaaaaaaaaaaaaaa"
                await #expect(throws: StoreError.billingMandateMissing(dealID: deal.id, firms: [pair.heating.0.name])) {
                    try await store.issueInvoices(
                        dealID: deal.id, drafts: uncited, settlement: invoices.settlement, actor: operatorActor, now: Self.start)
                }
                #expect(try await store.invoices(from: Self.issueDate, to: Self.issueDate, organisationID: nil).isEmpty)
                #expect(try await store.settlement(dealID: deal.id) == nil)
                #expect(try await store.deal(id: deal.id)?.state == .released)
                let issued = try await store.issueInvoices(
                    dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: operatorActor, now: Self.start)
                #expect(issued.map { String($0.number.suffix(6)) } == ["000001", "000001", "000001", "000002"])
            }
        }

        @Test(
            "a credit note takes the next number of the invoice's series, credits it once, and needs a reason",
            arguments: Backend.allCases)
        func creditNote(backend: Backend) async throws {
            let blobs = try FileStore.Blobs()
            try await backend.withStore { store in
                let pair = try await Pair(store, sirens: ("625000005", "626000004"))
                let deal = try await pair.releasedDeal(store, blobs)
                let invoices = try await Self.invoices(store, for: deal)
                let issued = try await store.issueInvoices(
                    dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: pair.operatorActor, now: Self.start)
                let commission = issued[2]
                await #expect(throws: StoreError.self) {
                    try await store.issueCreditNote(
                        crediting: commission.number, reason: " ", issueDate: Self.issueDate, actor: pair.operatorActor, now: Self.start)
                }
                let credit = try await store.issueCreditNote(
                    crediting: commission.number, reason: "Erreur de prix", issueDate: Self.issueDate, actor: pair.operatorActor, now: Self.start)
                #expect(credit.number == "TR\(Self.issueDate.components.year)-000003")
                #expect(credit.kind == .creditNote && credit.creditsNumber == commission.number)
                #expect(credit.buyerID == commission.buyerID && credit.grossCents == commission.grossCents)
                #expect(try await store.invoice(number: credit.number) == credit)
                await #expect(throws: StoreError.self) {
                    try await store.issueCreditNote(
                        crediting: commission.number, reason: "encore", issueDate: Self.issueDate, actor: pair.operatorActor, now: Self.start)
                }
                await #expect(throws: StoreError.invoiceNotFound(number: "TR1999-000001")) {
                    try await store.issueCreditNote(
                        crediting: "TR1999-000001", reason: "x", issueDate: Self.issueDate, actor: pair.operatorActor, now: Self.start)
                }
                let entry = try #require(try await store.auditEntries(dealID: deal.id, limit: 100, afterSeq: 0).last)
                #expect(entry.action == "invoice.credit" && entry.reason == "Erreur de prix")
                #expect((try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }

        @Test(
            "the broker records the money it collects for a deal, never more out than in, each with its counterparty",
            arguments: Backend.allCases)
        func settlementPayments(backend: Backend) async throws {
            let blobs = try FileStore.Blobs()
            try await backend.withStore { store in
                let pair = try await Pair(store, sirens: ("621000009", "622000008"), collectionByBroker: true)
                let deal = try await pair.releasedDeal(store, blobs)
                let invoices = try await Self.invoices(store, for: deal)
                _ = try await store.issueInvoices(
                    dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: pair.operatorActor, now: Self.start)
                let net = invoices.settlement.netAmount
                #expect(invoices.settlement.direction == .aPaysB && net.cents > 0)
                let day = Self.issueDate.adding(days: 8)
                await #expect(throws: StoreError.settlementPaymentRefused(.exceedsCollected(net, alreadyPaidOut: .zero, received: .zero))) {
                    try await store.recordSettlementPayment(
                        dealID: deal.id, direction: .paidOut, amount: net, date: day, reference: "VIR 2", actor: pair.operatorActor, now: Self.start)
                }
                let received = try await store.recordSettlementPayment(
                    dealID: deal.id, direction: .received, amount: net, date: day, reference: " VIR 1 ", actor: pair.operatorActor, now: Self.start)
                #expect(received.counterpartyID == pair.windows.0.id && received.reference == "VIR 1")
                let paid = try await store.recordSettlementPayment(
                    dealID: deal.id, direction: .paidOut, amount: net, date: day.adding(days: 1), reference: "VIR 2", actor: pair.operatorActor,
                    now: Self.start)
                #expect(paid.counterpartyID == pair.heating.0.id)
                let payments = try await store.settlementPayments(dealID: deal.id)
                #expect(payments.map(\.counterpartyID) == ["621000009", "622000008"] && payments.map(\.direction) == [.received, .paidOut])
                #expect(payments.map(\.counterparty) == [pair.windows.0.name, pair.heating.0.name])
                #expect(try await store.settlementPayments(from: day, to: day).count == 1)
                #expect(try await store.settlementPayments(from: day, to: day.adding(days: 1)) == payments)
                await #expect(throws: StoreError.settlementNotFound(dealID: "del_aaaaaaaaaaaaaaaa")) {
                    try await store.recordSettlementPayment(
                        dealID: "del_aaaaaaaaaaaaaaaa", direction: .received, amount: net, date: day, reference: "X", actor: pair.operatorActor,
                        now: Self.start)
                }
                let actions = try await store.auditEntries(dealID: deal.id, limit: 100, afterSeq: 0).suffix(2).map(\.action)
                #expect(actions == ["settlement.payment", "settlement.payment"])
            }
        }

        @Test(
            "closing an invoiced deal purges its deliveries and the files no other deal holds, rows first, once",
            arguments: Backend.allCases)
        func close(backend: Backend) async throws {
            let blobs = try FileStore.Blobs()
            try await backend.withStore { store in
                let pair = try await Pair(store, sirens: ("623000007", "624000006"))
                let deal = try await pair.releasedDeal(store, blobs)
                let invoices = try await Self.invoices(store, for: deal)
                await #expect(throws: StoreError.dealTransitionRefused(DealTransitionError(transition: .close, current: .released))) {
                    try await store.closeDeal(dealID: deal.id, actor: .system, now: Self.start)
                }
                _ = try await store.issueInvoices(
                    dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: pair.operatorActor, now: Self.start)
                let files = try await store.dealFiles(dealID: deal.id).compactMap(\.fileID)
                var expected = try await store.deliveries(dealID: deal.id, recipientID: nil).compactMap(\.blobID)
                for id in files { expected.append(try #require(try await store.file(id: id)?.blobID)) }
                let later = Self.start.addingTimeInterval(400 * 86_400)
                let closed = try await store.closeDeal(dealID: deal.id, actor: .system, now: later)
                #expect(closed.deal.state == .closed)
                #expect(Set(closed.purgedBlobIDs) == Set(expected) && closed.purgedBlobIDs.count == 4)
                #expect(try await store.deliveries(dealID: deal.id, recipientID: nil).allSatisfy { $0.blobID == nil && $0.purgedAt == later })
                for id in files { #expect(try await store.file(id: id) == nil) }
                for id in closed.purgedBlobIDs { #expect(try await store.blob(id: id) == nil) }
                #expect(try await store.dealFiles(dealID: deal.id).allSatisfy { $0.fileID == nil })
                #expect(try await store.invoices(from: Self.issueDate, to: Self.issueDate, organisationID: nil).count == 4)
                let entry = try #require(try await store.auditEntries(dealID: deal.id, limit: 100, afterSeq: 0).last)
                #expect(entry.action == "deal.close")
                await #expect(throws: StoreError.dealTransitionRefused(DealTransitionError(transition: .close, current: .closed))) {
                    try await store.closeDeal(dealID: deal.id, actor: .system, now: later)
                }
                #expect((try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }

        @Test("deals between the same firms, each way, invoiced on two instances at once: every number once, 1…N in each series")
        func gaplessAcrossInstances() async throws {
            let blobs = try FileStore.Blobs()
            let count = 8
            try await PostgresTests.withTwoInstances { first, second in
                let pair = try await Pair(first, sirens: ("625000005", "626000004"), deals: count)
                var jobs: [(DealRecord, DealInvoices)] = []
                for index in 0..<count {
                    let deal = try await pair.releasedDeal(first, blobs, heatingProposes: index % 2 == 1)
                    jobs.append((deal, try await Self.invoices(first, for: deal)))
                }
                let operatorActor = pair.operatorActor
                let failures = await withTaskGroup(of: StoreError?.self) { group in
                    for (index, (deal, invoices)) in jobs.enumerated() {
                        let store = index % 2 == 0 ? first : second
                        group.addTask {
                            do throws(StoreError) {
                                _ = try await store.issueInvoices(
                                    dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: operatorActor, now: Self.start)
                                return nil
                            } catch {
                                return error
                            }
                        }
                    }
                    return await group.reduce(into: [StoreError]()) { if let error = $1 { $0.append(error) } }
                }
                #expect(failures.isEmpty, "refused: \(failures)")
                let issued = try await second.invoices(from: Self.issueDate, to: Self.issueDate, organisationID: nil)
                let bySeries = Dictionary(grouping: issued, by: \.seriesPrefix).mapValues { $0.map(\.sequence).sorted() }
                let year = Self.issueDate.components.year
                #expect(bySeries.keys.sorted() == ["TR", "TRM625000005", "TRM626000004"])
                #expect(bySeries["TR"] == Array(1...(2 * count)))
                #expect(bySeries["TRM625000005"] == Array(1...count) && bySeries["TRM626000004"] == Array(1...count))
                #expect(issued.allSatisfy { $0.year == year })
                #expect(try await first.deals(in: .invoiced).count == count)
                #expect((try await first.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }
    }
}
