import Crypto
import Foundation
import GRDB
import Testing
import TrocCore
import TrocStore

/// Audit entries record the client's address (migration `v9-audit-client-address`) without breaking the chain through the entries
/// written before it, and the address is as tamper-evident as the rest of an entry.
@Suite struct AuditClientAddressTests {
    static let keyBytes = [UInt8](repeating: 0x5A, count: 32)
    let directory: TemporaryDirectory
    let path: String
    let database: AppDatabase
    let actor = AuditActor(userID: nil, role: nil, organisationID: nil, clientAddress: "203.0.113.7")

    init() throws {
        directory = try TemporaryDirectory()
        path = directory.appending("troc.sqlite")
        database = try AppDatabase.openOnDisk(at: path).withAuditKey(try AuditKey(bytes: Self.keyBytes))
    }

    /// Raw access to the database file, as someone with a shell on the machine.
    func raw(_ body: (Database) throws -> Void) throws {
        try DatabaseQueue(path: path).write(body)
    }

    /// The entry MAC as `AuditChain`'s documentation specifies it, computed independently of the store.
    static func specifiedMAC(of entry: AuditRecord) -> Data {
        var bytes = [UInt8](entry.previous) + Array("troc/v1/audit-entry".utf8) + [0]
        for value in [UInt64(bitPattern: entry.seq), UInt64(bitPattern: Int64(entry.at.timeIntervalSince1970))] {
            bytes += (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> UInt64($0 * 8)) }
        }
        var fields = [entry.actorUserID, entry.actorRole?.rawValue, entry.organisationID, entry.dealID, entry.action, entry.detail, entry.reason].map
        {
            $0.map { Array($0.utf8) }
        }
        if let address = entry.clientAddress {
            let digest = HMAC<SHA256>.authenticationCode(
                for: Array("troc/v1/audit-client-address".utf8) + [0] + Array(address.utf8), using: SymmetricKey(data: keyBytes))
            fields.append(Array(digest))
        }
        for field in fields {
            guard let field else {
                bytes.append(0)
                continue
            }
            bytes += [1] + (0..<4).reversed().map { UInt8(truncatingIfNeeded: UInt32(field.count) >> UInt32($0 * 8)) } + field
        }
        return Data(HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: keyBytes)))
    }

    @Test("an entry without an address keeps the MAC of the original encoding; one with an address appends its keyed digest")
    func encoding() throws {
        _ = try database.recordAudit(AuditDraft(action: .settingsUpdate, actor: .system, reason: "before"), now: Dates.at(1))
        _ = try database.recordAudit(AuditDraft(action: .tokenRevoke, actor: actor, detail: ["token": "tok_x"]), now: Dates.at(2))
        let entries = try database.auditEntries()
        #expect(entries.map(\.clientAddress) == [nil, "203.0.113.7"])
        for entry in entries { #expect(entry.mac == Self.specifiedMAC(of: entry), "entry \(entry.seq)") }
        #expect(try database.verifyAudit(key: try AuditKey(bytes: Self.keyBytes)).isIntact)
    }

    @Test("entries written before v9-audit-client-address still verify after it, chained to the entries that record an address")
    func upgrade() throws {
        for second in 1...3 {
            _ = try database.recordAudit(AuditDraft(action: .settingsUpdate, actor: .system, reason: "old \(second)"), now: Dates.at(Double(second)))
        }
        // The database as the previous release left it: no column, no migration recorded.
        try raw { db in
            try db.execute(sql: "ALTER TABLE audit DROP COLUMN clientAddress")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v9-audit-client-address'")
        }
        let upgraded = try AppDatabase.openOnDisk(at: path).withAuditKey(try AuditKey(bytes: Self.keyBytes))
        _ = try upgraded.recordAudit(AuditDraft(action: .tokenRevoke, actor: actor), now: Dates.at(10))
        let verification = try upgraded.verifyAudit(key: try AuditKey(bytes: Self.keyBytes))
        #expect(verification.isIntact && verification.entryCount == 4, "\(String(describing: verification.damage))")
        #expect(try upgraded.auditEntries().map(\.clientAddress) == [nil, nil, nil, "203.0.113.7"])
    }

    @Test("changing or erasing a recorded address is found at that entry")
    func tampering() throws {
        for second in 1...3 { _ = try database.recordAudit(AuditDraft(action: .tokenRevoke, actor: actor), now: Dates.at(Double(second))) }
        let key = try AuditKey(bytes: Self.keyBytes)
        try raw { db in
            try db.execute(sql: "DROP TRIGGER audit_append_only_update")
            try db.execute(sql: "UPDATE audit SET clientAddress = '198.51.100.1' WHERE seq = 2")
        }
        #expect(try database.verifyAudit(key: key).damage == AuditDamage(seq: 2, kind: .edited))
        try raw { db in try db.execute(sql: "UPDATE audit SET clientAddress = '203.0.113.7' WHERE seq = 2") }
        #expect(try database.verifyAudit(key: key).isIntact)
        try raw { db in try db.execute(sql: "UPDATE audit SET clientAddress = NULL WHERE seq = 3") }
        #expect(try database.verifyAudit(key: key).damage == AuditDamage(seq: 3, kind: .edited))
    }

    @Test("the schema refuses text that cannot be an address (case, letters, markup, length), and edits of a recorded one")
    func schema() throws {
        _ = try database.recordAudit(AuditDraft(action: .tokenRevoke, actor: actor), now: Dates.at(1))
        for bad in ["", "x", "2001:DB8::1", "fe80::1%eth0", "<script>", "10.0.0.1\n", String(repeating: "1", count: 46)] {
            let code = constraintCode {
                try raw { db in
                    try db.execute(
                        sql:
                            "INSERT INTO audit (seq, at, action, detail, previous, mac, clientAddress) VALUES (2, 0, 'token.revoke', '{}', zeroblob(32), zeroblob(32), ?)",
                        arguments: [bad])
                }
            }
            #expect(code == .SQLITE_CONSTRAINT_CHECK, "\(bad)")
        }
        #expect(
            constraintCode { try raw { try $0.execute(sql: "UPDATE audit SET clientAddress = '10.0.0.1' WHERE seq = 1") } }
                == .SQLITE_CONSTRAINT_TRIGGER)
    }
}
