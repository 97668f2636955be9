import Foundation
import TrocCore
import TrocStore

extension Organisation {
    /// The API form of a stored organisation.
    init(_ record: OrganisationRecord, sectors: SectorRules) {
        self.init(
            id: record.id, kind: record.kind, name: record.name, siren: record.siren, siret: record.siret, vatNumber: record.vatNumber,
            nafCode: record.nafCode, nafNomenclature: record.nafNomenclature,
            nafLabel: sectors.reference.subclass(record.nafCode, in: record.nafNomenclature)?.label,
            address: PostalAddress(street: record.street, postcode: record.postcode, city: record.city, countryCode: record.countryCode),
            publicKeyFingerprint: record.publicKeyFingerprint, createdAt: record.createdAt)
    }
}

extension User {
    /// The API form of a stored user; `creator` is the user who created it, when known.
    init(_ record: UserRecord, creator: UserRecord?) {
        self.init(
            id: record.id, name: record.name, email: record.email, role: record.role, organisationId: record.organisationID,
            createdAt: record.createdAt, disabledAt: record.disabledAt, firmAdmin: record.firmAdmin, createdBy: record.createdByUserID,
            createdByRole: creator?.role, creationReason: record.creationReason)
    }
}

extension TokenInfo {
    /// The API form of a stored token (never its secret, which is not stored).
    init(_ record: TokenRecord) {
        self.init(
            id: record.id, label: record.label, createdAt: record.createdAt, expiresAt: record.expiresAt, revokedAt: record.revokedAt,
            lastUsedAt: record.lastUsedAt, parentId: record.parentID)
    }
}

extension IssuedToken {
    /// The API form of a token just issued: the only time its secret leaves the broker.
    init(_ issued: IssuedSecret) {
        self.init(id: issued.token.id, token: issued.secret, label: issued.token.label, expiresAt: issued.token.expiresAt)
    }
}

extension KeyChange {
    /// The API form of a stored key change, with what happens next; `delayHours` is the broker's key-change delay.
    init(_ record: KeyChangeRecord, delayHours: Int) {
        let nextStep: String
        switch record.state {
        case .requested:
            nextStep =
                "An operator confirms the new fingerprint \(record.newFingerprint) with the firm by telephone or in person, not through "
                + "the channel this request came by, then approves it (`troc keys approve \(record.id) --fingerprint …`); it takes effect "
                + "\(delayHours) h after approval. Until then any user of the firm can cancel it (`troc keys cancel \(record.id)`)."
        case .approved:
            nextStep =
                "Takes effect at \(record.effectiveAt.map { $0.ISO8601Format() } ?? "-"); until then any user of the firm can cancel it "
                + "(`troc keys cancel \(record.id)`). Deliveries released before then stay sealed to \(record.oldFingerprint): keep that "
                + "private key until they are downloaded."
        case .refused:
            nextStep = "Refused (\(record.decisionReason ?? "no reason given")); the firm's key stays \(record.oldFingerprint)."
        case .cancelled:
            nextStep = "Cancelled; the firm's key stays \(record.oldFingerprint)."
        case .effective:
            nextStep =
                "In force since \(record.effectiveAt.map { $0.ISO8601Format() } ?? "-"): deliveries released from then on are sealed to "
                + "\(record.newFingerprint); those released before stay sealed to \(record.oldFingerprint)."
        }
        self.init(
            id: record.id, organisationId: record.organisationID, state: record.state, oldFingerprint: record.oldFingerprint,
            newFingerprint: record.newFingerprint, requestedBy: record.requestedByUserID, requestedAt: record.requestedAt, note: record.note,
            decidedBy: record.decidedByUserID, decidedAt: record.decidedAt, decisionReason: record.decisionReason, effectiveAt: record.effectiveAt,
            cancelledBy: record.cancelledByUserID, cancelledAt: record.cancelledAt, cancellationReason: record.cancellationReason,
            nextStep: nextStep)
    }
}
