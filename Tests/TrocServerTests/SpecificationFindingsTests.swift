import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing
import TrocCore
import TrocServer

/// What schemathesis found when it attacked the API from `openapi.yaml` (SpecificationEndToEndTests), each answer checked
/// against the statuses the document gives its operation.
@Suite struct SpecificationFindingsTests {
    /// The statuses `openapi.yaml` documents for `method` on `path` (a path template such as `/v1/files/{fileId}`).
    static func documentedStatuses(_ method: String, _ path: String) throws -> Set<Int> {
        let paths = try #require(try OpenAPIContractTests.document()["paths"] as? [String: [String: Any]])
        let operation = try #require(paths[path]?[method] as? [String: Any], "\(method) \(path) is not documented")
        let responses = try #require(operation["responses"] as? [String: Any])
        return Set(responses.keys.compactMap { Int($0) })
    }

    /// Found as an accountant: reading one stored file answered 403, which the document did not list.
    @Test func anAccountantReadingAStoredFileGetsADocumented403() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let (organisation, partnerToken) = try await registerPartner(client, broker, organisation: Partners.joinery, userName: "Jeanne")
            let stored = try await client.upload(
                try sealedUpload(Partners.contacts, broker: broker, organisationID: organisation.id), token: partnerToken)
            #expect(stored.status == .created)
            let file = try ServerTestJSON.decoder.decode(StoredFile.self, from: Data(buffer: stored.body))
            let accountant = try await client.decoded(
                CreatedUser.self, .post, "/v1/users", token: broker.operatorToken, json: #"{"name": "Anne", "role": "accountant"}"#)
            let refused = try await client.call(.get, "/v1/files/\(file.id)", token: accountant.token.token)
            #expect(try ServerTestJSON.problem(refused).code == "auth.forbidden-role")
            #expect(try Self.documentedStatuses("get", "/v1/files/{fileId}").contains(Int(refused.status.code)))
        }
    }

    /// Found as an operator: a user name holding NUL reached the store, which refused it, and the answer was a 500. A NUL
    /// is now refused with every JSON body (400, naming the field), other control characters by the user's own rules (422).
    @Test func aUserNameWithAControlCharacterIsRefusedAsInvalid() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let cases = [
                (#"{"name": "\u0000ab.h", "role": "accountant"}"#, 400, "request.invalid-field"),
                (#"{"name": "Anne", "email": "a\u001b@b.fr", "role": "accountant"}"#, 422, "user.invalid"),
            ]
            for (json, status, code) in cases {
                let refused = try await client.call(.post, "/v1/users", token: broker.operatorToken, json: json)
                #expect(Int(refused.status.code) == status, "\(json)")
                #expect(try ServerTestJSON.problem(refused).code == code)
                #expect(try Self.documentedStatuses("post", "/v1/users").contains(status))
            }
        }
    }
}
