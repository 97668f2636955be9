/// The figures of a released deal that its invoices are computed from.
public struct DealFigures: Hashable, Sendable, Codable {
    /// The deal's identifier.
    public var dealID: String
    /// The day the deliveries were released: the date of the service.
    public var releaseDate: CivilDate
    /// The agreed price per 1,000 addresses, excluding VAT.
    public var pricePer1000: Money
    /// Partner A.
    public var partnerA: DealPartner
    /// Partner B.
    public var partnerB: DealPartner
    /// Addresses delivered to A (supplied by B).
    public var addressesToA: Int
    /// Addresses delivered to B (supplied by A).
    public var addressesToB: Int

    /// A bound on address counts that, with `BrokerInvoicingSettings.priceCeiling`, keeps every product in 64 bits.
    public static let maximumAddresses = 1_000_000_000

    /// The figures of a deal.
    public init(
        dealID: String, releaseDate: CivilDate, pricePer1000: Money, partnerA: DealPartner, partnerB: DealPartner, addressesToA: Int,
        addressesToB: Int
    ) {
        self.dealID = dealID
        self.releaseDate = releaseDate
        self.pricePer1000 = pricePer1000
        self.partnerA = partnerA
        self.partnerB = partnerB
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
    /// What the partners owe each other.
    public var settlement: SettlementStatement

    /// Every draft, exchange invoices first, A before B.
    public var drafts: [InvoiceDraft] { [exchangeToA, exchangeToB, commissionToA, commissionToB].compactMap(\.self) }
}

/// Computes the invoices of a released deal: pure arithmetic on cents, no numbering, no clock.
public enum DealInvoicing {
    /// The exchange and commission drafts of `deal` and its settlement statement, dated `issueDate`.
    ///
    /// - Exchange line net = round_half_up(addresses × price per 1,000 ÷ 1000), one line, quantity in
    ///   addresses (`C62`) priced per 1,000 (base quantity 1000), so the e-invoice arithmetic is exact.
    /// - Commission net = round_half_up(exchange net the partner received × commission bp ÷ 10,000).
    /// - VAT per rate on the invoice total, rounded half up.
    public static func invoices(for deal: DealFigures, settings: BrokerInvoicingSettings, issueDate: CivilDate) throws(InvoicingError)
        -> DealInvoices
    {
        guard !deal.dealID.trimmingSpaces.isEmpty else { throw .emptyDealID }
        let bounds = settings.minimumPricePer1000...settings.maximumPricePer1000
        guard bounds.contains(deal.pricePer1000) else { throw .priceOutOfBounds(price: deal.pricePer1000, bounds: bounds) }
        for side in [DealSide.a, .b] where !(0...DealFigures.maximumAddresses).contains(deal.addresses(to: side)) {
            throw .addressCountOutOfRange(recipient: side, count: deal.addresses(to: side))
        }
        guard issueDate >= deal.releaseDate else { throw .issueDateBeforeRelease(issueDate: issueDate, releaseDate: deal.releaseDate) }
        let parties = (a: try party(deal.partnerA, side: .a), b: try party(deal.partnerB, side: .b))
        let builder = DraftBuilder(deal: deal, settings: settings, issueDate: issueDate)
        var result = DealInvoices(
            exchangeToA: nil, exchangeToB: nil, commissionToA: nil, commissionToB: nil,
            settlement: SettlementStatement(dealID: deal.dealID, date: issueDate, partnerA: parties.a.name, partnerB: parties.b.name))
        if deal.addressesToA > 0 {
            let exchange = try builder.exchange(addresses: deal.addressesToA, seller: parties.b, buyer: parties.a)
            result.exchangeToA = exchange
            result.commissionToA = try builder.commission(on: exchange.content, buyer: parties.a)
        }
        if deal.addressesToB > 0 {
            let exchange = try builder.exchange(addresses: deal.addressesToB, seller: parties.a, buyer: parties.b)
            result.exchangeToB = exchange
            result.commissionToB = try builder.commission(on: exchange.content, buyer: parties.b)
        }
        result.settlement.aOwesB = result.exchangeToA?.content.totals.payable ?? .zero
        result.settlement.bOwesA = result.exchangeToB?.content.totals.payable ?? .zero
        result.settlement.commissionDueFromA = result.commissionToA?.content.totals.payable ?? .zero
        result.settlement.commissionDueFromB = result.commissionToB?.content.totals.payable ?? .zero
        return result
    }

    /// The VAT of a sale from `seller` to `buyer`: French 20 % between two French parties, reverse charge
    /// between two different member states when both have a VAT number; anything else is refused.
    public static func vatTreatment(seller: InvoiceParty, buyer: InvoiceParty) throws(InvoicingError) -> VATTreatment {
        let sellerCountry = seller.address.countryCode
        let buyerCountry = buyer.address.countryCode
        if sellerCountry == "FR", buyerCountry == "FR" { return .frenchStandard }
        guard seller.address.memberState != nil, buyer.address.memberState != nil, sellerCountry != buyerCountry else {
            throw .unsupportedVATSituation(seller: seller.name, sellerCountry: sellerCountry, buyer: buyer.name, buyerCountry: buyerCountry)
        }
        for party in [seller, buyer] where party.vatNumber == nil {
            throw .missingVATNumber(party: party.name, countryCode: party.address.countryCode)
        }
        return .intraCommunityReverseCharge
    }

    /// Checks a partner's identity for invoicing: French partners need a SIREN (their VAT number is derived
    /// from it when not given, and must match it when given); partners elsewhere in the EU need a valid VAT
    /// number of their own member state.
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
        var vatNumber: VATNumber?
        if let text = partner.vatNumber, !text.trimmingSpaces.isEmpty {
            do {
                vatNumber = try VATNumber(text)
            } catch {
                throw .partnerFieldInvalid(side, partner: label, field: "vatNumber", reason: error.description)
            }
        }
        let registrationID = partner.foreignRegistrationID.map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 }
        switch partner.address.memberState {
        case .france:
            guard let siren = partner.siren else {
                throw .partnerFieldMissing(side, partner: label, field: "siren", hint: "a French partner is invoiced with its SIREN")
            }
            if let vatNumber, vatNumber.frenchSIREN != siren {
                throw .partnerFieldInvalid(
                    side, partner: label, field: "vatNumber",
                    reason: "\(vatNumber) does not belong to SIREN \(siren), whose number is \(VATNumber.french(siren: siren))")
            }
            return InvoiceParty(name: name, address: partner.address, siren: siren, foreignRegistrationID: nil, vatNumber: .french(siren: siren))
        case .some(let state):
            guard let vatNumber else {
                throw .partnerFieldMissing(
                    side, partner: label, field: "vatNumber",
                    hint: "a partner established in \(state.name) needs its \(state.vatPrefix) VAT number for reverse charge")
            }
            guard vatNumber.memberState == state else {
                throw .partnerFieldInvalid(
                    side, partner: label, field: "vatNumber",
                    reason: "\(vatNumber) is a VAT number of \(vatNumber.memberState.name) but the partner's address is in \(state.name)")
            }
            return InvoiceParty(
                name: name, address: partner.address, siren: partner.siren, foreignRegistrationID: registrationID, vatNumber: vatNumber)
        case nil:
            return InvoiceParty(
                name: name, address: partner.address, siren: partner.siren, foreignRegistrationID: registrationID, vatNumber: vatNumber)
        }
    }
}

/// Builds the drafts of one deal, sharing its dates, terms and mentions.
private struct DraftBuilder {
    let deal: DealFigures
    let settings: BrokerInvoicingSettings
    let issueDate: CivilDate

    var dueDate: CivilDate { issueDate.adding(days: settings.paymentTermsDays) }

    func exchange(addresses: Int, seller: InvoiceParty, buyer: InvoiceParty) throws(InvoicingError) -> InvoiceDraft {
        let vat = try DealInvoicing.vatTreatment(seller: seller, buyer: buyer)
        let quantity = Int64(addresses)
        let line = InvoiceLine(
            number: 1,
            description: "Adresses de prospection livrées le \(deal.releaseDate.french) - échange \(deal.dealID)",
            quantity: quantity, unitCode: "C62", unitPrice: deal.pricePer1000, baseQuantity: 1000,
            net: deal.pricePer1000.scaled(by: quantity, dividedBy: 1000), vat: vat)
        let mandate = BillingMandate(
            issuerName: settings.legalName, issuerSIREN: settings.siren,
            mention: "Facture émise par \(settings.legalName) au nom et pour le compte de \(seller.name)")
        let terms =
            "Paiement à \(settings.paymentTermsDays) jours, au plus tard le \(dueDate.french), par virement à \(settings.legalName), "
            + "qui encaisse pour le compte du vendeur ; les factures réciproques de l'échange \(deal.dealID) se compensent "
            + "et seul le solde du relevé de compensation est réglé."
        let content = self.content(
            purpose: .exchange, seller: seller, buyer: buyer, lines: [line], mandate: mandate,
            payee: InvoicePayee(name: settings.legalName, siren: settings.siren), terms: terms)
        return InvoiceDraft(series: .mandate(seller: seller, settings: settings), content: content)
    }

    func commission(on exchange: InvoiceContent, buyer: InvoiceParty) throws(InvoicingError) -> InvoiceDraft? {
        let base = exchange.totals.net
        let net = base.scaled(by: Int64(settings.commissionBasisPoints), dividedBy: 10_000)
        guard net > .zero else { return nil }
        let broker = settings.party
        let line = InvoiceLine(
            number: 1,
            description: "Commission de courtage sur l'échange \(deal.dealID) : "
                + "\(FrenchText.percentage(basisPoints: settings.commissionBasisPoints)) % de \(base.frenchString) HT d'adresses reçues",
            quantity: 1, unitCode: "C62", unitPrice: net, baseQuantity: 1, net: net,
            vat: try DealInvoicing.vatTreatment(seller: broker, buyer: buyer))
        let terms = "Paiement à \(settings.paymentTermsDays) jours, au plus tard le \(dueDate.french), par virement."
        let content = self.content(purpose: .commission, seller: broker, buyer: buyer, lines: [line], mandate: nil, payee: nil, terms: terms)
        return InvoiceDraft(series: .commission(settings), content: content)
    }

    private func content(
        purpose: InvoicePurpose, seller: InvoiceParty, buyer: InvoiceParty, lines: [InvoiceLine], mandate: BillingMandate?,
        payee: InvoicePayee?, terms: String
    ) -> InvoiceContent {
        let (breakdown, totals) = InvoiceArithmetic.summarize(lines)
        var notes: [InvoiceNote] = []
        if let mandate { notes.append(InvoiceNote(subjectCode: "REG", text: mandate.mention)) }
        notes += [
            InvoiceNote(subjectCode: "PMT", text: "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €"),
            InvoiceNote(subjectCode: "PMD", text: "Pénalités de retard : \(settings.latePenalty.frenchText)"),
            InvoiceNote(subjectCode: "AAB", text: "Pas d'escompte pour paiement anticipé"),
            // B2B is the French domestic flow; B2BINT tells the French platform the buyer or seller is abroad.
            InvoiceNote(subjectCode: "BAR", text: seller.address.countryCode == "FR" && buyer.address.countryCode == "FR" ? "B2B" : "B2BINT"),
        ]
        return InvoiceContent(
            kind: .invoice, purpose: purpose, dealID: deal.dealID, issueDate: issueDate, deliveryDate: deal.releaseDate, dueDate: dueDate,
            paymentTermsDays: settings.paymentTermsDays, seller: seller, buyer: buyer, billingMandate: mandate, lines: lines,
            vatBreakdown: breakdown, totals: totals, notes: notes,
            payment: PaymentInstructions(meansCode: "30", iban: settings.iban, bic: settings.bic, payee: payee), paymentTermsText: terms,
            precedingInvoice: nil, creditReason: nil, currencyCode: "EUR")
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
