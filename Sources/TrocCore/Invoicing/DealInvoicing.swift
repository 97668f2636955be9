/// The figures of a released deal that its invoices are computed from, beside its frozen terms.
public struct DealFigures: Hashable, Sendable, Codable {
    /// The deal's identifier.
    public var dealID: String
    /// The day the deliveries were released: the date of the service.
    public var releaseDate: CivilDate
    /// Addresses delivered to A (supplied by B).
    public var addressesToA: Int
    /// Addresses delivered to B (supplied by A).
    public var addressesToB: Int

    /// A bound on address counts that, with `BrokerInvoicingSettings.priceCeiling`, keeps every product in 64 bits.
    public static let maximumAddresses = 1_000_000_000

    /// The figures of a deal.
    public init(dealID: String, releaseDate: CivilDate, addressesToA: Int, addressesToB: Int) {
        self.dealID = dealID
        self.releaseDate = releaseDate
        self.addressesToA = addressesToA
        self.addressesToB = addressesToB
    }

    /// The addresses delivered to `side`.
    public func addresses(to side: DealSide) -> Int { side == .a ? addressesToA : addressesToB }
}

/// The drafts a released deal produces, in the order the store should number them, and its settlement.
public struct DealInvoices: Hashable, Sendable, Codable {
    /// Exchange invoice for the addresses A received (seller B, buyer A); nil when A received none.
    public var exchangeToA: InvoiceDraft?
    /// Exchange invoice for the addresses B received (seller A, buyer B); nil when B received none.
    public var exchangeToB: InvoiceDraft?
    /// The broker's commission invoice to A; nil when A received nothing or the commission rounds to 0.
    public var commissionToA: InvoiceDraft?
    /// The broker's commission invoice to B; same rule.
    public var commissionToB: InvoiceDraft?
    /// What the partners owe each other and the broker, and the transfers that settle it.
    public var settlement: SettlementStatement

    /// Every draft, exchange invoices first, A before B.
    public var drafts: [InvoiceDraft] { [exchangeToA, exchangeToB, commissionToA, commissionToB].compactMap(\.self) }
}

/// Computes the invoices of a released deal: pure arithmetic on cents, no numbering, no clock.
public enum DealInvoicing {
    /// The exchange and commission drafts of `deal` under its frozen `terms`, dated `issueDate`, numbered later in the
    /// broker's series `seriesPrefix` (the one in force at issue: numbering is the broker's book-keeping, not an agreed term).
    ///
    /// - Exchange line net = round_half_up(addresses × price per 1,000 ÷ 1000), one line, quantity in
    ///   addresses (`C62`) priced per 1,000 (base quantity 1000), so the e-invoice arithmetic is exact. It is issued in the
    ///   seller's name under the seller's billing mandate in `mandates`, and refused without one.
    /// - Commission net = round_half_up(exchange net the partner received × commission bp ÷ 10,000).
    /// - VAT per rate on the invoice total, rounded half up, by `VATRules`.
    /// - Payment: by default to the seller's own account; with `collectionByBroker`, to the broker's, as payee.
    public static func invoices(for deal: DealFigures, terms: DealTerms, mandates: DealMandates, seriesPrefix: String, issueDate: CivilDate)
        throws(InvoicingError) -> DealInvoices
    {
        guard !deal.dealID.trimmingSpaces.isEmpty else { throw .emptyDealID }
        for side in [DealSide.a, .b] where !(0...DealFigures.maximumAddresses).contains(deal.addresses(to: side)) {
            throw .addressCountOutOfRange(recipient: side, count: deal.addresses(to: side))
        }
        guard issueDate >= deal.releaseDate else { throw .issueDateBeforeRelease(issueDate: issueDate, releaseDate: deal.releaseDate) }
        let sides = (a: try Side(.a, terms: terms), b: try Side(.b, terms: terms))
        let builder = DraftBuilder(deal: deal, terms: terms, seriesPrefix: seriesPrefix, issueDate: issueDate)
        var result = DealInvoices(
            exchangeToA: nil, exchangeToB: nil, commissionToA: nil, commissionToB: nil,
            settlement: SettlementStatement(
                dealID: deal.dealID, date: issueDate, partnerA: sides.a.party.name, partnerB: sides.b.party.name,
                collectionByBroker: terms.collectionByBroker))
        for (buyer, seller) in [(sides.a, sides.b), (sides.b, sides.a)] where deal.addresses(to: buyer.side) > 0 {
            guard let mandate = mandates[seller.side] else { throw .billingMandateMissing(seller.side, partner: seller.party.name) }
            let exchange = try builder.exchange(addresses: deal.addresses(to: buyer.side), seller: seller, buyer: buyer, mandate: mandate)
            let commission = try builder.commission(on: exchange.content, buyer: buyer)
            if buyer.side == .a {
                (result.exchangeToA, result.commissionToA) = (exchange, commission)
            } else {
                (result.exchangeToB, result.commissionToB) = (exchange, commission)
            }
        }
        result.settlement.aOwesB = result.exchangeToA?.content.totals.payable ?? .zero
        result.settlement.bOwesA = result.exchangeToB?.content.totals.payable ?? .zero
        result.settlement.commissionDueFromA = result.commissionToA?.content.totals.payable ?? .zero
        result.settlement.commissionDueFromB = result.commissionToB?.content.totals.payable ?? .zero
        result.settlement.transfers = transfers(result.settlement, sides: sides, terms: terms)
        return result
    }

    /// The transfers that settle a deal: the net of the exchange invoices to the creditor's account (or, when the broker
    /// collects, to the broker's and then from the broker to the creditor's), and each commission to the broker's.
    private static func transfers(_ statement: SettlementStatement, sides: (a: Side, b: Side), terms: DealTerms) -> [SettlementTransfer] {
        let broker = terms.broker
        let brokerAccount = BankAccount(iban: broker.iban, bic: broker.bic)
        var transfers: [SettlementTransfer] = []
        if statement.direction != .balanced {
            let (payer, payee) = statement.direction == .aPaysB ? (sides.a, sides.b) : (sides.b, sides.a)
            if terms.collectionByBroker {
                transfers.append(
                    SettlementTransfer(
                        payer: payer.party.name, payee: broker.legalName, amount: statement.netAmount, account: brokerAccount,
                        purpose: .collection, label: "Solde des factures d'échange, encaissé pour le compte de \(payee.party.name)"))
                transfers.append(
                    SettlementTransfer(
                        payer: broker.legalName, payee: payee.party.name, amount: statement.netAmount, account: payee.account, purpose: .payout,
                        label: "Reversement du solde encaissé pour son compte"))
            } else {
                transfers.append(
                    SettlementTransfer(
                        payer: payer.party.name, payee: payee.party.name, amount: statement.netAmount, account: payee.account,
                        purpose: .exchangeBalance, label: "Solde des factures d'échange, après compensation"))
            }
        }
        for (side, amount) in [(sides.a, statement.commissionDueFromA), (sides.b, statement.commissionDueFromB)] where amount > .zero {
            transfers.append(
                SettlementTransfer(
                    payer: side.party.name, payee: broker.legalName, amount: amount, account: brokerAccount, purpose: .commission,
                    label: "Commission de courtage"))
        }
        return transfers
    }

    /// Checks a partner's identity for invoicing: a French partner needs its SIREN; its VAT status must be the one of
    /// its address. The VAT number is the one the firm declared, never one derived from its SIREN.
    static func party(_ partner: DealPartner, side: DealSide) throws(InvoicingError) -> InvoiceParty {
        let name = partner.name.trimmingSpaces
        let label = name.isEmpty ? "(no name)" : name
        for (field, value) in [
            ("name", partner.name), ("address.street", partner.address.street), ("address.postcode", partner.address.postcode),
            ("address.city", partner.address.city),
        ] where value.trimmingSpaces.isEmpty {
            throw .partnerFieldMissing(side, partner: label, field: field, hint: "invoices must print it")
        }
        let country = partner.address.countryCode
        guard country.utf8.count == 2, country.utf8.allSatisfy(\.isASCIIUppercase) else {
            throw .partnerFieldInvalid(
                side, partner: label, field: "address.countryCode", reason: "\"\(country)\" is not an ISO 3166 code such as FR or DE")
        }
        if let siren = partner.siren, !siren.isNineDigits {
            throw .partnerFieldInvalid(side, partner: label, field: "siren", reason: "\"\(siren)\" is not 9 digits")
        }
        let status = partner.vatStatus
        let territory: VATTerritory
        do {
            territory = try VATTerritory.of(partner.address)
        } catch {
            throw .partnerFieldInvalid(side, partner: label, field: "address", reason: error.description)
        }
        guard territory == status.territory else {
            throw .partnerFieldInvalid(
                side, partner: label, field: "vatStatus",
                reason: "it was declared for a firm in \(status.territory), but the address is in \(territory); an operator records it again")
        }
        let registrationID = partner.foreignRegistrationID.map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 }
        guard territory.isFrench else {
            return InvoiceParty(
                name: name, address: partner.address, siren: partner.siren, foreignRegistrationID: registrationID, vatNumber: status.vatNumber)
        }
        guard let siren = partner.siren else {
            throw .partnerFieldMissing(side, partner: label, field: "siren", hint: "a French partner is invoiced with its SIREN")
        }
        if let vatNumber = status.vatNumber, vatNumber.frenchSIREN != siren {
            throw .partnerFieldInvalid(side, partner: label, field: "vatNumber", reason: "\(vatNumber) does not belong to SIREN \(siren)")
        }
        return InvoiceParty(
            name: name, address: partner.address, siren: siren, foreignRegistrationID: nil, vatNumber: status.vatNumber,
            taxRegistrationID: status.regime == .franchise ? siren : nil)
    }
}

/// One side of a deal, checked: its partner data, the party invoices print, and its account.
private struct Side {
    let side: DealSide
    let partner: DealPartner
    let party: InvoiceParty
    let account: BankAccount

    init(_ side: DealSide, terms: DealTerms) throws(InvoicingError) {
        self.side = side
        partner = terms.partner(side)
        party = try DealInvoicing.party(partner, side: side)
        guard let account = partner.bankAccount else {
            throw .partnerFieldMissing(side, partner: party.name, field: "bankAccount", hint: "register its IBAN and BIC")
        }
        self.account = account
    }
}

/// Builds the drafts of one deal, sharing its dates, terms and mentions.
private struct DraftBuilder {
    let deal: DealFigures
    let terms: DealTerms
    let seriesPrefix: String
    let issueDate: CivilDate

    var broker: BrokerInvoicingSettings { terms.broker }
    var dueDate: CivilDate { issueDate.adding(days: broker.paymentTermsDays) }

    func exchange(addresses: Int, seller: Side, buyer: Side, mandate: MandateAcceptance) throws(InvoicingError) -> InvoiceDraft {
        let vat = try VATRules.treatment(seller: (seller.party.name, seller.partner.vatStatus), buyer: (buyer.party.name, buyer.partner.vatStatus))
        let quantity = Int64(addresses)
        let line = InvoiceLine(
            number: 1,
            description: "Adresses de prospection livrées le \(deal.releaseDate.french) - échange \(deal.dealID)",
            quantity: quantity, unitCode: "C62", unitPrice: terms.pricePer1000, baseQuantity: 1000,
            net: terms.pricePer1000.scaled(by: quantity, dividedBy: 1000), vat: vat)
        let billingMandate = BillingMandate(
            issuerName: broker.legalName, issuerSIREN: broker.siren,
            mention: "Facture émise par \(broker.legalName) au nom et pour le compte de \(seller.party.name), en vertu du mandat de "
                + "facturation \(mandate.reference) accepté le \(mandate.acceptedOn.french) (contestation possible dans les "
                + "\(mandate.contestDays) jours de sa mise à disposition)",
            reference: mandate.reference, acceptedOn: mandate.acceptedOn, contestDays: mandate.contestDays)
        let compensation =
            "les factures réciproques de l'échange \(deal.dealID) se compensent et seul le solde du relevé de compensation est réglé."
        let payment: PaymentInstructions
        let paymentTerms: String
        if terms.collectionByBroker {
            payment = PaymentInstructions(
                meansCode: "30", iban: broker.iban, bic: broker.bic, payee: InvoicePayee(name: broker.legalName, siren: broker.siren))
            paymentTerms =
                "Paiement à \(broker.paymentTermsDays) jours, au plus tard le \(dueDate.french), par virement à \(broker.legalName), "
                + "qui encaisse pour le compte du vendeur ; " + compensation
        } else {
            payment = PaymentInstructions(meansCode: "30", iban: seller.account.iban, bic: seller.account.bic, payee: nil)
            paymentTerms =
                "Paiement à \(broker.paymentTermsDays) jours, au plus tard le \(dueDate.french), par virement sur le compte du vendeur "
                + "ci-dessous ; " + compensation
        }
        let content = self.content(
            purpose: .exchange, seller: seller.party, buyer: buyer.party, bar: bar(seller.partner.vatStatus, buyer.partner.vatStatus), lines: [line],
            mandate: billingMandate, payment: payment, terms: paymentTerms)
        return InvoiceDraft(series: .mandate(seller: seller.party, prefix: seriesPrefix), content: content)
    }

    func commission(on exchange: InvoiceContent, buyer: Side) throws(InvoicingError) -> InvoiceDraft? {
        let base = exchange.totals.net
        let net = base.scaled(by: Int64(broker.commissionBasisPoints), dividedBy: 10_000)
        guard net > .zero else { return nil }
        let brokerStatus = FirmVATStatus(broker: broker)
        let line = InvoiceLine(
            number: 1,
            description: "Commission de courtage sur l'échange \(deal.dealID) : "
                + "\(FrenchText.percentage(basisPoints: broker.commissionBasisPoints)) % de \(base.frenchString) HT d'adresses reçues",
            quantity: 1, unitCode: "C62", unitPrice: net, baseQuantity: 1, net: net,
            vat: try VATRules.treatment(seller: (broker.legalName, brokerStatus), buyer: (buyer.party.name, buyer.partner.vatStatus)))
        let paymentTerms = "Paiement à \(broker.paymentTermsDays) jours, au plus tard le \(dueDate.french), par virement."
        let content = self.content(
            purpose: .commission, seller: broker.party, buyer: buyer.party, bar: bar(brokerStatus, buyer.partner.vatStatus), lines: [line],
            mandate: nil, payment: PaymentInstructions(meansCode: "30", iban: broker.iban, bic: broker.bic, payee: nil), terms: paymentTerms)
        return InvoiceDraft(series: .commission(brokerSIREN: broker.siren, prefix: seriesPrefix), content: content)
    }

    /// `B2B` when both firms are within French e-invoicing (metropolitan France and the departments where VAT applies);
    /// `B2BINT` tells the French platform one of them is outside it, abroad or in Guyane or Mayotte.
    private func bar(_ seller: FirmVATStatus, _ buyer: FirmVATStatus) -> String {
        seller.territory.isInFrenchEInvoicing && buyer.territory.isInFrenchEInvoicing ? "B2B" : "B2BINT"
    }

    private func content(
        purpose: InvoicePurpose, seller: InvoiceParty, buyer: InvoiceParty, bar: String, lines: [InvoiceLine], mandate: BillingMandate?,
        payment: PaymentInstructions, terms: String
    ) -> InvoiceContent {
        let (breakdown, totals) = InvoiceArithmetic.summarize(lines)
        var notes: [InvoiceNote] = []
        if let mandate { notes.append(InvoiceNote(subjectCode: "REG", text: mandate.mention)) }
        notes += [
            InvoiceNote(subjectCode: "PMT", text: "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €"),
            InvoiceNote(subjectCode: "PMD", text: "Pénalités de retard : \(broker.latePenalty.frenchText)"),
            InvoiceNote(subjectCode: "AAB", text: "Pas d'escompte pour paiement anticipé"),
            InvoiceNote(subjectCode: "BAR", text: bar),
        ]
        return InvoiceContent(
            kind: .invoice, purpose: purpose, dealID: deal.dealID, issueDate: issueDate, deliveryDate: deal.releaseDate, dueDate: dueDate,
            paymentTermsDays: broker.paymentTermsDays, seller: seller, buyer: buyer, billingMandate: mandate, lines: lines,
            vatBreakdown: breakdown, totals: totals, notes: notes, payment: payment, paymentTermsText: terms, precedingInvoice: nil,
            creditReason: nil, currencyCode: "EUR")
    }
}

/// The sums an invoice derives from its lines.
enum InvoiceArithmetic {
    /// VAT per category and rate on the sum of the lines of that rate, rounded half up, and the totals.
    static func summarize(_ lines: [InvoiceLine]) -> ([VATBreakdown], InvoiceTotals) {
        var breakdown: [VATBreakdown] = []
        for line in lines {
            if let index = breakdown.firstIndex(where: { $0.treatment == line.vat }) {
                breakdown[index].taxableAmount += line.net
            } else {
                breakdown.append(VATBreakdown(treatment: line.vat, taxableAmount: line.net, taxAmount: .zero))
            }
        }
        for index in breakdown.indices {
            breakdown[index].taxAmount = breakdown[index].taxableAmount.scaled(
                by: Int64(breakdown[index].treatment.rateBasisPoints), dividedBy: 10_000)
        }
        let net = lines.reduce(Money.zero) { $0 + $1.net }
        let vat = breakdown.reduce(Money.zero) { $0 + $1.taxAmount }
        return (breakdown, InvoiceTotals(net: net, vat: vat, gross: net + vat, payable: net + vat))
    }
}
