/// What two firms agreed when the second of them accepted the report: price, policy, the broker's commission and
/// identity, both firms' identities, VAT statuses and bank accounts, and how money flows. Stored with the deal and never
/// changed, so a deal's invoices follow these terms even if settings or registrations change before release.
///
/// Built only through `init`, which refuses terms the deal could not be invoiced on, so a refusal comes at acceptance,
/// when the firms can still fix their registration, rather than at release.
public struct DealTerms: Hashable, Sendable, Encodable {
    /// The agreed price per 1,000 addresses, excluding VAT.
    public let pricePer1000: Money
    /// How the deliveries are sized.
    public let policy: BalancingPolicy
    /// The broker's identity, account and invoicing terms (commission, payment terms, penalty) in force then.
    public let broker: BrokerInvoicingSettings
    /// Partner A, the proposer.
    public let partnerA: DealPartner
    /// Partner B, the invited firm.
    public let partnerB: DealPartner
    /// Whether the broker collects the exchange payments for the sellers (`collection-by-broker`) instead of each firm
    /// paying the other directly.
    public let collectionByBroker: Bool
    /// The day the second firm accepted.
    public let agreedOn: CivilDate

    /// Checks the terms as a whole: the price within the broker's bounds, both partners invoiceable with a bank account,
    /// and a VAT treatment for every invoice the deal can produce (both exchange invoices and both commissions).
    public init(
        pricePer1000: Money, policy: BalancingPolicy, broker: BrokerInvoicingSettings, partnerA: DealPartner, partnerB: DealPartner,
        collectionByBroker: Bool, agreedOn: CivilDate
    ) throws(InvoicingError) {
        let bounds = broker.minimumPricePer1000...broker.maximumPricePer1000
        guard bounds.contains(pricePer1000) else { throw .priceOutOfBounds(price: pricePer1000, bounds: bounds) }
        let parties = (a: try DealInvoicing.party(partnerA, side: .a), b: try DealInvoicing.party(partnerB, side: .b))
        for (side, partner) in [(DealSide.a, partnerA), (.b, partnerB)] where partner.bankAccount == nil {
            throw .partnerFieldMissing(
                side, partner: partner.name, field: "bankAccount",
                hint: "its buyers pay into it (or the broker pays it out): register its IBAN and BIC")
        }
        let brokerStatus = FirmVATStatus(broker: broker)
        _ = try VATRules.treatment(seller: (parties.a.name, partnerA.vatStatus), buyer: (parties.b.name, partnerB.vatStatus))
        _ = try VATRules.treatment(seller: (parties.b.name, partnerB.vatStatus), buyer: (parties.a.name, partnerA.vatStatus))
        for (party, partner) in [(parties.a, partnerA), (parties.b, partnerB)] {
            _ = try VATRules.treatment(seller: (broker.legalName, brokerStatus), buyer: (party.name, partner.vatStatus))
        }
        self.pricePer1000 = pricePer1000
        self.policy = policy
        self.broker = broker
        self.partnerA = partnerA
        self.partnerB = partnerB
        self.collectionByBroker = collectionByBroker
        self.agreedOn = agreedOn
    }

    /// The partner on `side`.
    public func partner(_ side: DealSide) -> DealPartner { side == .a ? partnerA : partnerB }
}

extension DealTerms: Decodable {
    /// The stored field names, those of the properties.
    private enum CodingKeys: String, CodingKey {
        case pricePer1000, policy, broker, partnerA, partnerB, collectionByBroker, agreedOn
    }

    /// Decodes stored terms and checks them again, so a hand-edited row cannot bypass the rules.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            pricePer1000: container.decode(Money.self, forKey: .pricePer1000), policy: container.decode(BalancingPolicy.self, forKey: .policy),
            broker: container.decode(BrokerInvoicingSettings.self, forKey: .broker),
            partnerA: container.decode(DealPartner.self, forKey: .partnerA), partnerB: container.decode(DealPartner.self, forKey: .partnerB),
            collectionByBroker: container.decode(Bool.self, forKey: .collectionByBroker),
            agreedOn: container.decode(CivilDate.self, forKey: .agreedOn))
    }
}
