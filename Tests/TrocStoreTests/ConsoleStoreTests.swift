import Crypto
import Foundation
import GRDB
import Testing
import TrocCore
import TrocStore

/// The console's accounts in the store: one-time enrolment codes, credentials, sessions, sign-in limits, and the schema
/// rules behind them.
@Suite struct ConsoleStoreTests {
    let database: AppDatabase
    let partner: OrganisationRecord
    let user: UserRecord
    let staff: UserRecord
    /// A bcrypt hash of some password (the store only checks its shape).
    static let hash = "$2b$04$" + String(repeating: "a", count: 53)

    init() throws {
        database = try AppDatabase.inMemory().withAuditKey(try AuditKey(SymmetricKey(size: .bits256)))
        partner = try database.createOrganisation(Organisations.partner(), now: Dates.start)
        let broker = try database.createOrganisation(Organisations.broker(), now: Dates.start)
        user = try database.createUser(organisationID: partner.id, role: .partner, name: "Paul", email: nil, now: Dates.start)
        staff = try database.createUser(organisationID: broker.id, role: .operator, name: "Olivia", email: nil, now: Dates.start)
    }

    func enrol(_ user: UserRecord, login: String, at seconds: TimeInterval = 10) throws {
        let code = try database.issueEnrolmentCode(userID: user.id, actor: .system, now: Dates.at(seconds))
        let totp: (sealedSecret: Data, confirmedStep: Int64)? = user.role == .partner ? nil : (Data(repeating: 7, count: 48), 100)
        _ = try database.completeEnrolment(
            code: code.code, ConsoleEnrolment(login: login, passwordHash: Self.hash, totp: totp), now: Dates.at(seconds + 1))
    }

    @Test func anEnrolmentCodeWorksOnceUntilItExpiresAndANewerOneReplacesIt() throws {
        let first = try database.issueEnrolmentCode(userID: user.id, actor: .system, now: Dates.start)
        #expect(EnrolmentCodeText.canonical(first.code.lowercased().replacingOccurrences(of: "-", with: " ")) != nil)
        let second = try database.issueEnrolmentCode(userID: user.id, actor: .system, now: Dates.at(60))
        #expect(throws: StoreError.console(.enrolmentCodeRevoked(revokedAt: Dates.at(60)))) {
            try database.enrolmentUser(code: first.code, now: Dates.at(61))
        }
        #expect(try database.enrolmentUser(code: second.code.lowercased(), now: Dates.at(61)).user.id == user.id)
        _ = try database.completeEnrolment(code: second.code, ConsoleEnrolment(login: "paul", passwordHash: Self.hash, totp: nil), now: Dates.at(62))
        #expect(throws: StoreError.console(.enrolmentCodeUsed(usedAt: Dates.at(62)))) {
            try database.completeEnrolment(code: second.code, ConsoleEnrolment(login: "paul", passwordHash: Self.hash, totp: nil), now: Dates.at(63))
        }
        let late = try database.issueEnrolmentCode(userID: user.id, actor: .system, now: Dates.at(100))
        #expect(throws: StoreError.console(.enrolmentCodeExpired(expiredAt: Dates.at(100 + 72 * 3600)))) {
            try database.enrolmentUser(code: late.code, now: Dates.at(100 + 72 * 3600))
        }
        #expect(throws: StoreError.console(.enrolmentCodeUnknown)) { try database.enrolmentUser(code: "not a code", now: Dates.at(1)) }
        #expect(try database.consoleCredential(login: "PAUL")?.user.id == user.id, "login names ignore case")
    }

    @Test func aPartnerCannotIssueCodesForAnotherFirmAndOperatorsNeedASecondFactor() throws {
        #expect(throws: StoreError.userNotFound(id: staff.id)) {
            try database.issueEnrolmentCode(userID: staff.id, actor: AuditActor(user), now: Dates.start)
        }
        let code = try database.issueEnrolmentCode(userID: staff.id, actor: .system, now: Dates.start)
        #expect(throws: StoreError.self) {
            try database.completeEnrolment(code: code.code, ConsoleEnrolment(login: "olivia", passwordHash: Self.hash, totp: nil), now: Dates.at(1))
        }
        try enrol(user, login: "paul")
        let other = try database.issueEnrolmentCode(userID: staff.id, actor: .system, now: Dates.at(20))
        #expect(throws: StoreError.console(.loginTaken(login: "Paul"))) {
            try database.completeEnrolment(
                code: other.code, ConsoleEnrolment(login: "Paul", passwordHash: Self.hash, totp: (Data(repeating: 1, count: 48), 1)),
                now: Dates.at(21))
        }
    }

    @Test func sessionsEndIdleExpiredSignedOutOrWithTheirDisabledUser() throws {
        try enrol(user, login: "paul")
        let opened = try database.openConsoleSession(
            userID: user.id, login: "paul", awaitingSecondFactor: false, address: "192.0.2.1", now: Dates.at(100))
        #expect(opened.record.verified && opened.record.csrfToken.utf8.count == 43)
        #expect(try database.consoleSession(secret: opened.secret, now: Dates.at(100 + 29 * 60)).user.id == user.id)
        #expect(throws: StoreError.console(.sessionEnded(reason: .idle))) {
            try database.consoleSession(secret: opened.secret, now: Dates.at(100 + 29 * 60 + 30 * 60))
        }
        #expect(throws: StoreError.console(.sessionEnded(reason: .idle))) { try database.consoleSession(secret: opened.secret, now: Dates.at(0)) }
        #expect(throws: StoreError.console(.sessionUnknown)) { try database.consoleSession(secret: "guess", now: Dates.at(200)) }

        let second = try database.openConsoleSession(
            userID: user.id, login: "paul", awaitingSecondFactor: false, address: "192.0.2.1", now: Dates.at(5000))
        let third = try database.openConsoleSession(
            userID: user.id, login: "paul", awaitingSecondFactor: false, address: "192.0.2.1", now: Dates.at(5000))
        #expect(try database.endConsoleSessions(userID: user.id, actor: AuditActor(user), now: Dates.at(5001)) == 2)
        #expect(throws: StoreError.console(.sessionEnded(reason: .signOutEverywhere))) {
            try database.consoleSession(secret: third.secret, now: Dates.at(5002))
        }

        let fourth = try database.openConsoleSession(
            userID: user.id, login: "paul", awaitingSecondFactor: false, address: "192.0.2.1", now: Dates.at(6000))
        _ = try database.disableUser(id: user.id, reason: "left", actor: .system, now: Dates.at(6001))
        #expect(throws: StoreError.console(.sessionEnded(reason: .userDisabled))) {
            try database.consoleSession(secret: fourth.secret, now: Dates.at(6002))
        }
        #expect(throws: StoreError.userDisabled(id: user.id, disabledAt: Dates.at(6001))) {
            try database.openConsoleSession(userID: user.id, login: "paul", awaitingSecondFactor: false, address: "192.0.2.1", now: Dates.at(6003))
        }
        _ = second
    }

    @Test func aSecondFactorStepIsAcceptedOnceAndOnlyForward() throws {
        try enrol(staff, login: "olivia")
        let pending = try database.openConsoleSession(userID: staff.id, login: "olivia", awaitingSecondFactor: true, address: "a", now: Dates.at(100))
        #expect(!pending.record.verified && pending.record.expiresAt == Dates.at(100 + 300))
        #expect(throws: StoreError.console(.secondFactorRefused)) {
            try database.verifySecondFactor(sessionID: pending.record.id, login: "olivia", step: 100, now: Dates.at(101))
        }
        let verified = try database.verifySecondFactor(sessionID: pending.record.id, login: "olivia", step: 101, now: Dates.at(102))
        #expect(verified.record.verified && verified.secret != pending.secret)
        #expect(throws: StoreError.console(.sessionEnded(reason: .signOut))) {
            try database.consoleSession(secret: pending.secret, now: Dates.at(103))
        }
        let again = try database.openConsoleSession(userID: staff.id, login: "olivia", awaitingSecondFactor: true, address: "a", now: Dates.at(200))
        #expect(throws: StoreError.console(.secondFactorRefused)) {
            try database.verifySecondFactor(sessionID: again.record.id, login: "olivia", step: 101, now: Dates.at(201))
        }
        #expect(throws: StoreError.console(.sessionUnknown)) {
            try database.verifySecondFactor(sessionID: again.record.id, login: "olivia", step: 102, now: Dates.at(200 + 300))
        }
    }

    @Test func failedSignInsAreCountedPerLoginAndPerAddress() throws {
        for second in 0..<5 {
            try database.recordSignInFailure(
                login: "paul", address: "198.51.100.\(second)", user: nil, reason: "wrong-password", now: Dates.at(TimeInterval(second)))
        }
        #expect(try database.signInRetryAfter(login: "paul", address: "203.0.113.9", now: Dates.at(10)) == Dates.at(15 * 60))
        #expect(try database.signInRetryAfter(login: "PAUL", address: "203.0.113.9", now: Dates.at(15 * 60)) == nil)
        for index in 0..<20 {
            try database.recordSignInFailure(login: "user\(index)", address: "203.0.113.7", user: nil, reason: "unknown-login", now: Dates.at(1000))
        }
        #expect(try database.signInRetryAfter(login: "someone", address: "203.0.113.7", now: Dates.at(1001)) == Dates.at(1000 + 15 * 60))
    }
}
