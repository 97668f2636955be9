public import FoundationEssentials

/// The three roles of DESIGN.md "Security model"; a user has exactly one.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// A partner firm's user: sees only its own organisation, files and deals.
    case partner
    /// A broker operator: administers, approves, never acts as a party.
    case `operator`
    /// An accountant: reads invoices and ledgers only.
    case accountant
}

/// Whether an organisation is the broker itself or a partner firm.
public enum OrganisationKind: String, Codable, Sendable {
    case broker
    case partner
}

/// An organisation as the API shows it.
public struct Organisation: Codable, Hashable, Sendable {
    public var id: String
    public var kind: OrganisationKind
    public var name: String
    public var siren: String?
    public var siret: String?
    public var vatNumber: String?
    /// NAF rév. 2 code, `43.32A`.
    public var nafCode: String
    /// INSEE's label for the code.
    public var nafLabel: String?
    public var address: PostalAddress
    /// Fingerprint of the firm's registered X25519 public key, if any (deliveries are encrypted to it).
    public var publicKeyFingerprint: String?
    public var createdAt: Date
    /// The firm's VAT status; absent for the broker and for firms registered before statuses were recorded.
    public var vatStatus: OrganisationVATStatus?
    /// The account the firm is paid into (shown to the firm and operators).
    public var bankAccount: OrganisationBankAccount?

    public init(
        id: String, kind: OrganisationKind, name: String, siren: String?, siret: String?, vatNumber: String?, nafCode: String, nafLabel: String?,
        address: PostalAddress, publicKeyFingerprint: String?, createdAt: Date, vatStatus: OrganisationVATStatus? = nil,
        bankAccount: OrganisationBankAccount? = nil
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.siren = siren
        self.siret = siret
        self.vatNumber = vatNumber
        self.nafCode = nafCode
        self.nafLabel = nafLabel
        self.address = address
        self.publicKeyFingerprint = publicKeyFingerprint
        self.createdAt = createdAt
        self.vatStatus = vatStatus
        self.bankAccount = bankAccount
    }
}

/// The body of `POST /v1/organisations`.
public struct NewOrganisation: Codable, Hashable, Sendable {
    public var name: String
    /// 9-digit SIREN (French companies); optional when a SIRET is given.
    public var siren: String?
    /// 14-digit SIRET of the registered establishment.
    public var siret: String?
    /// The firm's own intra-community VAT number, as declared: never derived from the SIREN.
    public var vatNumber: String?
    public var nafCode: String
    public var address: PostalAddress
    /// `registered` (with `vatNumber`), `franchise` (CGI art. 293 B, no VAT number) or `overseas`; required for a partner firm.
    public var vatStatus: VATRegime?
    /// The account the firm is paid into; required for a partner firm.
    public var bankAccount: BankAccountInput?

    public init(
        name: String, siren: String?, siret: String?, vatNumber: String?, nafCode: String, address: PostalAddress, vatStatus: VATRegime? = nil,
        bankAccount: BankAccountInput? = nil
    ) {
        self.name = name
        self.siren = siren
        self.siret = siret
        self.vatNumber = vatNumber
        self.nafCode = nafCode
        self.address = address
        self.vatStatus = vatStatus
        self.bankAccount = bankAccount
    }
}

/// A user as the API shows it (never with a token).
public struct User: Codable, Hashable, Sendable {
    public var id: String
    public var name: String
    public var email: String?
    public var role: Role
    public var organisationId: String
    public var createdAt: Date
    public var disabledAt: Date?

    public init(id: String, name: String, email: String?, role: Role, organisationId: String, createdAt: Date, disabledAt: Date?) {
        self.id = id
        self.name = name
        self.email = email
        self.role = role
        self.organisationId = organisationId
        self.createdAt = createdAt
        self.disabledAt = disabledAt
    }
}

/// The body of `POST /v1/users`.
public struct NewUser: Codable, Hashable, Sendable {
    public var name: String
    public var email: String?
    public var role: Role
    /// The partner organisation of a partner user; operators and accountants belong to the broker.
    public var organisationId: String?

    public init(name: String, email: String?, role: Role, organisationId: String?) {
        self.name = name
        self.email = email
        self.role = role
        self.organisationId = organisationId
    }
}

/// A token just issued: the only time its secret is shown.
public struct IssuedToken: Codable, Hashable, Sendable {
    public var id: String
    /// The bearer secret, `troc_…`: shown once, stored only as a hash.
    public var token: String
    public var label: String
    public var expiresAt: Date

    public init(id: String, token: String, label: String, expiresAt: Date) {
        self.id = id
        self.token = token
        self.label = label
        self.expiresAt = expiresAt
    }
}

/// A user created by an operator, with its first token.
public struct CreatedUser: Codable, Hashable, Sendable {
    public var user: User
    public var token: IssuedToken

    public init(user: User, token: IssuedToken) {
        self.user = user
        self.token = token
    }
}

/// The body of `POST /v1/tokens`.
public struct NewToken: Codable, Hashable, Sendable {
    public var label: String?
    /// Days until expiry: 1 to 365, 90 by default.
    public var expiresInDays: Int?

    public init(label: String?, expiresInDays: Int?) {
        self.label = label
        self.expiresInDays = expiresInDays
    }
}

/// A token as listed (never its secret).
public struct TokenInfo: Codable, Hashable, Sendable {
    public var id: String
    public var label: String
    public var createdAt: Date
    public var expiresAt: Date
    public var revokedAt: Date?
    public var lastUsedAt: Date?

    public init(id: String, label: String, createdAt: Date, expiresAt: Date, revokedAt: Date?, lastUsedAt: Date?) {
        self.id = id
        self.label = label
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
    }
}

/// `GET /v1/me`: who the token belongs to.
public struct Me: Codable, Hashable, Sendable {
    public var user: User
    public var organisation: Organisation

    public init(user: User, organisation: Organisation) {
        self.user = user
        self.organisation = organisation
    }
}

/// The body of `PUT /v1/organisations/{id}/public-key`.
public struct PublicKeyRegistration: Codable, Hashable, Sendable {
    /// The firm's X25519 public key, PEM (SPKI `PUBLIC KEY`).
    public var publicKey: String

    public init(publicKey: String) {
        self.publicKey = publicKey
    }
}
