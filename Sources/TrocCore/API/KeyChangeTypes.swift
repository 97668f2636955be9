public import FoundationEssentials

/// Where a request to change a firm's delivery key stands.
///
/// `requested` → `approved` (an operator confirmed the new fingerprint with the firm out of band) → `effective` once the
/// delay has passed; `requested` → `refused`; `requested` or `approved` → `cancelled` (by the firm or an operator).
public enum KeyChangeState: String, Codable, Sendable, CaseIterable {
    case requested
    case approved
    case refused
    case cancelled
    case effective

    /// Whether the change may still take effect: at most one such change per firm.
    public var isOpen: Bool { self == .requested || self == .approved }
}

/// A request to replace a firm's registered delivery key, as the API shows it.
public struct KeyChange: Codable, Hashable, Sendable {
    public var id: String
    public var organisationId: String
    public var state: KeyChangeState
    /// The key in force when the change was requested.
    public var oldFingerprint: String
    /// The key asked for: the operator reads it to the firm by telephone or in person before approving.
    public var newFingerprint: String
    public var requestedBy: String
    public var requestedAt: Date
    /// What the requester said about it.
    public var note: String?
    /// The operator who approved or refused it.
    public var decidedBy: String?
    public var decidedAt: Date?
    public var decisionReason: String?
    /// When an approved change takes effect: the approval plus the broker's key-change delay.
    public var effectiveAt: Date?
    public var cancelledBy: String?
    public var cancelledAt: Date?
    public var cancellationReason: String?
    /// What happens next and who does it, in words.
    public var nextStep: String

    public init(
        id: String, organisationId: String, state: KeyChangeState, oldFingerprint: String, newFingerprint: String, requestedBy: String,
        requestedAt: Date, note: String?, decidedBy: String?, decidedAt: Date?, decisionReason: String?, effectiveAt: Date?,
        cancelledBy: String?, cancelledAt: Date?, cancellationReason: String?, nextStep: String
    ) {
        self.id = id
        self.organisationId = organisationId
        self.state = state
        self.oldFingerprint = oldFingerprint
        self.newFingerprint = newFingerprint
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
        self.note = note
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.decisionReason = decisionReason
        self.effectiveAt = effectiveAt
        self.cancelledBy = cancelledBy
        self.cancelledAt = cancelledAt
        self.cancellationReason = cancellationReason
        self.nextStep = nextStep
    }
}

/// The body of `POST /v1/organisations/{id}/key-changes`.
public struct NewKeyChange: Codable, Hashable, Sendable {
    /// The new X25519 public key, PEM (SPKI `PUBLIC KEY`).
    public var publicKey: String
    /// Why the firm changes its key (a lost laptop, a departure), for the operator.
    public var note: String?

    public init(publicKey: String, note: String?) {
        self.publicKey = publicKey
        self.note = note
    }
}

/// The body of `POST /v1/key-changes/{id}/approve`.
public struct KeyChangeApproval: Codable, Hashable, Sendable {
    /// The fingerprint the firm read out to the operator by a channel other than the request (telephone, in person).
    public var confirmedFingerprint: String
    public var reason: String?

    public init(confirmedFingerprint: String, reason: String?) {
        self.confirmedFingerprint = confirmedFingerprint
        self.reason = reason
    }
}

/// The body of `POST /v1/key-changes/{id}/refuse` and `/cancel`.
public struct KeyChangeDecision: Codable, Hashable, Sendable {
    /// Why (required to refuse).
    public var reason: String?

    public init(reason: String?) {
        self.reason = reason
    }
}

/// Key fingerprints as people type them back.
public enum KeyFingerprint {
    /// `fingerprint` in lowercase hexadecimal without separators, so `FE56 3E05…` and `fe56:3e05:…` compare equal.
    public static func normalised(_ fingerprint: String) -> String {
        String(fingerprint.lowercased().unicodeScalars.filter { $0 != ":" && $0 != " " && $0 != "-" }.map(Character.init))
    }
}
