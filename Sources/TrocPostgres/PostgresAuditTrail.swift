package import Foundation
package import Logging
package import PostgresNIO
import TrocCore
package import TrocStore

/// The hash-chained audit trail in PostgreSQL, appended by any number of instances without a fork.
///
/// Entries and MACs are the SQLite trail's, byte for byte (`AuditRecord.init(draft:seq:previous:key:now:)` is the same
/// code `AppDatabase.appendAudit` runs), so one verifier accepts a trail from either backend. Appends serialise on the
/// head row (`SELECT … FOR UPDATE`): the second instance waits for the first to commit, then reads the head it left and
/// chains after it. The very first entry has no head row to lock yet, so it takes a transaction-level advisory lock.
package enum PostgresAuditTrail {
    /// The advisory lock key that orders the first appends (`troc-aud`).
    static let genesisLockKey: Int64 = 0x7472_6f63_2d61_7564

    /// Appends an entry inside the caller's transaction, so a change and its entry commit or fail together; refuses to
    /// extend a damaged head, as the SQLite backend does.
    @discardableResult
    package static func append(
        _ draft: AuditDraft, key: AuditKey, now: Date, on connection: PostgresConnection, logger: Logger
    ) async throws -> AuditRecord {
        var head = try await lockedHead(connection, logger: logger)
        if head == nil {
            try await connection.query("SELECT pg_advisory_xact_lock(\(genesisLockKey))", logger: logger)
            head = try await lockedHead(connection, logger: logger)
        }
        if let damage = try await headDamage(head, key: key, on: connection, logger: logger) { throw StoreError.auditTrailDamaged(damage) }
        let entry = try AuditRecord(
            draft: draft, seq: (head?.count ?? 0) + 1, previous: head?.lastMAC ?? AuditRecord.genesisMAC, key: key, now: now)
        try await connection.query(
            #"""
            INSERT INTO "audit" ("seq", "at", "actorUserID", "actorRole", "organisationID", "dealID", "action", "detail", "reason",
                "clientAddress", "previous", "mac")
            VALUES (\#(entry.seq), \#(Timestamp.seconds(entry.at)), \#(entry.actorUserID), \#(entry.actorRole?.rawValue),
                \#(entry.organisationID), \#(entry.dealID), \#(entry.action), \#(entry.detail), \#(entry.reason), \#(entry.clientAddress),
                \#(entry.previous), \#(entry.mac))
            """#, logger: logger)
        let headMAC = AuditRecord.headMAC(count: entry.seq, lastMAC: entry.mac, key: key)
        if head == nil {
            try await connection.query(
                #"INSERT INTO "audit_head" ("id", "count", "lastMAC", "mac") VALUES (1, \#(entry.seq), \#(entry.mac), \#(headMAC))"#,
                logger: logger)
        } else {
            try await connection.query(
                #"UPDATE "audit_head" SET "count" = \#(entry.seq), "lastMAC" = \#(entry.mac), "mac" = \#(headMAC) WHERE "id" = 1"#,
                logger: logger)
        }
        return entry
    }

    /// Walks the whole trail in one snapshot and reports the first damage, as `AppDatabase.verifyAudit` does: an edited,
    /// missing or moved entry, a removed tail, an altered head, or a key under which nothing verifies.
    package static func verify(
        key: AuditKey, expecting checkpoint: AuditCheckpoint? = nil, on connection: PostgresConnection, logger: Logger
    ) async throws -> AuditVerification {
        try await connection.transaction(logger: logger) { connection in
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            var entries: [AuditRecord] = []
            for try await entry in try await connection.query(#"SELECT \#(unescaped: columns) FROM "audit" ORDER BY "seq""#, logger: logger) {
                entries.append(try record(entry))
            }
            // The whole trail is in memory already, so a moved entry's link is looked up there.
            let macs = Set(entries.map(\.mac))
            var walk = AuditChainWalk(key: key, expecting: checkpoint)
            for entry in entries { walk.visit(entry) { macs.contains($0) } }
            return walk.verdict(head: try await self.head(connection, lock: false, logger: logger))
        }
    }

    /// Why the head cannot be extended, as `AppDatabase.appendAudit` judges it: its MAC, and that it counts and names the
    /// last entry (only that entry is read, so an append stays O(1)).
    private static func headDamage(
        _ head: (count: Int64, lastMAC: Data, mac: Data)?, key: AuditKey, on connection: PostgresConnection, logger: Logger
    ) async throws -> AuditDamage? {
        var last: AuditRecord?
        for try await row in try await connection.query(
            #"SELECT \#(unescaped: columns) FROM "audit" ORDER BY "seq" DESC LIMIT 1"#, logger: logger)
        {
            last = try record(row)
        }
        return AuditChainWalk.headDamage(head, last: last, key: key)
    }

    /// Every entry, oldest first (for a copy into another store, or an auditor's export).
    package static func entries(on connection: PostgresConnection, logger: Logger) async throws -> [AuditRecord] {
        var entries: [AuditRecord] = []
        for try await row in try await connection.query(#"SELECT \#(unescaped: columns) FROM "audit" ORDER BY "seq""#, logger: logger) {
            entries.append(try record(row))
        }
        return entries
    }

    /// Entries after `afterSeq`, oldest first, at most `limit`, optionally of one deal (`AuditStore.auditEntries`).
    package static func entries(
        dealID: String?, after afterSeq: Int64, limit: Int, on connection: PostgresConnection, logger: Logger
    ) async throws -> [AuditRecord] {
        let rows =
            if let dealID {
                try await connection.query(
                    #"SELECT \#(unescaped: columns) FROM "audit" WHERE "seq" > \#(afterSeq) AND "dealID" = \#(dealID) ORDER BY "seq" LIMIT \#(limit)"#,
                    logger: logger)
            } else {
                try await connection.query(
                    #"SELECT \#(unescaped: columns) FROM "audit" WHERE "seq" > \#(afterSeq) ORDER BY "seq" LIMIT \#(limit)"#, logger: logger)
            }
        var entries: [AuditRecord] = []
        for try await row in rows { entries.append(try record(row)) }
        return entries
    }

    /// The columns `record(_:)` decodes, in its order.
    static let columns =
        #""seq", "at", "actorUserID", "actorRole", "organisationID", "dealID", "action", "detail", "reason", "clientAddress", "previous", "mac""#

    /// An entry from a row of `columns`.
    static func record(_ row: PostgresRow) throws -> AuditRecord {
        let (seq, at, actorUserID, actorRole, organisationID, dealID, action, detail, reason, clientAddress, previous, mac) = try row.decode(
            (Int64, Int64, String?, String?, String?, String?, String, String, String?, String?, Data, Data).self)
        return AuditRecord.stored(
            seq: seq, at: Date(timeIntervalSince1970: TimeInterval(at)), actorUserID: actorUserID, actorRole: actorRole.flatMap(Role.init(rawValue:)),
            organisationID: organisationID, dealID: dealID, action: action, detail: detail, reason: reason, clientAddress: clientAddress,
            previous: previous, mac: mac)
    }

    /// The head row, locked against other appenders until the transaction ends.
    private static func lockedHead(_ connection: PostgresConnection, logger: Logger) async throws -> (count: Int64, lastMAC: Data, mac: Data)? {
        try await head(connection, lock: true, logger: logger)
    }

    /// The head row, optionally locked FOR UPDATE.
    private static func head(_ connection: PostgresConnection, lock: Bool, logger: Logger) async throws -> (count: Int64, lastMAC: Data, mac: Data)? {
        let rows = try await connection.query(
            #"SELECT "count", "lastMAC", "mac" FROM "audit_head" WHERE "id" = 1 \#(unescaped: lock ? "FOR UPDATE" : "")"#, logger: logger)
        for try await (count, lastMAC, mac) in rows.decode((Int64, Data, Data).self) { return (count, lastMAC, mac) }
        return nil
    }
}
