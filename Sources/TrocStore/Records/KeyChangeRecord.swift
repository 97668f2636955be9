package import Foundation
public import GRDB
package import TrocCore

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
