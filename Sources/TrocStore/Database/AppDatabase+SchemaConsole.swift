import Foundation
import GRDB

extension AppDatabase {
    /// The web console: one-time enrolment codes, console credentials (bcrypt password, sealed TOTP secret), sessions,
    /// login attempts for rate limiting, the session timeouts, and the indexes the console's filtered lists read through.
    static func createConsole(_ db: Database) throws {
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

        // A code an operator (or the firm's administrator) gives a user to set their console password; only its hash is kept.
        try db.create(table: "enrolment_code") { t in
            t.primaryKey("id", .text).check(sql: idShape("id", "enr_"))
            t.column("userID", .text).notNull().indexed().references("user", onDelete: .cascade)
            t.column("hash", .blob).notNull().unique().check(sql: "length(hash) = 32")
            t.column("createdByUserID", .text).references("user")
            t.column("createdAt", .integer).notNull()
            t.column("expiresAt", .integer).notNull()
            t.column("usedAt", .integer)
            t.column("revokedAt", .integer)
            t.check(sql: "typeof(createdAt) = 'integer' AND typeof(expiresAt) = 'integer'")
            t.check(sql: "expiresAt > createdAt")
            t.check(sql: "usedAt IS NULL OR revokedAt IS NULL")
        }
        try refuse(
            "enrolment_code_terms_fixed", "UPDATE OF userID, hash, createdByUserID, createdAt, expiresAt", on: "enrolment_code",
            when: """
                NEW.userID IS NOT OLD.userID OR NEW.hash IS NOT OLD.hash OR NEW.createdByUserID IS NOT OLD.createdByUserID
                OR NEW.createdAt IS NOT OLD.createdAt OR NEW.expiresAt IS NOT OLD.expiresAt
                """, "an enrolment code's user, hash and dates never change")
        try refuse(
            "enrolment_code_single_use", "UPDATE OF usedAt, revokedAt", on: "enrolment_code",
            when: "OLD.usedAt IS NOT NULL OR OLD.revokedAt IS NOT NULL", "an enrolment code is used or revoked once, and then stays so")
        try refuse(
            "enrolment_code_for_enabled_user", "INSERT", on: "enrolment_code",
            when: "(SELECT disabledAt FROM user WHERE id = NEW.userID) IS NOT NULL", "a disabled user gets no enrolment code")

        // How a user signs in to the console: a login name, a bcrypt hash, and for the broker's staff a TOTP secret sealed
        // under a key derived from the broker's root secret (never in clear in the database).
        try db.create(table: "console_credential") { t in
            t.primaryKey("userID", .text).references("user", onDelete: .cascade)
            t.column("login", .text).notNull().unique(onConflict: .abort).collate(.nocase)
                .check(sql: "length(login) BETWEEN 3 AND 64 AND login NOT GLOB '*[^a-zA-Z0-9._@-]*'")
            t.column("passwordHash", .text).notNull().check(sql: "length(passwordHash) = 60 AND passwordHash GLOB '$2[aby]$[0-3][0-9]$*'")
            t.column("totpSecretSealed", .blob).check(sql: "totpSecretSealed IS NULL OR length(totpSecretSealed) BETWEEN 29 AND 128")
            // The last time step whose code was accepted: a code is never accepted twice.
            t.column("totpLastStep", .integer)
            t.column("enrolledAt", .integer).notNull()
            t.check(sql: "typeof(enrolledAt) = 'integer'")
            t.check(sql: "totpSecretSealed IS NOT NULL OR totpLastStep IS NULL")
        }
        for (event, name) in [("INSERT", "console_credential_staff_totp_insert"), ("UPDATE", "console_credential_staff_totp_update")] {
            try refuse(
                name, event, on: "console_credential",
                when: "NEW.totpSecretSealed IS NULL AND (SELECT role FROM user WHERE id = NEW.userID) IN ('operator', 'accountant')",
                "operators and accountants sign in to the console with a second factor (TOTP)")
        }
        try refuse(
            "console_credential_totp_forward", "UPDATE OF totpLastStep", on: "console_credential",
            when: "NEW.totpSecretSealed IS OLD.totpSecretSealed AND NEW.totpLastStep <= OLD.totpLastStep",
            "a TOTP code is accepted once: its time step only moves forward")

        // Sessions: the cookie carries a random secret, the table its SHA-256 and the form token every unsafe request echoes.
        try db.create(table: "console_session") { t in
            t.primaryKey("id", .text).check(sql: idShape("id", "ses_"))
            t.column("userID", .text).notNull().indexed().references("user", onDelete: .cascade)
            t.column("hash", .blob).notNull().unique().check(sql: "length(hash) = 32")
            t.column("csrfToken", .text).notNull().check(sql: "length(csrfToken) = 43")
            // 0 while the password is checked and the second factor is still awaited.
            t.column("verified", .boolean).notNull().check(sql: "verified IN (0, 1)")
            t.column("address", .text).notNull()
            t.column("createdAt", .integer).notNull()
            t.column("lastSeenAt", .integer).notNull()
            t.column("expiresAt", .integer).notNull()
            t.column("endedAt", .integer)
            t.column("endReason", .text)
                .check(
                    sql: "endReason IS NULL OR endReason IN ('sign-out', 'sign-out-everywhere', 'idle', 'expired', 'user-disabled', 're-enrolled')")
            t.check(sql: "typeof(createdAt) = 'integer' AND typeof(lastSeenAt) = 'integer' AND typeof(expiresAt) = 'integer'")
            t.check(sql: "expiresAt > createdAt AND lastSeenAt >= createdAt")
            t.check(sql: "(endedAt IS NULL) = (endReason IS NULL)")
        }
        try refuse(
            "console_session_terms_fixed", "UPDATE OF userID, hash, csrfToken, createdAt, expiresAt, address", on: "console_session",
            when: """
                NEW.userID IS NOT OLD.userID OR NEW.hash IS NOT OLD.hash OR NEW.csrfToken IS NOT OLD.csrfToken
                OR NEW.createdAt IS NOT OLD.createdAt OR NEW.expiresAt IS NOT OLD.expiresAt OR NEW.address IS NOT OLD.address
                """, "a session's user, secret, form token, address and lifetime never change")
        try refuse(
            "console_session_stays_ended", "UPDATE", on: "console_session", when: "OLD.endedAt IS NOT NULL",
            "an ended session stays ended")
        try refuse(
            "console_session_for_enabled_user", "INSERT", on: "console_session",
            when: "(SELECT disabledAt FROM user WHERE id = NEW.userID) IS NOT NULL", "a disabled user opens no session")
        // Disabling a user ends its sessions in the same transaction, whoever disables it and however.
        try db.execute(
            sql: """
                CREATE TRIGGER user_disable_ends_console_sessions AFTER UPDATE OF disabledAt ON user
                WHEN NEW.disabledAt IS NOT NULL AND OLD.disabledAt IS NULL
                BEGIN
                    UPDATE console_session SET endedAt = NEW.disabledAt, endReason = 'user-disabled'
                    WHERE userID = NEW.id AND endedAt IS NULL;
                    UPDATE enrolment_code SET revokedAt = NEW.disabledAt WHERE userID = NEW.id AND usedAt IS NULL AND revokedAt IS NULL;
                END
                """)

        // Sign-in attempts, counted per login name and per address over a window to slow password guessing.
        try db.create(table: "console_login_attempt") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("at", .integer).notNull().check(sql: "typeof(at) = 'integer'")
            t.column("login", .text).notNull().collate(.nocase)
            t.column("address", .text).notNull()
            t.column("succeeded", .boolean).notNull().check(sql: "succeeded IN (0, 1)")
        }
        try db.create(index: "console_login_attempt_login", on: "console_login_attempt", columns: ["login", "at"])
        try db.create(index: "console_login_attempt_address", on: "console_login_attempt", columns: ["address", "at"])

        // Session timeouts; NULL means the default.
        try db.alter(table: "broker_settings") { t in
            t.add(column: "consoleIdleMinutes", .integer).check(sql: "consoleIdleMinutes BETWEEN 5 AND 720")
            t.add(column: "consoleSessionHours", .integer).check(sql: "consoleSessionHours BETWEEN 1 AND 168")
        }

        // The console's lists filter and page on the server: deals by state and date, invoices by period and party, the
        // audit trail by action and actor.
        try db.create(index: "deal_state_updated", on: "deal", columns: ["state", "updatedAt"])
        try db.create(index: "deal_updated", on: "deal", columns: ["updatedAt"])
        try db.create(index: "invoice_issue_number", on: "invoice", columns: ["issueDate", "seriesPrefix", "year", "sequence"])
        try db.create(index: "settlement_created", on: "settlement", columns: ["createdAt", "dealID"])
        try db.create(index: "audit_action", on: "audit", columns: ["action", "seq"])
        try db.create(index: "audit_actor", on: "audit", columns: ["actorUserID", "seq"])
        try db.create(index: "audit_organisation", on: "audit", columns: ["organisationID", "seq"])
    }
}
