import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TrocServer

/// Prometheus counts each answer under the status the client received: the alert rules in `Deploy/prometheus` tell
/// server errors from refusals by it.
@Suite struct MetricsTests {
    @Test("a refused request is counted under its own status, not as a server error")
    func refusalsAreNotServerErrors() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            let refused = try await client.call(.get, "/v1/invoices", token: nil)
            #expect(refused.status == .unauthorized)
            let exposition = String(buffer: try await client.call(.get, "/metrics", token: broker.operatorToken).body)
            #expect(exposition.contains(#"hb_requests{http_route="/v1/invoices",http_request_method="GET",http_response_status_code="401"}"#))
            #expect(!exposition.contains(#"hb_requests{http_route="/v1/invoices",http_request_method="GET",http_response_status_code="500"}"#))
        }
    }
}
