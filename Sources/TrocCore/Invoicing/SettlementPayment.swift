/// Which way money moved through the broker's bank account when it collects for the sellers.
public enum SettlementPaymentDirection: String, Hashable, Sendable, Codable, CaseIterable {
    /// The debtor firm paid the net into the broker's account.
    case received
    /// The broker paid the collected net out to the creditor firm.
    case paidOut = "paid-out"
}

/// A bank movement of a deal whose settlement the broker collects (`collection-by-broker`), as an operator records it
/// from the bank statement; the FEC books it in the bank journal against the firm's third-party account.
public struct SettlementPayment: Hashable, Sendable, Codable {
    /// The deal settled.
    public var dealID: String
    /// In or out.
    public var direction: SettlementPaymentDirection
    /// The firm that paid (received) or was paid (paid out).
    public var counterparty: String
    /// Its SIREN (or VAT number), which names its third-party account.
    public var counterpartyID: String
    /// The amount moved.
    public var amount: Money
    /// The value date on the bank statement.
    public var date: CivilDate
    /// The bank's reference of the movement.
    public var reference: String

    /// A payment from its parts; `SettlementStatement.checkPayment` says whether it may be recorded.
    public init(
        dealID: String, direction: SettlementPaymentDirection, counterparty: String, counterpartyID: String, amount: Money, date: CivilDate,
        reference: String
    ) {
        self.dealID = dealID
        self.direction = direction
        self.counterparty = counterparty
        self.counterpartyID = counterpartyID
        self.amount = amount
        self.date = date
        self.reference = reference
    }
}

extension SettlementStatement {
    /// The firm a payment in `direction` is with: the debtor of the net for money received, its creditor for a payout.
    public func counterparty(of direction: SettlementPaymentDirection) -> DealSide? {
        switch (direction, self.direction) {
        case (_, .balanced): nil
        case (.received, .aPaysB), (.paidOut, .bPaysA): .a
        case (.received, .bPaysA), (.paidOut, .aPaysB): .b
        }
    }

    /// Checks `payment` against this statement and the payments already recorded: only a statement the broker collects,
    /// money in from the debtor up to the net, money out to the creditor up to what came in (the broker never advances
    /// funds), dated on or after the statement, with a reference.
    public func checkPayment(_ payment: SettlementPayment, recorded: [SettlementPayment]) throws(SettlementPaymentError) {
        guard collectionByBroker else { throw .notCollectedByBroker(dealID: dealID) }
        guard counterparty(of: payment.direction) != nil else { throw .nothingToSettle(dealID: dealID) }
        guard payment.amount > .zero else { throw .amountNotPositive(payment.amount) }
        guard payment.date >= date else { throw .dateBeforeStatement(payment.date, statement: date) }
        guard !payment.reference.trimmingSpaces.isEmpty else { throw .missingReference }
        let received = recorded.filter { $0.direction == .received }.reduce(Money.zero) { $0 + $1.amount }
        let paidOut = recorded.filter { $0.direction == .paidOut }.reduce(Money.zero) { $0 + $1.amount }
        switch payment.direction {
        case .received:
            guard received + payment.amount <= netAmount else {
                throw .exceedsNet(payment.amount, alreadyReceived: received, net: netAmount)
            }
        case .paidOut:
            guard paidOut + payment.amount <= received else {
                throw .exceedsCollected(payment.amount, alreadyPaidOut: paidOut, received: received)
            }
        }
    }
}

/// Why a settlement payment cannot be recorded.
public enum SettlementPaymentError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Each firm pays the other directly: no money goes through the broker.
    case notCollectedByBroker(dealID: String)
    /// The exchange invoices cancel out.
    case nothingToSettle(dealID: String)
    /// Zero or negative.
    case amountNotPositive(Money)
    /// Before the invoices were issued.
    case dateBeforeStatement(CivilDate, statement: CivilDate)
    /// No bank reference.
    case missingReference
    /// More received than the net owed.
    case exceedsNet(Money, alreadyReceived: Money, net: Money)
    /// More paid out than received.
    case exceedsCollected(Money, alreadyPaidOut: Money, received: Money)

    public var description: String {
        switch self {
        case .notCollectedByBroker(let dealID):
            "deal \(dealID) is settled directly between the firms (collection-by-broker was off when it was agreed); "
                + "no payment goes through the broker's account"
        case .nothingToSettle(let dealID):
            "the exchange invoices of deal \(dealID) cancel out: there is nothing to collect or pay out"
        case .amountNotPositive(let amount):
            "amountCents: \(amount.frenchString) is not a positive amount"
        case .dateBeforeStatement(let date, let statement):
            "date: \(date) is before the settlement statement of \(statement)"
        case .missingReference:
            "reference: give the bank's reference of the movement, as the bank statement shows it"
        case .exceedsNet(let amount, let received, let net):
            "amountCents: \(amount.frenchString) would bring what was received to more than the net owed (\(net.frenchString); "
                + "\(received.frenchString) already received)"
        case .exceedsCollected(let amount, let paidOut, let received):
            "amountCents: \(amount.frenchString) would pay out more than was received (\(received.frenchString) received, "
                + "\(paidOut.frenchString) already paid out); the broker never advances funds for a firm"
        }
    }
}
