import Foundation
import PostgresNIO
import Testing
import TrocCore
import TrocPostgres
import TrocStore
import TrocTestSupport

extension PostgresTests {
    /// Invoice numbers stay gapless and unique when several instances release at once and some releases fail.
    @Suite struct InvoiceNumberingTests {
        /// Why a release's transaction rolls back after its number was allocated.
        struct ReleaseFailed: Error {}

        static let series = InvoiceSeries.commission(brokerSIREN: "912345674", prefix: "TR")
        static let issueDate = CivilDate(year: 2026, month: 3, day: 2)!

        @Test("six instances numbering 60 invoices at once, every third rolled back: the committed numbers are 1…40, no gap, no duplicate")
        func concurrentAllocations() async throws {
            let database = try await PostgresTests.migratedDatabase()
            let instances = 6
            let attemptsEach = 10
            let committed = try await database.withConnections(instances) { connections in
                try await PostgresFixtures.insertPartners(connections[0])
                return try await withThrowingTaskGroup(of: [String].self) { group in
                    for (instance, connection) in connections.enumerated() {
                        group.addTask {
                            var numbers: [String] = []
                            for attempt in 0..<attemptsEach {
                                do {
                                    let number = try await connection.transaction(logger: PostgresTestServer.logger) { connection in
                                        try await Self.issue(on: connection, failing: (instance * attemptsEach + attempt) % 3 == 2)
                                    }
                                    numbers.append(number)
                                } catch is ReleaseFailed {}
                            }
                            return numbers
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
            }
            let expected = (1...(instances * attemptsEach * 2 / 3)).map { try! InvoiceNumber(prefix: "TR", year: 2026, sequence: $0).text }
            #expect(committed.sorted() == expected)
            let stored = try await database.withConnections(1) { connections in
                var stored: [Int] = []
                let rows = try await connections[0].query(#"SELECT "sequence" FROM "invoice" ORDER BY "sequence""#, logger: PostgresTestServer.logger)
                for try await sequence in rows.decode(Int.self) { stored.append(sequence) }
                return stored
            }
            #expect(stored == Array(1...expected.count))
        }

        @Test("a number out of turn is refused by the schema itself, with SQLite's message")
        func gapRefused() async throws {
            let database = try await PostgresTests.migratedDatabase()
            try await database.withConnections(1) { connections in
                try await PostgresFixtures.insertPartners(connections[0])
                _ = try await connections[0].transaction(logger: PostgresTestServer.logger) { try await Self.issue(on: $0, failing: false) }
                let error = await #expect(throws: (any Error).self) {
                    try await Self.insertInvoice(try InvoiceNumber(prefix: "TR", year: 2026, sequence: 3), on: connections[0])
                }
                #expect(
                    error.flatMap(PostgresFixtures.serverError)?.message == "an invoice takes the number right after the last of its series and year")
            }
        }

        /// Allocates a number and writes its commission invoice in the caller's transaction, then fails if asked to,
        /// as a release whose later step fails.
        static func issue(on connection: PostgresConnection, failing: Bool) async throws -> String {
            let number = try await PostgresInvoiceNumbering.allocate(series, issueDate: issueDate, on: connection, logger: PostgresTestServer.logger)
            try await insertInvoice(number, on: connection)
            if failing { throw ReleaseFailed() }
            return number.text
        }

        /// The invoice row of `number`: the broker's commission billed to the proposer.
        static func insertInvoice(_ number: InvoiceNumber, on connection: PostgresConnection) async throws {
            try await connection.query(
                #"""
                INSERT INTO "invoice" ("number", "seriesPrefix", "issuerID", "year", "sequence", "kind", "purpose", "buyerID", "issueDate",
                    "netCents", "vatCents", "grossCents", "document", "createdAt")
                VALUES (\#(number.text), \#(series.prefix), \#(series.issuerID), \#(number.year), \#(number.sequence), 'invoice', 'commission',
                    \#(PostgresFixtures.proposerID), \#(issueDate.iso8601), 1000, 200, 1200, \#("{\"number\":\"\(number.text)\"}"), 1772409600)
                """#, logger: PostgresTestServer.logger)
        }
    }
}
