import Foundation
import Logging
import NIOCore
import PostgresNIO
import TrocTestSupport

/// What the PostgreSQL tests do on the throwaway server (`TrocTestSupport.PostgresTestServer`): a database per test, and
/// connections to it.
extension PostgresTestServer {
    /// A logger quiet enough for test output.
    static let logger: Logger = {
        var logger = Logger(label: "troc.postgres.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// A new, empty database for one test.
    func makeDatabase() async throws -> TestDatabase {
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try await connect(database: "postgres")
        do {
            try await admin.query("CREATE DATABASE \(unescaped: name)", logger: Self.logger)
        } catch {
            try? await admin.close()
            throw error
        }
        try await admin.close()
        return TestDatabase(server: self, name: name)
    }

    /// A connection to `database`.
    func connect(database: String) async throws -> PostgresConnection {
        try await PostgresConnection.connect(
            configuration: .init(unixSocketPath: socketPath, username: user, password: nil, database: database), id: 1, logger: Self.logger)
    }
}

/// One test's database on the shared server.
struct TestDatabase: Sendable {
    /// The server.
    let server: PostgresTestServer
    /// The database's name.
    let name: String

    /// A new connection, as a separate instance of `trocd` would have.
    func connect() async throws -> PostgresConnection {
        try await server.connect(database: name)
    }

    /// Runs `body` with `count` separate connections, closing them afterwards.
    func withConnections<Result: Sendable>(_ count: Int, _ body: ([PostgresConnection]) async throws -> Result) async throws -> Result {
        var connections: [PostgresConnection] = []
        do {
            for _ in 0..<count { connections.append(try await connect()) }
            let result = try await body(connections)
            for connection in connections { try await connection.close() }
            return result
        } catch {
            for connection in connections { try? await connection.close() }
            throw error
        }
    }
}
