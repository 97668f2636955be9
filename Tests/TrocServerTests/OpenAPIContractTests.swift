import Foundation
import HTTPTypes
import Hummingbird
import Testing
import TrocServer
import TrocStore
import TrocTestSupport
import Yams

/// The server and `openapi.yaml` describe the same API: every route is documented, every
/// documented operation exists, and the document is what `/v1/openapi.yaml` serves.
@Suite struct OpenAPIContractTests {
    static func document() throws -> [String: Any] {
        let url = Repository.file("Sources/TrocServer/openapi.yaml")
        return try #require(try Yams.load(yaml: String(contentsOf: url, encoding: .utf8)) as? [String: Any])
    }

    @Test func everyRouteIsDocumentedAndEveryOperationIsServed() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        // The console's pages are HTML for people (README "Console"), not part of the API.
        let served = Set(
            try buildRouter(broker.broker).routes.filter { !$0.path.description.hasPrefix("/console") }.map {
                "\($0.method.rawValue) \($0.path.description)"
            })
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        var documented: Set<String> = []
        for (path, operations) in paths {
            for method in operations.keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
    }

    @Test func everyOperationHasAnIdAndProblemResponsesForItsErrors() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        var ids: Set<String> = []
        for (path, operations) in paths {
            for (method, value) in operations where method != "parameters" {
                let operation = try #require(value as? [String: Any], "\(method) \(path)")
                let id = try #require(operation["operationId"] as? String, "\(method) \(path) has no operationId")
                #expect(ids.insert(id).inserted, "duplicate operationId \(id)")
                let responses = try #require(operation["responses"] as? [String: Any])
                for (status, response) in responses where status.hasPrefix("4") || status.hasPrefix("5") {
                    let reference = (response as? [String: Any])?["$ref"] as? String
                    #expect(reference == "#/components/responses/Problem", "\(method) \(path) \(status) must be a problem document")
                }
            }
        }
    }
}
