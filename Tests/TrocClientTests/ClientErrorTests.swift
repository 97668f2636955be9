import Testing
import TrocClient
import TrocCore

/// A broker's problem documents arrive as `ClientError.problem` with the category `troc`'s exit codes follow.
@Suite struct ClientErrorTests {
    @Test func problemsFromARealBrokerFallIntoTheirCategories() async throws {
        let live = try await LiveBroker.make()
        defer { live.remove() }
        try await live.serve { connect, operatorClient in
            let stranger = try connect("troc_not-a-real-token")
            defer { Task { await stranger.shutdown() } }
            await Self.expect(.authentication, status: 401) { _ = try await stranger.me() }
            // An id holding `/` stays one segment: the broker looks up that deal instead of routing to another operation.
            await Self.expect(.notFound, status: 404) { _ = try await operatorClient.deal("del_missing/cancel") }
            await Self.expect(.notFound, status: 404) { _ = try await operatorClient.file("..") }
            await Self.expect(.badInput, status: 400) {
                _ = try await operatorClient.createToken(NewToken(label: "too long", expiresInDays: 10_000))
            }
        }
    }

    @Test func anUnreachableBrokerIsItsOwnCategory() async throws {
        // Port 9 (discard) on this machine: nothing listens there in a test environment.
        let client = try TrocAPIClient(server: "http://127.0.0.1:9", token: nil, certificateAuthorityPEM: nil)
        await Self.expect(.unreachable, status: nil) { _ = try await client.me() }
        await client.shutdown()
    }

    @Test func statusesMapToCategories() {
        func category(_ status: Int) -> ClientError.Category {
            ClientError.problem(Problem(type: "about:blank", title: "X", status: status, detail: "d", code: "x")).category
        }
        #expect(category(401) == .authentication)
        #expect(category(403) == .authentication)
        #expect(category(404) == .notFound)
        #expect(category(410) == .notFound)
        #expect(category(409) == .conflict)
        #expect(category(400) == .badInput)
        #expect(category(413) == .badInput)
        #expect(category(500) == .server)
        #expect(category(503) == .server)
        #expect(ClientError.configuration("no profile").category == .usage)
        #expect(ClientError.unexpectedResponse("html").category == .server)
    }

    /// Runs `body`, expecting a `ClientError` of `category` (and, for a problem document, of `status`).
    static func expect(_ category: ClientError.Category, status: Int?, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected a \(category) failure")
        } catch let error as ClientError {
            #expect(error.category == category, "\(error)")
            if let status {
                guard case .problem(let problem) = error else {
                    Issue.record("expected a problem document, got \(error)")
                    return
                }
                #expect(problem.status == status)
            }
        } catch {
            Issue.record("expected a ClientError, got \(error)")
        }
    }
}
