import Testing
import TrocCore

/// The settlement statement says who pays whom, how much and into which account; money through the broker is checked.
@Suite struct SettlementTests {
    typealias Fixtures = InvoicingFixtures

    @Test func byDefaultEachFirmPaysTheOtherDirectly() throws {
        let statement = try Fixtures.invoices(Fixtures.deal(toA: 1234, toB: 987)).settlement
        #expect(!statement.collectionByBroker)
        #expect(statement.transfers.map(\.purpose) == [.exchangeBalance, .commission, .commission])
        let balance = statement.transfers[0]
        #expect(balance.payer == "Menuiserie Durand SARL" && balance.payee == "Géothermie & Fils \"L'Énergie\" SAS")
        #expect(balance.amount == Money(cents: 740))
        #expect(balance.account == Fixtures.heating.bankAccount)
        for commission in statement.transfers.dropFirst() {
            #expect(commission.payee == "Courtier Fichiers SAS" && commission.account.iban.text == "FR7630006000011234567890189")
        }
        #expect(statement.transfers[1].amount == Money(cents: 185) && statement.transfers[2].amount == Money(cents: 148))
    }

    @Test func whenTheBrokerCollectsTheNetGoesThroughItsAccount() throws {
        var deal = Fixtures.deal(toA: 987, toB: 1234)
        deal.collectionByBroker = true
        let invoices = try Fixtures.invoices(deal)
        let statement = invoices.settlement
        #expect(statement.collectionByBroker)
        #expect(statement.transfers.map(\.purpose) == [.collection, .payout, .commission, .commission])
        #expect(statement.transfers[0].payer == "Géothermie & Fils \"L'Énergie\" SAS" && statement.transfers[0].payee == "Courtier Fichiers SAS")
        #expect(statement.transfers[1].payee == "Menuiserie Durand SARL" && statement.transfers[1].account == Fixtures.windows.bankAccount)
        // The exchange invoices name the broker as payee, with its account.
        let exchange = try #require(invoices.exchangeToA).content
        #expect(exchange.payment.payee?.name == "Courtier Fichiers SAS" && exchange.payment.iban.text == "FR7630006000011234567890189")
        #expect(exchange.paymentTermsText.contains("qui encaisse pour le compte du vendeur"))
    }

    @Test func aBalancedDealHasOnlyItsCommissionsToPay() throws {
        let statement = try Fixtures.invoices(Fixtures.deal(toA: 1000, toB: 1000)).settlement
        #expect(statement.direction == .balanced && statement.transfers.map(\.purpose) == [.commission, .commission])
    }

    static func payment(_ direction: SettlementPaymentDirection, _ cents: Int64, day: Int = 20, reference: String = "VIR") -> SettlementPayment {
        SettlementPayment(
            dealID: "D-2026-0007", direction: direction, counterparty: "X", counterpartyID: "1", amount: Money(cents: cents),
            date: CivilDate(year: 2026, month: 2, day: day)!, reference: reference)
    }

    @Test func paymentsThroughTheBrokerAreChecked() throws {
        var deal = Fixtures.deal(toA: 1234, toB: 987)
        deal.collectionByBroker = true
        let statement = try Fixtures.invoices(deal).settlement
        #expect(statement.counterparty(of: .received) == .a && statement.counterparty(of: .paidOut) == .b)
        try statement.checkPayment(Self.payment(.received, 500), recorded: [])
        try statement.checkPayment(Self.payment(.received, 240), recorded: [Self.payment(.received, 500)])
        #expect(throws: SettlementPaymentError.exceedsNet(Money(cents: 241), alreadyReceived: Money(cents: 500), net: Money(cents: 740))) {
            try statement.checkPayment(Self.payment(.received, 241), recorded: [Self.payment(.received, 500)])
        }
        // The broker pays out only what it received: it never advances a firm's money.
        #expect(throws: SettlementPaymentError.exceedsCollected(Money(cents: 501), alreadyPaidOut: .zero, received: Money(cents: 500))) {
            try statement.checkPayment(Self.payment(.paidOut, 501), recorded: [Self.payment(.received, 500)])
        }
        #expect(throws: SettlementPaymentError.amountNotPositive(.zero)) { try statement.checkPayment(Self.payment(.received, 0), recorded: []) }
        #expect(throws: SettlementPaymentError.missingReference) {
            try statement.checkPayment(Self.payment(.received, 10, reference: " "), recorded: [])
        }
        let early = CivilDate(year: 2026, month: 1, day: 30)!
        var before = Self.payment(.received, 10)
        before.date = early
        #expect(throws: SettlementPaymentError.dateBeforeStatement(early, statement: Fixtures.issueDate)) {
            try statement.checkPayment(before, recorded: [])
        }
    }

    @Test func paymentsAreRefusedWhenTheFirmsPayEachOtherDirectly() throws {
        let direct = try Fixtures.invoices(Fixtures.deal(toA: 1234, toB: 987)).settlement
        #expect(throws: SettlementPaymentError.notCollectedByBroker(dealID: "D-2026-0007")) {
            try direct.checkPayment(Self.payment(.received, 10), recorded: [])
        }
        var balancedDeal = Fixtures.deal(toA: 1000, toB: 1000)
        balancedDeal.collectionByBroker = true
        let balanced = try Fixtures.invoices(balancedDeal).settlement
        #expect(throws: SettlementPaymentError.nothingToSettle(dealID: "D-2026-0007")) {
            try balanced.checkPayment(Self.payment(.received, 10), recorded: [])
        }
    }
}
