import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing
import TrocCore
import TrocCrypto
import TrocServer
import TrocStore

/// A firm's delivery key: registered once by the firm, then changed only by a request an operator approves after an
/// out-of-band fingerprint check, in force after a delay the firm can cancel in, audited at each step. Each test starts
/// with the attack it stops.
@Suite struct KeyChangeAPITests {
    /// The attack: a stolen partner token replaces the firm's delivery key, so later downloads are sealed to the thief.
    @Test func aPartnerTokenCannotSilentlyReplaceTheFirmsKey() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let thief = EnvelopePrivateKey.generate()
            let replaced = try await client.call(
                .put, "/v1/organisations/\(parties.joinery.id)/public-key", token: parties.joineryToken, json: registration(thief.publicKey))
            #expect(replaced.status == .conflict, "today the key is replaced: \(String(buffer: replaced.body))")
            let problem = try ServerTestJSON.problem(replaced)
            #expect(problem.code == "key.already-registered" && problem.detail.contains(parties.joineryKey.publicKey.fingerprint))
            #expect(problem.detail.contains("troc keys request"))
            let organisation = try await client.decoded(
                Organisation.self, .get, "/v1/organisations/\(parties.joinery.id)", token: parties.joineryToken)
            #expect(organisation.publicKeyFingerprint == parties.joineryKey.publicKey.fingerprint)

            // The same key again is a harmless retry; the first registration was audited.
            _ = try await client.decoded(
                Organisation.self, .put, "/v1/organisations/\(parties.joinery.id)/public-key", token: parties.joineryToken,
                json: registration(parties.joineryKey.publicKey))
            let registered = try await auditEntries(client, broker, action: "organisation.key.register")
            #expect(registered.count == 2 && registered.allSatisfy { $0.actorRole == .partner })
            #expect(
                registered.contains {
                    $0.organisationId == parties.joinery.id && $0.detail["fingerprint"] == parties.joineryKey.publicKey.fingerprint
                })

            // The thief's request is only a request: nothing is sealed to its key, and the firm sees it.
            let request = try await requestChange(client, parties, to: thief.publicKey)
            #expect(request.state == .requested && request.oldFingerprint == parties.joineryKey.publicKey.fingerprint)
            #expect(request.newFingerprint == thief.publicKey.fingerprint)
            let deal = try await parties.releasedDeal(client, broker)
            let delivery = try await client.call(.get, "/v1/deals/\(deal.id)/delivery", token: parties.joineryToken)
            #expect(delivery.headers[.trocKeyFingerprint] == parties.joineryKey.publicKey.fingerprint)
            var opener = EnvelopeOpener(
                privateKey: parties.joineryKey,
                purpose: try EnvelopePurpose(TransferPurpose.delivery(dealID: deal.id, organisationID: parties.joinery.id)))
            _ = try opener.feed(Data(buffer: delivery.body))
            try opener.finish()
        }
    }

    /// A change needs an operator's approval with the fingerprint the firm confirmed, and waits out the delay.
    @Test func aChangeIsApprovedWithTheConfirmedFingerprintAndTakesEffectAfterTheDelay() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let next = EnvelopePrivateKey.generate()
            let change = try await requestChange(client, parties, to: next.publicKey, note: "laptop replaced")
            #expect(change.nextStep.contains("by telephone or in person") && change.nextStep.contains("24 h"))
            #expect(change.note == "laptop replaced")

            // One open change per firm; the same key is no change; another firm, or a partner, cannot act on it.
            _ = try await client.problem(
                .post, "/v1/organisations/\(parties.joinery.id)/key-changes", token: parties.joineryToken,
                json: newKeyChange(EnvelopePrivateKey.generate().publicKey), status: 409, code: "key-change.open")
            _ = try await client.problem(.get, "/v1/key-changes/\(change.id)", token: parties.heatingToken, status: 404, code: "not-found")
            let approval = #"{"confirmedFingerprint": "\#(next.publicKey.fingerprint)"}"#
            _ = try await client.problem(
                .post, "/v1/key-changes/\(change.id)/approve", token: parties.joineryToken, json: approval, status: 403, code: "auth.forbidden-role")

            // The operator's worklist shows it; a fingerprint the firm did not read out is refused and changes nothing.
            let waiting = try await client.decoded([KeyChange].self, .get, "/v1/key-changes?state=requested", token: broker.operatorToken)
            #expect(waiting.map(\.id) == [change.id])
            let wrong = try await client.problem(
                .post, "/v1/key-changes/\(change.id)/approve", token: broker.operatorToken,
                json: #"{"confirmedFingerprint": "\#(parties.heatingKey.publicKey.fingerprint)"}"#, status: 422,
                code: "key-change.fingerprint-mismatch")
            #expect(wrong.errors?.first?.field == "confirmedFingerprint")
            let typed = next.publicKey.fingerprint.uppercased().replacingOccurrences(of: ":", with: " ")
            let approved = try await client.decoded(
                KeyChange.self, .post, "/v1/key-changes/\(change.id)/approve", token: broker.operatorToken,
                json: #"{"confirmedFingerprint": "\#(typed)", "reason": "read back by phone"}"#)
            #expect(approved.state == .approved && approved.effectiveAt == broker.clock.now.addingTimeInterval(24 * 3600).rounded)
            _ = try await client.problem(
                .post, "/v1/key-changes/\(change.id)/approve", token: broker.operatorToken, json: approval, status: 409, code: "key-change.state")

            // During the delay the old key stays in force, and every user of the firm sees the change.
            broker.clock.advance(days: 0.99)
            let during = try await client.decoded(Me.self, .get, "/v1/me", token: parties.joineryToken)
            #expect(during.pendingKeyChange?.id == change.id && during.pendingKeyChange?.state == .approved)
            #expect(during.organisation.publicKeyFingerprint == parties.joineryKey.publicKey.fingerprint)
            #expect(try await client.decoded(Me.self, .get, "/v1/me", token: parties.heatingToken).pendingKeyChange == nil)

            broker.clock.advance(days: 0.02)
            let after = try await client.decoded(Me.self, .get, "/v1/me", token: parties.joineryToken)
            #expect(after.pendingKeyChange == nil && after.organisation.publicKeyFingerprint == next.publicKey.fingerprint)
            let effective = try await client.decoded(KeyChange.self, .get, "/v1/key-changes/\(change.id)", token: parties.joineryToken)
            #expect(effective.state == .effective)
            _ = try await client.problem(
                .post, "/v1/key-changes/\(change.id)/cancel", token: parties.joineryToken, json: "{}", status: 409, code: "key-change.state")

            // Each step is in the trail with both fingerprints.
            for (action, role) in [
                ("organisation.key.change.request", Role.partner), ("organisation.key.change.approve", .operator),
                ("organisation.key.change.effective", nil),
            ] {
                let entries = try await auditEntries(client, broker, action: action)
                #expect(entries.count == 1 && entries[0].actorRole == role, "\(action): \(entries)")
                #expect(entries.first?.detail["newFingerprint"] == next.publicKey.fingerprint)
                #expect(entries.first?.detail["oldFingerprint"] == parties.joineryKey.publicKey.fingerprint)
            }
        }
    }

    /// A change nobody in the firm asked for is seen by its users and cancelled during the delay; refusals need a reason.
    @Test func theFirmCancelsAChangeItDidNotAskFor() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let colleague = try await client.decoded(
                CreatedUser.self, .post, "/v1/users", token: parties.joineryToken, json: #"{"name": "Paul", "role": "partner"}"#)
            let thief = EnvelopePrivateKey.generate()
            let change = try await requestChange(client, parties, to: thief.publicKey)
            _ = try await client.decoded(
                KeyChange.self, .post, "/v1/key-changes/\(change.id)/approve", token: broker.operatorToken,
                json: #"{"confirmedFingerprint": "\#(thief.publicKey.fingerprint)"}"#)

            let seen = try await client.decoded(Me.self, .get, "/v1/me", token: colleague.token.token)
            #expect(seen.pendingKeyChange?.newFingerprint == thief.publicKey.fingerprint)
            _ = try await client.problem(
                .post, "/v1/key-changes/\(change.id)/cancel", token: parties.heatingToken, json: "{}", status: 404, code: "not-found")
            let cancelled = try await client.decoded(
                KeyChange.self, .post, "/v1/key-changes/\(change.id)/cancel", token: colleague.token.token, json: #"{"reason": "not ours"}"#)
            #expect(cancelled.state == .cancelled && cancelled.cancelledBy == colleague.user.id && cancelled.cancellationReason == "not ours")

            broker.clock.advance(days: 2)
            let organisation = try await client.decoded(
                Organisation.self, .get, "/v1/organisations/\(parties.joinery.id)", token: parties.joineryToken)
            #expect(organisation.publicKeyFingerprint == parties.joineryKey.publicKey.fingerprint)
            #expect(try await auditEntries(client, broker, action: "organisation.key.change.cancel").first?.reason == "not ours")

            // A new request is possible again; an operator refuses it only with a reason.
            let second = try await requestChange(client, parties, to: thief.publicKey)
            let refusal = try await client.problem(
                .post, "/v1/key-changes/\(second.id)/refuse", token: broker.operatorToken, json: "{}", status: 422,
                code: "key-change.reason-required")
            #expect(refusal.errors?.first?.field == "reason")
            let refused = try await client.decoded(
                KeyChange.self, .post, "/v1/key-changes/\(second.id)/refuse", token: broker.operatorToken,
                json: #"{"reason": "the firm did not confirm it"}"#)
            #expect(refused.state == .refused && refused.nextStep.contains("the firm did not confirm it"))
            let listed = try await client.decoded(
                [KeyChange].self, .get, "/v1/organisations/\(parties.joinery.id)/key-changes", token: parties.joineryToken)
            #expect(listed.map(\.state) == [.refused, .cancelled])
        }
    }

    /// A delivery is sealed to the key registered when it was released, even after the firm's key changed.
    @Test func aDeliveryIsSealedToTheKeyRegisteredAtRelease() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await parties.releasedDeal(client, broker)
            let next = EnvelopePrivateKey.generate()
            let change = try await requestChange(client, parties, to: next.publicKey)
            _ = try await client.decoded(
                KeyChange.self, .post, "/v1/key-changes/\(change.id)/approve", token: broker.operatorToken,
                json: #"{"confirmedFingerprint": "\#(next.publicKey.fingerprint)"}"#)
            broker.clock.advance(days: 1.5)
            let me = try await client.decoded(Me.self, .get, "/v1/me", token: parties.joineryToken)
            #expect(me.organisation.publicKeyFingerprint == next.publicKey.fingerprint)

            let view = try await client.decoded(Deal.self, .get, "/v1/deals/\(deal.id)", token: parties.joineryToken)
            #expect(view.delivery?.keyFingerprint == parties.joineryKey.publicKey.fingerprint)
            let csv = try await parties.download(client, deal: deal.id, for: parties.joinery.id)
            #expect(!deliveryRows(csv).isEmpty)
            let response = try await client.call(.get, "/v1/deals/\(deal.id)/delivery", token: parties.joineryToken)
            #expect(response.headers[.trocKeyFingerprint] == parties.joineryKey.publicKey.fingerprint)
            let downloads = try await auditEntries(client, broker, action: "delivery.download")
            #expect(downloads.allSatisfy { $0.detail["keyFingerprint"] == parties.joineryKey.publicKey.fingerprint })
        }
    }

    /// A firm that had no key at release gets its delivery sealed to its first key, shown on download.
    @Test func aFirmWithoutAKeyAtReleaseGetsItsFirstKey() async throws {
        try await TestBroker.withParties(keys: false) { client, broker, parties in
            let deal = try await parties.releasedDeal(client, broker)
            #expect(try await client.decoded(Deal.self, .get, "/v1/deals/\(deal.id)", token: parties.heatingToken).delivery?.keyFingerprint == nil)
            _ = try await client.problem(.get, "/v1/deals/\(deal.id)/delivery", token: parties.heatingToken, status: 409, code: "delivery.no-key")
            try await parties.registerKey(client, for: parties.heating.id)
            let csv = try await parties.download(client, deal: deal.id, for: parties.heating.id)
            #expect(!deliveryRows(csv).isEmpty)
            let view = try await client.decoded(Deal.self, .get, "/v1/deals/\(deal.id)", token: parties.heatingToken)
            #expect(view.delivery?.keyFingerprint == parties.heatingKey.publicKey.fingerprint && view.delivery?.downloadsRemaining == 2)
        }
    }

    /// The body of a first key registration.
    func registration(_ key: EnvelopePublicKey) throws -> String {
        #"{"publicKey": \#(String(decoding: try JSONEncoder().encode(key.pemText), as: UTF8.self))}"#
    }

    /// The body of a key-change request.
    func newKeyChange(_ key: EnvelopePublicKey, note: String? = nil) throws -> String {
        String(decoding: try JSONEncoder().encode(NewKeyChange(publicKey: key.pemText, note: note)), as: UTF8.self)
    }

    /// The joinery asks for `key` to become its delivery key.
    func requestChange(_ client: any TestClientProtocol, _ parties: DealParties, to key: EnvelopePublicKey, note: String? = nil) async throws
        -> KeyChange
    {
        try await client.decoded(
            KeyChange.self, .post, "/v1/organisations/\(parties.joinery.id)/key-changes", token: parties.joineryToken,
            json: try newKeyChange(key, note: note))
    }
}

/// The audit entries of one action, oldest first.
func auditEntries(_ client: any TestClientProtocol, _ broker: TestBroker, action: String) async throws -> [AuditEntryView] {
    try await client.decoded([AuditEntryView].self, .get, "/v1/audit?limit=1000", token: broker.operatorToken).filter { $0.action == action }
}

extension Date {
    /// The instant as the store keeps it, in whole seconds.
    var rounded: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
