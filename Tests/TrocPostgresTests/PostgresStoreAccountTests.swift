import Foundation
import Testing
import TrocCore
import TrocPostgres
import TrocStore

/// Organisations, users and tokens: the same scenarios on the SQLite store and on the PostgreSQL store, which must
/// agree on every result and every refusal.
extension PostgresTests {
    @Suite struct AccountStore {
        static let start = Date(timeIntervalSince1970: 1_767_225_600)

        static func partner(_ name: String, siren: String) -> OrganisationDraft {
            OrganisationDraft(
                kind: .partner, name: name, siren: siren, nafCode: "43.22B", street: "1 rue de la Paix", postcode: "75002", city: "Paris",
                countryCode: "FR")
        }

        static let broker = OrganisationDraft(
            kind: .broker, name: "Troc SAS", siren: "111111111", nafCode: "63.11Z", street: "1 rue de la Paix", postcode: "75002", city: "Paris",
            countryCode: "FR")

        @Test("organisations are created, read back and listed broker first, then by name ignoring case", arguments: Backend.allCases)
        func organisationsReadBack(backend: Backend) async throws {
            try await backend.withStore { store in
                let zeta = try await store.createOrganisation(Self.partner("zeta Isolation", siren: "222222222"), now: Self.start)
                let alpha = try await store.createOrganisation(Self.partner("Alpha Chauffage", siren: "333333333"), now: Self.start)
                #expect(try await store.brokerOrganisation() == nil)
                let broker = try await store.createOrganisation(Self.broker, now: Self.start)
                #expect(try await store.organisation(id: alpha.id) == alpha)
                #expect(try await store.organisation(id: "org_aaaaaaaaaaaaaaaa") == nil)
                #expect(try await store.organisations().map(\.id) == [broker.id, alpha.id, zeta.id])
                #expect(try await store.brokerOrganisation() == broker)
                #expect(alpha.createdAt == Self.start && alpha.nafNomenclature == .rev2)
            }
        }

        @Test("a SIREN already registered, a second broker and a malformed field are refused, saying which", arguments: Backend.allCases)
        func refusals(backend: Backend) async throws {
            try await backend.withStore { store in
                let first = try await store.createOrganisation(Self.partner("Alpha", siren: "444444444"), now: Self.start)
                await #expect(throws: StoreError.duplicateSIREN(siren: "444444444", existingOrganisationID: first.id)) {
                    try await store.createOrganisation(Self.partner("Beta", siren: "444444444"), now: Self.start)
                }
                let broker = try await store.createOrganisation(Self.broker, now: Self.start)
                var second = Self.broker
                second.siren = "555555555"
                await #expect(throws: StoreError.brokerAlreadyExists(existingOrganisationID: broker.id)) {
                    try await store.createOrganisation(second, now: Self.start)
                }
                await #expect(throws: StoreError.invalidField(field: "siren", value: "12345", reason: "a SIREN is 9 digits, without spaces")) {
                    try await store.createOrganisation(Self.partner("Gamma", siren: "12345"), now: Self.start)
                }
                #expect(try await store.organisations().count == 2)
            }
        }

        @Test("of six concurrent registrations of one SIREN, exactly one succeeds", arguments: Backend.allCases)
        func concurrentRegistrations(backend: Backend) async throws {
            try await backend.withStore { store in
                let outcomes = await withTaskGroup(of: Result<OrganisationRecord, StoreError>.self) { group in
                    for index in 0..<6 {
                        group.addTask {
                            do throws(StoreError) {
                                return .success(
                                    try await store.createOrganisation(Self.partner("Firm \(index)", siren: "666666666"), now: Self.start))
                            } catch {
                                return .failure(error)
                            }
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
                let winners = outcomes.compactMap { try? $0.get() }
                #expect(winners.count == 1)
                for case .failure(let error) in outcomes {
                    #expect(error == .duplicateSIREN(siren: "666666666", existingOrganisationID: winners.first?.id ?? ""))
                }
            }
        }

        @Test("a firm's first user holds the firm-admin right, the next does not; a role must fit the firm", arguments: Backend.allCases)
        func users(backend: Backend) async throws {
            try await backend.withStore { store in
                let firm = try await store.createOrganisation(Self.partner("Alpha", siren: "777777777"), now: Self.start)
                let first = try await store.createUser(organisationID: firm.id, role: .partner, name: "Anne", email: "anne@alpha.fr", now: Self.start)
                let second = try await store.createUser(
                    organisationID: firm.id, role: .partner, name: "Bruno", email: nil, now: Self.start.addingTimeInterval(1))
                #expect(first.firmAdmin && !second.firmAdmin)
                #expect(try await store.user(id: second.id) == second)
                #expect(try await store.users(organisationID: firm.id).map(\.id) == [first.id, second.id])
                await #expect(throws: StoreError.roleNotAllowed(role: .operator, organisationID: firm.id, organisationKind: .partner)) {
                    try await store.createUser(organisationID: firm.id, role: .operator, name: "Olivier", email: nil, now: Self.start)
                }
                await #expect(throws: StoreError.invalidField(field: "name", value: " ", reason: "a user needs a name")) {
                    try await store.createUser(organisationID: firm.id, role: .partner, name: " ", email: nil, now: Self.start)
                }
                await #expect(throws: StoreError.organisationNotFound(id: "org_aaaaaaaaaaaaaaaa")) {
                    try await store.createUser(organisationID: "org_aaaaaaaaaaaaaaaa", role: .partner, name: "Nobody", email: nil, now: Self.start)
                }
            }
        }

        @Test(
            "a token authenticates until it expires, its use written at most once a minute; bad secrets fail distinctly", arguments: Backend.allCases)
        func tokens(backend: Backend) async throws {
            try await backend.withStore { store in
                let firm = try await store.createOrganisation(Self.partner("Alpha", siren: "888888888"), now: Self.start)
                let user = try await store.createUser(organisationID: firm.id, role: .partner, name: "Anne", email: nil, now: Self.start)
                let expiry = Self.start.addingTimeInterval(3600)
                let issued = try await store.issueToken(userID: user.id, label: "laptop", expiresAt: expiry, now: Self.start)
                let older = try await store.issueToken(userID: user.id, label: "older", expiresAt: expiry, now: Self.start.addingTimeInterval(-10))
                let authenticated = try await store.authenticate(secret: issued.secret, now: Self.start.addingTimeInterval(10))
                #expect(authenticated.user == user && authenticated.organisation == firm && authenticated.token.id == issued.token.id)
                #expect(try await store.tokens(userID: user.id).map(\.lastUsedAt) == [Self.start.addingTimeInterval(10), nil])
                _ = try await store.authenticate(secret: issued.secret, now: Self.start.addingTimeInterval(40))
                #expect(try await store.tokens(userID: user.id).first?.lastUsedAt == Self.start.addingTimeInterval(10))
                _ = try await store.authenticate(secret: issued.secret, now: Self.start.addingTimeInterval(70))
                #expect(try await store.tokens(userID: user.id).map(\.id) == [issued.token.id, older.token.id])
                #expect(try await store.tokens(userID: user.id).first?.lastUsedAt == Self.start.addingTimeInterval(70))
                await #expect(throws: StoreError.tokenExpired(id: issued.token.id, expiredAt: expiry)) {
                    try await store.authenticate(secret: issued.secret, now: expiry)
                }
                await #expect(throws: StoreError.tokenMalformed) { try await store.authenticate(secret: "troc_short", now: Self.start) }
                let unknown = "troc_" + String(repeating: "A", count: 43)
                await #expect(throws: StoreError.tokenUnknown) { try await store.authenticate(secret: unknown, now: Self.start) }
                await #expect(throws: StoreError.expiryNotInFuture(expiresAt: Self.start, now: Self.start)) {
                    try await store.issueToken(userID: user.id, label: "past", expiresAt: Self.start, now: Self.start)
                }
                await #expect(throws: StoreError.userNotFound(id: "usr_aaaaaaaaaaaaaaaa")) {
                    try await store.issueToken(userID: "usr_aaaaaaaaaaaaaaaa", label: "x", expiresAt: expiry, now: Self.start)
                }
            }
        }

        @Test("a NAF code change is audited with its reason, refused without one, and a no-op when nothing changes", arguments: Backend.allCases)
        func nafChange(backend: Backend) async throws {
            try await backend.withStore { store in
                let firm = try await store.createOrganisation(Self.partner("Alpha", siren: "999999999"), now: Self.start)
                let actor = PostgresFixtures.operatorActor
                await #expect(
                    throws: StoreError.invalidField(field: "reason", value: " ", reason: "a reason is required and recorded in the audit trail")
                ) {
                    try await store.changeNAFCode(
                        organisationID: firm.id, nafCode: "43.32A", nomenclature: .rev2, reason: " ", actor: actor, now: Self.start)
                }
                let changed = try await store.changeNAFCode(
                    organisationID: firm.id, nafCode: "43.32A", nomenclature: .rev2, reason: "menuiserie, pas chauffage", actor: actor,
                    now: Self.start)
                let stored = try await store.organisation(id: firm.id)
                #expect(changed.nafCode == "43.32A" && stored == changed)
                _ = try await store.changeNAFCode(
                    organisationID: firm.id, nafCode: "43.32A", nomenclature: .rev2, reason: "again", actor: actor, now: Self.start)
                let audit = try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)
                #expect(audit.isIntact && audit.entryCount == 1)
                await #expect(throws: StoreError.organisationNotFound(id: "org_aaaaaaaaaaaaaaaa")) {
                    try await store.changeNAFCode(
                        organisationID: "org_aaaaaaaaaaaaaaaa", nafCode: "43.32A", nomenclature: .rev2, reason: "r", actor: actor, now: Self.start)
                }
            }
        }
    }
}
