import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TrocCore
import TrocCrypto
import TrocServer
import TrocStore

@Suite struct AccessTests {
    @Test func tokensAreCheckedAndEveryRefusalIsAProblemDocument() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let missing = try ServerTestJSON.problem(try await client.call(.get, "/v1/me", token: nil))
            #expect(missing.status == 401 && missing.code == "auth.missing-token")
            let garbage = try ServerTestJSON.problem(try await client.call(.get, "/v1/me", token: "troc_not-a-real-token"))
            #expect(garbage.code == "auth.invalid-token")

            let me = try await client.decoded(Me.self, .get, "/v1/me", token: broker.operatorToken)
            #expect(me.user.role == .operator && me.organisation.kind == .broker)

            let short = try await client.decoded(
                IssuedToken.self, .post, "/v1/tokens", token: broker.operatorToken, json: #"{"label": "ci", "expiresInDays": 1}"#)
            #expect(try await client.call(.get, "/v1/me", token: short.token).status == .ok)
            broker.clock.advance(days: 1.01)
            let expired = try ServerTestJSON.problem(try await client.call(.get, "/v1/me", token: short.token))
            #expect(expired.code == "auth.expired-token")

            let other = try await client.decoded(IssuedToken.self, .post, "/v1/tokens", token: broker.operatorToken, json: "{}")
            #expect(try await client.call(.delete, "/v1/tokens/\(other.id)", token: broker.operatorToken).status == .noContent)
            let revoked = try ServerTestJSON.problem(try await client.call(.get, "/v1/me", token: other.token))
            #expect(revoked.code == "auth.revoked-token")
            let tokens = try await client.decoded([TokenInfo].self, .get, "/v1/tokens", token: broker.operatorToken)
            #expect(tokens.contains { $0.id == other.id && $0.revokedAt != nil })
        }
    }

    @Test func rolesAndOrganisationsBoundWhatEachCallerSees() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let (joinery, joineryToken) = try await registerPartner(client, broker, organisation: Partners.joinery, userName: "Jeanne")
            let (heating, heatingToken) = try await registerPartner(client, broker, organisation: Partners.heating, userName: "Hugo")
            let accountant = try await client.decoded(
                CreatedUser.self, .post, "/v1/users", token: broker.operatorToken, json: #"{"name": "Anne", "role": "accountant"}"#)

            // A partner sees only its own organisation; another's answers 404, not 403.
            let own = try await client.decoded([Organisation].self, .get, "/v1/organisations", token: joineryToken)
            #expect(own.map(\.id) == [joinery.id])
            let hidden = try ServerTestJSON.problem(try await client.call(.get, "/v1/organisations/\(heating.id)", token: joineryToken))
            #expect(hidden.status == 404 && hidden.code == "not-found")
            #expect(try await client.call(.get, "/v1/organisations/\(heating.id)", token: broker.operatorToken).status == .ok)

            // Operators administer, partners do not; accountants do not touch files.
            let partnerAdmin = try ServerTestJSON.problem(
                try await client.call(.post, "/v1/organisations", token: heatingToken, json: Partners.joinery))
            #expect(partnerAdmin.status == 403 && partnerAdmin.code == "auth.forbidden-role")
            let accountantFiles = try ServerTestJSON.problem(try await client.call(.get, "/v1/files", token: accountant.token.token))
            #expect(accountantFiles.code == "auth.forbidden-role")
            let operatorUpload = try ServerTestJSON.problem(try await client.upload(Data(), token: broker.operatorToken))
            #expect(operatorUpload.code == "auth.forbidden-role")

            // A partner cannot register a key for another firm.
            let key = EnvelopePrivateKeyFixture.publicPEM
            let foreignKey = try ServerTestJSON.problem(
                try await client.call(.put, "/v1/organisations/\(heating.id)/public-key", token: joineryToken, json: #"{"publicKey": \#(key)}"#))
            #expect(foreignKey.status == 404)
            _ = heatingToken
        }
    }

    @Test func organisationsAreValidatedWithTheirReasons() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let token = broker.operatorToken
            func problem(_ json: String) async throws -> Problem {
                try ServerTestJSON.problem(try await client.call(.post, "/v1/organisations", token: token, json: json))
            }
            let badSIREN = try await problem(Partners.joinery.replacingOccurrences(of: #""siren": "732829320""#, with: #""siren": "732829321""#))
            #expect(badSIREN.status == 422 && badSIREN.code == "organisation.invalid")
            #expect(badSIREN.errors?.map(\.field) == ["siren"])
            #expect(badSIREN.errors?.first?.code == "siret.checksum")

            let bank = try await problem(Partners.joinery.replacingOccurrences(of: "43.32A", with: "64.19Z"))
            #expect(bank.status == 422 && bank.code == "sector.confidential")
            #expect(bank.detail.contains("64.19Z") && bank.detail.contains("secret"))

            let unknownNAF = try await problem(Partners.joinery.replacingOccurrences(of: "43.32A", with: "99.99Z"))
            #expect(unknownNAF.errors?.first?.code == "naf.unknown")

            let badVAT = try await problem(Partners.joinery.replacingOccurrences(of: "FR44732829320", with: "FR00732829320"))
            #expect(badVAT.errors?.map(\.field) == ["vatNumber"])

            let malformed = try await problem(#"{"name": "x", "#)
            #expect(malformed.status == 400 && malformed.code == "request.malformed-json")
            let unknownField = try await problem(Partners.joinery.replacingOccurrences(of: #""siren""#, with: #""sirne""#))
            #expect(unknownField.code == "request.unknown-field" && unknownField.errors?.first?.field == "sirne")
            let nestedUnknown = try await problem(Partners.joinery.replacingOccurrences(of: #""city""#, with: #""region": "ARA", "city""#))
            #expect(nestedUnknown.errors?.first?.field == "address.region")
            let missing = try await problem(#"{"name": "x", "address": {"street": "a", "postcode": "75001", "city": "Paris", "countryCode": "FR"}}"#)
            #expect(missing.code == "request.missing-field" && missing.errors?.first?.field == "nafCode")

            let created = try await client.decoded(Organisation.self, .post, "/v1/organisations", token: token, json: Partners.joinery)
            #expect(created.vatNumber == "FR44732829320")
            #expect(created.nafLabel?.contains("menuiserie") == true)
            let duplicate = try await problem(Partners.joinery)
            #expect(duplicate.status == 409 && duplicate.code == "organisation.duplicate-siren")
        }
    }

    @Test func unknownRoutesAndMethodsArePromblemDocuments() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let missing = try ServerTestJSON.problem(try await client.call(.get, "/v1/nothing-here", token: broker.operatorToken))
            #expect(missing.status == 404)
            let health = try await client.call(.get, "/healthz", token: nil)
            #expect(String(buffer: health.body) == #"{"status":"ok"}"#)
        }
    }
}

/// A valid X25519 public key in PEM, as a JSON string literal.
enum EnvelopePrivateKeyFixture {
    static let publicPEM: String = {
        let data = try! JSONEncoder().encode(TrocCrypto.EnvelopePrivateKey.generate().publicKey.pemText)
        return String(decoding: data, as: UTF8.self)
    }()
}
