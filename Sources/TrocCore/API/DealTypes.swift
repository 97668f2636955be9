public import FoundationEssentials

/// One side of a deal as the API shows it.
public struct DealPartyView: Codable, Hashable, Sendable {
    public var organisationId: String
    public var name: String
    public var nafCode: String
    /// Whether this side's file is attached.
    public var fileAttached: Bool
    public var acceptedAt: Date?
    public var declinedAt: Date?

    public init(organisationId: String, name: String, nafCode: String, fileAttached: Bool, acceptedAt: Date?, declinedAt: Date?) {
        self.organisationId = organisationId
        self.name = name
        self.nafCode = nafCode
        self.fileAttached = fileAttached
        self.acceptedAt = acceptedAt
        self.declinedAt = declinedAt
    }
}

/// The delivery a partner receives once a deal is released.
public struct DeliveryView: Codable, Hashable, Sendable {
    /// Contacts in the delivery.
    public var rows: Int
    public var downloadsRemaining: Int
    public var expiresAt: Date
    /// Fingerprint of the firm's key the delivery is sealed to: the one registered at release (or, for a firm that had
    /// none then, its first key); nil until bound.
    public var keyFingerprint: String?

    public init(rows: Int, downloadsRemaining: Int, expiresAt: Date, keyFingerprint: String? = nil) {
        self.rows = rows
        self.downloadsRemaining = downloadsRemaining
        self.expiresAt = expiresAt
        self.keyFingerprint = keyFingerprint
    }
}

/// A deal as the API shows it.
public struct Deal: Codable, Hashable, Sendable {
    public var id: String
    public var state: DealState
    /// The firm that proposed the deal (side A of its report).
    public var proposer: DealPartyView
    /// The firm it was proposed to (side B).
    public var partner: DealPartyView
    public var pricePer1000Cents: Int
    public var policy: BalancingPolicy
    public var verdict: SectorVerdict
    public var overrideReason: String?
    /// Whether the match report is ready.
    public var reportReady: Bool
    /// The caller's delivery, once released (partners only).
    public var delivery: DeliveryView?
    public var createdAt: Date
    public var updatedAt: Date
    public var expiresAt: Date
    /// Why both files are in but there is no report, if so.
    public var hold: DealHold?

    public init(
        id: String, state: DealState, proposer: DealPartyView, partner: DealPartyView, pricePer1000Cents: Int, policy: BalancingPolicy,
        verdict: SectorVerdict, overrideReason: String?, reportReady: Bool, delivery: DeliveryView?, createdAt: Date, updatedAt: Date,
        expiresAt: Date, hold: DealHold? = nil
    ) {
        self.id = id
        self.state = state
        self.proposer = proposer
        self.partner = partner
        self.pricePer1000Cents = pricePer1000Cents
        self.policy = policy
        self.verdict = verdict
        self.overrideReason = overrideReason
        self.reportReady = reportReady
        self.delivery = delivery
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.expiresAt = expiresAt
        self.hold = hold
    }
}

/// Why a deal whose files are both in has no report: a file under the broker's minimum of exchangeable contacts
/// (`deal.file-too-small`), or the privacy budget between the two firms spent (`deal.privacy-budget-spent`). The
/// report endpoint answers 409 with the same code and detail.
public struct DealHold: Codable, Hashable, Sendable {
    /// `deal.file-too-small` or `deal.privacy-budget-spent`.
    public var code: String
    /// What happened and what to do, without any count of the files.
    public var detail: String
    /// The parties whose file is under the minimum.
    public var organisationIds: [String]
    /// The broker's minimum of exchangeable contacts per file, for a file too small.
    public var minimumExchangeable: Int?
    /// When a report between the two firms fits in the budget again, for a spent budget.
    public var availableFrom: Date?

    public init(code: String, detail: String, organisationIds: [String], minimumExchangeable: Int?, availableFrom: Date?) {
        self.code = code
        self.detail = detail
        self.organisationIds = organisationIds
        self.minimumExchangeable = minimumExchangeable
        self.availableFrom = availableFrom
    }
}

/// The body of `POST /v1/deals`.
public struct NewDeal: Codable, Hashable, Sendable {
    /// The partner organisation invited to the deal.
    public var partnerId: String
    /// The agreed price per 1,000 addresses, in cents (within the broker's bounds).
    public var pricePer1000Cents: Int
    /// `equal-count` unless stated.
    public var policy: BalancingPolicy?

    public init(partnerId: String, pricePer1000Cents: Int, policy: BalancingPolicy?) {
        self.partnerId = partnerId
        self.pricePer1000Cents = pricePer1000Cents
        self.policy = policy
    }
}

/// The body of decisions that take a reason (`override`, `reject`, `decline`, `cancel`).
public struct DealDecision: Codable, Hashable, Sendable {
    public var reason: String?

    public init(reason: String?) {
        self.reason = reason
    }
}

/// The body of `POST /v1/deals/{id}/files` when attaching a file already uploaded.
public struct AttachFile: Codable, Hashable, Sendable {
    public var fileId: String

    public init(fileId: String) {
        self.fileId = fileId
    }
}

/// `GET /v1/deals/{id}/report`: the aggregated report; operators also get the engine's full figures.
public struct DealReportView: Codable, Hashable, Sendable {
    public var dealId: String
    public var report: DealReport
    /// Exact figures, for operators only.
    public var full: MatchReport?

    public init(dealId: String, report: DealReport, full: MatchReport?) {
        self.dealId = dealId
        self.report = report
        self.full = full
    }
}

/// The body of `POST /v1/suppressions`: values to keep out of every match, stored only as keyed hashes.
public struct NewSuppressions: Codable, Hashable, Sendable {
    public var values: [String]
    /// Why they are suppressed: `optout`, `unsubscribe` or `opposition-list`.
    public var source: String?

    public init(values: [String], source: String?) {
        self.values = values
        self.source = source
    }
}

/// What a suppression request did.
public struct SuppressionResult: Codable, Hashable, Sendable {
    /// Entries new to the list.
    public var added: Int
    /// Entries it already had.
    public var alreadyListed: Int
    /// Values that are no email, phone or SIRET, as `values[i]` (0-based, like a JSON path) with the reason; never the value.
    public var rejected: [FieldProblem]
    /// Entries on the list now.
    public var total: Int

    public init(added: Int, alreadyListed: Int, rejected: [FieldProblem], total: Int) {
        self.added = added
        self.alreadyListed = alreadyListed
        self.rejected = rejected
        self.total = total
    }
}

/// The body of `POST /v1/erasure-requests`: a person, by any of their values.
public struct NewErasureRequest: Codable, Hashable, Sendable {
    public var emails: [String]?
    public var phones: [String]?
    public var sirets: [String]?

    public init(emails: [String]?, phones: [String]?, sirets: [String]?) {
        self.emails = emails
        self.phones = phones
        self.sirets = sirets
    }
}

/// What an erasure request did, without the person's data.
public struct ErasureResult: Codable, Hashable, Sendable {
    public var id: String
    /// Stored files (released deals' too) rewritten without the person.
    public var filesRewritten: Int
    /// Rows removed from those files and from the deliveries.
    public var rowsRemoved: Int
    /// Deliveries still held rewritten without the person (and sealed again at rest).
    public var deliveriesRewritten: Int
    /// Notices recorded for firms that had already received the person (GDPR art. 19).
    public var noticesRecorded: Int
    /// Whether the broker held the person anywhere (files, deliveries, or the record of who received whom).
    public var found: Bool
    /// The person is on the suppression list from now on, found or not.
    public var suppressed: Bool

    public init(id: String, filesRewritten: Int, rowsRemoved: Int, deliveriesRewritten: Int, noticesRecorded: Int, found: Bool, suppressed: Bool) {
        self.id = id
        self.filesRewritten = filesRewritten
        self.rowsRemoved = rowsRemoved
        self.deliveriesRewritten = deliveriesRewritten
        self.noticesRecorded = noticesRecorded
        self.found = found
        self.suppressed = suppressed
    }
}

/// One audit entry as operators read it.
public struct AuditEntryView: Codable, Hashable, Sendable {
    public var seq: Int64
    public var at: Date
    public var actorUserId: String?
    public var actorRole: Role?
    public var organisationId: String?
    public var dealId: String?
    public var action: String
    /// Aggregated facts only (counts, ids, states): never an email, a phone or a token.
    public var detail: [String: String]
    public var reason: String?
    /// The IP address the request came from, as the broker or a trusted reverse proxy saw it; absent for the system's actions.
    public var clientAddress: String?

    public init(
        seq: Int64, at: Date, actorUserId: String?, actorRole: Role?, organisationId: String?, dealId: String?, action: String,
        detail: [String: String], reason: String?, clientAddress: String? = nil
    ) {
        self.seq = seq
        self.at = at
        self.actorUserId = actorUserId
        self.actorRole = actorRole
        self.organisationId = organisationId
        self.dealId = dealId
        self.action = action
        self.detail = detail
        self.reason = reason
        self.clientAddress = clientAddress
    }
}

/// The broker's editable sector tables.
public struct SectorTables: Codable, Hashable, Sendable {
    /// Audience clusters: name → NAF codes.
    public var clusters: [String: [String]]
    public var confidential: [ConfidentialSector]

    public init(clusters: [String: [String]], confidential: [ConfidentialSector]) {
        self.clusters = clusters
        self.confidential = confidential
    }
}

/// An edit of the sector tables, always with its reason (audited).
public struct SectorChange: Codable, Hashable, Sendable {
    public var reason: String
    /// For confidential sectors: why the sector is excluded.
    public var rationale: String?
    /// For confidential sectors: `core` or `optional`.
    public var scope: String?

    public init(reason: String, rationale: String?, scope: String?) {
        self.reason = reason
        self.rationale = rationale
        self.scope = scope
    }
}

/// An invoice or credit note as listed for accountants.
public struct InvoiceSummary: Codable, Hashable, Sendable {
    public var number: String
    /// `invoice` or `credit-note`.
    public var kind: String
    /// `exchange` (issued under billing mandate for the supplying partner) or `commission` (the broker's own).
    public var purpose: String
    public var dealId: String?
    public var issueDate: CivilDate
    public var seller: String
    public var buyer: String
    public var netCents: Int64
    public var vatCents: Int64
    public var grossCents: Int64
    /// For a credit note, the invoice it credits.
    public var credits: String?

    public init(
        number: String, kind: String, purpose: String, dealId: String?, issueDate: CivilDate, seller: String, buyer: String, netCents: Int64,
        vatCents: Int64, grossCents: Int64, credits: String?
    ) {
        self.number = number
        self.kind = kind
        self.purpose = purpose
        self.dealId = dealId
        self.issueDate = issueDate
        self.seller = seller
        self.buyer = buyer
        self.netCents = netCents
        self.vatCents = vatCents
        self.grossCents = grossCents
        self.credits = credits
    }
}

/// The body of `POST /v1/invoices/{number}/credit-notes`.
public struct NewCreditNote: Codable, Hashable, Sendable {
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}
