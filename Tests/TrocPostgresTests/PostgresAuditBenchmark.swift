import Foundation
import PostgresNIO
import Testing
import TrocPostgres
import TrocStore
import TrocTestSupport

extension PostgresTests {
    /// Audit appends per second with 1 and 4 concurrent appenders: a figure for the README, not a test (it asserts no timing).
    @Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["TROC_POSTGRES_BENCH"] == "1", "set TROC_POSTGRES_BENCH=1 to run"))
    struct AuditBenchmark {
        /// Entries each run appends in all.
        static let total = 2000

        @Test("audit appends per second, 1 and 4 appenders (TROC_POSTGRES_BENCH=1)", arguments: [1, 4])
        func appendsPerSecond(appenders: Int) async throws {
            let database = try await PostgresTests.migratedDatabase()
            let elapsed = try await database.withConnections(appenders) { connections in
                let clock = ContinuousClock()
                return try await clock.measure {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for connection in connections {
                            group.addTask {
                                for index in 0..<(Self.total / appenders) {
                                    try await connection.transaction(logger: PostgresTestServer.logger) { connection in
                                        try await PostgresAuditTrail.append(
                                            AuditDraft(
                                                action: .settingsUpdate, actor: PostgresFixtures.operatorActor,
                                                detail: ["index": .integer(Int64(index))]),
                                            key: PostgresFixtures.auditKey, now: .now, on: connection, logger: PostgresTestServer.logger)
                                    }
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print(
                "PostgreSQL audit appends, \(appenders) appender(s): \(Self.total) in \(String(format: "%.2f", seconds)) s = \(Int(Double(Self.total) / seconds))/s"
            )
            let verification = try await database.withConnections(1) { connections in
                try await PostgresAuditTrail.verify(key: PostgresFixtures.auditKey, on: connections[0], logger: PostgresTestServer.logger)
            }
            #expect(verification.isIntact && verification.entryCount == Self.total)
        }
    }
}
