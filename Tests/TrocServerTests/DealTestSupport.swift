import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing
import TrocCore
import TrocCrypto
import TrocServer
import TrocStore

/// Two complementary firms (window joinery, heating) registered on a test broker, each with a
/// partner user and a delivery key pair.
struct DealParties {
    let joinery: Organisation
    let joineryToken: String
    let joineryKey: EnvelopePrivateKey
    let heating: Organisation
    let heatingToken: String
    let heatingKey: EnvelopePrivateKey

    /// Both firms registered, with their keys and billing mandates unless told otherwise.
    static func register(_ client: any TestClientProtocol, _ broker: TestBroker, keys: Bool = true, mandates: Bool = true) async throws
        -> DealParties
    {
        let (joinery, joineryToken) = try await registerPartner(client, broker, organisation: Partners.joinery, userName: "Jeanne")
        let (heating, heatingToken) = try await registerPartner(client, broker, organisation: Partners.heating, userName: "Hugo")
        let parties = DealParties(
            joinery: joinery, joineryToken: joineryToken, joineryKey: .generate(), heating: heating, heatingToken: heatingToken,
            heatingKey: .generate())
        if keys {
            try await parties.registerKey(client, for: joinery.id)
            try await parties.registerKey(client, for: heating.id)
        }
        if mandates { try await parties.acceptMandates(client) }
        return parties
    }

    /// Each firm accepts the billing mandate in its current wording.
    func acceptMandates(_ client: any TestClientProtocol) async throws {
        for (organisation, token) in [(joinery.id, joineryToken), (heating.id, heatingToken)] {
            _ = try await client.decoded(
                BillingMandateState.self, .post, "/v1/organisations/\(organisation)/billing-mandate", token: token,
                json: #"{"wordingVersion": "\#(BillingMandateWording.version)"}"#)
        }
    }

    /// Registers the firm's delivery public key.
    func registerKey(_ client: any TestClientProtocol, for organisationID: String) async throws {
        let key = organisationID == joinery.id ? joineryKey : heatingKey
        let token = organisationID == joinery.id ? joineryToken : heatingToken
        let pem = String(decoding: try JSONEncoder().encode(key.publicKey.pemText), as: UTF8.self)
        _ = try await client.decoded(
            Organisation.self, .put, "/v1/organisations/\(organisationID)/public-key", token: token, json: #"{"publicKey": \#(pem)}"#)
    }

    /// A deal proposed by the joinery, both files uploaded: the report is ready.
    func matchedDeal(_ client: any TestClientProtocol, _ broker: TestBroker, policy: BalancingPolicy = .all) async throws -> Deal {
        let deal = try await client.decoded(
            Deal.self, .post, "/v1/deals", token: joineryToken,
            json: #"{"partnerId": "\#(heating.id)", "pricePer1000Cents": 2500, "policy": "\#(policy.rawValue)"}"#)
        #expect(try await client.uploadToDeal(DealFiles.joinery, deal: deal.id, as: joinery.id, token: joineryToken, broker: broker).status == .ok)
        let uploaded = try await client.uploadToDeal(DealFiles.heating, deal: deal.id, as: heating.id, token: heatingToken, broker: broker)
        #expect(uploaded.status == .ok)
        return try ServerTestJSON.decoder.decode(Deal.self, from: Data(buffer: uploaded.body))
    }

    /// A matched deal both firms accepted.
    func acceptedDeal(_ client: any TestClientProtocol, _ broker: TestBroker, policy: BalancingPolicy = .all) async throws -> Deal {
        let deal = try await matchedDeal(client, broker, policy: policy)
        _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/accept", token: joineryToken, json: "{}")
        return try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/accept", token: heatingToken, json: "{}")
    }

    /// An accepted deal an operator approved and released (its invoices issued).
    func releasedDeal(_ client: any TestClientProtocol, _ broker: TestBroker, policy: BalancingPolicy = .all) async throws -> Deal {
        let deal = try await acceptedDeal(client, broker, policy: policy)
        _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/approve", token: broker.operatorToken, json: "{}")
        return try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/release", token: broker.operatorToken, json: "{}")
    }

    /// Downloads the firm's delivery and opens it with the firm's key.
    func download(_ client: any TestClientProtocol, deal: String, for organisationID: String) async throws -> String {
        let key = organisationID == joinery.id ? joineryKey : heatingKey
        let token = organisationID == joinery.id ? joineryToken : heatingToken
        let response = try await client.call(.get, "/v1/deals/\(deal)/delivery", token: token)
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        var opener = EnvelopeOpener(
            privateKey: key, purpose: try EnvelopePurpose(TransferPurpose.delivery(dealID: deal, organisationID: organisationID)))
        let plaintext = try opener.feed(Data(buffer: response.body)).reduce(Data(), +)
        try opener.finish()
        return String(decoding: plaintext, as: UTF8.self)
    }
}

extension TestBroker {
    /// Runs `body` against a fresh broker on which the two firms are registered, then removes it.
    static func withParties(
        keys: Bool = true, mandates: Bool = true, minimumExchangeable: Int? = 1,
        _ body: @Sendable (any TestClientProtocol, TestBroker, DealParties) async throws -> Void
    ) async throws {
        let broker = try await TestBroker.make(minimumExchangeable: minimumExchangeable)
        defer { broker.remove() }
        try await broker.withClient { client in
            try await body(client, broker, try await DealParties.register(client, broker, keys: keys, mandates: mandates))
        }
    }
}

/// The two firms' prospect files: one contact in common (Jean Martin), one refused consent, and 20 business
/// prospects of each firm's own, so that every invoice of a release has an amount.
enum DealFiles {
    static let joinery = """
        nom;prenom;email;telephone;raison_sociale;source;date_collecte;consentement
        Martin;Jean;jean.martin@entreprise.fr;06 12 34 56 78;ACME;salon;01/10/2026;oui
        Durand;Paul;paul.durand@entreprise.fr;01 42 68 53 00;ACME;site web;15/09/2026;oui
        Leroy;Marc;marc.leroy@fenetres-leroy.fr;06 11 22 33 44;Fenêtres Leroy;salon;03/11/2026;oui
        Petit;Zoé;zoe.petit@gmail.com;;;site web;12/11/2026;non

        """ + prospects("menuiserie-client")
    static let heating = """
        nom;prenom;email;telephone;raison_sociale;source;date_collecte;consentement
        Bernard;Luc;luc.bernard@chauffage-bernard.fr;06 98 76 54 32;Chauffage Bernard;salon;05/11/2026;oui
        Martin;Jean;jean.martin@entreprise.fr;06 12 34 56 78;ACME;salon;01/10/2026;oui
        Roux;Anne;anne.roux@batiment-roux.fr;04 78 42 12 34;BTP Roux;site web;20/10/2026;oui

        """ + prospects("chauffage-client")

    /// Twenty exchangeable business contacts at `domain`.
    static func prospects(_ domain: String) -> String {
        (1...20).map { "Client;N°\($0);contact\($0)@\(domain).fr;;Client \($0) SARL;salon;02/11/2026;oui\n" }.joined()
    }
}

extension TestClientProtocol {
    /// Uploads `text` into a deal, sealed for `organisationID`'s slot of it.
    func uploadToDeal(
        _ text: String, deal: String, as organisationID: String, token: String, broker: TestBroker, purposeOrganisation: String? = nil
    ) async throws -> TestResponse {
        let envelope = try seal(
            Data(text.utf8), to: broker.broker.keys.publicKey,
            purpose: TransferPurpose.dealUpload(dealID: deal, organisationID: purposeOrganisation ?? organisationID))
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        headers[.contentType] = "application/octet-stream"
        return try await execute(uri: "/v1/deals/\(deal)/files?name=prospects.csv", method: .post, headers: headers, body: ByteBuffer(data: envelope))
    }

    /// The problem an error answer carries, checking its status and code.
    func problem(
        _ method: HTTPRequest.Method, _ uri: String, token: String?, json: String? = nil, status: Int, code: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Problem {
        let response = try await call(method, uri, token: token, json: json)
        let problem = try ServerTestJSON.problem(response)
        #expect(problem.status == status && problem.code == code, "\(method) \(uri): \(problem)", sourceLocation: sourceLocation)
        return problem
    }
}

/// The data rows of a canonical delivery CSV (its header dropped).
func deliveryRows(_ csv: String) -> [Substring] {
    Array(csv.split(whereSeparator: \.isNewline).dropFirst())
}
