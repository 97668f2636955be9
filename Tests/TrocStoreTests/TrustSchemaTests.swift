import Foundation
import GRDB
import Testing
import TrocCore
import TrocCrypto

@testable import TrocStore

/// The account rules hold in the schema itself, whatever writes to it, and `v4-trust-accounts` carries existing data over.
@Suite struct TrustSchemaTests {
    let world: DealWorld
    let key = EnvelopePrivateKey.generate().publicKey

    init() throws {
        world = try DealWorld()
        _ = try world.database.registerFirstPublicKey(organisationID: world.windows.id, publicKey: key, actor: world.windowsActor, now: Dates.start)
    }

    @Test("a registered key is replaced only by an approved change's key, whatever writes to the database")
    func keyReplacedOnlyByApprovedChange() throws {
        let other = EnvelopePrivateKey.generate().publicKey
        #expect(
            constraintCode {
                try world.raw { db in
                    try db.execute(
                        sql: "UPDATE organisation SET publicKeyPEM = ?, publicKeyFingerprint = ? WHERE id = ?",
                        arguments: [other.pemText, other.fingerprint, world.windows.id])
                }
            } == .SQLITE_CONSTRAINT_TRIGGER)
        #expect(
            constraintCode {
                try world.raw {
                    try $0.execute(
                        sql: "UPDATE organisation SET publicKeyPEM = NULL, publicKeyFingerprint = NULL WHERE id = ?", arguments: [world.windows.id])
                }
            } == .SQLITE_CONSTRAINT_TRIGGER)
        // A requested change is not enough; approved, it is.
        let change = try world.database.requestKeyChange(
            organisationID: world.windows.id, publicKey: other, note: nil, actor: world.windowsActor, now: Dates.at(1))
        #expect(
            constraintCode {
                try world.raw {
                    try $0.execute(
                        sql: "UPDATE organisation SET publicKeyPEM = ?, publicKeyFingerprint = ? WHERE id = ?",
                        arguments: [other.pemText, other.fingerprint, world.windows.id])
                }
            } == .SQLITE_CONSTRAINT_TRIGGER)
        _ = try world.database.approveKeyChange(
            id: change.id, confirmedFingerprint: other.fingerprint, reason: nil, actor: world.operatorActor, now: Dates.at(2))
        #expect(try world.database.settleKeyChanges(now: Dates.at(2 + 24 * 3600 - 1)).isEmpty)
        #expect(try world.database.settleKeyChanges(now: Dates.at(2 + 24 * 3600)).map(\.id) == [change.id])
        #expect(try world.database.organisation(id: world.windows.id)?.publicKeyFingerprint == other.fingerprint)
    }

    @Test("the key-change delay is a setting within 1 to 720 hours, audited, and approvals use the one in force")
    func keyChangeDelaySetting() throws {
        var tooLong = SettingsChange()
        tooLong.keyChangeDelayHours = 721
        #expect(
            storeError { try world.database.updateSettings(tooLong, actor: world.operatorActor, now: Dates.start) }
                == .invalidField(field: "keyChangeDelayHours", value: "721", reason: "must be 1 to 720 hours"))
        var twoDays = SettingsChange()
        twoDays.keyChangeDelayHours = 48
        #expect(
            try world.database.updateSettings(twoDays, reason: "holidays", actor: world.operatorActor, now: Dates.start).keyChangeDelayHours == 48)
        let other = EnvelopePrivateKey.generate().publicKey
        let change = try world.database.requestKeyChange(
            organisationID: world.windows.id, publicKey: other, note: nil, actor: world.windowsActor, now: Dates.at(1))
        let approved = try world.database.approveKeyChange(
            id: change.id, confirmedFingerprint: other.fingerprint, reason: nil, actor: world.operatorActor, now: Dates.at(10))
        #expect(approved.effectiveAt == Dates.at(10 + 48 * 3600))
        let audited = try world.database.auditEntries(limit: 1000).filter { $0.action == "settings.update" }
        #expect(try audited.last?.decodedDetail()["changes"] == ["keyChangeDelayHours": ["before": 24, "after": 48]])
    }

    @Test("a key change is requested by a partner of the firm, decided by an operator, one open at a time, never deleted")
    func keyChangeRules() throws {
        let other = EnvelopePrivateKey.generate().publicKey
        let change = try world.database.requestKeyChange(
            organisationID: world.windows.id, publicKey: other, note: nil, actor: world.windowsActor, now: Dates.at(1))
        #expect(
            storeError {
                try world.database.requestKeyChange(
                    organisationID: world.windows.id, publicKey: EnvelopePrivateKey.generate().publicKey, note: nil, actor: world.windowsActor,
                    now: Dates.at(2))
            } == .account(.keyChangeOpen(id: change.id, state: .requested)))
        #expect(
            storeError {
                try world.database.requestKeyChange(
                    organisationID: world.windows.id, publicKey: other, note: nil, actor: world.heatingActor, now: Dates.at(2))
            } == .organisationNotFound(id: world.windows.id))
        #expect(
            storeError {
                try world.database.requestKeyChange(
                    organisationID: world.heating.id, publicKey: other, note: nil, actor: world.heatingActor, now: Dates.at(2))
            } == .account(.keyNotRegistered(organisationID: world.heating.id)))
        // Straight to SQL: a second open change, a partner deciding, a removal.
        #expect(
            constraintCode {
                try world.raw { db in
                    try db.execute(
                        sql: """
                            INSERT INTO key_change (id, organisationID, state, oldFingerprint, newPublicKeyPEM, newFingerprint, requestedByUserID, requestedAt)
                            SELECT 'kch_bbbbbbbbbbbbbbbb', organisationID, state, oldFingerprint, newPublicKeyPEM, 'x', requestedByUserID, requestedAt
                            FROM key_change WHERE id = ?
                            """, arguments: [change.id])
                }
            } == .SQLITE_CONSTRAINT_UNIQUE)
        #expect(
            constraintCode {
                try world.raw { db in
                    try db.execute(
                        sql: "UPDATE key_change SET state = 'approved', decidedByUserID = ?, decidedAt = 2, effectiveAt = 3 WHERE id = ?",
                        arguments: [world.windowsActor.userID, change.id])
                }
            } == .SQLITE_CONSTRAINT_TRIGGER)
        #expect(
            constraintCode { try world.raw { try $0.execute(sql: "DELETE FROM key_change WHERE id = ?", arguments: [change.id]) } }
                == .SQLITE_CONSTRAINT_TRIGGER)
        #expect(
            constraintCode { try world.raw { try $0.execute(sql: "UPDATE key_change SET state = 'effective' WHERE id = ?", arguments: [change.id]) } }
                == .SQLITE_CONSTRAINT_TRIGGER)
    }

    @Test("a delivery is bound to its recipient's key once; a recipient without a key downloads nothing and nothing is counted")
    func deliveryKeyBinding() throws {
        let (_, deliveries) = try world.releasedDeal()
        let toWindows = try #require(deliveries.first { $0.recipientID == world.windows.id })
        let toHeating = try #require(deliveries.first { $0.recipientID == world.heating.id })
        #expect(toWindows.recipientKeyFingerprint == key.fingerprint && toWindows.recipientKeyPEM == key.pemText)
        #expect(toHeating.recipientKeyFingerprint == nil)
        #expect(
            storeError { try world.database.claimDownload(deliveryID: toHeating.id, actor: world.heatingActor, now: Dates.at(10)) }
                == .account(.deliveryKeyMissing(organisationID: world.heating.id)))
        #expect(try world.database.delivery(id: toHeating.id)?.downloadsRemaining == 3)
        let other = EnvelopePrivateKey.generate().publicKey
        #expect(
            constraintCode {
                try world.raw { db in
                    try db.execute(
                        sql: "UPDATE delivery SET recipientKeyPEM = ?, recipientKeyFingerprint = ? WHERE id = ?",
                        arguments: [other.pemText, other.fingerprint, toWindows.id])
                }
            } == .SQLITE_CONSTRAINT_TRIGGER)
        #expect(
            constraintCode {
                try world.raw { db in
                    try db.execute(
                        sql: "UPDATE delivery SET recipientKeyPEM = ?, recipientKeyFingerprint = ? WHERE id = ?",
                        arguments: [other.pemText, other.fingerprint, toHeating.id])
                }
            } == .SQLITE_CONSTRAINT_TRIGGER)
        // The heating firm's first key binds its delivery at its first download.
        let heatingKey = EnvelopePrivateKey.generate().publicKey
        _ = try world.database.registerFirstPublicKey(
            organisationID: world.heating.id, publicKey: heatingKey, actor: world.heatingActor, now: Dates.at(11))
        let claimed = try world.database.claimDownload(deliveryID: toHeating.id, actor: world.heatingActor, now: Dates.at(12))
        #expect(claimed.delivery.recipientKeyFingerprint == heatingKey.fingerprint && claimed.delivery.downloadsRemaining == 2)
    }

    @Test("a token minted with a token expires no later, belongs to the same user, and a revoked token stays revoked")
    func tokenRules() throws {
        let parent = try world.database.issueToken(
            userID: try #require(world.windowsActor.userID), label: "p", expiresAt: Dates.at(100), now: Dates.start)
        let child = try world.database.mintToken(
            parentTokenID: parent.token.id, label: "c", expiresAt: Dates.at(1000), actor: world.windowsActor, now: Dates.at(1))
        #expect(child.token.expiresAt == Dates.at(100) && child.token.parentID == parent.token.id)
        #expect(
            storeError {
                try world.database.mintToken(
                    parentTokenID: parent.token.id, label: "c", expiresAt: Dates.at(50), actor: world.heatingActor, now: Dates.at(1))
            } == .tokenNotFound(id: parent.token.id))
        #expect(
            constraintCode {
                try world.raw { try $0.execute(sql: "UPDATE token SET expiresAt = 5000 WHERE id = ?", arguments: [child.token.id]) }
            } == .SQLITE_CONSTRAINT_TRIGGER)
        _ = try world.database.revokeToken(id: parent.token.id, actor: world.windowsActor, now: Dates.at(2))
        #expect(try world.database.tokens(userID: try #require(world.windowsActor.userID)).allSatisfy { $0.revokedAt == Dates.at(2) })
        #expect(
            constraintCode { try world.raw { try $0.execute(sql: "UPDATE token SET revokedAt = NULL WHERE id = ?", arguments: [child.token.id]) } }
                == .SQLITE_CONSTRAINT_TRIGGER)
        #expect(
            storeError {
                try world.database.mintToken(
                    parentTokenID: parent.token.id, label: "c", expiresAt: Dates.at(50), actor: world.windowsActor, now: Dates.at(3))
            } == .tokenRevoked(id: parent.token.id, revokedAt: Dates.at(2)))
    }

    @Test("the migration makes each firm's earliest enabled user its administrator and binds stored deliveries to their firm's key")
    func migrationCarriesDataOver() throws {
        let queue = try DatabaseQueue(configuration: AppDatabase.makeConfiguration())
        try AppDatabase.migrator.migrate(queue, upTo: "v3-invoices")
        let firmKey = EnvelopePrivateKey.generate().publicKey
        try queue.write { db in
            func organisation(_ id: String, kind: String, siren: String, key: EnvelopePublicKey?) throws {
                try db.execute(
                    sql: """
                        INSERT INTO organisation (id, kind, name, siren, nafCode, street, postcode, city, countryCode, publicKeyPEM, publicKeyFingerprint, createdAt)
                        VALUES (?, ?, 'Firm', ?, '43.32A', 'street', '75001', 'Paris', 'FR', ?, ?, 0)
                        """, arguments: [id, kind, siren, key?.pemText, key?.fingerprint])
            }
            try organisation("org_aaaaaaaaaaaaaaaa", kind: "partner", siren: Organisations.siren(31), key: firmKey)
            try organisation("org_bbbbbbbbbbbbbbbb", kind: "partner", siren: Organisations.siren(32), key: nil)
            for (id, organisationID, createdAt, disabledAt) in [
                ("usr_aaaaaaaaaaaaaaa2", "org_aaaaaaaaaaaaaaaa", 0, 5 as Int?), ("usr_aaaaaaaaaaaaaaa3", "org_aaaaaaaaaaaaaaaa", 1, nil),
                ("usr_aaaaaaaaaaaaaaa4", "org_aaaaaaaaaaaaaaaa", 2, nil), ("usr_bbbbbbbbbbbbbbb2", "org_bbbbbbbbbbbbbbbb", 1, nil),
            ] {
                try db.execute(
                    sql: "INSERT INTO user (id, organisationID, role, name, createdAt, disabledAt) VALUES (?, ?, 'partner', 'Someone', ?, ?)",
                    arguments: [id, organisationID, createdAt, disabledAt])
            }
            try db.execute(
                sql: """
                    INSERT INTO deal (id, state, proposerID, partnerID, pricePer1000Cents, policy, verdict, retentionMonths, createdAt, updatedAt, expiresAt)
                    VALUES ('del_aaaaaaaaaaaaaaaa', 'awaiting-files', 'org_aaaaaaaaaaaaaaaa', 'org_bbbbbbbbbbbbbbbb', 2500, 'all',
                            '{"kind": "complementary"}', 13, 0, 0, 100)
                    """)
            for state in ["matched", "accepted", "approved", "released"] {
                try db.execute(
                    sql:
                        "UPDATE deal SET state = ?, reportJSON = '{}', releasedAt = CASE ? WHEN 'released' THEN 1 END WHERE id = 'del_aaaaaaaaaaaaaaaa'",
                    arguments: [state, state])
            }
            for (blob, delivery, recipient, supplier) in [
                ("blb_aaaaaaaaaaaaaaaa", "dlv_aaaaaaaaaaaaaaaa", "org_aaaaaaaaaaaaaaaa", "org_bbbbbbbbbbbbbbbb"),
                ("blb_bbbbbbbbbbbbbbbb", "dlv_bbbbbbbbbbbbbbbb", "org_bbbbbbbbbbbbbbbb", "org_aaaaaaaaaaaaaaaa"),
            ] {
                let wrapped = Data([1] + [UInt8](repeating: 0xAB, count: 8) + [UInt8](repeating: 0, count: 60))
                try db.execute(
                    sql: """
                        INSERT INTO blob (id, wrappedKey, masterKeyID, plaintextByteCount, storedByteCount, createdAt)
                        VALUES (?, ?, 'abababababababab', 1, 100, 0)
                        """, arguments: [blob, wrapped])
                try db.execute(
                    sql: """
                        INSERT INTO delivery (id, dealID, recipientID, supplierID, blobID, rowCount, downloadsRemaining, createdAt, expiresAt)
                        VALUES (?, 'del_aaaaaaaaaaaaaaaa', ?, ?, ?, 1, 3, 1, 100)
                        """, arguments: [delivery, recipient, supplier, blob])
            }
        }
        let database = try AppDatabase(queue)
        #expect(try database.users().filter(\.firmAdmin).map(\.id).sorted() == ["usr_aaaaaaaaaaaaaaa3", "usr_bbbbbbbbbbbbbbb2"])
        #expect(try database.users().allSatisfy { $0.createdByUserID == nil && $0.creationReason == nil })
        #expect(try database.delivery(id: "dlv_aaaaaaaaaaaaaaaa")?.recipientKeyFingerprint == firmKey.fingerprint)
        #expect(try database.delivery(id: "dlv_bbbbbbbbbbbbbbbb")?.recipientKeyFingerprint == nil)
        #expect(try database.settings().keyChangeDelayHours == 24)
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM token WHERE parentID IS NOT NULL") } == 0)
    }
}
