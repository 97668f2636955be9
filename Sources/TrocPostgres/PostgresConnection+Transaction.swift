package import Logging
package import PostgresNIO

extension PostgresConnection {
    /// Runs `body` in one transaction: COMMIT when it returns, ROLLBACK when it throws, with the error rethrown as thrown
    /// (postgres-nio's `withTransaction` wraps it), so callers can tell a refused transition from a broken connection.
    @discardableResult
    package func transaction<Result: Sendable>(logger: Logger, _ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await query("BEGIN", logger: logger)
        let result: Result
        do {
            result = try await body(self)
        } catch {
            // The body's error is the one worth reporting; a ROLLBACK that fails means the connection is gone, which
            // ends the transaction all the same.
            _ = try? await query("ROLLBACK", logger: logger)
            throw error
        }
        try await query("COMMIT", logger: logger)
        return result
    }
}
