import Foundation
import Testing
import TrocCore
import TrocPostgres
import TrocStore

/// Adding and disabling users, minting and revoking tokens: the account rules, the same on both backends.
extension PostgresTests {
    @Suite struct UserAdministrationStore {
        static let start = Date(timeIntervalSince1970: 1_767_225_600)
        static let expiry = start.addingTimeInterval(86_400)

        /// The broker organisation's operator, created once for a store (audit entries name a user that exists).
        static func makeOperator(_ store: any AccountRecords) async throws -> AuditActor {
            if let existing = try await store.brokerOrganisation(), let user = try await store.users(organisationID: existing.id).first {
                return actor(user)
            }
            let broker = try await store.createOrganisation(PostgresTests.AccountStore.broker, now: start)
            return actor(try await store.createUser(organisationID: broker.id, role: .operator, name: "Olivier", email: nil, now: start))
        }

        /// A partner firm with its first user (the firm administrator) added by the operator.
        static func firm(_ store: any AccountRecords, siren: String) async throws -> (OrganisationRecord, CreatedAccount) {
            let firm = try await store.createOrganisation(PostgresTests.AccountStore.partner("Alpha \(siren)", siren: siren), now: start)
            let admin = try await store.addUser(
                UserDraft(organisationID: firm.id, role: .partner, name: "Anne", email: "anne@alpha.fr"), reason: nil, firstTokenExpiresAt: expiry,
                creator: try await makeOperator(store), now: start)
            return (firm, admin)
        }

        static func actor(_ user: UserRecord) -> AuditActor {
            AuditActor(userID: user.id, role: user.role, organisationID: user.organisationID)
        }

        @Test(
            "an operator adds a firm's first user; later ones come from its administrator, or an operator with a reason", arguments: Backend.allCases)
        func addingUsers(backend: Backend) async throws {
            try await backend.withStore { store in
                let (firm, admin) = try await Self.firm(store, siren: "121212121")
                #expect(admin.user.firmAdmin && admin.user.creationReason == nil && admin.token.token.label == "first token")
                #expect(try await store.authenticate(secret: admin.token.secret, now: Self.start).user == admin.user)
                let second = UserDraft(organisationID: firm.id, role: .partner, name: "Bruno", email: nil)
                await #expect {
                    try await store.addUser(
                        second, reason: " ", firstTokenExpiresAt: Self.expiry, creator: try await Self.makeOperator(store), now: Self.start)
                } throws: { error in
                    guard case StoreError.account(.reasonRequired(subject: "user", _)) = error else { return false }
                    return true
                }
                let byOperator = try await store.addUser(
                    second, reason: "la gérante est en congé", firstTokenExpiresAt: Self.expiry, creator: try await Self.makeOperator(store),
                    now: Self.start)
                #expect(!byOperator.user.firmAdmin && byOperator.user.creationReason == "la gérante est en congé")
                let byAdmin = try await store.addUser(
                    UserDraft(organisationID: firm.id, role: .partner, name: "Claire", email: nil), reason: nil, firstTokenExpiresAt: Self.expiry,
                    creator: Self.actor(admin.user), now: Self.start)
                #expect(byAdmin.user.createdByUserID == admin.user.id)
                await #expect(throws: StoreError.account(.firmAdminRequired(organisationID: firm.id))) {
                    try await store.addUser(
                        UserDraft(organisationID: firm.id, role: .partner, name: "Denis", email: nil), reason: nil,
                        firstTokenExpiresAt: Self.expiry, creator: Self.actor(byOperator.user), now: Self.start)
                }
                #expect(try await store.users(organisationID: firm.id).count == 3)
                let audit = try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)
                #expect(audit.isIntact && audit.entryCount == 3)
            }
        }

        @Test("disabling a user stops all its tokens at once; nobody disables itself or another firm's user", arguments: Backend.allCases)
        func disablingUsers(backend: Backend) async throws {
            try await backend.withStore { store in
                let (firm, admin) = try await Self.firm(store, siren: "131313131")
                let (_, stranger) = try await Self.firm(store, siren: "141414141")
                let bruno = try await store.addUser(
                    UserDraft(organisationID: firm.id, role: .partner, name: "Bruno", email: nil), reason: nil, firstTokenExpiresAt: Self.expiry,
                    creator: Self.actor(admin.user), now: Self.start)
                let laptop = try await store.issueToken(userID: bruno.user.id, label: "laptop", expiresAt: Self.expiry, now: Self.start)
                await #expect(throws: StoreError.account(.selfDisable(userID: admin.user.id))) {
                    try await store.disableUser(id: admin.user.id, reason: nil, actor: Self.actor(admin.user), now: Self.start)
                }
                await #expect(throws: StoreError.userNotFound(id: bruno.user.id)) {
                    try await store.disableUser(id: bruno.user.id, reason: nil, actor: Self.actor(stranger.user), now: Self.start)
                }
                let later = Self.start.addingTimeInterval(60)
                let disabled = try await store.disableUser(id: bruno.user.id, reason: "départ", actor: Self.actor(admin.user), now: later)
                #expect(disabled.disabledAt == later)
                for secret in [bruno.token.secret, laptop.secret] {
                    await #expect(
                        throws: StoreError.tokenUserDisabled(
                            tokenID: secret == laptop.secret ? laptop.token.id : bruno.token.token.id,
                            userID: bruno.user.id, disabledAt: later)
                    ) {
                        try await store.authenticate(secret: secret, now: later)
                    }
                }
                #expect(try await store.tokens(userID: bruno.user.id).allSatisfy { $0.revokedAt == later })
                let again = try await store.disableUser(
                    id: bruno.user.id, reason: nil, actor: try await Self.makeOperator(store), now: later.addingTimeInterval(60))
                #expect(again.disabledAt == later)
                let audit = try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)
                #expect(audit.isIntact && audit.entryCount == 4)
            }
        }

        @Test("a minted token never outlives its parent and is revoked with it", arguments: Backend.allCases)
        func mintingAndRevoking(backend: Backend) async throws {
            try await backend.withStore { store in
                let (_, admin) = try await Self.firm(store, siren: "151515151")
                let (_, stranger) = try await Self.firm(store, siren: "161616161")
                let anne = Self.actor(admin.user)
                let child = try await store.mintToken(
                    parentTokenID: admin.token.token.id, label: "ci", expiresAt: Self.expiry.addingTimeInterval(3600), actor: anne, now: Self.start)
                #expect(child.token.expiresAt == Self.expiry && child.token.parentID == admin.token.token.id)
                let grandchild = try await store.mintToken(
                    parentTokenID: child.token.id, label: "script", expiresAt: Self.start.addingTimeInterval(600), actor: anne, now: Self.start)
                #expect(grandchild.token.expiresAt == Self.start.addingTimeInterval(600))
                await #expect(throws: StoreError.tokenNotFound(id: admin.token.token.id)) {
                    try await store.mintToken(
                        parentTokenID: admin.token.token.id, label: "x", expiresAt: Self.expiry, actor: Self.actor(stranger.user), now: Self.start)
                }
                await #expect(throws: StoreError.tokenNotFound(id: child.token.id)) {
                    try await store.revokeToken(id: child.token.id, actor: Self.actor(stranger.user), now: Self.start)
                }
                let later = Self.start.addingTimeInterval(30)
                let revoked = try await store.revokeToken(id: child.token.id, actor: anne, now: later)
                #expect(Set(revoked.map(\.id)) == [child.token.id, grandchild.token.id] && revoked.allSatisfy { $0.revokedAt == later })
                #expect(try await store.revokeToken(id: child.token.id, actor: anne, now: later.addingTimeInterval(1)).isEmpty)
                await #expect(throws: StoreError.tokenRevoked(id: child.token.id, revokedAt: later)) {
                    try await store.mintToken(parentTokenID: child.token.id, label: "y", expiresAt: Self.expiry, actor: anne, now: later)
                }
                #expect(try await store.authenticate(secret: admin.token.secret, now: later).token.revokedAt == nil)
                let audit = try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)
                #expect(audit.isIntact && audit.entryCount == 5)
            }
        }
    }
}
