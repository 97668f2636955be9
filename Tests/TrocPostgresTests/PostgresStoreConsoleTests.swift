import Foundation
import Testing
import TrocCore
import TrocPostgres
import TrocStore

/// Console sign-ins, sessions and the console's lists, the same on both backends; a session opened on one instance is
/// seen, and ended, on the other.
extension PostgresTests {
    @Suite struct ConsoleStore {
        typealias Admin = PostgresTests.UserAdministrationStore
        typealias Invoices = PostgresTests.InvoiceStore
        static let start = Admin.start
        static let passwordHash = PostgresTests.EnrolmentStore.passwordHash

        /// A firm whose administrator enrolled as `login` with a second factor (step 1 confirmed at enrolment).
        static func enrolled(_ store: any AccountRecords, siren: String, login: String) async throws -> (UserRecord, AuditActor) {
            let (_, admin) = try await Admin.firm(store, siren: siren)
            let code = try await store.issueEnrolmentCode(userID: admin.user.id, actor: try await Admin.makeOperator(store), now: start)
            let totp = (sealedSecret: Data(repeating: 7, count: 40), confirmedStep: Int64(1))
            _ = try await store.completeEnrolment(
                code: code.code, ConsoleEnrolment(login: login, passwordHash: passwordHash, totp: totp), now: start)
            return (admin.user, Admin.actor(admin.user))
        }

        @Test(
            "a sign-in with a second factor opens a session once per code, which lives until signed out, idle or expired",
            arguments: Backend.allCases)
        func sessions(backend: Backend) async throws {
            try await backend.withStore { store in
                let (user, actor) = try await Self.enrolled(store, siren: "131313131", login: "anne")
                let (credential, found) = try #require(try await store.consoleCredential(login: "anne"))
                #expect(found == user && credential.userID == user.id && credential.totpLastStep == 1)
                #expect(try await store.consoleCredential(userID: user.id) == credential)
                #expect(try await store.consoleCredential(login: "nobody") == nil)

                let pending = try await store.openConsoleSession(
                    userID: user.id, login: "anne", awaitingSecondFactor: true, address: "192.0.2.1", now: Self.start)
                #expect(!pending.record.verified && pending.record.expiresAt == Self.start.addingTimeInterval(AppDatabase.secondFactorWindow))
                await #expect(throws: StoreError.console(.secondFactorRefused)) {
                    try await store.verifySecondFactor(sessionID: pending.record.id, login: "anne", step: 1, now: Self.start)
                }
                let opened = try await store.verifySecondFactor(sessionID: pending.record.id, login: "anne", step: 5, now: Self.start)
                #expect(opened.record.verified && opened.record.address == "192.0.2.1")
                await #expect(throws: StoreError.console(.sessionUnknown)) {
                    try await store.verifySecondFactor(sessionID: pending.record.id, login: "anne", step: 6, now: Self.start)
                }
                #expect(try await store.consoleCredential(userID: user.id)?.totpLastStep == 5)
                let signedIn = try await store.consoleSession(secret: opened.secret, now: Self.start.addingTimeInterval(90))
                #expect(signedIn.user == user && signedIn.session.id == opened.record.id)
                #expect(signedIn.session.lastSeenAt == Self.start.addingTimeInterval(90))
                await #expect(throws: StoreError.console(.sessionUnknown)) { try await store.consoleSession(secret: "nope", now: Self.start) }
                #expect(try await store.consoleSessions(userID: user.id, now: Self.start).map(\.id) == [opened.record.id])

                // Idle past the settings' minutes: ended, and said so from then on.
                let idle = Self.start.addingTimeInterval(90 + TimeInterval(BrokerSettings.defaults.consoleIdleMinutes) * 60)
                await #expect(throws: StoreError.console(.sessionEnded(reason: .idle))) {
                    try await store.consoleSession(secret: opened.secret, now: idle)
                }
                await #expect(throws: StoreError.console(.sessionEnded(reason: .idle))) {
                    try await store.consoleSession(secret: opened.secret, now: Self.start)
                }
                // Signed out; everywhere.
                let second = try await store.openConsoleSession(
                    userID: user.id, login: "anne", awaitingSecondFactor: false, address: "192.0.2.1", now: idle)
                try await store.endConsoleSession(id: second.record.id, actor: actor, now: idle)
                try await store.endConsoleSession(id: second.record.id, actor: actor, now: idle)
                await #expect(throws: StoreError.console(.sessionEnded(reason: .signOut))) {
                    try await store.consoleSession(secret: second.secret, now: idle)
                }
                _ = try await store.openConsoleSession(userID: user.id, login: "anne", awaitingSecondFactor: false, address: "192.0.2.2", now: idle)
                _ = try await store.openConsoleSession(userID: user.id, login: "anne", awaitingSecondFactor: false, address: "192.0.2.3", now: idle)
                let (_, other) = try await Admin.firm(store, siren: "141414141")
                await #expect(throws: StoreError.userNotFound(id: user.id)) {
                    try await store.endConsoleSessions(userID: user.id, actor: Admin.actor(other.user), now: idle)
                }
                #expect(try await store.endConsoleSessions(userID: user.id, actor: actor, now: idle) == 2)
                #expect(try await store.consoleSessions(userID: user.id, now: idle).isEmpty)
                let actions = try await store.auditEntries(dealID: nil, limit: 1000, afterSeq: 0).map(\.action)
                #expect(actions.filter { $0 == "console.sign-in" }.count == 4)
                #expect(actions.filter { $0 == "console.sign-out" }.count == 1)
                #expect(actions.last == "console.sign-out-everywhere")
                #expect((try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }

        @Test("too many failed sign-ins for a login or from an address wait until the oldest leaves the window", arguments: Backend.allCases)
        func signInLimits(backend: Backend) async throws {
            try await backend.withStore { store in
                _ = try await Admin.makeOperator(store)
                for index in 0..<AppDatabase.signInFailuresPerLogin {
                    #expect(try await store.signInRetryAfter(login: "anne", address: "192.0.2.9", now: Self.start) == nil)
                    try await store.recordSignInFailure(
                        login: "anne", address: "192.0.2.\(index)", user: nil, reason: "password",
                        now: Self.start.addingTimeInterval(TimeInterval(index)))
                }
                let now = Self.start.addingTimeInterval(60)
                #expect(
                    try await store.signInRetryAfter(login: "anne", address: "192.0.2.9", now: now)
                        == Self.start.addingTimeInterval(AppDatabase.signInWindow))
                #expect(try await store.signInRetryAfter(login: "bruno", address: "192.0.2.9", now: now) == nil)
                #expect(
                    try await store.signInRetryAfter(
                        login: "anne", address: "192.0.2.9", now: Self.start.addingTimeInterval(AppDatabase.signInWindow + 5)) == nil)
                let entry = try #require(try await store.auditEntries(dealID: nil, limit: 1000, afterSeq: 0).last)
                #expect(entry.action == "console.sign-in.refused" && entry.clientAddress == nil)
            }
        }

        @Test(
            "the console's lists: deals by state and text, invoices with totals, the audit trail by prefix, settlements", arguments: Backend.allCases)
        func lists(backend: Backend) async throws {
            let blobs = try FileStore.Blobs()
            try await backend.withStore { store in
                let pair = try await Invoices.Pair(store, sirens: ("621000009", "622000008"), deals: 2)
                let deal = try await pair.releasedDeal(store, blobs)
                let invoices = try await Invoices.invoices(store, for: deal)
                let issued = try await store.issueInvoices(
                    dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: pair.operatorActor, now: Self.start)
                let credit = try await store.issueCreditNote(
                    crediting: issued[2].number, reason: "Erreur", issueDate: Invoices.issueDate, actor: pair.operatorActor, now: Self.start)
                let open = try await store.createDeal(
                    try PostgresTests.DealStore.draft(pair.heating.0, pair.windows.0), actor: pair.heating.1, now: Self.start.addingTimeInterval(5))
                let (windows, heating) = (pair.windows.0, pair.heating.0)

                #expect(try await store.dealCounts(organisationID: nil) == [.invoiced: 1, open.state: 1])
                #expect(try await store.dealCounts(organisationID: windows.id) == [.invoiced: 1, open.state: 1])
                let all = try await store.dealPage(DealFilter(), limit: 10, offset: 0)
                #expect(all.total == 2 && all.items.map(\.id) == [open.id, deal.id])
                #expect(try await store.dealPage(DealFilter(), limit: 1, offset: 1).items.map(\.id) == [deal.id])
                #expect(try await store.dealPage(DealFilter(state: .invoiced), limit: 10, offset: 0).items.map(\.id) == [deal.id])
                #expect(try await store.dealPage(DealFilter(text: "firm 6220"), limit: 10, offset: 0).total == 2)
                #expect(try await store.dealPage(DealFilter(text: String(deal.id.suffix(8))), limit: 10, offset: 0).items.map(\.id) == [deal.id])
                #expect(try await store.dealPage(DealFilter(text: "100%"), limit: 10, offset: 0).total == 0)

                let day = Invoices.issueDate
                let (page, totals) = try await store.invoicePage(InvoiceFilter(from: day, to: day), limit: 2, offset: 0)
                #expect(totals.count == 5 && page.total == 5 && page.items.count == 2)
                let net = issued.reduce(0) { $0 + $1.netCents } - credit.netCents
                #expect(totals.netCents == net && totals.grossCents == issued.reduce(0) { $0 + $1.grossCents } - credit.grossCents)
                #expect(page.items.map(\.number) == [issued[2].number, issued[3].number])
                #expect(page.items[0].buyer == windows.name && page.items[0].seller == "Courtier Fichiers SAS")
                let credits = try await store.invoicePage(InvoiceFilter(from: day, to: day, kind: .creditNote), limit: 10, offset: 0)
                #expect(credits.page.items.map(\.number) == [credit.number] && credits.page.items[0].creditsNumber == issued[2].number)
                #expect(credits.totals.netCents == -credit.netCents)
                let sold = try await store.invoices(InvoiceFilter(from: day, to: day, sellerID: heating.id))
                #expect(sold.map(\.number) == [issued[0].number])
                #expect(try await store.invoices(InvoiceFilter(from: day, to: day, purpose: .commission)).count == 3)
                #expect(try await store.invoices(InvoiceFilter(from: day, to: day, partyID: heating.id)).count == 3)

                let audit = try await store.auditPage(AuditFilter(actionPrefix: "invoice."), limit: 1, offset: 0)
                #expect(audit.total == 2 && audit.items.map(\.action) == ["invoice.credit"])
                #expect(try await store.auditPage(AuditFilter(dealID: deal.id), limit: 100, offset: 0).items.allSatisfy { $0.dealID == deal.id })
                #expect(try await store.auditPage(AuditFilter(since: Self.start.addingTimeInterval(1)), limit: 100, offset: 0).total == 1)
                let everything = try await store.auditPage(AuditFilter(), limit: 3, offset: 0)
                #expect(everything.items.map(\.seq) == everything.items.map(\.seq).sorted(by: >))

                let settlements = try await store.settlementPage(from: day, to: day, limit: 10, offset: 0)
                #expect(settlements.total == 1 && settlements.items.first?.statement == invoices.settlement)
                #expect(try await store.settlementPage(from: day.adding(days: 1), to: day.adding(days: 2), limit: 10, offset: 0).total == 0)

                let named = try await store.organisations(ids: [windows.id, heating.id, "org_aaaaaaaaaaaaaaaa"])
                #expect(named.keys.sorted() == [windows.id, heating.id].sorted())
                let users = try await store.users(ids: [pair.windows.1.userID ?? ""])
                #expect(users.count == 1)
            }
        }

        @Test("a session opened on one instance is seen on the other, and a sign-out on the other ends it")
        func sessionsAcrossInstances() async throws {
            try await PostgresTests.withTwoInstances { first, second in
                let (user, actor) = try await Self.enrolled(first, siren: "151515151", login: "claire")
                let opened = try await first.openConsoleSession(
                    userID: user.id, login: "claire", awaitingSecondFactor: false, address: "192.0.2.4", now: Self.start)
                #expect(try await second.consoleSession(secret: opened.secret, now: Self.start).user == user)
                try await second.endConsoleSession(id: opened.record.id, actor: actor, now: Self.start)
                await #expect(throws: StoreError.console(.sessionEnded(reason: .signOut))) {
                    try await first.consoleSession(secret: opened.secret, now: Self.start)
                }
            }
        }
    }
}
