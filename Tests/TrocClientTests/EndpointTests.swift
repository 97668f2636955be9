import Foundation
import Testing
import TrocClient
import TrocTestSupport
import Yams

/// The client's paths are the API's: every operation it can call is one `openapi.yaml` documents, with the same method,
/// and the values put in a path or a query cannot change which operation is called.
@Suite struct EndpointTests {
    /// `METHOD /path/{param}` for every operation the document describes.
    static func documentedOperations() throws -> Set<String> {
        let text = try String(contentsOf: Repository.file("Sources/TrocServer/openapi.yaml"), encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var operations: Set<String> = []
        for (path, methods) in paths {
            for method in methods.keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    @Test func everyOperationTheClientCallsIsDocumentedWithItsMethod() throws {
        let documented = try Self.documentedOperations()
        let called = APIOperation.allCases.map { "\($0.method.rawValue) \($0.template)" }
        let unknown = called.filter { !documented.contains($0) }
        #expect(unknown.isEmpty, "the client calls operations openapi.yaml does not have: \(unknown)")
    }

    @Test func noTwoOperationsShareAMethodAndPath() {
        // A wrong method that happens to name another documented operation (DELETE misspelt GET) shows up here.
        let called = APIOperation.allCases.map { "\($0.method.rawValue) \($0.template)" }
        #expect(Set(called).count == called.count, "\(Dictionary(grouping: called) { $0 }.filter { $0.value.count > 1 }.keys.sorted())")
    }

    @Test func everyDealDecisionIsItsOwnDocumentedOperation() throws {
        let documented = try Self.documentedOperations()
        for action in DealAction.allCases {
            #expect(documented.contains("POST /v1/deals/{dealId}/\(action.rawValue)"), "\(action)")
            #expect(action.operation.template == "/v1/deals/{dealId}/\(action.rawValue)")
        }
    }

    @Test func parametersFillThePlaceholdersInOrder() {
        #expect(Endpoint(.addClusterCode, "windows", "43.32A").target == "/v1/sectors/clusters/windows/codes/43.32A")
        #expect(Endpoint(.me).target == "/v1/me")
    }

    @Test func reservedCharactersInAnIdStayInsideItsSegment() {
        #expect(Endpoint(.deal, "del_1/cancel").target == "/v1/deals/del_1%2Fcancel")
        #expect(Endpoint(.invoice, "F 2026?x#y", query: ["format": "pdf"]).target == "/v1/invoices/F%202026%3Fx%23y?format=pdf")
        #expect(Endpoint(.file, "100%").target == "/v1/files/100%25")
        #expect(Endpoint(.file, "..").target == "/v1/files/%2E%2E")
        #expect(Endpoint(.file, ".").target == "/v1/files/%2E")
        #expect(Endpoint(.organisation, "é").target == "/v1/organisations/%C3%A9")
    }

    @Test func queryValuesAreEncodedAndAbsentOnesLeftOut() {
        #expect(Endpoint(.uploadFile, query: ["name": "a&b=c+d e.csv"]).target == "/v1/files?name=a%26b%3Dc%2Bd%20e.csv")
        #expect(Endpoint(.listDeals, query: ["limit": "500", "after": nil]).target == "/v1/deals?limit=500")
        #expect(Endpoint(.audit, query: ["limit": "10", "dealId": "del_1"]).target == "/v1/audit?limit=10&dealId=del_1")
        #expect(Endpoint(.invoices, query: ["from": nil, "to": nil]).target == "/v1/invoices")
    }
}
