public import FoundationEssentials

/// A bank account as a request gives it (registration, `PUT /v1/organisations/{id}/bank-account`).
public struct BankAccountInput: Codable, Hashable, Sendable {
    /// IBAN, spaces allowed.
    public var iban: String
    /// BIC of the bank holding the account.
    public var bic: String
    /// Why it changes (audited); ignored at registration.
    public var reason: String?

    public init(iban: String, bic: String, reason: String? = nil) {
        self.iban = iban
        self.bic = bic
        self.reason = reason
    }
}

/// The body of `PUT /v1/organisations/{id}/vat-status` (operators).
public struct VATStatusChange: Codable, Hashable, Sendable {
    /// `registered`, `franchise` or `overseas`.
    public var vatStatus: VATRegime
    /// The firm's own VAT number: required when registered (and in Guadeloupe, Martinique, La Réunion), refused under the franchise.
    public var vatNumber: String?
    /// Why (audited).
    public var reason: String

    public init(vatStatus: VATRegime, vatNumber: String?, reason: String) {
        self.vatStatus = vatStatus
        self.vatNumber = vatNumber
        self.reason = reason
    }
}

/// A firm's VAT status as the API shows it.
public struct OrganisationVATStatus: Codable, Hashable, Sendable {
    /// `registered`, `franchise` or `overseas`.
    public var vatStatus: VATRegime
    /// The declared VAT number, if any.
    public var vatNumber: String?
    /// `FR` (metropolitan France), an overseas department (`RE`) or another member state (`DE`).
    public var territory: String
    /// The standard rate of the territory, `20`, `8.5`; absent where VAT does not apply or the buyer accounts for it.
    public var standardRatePercent: String?
    /// When the VAT number's structure was checked (VIES is not reachable from the broker).
    public var vatNumberCheckedAt: Date?
    /// `syntax-and-key` (French numbers), `syntax-and-checksum` or `syntax`.
    public var vatNumberCheckMethod: VATNumberCheckMethod?
    public var updatedAt: Date

    public init(
        vatStatus: VATRegime, vatNumber: String?, territory: String, standardRatePercent: String?, vatNumberCheckedAt: Date?,
        vatNumberCheckMethod: VATNumberCheckMethod?, updatedAt: Date
    ) {
        self.vatStatus = vatStatus
        self.vatNumber = vatNumber
        self.territory = territory
        self.standardRatePercent = standardRatePercent
        self.vatNumberCheckedAt = vatNumberCheckedAt
        self.vatNumberCheckMethod = vatNumberCheckMethod
        self.updatedAt = updatedAt
    }
}

/// A firm's bank account as the API shows it (to the firm and operators only).
public struct OrganisationBankAccount: Codable, Hashable, Sendable {
    public var iban: String
    public var bic: String
    public var updatedAt: Date

    public init(iban: String, bic: String, updatedAt: Date) {
        self.iban = iban
        self.bic = bic
        self.updatedAt = updatedAt
    }
}

/// One billing mandate a firm gave.
public struct BillingMandateView: Codable, Hashable, Sendable {
    /// `mdt_…`, printed on every invoice issued under it.
    public var reference: String
    public var organisationId: String
    public var wordingVersion: String
    public var scope: String
    /// Days the firm has to contest an invoice issued in its name.
    public var contestDays: Int
    /// The full wording accepted.
    public var wording: String
    public var acceptedAt: Date
    public var acceptedBy: String
    public var withdrawnAt: Date?
    public var withdrawnBy: String?
    public var withdrawalReason: String?

    public init(
        reference: String, organisationId: String, wordingVersion: String, scope: String, contestDays: Int, wording: String, acceptedAt: Date,
        acceptedBy: String, withdrawnAt: Date?, withdrawnBy: String?, withdrawalReason: String?
    ) {
        self.reference = reference
        self.organisationId = organisationId
        self.wordingVersion = wordingVersion
        self.scope = scope
        self.contestDays = contestDays
        self.wording = wording
        self.acceptedAt = acceptedAt
        self.acceptedBy = acceptedBy
        self.withdrawnAt = withdrawnAt
        self.withdrawnBy = withdrawnBy
        self.withdrawalReason = withdrawalReason
    }
}

/// The wording a firm is asked to accept.
public struct BillingMandateOffer: Codable, Hashable, Sendable {
    public var version: String
    public var scope: String
    public var defaultContestDays: Int
    public var minimumContestDays: Int
    public var maximumContestDays: Int
    /// The wording with the default contest delay.
    public var text: String

    public init(version: String, scope: String, defaultContestDays: Int, minimumContestDays: Int, maximumContestDays: Int, text: String) {
        self.version = version
        self.scope = scope
        self.defaultContestDays = defaultContestDays
        self.minimumContestDays = minimumContestDays
        self.maximumContestDays = maximumContestDays
        self.text = text
    }
}

/// `GET /v1/organisations/{id}/billing-mandate`: the mandate in force, the ones before it, and the wording to accept.
public struct BillingMandateState: Codable, Hashable, Sendable {
    public var organisationId: String
    public var inForce: BillingMandateView?
    /// Every mandate the firm gave, the latest first.
    public var history: [BillingMandateView]
    public var offer: BillingMandateOffer

    public init(organisationId: String, inForce: BillingMandateView?, history: [BillingMandateView], offer: BillingMandateOffer) {
        self.organisationId = organisationId
        self.inForce = inForce
        self.history = history
        self.offer = offer
    }
}

/// The body of `POST /v1/organisations/{id}/billing-mandate`.
public struct MandateAcceptanceRequest: Codable, Hashable, Sendable {
    /// The version of the wording read, which must be the current one.
    public var wordingVersion: String
    /// Days to contest an invoice; the offer's default when absent.
    public var contestDays: Int?

    public init(wordingVersion: String, contestDays: Int?) {
        self.wordingVersion = wordingVersion
        self.contestDays = contestDays
    }
}

/// The body of `POST /v1/organisations/{id}/billing-mandate/withdraw`.
public struct MandateWithdrawal: Codable, Hashable, Sendable {
    public var reason: String?

    public init(reason: String?) {
        self.reason = reason
    }
}

/// The body of `POST /v1/deals/{id}/settlement/payments` (operators, deals the broker collects).
public struct NewSettlementPayment: Codable, Hashable, Sendable {
    /// `received` from the debtor firm, or `paid-out` to the creditor firm.
    public var direction: SettlementPaymentDirection
    public var amountCents: Int64
    /// The value date on the bank statement.
    public var date: CivilDate
    /// The bank's reference of the movement.
    public var reference: String

    public init(direction: SettlementPaymentDirection, amountCents: Int64, date: CivilDate, reference: String) {
        self.direction = direction
        self.amountCents = amountCents
        self.date = date
        self.reference = reference
    }
}
