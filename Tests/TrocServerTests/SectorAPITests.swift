import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing
import TrocCore
import TrocServer
import TrocStore

/// NAF 2025 at registration and on an operator's switch, and the statutory renovation list edited on its own.
@Suite struct SectorAPITests {
    static func organisation(naf: String, nomenclature: String? = nil, siren: String = "404833048") -> String {
        let field = nomenclature.map { #", "nafNomenclature": "\#($0)""# } ?? ""
        return """
            {"name": "Chauffage 2027 SAS", "siren": "\(siren)", "nafCode": "\(naf)"\(field),
             "address": {"street": "1 rue de la Gare", "postcode": "44000", "city": "Nantes", "countryCode": "FR"},
             "vatStatus": "franchise", "bankAccount": {"iban": "FR7630006000011234567890189", "bic": "AGRIFRPP"}}
            """
    }

    @Test func registrationRecognisesEitherNomenclatureOrSaysWhatIsAmbiguous() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let heating2027 = try await client.decoded(
                Organisation.self, .post, "/v1/organisations", token: broker.operatorToken, json: Self.organisation(naf: "4322h"))
            #expect(heating2027.nafCode == "43.22H" && heating2027.nafNomenclature == .naf2025)
            #expect(heating2027.nafLabel == "Travaux d'installation d'équipements thermiques et de climatisation")

            let ambiguous = try await client.problem(
                .post, "/v1/organisations", token: broker.operatorToken, json: Self.organisation(naf: "01.11", siren: "987654308"), status: 422,
                code: "organisation.invalid")
            #expect(ambiguous.errors?.map(\.field) == ["nafCode"] && ambiguous.errors?.first?.code == "naf.ambiguous")
            #expect(ambiguous.errors?.first?.detail.contains("01.11Z in NAF rév. 2 or 01.11Y in NAF 2025") == true)
            let farm = try await client.decoded(
                Organisation.self, .post, "/v1/organisations", token: broker.operatorToken,
                json: Self.organisation(naf: "01.11", nomenclature: "rev2", siren: "987654308"))
            #expect(farm.nafCode == "01.11Z" && farm.nafNomenclature == .rev2)

            let neither = try await client.problem(
                .post, "/v1/organisations", token: broker.operatorToken, json: Self.organisation(naf: "43.32Y", siren: "552100554"), status: 422,
                code: "organisation.invalid")
            #expect(neither.errors?.first?.field == "nafCode" && neither.errors?.first?.code == "naf.unknown")
            #expect(neither.errors?.first?.detail.contains("neither NAF rév. 2 nor NAF 2025") == true)
            // A bank in NAF 2025 is a bank: refused through the correspondence.
            let bank = try await client.problem(
                .post, "/v1/organisations", token: broker.operatorToken, json: Self.organisation(naf: "64.19Y", siren: "552100554"), status: 422,
                code: "sector.confidential")
            #expect(bank.detail.contains("64.19Z"))
        }
    }

    @Test func anOperatorSwitchesAFirmToNAF2025AndDealsAreJudgedThroughTheCorrespondence() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let path = "/v1/organisations/\(parties.joinery.id)/naf"
            _ = try await client.problem(
                .put, path, token: parties.joineryToken, json: #"{"nafCode": "43.32G", "reason": "x"}"#, status: 403, code: "auth.forbidden-role")
            _ = try await client.problem(
                .put, path, token: broker.operatorToken, json: #"{"nafCode": "43.32G", "reason": " "}"#, status: 400, code: "request.invalid-field")
            let wrong = try await client.problem(
                .put, path, token: broker.operatorToken, json: #"{"nafCode": "43.32A", "nafNomenclature": "naf2025", "reason": "x"}"#, status: 422,
                code: "organisation.invalid")
            #expect(wrong.errors?.first?.code == "naf.other-nomenclature")
            let switched = try await client.decoded(
                Organisation.self, .put, path, token: broker.operatorToken, json: #"{"nafCode": "43.32G", "reason": "APE code 2027"}"#)
            #expect(switched.nafCode == "43.32G" && switched.nafNomenclature == .naf2025)
            let entry = try #require(
                try await client.decoded([AuditEntryView].self, .get, "/v1/audit?limit=1000", token: broker.operatorToken).last)
            #expect(entry.action == "organisation.naf-change" && entry.reason == "APE code 2027" && entry.organisationId == parties.joinery.id)

            let deal = try await client.decoded(
                Deal.self, .post, "/v1/deals", token: parties.joineryToken,
                json: #"{"partnerId": "\#(parties.heating.id)", "pricePer1000Cents": 2500}"#)
            #expect(deal.verdict.kind == .complementary && deal.verdict.codes.map(\.nomenclature) == [.naf2025, .rev2])
        }
    }

    @Test func theRenovationListIsEditedOnItsOwnAndDecidesWhoMayReceiveConsumers() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let listed = try await client.decoded([RenovationListing].self, .get, "/v1/sectors/renovation", token: parties.joineryToken)
            #expect(
                listed.contains(
                    RenovationListing(
                        code: "43.22H", nomenclature: .naf2025, label: "Travaux d'installation d'équipements thermiques et de climatisation",
                        ground: .energyRenovation)))
            #expect(Set(listed.map(\.nomenclature)) == [.rev2, .naf2025])

            _ = try await client.problem(
                .put, "/v1/sectors/renovation/47.74Z", token: parties.joineryToken, json: #"{"reason": "x", "ground": "home-adaptation"}"#,
                status: 403, code: "auth.forbidden-role")
            _ = try await client.problem(
                .put, "/v1/sectors/renovation/47.74Z", token: broker.operatorToken, json: #"{"reason": "stairlifts"}"#, status: 400,
                code: "request.invalid-field")
            _ = try await client.problem(
                .put, "/v1/sectors/renovation/99.99Z", token: broker.operatorToken, json: #"{"reason": "x", "ground": "home-adaptation"}"#,
                status: 400, code: "request.invalid-parameter")
            let added = try await client.decoded(
                [RenovationListing].self, .put, "/v1/sectors/renovation/4774Z", token: broker.operatorToken,
                json: #"{"reason": "sells stairlifts door to door", "ground": "home-adaptation"}"#)
            #expect(added.contains { $0.code == "47.74Z" && $0.ground == .homeAdaptation })
            #expect(!(try await broker.broker.sectors().mayReceiveConsumerContacts("47.74Z")))

            // The clusters no longer decide: emptying the energy cluster leaves heating on the list.
            _ = try await client.decoded(
                SectorTables.self, .post, "/v1/sectors/clusters/energie-confort-habitat/codes/43.22B/remove", token: broker.operatorToken,
                json: #"{"reason": "test"}"#)
            #expect(!(try await broker.broker.sectors().mayReceiveConsumerContacts("43.22B")))
            _ = try await client.decoded(
                [RenovationListing].self, .post, "/v1/sectors/renovation/43.22B/remove", token: broker.operatorToken, json: #"{"reason": "test"}"#)
            #expect(!(try await broker.broker.sectors().mayReceiveConsumerContacts("43.22B")), "43.22H, its NAF 2025 successor, is still listed")
            _ = try await client.decoded(
                [RenovationListing].self, .post, "/v1/sectors/renovation/43.22H/remove", token: broker.operatorToken, json: #"{"reason": "test"}"#)
            #expect(try await broker.broker.sectors().mayReceiveConsumerContacts("43.22B"))
            let edits = try await client.decoded([AuditEntryView].self, .get, "/v1/audit?limit=1000", token: broker.operatorToken)
                .filter { $0.action.hasPrefix("sector.renovation") }
            #expect(edits.map(\.action) == ["sector.renovation.add", "sector.renovation.remove", "sector.renovation.remove"])
            #expect(edits.allSatisfy { $0.reason != nil })
        }
    }
}
