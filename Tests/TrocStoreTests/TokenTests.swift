import Crypto
import Foundation
import GRDB
import Testing
import TrocCore
import TrocStore

/// Users and bearer tokens: issue, authenticate, expire, revoke, disable.
@Suite struct TokenTests {
    let database: AppDatabase
    let partner: OrganisationRecord
    let user: UserRecord

    init() throws {
        database = try AppDatabase.inMemory().withAuditKey(try AuditKey(SymmetricKey(size: .bits256)))
        partner = try database.createOrganisation(Organisations.partner(), now: Dates.start)
        user = try database.createUser(organisationID: partner.id, role: .partner, name: "Paul", email: "paul@example.fr", now: Dates.start)
    }

    @Test("a token authenticates as its user and organisation")
    func authenticate() throws {
        let issued = try database.issueToken(userID: user.id, label: "laptop", expiresAt: Dates.at(3600), now: Dates.start)
        #expect(issued.secret.hasPrefix("troc_") && issued.secret.utf8.count == 48)
        #expect(issued.token.userID == user.id && issued.token.label == "laptop" && issued.token.lastUsedAt == nil)
        let authenticated = try database.authenticate(secret: issued.secret, now: Dates.at(10))
        #expect(authenticated.user == user)
        #expect(authenticated.organisation == partner)
        #expect(authenticated.token.id == issued.token.id)
        #expect(authenticated.token.lastUsedAt == Dates.at(10))
        #expect(try database.tokens(userID: user.id).map(\.lastUsedAt) == [Dates.at(10)])
        // Each secret is fresh.
        let other = try database.issueToken(userID: user.id, label: "script", expiresAt: Dates.at(3600), now: Dates.at(1))
        #expect(other.secret != issued.secret)
        #expect(try database.tokens(userID: user.id).map(\.id) == [other.token.id, issued.token.id])
    }

    @Test("lastUsedAt is written at most once a minute")
    func lastUsedGranularity() throws {
        let issued = try database.issueToken(userID: user.id, label: "ci", expiresAt: Dates.at(86_400), now: Dates.start)
        _ = try database.authenticate(secret: issued.secret, now: Dates.at(100))
        _ = try database.authenticate(secret: issued.secret, now: Dates.at(159))
        #expect(try database.tokens(userID: user.id).first?.lastUsedAt == Dates.at(100))
        let later = try database.authenticate(secret: issued.secret, now: Dates.at(160))
        #expect(later.token.lastUsedAt == Dates.at(160))
        #expect(try database.tokens(userID: user.id).first?.lastUsedAt == Dates.at(160))
    }

    @Test("a token expires exactly at its expiry instant")
    func expiryBoundary() throws {
        let issued = try database.issueToken(userID: user.id, label: "short", expiresAt: Dates.at(3600), now: Dates.start)
        _ = try database.authenticate(secret: issued.secret, now: Dates.at(3599))
        #expect(throws: StoreError.tokenExpired(id: issued.token.id, expiredAt: Dates.at(3600))) {
            try database.authenticate(secret: issued.secret, now: Dates.at(3600))
        }
        #expect(throws: StoreError.expiryNotInFuture(expiresAt: Dates.start, now: Dates.start)) {
            try database.issueToken(userID: user.id, label: "none", expiresAt: Dates.start, now: Dates.start)
        }
    }

    @Test("revoking stops a token; revoking again is not an error, an unknown id is")
    func revoke() throws {
        let issued = try database.issueToken(userID: user.id, label: "old", expiresAt: Dates.at(3600), now: Dates.start)
        let revoked = try database.revokeToken(id: issued.token.id, actor: AuditActor(user), now: Dates.at(5))
        #expect(revoked.map(\.revokedAt) == [Dates.at(5)])
        #expect(throws: StoreError.tokenRevoked(id: issued.token.id, revokedAt: Dates.at(5))) {
            try database.authenticate(secret: issued.secret, now: Dates.at(6))
        }
        #expect(try database.revokeToken(id: issued.token.id, actor: AuditActor(user), now: Dates.at(9)).isEmpty)
        #expect(try database.tokens(userID: user.id).first?.revokedAt == Dates.at(5))
        #expect(throws: StoreError.tokenNotFound(id: "tok_zzzzzzzzzzzzzzzz")) {
            try database.revokeToken(id: "tok_zzzzzzzzzzzzzzzz", actor: AuditActor(user), now: Dates.at(9))
        }
    }

    @Test("unknown and malformed secrets are told apart")
    func unknownSecrets() throws {
        let issued = try database.issueToken(userID: user.id, label: "real", expiresAt: Dates.at(3600), now: Dates.start)
        // Same shape, one character changed.
        var characters = Array(issued.secret)
        characters[10] = characters[10] == "A" ? "B" : "A"
        #expect(throws: StoreError.tokenUnknown) { try database.authenticate(secret: String(characters), now: Dates.at(1)) }
        var plus = Array(issued.secret)
        plus[20] = "+"
        let malformed = ["", "troc_", "Bearer " + issued.secret, issued.secret + "x", "xxxx_" + issued.secret.dropFirst(5), String(plus)]
        for secret in malformed {
            #expect(throws: StoreError.tokenMalformed, "\(secret)") { try database.authenticate(secret: secret, now: Dates.at(1)) }
        }
    }

    @Test("a disabled user's tokens stop working, and it gets no new ones")
    func disabledUser() throws {
        let issued = try database.issueToken(userID: user.id, label: "laptop", expiresAt: Dates.at(3600), now: Dates.start)
        let disabled = try database.disableUser(id: user.id, reason: nil, actor: .system, now: Dates.at(20))
        #expect(disabled.disabledAt == Dates.at(20))
        #expect(try database.disableUser(id: user.id, reason: nil, actor: .system, now: Dates.at(30)).disabledAt == Dates.at(20))
        #expect(throws: StoreError.tokenUserDisabled(tokenID: issued.token.id, userID: user.id, disabledAt: Dates.at(20))) {
            try database.authenticate(secret: issued.secret, now: Dates.at(21))
        }
        #expect(throws: StoreError.userDisabled(id: user.id, disabledAt: Dates.at(20))) {
            try database.issueToken(userID: user.id, label: "new", expiresAt: Dates.at(3600), now: Dates.at(21))
        }
        #expect(throws: StoreError.userNotFound(id: "usr_zzzzzzzzzzzzzzzz")) {
            try database.issueToken(userID: "usr_zzzzzzzzzzzzzzzz", label: "new", expiresAt: Dates.at(3600), now: Dates.at(21))
        }
    }

    @Test("users are listed per organisation")
    func userReads() throws {
        let broker = try database.createOrganisation(Organisations.broker(), now: Dates.start)
        let operatorUser = try database.createUser(organisationID: broker.id, role: .operator, name: "Olga", email: nil, now: Dates.at(1))
        #expect(try database.users().map(\.id) == [user.id, operatorUser.id])
        #expect(try database.users(organisationID: broker.id) == [operatorUser])
        #expect(try database.user(id: user.id) == user)
        #expect(throws: StoreError.organisationNotFound(id: "org_zzzzzzzzzzzzzzzz")) {
            try database.createUser(organisationID: "org_zzzzzzzzzzzzzzzz", role: .partner, name: "X", email: nil, now: Dates.start)
        }
    }

    @Test("the secret is never written to the database files (with their WAL, then after closing), only its hash")
    func secretNeverStored() throws {
        let directory = try TemporaryDirectory()
        /// Every byte of the database file and its -wal and -shm companions.
        func databaseBytes() throws -> [UInt8] {
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("troc.sqlite") }
            return try files.flatMap { try Array(Data(contentsOf: URL(fileURLWithPath: directory.appending($0)))) }
        }
        /// Checks that `bytes` hold the hash but neither form of the secret.
        func check(_ bytes: [UInt8], secret: String, hash: [UInt8]) throws {
            let base64url = secret.dropFirst(5)
            let raw = try #require(
                Data(base64Encoded: base64url.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "="))
            #expect(raw.count == 32)
            #expect(!contains(bytes, Array(base64url.utf8)))
            #expect(!contains(bytes, Array(raw)))
            // The scan does find what is stored: the hash.
            #expect(contains(bytes, hash))
        }

        let issued: IssuedSecret
        do {
            let onDisk = try AppDatabase.openOnDisk(at: directory.appending("troc.sqlite"))
            let organisation = try onDisk.createOrganisation(Organisations.partner(), now: Dates.start)
            let owner = try onDisk.createUser(organisationID: organisation.id, role: .partner, name: "Paul", email: nil, now: Dates.start)
            issued = try onDisk.issueToken(userID: owner.id, label: "laptop", expiresAt: Dates.at(3600), now: Dates.start)
            _ = try onDisk.authenticate(secret: issued.secret, now: Dates.at(1))
            #expect(FileManager.default.fileExists(atPath: directory.appending("troc.sqlite-wal")))
            try check(try databaseBytes(), secret: issued.secret, hash: Array(issued.token.hash))
        }
        try check(try databaseBytes(), secret: issued.secret, hash: Array(issued.token.hash))
    }
}
