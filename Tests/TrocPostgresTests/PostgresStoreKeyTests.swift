import Foundation
import Testing
import TrocCore
import TrocCrypto
import TrocPostgres
import TrocStore

/// The broker's own keys (created once, opened only with their master key, rewrapped by a rotation) and the firms'
/// delivery keys and their changes; the same on both backends, and on PostgreSQL the same across instances.
extension PostgresTests {
    @Suite struct KeyStore {
        typealias Admin = UserAdministrationStore
        typealias Files = FileStore
        static let start = Admin.start

        /// A rotation's expected counts.
        static func summary(blobs: Int = 0, brokerKeys: Int = 0, secrets: Int = 0, alreadyRotated: Int = 0) -> RotationSummary {
            var summary = RotationSummary()
            (summary.blobs, summary.brokerKeys, summary.secrets, summary.alreadyRotated) = (blobs, brokerKeys, secrets, alreadyRotated)
            return summary
        }

        @Test(
            "the broker's keys are created once, open only with their master key, and a rotation rewraps every key once",
            arguments: Backend.allCases)
        func brokerKeys(backend: Backend) async throws {
            let blobs = try Files.Blobs()
            try await backend.withStore { store in
                #expect(try await store.activeBrokerKey() == nil)
                let masterKey = blobs.masterKey
                let keys = try await store.ensureBrokerKeys(masterKey: masterKey, now: Self.start)
                let again = try await store.ensureBrokerKeys(masterKey: masterKey, now: Self.start.addingTimeInterval(60))
                #expect(again.id == keys.id && again.publicKey.pemText == keys.publicKey.pemText)
                #expect(try await store.activeBrokerKey()?.publicKeyPEM == keys.publicKey.pemText)
                let other = MasterKey.generate()
                await #expect(throws: StoreError.wrongMasterKey(expected: masterKey.id.description, loaded: other.id.description)) {
                    try await store.ensureBrokerKeys(masterKey: other, now: Self.start)
                }

                let (alpha, _) = try await Admin.firm(store, siren: "292929292")
                let file = try await Files.upload(store, blobs, organisationID: alpha.id)
                await #expect(throws: StoreError.rotationToSameKey(masterKeyID: masterKey.id.description)) {
                    try await store.rotateMasterKey(from: masterKey, to: masterKey)
                }
                #expect(try await store.rotateMasterKey(from: masterKey, to: other) == Self.summary(blobs: 1, brokerKeys: 1, secrets: 1))
                #expect(try await store.rotateMasterKey(from: masterKey, to: other) == Self.summary(alreadyRotated: 3))
                let reopened = try await store.ensureBrokerKeys(masterKey: other, now: Self.start)
                #expect(reopened.id == keys.id && reopened.privateKey.rawRepresentation == keys.privateKey.rawRepresentation)
                let blob = try #require(try await store.blob(id: file.blobID))
                let reader = try blobs.store.openReader(blobID: blob.id, wrappedKey: try blob.parsedWrappedKey(), masterKey: other)
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256, alignment: 1)
                defer { buffer.deallocate() }
                #expect(try reader.read(into: buffer) == 64 && buffer[..<64].allSatisfy { $0 == 0x2C })
                await #expect(throws: StoreError.wrongMasterKey(expected: other.id.description, loaded: masterKey.id.description)) {
                    try await store.ensureBrokerKeys(masterKey: masterKey, now: Self.start)
                }
            }
        }

        @Test(
            "a firm registers its first key once; a new key is requested, confirmed by fingerprint, approved and in force after the delay",
            arguments: Backend.allCases)
        func keyChanges(backend: Backend) async throws {
            try await backend.withStore { store in
                let operatorActor = try await Admin.makeOperator(store)
                let (alpha, admin) = try await Admin.firm(store, siren: "313131313")
                let partner = Admin.actor(admin.user)
                let first = EnvelopePrivateKey.generate().publicKey
                let second = EnvelopePrivateKey.generate().publicKey
                await #expect(throws: StoreError.account(.keyNotRegistered(organisationID: alpha.id))) {
                    try await store.requestKeyChange(organisationID: alpha.id, publicKey: second, note: nil, actor: partner, now: Self.start)
                }
                let registered = try await store.registerFirstPublicKey(organisationID: alpha.id, publicKey: first, actor: partner, now: Self.start)
                #expect(registered.publicKeyFingerprint == first.fingerprint)
                #expect(
                    try await store.registerFirstPublicKey(organisationID: alpha.id, publicKey: first, actor: partner, now: Self.start) == registered)
                await #expect(throws: StoreError.account(.keyAlreadyRegistered(organisationID: alpha.id, fingerprint: first.fingerprint))) {
                    try await store.registerFirstPublicKey(organisationID: alpha.id, publicKey: second, actor: partner, now: Self.start)
                }

                let requested = try await store.requestKeyChange(
                    organisationID: alpha.id, publicKey: second, note: " new laptop ", actor: partner, now: Self.start)
                #expect(requested.state == .requested && requested.note == "new laptop" && requested.oldFingerprint == first.fingerprint)
                #expect(try await store.openKeyChange(organisationID: alpha.id) == requested)
                await #expect(throws: StoreError.account(.keyChangeOpen(id: requested.id, state: .requested))) {
                    try await store.requestKeyChange(
                        organisationID: alpha.id, publicKey: EnvelopePrivateKey.generate().publicKey, note: nil, actor: partner, now: Self.start)
                }
                await #expect(throws: StoreError.account(.fingerprintMismatch(confirmed: first.fingerprint, requested: second.fingerprint))) {
                    try await store.approveKeyChange(
                        id: requested.id, confirmedFingerprint: first.fingerprint, reason: nil, actor: operatorActor, now: Self.start)
                }
                let approvedAt = Self.start.addingTimeInterval(60)
                let approved = try await store.approveKeyChange(
                    id: requested.id, confirmedFingerprint: second.fingerprint.lowercased(), reason: "called back", actor: operatorActor,
                    now: approvedAt)
                #expect(approved.state == .approved && approved.effectiveAt == approvedAt.addingTimeInterval(24 * 3600))
                await #expect(throws: StoreError.account(.keyChangeState(id: requested.id, state: .approved, action: "refused"))) {
                    try await store.refuseKeyChange(id: requested.id, reason: "late", actor: operatorActor, now: approvedAt)
                }
                #expect(try await store.settleKeyChanges(now: approvedAt.addingTimeInterval(3600)).isEmpty)
                #expect(try await store.organisation(id: alpha.id)?.publicKeyFingerprint == first.fingerprint)
                let settled = try await store.settleKeyChanges(now: approvedAt.addingTimeInterval(24 * 3600))
                #expect(settled.map(\.id) == [requested.id] && settled.first?.state == .effective)
                #expect(try await store.organisation(id: alpha.id)?.publicKeyPEM == second.pemText)
                #expect(try await store.openKeyChange(organisationID: alpha.id) == nil)

                let third = EnvelopePrivateKey.generate().publicKey
                let later = approvedAt.addingTimeInterval(25 * 3600)
                let refusedOne = try await store.requestKeyChange(organisationID: alpha.id, publicKey: third, note: nil, actor: partner, now: later)
                await #expect(throws: StoreError.self) {
                    try await store.refuseKeyChange(id: refusedOne.id, reason: "  ", actor: operatorActor, now: later)
                }
                #expect(
                    try await store.refuseKeyChange(id: refusedOne.id, reason: "not confirmed", actor: operatorActor, now: later).state == .refused)
                let cancelledOne = try await store.requestKeyChange(organisationID: alpha.id, publicKey: third, note: nil, actor: partner, now: later)
                #expect(try await store.cancelKeyChange(id: cancelledOne.id, reason: nil, actor: partner, now: later).state == .cancelled)
                #expect(
                    try await store.keyChanges(organisationID: alpha.id).map(\.state).sorted { $0.rawValue < $1.rawValue } == [
                        .cancelled, .effective, .refused,
                    ])
                #expect(try await store.keyChange(id: refusedOne.id)?.decisionReason == "not confirmed")

                let actions = try await store.auditEntries(dealID: nil, limit: 100, afterSeq: 0).map(\.action).filter {
                    $0.hasPrefix("organisation.key.")
                }
                #expect(
                    actions == [
                        "organisation.key.register", "organisation.key.change.request", "organisation.key.change.approve",
                        "organisation.key.change.effective", "organisation.key.change.request", "organisation.key.change.refuse",
                        "organisation.key.change.request", "organisation.key.change.cancel",
                    ])
                #expect((try await store.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }

        @Test("two instances starting at once share one broker key; settling one due change at once puts it in force once")
        func twoInstances() async throws {
            try await PostgresTests.withTwoInstances { first, second in
                let masterKey = MasterKey.generate()
                async let one = first.ensureBrokerKeys(masterKey: masterKey, now: Self.start)
                async let two = second.ensureBrokerKeys(masterKey: masterKey, now: Self.start)
                let (a, b) = try await (one, two)
                #expect(a.id == b.id && a.publicKey.pemText == b.publicKey.pemText)

                let operatorActor = try await Admin.makeOperator(first)
                let (alpha, admin) = try await Admin.firm(first, siren: "333333331")
                let partner = Admin.actor(admin.user)
                _ = try await first.registerFirstPublicKey(
                    organisationID: alpha.id, publicKey: EnvelopePrivateKey.generate().publicKey, actor: partner, now: Self.start)
                let next = EnvelopePrivateKey.generate().publicKey
                let change = try await second.requestKeyChange(
                    organisationID: alpha.id, publicKey: next, note: nil, actor: partner, now: Self.start)
                _ = try await first.approveKeyChange(
                    id: change.id, confirmedFingerprint: next.fingerprint, reason: nil, actor: operatorActor, now: Self.start)
                let due = Self.start.addingTimeInterval(25 * 3600)
                async let settledByFirst = first.settleKeyChanges(now: due)
                async let settledBySecond = second.settleKeyChanges(now: due)
                let (x, y) = try await (settledByFirst, settledBySecond)
                #expect(x.count + y.count == 1)
                let effective = try await first.auditEntries(dealID: nil, limit: 100, afterSeq: 0).filter {
                    $0.action == "organisation.key.change.effective"
                }
                #expect(effective.count == 1)
                #expect((try await first.verifyAudit(key: PostgresFixtures.auditKey, expecting: nil)).isIntact)
            }
        }
    }
}
