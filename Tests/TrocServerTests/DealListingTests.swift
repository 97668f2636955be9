import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing
import TrocCore
import TrocServer

/// `GET /v1/deals` a page at a time: `limit` and `after`, the `Link` to the next page, and views equal to `GET /v1/deals/{id}`.
@Suite struct DealListingTests {
    /// A third firm, in heating like Géothermie Martin, so the joinery can deal with both.
    static let boiler = """
        {"name": "Chaudières Petit SARL", "siren": "123456782", "nafCode": "43.22B",
         "address": {"street": "3 rue du Four", "postcode": "44000", "city": "Nantes", "countryCode": "FR"},
         "vatStatus": "registered", "vatNumber": "FR11123456782",
         "bankAccount": {"iban": "FR76 3000 4000 0312 3456 7890 143", "bic": "BNPAFRPP"}}
        """

    @Test func pagesFollowEachOtherWithoutGapOrRepeatAndOnlyTheCallersDeals() async throws {
        try await TestBroker.withParties(keys: false) { client, broker, parties in
            let (boiler, _) = try await registerPartner(client, broker, organisation: Self.boiler, userName: "Bruno")
            func propose(to partnerID: String) async throws -> Deal {
                try await client.decoded(
                    Deal.self, .post, "/v1/deals", token: parties.joineryToken, json: #"{"partnerId": "\#(partnerID)", "pricePer1000Cents": 2500}"#)
            }
            var heatingDeals: [String] = []
            var boilerDeals: [String] = []
            for index in 0..<5 {
                heatingDeals.append(try await propose(to: parties.heating.id).id)
                if index < 2 { boilerDeals.append(try await propose(to: boiler.id).id) }
            }

            // Without parameters: the whole list fits in the default page and no next page is announced. The test clock
            // stands still, so the deals share their creation second and the id orders them.
            let whole = try await client.call(.get, "/v1/deals", token: parties.heatingToken)
            #expect(whole.status == .ok && whole.headers[.link] == nil)
            let listed = try ServerTestJSON.decoder.decode([Deal].self, from: Data(buffer: whole.body)).map(\.id)
            #expect(listed == heatingDeals.sorted())

            // Two at a time: each full page links to the next, the short last page to nothing.
            var uri: String? = "/v1/deals?limit=2"
            var pages: [[String]] = []
            while let next = uri {
                let page = try await client.call(.get, next, token: parties.heatingToken)
                #expect(page.status == .ok)
                pages.append(try ServerTestJSON.decoder.decode([Deal].self, from: Data(buffer: page.body)).map(\.id))
                uri = page.headers[.link].map { link in
                    #expect(link.hasSuffix(#">; rel="next""#), "\(link)")
                    return String(link.dropFirst().prefix { $0 != ">" })
                }
            }
            #expect(pages == [Array(listed[0..<2]), Array(listed[2..<4]), [listed[4]]])

            // A page that ends exactly at the last deal still links on; the next one is empty and final.
            let exact = try await client.call(.get, "/v1/deals?limit=5", token: parties.heatingToken)
            #expect(exact.headers[.link] == "</v1/deals?limit=5&after=\(listed[4])>; rel=\"next\"")
            let empty = try await client.call(.get, "/v1/deals?limit=5&after=\(listed[4])", token: parties.heatingToken)
            #expect(String(buffer: empty.body) == "[]" && empty.headers[.link] == nil)

            // The operator pages over every firm's deals.
            let every = (heatingDeals + boilerDeals).sorted()
            let all = try await client.decoded([Deal].self, .get, "/v1/deals?limit=3&after=\(every[1])", token: broker.operatorToken)
            #expect(all.map(\.id) == Array(every[2..<5]))

            // Another firm's deal is no position in this firm's list, and out-of-range limits are refused.
            for uri in [
                "/v1/deals?after=\(boilerDeals[0])", "/v1/deals?after=del_AAAAAAAAAAAAAAAA", "/v1/deals?limit=0", "/v1/deals?limit=1001",
                "/v1/deals?limit=ten",
            ] {
                _ = try await client.problem(.get, uri, token: parties.heatingToken, status: 400, code: "request.invalid-parameter")
            }
        }
    }

    @Test func aListedDealIsTheDealAsShownOnItsOwn() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let released = try await parties.releasedDeal(client, broker)
            _ = try await client.decoded(
                Deal.self, .post, "/v1/deals", token: parties.joineryToken,
                json: #"{"partnerId": "\#(parties.heating.id)", "pricePer1000Cents": 2500}"#)
            for token in [parties.joineryToken, parties.heatingToken, broker.operatorToken] {
                let listed = try await client.decoded([Deal].self, .get, "/v1/deals", token: token)
                #expect(listed.count == 2)
                for deal in listed {
                    #expect(try await client.decoded(Deal.self, .get, "/v1/deals/\(deal.id)", token: token) == deal)
                }
                // Partners see their delivery in the list too.
                #expect((listed.first { $0.id == released.id }?.delivery != nil) == (token != broker.operatorToken))
            }
        }
    }

    @Test func theListIsWhatTheAPIEncoderWritesAndAChangedDealIsListedChanged() async throws {
        try await TestBroker.withParties(keys: false) { client, broker, parties in
            let proposed = try await client.decoded(
                Deal.self, .post, "/v1/deals", token: parties.joineryToken,
                json: #"{"partnerId": "\#(parties.heating.id)", "pricePer1000Cents": 2500}"#)
            // Read twice (the second from the memo of encoded deals), then after the partner cancels.
            let first = try await client.call(.get, "/v1/deals", token: parties.heatingToken)
            let second = try await client.call(.get, "/v1/deals", token: parties.heatingToken)
            #expect(Data(buffer: first.body) == Data(buffer: second.body))
            #expect(first.headers[.contentType] == "application/json; charset=utf-8")
            let listed = try ServerTestJSON.decoder.decode([Deal].self, from: Data(buffer: first.body))
            let encoded = try StrictJSON.encoder.encode(listed)
            #expect(Data(buffer: first.body) == encoded)
            #expect(listed.map(\.id) == [proposed.id] && listed.map(\.state) != [.cancelled])

            let cancelled = try await client.call(.post, "/v1/deals/\(proposed.id)/cancel", token: parties.heatingToken, json: "{}")
            #expect(cancelled.status == .ok)
            let after = try await client.decoded([Deal].self, .get, "/v1/deals", token: parties.heatingToken)
            #expect(after.map(\.state) == [.cancelled])
            let shown = try await client.decoded(Deal.self, .get, "/v1/deals/\(proposed.id)", token: parties.heatingToken)
            #expect(after == [shown])
        }
    }
}
