import Foundation
import Testing
import TrocCore
import TrocPostgres
import TrocStore

/// Console enrolment codes: issued by an operator or the firm's administrator, one live per user, used once; the same
/// on both backends.
extension PostgresTests {
    @Suite struct EnrolmentStore {
        typealias Admin = UserAdministrationStore
        static let start = Admin.start
        /// A bcrypt hash of the shape the schema checks (the store never reads the password).
        static let passwordHash = "$2b$12$" + String(repeating: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0", count: 1)

        @Test("a code is used once, a newer one revokes the unused older one, and a login belongs to one user", arguments: Backend.allCases)
        func enrolment(backend: Backend) async throws {
            try await backend.withStore { store in
                let (firm, admin) = try await Admin.firm(store, siren: "171717171")
                let operatorActor = try await Admin.makeOperator(store)
                let bruno = try await store.addUser(
                    UserDraft(organisationID: firm.id, role: .partner, name: "Bruno", email: nil), reason: nil, firstTokenExpiresAt: Admin.expiry,
                    creator: Admin.actor(admin.user), now: Self.start)
                await #expect(throws: StoreError.userNotFound(id: admin.user.id)) {
                    try await store.issueEnrolmentCode(userID: admin.user.id, actor: Admin.actor(bruno.user), now: Self.start)
                }
                let first = try await store.issueEnrolmentCode(userID: bruno.user.id, actor: Admin.actor(admin.user), now: Self.start)
                let second = try await store.issueEnrolmentCode(userID: bruno.user.id, actor: operatorActor, now: Self.start.addingTimeInterval(5))
                await #expect(throws: StoreError.console(.enrolmentCodeRevoked(revokedAt: Self.start.addingTimeInterval(5)))) {
                    try await store.enrolmentUser(code: first.code, now: Self.start.addingTimeInterval(6))
                }
                let typed = second.code.lowercased().replacingOccurrences(of: "-", with: " ")
                #expect(try await store.enrolmentUser(code: typed, now: Self.start.addingTimeInterval(6)).user == bruno.user)
                let annesCode = try await store.issueEnrolmentCode(userID: admin.user.id, actor: operatorActor, now: Self.start)
                _ = try await store.completeEnrolment(
                    code: annesCode.code, ConsoleEnrolment(login: "anne", passwordHash: Self.passwordHash, totp: nil), now: Self.start)
                await #expect(throws: StoreError.console(.loginTaken(login: "anne"))) {
                    try await store.completeEnrolment(
                        code: second.code, ConsoleEnrolment(login: "anne", passwordHash: Self.passwordHash, totp: nil), now: Self.start)
                }
                let used = Self.start.addingTimeInterval(10)
                let enrolled = try await store.completeEnrolment(
                    code: second.code,
                    ConsoleEnrolment(login: "bruno.durand", passwordHash: Self.passwordHash, totp: nil, clientAddress: "192.0.2.7"),
                    now: used)
                #expect(enrolled == bruno.user)
                await #expect(throws: StoreError.console(.enrolmentCodeUsed(usedAt: used))) {
                    try await store.enrolmentUser(code: second.code, now: used)
                }
                let late = try await store.issueEnrolmentCode(userID: bruno.user.id, actor: operatorActor, now: used)
                await #expect(
                    throws: StoreError.console(.enrolmentCodeExpired(expiredAt: used.addingTimeInterval(AppDatabase.enrolmentCodeLifetime)))
                ) {
                    try await store.enrolmentUser(code: late.code, now: used.addingTimeInterval(AppDatabase.enrolmentCodeLifetime))
                }
                await #expect(throws: StoreError.console(.enrolmentCodeUnknown)) {
                    try await store.enrolmentUser(code: "AAAA-BBBB-CCCC-DDDD-EEEE", now: used)
                }
                let audit = try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)
                #expect(audit.isIntact && audit.entryCount == 8)
            }
        }
    }
}
