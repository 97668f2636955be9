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
    /// The API form of a stored user.
    init(_ record: UserRecord) {
        self.init(
            id: record.id, name: record.name, email: record.email, role: record.role, organisationId: record.organisationID,
            createdAt: record.createdAt, disabledAt: record.disabledAt)
    }
}

extension TokenInfo {
    /// The API form of a stored token (never its secret, which is not stored).
    init(_ record: TokenRecord) {
        self.init(
            id: record.id, label: record.label, createdAt: record.createdAt, expiresAt: record.expiresAt, revokedAt: record.revokedAt,
            lastUsedAt: record.lastUsedAt)
    }
}

extension IssuedToken {
    /// The API form of a token just issued: the only time its secret leaves the broker.
    init(_ issued: IssuedSecret) {
        self.init(id: issued.token.id, token: issued.secret, label: issued.token.label, expiresAt: issued.token.expiresAt)
    }
}
