import Crypto
import Foundation
import GRDB
import Testing
import TrocCore
import TrocStore

/// The audit trail is chained by HMAC, and every kind of tampering is found where it happened.
@Suite struct AuditTests {
    let world: DealWorld

    init() throws {
        world = try DealWorld()
        for index in 1...10 {
            _ = try world.database.recordAudit(
                AuditDraft(
                    action: .tokenRevoke, actor: world.operatorActor, organisationID: world.windows.id, detail: ["index": .integer(Int64(index))],
                    reason: index.isMultiple(of: 3) ? "lost laptop" : nil), now: Dates.at(TimeInterval(index)))
        }
    }

    /// Drops the append-only triggers and runs `sql`, as someone with the database file could.
    func tamper(_ sql: String, arguments: StatementArguments = []) throws {
        try world.raw { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_append_only_update; DROP TRIGGER IF EXISTS audit_append_only_delete")
            try db.execute(sql: sql, arguments: arguments)
        }
    }

    @Test("a clean trail verifies, entries read back in order, and a detail holds only what was recorded")
    func clean() throws {
        let verification = try world.database.verifyAudit(key: world.auditKey)
        #expect(verification.isIntact)
        #expect(verification.entryCount == 10)
        #expect(verification.headMAC?.count == 32)
        let entries = try world.database.auditEntries(limit: 4, afterSeq: 2)
        #expect(entries.map(\.seq) == [3, 4, 5, 6])
        #expect(entries[0].reason == "lost laptop")
        #expect(entries[0].actorRole == .operator)
        #expect(entries[0].at == Dates.at(3))
        #expect(try entries[0].decodedDetail() == ["index": 3])
        #expect(entries[0].detail == #"{"index":3}"#)
        let first = try #require(try world.database.auditEntries(limit: 1).first)
        #expect(first.previous == Data(repeating: 0, count: 32))
    }

    @Test("editing an entry's detail is found at that entry")
    func edited() throws {
        try tamper(#"UPDATE audit SET detail = '{"index":40}' WHERE seq = 4"#)
        #expect(try world.database.verifyAudit(key: world.auditKey).damage == AuditDamage(seq: 4, kind: .edited))
    }

    @Test("editing an entry's actor or date is found too")
    func editedOtherFields() throws {
        try tamper("UPDATE audit SET actorUserID = NULL, actorRole = NULL WHERE seq = 2")
        #expect(try world.database.verifyAudit(key: world.auditKey).damage == AuditDamage(seq: 2, kind: .edited))
    }

    @Test("deleting an entry is found as the missing sequence number")
    func removed() throws {
        try tamper("DELETE FROM audit WHERE seq = 6")
        #expect(try world.database.verifyAudit(key: world.auditKey).damage == AuditDamage(seq: 6, kind: .missing))
    }

    @Test("swapping two entries' content is found as a reordering at the first of them")
    func swapped() throws {
        try tamper(
            """
            CREATE TEMP TABLE swap AS SELECT * FROM audit WHERE seq IN (3, 7);
            UPDATE audit SET (at, actorUserID, actorRole, organisationID, dealID, action, detail, reason, previous, mac) = (
                SELECT at, actorUserID, actorRole, organisationID, dealID, action, detail, reason, previous, mac FROM swap
                WHERE swap.seq = CASE audit.seq WHEN 3 THEN 7 ELSE 3 END)
            WHERE seq IN (3, 7)
            """)
        #expect(try world.database.verifyAudit(key: world.auditKey).damage == AuditDamage(seq: 3, kind: .reordered))
    }

    @Test("deleting the last entries is found by the head, and the trail is not extended past the damage")
    func truncated() throws {
        try tamper("DELETE FROM audit WHERE seq > 8")
        #expect(try world.database.verifyAudit(key: world.auditKey).damage == AuditDamage(seq: 9, kind: .truncated))
        #expect(
            storeError { try world.database.recordAudit(AuditDraft(action: .fileUpload, actor: .system), now: Dates.at(20)) }
                == .auditTrailDamaged(AuditDamage(seq: 9, kind: .truncated)))
    }

    @Test("deleting the tail and the head together is found as a missing head")
    func headRemoved() throws {
        try tamper("DROP TRIGGER audit_head_kept; DELETE FROM audit_head; DELETE FROM audit WHERE seq > 8")
        #expect(try world.database.verifyAudit(key: world.auditKey).damage == AuditDamage(seq: 8, kind: .headAltered))
    }

    @Test("a head forged to hide a removed tail does not verify")
    func headForged() throws {
        try tamper(
            """
            DROP TRIGGER audit_head_forward;
            DELETE FROM audit WHERE seq > 8;
            UPDATE audit_head SET count = 8, lastMAC = (SELECT mac FROM audit WHERE seq = 8)
            """)
        #expect(try world.database.verifyAudit(key: world.auditKey).damage == AuditDamage(seq: 8, kind: .headAltered))
    }

    @Test("another key verifies nothing, and is told apart from an edit")
    func wrongKey() throws {
        let other = try AuditKey(SymmetricKey(size: .bits256))
        #expect(try world.database.verifyAudit(key: other).damage == AuditDamage(seq: 1, kind: .wrongKey))
        let handle = try AppDatabase(try #require(world.queue)).withAuditKey(other)
        #expect(
            storeError { try handle.recordAudit(AuditDraft(action: .fileUpload, actor: .system), now: Dates.at(20)) }
                == .auditTrailDamaged(AuditDamage(seq: 10, kind: .wrongKey)))
    }

    @Test("the schema keeps the trail append-only and refuses malformed entries")
    func appendOnly() throws {
        #expect(constraintCode { try world.raw { try $0.execute(sql: "UPDATE audit SET reason = 'x' WHERE seq = 1") } } == .SQLITE_CONSTRAINT_TRIGGER)
        #expect(constraintCode { try world.raw { try $0.execute(sql: "DELETE FROM audit WHERE seq = 10") } } == .SQLITE_CONSTRAINT_TRIGGER)
        #expect(constraintCode { try world.raw { try $0.execute(sql: "DELETE FROM audit_head") } } == .SQLITE_CONSTRAINT_TRIGGER)
        let insert = { (action: String, detail: String) in
            try world.raw { db in
                try db.execute(
                    sql: "INSERT INTO audit (seq, at, action, detail, previous, mac) VALUES (11, 0, ?, ?, zeroblob(32), zeroblob(32))",
                    arguments: [action, detail])
            }
        }
        #expect(constraintCode { try insert("Deal Approve", "{}") } == .SQLITE_CONSTRAINT_CHECK)
        #expect(constraintCode { try insert("deal.approve", "[1]") } == .SQLITE_CONSTRAINT_CHECK)
        #expect(try world.database.verifyAudit(key: world.auditKey).isIntact)
    }

    @Test("a handle without the audit key refuses audited writes, and a key must be 32 bytes")
    func keyRequired() throws {
        let handle = try AppDatabase.inMemory()
        #expect(storeError { try handle.recordAudit(AuditDraft(action: .fileUpload, actor: .system), now: Dates.start) } == .auditKeyMissing)
        #expect(throws: StoreError.self) { try AuditKey(bytes: [UInt8](repeating: 1, count: 16)) }
    }

    @Test("entries of one deal are listed with their transitions, in order")
    func dealEntries() throws {
        let deal = try world.approvedDeal()
        let actions = try world.database.auditEntries(dealID: deal.id).map(\.action)
        #expect(actions == ["deal.create", "deal.file.attach", "deal.file.attach", "deal.match", "deal.accept", "deal.accept", "deal.approve"])
        // 10 entries of the set-up, the settings, both firms' mandates, then the deal's 7.
        #expect(try world.database.verifyAudit(key: world.auditKey).entryCount == 20)
    }
}
