import Foundation
import GRDB

extension AppDatabase {
    /// Delivery keys that change only through an approved, delayed request; the key each delivery is sealed to; firm
    /// administrators and who created each user; tokens minted with a token; the key-change delay setting.
    static func createTrustAccounts(_ db: Database) throws {
        // Frozen copies of the shapes this migration checks, so it means the same thing forever.
        func idShape(_ column: String, _ prefix: String) -> String {
            "\(column) GLOB '\(prefix)\(String(repeating: "[a-z2-7]", count: 16))'"
        }
        func refuse(_ name: String, _ event: String, on table: String, when condition: String, _ message: String) throws {
            try db.execute(
                sql: """
                    CREATE TRIGGER \(name) BEFORE \(event) ON \(table) WHEN \(condition)
                    BEGIN SELECT RAISE(ABORT, '\(message.replacingOccurrences(of: "'", with: "''"))'); END
                    """)
        }

        // Users: the firm-admin right, and who created each user and why.
        try db.alter(table: "user") { t in
            t.add(column: "firmAdmin", .boolean).notNull().defaults(to: false).check(sql: "firmAdmin IN (0, 1)")
            t.add(column: "createdByUserID", .text).references("user")
            t.add(column: "creationReason", .text).check(sql: "creationReason IS NULL OR length(trim(creationReason)) > 0")
        }
        // Each firm's earliest enabled user administers it, as a firm's first user does from now on.
        try db.execute(
            sql: """
                UPDATE user SET firmAdmin = 1 WHERE role = 'partner' AND id = (
                    SELECT first.id FROM user AS first
                    WHERE first.organisationID = user.organisationID AND first.role = 'partner' AND first.disabledAt IS NULL
                    ORDER BY first.createdAt, first.id LIMIT 1)
                """)
        for (event, name) in [("INSERT", "user_firm_admin_is_partner_insert"), ("UPDATE OF firmAdmin, role", "user_firm_admin_is_partner_update")] {
            try refuse(name, event, on: "user", when: "NEW.firmAdmin AND NEW.role IS NOT 'partner'", "only a partner user holds the firm-admin right")
        }
        try refuse(
            "user_creator_fixed", "UPDATE OF createdByUserID, creationReason", on: "user",
            when: "NEW.createdByUserID IS NOT OLD.createdByUserID OR NEW.creationReason IS NOT OLD.creationReason",
            "who created a user, and why, never changes")

        // Tokens: one minted with a token belongs to the same user, never outlives it and is revoked with it.
        try db.alter(table: "token") { t in
            t.add(column: "parentID", .text).references("token")
        }
        try db.create(index: "token_parent", on: "token", columns: ["parentID"])
        try refuse(
            "token_within_parent", "INSERT", on: "token",
            when: """
                NEW.parentID IS NOT NULL AND (
                    (SELECT userID FROM token WHERE id = NEW.parentID) IS NOT NEW.userID
                    OR (SELECT revokedAt FROM token WHERE id = NEW.parentID) IS NOT NULL
                    OR NEW.expiresAt > (SELECT expiresAt FROM token WHERE id = NEW.parentID))
                """, "a token minted with a token belongs to the same user, is not minted from a revoked one and expires no later")
        try refuse(
            "token_for_enabled_user", "INSERT", on: "token", when: "(SELECT disabledAt FROM user WHERE id = NEW.userID) IS NOT NULL",
            "a disabled user gets no new token")
        try refuse(
            "token_terms_fixed", "UPDATE OF userID, parentID, expiresAt", on: "token",
            when: "NEW.userID IS NOT OLD.userID OR NEW.parentID IS NOT OLD.parentID OR NEW.expiresAt IS NOT OLD.expiresAt",
            "a token's user, parent and expiry never change")
        try refuse(
            "token_stays_revoked", "UPDATE OF revokedAt", on: "token", when: "OLD.revokedAt IS NOT NULL AND NEW.revokedAt IS NOT OLD.revokedAt",
            "a revoked token stays revoked")

        // Key changes: requested by a partner user of the firm, decided by an operator, in force after the delay.
        let states = "('requested', 'approved', 'refused', 'cancelled', 'effective')"
        try db.create(table: "key_change") { t in
            t.primaryKey("id", .text).check(sql: idShape("id", "kch_"))
            t.column("organisationID", .text).notNull().indexed().references("organisation")
            t.column("state", .text).notNull().check(sql: "state IN \(states)")
            t.column("oldFingerprint", .text).notNull()
            t.column("newPublicKeyPEM", .text).notNull().check(sql: "newPublicKeyPEM GLOB '-----BEGIN PUBLIC KEY-----*'")
            t.column("newFingerprint", .text).notNull()
            t.column("requestedByUserID", .text).notNull().references("user")
            t.column("requestedAt", .integer).notNull()
            t.column("note", .text).check(sql: "note IS NULL OR length(trim(note)) > 0")
            t.column("decidedByUserID", .text).references("user")
            t.column("decidedAt", .integer)
            t.column("decisionReason", .text).check(sql: "decisionReason IS NULL OR length(trim(decisionReason)) > 0")
            t.column("effectiveAt", .integer)
            t.column("cancelledByUserID", .text).references("user")
            t.column("cancelledAt", .integer)
            t.column("cancellationReason", .text).check(sql: "cancellationReason IS NULL OR length(trim(cancellationReason)) > 0")
            t.check(sql: "typeof(requestedAt) = 'integer'")
            t.check(sql: "newFingerprint != oldFingerprint")
            t.check(sql: "(decidedAt IS NULL) = (decidedByUserID IS NULL)")
            t.check(sql: "(cancelledAt IS NULL) = (cancelledByUserID IS NULL)")
            t.check(sql: "(cancelledAt IS NOT NULL) = (state = 'cancelled')")
            t.check(sql: "state != 'requested' OR (decidedAt IS NULL AND effectiveAt IS NULL)")
            t.check(sql: "state NOT IN ('approved', 'effective') OR (decidedAt IS NOT NULL AND effectiveAt > decidedAt)")
            t.check(sql: "state != 'refused' OR (decidedAt IS NOT NULL AND decisionReason IS NOT NULL AND effectiveAt IS NULL)")
        }
        // At most one change per firm may still take effect, so two requests can never race each other into force.
        try db.create(
            index: "key_change_one_open", on: "key_change", columns: ["organisationID"], unique: true,
            condition: ["requested", "approved"].contains(Column("state")))
        try db.create(index: "key_change_due", on: "key_change", columns: ["effectiveAt"], condition: Column("state") == "approved")
        try refuse(
            "key_change_requested_by_firm", "INSERT", on: "key_change",
            when: """
                NEW.state IS NOT 'requested'
                OR (SELECT organisationID FROM user WHERE id = NEW.requestedByUserID AND role = 'partner') IS NOT NEW.organisationID
                OR NEW.oldFingerprint IS NOT (SELECT publicKeyFingerprint FROM organisation WHERE id = NEW.organisationID)
                """, "a key change starts requested, by a partner user of the firm, from the key the firm has registered")
        try refuse(
            "key_change_request_fixed", "UPDATE OF organisationID, oldFingerprint, newPublicKeyPEM, newFingerprint, requestedByUserID, requestedAt",
            on: "key_change",
            when: """
                NEW.organisationID IS NOT OLD.organisationID OR NEW.oldFingerprint IS NOT OLD.oldFingerprint
                OR NEW.newPublicKeyPEM IS NOT OLD.newPublicKeyPEM OR NEW.newFingerprint IS NOT OLD.newFingerprint
                OR NEW.requestedByUserID IS NOT OLD.requestedByUserID OR NEW.requestedAt IS NOT OLD.requestedAt
                """, "a key change request never changes once made")
        let moves = "('requested>approved', 'requested>refused', 'requested>cancelled', 'approved>cancelled', 'approved>effective')"
        try refuse(
            "key_change_state_follows_transitions", "UPDATE OF state", on: "key_change",
            when: "NEW.state IS NOT OLD.state AND (OLD.state || '>' || NEW.state) NOT IN \(moves)",
            "this change of key-change state is not a transition of its lifecycle")
        try refuse(
            "key_change_decided_by_operator", "UPDATE OF decidedByUserID", on: "key_change",
            when: "NEW.decidedByUserID IS NOT OLD.decidedByUserID AND (SELECT role FROM user WHERE id = NEW.decidedByUserID) IS NOT 'operator'",
            "only an operator approves or refuses a key change")
        try refuse(
            "key_change_cancelled_by_firm_or_operator", "UPDATE OF cancelledByUserID", on: "key_change",
            when: """
                NEW.cancelledByUserID IS NOT OLD.cancelledByUserID
                AND (SELECT role FROM user WHERE id = NEW.cancelledByUserID) IS NOT 'operator'
                AND (SELECT organisationID FROM user WHERE id = NEW.cancelledByUserID AND role = 'partner') IS NOT NEW.organisationID
                """, "a key change is cancelled by a user of the firm or an operator")
        try refuse("key_change_kept", "DELETE", on: "key_change", when: "1", "key changes are history and are never removed")

        // A registered key is replaced only by the key of an approved change, and never removed.
        try refuse(
            "organisation_key_replaced_by_approved_change", "UPDATE OF publicKeyPEM, publicKeyFingerprint", on: "organisation",
            when: """
                OLD.publicKeyPEM IS NOT NULL
                AND (NEW.publicKeyPEM IS NOT OLD.publicKeyPEM OR NEW.publicKeyFingerprint IS NOT OLD.publicKeyFingerprint)
                AND NOT EXISTS (
                    SELECT 1 FROM key_change WHERE organisationID = NEW.id AND state = 'approved'
                    AND newPublicKeyPEM IS NEW.publicKeyPEM AND newFingerprint IS NEW.publicKeyFingerprint)
                """, "a registered delivery key is replaced only by the key of an approved key change")

        // Deliveries: sealed to the recipient's key registered at release (or its first key, for a firm that had none).
        try db.alter(table: "delivery") { t in
            t.add(column: "recipientKeyPEM", .text)
            t.add(column: "recipientKeyFingerprint", .text)
        }
        // Until now a delivery was sealed to whatever key its recipient had at download: bind the ones still stored to it.
        try db.execute(
            sql: """
                UPDATE delivery SET
                    recipientKeyPEM = (SELECT publicKeyPEM FROM organisation WHERE id = delivery.recipientID),
                    recipientKeyFingerprint = (SELECT publicKeyFingerprint FROM organisation WHERE id = delivery.recipientID)
                WHERE blobID IS NOT NULL
                """)
        let keyIsRecipients = """
            NEW.recipientKeyPEM IS NOT NULL AND (
                NEW.recipientKeyPEM IS NOT (SELECT publicKeyPEM FROM organisation WHERE id = NEW.recipientID)
                OR NEW.recipientKeyFingerprint IS NOT (SELECT publicKeyFingerprint FROM organisation WHERE id = NEW.recipientID))
            """
        let message = "a delivery is sealed to the key its recipient has registered when the key is bound"
        try refuse(
            "delivery_key_pair", "INSERT", on: "delivery", when: "(NEW.recipientKeyPEM IS NULL) != (NEW.recipientKeyFingerprint IS NULL)",
            "a delivery's key and its fingerprint are set together")
        try refuse("delivery_key_is_recipients_insert", "INSERT", on: "delivery", when: keyIsRecipients, message)
        try refuse(
            "delivery_key_bound_once", "UPDATE OF recipientKeyPEM, recipientKeyFingerprint", on: "delivery",
            when: """
                (NEW.recipientKeyPEM IS NULL) != (NEW.recipientKeyFingerprint IS NULL)
                OR (OLD.recipientKeyPEM IS NOT NULL
                    AND (NEW.recipientKeyPEM IS NOT OLD.recipientKeyPEM OR NEW.recipientKeyFingerprint IS NOT OLD.recipientKeyFingerprint))
                OR (OLD.recipientKeyPEM IS NULL AND \(keyIsRecipients))
                """, "a delivery's key is bound once, to its recipient's registered key, and never changes")

        // Settings: how long an approved key change waits before it takes effect; NULL means the default.
        try db.alter(table: "broker_settings") { t in
            t.add(column: "keyChangeDelayHours", .integer).check(sql: "keyChangeDelayHours BETWEEN 1 AND 720")
        }
    }
}
