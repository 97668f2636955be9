import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TrocCore

@testable import TrocServer

/// What the API says in codes or in English, the console's French pages say in French.
@Suite struct ConsoleLocalisationTests {
    @Test func theVATTerritoryIsNamedInThePagesLanguage() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let reunion = """
                {"name": "Menuiserie de l'Océan SARL", "siren": "817654320", "nafCode": "16.23Z",
                 "address": {"street": "4 rue de Paris", "postcode": "97400", "city": "Saint-Denis", "countryCode": "FR"},
                 "vatStatus": "franchise", "bankAccount": {"iban": "FR76 3000 4000 0312 3456 7890 143", "bic": "BNPAFRPP"}}
                """
            let (firm, _) = try await registerPartner(client, broker, organisation: reunion, userName: "rose")
            let operatorID = try await client.decoded(Me.self, .get, "/v1/me", token: broker.operatorToken).user.id
            let code = try await ConsoleSteps.enrolmentCode(client, broker, userID: operatorID)
            let browser = ConsoleBrowser(client)
            let key = try #require(try await ConsoleSteps.enrol(browser, code: code, login: "olivia", now: broker.clock.now))
            broker.clock.advance(minutes: 0.5)
            let signedIn = try await ConsoleSteps.signIn(browser, login: "olivia", key: key, now: broker.clock.now)
            #expect(signedIn.status == .seeOther, "\(browser.page)")

            let french = try await browser.get("/console/firms/\(firm.id)")
            #expect(french.status == .ok, "\(browser.page)")
            #expect(browser.page.contains("Franchise en base (CGI art. 293 B) — La Réunion (8,5 %)"), "\(browser.page)")
            var english = HTTPFields()
            english[.acceptLanguage] = "en"
            try await browser.request(.get, "/console/firms/\(firm.id)", headers: english)
            #expect(browser.page.contains("Franchise (CGI art. 293 B) — La Réunion (8.5 %)"), "\(browser.page)")
            #expect(!browser.page.contains("— RE"), "the territory is named, not coded")
        }
    }

    @Test func theSectorVerdictIsGivenInThePagesLanguage() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let (browser, _, joineryToken) = try await ConsoleAuthTests.signedInPartner(
                client, broker, organisation: Partners.joinery, login: "jeanne")
            let (heating, _) = try await registerPartner(client, broker, organisation: Partners.heating, userName: "hugo")
            let deal = try await client.decoded(
                Deal.self, .post, "/v1/deals", token: joineryToken, json: #"{"partnerId": "\#(heating.id)", "pricePer1000Cents": 2500}"#)
            #expect(deal.verdict.kind == .complementary && !deal.verdict.clusters.isEmpty)
            let cluster = try #require(deal.verdict.clusters.first)

            try await browser.get("/console/deals/\(deal.id)")
            #expect(browser.page.contains(" partagent le"), "\(browser.page)")
            #expect(browser.page.contains(cluster) && !browser.page.contains("share the audience cluster"), "\(browser.page)")
            var english = HTTPFields()
            english[.acceptLanguage] = "en"
            try await browser.request(.get, "/console/deals/\(deal.id)", headers: english)
            #expect(browser.page.contains("share the audience cluster"), "\(browser.page)")
        }
    }
}
