import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import TrocCore
import TrocServer

/// What the broker shows beyond the API: the HSTS header on HTTPS, `/metrics` only to a local scraper or an operator,
/// request logs without query strings.
@Suite struct ExposureTests {
    @Test func responsesOverHTTPSCarryStrictTransportSecurityAndPlainLoopbackHTTPDoesNot() async throws {
        let https = try await TestBroker.make { $0.transport = .https(certificatePath: "unused.pem", keyPath: "unused.pem") }
        defer { https.remove() }
        try await https.withClient { client in
            for uri in ["/healthz", "/v1/me", "/no/such/route"] {
                let response = try await client.call(.get, uri, token: nil)
                #expect(response.headers[.strictTransportSecurity] == "max-age=31536000", "\(uri) answered \(response.status)")
            }
        }
        let http = try await TestBroker.make()
        defer { http.remove() }
        try await http.withClient { client in
            let response = try await client.call(.get, "/healthz", token: nil)
            #expect(response.headers[.strictTransportSecurity] == nil)
        }
    }

    @Test func metricsFromElsewhereThanLoopbackNeedAnOperatorToken() async throws {
        try await TestBroker.withParties(keys: false) { client, broker, parties in
            // In-process requests have no peer address: the broker treats them as coming from another machine.
            let anonymous = try await client.problem(.get, "/metrics", token: nil, status: 401, code: "auth.missing-token")
            #expect(anonymous.detail.contains("operator"))
            _ = try await client.problem(.get, "/metrics", token: parties.joineryToken, status: 403, code: "auth.forbidden-role")
            _ = try await client.problem(.get, "/metrics", token: "troc_not-a-token", status: 401, code: "auth.invalid-token")
            let scraped = try await client.call(.get, "/metrics", token: broker.operatorToken)
            #expect(scraped.status == .ok)
            #expect(String(buffer: scraped.body).contains("hb_requests"))
        }
    }

    @Test func aScraperOnLoopbackReadsMetricsWithoutATokenUnlessTheBrokerWantsOne() async throws {
        for access in MetricsAccess.allCases {
            let broker = try await TestBroker.make { $0.metricsAccess = access }
            defer { broker.remove() }
            let app = Application(router: try buildRouter(broker.broker), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { client in
                let response = try await client.execute(uri: "/metrics", method: .get)
                #expect(response.status == (access == .loopbackOrOperator ? .ok : .unauthorized), "\(access)")
                var headers = HTTPFields()
                headers[.authorization] = "Bearer \(broker.operatorToken)"
                #expect(try await client.execute(uri: "/metrics", method: .get, headers: headers).status == .ok)
            }
        }
    }

    @Test func requestLogsNameTheRouteAndNeverTheQueryString() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        let records = LogRecords()
        let logger = Logger(label: "trocd") { _ in RecordingLogHandler(records: records) }
        let app = Application(router: try buildRouter(broker.broker), logger: logger)
        try await app.test(.router) { client in
            _ = try await client.call(.get, "/v1/audit?limit=1000&email=jean.martin%40entreprise.fr", token: broker.operatorToken)
            _ = try await client.call(.get, "/v1/files/fil_aaaaaaaaaaaaaaaa?access_token=troc_leaked", token: broker.operatorToken)
            _ = try await client.call(.get, "/nowhere?secret=1", token: nil)
        }
        let lines = records.lines
        let everything = lines.joined(separator: "\n")
        for secret in ["limit=1000", "jean.martin", "troc_leaked", "secret=1", "?"] {
            #expect(!everything.contains(secret), "a log carries \(secret):\n\(everything)")
        }
        #expect(lines.contains { $0.contains("http.route=/v1/audit") })
        #expect(lines.contains { $0.contains("http.route=/v1/files/{fileId}") })
        #expect(lines.contains { $0.contains("http.route=unmatched") })
    }
}

/// Log lines kept in memory: message and metadata, sorted by key.
final class LogRecords: Sendable {
    private let stored = Mutex<[String]>([])

    var lines: [String] { stored.withLock { $0 } }

    func append(_ line: String) {
        stored.withLock { $0.append(line) }
    }
}

/// A log handler writing into `LogRecords`.
struct RecordingLogHandler: LogHandler {
    let records: LogRecords
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        records.append(([event.message.description] + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " "))
    }
}
