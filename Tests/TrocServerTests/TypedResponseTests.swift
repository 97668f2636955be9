import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationEssentialsCompat
import Testing
import TrocCore

/// Handlers return typed views; what goes on the wire is what `JSONResponse` used to write: the status the route
/// documents, `application/json; charset=utf-8`, and the bytes of a sorted-keys, ISO 8601 encoding.
@Suite struct TypedResponseTests {
    /// The API's JSON as documented: keys sorted, dates in ISO 8601, slashes unescaped.
    static let documented: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Requires `response` to be JSON whose bytes are exactly the documented encoding of the `T` it decodes to.
    static func expectDocumentedJSON<T: Codable>(_ type: T.Type, _ response: TestResponse, status: HTTPResponse.Status) throws {
        #expect(response.status == status)
        #expect(response.headers[.contentType] == "application/json; charset=utf-8")
        let body = Data(buffer: response.body)
        let value = try ServerTestJSON.decoder.decode(T.self, from: body)
        #expect(String(decoding: try documented.encode(value), as: UTF8.self) == String(decoding: body, as: UTF8.self))
    }

    @Test func createdListedAndRevokedTokensKeepTheirStatusTypeAndBytes() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let created = try await client.call(.post, "/v1/tokens", token: broker.operatorToken, json: #"{"label": "ci", "expiresInDays": 1}"#)
            try Self.expectDocumentedJSON(IssuedToken.self, created, status: .created)
            let listed = try await client.call(.get, "/v1/tokens", token: broker.operatorToken)
            try Self.expectDocumentedJSON([TokenInfo].self, listed, status: .ok)
            let me = try await client.call(.get, "/v1/me", token: broker.operatorToken)
            try Self.expectDocumentedJSON(Me.self, me, status: .ok)
            let id = try ServerTestJSON.decoder.decode(IssuedToken.self, from: Data(buffer: created.body)).id
            let revoked = try await client.call(.delete, "/v1/tokens/\(id)", token: broker.operatorToken)
            #expect(revoked.status == .noContent && revoked.body.readableBytes == 0 && revoked.headers[.contentType] == nil)
        }
    }
}
