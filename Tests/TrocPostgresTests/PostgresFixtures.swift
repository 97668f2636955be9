import Foundation
import PostgresNIO
import TrocCore
import TrocStore
import TrocTestSupport

/// Rows the tests build on, written with the schema's own rules (partner organisations, a deal moved through its states).
enum PostgresFixtures {
    /// The two partner firms of the sample deal.
    static let proposerID = "org_aaaaaaaaaaaaaaaa"
    /// The other party.
    static let partnerID = "org_bbbbbbbbbbbbbbbb"
    /// The operator who acts in the audit entries.
    static let operatorActor = AuditActor(userID: "usr_cccccccccccccccc", role: .operator, organisationID: "org_dddddddddddddddd")
    /// The audit key the tests chain with.
    static let auditKey: AuditKey = {
        do { return try AuditKey(bytes: (0..<32).map { UInt8($0 * 7 % 256) }) } catch { fatalError("a 32-byte key is valid: \(error)") }
    }()

    /// Inserts the two partner organisations (real SIRENs of the sample firms' shape, NAF rév. 2 codes).
    static func insertPartners(_ connection: PostgresConnection) async throws {
        for (id, name, siren) in [(proposerID, "Chauffage Durand", "552100554"), (partnerID, "Isolation Martin", "732829320")] {
            try await connection.query(
                #"""
                INSERT INTO "organisation" ("id", "kind", "name", "siren", "nafCode", "street", "postcode", "city", "countryCode", "createdAt")
                VALUES (\#(id), 'partner', \#(name), \#(siren), '43.22B', '1 rue de la Paix', '75002', 'Paris', 'FR', 1767225600)
                """#, logger: PostgresTestServer.logger)
        }
    }

    /// Inserts deal `id` between the two partners and moves it awaiting-files → matched → accepted, as the lifecycle allows.
    static func insertAcceptedDeal(_ id: String, _ connection: PostgresConnection) async throws {
        try await connection.query(
            #"""
            INSERT INTO "deal" ("id", "state", "proposerID", "partnerID", "pricePer1000Cents", "policy", "verdict", "retentionMonths",
                "createdAt", "updatedAt", "expiresAt")
            VALUES (\#(id), 'awaiting-files', \#(proposerID), \#(partnerID), 5000, 'equal-count', '{"kind":"complementary"}', 12,
                1767225600, 1767225600, 1769817600)
            """#, logger: PostgresTestServer.logger)
        try await connection.query(
            #"UPDATE "deal" SET "state" = 'matched', "reportJSON" = '{}' WHERE "id" = \#(id)"#, logger: PostgresTestServer.logger)
        try await connection.query(#"UPDATE "deal" SET "state" = 'accepted' WHERE "id" = \#(id)"#, logger: PostgresTestServer.logger)
    }

    /// The SQLSTATE and message of a PostgreSQL error, or nil for another error.
    static func serverError(_ error: any Error) -> (state: String, message: String)? {
        guard let error = error as? PSQLError, let info = error.serverInfo else { return nil }
        return (info[.sqlState] ?? "", info[.message] ?? "")
    }
}
