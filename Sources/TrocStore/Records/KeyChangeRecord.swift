package import Foundation
public import GRDB
package import TrocCore
package import TrocCrypto

extension KeyChangeState: DatabaseValueConvertible {}

/// A row of `key_change`: a firm's request to replace its delivery key, and what became of it.
package struct KeyChangeRecord: StoreRecord, Identifiable {
    package static let databaseTableName = "key_change"

    /// `kch_` and 16 base32 characters.
    package var id: String
    /// The firm whose key changes.
    package var organisationID: String
    /// Where the request stands.
    package var state: KeyChangeState
    /// Fingerprint of the key registered when the change was requested.
    package var oldFingerprint: String
    /// The new X25519 public key, SubjectPublicKeyInfo PEM.
    package var newPublicKeyPEM: String
    /// Its fingerprint, as `EnvelopePublicKey.fingerprint` shows it.
    package var newFingerprint: String
    /// The partner user who asked.
    package var requestedByUserID: String
    /// When.
    package var requestedAt: Date
    /// What the requester said about it.
    package var note: String?
    /// The operator who approved or refused it.
    package var decidedByUserID: String?
    /// When.
    package var decidedAt: Date?
    /// The operator's reason.
    package var decisionReason: String?
    /// When an approved change takes effect.
    package var effectiveAt: Date?
    /// Who cancelled it: a user of the firm or an operator.
    package var cancelledByUserID: String?
    /// When.
    package var cancelledAt: Date?
    /// Why.
    package var cancellationReason: String?

    /// A record with every column given (the other stores build it from their rows).
    package init(
        id: String, organisationID: String, state: KeyChangeState, oldFingerprint: String, newPublicKeyPEM: String, newFingerprint: String,
        requestedByUserID: String, requestedAt: Date, note: String?, decidedByUserID: String?, decidedAt: Date?, decisionReason: String?,
        effectiveAt: Date?, cancelledByUserID: String?, cancelledAt: Date?, cancellationReason: String?
    ) {
        self.id = id
        self.organisationID = organisationID
        self.state = state
        self.oldFingerprint = oldFingerprint
        self.newPublicKeyPEM = newPublicKeyPEM
        self.newFingerprint = newFingerprint
        self.requestedByUserID = requestedByUserID
        self.requestedAt = requestedAt
        self.note = note
        self.decidedByUserID = decidedByUserID
        self.decidedAt = decidedAt
        self.decisionReason = decisionReason
        self.effectiveAt = effectiveAt
        self.cancelledByUserID = cancelledByUserID
        self.cancelledAt = cancelledAt
        self.cancellationReason = cancellationReason
    }

    /// Column references for queries.
    package enum Columns {
        /// The firm.
        package static let organisationID = Column(CodingKeys.organisationID)
        /// The state.
        package static let state = Column(CodingKeys.state)
        /// When an approved change takes effect.
        package static let effectiveAt = Column(CodingKeys.effectiveAt)
        /// Request date.
        package static let requestedAt = Column(CodingKeys.requestedAt)
        /// The id, which breaks ties in listing order.
        package static let id = Column(CodingKeys.id)
    }
}

extension KeyChangeRecord {
    /// A firm's new request to replace its key `current` (a fingerprint) with `publicKey`, under a fresh id.
    package init(requesting publicKey: EnvelopePublicKey, replacing current: String, organisationID: String, userID: String, note: String?, now: Date)
    {
        self.init(
            id: RecordID.make(RecordID.keyChange), organisationID: organisationID, state: .requested, oldFingerprint: current,
            newPublicKeyPEM: publicKey.pemText, newFingerprint: publicKey.fingerprint, requestedByUserID: userID, requestedAt: Timestamp.stored(now),
            note: StoreRules.optionalReason(note), decidedByUserID: nil, decidedAt: nil, decisionReason: nil, effectiveAt: nil,
            cancelledByUserID: nil,
            cancelledAt: nil, cancellationReason: nil)
    }

    /// Approved by `actor`, in force `delay` after `now`.
    package mutating func approve(by actor: AuditActor, reason: String?, delay: TimeInterval, now: Date) {
        state = .approved
        decidedByUserID = actor.userID
        decidedAt = Timestamp.stored(now)
        decisionReason = StoreRules.optionalReason(reason)
        effectiveAt = Timestamp.stored(now.addingTimeInterval(delay))
    }

    /// Refused by `actor` for `reason` (already required).
    package mutating func refuse(by actor: AuditActor, reason: String, now: Date) {
        state = .refused
        decidedByUserID = actor.userID
        decidedAt = Timestamp.stored(now)
        decisionReason = reason
    }

    /// Cancelled by `actor` before it took effect.
    package mutating func cancel(by actor: AuditActor, reason: String?, now: Date) {
        state = .cancelled
        cancelledByUserID = actor.userID
        cancelledAt = Timestamp.stored(now)
        cancellationReason = StoreRules.optionalReason(reason)
    }
}
