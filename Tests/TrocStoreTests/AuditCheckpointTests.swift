import Foundation
import GRDB
import Testing
import TrocCore

@testable import TrocStore

/// A head recorded off the machine catches what the chain alone cannot: someone holding the master key (hence the audit
/// key) who rewrites or shortens the trail and recomputes every MAC, or restores an older copy.
@Suite struct AuditCheckpointTests {
    let world: DealWorld

    init() throws {
        world = try DealWorld()
        for index in 1...10 { try record(index) }
    }

    /// Appends one entry, numbered `index` in its detail.
    func record(_ index: Int) throws {
        _ = try world.database.recordAudit(
            AuditDraft(action: .tokenRevoke, actor: world.operatorActor, detail: ["index": .integer(Int64(index))]),
            now: Dates.at(TimeInterval(index)))
    }

    /// The head as `trocd admin audit head` records it.
    func checkpoint() throws -> AuditCheckpoint {
        let verification = try world.database.verifyAudit(key: world.auditKey)
        #expect(verification.isIntact)
        return AuditCheckpoint(
            brokerOrganisationID: "org_aaaaaaaaaaaaaaaa", count: Int64(verification.entryCount), mac: try #require(verification.lastMAC),
            recordedAt: Dates.at(100))
    }

    /// What an attacker with the master key does after changing the trail: recompute every MAC from `seq` on, then the head.
    func rechain(from seq: Int64) throws {
        try world.raw { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_append_only_update; DROP TRIGGER IF EXISTS audit_head_forward")
            var previous = try Data.fetchOne(db, sql: "SELECT mac FROM audit WHERE seq = ?", arguments: [seq - 1]) ?? AuditChain.genesis
            for var entry in try AuditRecord.filter(AuditRecord.Columns.seq >= seq).order(AuditRecord.Columns.seq).fetchAll(db) {
                entry.previous = previous
                entry.mac = AuditChain.mac(of: entry, key: world.auditKey)
                try db.execute(sql: "UPDATE audit SET previous = ?, mac = ? WHERE seq = ?", arguments: [entry.previous, entry.mac, entry.seq])
                previous = entry.mac
            }
            let count = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit") ?? 0
            try db.execute(
                sql: "UPDATE audit_head SET count = ?, lastMAC = ?, mac = ? WHERE id = 1",
                arguments: [count, previous, AuditChain.headMAC(count: count, lastMAC: previous, key: world.auditKey)])
        }
    }

    @Test("a trail that grew since the head was recorded still extends it")
    func extended() throws {
        let head = try checkpoint()
        for index in 11...15 { try record(index) }
        let verification = try world.database.verifyAudit(key: world.auditKey, expecting: head)
        #expect(verification.isIntact && verification.entryCount == 15)
        #expect(try world.database.verifyAudit(key: world.auditKey, expecting: try checkpoint()).isIntact)
    }

    @Test("an entry rewritten and the chain recomputed verifies on its own, but not against the recorded head")
    func rewritten() throws {
        let head = try checkpoint()
        try world.raw { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_append_only_update")
            try db.execute(sql: #"UPDATE audit SET detail = '{"index":40}', reason = 'nothing happened' WHERE seq = 4"#)
        }
        try rechain(from: 4)
        #expect(try world.database.verifyAudit(key: world.auditKey).isIntact, "the rewrite must be invisible without the head")
        let damage = try world.database.verifyAudit(key: world.auditKey, expecting: head).damage
        #expect(damage == AuditDamage(seq: 10, kind: .rewritten))
        #expect(damage?.description.contains("rewritten") == true)
    }

    @Test("a trail cut short and re-headed, or an older copy restored, is refused against the recorded head")
    func rolledBack() throws {
        let head = try checkpoint()
        try world.raw { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_append_only_delete")
            try db.execute(sql: "DELETE FROM audit WHERE seq > 7")
        }
        try rechain(from: 8)
        #expect(try world.database.verifyAudit(key: world.auditKey).isIntact)
        let damage = try world.database.verifyAudit(key: world.auditKey, expecting: head).damage
        #expect(damage == AuditDamage(seq: 10, kind: .rolledBack))
        // Appending after the cut does not help: entry 10 is a new entry with another MAC.
        for index in 8...12 { try record(index + 100) }
        #expect(try world.database.verifyAudit(key: world.auditKey, expecting: head).damage == AuditDamage(seq: 10, kind: .rewritten))
    }

    @Test("the head's text form reads back, and a damaged file says which line is wrong")
    func textForm() throws {
        let head = try checkpoint()
        #expect(try AuditCheckpoint(text: head.text) == head)
        #expect(head.text.hasPrefix("troc-audit-head 1\n") && head.text.contains("count 10\n"))
        let lines = head.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func parse(_ change: (inout [String]) -> Void) -> AuditCheckpointError? {
            var edited = lines
            change(&edited)
            do {
                _ = try AuditCheckpoint(text: edited.joined(separator: "\n"))
                return nil
            } catch {
                return error
            }
        }
        let macLine = try #require(lines.firstIndex { $0.hasPrefix("mac ") })
        #expect(parse { $0[macLine] = "mac 12zz" }?.line == macLine + 1)
        #expect(parse { $0[0] = "troc-audit-head 2" }?.line == 1)
        #expect(parse { $0.removeAll { $0.hasPrefix("count ") } }?.description.contains("`count` is missing") == true)
        #expect(parse { $0.append("count 11") }?.description.contains("given twice") == true)
        #expect(parse { $0.append("colour blue") }?.line == lines.count + 1)
        #expect(throws: AuditCheckpointError.self) { try AuditCheckpoint(text: "") }
    }
}
