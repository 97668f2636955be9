/// Who pays whom once the two exchange invoices of a deal offset each other.
public enum SettlementDirection: String, Hashable, Sendable, Codable {
    /// The exchange invoices cancel out.
    case balanced
    /// A owes B the net.
    case aPaysB
    /// B owes A the net.
    case bPaysA
}

/// What a transfer of a settlement pays for.
public enum SettlementTransferPurpose: String, Hashable, Sendable, Codable {
    /// The net of the exchange invoices, paid by the debtor firm straight to the creditor firm's account.
    case exchangeBalance = "exchange-balance"
    /// The same net, paid to the broker, which collects it for the creditor firm (`collection-by-broker`).
    case collection
    /// The broker paying the collected net out to the creditor firm.
    case payout
    /// A commission invoice, paid to the broker.
    case commission
}

/// One transfer that settles a deal: who pays, who receives, how much and into which account.
public struct SettlementTransfer: Hashable, Sendable, Codable {
    /// The paying firm (or the broker, for a payout).
    public var payer: String
    /// The account holder who receives it.
    public var payee: String
    /// The amount, all taxes included.
    public var amount: Money
    /// The account to credit, the payee's.
    public var account: BankAccount
    /// What it pays for.
    public var purpose: SettlementTransferPurpose
    /// The wording for the transfer's reference, in French.
    public var label: String

    /// A transfer from its parts.
    public init(payer: String, payee: String, amount: Money, account: BankAccount, purpose: SettlementTransferPurpose, label: String) {
        self.payer = payer
        self.payee = payee
        self.amount = amount
        self.account = account
        self.purpose = purpose
        self.label = label
    }
}

/// The settlement statement of a deal (not an invoice): what each partner owes the other under the exchange
/// invoices, all taxes included, the net between them, the commissions each owes the broker, and the transfers that
/// settle it all, each to its account.
public struct SettlementStatement: Hashable, Sendable, Encodable {
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
    /// Whether the broker collects the net for the creditor firm; by default each firm pays the other directly.
    public var collectionByBroker: Bool
    /// The transfers that settle the deal: the net of the exchange invoices, then the commissions.
    public var transfers: [SettlementTransfer] = []

    /// A statement with nothing owed yet.
    public init(dealID: String, date: CivilDate, partnerA: String, partnerB: String, collectionByBroker: Bool) {
        self.dealID = dealID
        self.date = date
        self.partnerA = partnerA
        self.partnerB = partnerB
        self.collectionByBroker = collectionByBroker
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

extension SettlementStatement: Decodable {
    /// The stored field names, those of the properties.
    private enum CodingKeys: String, CodingKey {
        case dealID, date, partnerA, partnerB, aOwesB, bOwesA, commissionDueFromA, commissionDueFromB, collectionByBroker, transfers
    }

    /// Decodes a stored statement; those written before transfers were recorded were all collected by the broker.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            dealID: try container.decode(String.self, forKey: .dealID), date: try container.decode(CivilDate.self, forKey: .date),
            partnerA: try container.decode(String.self, forKey: .partnerA), partnerB: try container.decode(String.self, forKey: .partnerB),
            collectionByBroker: try container.decodeIfPresent(Bool.self, forKey: .collectionByBroker) ?? true)
        aOwesB = try container.decode(Money.self, forKey: .aOwesB)
        bOwesA = try container.decode(Money.self, forKey: .bOwesA)
        commissionDueFromA = try container.decode(Money.self, forKey: .commissionDueFromA)
        commissionDueFromB = try container.decode(Money.self, forKey: .commissionDueFromB)
        transfers = try container.decodeIfPresent([SettlementTransfer].self, forKey: .transfers) ?? []
    }
}
