public import FoundationEssentials

/// The three roles of SECURITY.md "What each role can and cannot see"; a user has exactly one.
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
    /// NAF code, `43.32A` (rév. 2) or `43.32G` (NAF 2025).
    public var nafCode: String
    /// The nomenclature of `nafCode`.
    public var nafNomenclature: NAFNomenclature
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
        id: String, kind: OrganisationKind, name: String, siren: String?, siret: String?, vatNumber: String?, nafCode: String,
        nafNomenclature: NAFNomenclature, nafLabel: String?, address: PostalAddress, publicKeyFingerprint: String?, createdAt: Date,
        vatStatus: OrganisationVATStatus? = nil, bankAccount: OrganisationBankAccount? = nil
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.siren = siren
        self.siret = siret
        self.vatNumber = vatNumber
        self.nafCode = nafCode
        self.nafNomenclature = nafNomenclature
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
    /// The APE code: a NAF rév. 2 or NAF 2025 sub-class, recognised by its form.
    public var nafCode: String
    /// `rev2` or `naf2025`, needed only when `nafCode` is a bare class found in both nomenclatures.
    public var nafNomenclature: NAFNomenclature?
    public var address: PostalAddress
    /// `registered` (with `vatNumber`), `franchise` (CGI art. 293 B, no VAT number) or `overseas`; required for a partner firm.
    public var vatStatus: VATRegime?
    /// The account the firm is paid into; required for a partner firm.
    public var bankAccount: BankAccountInput?

    public init(
        name: String, siren: String?, siret: String?, vatNumber: String?, nafCode: String, nafNomenclature: NAFNomenclature? = nil,
        address: PostalAddress, vatStatus: VATRegime? = nil, bankAccount: BankAccountInput? = nil
    ) {
        self.name = name
        self.siren = siren
        self.siret = siret
        self.vatNumber = vatNumber
        self.nafCode = nafCode
        self.nafNomenclature = nafNomenclature
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
    /// Whether the user may create and disable the other users of its firm (partners only; a firm's first user has it).
    public var firmAdmin: Bool
    /// Who created the user: nil for the broker's own set-up.
    public var createdBy: String?
    /// The creator's role: `operator` for a firm's first user, and for any further one an operator added with a reason.
    public var createdByRole: Role?
    /// Why an operator added a user to a firm that already had one (its users see it).
    public var creationReason: String?

    public init(
        id: String, name: String, email: String?, role: Role, organisationId: String, createdAt: Date, disabledAt: Date?, firmAdmin: Bool = false,
        createdBy: String? = nil, createdByRole: Role? = nil, creationReason: String? = nil
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.role = role
        self.organisationId = organisationId
        self.createdAt = createdAt
        self.disabledAt = disabledAt
        self.firmAdmin = firmAdmin
        self.createdBy = createdBy
        self.createdByRole = createdByRole
        self.creationReason = creationReason
    }
}

/// The body of `POST /v1/users`.
public struct NewUser: Codable, Hashable, Sendable {
    public var name: String
    public var email: String?
    public var role: Role
    /// The partner organisation of a partner user; operators and accountants belong to the broker.
    public var organisationId: String?
    /// Gives the new partner user the firm-admin right (a firm's first user always gets it).
    public var firmAdmin: Bool?
    /// Why: required when an operator adds a user to a firm that already has one (audited, shown to the firm's users).
    public var reason: String?

    public init(name: String, email: String?, role: Role, organisationId: String?, firmAdmin: Bool? = nil, reason: String? = nil) {
        self.name = name
        self.email = email
        self.role = role
        self.organisationId = organisationId
        self.firmAdmin = firmAdmin
        self.reason = reason
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

/// A user just created, with its first token.
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
    /// Days until expiry: 1 to 365, 90 by default; never past the expiry of the token that asks.
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
    /// The token this one was minted with: it expires no later and is revoked with it.
    public var parentId: String?

    public init(id: String, label: String, createdAt: Date, expiresAt: Date, revokedAt: Date?, lastUsedAt: Date?, parentId: String? = nil) {
        self.id = id
        self.label = label
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
        self.parentId = parentId
    }
}

/// `GET /v1/me`: who the token belongs to, and what a partner firm's users must know about their account.
public struct Me: Codable, Hashable, Sendable {
    public var user: User
    public var organisation: Organisation
    /// A change of the firm's delivery key that is requested or approved and not yet in force (partners).
    public var pendingKeyChange: KeyChange?
    /// Users an operator added to the firm after its first one, with their reasons (partners).
    public var usersAddedByOperators: [User]

    public init(user: User, organisation: Organisation, pendingKeyChange: KeyChange? = nil, usersAddedByOperators: [User] = []) {
        self.user = user
        self.organisation = organisation
        self.pendingKeyChange = pendingKeyChange
        self.usersAddedByOperators = usersAddedByOperators
    }
}

/// The body of `PUT /v1/organisations/{id}/public-key`: a firm's first delivery key (later ones go through a key change).
public struct PublicKeyRegistration: Codable, Hashable, Sendable {
    /// The firm's X25519 public key, PEM (SPKI `PUBLIC KEY`).
    public var publicKey: String

    public init(publicKey: String) {
        self.publicKey = publicKey
    }
}

/// The body of `POST /v1/users/{id}/disable`.
public struct UserDisable: Codable, Hashable, Sendable {
    /// Why (audited).
    public var reason: String?

    public init(reason: String?) {
        self.reason = reason
    }
}

/// The body of `PUT /v1/organisations/{id}/naf` (operators): a firm's new APE code, such as its NAF 2025 code.
public struct NAFCodeChange: Codable, Hashable, Sendable {
    /// The new code, rév. 2 or NAF 2025.
    public var nafCode: String
    /// `rev2` or `naf2025`, when the code alone does not say.
    public var nafNomenclature: NAFNomenclature?
    /// Why (audited).
    public var reason: String

    public init(nafCode: String, nafNomenclature: NAFNomenclature?, reason: String) {
        self.nafCode = nafCode
        self.nafNomenclature = nafNomenclature
        self.reason = reason
    }
}
