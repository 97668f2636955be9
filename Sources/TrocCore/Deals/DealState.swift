/// The states of a deal (docs/RULES.md "Deal lifecycle").
public enum DealState: String, Codable, Sendable, CaseIterable {
    /// Proposed between unrelated sectors: waits for an operator's recorded override.
    case proposed
    /// Sectors complement each other (or an override was recorded): both firms upload their file.
    case awaitingFiles = "awaiting-files"
    /// Both files are in and the match report is ready; each partner accepts or declines.
    case matched
    /// Both partners accepted; an operator approves or rejects.
    case accepted
    /// An operator approved; the deliveries can be released.
    case approved
    /// The deliveries are ready to download, each encrypted to its recipient.
    case released
    /// The invoices of the deal are issued.
    case invoiced
    /// Retention is over: sources and deliveries are purged.
    case closed
    /// An operator rejected the deal.
    case rejected
    /// A partner declined, or a party withdrew, before release.
    case cancelled
    /// Nothing happened for too long before release.
    case expired

    /// Whether no transition leaves this state.
    public var isFinal: Bool { DealTransition.allCases.allSatisfy { !$0.from.contains(self) } }
}

/// Every allowed move between states, and who may make it. The store applies a transition only if
/// the deal is in one of its `from` states, in the transaction that records it, so a racing second
/// transition finds the state changed and is refused with the current state.
public enum DealTransition: String, Codable, Sendable, CaseIterable {
    /// An operator records why unrelated sectors may trade.
    case override
    /// The second file arrived and the engine produced the report.
    case match
    /// A partner accepts (the second acceptance moves the deal to `accepted`).
    case accept
    /// A partner declines.
    case decline
    case approve
    case reject
    case release
    case invoice
    case close
    /// A party (or an operator) withdraws before release.
    case cancel
    /// The expiry service ends a stalled deal.
    case expire

    /// The states the transition may start from.
    public var from: Set<DealState> {
        switch self {
        case .override: [.proposed]
        case .match: [.awaitingFiles]
        case .accept, .decline: [.matched]
        case .approve, .reject: [.accepted]
        case .release: [.approved]
        case .invoice: [.released]
        case .close: [.invoiced]
        case .cancel: [.proposed, .awaitingFiles, .matched, .accepted]
        case .expire: [.proposed, .awaitingFiles, .matched, .accepted, .approved]
        }
    }

    /// The state it leads to (`accept` leads to `accepted` only once both partners have accepted).
    public var to: DealState {
        switch self {
        case .override: .awaitingFiles
        case .match: .matched
        case .accept: .accepted
        case .decline: .cancelled
        case .approve: .approved
        case .reject: .rejected
        case .release: .released
        case .invoice: .invoiced
        case .close: .closed
        case .cancel: .cancelled
        case .expire: .expired
        }
    }

    /// Who may ask for it: partners act on their own deals, operators administer, the system runs services.
    public var actors: Set<Role> {
        switch self {
        case .accept, .decline: [.partner]
        case .override, .approve, .reject, .release, .close: [.operator]
        case .cancel: [.partner, .operator]
        case .match, .invoice, .expire: []
        }
    }
}

/// Why a transition was refused: the deal was not in a state it starts from.
public struct DealTransitionError: Error, Hashable, Sendable, CustomStringConvertible {
    public var transition: DealTransition
    public var current: DealState

    public init(transition: DealTransition, current: DealState) {
        self.transition = transition
        self.current = current
    }

    public var description: String {
        let allowed = transition.from.map(\.rawValue).sorted().joined(separator: ", ")
        return "cannot \(transition.rawValue) a deal that is \(current.rawValue) (only from: \(allowed))"
    }
}
