import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TrocCore
import TrocCrypto
import TrocStore

@testable import TrocServer

/// The console's server time with 10,000 deals and 20,000 invoices in the store, all seeded through the store's own
/// methods (5,000 deals taken through release and invoicing, 5,000 left at earlier steps). A benchmark, not a test:
/// it runs only when asked, `TROC_CONSOLE_BENCH=1 swift test --filter ConsolePageBenchmark`, and prints each page's
/// median time over 7 requests (in process, no network) for the README.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["TROC_CONSOLE_BENCH"] != nil))
struct ConsolePageBenchmark {
    /// Deals taken to invoicing (four invoices each) and deals left before release.
    static let invoicedDeals = 5_000
    static let openDeals = 5_000

    @Test func consolePagesWithTenThousandDealsAndTwentyThousandInvoices() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        let seeded = try await Self.seed(broker)
        let database = try #require(broker.broker.store as? AppDatabase, "the console benchmark seeds the SQLite store in bulk")
        let staff = try database.users().filter { $0.role == .operator }
        let accountant = try database.createUser(
            organisationID: staff[0].organisationID, role: .accountant, name: "Agnès", email: nil, now: broker.clock.now)
        let operatorSession = try database.openConsoleSession(
            userID: staff[0].id, login: "olivia", awaitingSecondFactor: false, address: "bench", now: broker.clock.now)
        let accountantSession = try database.openConsoleSession(
            userID: accountant.id, login: "agnes", awaitingSecondFactor: false, address: "bench", now: broker.clock.now)
        let today = broker.broker.today().iso8601
        let pages: [(String, String, String)] = [
            ("dashboard", "/console/", operatorSession.secret),
            ("deals, first page", "/console/deals", operatorSession.secret),
            ("deals, by state", "/console/deals?state=invoiced&page=20", operatorSession.secret),
            ("deals, by firm name", "/console/deals?q=Menuiserie%2017", operatorSession.secret),
            ("deal page (report, charts)", "/console/deals/\(seeded.invoicedDeal)", operatorSession.secret),
            ("firms", "/console/firms", operatorSession.secret),
            ("audit trail, first page", "/console/audit", operatorSession.secret),
            ("audit trail, by action", "/console/audit?action=invoice.&page=10", operatorSession.secret),
            ("invoices, one year", "/console/invoices?from=2000-01-01&to=\(today)", accountantSession.secret),
            ("invoices, one year, page 150", "/console/invoices?from=2000-01-01&to=\(today)&page=150", accountantSession.secret),
            ("invoices, one buyer", "/console/invoices?from=2000-01-01&to=\(today)&buyer=\(seeded.buyer)", accountantSession.secret),
            ("settlements, one year", "/console/settlements?from=2000-01-01&to=\(today)", accountantSession.secret),
            ("settlements, one year, page 40", "/console/settlements?from=2000-01-01&to=\(today)&page=40", accountantSession.secret),
        ]
        try await broker.withClient { client in
            var lines = ["| page | median ms | slowest ms |", "| --- | ---: | ---: |"]
            for (name, path, secret) in pages {
                var headers = HTTPFields()
                headers[.cookie] = "\(ConsoleCookies.session)=\(secret)"
                var times: [Double] = []
                for _ in 0..<7 {
                    let start = ContinuousClock.now
                    let response = try await client.execute(uri: path, method: .get, headers: headers, body: nil)
                    let elapsed = ContinuousClock.now - start
                    #expect(response.status == .ok, "\(path): \(response.status)")
                    times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                }
                times.sort()
                lines.append("| \(name) | \(String(format: "%.1f", times[3])) | \(String(format: "%.1f", times[6])) |")
            }
            print(
                "Console pages with \(Self.invoicedDeals + Self.openDeals) deals and \(Self.invoicedDeals * 4) invoices:\n"
                    + lines.joined(separator: "\n"))
        }
    }

    /// What the benchmark's pages point at.
    struct Seeded {
        var invoicedDeal: String
        var buyer: String
    }

    /// A SIREN with a valid Luhn key, from a seed.
    static func siren(_ seed: Int) -> String {
        let stem = String(format: "%08d", 10_000_000 + seed)
        for last in 0...9 {
            let candidate = stem + String(last)
            let sum = candidate.reversed().enumerated().reduce(0) { sum, element in
                let digit = Int(String(element.element))!
                let doubled = element.offset % 2 == 1 ? digit * 2 : digit
                return sum + (doubled > 9 ? doubled - 9 : doubled)
            }
            if sum % 10 == 0 { return candidate }
        }
        return stem + "0"
    }

    /// Seeds 60 firms, ready to be invoiced (VAT status, bank account, billing mandate), and the deals, through the store.
    /// 30 × 30 pairs keep each pair within the 12 match reports the privacy budget allows at most.
    static func seed(_ broker: TestBroker) async throws -> Seeded {
        let database = try #require(broker.broker.store as? AppDatabase, "the console benchmark seeds the SQLite store in bulk")
        let now = broker.clock.now
        let operatorUser = try database.users().first { $0.role == .operator }!
        let operatorActor = AuditActor(operatorUser)
        _ = try database.updateSettings(
            SettingsChange(privacyReportsPerPair: 12), reason: "benchmark: many deals per pair of firms", actor: operatorActor, now: now)
        var joineries: [(OrganisationRecord, AuditActor)] = []
        var heatings: [(OrganisationRecord, AuditActor)] = []
        for index in 0..<30 {
            for (naf, name) in [("43.32A", "Menuiserie"), ("43.22B", "Chauffage")] {
                let siren = siren(index * 2 + (naf == "43.32A" ? 0 : 1) + 100)
                let registered = index % 3 != 0
                let vatNumber = registered ? "FR" + String(format: "%02d", (12 + 3 * (Int(siren)! % 97)) % 97) + siren : nil
                var draft = OrganisationDraft(
                    kind: .partner, name: "\(name) \(index) SARL", siren: siren, siret: nil, vatNumber: vatNumber, nafCode: naf,
                    street: "\(index) rue du Banc", postcode: "69001", city: "Lyon", countryCode: "FR")
                draft.vatStatus = try FirmVATStatus(
                    regime: registered ? .registered : .franchise, vatNumber: vatNumber,
                    address: PostalAddress(street: "", postcode: "69001", city: "", countryCode: "FR"), siren: siren)
                draft.bankAccount = try BankAccount(iban: "FR76 3000 4000 0312 3456 7890 143", bic: "BNPAFRPP")
                let organisation = try database.createOrganisation(draft, now: now)
                let user = try database.createUser(organisationID: organisation.id, role: .partner, name: "User \(index)", email: nil, now: now)
                let actor = AuditActor(user)
                _ = try database.acceptMandate(
                    organisationID: organisation.id, wordingVersion: BillingMandateWording.version, contestDays: 15, actor: actor, now: now)
                if naf == "43.32A" { joineries.append((organisation, actor)) } else { heatings.append((organisation, actor)) }
            }
        }
        let verdict = try await broker.broker.sectors().verdict("43.32A", "43.22B").get()
        let seriesPrefix = try database.settings().seriesPrefix
        let blobs = broker.broker.blobs
        let masterKey = broker.broker.masterKey
        func blob(_ text: String) throws -> StoredBlob {
            let writer = try blobs.makeWriter(masterKey: masterKey)
            try writer.append(Array(text.utf8))
            return try writer.finish()
        }
        // One file per firm, attached to each of its deals.
        var files: [String: String] = [:]
        for (organisation, _) in joineries + heatings {
            let stored = try blob("email\nx@example.fr\n")
            files[organisation.id] = try database.createFile(
                organisationID: organisation.id, blob: stored, name: "contacts.csv", byteCount: stored.plaintextByteCount, reportJSON: "{}", now: now
            ).id
        }
        let report = String(
            decoding: try StrictJSON.encoder.encode(try StrictJSON.decode(MatchReport.self, from: Data(Self.report().utf8))), as: UTF8.self)
        var invoicedDeal = ""
        for index in 0..<(invoicedDeals + openDeals) {
            let (proposer, proposerActor) = joineries[index % joineries.count]
            let (partner, partnerActor) = heatings[(index / joineries.count) % heatings.count]
            let deal = try database.createDeal(
                DealDraft(proposerID: proposer.id, partnerID: partner.id, pricePer1000: Money(cents: 2500), policy: .equalCount, verdict: verdict),
                actor: proposerActor, now: now)
            let stage = index < invoicedDeals ? 6 : index % 4
            guard stage >= 1 else { continue }
            _ = try database.attachFile(dealID: deal.id, fileID: files[proposer.id]!, actor: proposerActor, now: now)
            _ = try database.attachFile(dealID: deal.id, fileID: files[partner.id]!, actor: partnerActor, now: now)
            guard stage >= 2 else { continue }
            _ = try database.recordMatch(dealID: deal.id, fileIDs: [files[proposer.id]!, files[partner.id]!], reportJSON: report, now: now)
            guard stage >= 3 else { continue }
            _ = try database.accept(dealID: deal.id, actor: proposerActor, now: now)
            _ = try database.accept(dealID: deal.id, actor: partnerActor, now: now)
            guard stage >= 6 else { continue }
            _ = try database.approve(dealID: deal.id, actor: operatorActor, now: now)
            _ = try database.release(
                dealID: deal.id,
                deliveries: [
                    DeliveryDraft(recipientID: proposer.id, blob: try blob("a\n"), rowCount: 1200),
                    DeliveryDraft(recipientID: partner.id, blob: try blob("b\n"), rowCount: 1100),
                ], actor: operatorActor, now: now)
            let figures = DealFigures(dealID: deal.id, releaseDate: broker.broker.today(), addressesToA: 1200, addressesToB: 1100)
            let mandates = DealMandates(
                a: try database.mandateInForce(organisationID: proposer.id)?.acceptance,
                b: try database.mandateInForce(organisationID: partner.id)?.acceptance)
            let invoices = try DealInvoicing.invoices(
                for: figures, terms: try #require(try database.dealTerms(dealID: deal.id)), mandates: mandates, seriesPrefix: seriesPrefix,
                issueDate: broker.broker.today())
            _ = try database.issueInvoices(
                dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: operatorActor, now: now)
            invoicedDeal = deal.id
        }
        return Seeded(invoicedDeal: invoicedDeal, buyer: heatings[3].0.id)
    }

    /// A plausible engine report for the seeded deals (the page renders its figures and charts), as the engine writes it.
    static func report() -> String {
        func file(_ scale: Int) -> String {
            """
            {"rows": \(20_000 * scale), "contacts": \(18_000 * scale), "duplicates": \(2_000 * scale), "validEmails": \(16_000 * scale),
             "validPhones": \(12_000 * scale), "phoneClasses": {"mobile": \(8_000 * scale)}, "b2b": \(15_000 * scale), "b2c": \(3_000 * scale),
             "withConsent": \(2_500 * scale), "refusedConsent": 100, "stale": \(1_000 * scale), "undated": 50, "withoutSource": 20, "suppressed": 30,
             "exchangeable": \(16_500 * scale), "qualityScore": 0.62, "rejected": {}, "encoding": "utf-8", "delimiter": ";", "columns": {},
             "ignoredColumns": [], "rejections": []}
            """
        }
        return """
            {"a": \(file(1)), "b": \(file(2)),
             "overlap": {"contacts": 4000, "email": 3000, "phone": 2000, "siret": 500, "bContactsHeldByA": 4200},
             "netNew": {"a": 12500, "b": 28800}, "delivery": {"toA": 12500, "toB": 12500, "qualityToA": 7800, "qualityToB": 7700},
             "policy": "equal-count", "asOf": "2026-11-18", "retentionMonths": 13,
             "balancing": {"candidates": {"a": 12500, "b": 28800}, "candidateQuality": {"a": 7700, "b": 17000},
                           "delivered": {"a": 12500, "b": 12500}, "deliveredQuality": {"a": 7700, "b": 7800}}}
            """
    }
}
