package import Foundation
public import GRDB
package import TrocCore

extension OrganisationKind: DatabaseValueConvertible {}

extension NAFNomenclature: DatabaseValueConvertible {}

/// A row of `organisation`: a partner firm or the broker, with its legal identity and delivery key.
package struct OrganisationRecord: StoreRecord, Identifiable {
    package static let databaseTableName = "organisation"

    /// `org_` and 16 base32 characters.
    package var id: String
    /// Broker or partner; never changes once created.
    package var kind: OrganisationKind
    /// Legal name.
    package var name: String
    /// French SIREN (9 digits), nil for a foreign firm.
    package var siren: String?
    /// SIRET of the establishment (14 digits, starting with the SIREN), if given.
    package var siret: String?
    /// Intra-community VAT number, if any.
    package var vatNumber: String?
    /// NAF code, `NN.NNX`, of `nafNomenclature`.
    package var nafCode: String
    /// Street address.
    package var street: String
    /// Postcode.
    package var postcode: String
    /// City.
    package var city: String
    /// ISO 3166-1 alpha-2 country code, uppercase.
    package var countryCode: String
    /// The firm's X25519 public key (SubjectPublicKeyInfo PEM) that deliveries are sealed to, once registered.
    package var publicKeyPEM: String?
    /// Fingerprint of that key, as `EnvelopePublicKey.fingerprint` shows it.
    package var publicKeyFingerprint: String?
    /// When the organisation was created.
    package var createdAt: Date
    /// The nomenclature of `nafCode`: rév. 2 for every firm registered before NAF 2025 was carried.
    package var nafNomenclature: NAFNomenclature

    /// A record with every column given (the other stores build it from their rows).
    package init(
        id: String, kind: OrganisationKind, name: String, siren: String?, siret: String?, vatNumber: String?, nafCode: String, street: String,
        postcode: String, city: String, countryCode: String, publicKeyPEM: String?, publicKeyFingerprint: String?, createdAt: Date,
        nafNomenclature: NAFNomenclature
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.siren = siren
        self.siret = siret
        self.vatNumber = vatNumber
        self.nafCode = nafCode
        self.street = street
        self.postcode = postcode
        self.city = city
        self.countryCode = countryCode
        self.publicKeyPEM = publicKeyPEM
        self.publicKeyFingerprint = publicKeyFingerprint
        self.createdAt = createdAt
        self.nafNomenclature = nafNomenclature
    }

    /// Column references for queries.
    package enum Columns {
        /// The kind of organisation.
        package static let kind = Column(CodingKeys.kind)
        /// The SIREN.
        package static let siren = Column(CodingKeys.siren)
        /// The name, for listing order.
        package static let name = Column(CodingKeys.name)
        /// The id, which breaks ties in listing order.
        package static let id = Column(CodingKeys.id)
        /// The registered public key, PEM.
        package static let publicKeyPEM = Column(CodingKeys.publicKeyPEM)
        /// Fingerprint of the registered public key.
        package static let publicKeyFingerprint = Column(CodingKeys.publicKeyFingerprint)
    }
}

/// What a caller gives to create an organisation; the store adds the id and creation date.
package struct OrganisationDraft: Sendable, Equatable {
    /// Broker or partner.
    package var kind: OrganisationKind
    /// Legal name, not empty.
    package var name: String
    /// French SIREN, 9 digits; required when the country is `FR`.
    package var siren: String?
    /// SIRET, 14 digits starting with the SIREN.
    package var siret: String?
    /// Intra-community VAT number.
    package var vatNumber: String?
    /// NAF code in its normalised form `NN.NNX` (TrocCore's `NAFCode.recognise` gives it).
    package var nafCode: String
    /// The nomenclature of `nafCode`.
    package var nafNomenclature: NAFNomenclature
    /// Street address.
    package var street: String
    /// Postcode.
    package var postcode: String
    /// City.
    package var city: String
    /// ISO 3166-1 alpha-2 country code, uppercase.
    package var countryCode: String
    /// The partner's checked VAT status (its VAT number is also `vatNumber`); nil for the broker.
    package var vatStatus: FirmVATStatus?
    /// The account the partner is paid into.
    package var bankAccount: BankAccount?

    /// Gathers the fields of a new organisation.
    package init(
        kind: OrganisationKind, name: String, siren: String?, siret: String? = nil, vatNumber: String? = nil, nafCode: String,
        nafNomenclature: NAFNomenclature = .rev2, street: String, postcode: String, city: String, countryCode: String
    ) {
        self.kind = kind
        self.name = name
        self.siren = siren
        self.siret = siret
        self.vatNumber = vatNumber
        self.nafCode = nafCode
        self.nafNomenclature = nafNomenclature
        self.street = street
        self.postcode = postcode
        self.city = city
        self.countryCode = countryCode
    }
}

extension OrganisationRecord {
    /// Reads an `organisation` row column by column: the `Decodable` default costs more than the query on the hot read paths (authentication, deal pages).
    package init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"), kind: try row.decode(forColumn: "kind"), name: try row.decode(forColumn: "name"),
            siren: try row.decode(forColumn: "siren"), siret: try row.decode(forColumn: "siret"), vatNumber: try row.decode(forColumn: "vatNumber"),
            nafCode: try row.decode(forColumn: "nafCode"), street: try row.decode(forColumn: "street"),
            postcode: try row.decode(forColumn: "postcode"),
            city: try row.decode(forColumn: "city"), countryCode: try row.decode(forColumn: "countryCode"),
            publicKeyPEM: try row.decode(forColumn: "publicKeyPEM"), publicKeyFingerprint: try row.decode(forColumn: "publicKeyFingerprint"),
            createdAt: try row.decode(forColumn: "createdAt"), nafNomenclature: try row.decode(forColumn: "nafNomenclature"))
    }
}

extension OrganisationRecord {
    /// The row a new organisation is stored as, under a fresh id, without a public key yet.
    package init(registering new: OrganisationDraft, now: Date) {
        self.init(
            id: RecordID.make(RecordID.organisation), kind: new.kind, name: new.name, siren: new.siren, siret: new.siret,
            vatNumber: new.vatNumber, nafCode: new.nafCode, street: new.street, postcode: new.postcode, city: new.city,
            countryCode: new.countryCode, publicKeyPEM: nil, publicKeyFingerprint: nil, createdAt: Timestamp.stored(now),
            nafNomenclature: new.nafNomenclature)
    }
}
