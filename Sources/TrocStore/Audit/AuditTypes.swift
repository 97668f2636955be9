package import Foundation
package import TrocCore

/// The code of an audited action, `<subject>.<verb>` in lowercase: `deal.approve`, `token.revoke`.
package struct AuditAction: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    package var rawValue: String

    /// An action from its code; the schema refuses codes that are not lowercase words joined by dots.
    package init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// An action from a literal code.
    package init(stringLiteral value: String) {
        rawValue = value
    }

    package var description: String { rawValue }

    /// The audit code of a deal transition: `deal.approve`.
    package static func deal(_ transition: DealTransition) -> AuditAction { AuditAction(rawValue: "deal." + transition.rawValue) }

    /// A deal was proposed.
    package static let dealCreate: AuditAction = "deal.create"
    /// A partner attached (or replaced) its file to a deal.
    package static let dealFileAttach: AuditAction = "deal.file.attach"
    /// A recipient downloaded a delivery.
    package static let deliveryDownload: AuditAction = "delivery.download"
    /// Keys were added to the suppression list.
    package static let suppressionAdd: AuditAction = "suppression.add"
    /// An erasure request was carried out.
    package static let erasureRequest: AuditAction = "erasure.request"
    /// A stored file was rewritten without some rows (erasure).
    package static let fileRewrite: AuditAction = "file.rewrite"
    /// A NAF code joined an audience cluster.
    package static let sectorClusterAdd: AuditAction = "sector.cluster.add"
    /// A NAF code left an audience cluster.
    package static let sectorClusterRemove: AuditAction = "sector.cluster.remove"
    /// A confidential sector was added or changed.
    package static let sectorConfidentialSet: AuditAction = "sector.confidential.set"
    /// A confidential sector was removed.
    package static let sectorConfidentialRemove: AuditAction = "sector.confidential.remove"
    /// Broker settings changed.
    package static let settingsUpdate: AuditAction = "settings.update"
    /// A deal's invoices were issued.
    package static let invoiceIssue: AuditAction = "invoice.issue"
    /// A credit note was issued.
    package static let invoiceCredit: AuditAction = "invoice.credit"
    /// An organisation was registered (recorded by the server).
    package static let organisationCreate: AuditAction = "organisation.create"
    /// A token was revoked (recorded by the server).
    package static let tokenRevoke: AuditAction = "token.revoke"
    /// A file was uploaded (recorded by the server).
    package static let fileUpload: AuditAction = "file.upload"
    /// A user was created, with its first token.
    package static let userCreate: AuditAction = "user.create"
    /// A user was disabled and its tokens revoked.
    package static let userDisable: AuditAction = "user.disable"
    /// A token was minted with another token of the same user.
    package static let tokenCreate: AuditAction = "token.create"
    /// A firm registered its first delivery key.
    package static let keyRegister: AuditAction = "organisation.key.register"
    /// A firm asked to change its delivery key.
    package static let keyChangeRequest: AuditAction = "organisation.key.change.request"
    /// An operator approved a key change, after confirming the new fingerprint with the firm.
    package static let keyChangeApprove: AuditAction = "organisation.key.change.approve"
    /// An operator refused a key change.
    package static let keyChangeRefuse: AuditAction = "organisation.key.change.refuse"
    /// A key change was cancelled before taking effect.
    package static let keyChangeCancel: AuditAction = "organisation.key.change.cancel"
    /// An approved key change took effect: the firm's deliveries are sealed to the new key from then on.
    package static let keyChangeEffective: AuditAction = "organisation.key.change.effective"
    /// A firm deleted one of its files that no deal refers to.
    package static let fileDelete: AuditAction = "file.delete"
}

/// Who did an audited action: a user with its role and organisation, or the system (all nil) for services.
package struct AuditActor: Sendable, Hashable {
    /// The user, nil for the system.
    package var userID: String?
    /// The user's role, nil for the system.
    package var role: Role?
    /// The user's organisation; a partner acts for it.
    package var organisationID: String?
    /// The address the request came from (the client's, as a trusted reverse proxy forwarded it); nil for the system.
    package var clientAddress: String?

    /// The broker's own services (matching, expiry, invoicing runs).
    package static let system = AuditActor(userID: nil, role: nil, organisationID: nil)

    /// An actor from its parts.
    package init(userID: String?, role: Role?, organisationID: String?, clientAddress: String? = nil) {
        self.userID = userID
        self.role = role
        self.organisationID = organisationID
        self.clientAddress = clientAddress
    }

    /// The user behind an authenticated request.
    package init(_ user: UserRecord) {
        self.init(userID: user.id, role: user.role, organisationID: user.organisationID)
    }
}

/// A JSON value in an audit entry's detail: aggregated facts and ids only, never an email, a phone number or a token.
package enum AuditValue: Sendable, Hashable, Codable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    /// A text: an id, a state, a code.
    case string(String)
    /// A count or an amount in cents.
    case integer(Int64)
    /// A flag.
    case boolean(Bool)
    /// A list.
    case array([AuditValue])
    /// Named values, such as a setting's before and after.
    case object([String: AuditValue])
    /// No value.
    case null

    package init(stringLiteral value: String) { self = .string(value) }
    package init(integerLiteral value: Int64) { self = .integer(value) }
    package init(booleanLiteral value: Bool) { self = .boolean(value) }
    package init(arrayLiteral elements: AuditValue...) { self = .array(elements) }
    package init(dictionaryLiteral elements: (String, AuditValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// An optional string, `null` when absent.
    package init(_ value: String?) { self = value.map(AuditValue.string) ?? .null }

    /// An integer.
    package init(_ value: Int) { self = .integer(Int64(value)) }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .boolean(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([AuditValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: AuditValue].self))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .boolean(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }
}

/// An audit entry before the store numbers, dates and chains it.
package struct AuditDraft: Sendable, Hashable {
    /// What was done.
    package var action: AuditAction
    /// Who did it.
    package var actor: AuditActor
    /// The organisation the action concerns (by default the actor's).
    package var organisationID: String?
    /// The deal the action concerns.
    package var dealID: String?
    /// Aggregated facts: counts, ids, states, before/after values; never personal data or secrets.
    package var detail: [String: AuditValue]
    /// Why, when the actor had to say (a rejection, an override, a settings change).
    package var reason: String?

    /// A draft; `organisationID` defaults to the actor's organisation.
    package init(
        action: AuditAction, actor: AuditActor, organisationID: String? = nil, dealID: String? = nil, detail: [String: AuditValue] = [:],
        reason: String? = nil
    ) {
        self.action = action
        self.actor = actor
        self.organisationID = organisationID ?? actor.organisationID
        self.dealID = dealID
        self.detail = detail
        self.reason = reason
    }
}

/// What `verifyAudit` found: how far the chain was walked, the head to record elsewhere, and the first damage if any.
package struct AuditVerification: Sendable, Equatable {
    /// Entries walked.
    package var entryCount: Int
    /// The head's MAC as stored: recording it outside the database lets a later check detect a rollback to an older state.
    package var headMAC: Data?
    /// The last entry's MAC: with `entryCount`, the checkpoint `trocd admin audit head` prints for keeping off the machine.
    package var lastMAC: Data?
    /// The first damage found, nil when the trail is intact.
    package var damage: AuditDamage?

    /// Whether every entry and the head verified.
    package var isIntact: Bool { damage == nil }
}

/// Where and how the audit trail was found damaged.
package struct AuditDamage: Sendable, Hashable, CustomStringConvertible {
    /// The kinds of damage, as the verifier tells them apart.
    package enum Kind: String, Sendable, Hashable {
        /// The entry's fields or MAC were changed: its MAC does not verify.
        case edited
        /// The sequence jumps: the entry with this number was removed.
        case missing
        /// The entry links to an entry other than the one before it: entries were moved or swapped.
        case reordered
        /// The head counts entries past the last one: the tail was removed.
        case truncated
        /// The head is missing, altered, or disagrees with the last entry.
        case headAltered
        /// Nothing verifies: the trail was MAC'ed under another key.
        case wrongKey
        /// The trail is shorter than a checkpoint recorded elsewhere: entries were removed and the chain recomputed, or an
        /// older copy of the database was restored.
        case rolledBack
        /// The entry a checkpoint recorded has another MAC now: the trail up to it was rewritten and its MACs recomputed.
        case rewritten
    }

    /// The first sequence number at fault.
    package var seq: Int64
    /// What is wrong there.
    package var kind: Kind

    /// A damage at `seq`.
    package init(seq: Int64, kind: Kind) {
        self.seq = seq
        self.kind = kind
    }

    package var description: String {
        switch kind {
        case .edited: "audit entry \(seq) was altered: its MAC does not verify"
        case .missing: "audit entry \(seq) is missing: the sequence jumps over it"
        case .reordered: "audit entry \(seq) holds another entry's content: entries were moved or swapped"
        case .truncated: "the audit trail ends before entry \(seq), but its head counts further: the tail was removed"
        case .headAltered: "the audit head does not match the trail (around entry \(seq)): it was removed or altered"
        case .wrongKey: "no audit entry verifies under this key: the trail was written with another key"
        case .rolledBack:
            "the audit trail ends before entry \(seq), which the recorded head counts: entries were removed and the chain recomputed, "
                + "or an older copy of the database was restored"
        case .rewritten:
            "audit entry \(seq) no longer has the MAC the recorded head holds: the trail up to it was rewritten and its MACs recomputed"
        }
    }
}
