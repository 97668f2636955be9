import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TrocCore
import TrocServer
import TrocStore

/// Signing in to the console through the router: enrolment codes, passwords and TOTP, sessions and their cookies,
/// form tokens, expiry, disabled users, rate limits, and what a partner can reach.
@Suite struct ConsoleAuthTests {
    /// The operator's user id.
    static func operatorID(_ client: any TestClientProtocol, _ broker: TestBroker) async throws -> String {
        try await client.decoded(Me.self, .get, "/v1/me", token: broker.operatorToken).user.id
    }

    /// A partner firm with one enrolled, signed-in user; returns the browser, the organisation and the user's token.
    static func signedInPartner(_ client: any TestClientProtocol, _ broker: TestBroker, organisation: String, login: String) async throws -> (
        ConsoleBrowser, Organisation, String
    ) {
        let (firm, token) = try await registerPartner(client, broker, organisation: organisation, userName: login)
        let me = try await client.decoded(Me.self, .get, "/v1/me", token: token)
        let code = try await ConsoleSteps.enrolmentCode(client, broker, userID: me.user.id)
        let browser = ConsoleBrowser(client)
        try await ConsoleSteps.enrol(browser, code: code, login: login, now: broker.clock.now)
        let response = try await ConsoleSteps.signIn(browser, login: login, key: nil, now: broker.clock.now)
        #expect(response.status == .seeOther && response.headers[.location] == "/console/", "\(browser.page)")
        return (browser, firm, token)
    }

    @Test func anOperatorEnrolsWithTOTPAndSignsInWithBothFactors() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let code = try await ConsoleSteps.enrolmentCode(client, broker, userID: try await Self.operatorID(client, broker))
            #expect(code.count == 24 && code.split(separator: "-").count == 5)
            let browser = ConsoleBrowser(client)
            let key = try #require(try await ConsoleSteps.enrol(browser, code: code, login: "olivia", now: broker.clock.now))

            // A code works once.
            try await browser.get("/console/enrol")
            let again = try await browser.post("/console/enrol", [("code", code)])
            #expect(again.status == .unprocessableContent && browser.page.contains("déjà servi"), "\(browser.page)")

            // The password alone opens a session that only reaches the code page.
            try await browser.get("/console/login")
            let password = try await browser.post("/console/login", [("login", "olivia"), ("password", ConsoleSteps.password)])
            #expect(password.headers[.location] == "/console/login/code")
            let halfway = try await browser.get("/console/deals")
            #expect(halfway.status == .seeOther && halfway.headers[.location]?.hasPrefix("/console/login") == true)
            try await browser.get("/console/login/code")
            let wrong = try await browser.post("/console/login/code", [("code", "000000")])
            #expect(wrong.status == .unauthorized)
            let totp = TOTPCode.code(base32: key, at: broker.clock.now)
            // The code that proved the app at enrolment was used: the same time step is refused, the next one accepted.
            let replayed = try await browser.post("/console/login/code", [("code", totp)])
            #expect(replayed.status == .unauthorized, "a TOTP code is accepted once")
            broker.clock.advance(minutes: 0.5)
            let signedIn = try await browser.post("/console/login/code", [("code", TOTPCode.code(base32: key, at: broker.clock.now))])
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/console/")
            let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("__Host-troc_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            let dashboard = try await browser.get("/console/")
            #expect(dashboard.status == .ok && browser.page.contains("Tableau de bord"))
            #expect(dashboard.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'") == true)

            // Everything is in the audit trail.
            let actions = try await client.decoded([AuditEntryView].self, .get, "/v1/audit?limit=1000", token: broker.operatorToken).map(\.action)
            for action in ["console.enrolment.issue", "console.enrol", "console.sign-in", "console.sign-in.refused"] {
                #expect(actions.contains(action), "\(action) missing from \(actions)")
            }
        }
    }

    @Test func formsWithoutTheSessionsTokenOrFromAnotherSiteAreRefused() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let (browser, _, _) = try await Self.signedInPartner(client, broker, organisation: Partners.joinery, login: "jeanne")
            try await browser.get("/console/account")
            let token = try #require(browser.formToken())
            let missing = try await browser.post("/console/logout-everywhere", [], token: "")
            #expect(missing.status == .forbidden && browser.page.contains("console.form-token"))
            let forged = try await browser.post("/console/logout-everywhere", [], token: String(repeating: "A", count: 43))
            #expect(forged.status == .forbidden)
            var foreign = HTTPFields()
            foreign[.origin] = "https://attacker.example"
            let crossSite = try await browser.post("/console/logout-everywhere", [], token: token, headers: foreign)
            #expect(crossSite.status == .forbidden)
            var fetched = HTTPFields()
            fetched[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
            #expect(try await browser.post("/console/logout-everywhere", [], token: token, headers: fetched).status == .forbidden)
            // Still signed in: none of them did anything.
            #expect(try await browser.get("/console/account").status == .ok)
            let real = try await browser.post("/console/logout-everywhere", [], token: token)
            #expect(real.headers[.location] == "/console/login?ended=sign-out-everywhere")
            #expect(try await browser.get("/console/account").status == .seeOther)
        }
    }

    /// A NUL (`%00`) in any field of a form is refused on a page naming the field, before the form does anything: SQLite
    /// would store the value cut at it.
    @Test func aFormWithANULIsRefusedNamingTheField() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let (browser, _, _) = try await Self.signedInPartner(client, broker, organisation: Partners.joinery, login: "jeanne")
            try await browser.get("/console/deals/new")
            let refused = try await browser.post("/console/deals/new", [("pricePer1000", "25"), ("comment", "prospects\u{0} 2026")])
            #expect(refused.status == .badRequest)
            #expect(browser.page.contains("comment") && browser.page.contains("U+0000"))
            #expect(try await broker.broker.store.deals(in: .proposed).isEmpty)
        }
    }

    @Test func sessionsEndWhenIdleAndAtTheirAbsoluteEnd() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let (browser, _, _) = try await Self.signedInPartner(client, broker, organisation: Partners.joinery, login: "jeanne")
            broker.clock.advance(minutes: 29)
            #expect(try await browser.get("/console/deals").status == .ok)
            broker.clock.advance(minutes: 31)
            let idle = try await browser.get("/console/deals")
            #expect(idle.status == .seeOther && idle.headers[.location] == "/console/login?ended=idle")

            // Active every 20 minutes, the session still ends 12 hours after sign-in.
            #expect(try await ConsoleSteps.signIn(browser, login: "jeanne", key: nil, now: broker.clock.now).status == .seeOther)
            for _ in 0..<35 {
                broker.clock.advance(minutes: 20)
                #expect(try await browser.get("/console/deals").status == .ok)
            }
            broker.clock.advance(minutes: 20)
            let expired = try await browser.get("/console/deals")
            #expect(expired.headers[.location] == "/console/login?ended=expired")
        }
    }

    @Test func aDisabledUsersSessionEndsAtOnce() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let (browser, _, token) = try await Self.signedInPartner(client, broker, organisation: Partners.joinery, login: "jeanne")
            let me = try await client.decoded(Me.self, .get, "/v1/me", token: token)
            #expect(try await browser.get("/console/deals").status == .ok)
            _ = try await client.decoded(
                User.self, .post, "/v1/users/\(me.user.id)/disable", token: broker.operatorToken, json: #"{"reason": "left"}"#)
            let ended = try await browser.get("/console/deals")
            #expect(ended.headers[.location] == "/console/login?ended=user-disabled")
            let again = try await ConsoleSteps.signIn(browser, login: "jeanne", key: nil, now: broker.clock.now)
            #expect(again.status == .unauthorized)
        }
    }

    @Test func signInsAreLimitedPerLoginName() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let (browser, _, _) = try await Self.signedInPartner(client, broker, organisation: Partners.joinery, login: "jeanne")
            for _ in 0..<5 {
                let refused = try await ConsoleSteps.signIn(browser, login: "jeanne", key: nil, now: broker.clock.now, password: "not the password!")
                #expect(refused.status == .unauthorized)
            }
            let throttled = try await ConsoleSteps.signIn(browser, login: "jeanne", key: nil, now: broker.clock.now)
            #expect(throttled.status == .tooManyRequests && browser.page.contains("Trop de tentatives"), "\(browser.page)")
            broker.clock.advance(minutes: 16)
            #expect(try await ConsoleSteps.signIn(browser, login: "jeanne", key: nil, now: broker.clock.now).status == .seeOther)
        }
    }

    @Test func aPartnerGuessingAnotherFirmsDealFindsNothing() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let (joinery, joineryToken) = try await registerPartner(client, broker, organisation: Partners.joinery, userName: "jeanne")
            let (heating, _) = try await registerPartner(client, broker, organisation: Partners.heating, userName: "hugo")
            _ = joinery
            let deal = try await client.decoded(
                Deal.self, .post, "/v1/deals", token: joineryToken, json: #"{"partnerId": "\#(heating.id)", "pricePer1000Cents": 2500}"#)
            let caterer = """
                {"name": "Saveurs du Rhône SAS", "siren": "817654320", "nafCode": "56.21Z",
                 "address": {"street": "8 quai Saint-Antoine", "postcode": "69002", "city": "Lyon", "countryCode": "FR"},
                 "vatStatus": "franchise", "bankAccount": {"iban": "FR76 3000 4000 0312 3456 7890 143", "bic": "BNPAFRPP"}}
                """
            let (browser, _, _) = try await Self.signedInPartner(client, broker, organisation: caterer, login: "camille")
            for path in ["/console/deals/\(deal.id)", "/console/deals/\(deal.id)/delivery", "/console/deals/del_aaaaaaaaaaaaaaaa"] {
                let response = try await browser.get(path)
                #expect(response.status == .notFound, "\(path): \(response.status)")
            }
            let token = try await Self.tokenOf(browser)
            let accept = try await browser.post("/console/deals/\(deal.id)/accept", [], token: token ?? "")
            #expect(accept.status == .notFound)
            // Nor do the operator's pages open for a partner.
            #expect(try await browser.get("/console/audit").status == .forbidden)
            #expect(try await browser.get("/console/firms").status == .forbidden)
        }
    }

    /// The session's form token, from the account page.
    static func tokenOf(_ browser: ConsoleBrowser) async throws -> String? {
        try await browser.get("/console/account")
        return browser.formToken()
    }
}
