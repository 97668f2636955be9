import Testing
import TrocCore

/// Deal amounts: rounding, VAT, reverse charge, empty sides, commissions, settlement, bad input.
@Suite struct DealInvoicingTests {
    typealias Fixtures = InvoicingFixtures

    /// Exchange and commission amounts of one side, in cents, for a 5 % commission and 20 % VAT.
    static let amountCases:
        [(addresses: Int, price: Int64, net: Int64, vat: Int64, gross: Int64, commission: Int64?, commissionVAT: Int64, commissionGross: Int64)] = [
            // 1 × 25.00 / 1000 = 2.5 cents → 3; the commission, 0.15 cents, rounds to nothing: no commission invoice.
            (1, 2500, 3, 1, 4, nil, 0, 0),
            (1, 2000, 2, 0, 2, nil, 0, 0),
            (3, 2050, 6, 1, 7, nil, 0, 0),
            // 5 × 21.00 / 1000 = 10.5 cents → 11; commission 0.55 → 1 cent, on which VAT rounds to 0.
            (5, 2100, 11, 2, 13, 1, 0, 1),
            // 12 × 25.00 / 1000 = 30 cents; commission 1.5 cents → 2.
            (12, 2500, 30, 6, 36, 2, 0, 2),
            // 333 × 33.33 / 1000 = 1109.889 cents → 1110; commission 55.5 → 56.
            (333, 3333, 1110, 222, 1332, 56, 11, 67),
            (987, 2500, 2468, 494, 2962, 123, 25, 148),
            (1234, 2500, 3085, 617, 3702, 154, 31, 185),
            (10_000_000, 3500, 35_000_000, 7_000_000, 42_000_000, 1_750_000, 350_000, 2_100_000),
            (1_000_000_000, 3500, 3_500_000_000, 700_000_000, 4_200_000_000, 175_000_000, 35_000_000, 210_000_000),
        ]

    @Test(arguments: amountCases)
    func computesExchangeAndCommissionAmounts(
        addresses: Int, price: Int64, net: Int64, vat: Int64, gross: Int64, commission: Int64?, commissionVAT: Int64, commissionGross: Int64
    ) throws {
        let invoices = try Fixtures.invoices(Fixtures.deal(toA: addresses, toB: 0, price: price))
        let exchange = try #require(invoices.exchangeToA).content
        #expect(exchange.lines.map(\.net) == [Money(cents: net)])
        #expect(exchange.lines.map(\.quantity) == [Int64(addresses)])
        #expect(exchange.lines.map(\.unitPrice) == [Money(cents: price)])
        #expect(exchange.lines.map(\.baseQuantity) == [1000])
        #expect(exchange.totals.net == Money(cents: net))
        #expect(exchange.totals.vat == Money(cents: vat))
        #expect(exchange.totals.gross == Money(cents: gross))
        #expect(exchange.totals.payable == Money(cents: gross))
        #expect(exchange.vatBreakdown.map(\.treatment) == [.frenchStandard])
        #expect(exchange.vatBreakdown.map(\.taxableAmount) == [Money(cents: net)])
        #expect(exchange.vatBreakdown.map(\.taxAmount) == [Money(cents: vat)])
        if let commission {
            let invoice = try #require(invoices.commissionToA).content
            #expect(invoice.totals.net == Money(cents: commission))
            #expect(invoice.totals.vat == Money(cents: commissionVAT))
            #expect(invoice.totals.payable == Money(cents: commissionGross))
            #expect(invoice.lines.map(\.quantity) == [1])
        } else {
            #expect(invoices.commissionToA == nil)
        }
    }

    @Test func partiesSeriesAndMentionsOfADomesticDeal() throws {
        let invoices = try Fixtures.invoices(Fixtures.deal(toA: 1234, toB: 987))
        let exchangeToA = try #require(invoices.exchangeToA)
        let exchangeToB = try #require(invoices.exchangeToB)
        #expect(exchangeToA.content.seller.name == "Géothermie & Fils \"L'Énergie\" SAS")
        #expect(exchangeToA.content.buyer.name == "Menuiserie Durand SARL")
        #expect(exchangeToB.content.seller.siren == "732829320")
        #expect(exchangeToB.content.seller.vatNumber?.text == "FR44732829320")
        #expect(exchangeToA.series == InvoiceSeries.mandate(seller: exchangeToA.content.seller, prefix: "TR"))
        #expect(exchangeToA.series.prefix == "TRM552100554")
        #expect(exchangeToA.series.issuerID == "552100554")
        #expect(
            exchangeToA.content.billingMandate?.mention
                == "Facture émise par Courtier Fichiers SAS au nom et pour le compte de Géothermie & Fils \"L'Énergie\" SAS, en vertu du "
                + "mandat de facturation mdt_abcdefghijklmnop accepté le 05/01/2026 (contestation possible dans les 15 jours de sa mise à "
                + "disposition)")
        #expect(exchangeToA.content.billingMandate?.reference == "mdt_abcdefghijklmnop")
        #expect(exchangeToB.content.billingMandate?.reference == "mdt_aaaaaaaaaaaaaaaa")
        // Direct payment: the buyer pays the seller's own account, and the invoice names no other payee.
        #expect(exchangeToA.content.payment.payee == nil)
        #expect(exchangeToA.content.payment.iban.text == "FR1420041010050500013M02606")
        #expect(exchangeToB.content.payment.iban.text == "FR7630004000031234567890143")
        #expect(exchangeToA.content.paymentTermsText.contains("sur le compte du vendeur"))
        #expect(exchangeToA.content.purpose == .exchange)
        #expect(exchangeToA.content.dueDate == CivilDate(year: 2026, month: 3, day: 2))
        #expect(exchangeToA.content.deliveryDate == Fixtures.releaseDate)
        #expect(exchangeToA.content.notes.map(\.subjectCode) == ["REG", "PMT", "PMD", "AAB", "BAR"])
        #expect(exchangeToA.content.notes.last?.text == "B2B")
        let commission = try #require(invoices.commissionToB)
        #expect(commission.series == .commission(brokerSIREN: "303265045", prefix: "TR"))
        #expect(commission.series.prefix == "TR" && commission.series.issuerID == "303265045")
        #expect(commission.content.seller.name == "Courtier Fichiers SAS")
        #expect(commission.content.buyer.name == "Géothermie & Fils \"L'Énergie\" SAS")
        #expect(commission.content.billingMandate == nil)
        #expect(commission.content.payment.payee == nil)
        #expect(commission.content.payment.iban.text == "FR7630006000011234567890189")
        #expect(commission.content.notes.map(\.subjectCode) == ["PMT", "PMD", "AAB", "BAR"])
        #expect(invoices.drafts == [exchangeToA, exchangeToB, try #require(invoices.commissionToA), commission])
    }

    @Test func reverseChargeBetweenFranceAndAnotherMemberState() throws {
        let invoices = try Fixtures.invoices(Fixtures.deal(Fixtures.windows, Fixtures.german, toA: 2000, toB: 4321))
        let crossBorder = [invoices.exchangeToA, invoices.exchangeToB, invoices.commissionToB].compactMap(\.self)
        #expect(crossBorder.count == 3)
        for draft in crossBorder {
            #expect(draft.content.vatBreakdown.map(\.treatment) == [.intraCommunityReverseCharge])
            #expect(draft.content.totals.vat == .zero)
            #expect(draft.content.totals.gross == draft.content.totals.net)
            #expect(draft.content.notes.last?.text == "B2BINT")
        }
        let toGermany = try #require(invoices.exchangeToB).content
        #expect(toGermany.totals.net == Money(cents: 10_803))
        #expect(toGermany.vatBreakdown.first?.treatment.exemptionReason == "Autoliquidation - article 196 de la directive 2006/112/CE")
        #expect(toGermany.vatBreakdown.first?.treatment.exemptionReasonCode == "VATEX-EU-AE")
        #expect(try #require(invoices.commissionToB).content.totals.net == Money(cents: 540))
        // The broker and partner A are both French: A's commission bears French VAT.
        #expect(try #require(invoices.commissionToA).content.vatBreakdown.map(\.treatment) == [.frenchStandard])
        #expect(try #require(invoices.exchangeToA).series.prefix == "TRMDE136695976")
    }

    @Test func aSideThatReceivesNothingGetsNoInvoice() throws {
        let invoices = try Fixtures.invoices(Fixtures.deal(toA: 0, toB: 500))
        #expect(invoices.exchangeToA == nil)
        #expect(invoices.commissionToA == nil)
        #expect(invoices.drafts.count == 2)
        #expect(invoices.settlement.aOwesB == .zero)
        #expect(invoices.settlement.bOwesA == Money(cents: 1500))
        #expect(invoices.settlement.direction == .bPaysA)
        #expect(invoices.settlement.netAmount == Money(cents: 1500))
        #expect(invoices.settlement.commissionDueFromA == .zero)
        #expect(invoices.settlement.commissionDueFromB == Money(cents: 76))
        #expect(try Fixtures.invoices(Fixtures.deal(toA: 0, toB: 0)).drafts.isEmpty)
    }

    static let settlementCases: [(toA: Int, toB: Int, aOwesB: Int64, bOwesA: Int64, direction: SettlementDirection, net: Int64)] = [
        (1000, 1000, 3000, 3000, .balanced, 0),
        (1234, 987, 3702, 2962, .aPaysB, 740),
        (987, 1234, 2962, 3702, .bPaysA, 740),
        (1, 1, 4, 4, .balanced, 0),
    ]

    @Test(arguments: settlementCases)
    func settlesTheNetBetweenThePartners(toA: Int, toB: Int, aOwesB: Int64, bOwesA: Int64, direction: SettlementDirection, net: Int64) throws {
        let settlement = try Fixtures.invoices(Fixtures.deal(toA: toA, toB: toB)).settlement
        #expect(settlement.aOwesB == Money(cents: aOwesB))
        #expect(settlement.bOwesA == Money(cents: bOwesA))
        #expect(settlement.direction == direction)
        #expect(settlement.netAmount == Money(cents: net))
        #expect(settlement.netFromAToB == Money(cents: aOwesB - bOwesA))
        #expect(settlement.dealID == "D-2026-0007")
        #expect(settlement.date == Fixtures.issueDate)
    }

    @Test func commissionIsOnTheExchangeNetThePartnerReceived() throws {
        let invoices = try Fixtures.invoices(Fixtures.deal(toA: 4000, toB: 1000), commissionBasisPoints: 250)
        #expect(try #require(invoices.commissionToA).content.totals.net == Money(cents: 250))
        #expect(try #require(invoices.commissionToB).content.totals.net == Money(cents: 63))
        #expect(try #require(invoices.commissionToB).content.lines.first?.description.contains("2,5 % de 25,00\u{00A0}€ HT") == true)
        #expect(try Fixtures.invoices(Fixtures.deal(toA: 4000, toB: 1000), commissionBasisPoints: 0).drafts.count == 2)
    }

    static let badInputCases: [(name: String, deal: InvoicingFixtures.Deal, error: InvoicingError)] = {
        typealias F = InvoicingFixtures
        let bounds = Money(cents: 2000)...Money(cents: 3500)
        var swiss = F.german
        swiss.address.countryCode = "CH"
        var noSIREN = F.windows
        noSIREN.siren = nil
        var noStreet = F.windows
        noStreet.address.street = "  "
        var noAccount = F.windows
        noAccount.bankAccount = nil
        var moved = F.windows
        moved.address.postcode = "97400"
        return [
            ("price below bounds", F.deal(toA: 10, toB: 10, price: 1999), .priceOutOfBounds(price: Money(cents: 1999), bounds: bounds)),
            ("price above bounds", F.deal(toA: 10, toB: 10, price: 3501), .priceOutOfBounds(price: Money(cents: 3501), bounds: bounds)),
            ("negative count", F.deal(toA: -1, toB: 10), .addressCountOutOfRange(recipient: .a, count: -1)),
            ("absurd count", F.deal(toA: 1, toB: 1_000_000_001), .addressCountOutOfRange(recipient: .b, count: 1_000_000_001)),
            (
                "French partner without SIREN", F.deal(noSIREN, F.heating, toA: 10, toB: 10),
                .partnerFieldMissing(.a, partner: "Menuiserie Durand SARL", field: "siren", hint: "a French partner is invoiced with its SIREN")
            ),
            (
                "partner without street", F.deal(F.heating, noStreet, toA: 10, toB: 10),
                .partnerFieldMissing(.b, partner: "Menuiserie Durand SARL", field: "address.street", hint: "invoices must print it")
            ),
            (
                "partner without bank account", F.deal(noAccount, F.heating, toA: 10, toB: 10),
                .partnerFieldMissing(
                    .a, partner: "Menuiserie Durand SARL", field: "bankAccount",
                    hint: "its buyers pay into it (or the broker pays it out): register its IBAN and BIC")
            ),
            (
                "partner whose status was declared for another territory", F.deal(moved, F.heating, toA: 10, toB: 10),
                .partnerFieldInvalid(
                    .a, partner: "Menuiserie Durand SARL", field: "vatStatus",
                    reason: "it was declared for a firm in metropolitan France, but the address is in La Réunion; an operator records it again")
            ),
            (
                "partner outside the EU", F.deal(F.windows, swiss, toA: 10, toB: 0),
                .partnerFieldInvalid(
                    .b, partner: "Fenster Müller GmbH", field: "address", reason: VATTerritoryError.outsideTheEU(countryCode: "CH").description)
            ),
            (
                "two partners in the same other member state", F.deal(F.german, F.german, toA: 10, toB: 0),
                .unsupportedVATSituation(seller: "Fenster Müller GmbH", sellerCountry: "DE", buyer: "Fenster Müller GmbH", buyerCountry: "DE")
            ),
            // The terms are refused at once, whichever way addresses will flow: a swap is a sale each way.
            (
                "a franchise seller and a buyer in another member state", F.deal(F.franchise, F.german, toA: 0, toB: 10),
                .franchiseSellerAbroad(seller: "Atelier Leroy EI", buyer: "Fenster Müller GmbH", buyerTerritory: "Germany")
            ),
            (
                "a seller in Guyane without VAT number and a buyer in metropolitan France", F.deal(F.windows, F.guyane, toA: 10, toB: 0),
                .sellerNotRegistered(seller: "Menuiserie Amazonie SARL", sellerTerritory: "Guyane", buyerTerritory: "metropolitan France")
            ),
            (
                "a buyer under the franchise and a seller in another member state", F.deal(F.german, F.franchise, toA: 0, toB: 10),
                .missingVATNumber(party: "Atelier Leroy EI", countryCode: "FR")
            ),
        ]
    }()

    @Test(arguments: badInputCases)
    func refusesBadInput(name: String, deal: InvoicingFixtures.Deal, error: InvoicingError) throws {
        #expect(throws: error, "\(name)") { try Fixtures.invoices(deal) }
    }

    @Test func refusesToIssueAnExchangeInvoiceWithoutTheSellersMandate() throws {
        let deal = Fixtures.deal(toA: 10, toB: 10)
        #expect(throws: InvoicingError.billingMandateMissing(.b, partner: "Géothermie & Fils \"L'Énergie\" SAS")) {
            try Fixtures.invoices(deal, mandates: DealMandates(a: Fixtures.mandate(), b: nil))
        }
        // A firm that sells nothing in the deal needs no mandate for it.
        let oneWay = try Fixtures.invoices(Fixtures.deal(toA: 0, toB: 10), mandates: DealMandates(a: Fixtures.mandate(), b: nil))
        #expect(oneWay.exchangeToB != nil && oneWay.exchangeToA == nil)
    }

    @Test func refusesToDateInvoicesBeforeTheRelease() throws {
        let early = CivilDate(year: 2026, month: 1, day: 29)!
        #expect(throws: InvoicingError.issueDateBeforeRelease(issueDate: early, releaseDate: Fixtures.releaseDate)) {
            try Fixtures.invoices(Fixtures.deal(toA: 1, toB: 1), issueDate: early)
        }
        var unnamed = Fixtures.deal(toA: 1, toB: 1)
        unnamed.figures.dealID = " "
        #expect(throws: InvoicingError.emptyDealID) { try Fixtures.invoices(unnamed) }
    }

    @Test func errorMessagesNameThePartnerAndTheField() {
        let missing = InvoicingError.partnerFieldMissing(.b, partner: "Fenster Müller GmbH", field: "vatNumber", hint: "needed").description
        #expect(missing == "partner B \"Fenster Müller GmbH\": vatNumber is missing; needed")
        let unsupported = InvoicingError.unsupportedVATSituation(seller: "S", sellerCountry: "CH", buyer: "B", buyerCountry: "FR").description
        #expect(unsupported.hasPrefix("unsupported VAT situation") && unsupported.contains("CH") && unsupported.contains("FR"))
        #expect(
            InvoicingError.priceOutOfBounds(price: Money(cents: 1999), bounds: Money(cents: 2000)...Money(cents: 3500)).description.contains("19,99"))
        #expect(InvoicingError.billingMandateMissing(.a, partner: "X").description.contains("troc mandate accept"))
    }

    /// Random deals (fixed seed) keep the invariants the accountant relies on, computed here independently.
    @Test func randomDealsKeepTheInvariants() throws {
        var random = SplitMix64(seed: 0x7452_4F43)
        let partners = [Fixtures.windows, Fixtures.heating, Fixtures.german]
        for _ in 0..<400 {
            let a = partners[Int(random.next() % 2)]
            let b = partners[1 + Int(random.next() % 2)]
            let toA = Int(random.next() % 3 == 0 ? 0 : random.next() % 2_000_000)
            let toB = Int(random.next() % 3 == 0 ? 0 : random.next() % 2_000_000)
            let price = Int64(2000 + random.next() % 1501)
            let commission = Int(random.next() % 5001)
            let invoices = try Fixtures.invoices(Fixtures.deal(a, b, toA: toA, toB: toB, price: price), commissionBasisPoints: commission)
            for (count, exchange, commissionDraft) in [
                (toA, invoices.exchangeToA, invoices.commissionToA), (toB, invoices.exchangeToB, invoices.commissionToB),
            ] {
                guard count > 0 else {
                    #expect(exchange == nil && commissionDraft == nil)
                    continue
                }
                let content = try #require(exchange).content
                // Half-up rounding of a non-negative ratio n/d is floor((2n + d) / 2d).
                #expect(content.totals.net.cents == (2 * Int64(count) * price + 1000) / 2000)
                for draft in [exchange, commissionDraft].compactMap(\.self) {
                    let totals = draft.content.totals
                    let rate = Int64(draft.content.vatBreakdown[0].treatment.rateBasisPoints)
                    #expect(totals.vat.cents == (2 * totals.net.cents * rate + 10_000) / 20_000)
                    #expect(totals.gross == totals.net + totals.vat && totals.payable == totals.gross)
                    let document = try Fixtures.issue(draft)
                    if document.seller.siren == nil {
                        #expect(throws: EInvoiceError.sellerWithoutSIREN(document.number, seller: document.seller.name)) {
                            try UBLRenderer.render(document)
                        }
                    } else {
                        #expect(try UBLRenderer.render(document) == UBLRenderer.render(Fixtures.issue(draft)))
                    }
                }
                let expectedCommission = (2 * content.totals.net.cents * Int64(commission) + 10_000) / 20_000
                #expect(commissionDraft?.content.totals.net.cents == (expectedCommission == 0 ? nil : expectedCommission))
            }
            #expect(invoices.settlement.netFromAToB == invoices.settlement.aOwesB - invoices.settlement.bOwesA)
            // Both sides of a deal get the same VAT treatment, so equal counts always offset.
            if toA == toB { #expect(invoices.settlement.direction == .balanced) }
        }
    }
}

/// A tiny deterministic generator (SplitMix64) for seeded property loops.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
