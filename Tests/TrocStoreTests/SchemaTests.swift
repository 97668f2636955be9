import Crypto
import Foundation
import GRDB
import Testing
import TrocCore
import TrocCrypto
import TrocStore

/// The schema refuses what breaks the model, whether a write goes through `AppDatabase` or straight to SQL.
@Suite struct SchemaTests {
    /// A migrated in-memory database, with raw access to it for writes that bypass `AppDatabase`.
    let queue: DatabaseQueue
    let database: AppDatabase

    init() throws {
        queue = try DatabaseQueue(configuration: AppDatabase.makeConfiguration())
        database = try AppDatabase(queue).withAuditKey(try AuditKey(SymmetricKey(size: .bits256)))
    }

    /// Inserts an organisation row directly.
    func insertOrganisation(id: String, kind: String, siren: String?, siret: String? = nil, countryCode: String = "FR") throws {
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO organisation (id, kind, name, siren, siret, nafCode, street, postcode, city, countryCode, createdAt)
                    VALUES (?, ?, 'Firm', ?, ?, '62.01Z', 'street', '75001', 'Paris', ?, 1735689600)
                    """,
                arguments: [id, kind, siren, siret, countryCode])
        }
    }

    /// Inserts a user row directly.
    func insertUser(id: String, organisationID: String, role: String) throws {
        try queue.write { db in
            try db.execute(
                sql: "INSERT INTO user (id, organisationID, role, name, createdAt) VALUES (?, ?, ?, 'Someone', 1735689600)",
                arguments: [id, organisationID, role])
        }
    }

    /// The SQLite extended result code of the error `body` throws.
    func constraintFailure(_ body: () throws -> Void) -> (ResultCode, String)? {
        do {
            try body()
            return nil
        } catch let error as DatabaseError {
            return (error.extendedResultCode, error.message ?? "")
        } catch {
            return nil
        }
    }

    @Test("the migrations are named and applied in order, the first one first")
    func migrations() throws {
        #expect(AppDatabase.migrationNames.first == "v1-accounts-files")
        let applied = try queue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied == AppDatabase.migrationNames)
    }

    @Test("a duplicate SIREN is refused by the store and by the schema")
    func duplicateSIREN() throws {
        let first = try database.createOrganisation(Organisations.partner(siren: Organisations.siren(7)), now: Dates.start)
        #expect(throws: StoreError.duplicateSIREN(siren: Organisations.siren(7), existingOrganisationID: first.id)) {
            try database.createOrganisation(Organisations.partner("Other", siren: Organisations.siren(7)), now: Dates.start)
        }
        let failure = constraintFailure { try insertOrganisation(id: "org_aaaaaaaaaaaaaaaa", kind: "partner", siren: Organisations.siren(7)) }
        #expect(failure?.0 == .SQLITE_CONSTRAINT_UNIQUE)
        // Foreign firms have no SIREN: several NULLs are allowed.
        try insertOrganisation(id: "org_bbbbbbbbbbbbbbbb", kind: "partner", siren: nil, countryCode: "DE")
        try insertOrganisation(id: "org_cccccccccccccccc", kind: "partner", siren: nil, countryCode: "BE")
    }

    @Test("a second broker organisation is refused by the store and by the schema")
    func secondBroker() throws {
        let broker = try database.createOrganisation(Organisations.broker(), now: Dates.start)
        #expect(throws: StoreError.brokerAlreadyExists(existingOrganisationID: broker.id)) {
            try database.createOrganisation(Organisations.broker(siren: Organisations.siren(99)), now: Dates.start)
        }
        let failure = constraintFailure { try insertOrganisation(id: "org_aaaaaaaaaaaaaaaa", kind: "broker", siren: Organisations.siren(98)) }
        #expect(failure?.0 == .SQLITE_CONSTRAINT_UNIQUE)
        #expect(try database.brokerOrganisation() == broker)
    }

    @Test("roles must fit the organisation: refused by the store and by the schema's trigger")
    func roleRule() throws {
        let broker = try database.createOrganisation(Organisations.broker(), now: Dates.start)
        let partner = try database.createOrganisation(Organisations.partner(), now: Dates.start)
        #expect(throws: StoreError.roleNotAllowed(role: .partner, organisationID: broker.id, organisationKind: .broker)) {
            try database.createUser(organisationID: broker.id, role: .partner, name: "Eve", email: nil, now: Dates.start)
        }
        #expect(throws: StoreError.roleNotAllowed(role: .operator, organisationID: partner.id, organisationKind: .partner)) {
            try database.createUser(organisationID: partner.id, role: .operator, name: "Eve", email: nil, now: Dates.start)
        }
        for (organisation, role) in [(broker.id, "partner"), (partner.id, "operator"), (partner.id, "accountant")] {
            let failure = constraintFailure { try insertUser(id: "usr_aaaaaaaaaaaaaaaa", organisationID: organisation, role: role) }
            #expect(failure?.0 == .SQLITE_CONSTRAINT_TRIGGER, "\(role) in \(organisation)")
        }
        // Moving a valid user to the wrong kind of organisation is refused too.
        let accountant = try database.createUser(organisationID: broker.id, role: .accountant, name: "Ann", email: nil, now: Dates.start)
        let move = constraintFailure {
            try queue.write { db in try db.execute(sql: "UPDATE user SET organisationID = ? WHERE id = ?", arguments: [partner.id, accountant.id]) }
        }
        #expect(move?.0 == .SQLITE_CONSTRAINT_TRIGGER)
        // The kinds that fit are accepted.
        try insertUser(id: "usr_bbbbbbbbbbbbbbbb", organisationID: partner.id, role: "partner")
        try insertUser(id: "usr_cccccccccccccccc", organisationID: broker.id, role: "operator")
    }

    @Test("an unknown role is refused by the CHECK constraint")
    func badRole() throws {
        let broker = try database.createOrganisation(Organisations.broker(), now: Dates.start)
        let failure = constraintFailure { try insertUser(id: "usr_aaaaaaaaaaaaaaaa", organisationID: broker.id, role: "admin") }
        #expect(failure?.0 == .SQLITE_CONSTRAINT_CHECK)
        let kind = constraintFailure { try insertOrganisation(id: "org_aaaaaaaaaaaaaaaa", kind: "supplier", siren: Organisations.siren(5)) }
        #expect(kind?.0 == .SQLITE_CONSTRAINT_CHECK)
    }

    @Test("an organisation's kind never changes")
    func kindImmutable() throws {
        let partner = try database.createOrganisation(Organisations.partner(), now: Dates.start)
        let failure = constraintFailure {
            try queue.write { db in try db.execute(sql: "UPDATE organisation SET kind = 'broker' WHERE id = ?", arguments: [partner.id]) }
        }
        #expect(failure?.0 == .SQLITE_CONSTRAINT_TRIGGER)
    }

    @Test("identifier shapes are checked by the store and the schema")
    func identifierShapes() throws {
        var badSIREN = Organisations.partner()
        badSIREN.siren = "12345"
        #expect(throws: StoreError.self) { try database.createOrganisation(badSIREN, now: Dates.start) }
        var badSIRET = Organisations.partner()
        badSIRET.siret = Organisations.siren(3) + "00012"
        #expect(throws: StoreError.self) { try database.createOrganisation(badSIRET, now: Dates.start) }
        var frenchWithoutSIREN = Organisations.partner()
        frenchWithoutSIREN.siren = nil
        frenchWithoutSIREN.siret = nil
        #expect(throws: StoreError.self) { try database.createOrganisation(frenchWithoutSIREN, now: Dates.start) }
        var badNAF = Organisations.partner()
        badNAF.nafCode = "6201Z"
        #expect(throws: StoreError.self) { try database.createOrganisation(badNAF, now: Dates.start) }
        var badCountry = Organisations.partner()
        badCountry.countryCode = "fr"
        #expect(throws: StoreError.self) { try database.createOrganisation(badCountry, now: Dates.start) }
        #expect(try database.organisations().isEmpty)

        let cases: [(String, String?, String?, String)] = [
            ("org_aaaaaaaaaaaaaaaa", "12345678", nil, "FR"),  // SIREN of 8 digits
            ("org_aaaaaaaaaaaaaaaa", Organisations.siren(4), Organisations.siren(5) + "00012", "FR"),  // SIRET of another SIREN
            ("org_aaaaaaaaaaaaaaaa", nil, nil, "FR"),  // French without SIREN
            ("org_AAAAAAAAAAAAAAAA", Organisations.siren(4), nil, "FR"),  // id not lowercase base32
            ("org_aaaaaaaaaaaaaaaa", Organisations.siren(4), nil, "France"),  // country not alpha-2
        ]
        for (id, siren, siret, country) in cases {
            let failure = constraintFailure { try insertOrganisation(id: id, kind: "partner", siren: siren, siret: siret, countryCode: country) }
            #expect(failure?.0 == .SQLITE_CONSTRAINT_CHECK, "\(id) \(siren ?? "-") \(siret ?? "-") \(country)")
        }
    }

    @Test("dates are stored as integer seconds, and foreign keys are enforced")
    func storageForms() throws {
        let partner = try database.createOrganisation(Organisations.partner(), now: Dates.at(0.75))
        #expect(partner.createdAt == Dates.start)
        let stored = try queue.read { db in try Row.fetchOne(db, sql: "SELECT typeof(createdAt) AS type, createdAt FROM organisation")! }
        #expect(stored["type"] == "integer")
        #expect(stored["createdAt"] == 1_735_689_600)
        let orphan = constraintFailure {
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO token (id, userID, hash, label, createdAt, expiresAt)
                        VALUES ('tok_aaaaaaaaaaaaaaaa', 'usr_zzzzzzzzzzzzzzzz', zeroblob(32), '', 1, 2)
                        """)
            }
        }
        #expect(orphan?.0 == .SQLITE_CONSTRAINT_FOREIGNKEY)
    }

    @Test("a wrapped key's master key id column must match the id inside the key")
    func masterKeyIDConsistency() throws {
        let wrapped = "x'01" + String(repeating: "11", count: 8) + String(repeating: "00", count: 60) + "'"
        let insert = { (keyID: String) in
            try queue.write { db in
                try db.execute(sql: "INSERT INTO secret (name, wrapped, masterKeyID) VALUES ('s-\(keyID)', \(wrapped), ?)", arguments: [keyID])
            }
        }
        #expect(constraintFailure { try insert("2222222222222222") }?.0 == .SQLITE_CONSTRAINT_CHECK)
        try insert("1111111111111111")
    }

    @Test("organisations list the broker first, then partners by name, and keep their public key")
    func organisationReads() throws {
        let zeta = try database.createOrganisation(Organisations.partner("zeta", siren: Organisations.siren(20)), now: Dates.start)
        let alpha = try database.createOrganisation(Organisations.partner("Alpha", siren: Organisations.siren(21)), now: Dates.start)
        let broker = try database.createOrganisation(Organisations.broker(), now: Dates.start)
        #expect(try database.organisations().map(\.id) == [broker.id, alpha.id, zeta.id])
        #expect(try database.organisation(id: alpha.id) == alpha)
        #expect(try database.organisation(id: "org_zzzzzzzzzzzzzzzz") == nil)

        let key = EnvelopePrivateKey.generate().publicKey
        let updated = try database.registerFirstPublicKey(organisationID: alpha.id, publicKey: key, actor: .system, now: Dates.start)
        #expect(updated.publicKeyPEM == key.pemText)
        #expect(updated.publicKeyFingerprint == key.fingerprint)
        #expect(try database.organisation(id: alpha.id) == updated)
        #expect(throws: StoreError.organisationNotFound(id: "org_zzzzzzzzzzzzzzzz")) {
            try database.registerFirstPublicKey(organisationID: "org_zzzzzzzzzzzzzzzz", publicKey: key, actor: .system, now: Dates.start)
        }
    }
}
