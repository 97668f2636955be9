/// Who pays whom once the two exchange invoices of a deal offset each other.
public enum SettlementDirection: String, Hashable, Sendable, Codable {
    /// The exchange invoices cancel out.
    case balanced
    /// A owes B the net.
    case aPaysB
    /// B owes A the net.
    case bPaysA
}

/// The settlement statement of a deal (not an invoice): what each partner owes the other under the exchange
/// invoices, all taxes included, the net between them, and the commissions each owes the broker.
public struct SettlementStatement: Hashable, Sendable, Codable {
    /// The deal.
    public var dealID: String
    /// The date of the statement, the invoices' issue date.
    public var date: CivilDate
    /// Partner A's name.
    public var partnerA: String
    /// Partner B's name.
    public var partnerB: String
    /// Amount payable of the exchange invoice for the addresses A received.
    public var aOwesB: Money = .zero
    /// Amount payable of the exchange invoice for the addresses B received.
    public var bOwesA: Money = .zero
    /// Amount payable of the broker's commission invoice to A.
    public var commissionDueFromA: Money = .zero
    /// Amount payable of the broker's commission invoice to B.
    public var commissionDueFromB: Money = .zero

    /// A statement with nothing owed yet.
    public init(dealID: String, date: CivilDate, partnerA: String, partnerB: String) {
        self.dealID = dealID
        self.date = date
        self.partnerA = partnerA
        self.partnerB = partnerB
    }

    /// aOwesB − bOwesA: positive when A pays B, negative when B pays A.
    public var netFromAToB: Money { aOwesB - bOwesA }

    /// Who pays the net.
    public var direction: SettlementDirection {
        netFromAToB == .zero ? .balanced : netFromAToB > .zero ? .aPaysB : .bPaysA
    }

    /// The net, always positive or zero.
    public var netAmount: Money { netFromAToB < .zero ? -netFromAToB : netFromAToB }
}
