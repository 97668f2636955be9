/// A postal address as invoices print it.
public struct PostalAddress: Hashable, Sendable, Codable {
    /// Number and street, `1 rue de la Paix`.
    public var street: String
    /// Postcode, `75002`.
    public var postcode: String
    /// City, `Paris`.
    public var city: String
    /// ISO 3166-1 alpha-2 country code, `FR`.
    public var countryCode: String

    /// An address from its parts.
    public init(street: String, postcode: String, city: String, countryCode: String) {
        self.street = street
        self.postcode = postcode
        self.city = city
        self.countryCode = countryCode
    }

    /// The member state of the country, nil outside the EU.
    public var memberState: EUMemberState? { EUMemberState(isoCode: countryCode) }

    /// The overseas department the postcode puts a French address in, nil elsewhere: invoices print it, since it sets the VAT.
    public var overseasDepartment: OverseasDepartment? {
        guard case .overseas(let department)? = try? VATTerritory.of(self) else { return nil }
        return department
    }
}

/// A seller, buyer or payee as it appears on an issued invoice: identity already checked.
public struct InvoiceParty: Hashable, Sendable, Codable {
    /// Legal name.
    public var name: String
    /// Registered address; its country decides the VAT treatment.
    public var address: PostalAddress
    /// SIREN for a French company, nil otherwise.
    public var siren: String?
    /// National company registration number for a company registered outside France, printed as such.
    public var foreignRegistrationID: String?
    /// Intra-community VAT number, as the party declared it; nil under the franchise (and for some firms in Guyane and Mayotte).
    public var vatNumber: VATNumber?
    /// The identifier under which a seller without a VAT number is known to the tax office (BT-32): the SIREN of a firm
    /// under the franchise, so that its exempt invoices name it as EN 16931 requires (BR-E-02).
    public var taxRegistrationID: String?

    /// A party from its parts; `DealInvoicing` builds them from checked partner data.
    public init(
        name: String, address: PostalAddress, siren: String?, foreignRegistrationID: String?, vatNumber: VATNumber?, taxRegistrationID: String? = nil
    ) {
        self.name = name
        self.address = address
        self.siren = siren
        self.foreignRegistrationID = foreignRegistrationID
        self.vatNumber = vatNumber
        self.taxRegistrationID = taxRegistrationID
    }

    /// The identifier that names this party in numbering series and ledgers: its SIREN, else its VAT number,
    /// else its registration number.
    public var stableIdentifier: String { siren ?? vatNumber?.text ?? foreignRegistrationID ?? name }
}

/// A partner of a deal as registered with the broker: identity, VAT status and bank account, before it is checked for invoicing.
public struct DealPartner: Hashable, Sendable, Codable {
    /// Legal name.
    public var name: String
    /// Registered address.
    public var address: PostalAddress
    /// SIREN (already Luhn-checked at registration) for a French partner.
    public var siren: String?
    /// Company registration number for a partner registered outside France.
    public var foreignRegistrationID: String?
    /// Its checked VAT status, VAT number included.
    public var vatStatus: FirmVATStatus
    /// The account its buyers pay into, when payments go directly to it.
    public var bankAccount: BankAccount?

    /// A partner from its registered data.
    public init(
        name: String, address: PostalAddress, siren: String?, foreignRegistrationID: String? = nil, vatStatus: FirmVATStatus,
        bankAccount: BankAccount?
    ) {
        self.name = name
        self.address = address
        self.siren = siren
        self.foreignRegistrationID = foreignRegistrationID
        self.vatStatus = vatStatus
        self.bankAccount = bankAccount
    }
}
