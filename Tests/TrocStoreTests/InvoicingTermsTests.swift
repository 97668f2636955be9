import Foundation
import GRDB
import Testing
import TrocCore

@testable import TrocStore

/// Firms' VAT statuses, bank accounts and billing mandates; terms frozen at acceptance; the financial year; payments
/// collected by the broker: each stored in one audited transaction, each refusal with its reason.
@Suite struct InvoicingTermsTests {
    let world: DealWorld

    init() throws {
        world = try DealWorld()
    }

    @Test("an operator's VAT status change is checked, audited and keeps the organisation's number equal")
    func vatStatus() throws {
        #expect(try world.database.vatStatus(organisationID: world.windows.id)?.vatNumberCheckMethod == .syntaxAndKey)
        #expect(try world.database.vatStatus(organisationID: world.windows.id)?.vatNumberCheckedAt == Dates.start)
        let franchise = try world.database.setVATStatus(
            organisationID: world.windows.id, regime: .franchise, vatNumber: nil, reason: "sole trader under 293 B", actor: world.operatorActor,
            now: Dates.at(10))
        #expect(franchise.regime == .franchise && franchise.vatNumber == nil && franchise.vatNumberCheckedAt == nil)
        #expect(try world.database.organisation(id: world.windows.id)?.vatNumber == nil)
        let entry = try #require(try world.database.auditEntries(limit: 100).last)
        #expect(entry.action == "organisation.vat-status" && entry.reason == "sole trader under 293 B")
        #expect(entry.detail.contains("FR44732829320") && entry.detail.contains("franchise"))
        // Bad input: a franchise firm with a VAT number; the metropolitan status for an overseas postcode.
        #expect(
            storeError {
                try world.database.setVATStatus(
                    organisationID: world.windows.id, regime: .franchise, vatNumber: "FR44732829320", reason: nil, actor: world.operatorActor,
                    now: Dates.at(11))
            }.map { if case .vatStatusInvalid(let error) = $0 { error.problems.map(\.code) } else { [] } } == ["franchise-with-vat-number"])
        // The schema refuses the same, whatever writes the row.
        #expect(
            constraintCode {
                try world.raw {
                    try $0.execute(
                        sql: "UPDATE organisation_vat_status SET vatNumber = 'FR44732829320' WHERE organisationID = ?", arguments: [world.windows.id])
                }
            } == .SQLITE_CONSTRAINT_CHECK)
        #expect(
            constraintCode {
                try world.raw {
                    try $0.execute(
                        sql: "UPDATE organisation_vat_status SET regime = 'registered', territory = 'RE' WHERE organisationID = ?",
                        arguments: [world.heating.id])
                }
            } == .SQLITE_CONSTRAINT_CHECK)
    }

    @Test("a firm in La Réunion may be under the franchise (CGI art. 293 B), and the schema agrees with the rule")
    func overseasFranchise() throws {
        let heating = world.heating.id
        func update(_ assignments: String) -> ResultCode? {
            constraintCode {
                try world.raw {
                    try $0.execute(sql: "UPDATE organisation_vat_status SET \(assignments) WHERE organisationID = ?", arguments: [heating])
                }
            }
        }
        let franchise = "regime = 'franchise', vatNumber = NULL, vatNumberCheckedAt = NULL, vatNumberCheckMethod = NULL"
        #expect(update(franchise + ", territory = 'RE'") == nil)
        #expect(update(franchise + ", territory = 'FR'") == nil)
        #expect(update("regime = 'overseas', territory = 'FR'") == .SQLITE_CONSTRAINT_CHECK)
        #expect(update("regime = 'overseas', territory = 'GF'") == nil, "no VAT, so no VAT number, in Guyane")
        #expect(update("regime = 'overseas', territory = 'GP'") == .SQLITE_CONSTRAINT_CHECK, "Guadeloupe has VAT: a number is due")
        let number = "vatNumber = 'FR44732829320', vatNumberCheckedAt = 1, vatNumberCheckMethod = 'syntax-and-key'"
        #expect(update("regime = 'overseas', territory = 'GP', " + number) == nil)
        #expect(update("regime = 'registered', vatNumber = 'FR44732829320', territory = 'GP'") == .SQLITE_CONSTRAINT_CHECK)
    }

    @Test("v12 rebuilds the VAT status table with every row as it was")
    func overseasFranchiseMigrationKeepsRows() throws {
        let queue = try DatabaseQueue(configuration: AppDatabase.makeConfiguration())
        try AppDatabase.migrator.migrate(queue, upTo: "v11-console")
        try queue.write { db in
            for (id, siren) in [("org_aaaaaaaaaaaaaaaa", Organisations.siren(41)), ("org_bbbbbbbbbbbbbbbb", Organisations.siren(42))] {
                try db.execute(
                    sql: """
                        INSERT INTO organisation (id, kind, name, siren, nafCode, street, postcode, city, countryCode, createdAt)
                        VALUES (?, 'partner', 'Firm', ?, '43.32A', 'street', '97400', 'Saint-Denis', 'FR', 0)
                        """, arguments: [id, siren])
            }
            try db.execute(
                sql: """
                    INSERT INTO organisation_vat_status (organisationID, regime, vatNumber, territory, vatNumberCheckedAt, vatNumberCheckMethod, updatedAt)
                    VALUES ('org_aaaaaaaaaaaaaaaa', 'overseas', 'FR44732829320', 'RE', 7, 'syntax-and-key', 8),
                           ('org_bbbbbbbbbbbbbbbb', 'registered', 'FR44732829320', 'FR', 9, 'syntax-and-key', 10)
                    """)
        }
        let before = try queue.read { try Row.fetchAll($0, sql: "SELECT * FROM organisation_vat_status ORDER BY organisationID") }
        try AppDatabase.migrator.migrate(queue)
        #expect(try queue.read { try Row.fetchAll($0, sql: "SELECT * FROM organisation_vat_status ORDER BY organisationID") } == before)
        #expect(try queue.read { try Row.fetchAll($0, sql: "PRAGMA foreign_key_check") }.isEmpty)
    }

    @Test("a bank account change is audited with the account's ends only")
    func bankAccount() throws {
        let account = try BankAccount(iban: "DE89 3704 0044 0532 0130 00", bic: "COBADEFFXXX")
        _ = try world.database.setBankAccount(
            organisationID: world.heating.id, account: account, reason: "new bank", actor: world.heatingActor, now: Dates.at(5))
        #expect(try world.database.bankAccount(organisationID: world.heating.id)?.iban == "DE89370400440532013000")
        let entry = try #require(try world.database.auditEntries(limit: 100).last)
        #expect(entry.action == "organisation.bank-account" && entry.detail.contains("DE89 …3000") && entry.detail.contains("FR14 …2606"))
        #expect(!entry.detail.contains("DE89370400440532013000") && !entry.detail.contains("20041010050500013M02606"))
    }

    @Test("a billing mandate is the firm's own, in the current wording, one in force at a time, never edited")
    func mandates() throws {
        #expect(
            storeError {
                try world.database.acceptMandate(
                    organisationID: world.windows.id, wordingVersion: "2020-1", contestDays: 15, actor: world.windowsActor, now: Dates.start)
            } == .billingMandateWordingOutdated(given: "2020-1", current: BillingMandateWording.version))
        #expect(
            storeError {
                try world.database.acceptMandate(
                    organisationID: world.windows.id, wordingVersion: BillingMandateWording.version, contestDays: 15, actor: world.heatingActor,
                    now: Dates.start)
            } != nil)
        #expect(
            storeError {
                try world.database.acceptMandate(
                    organisationID: world.windows.id, wordingVersion: BillingMandateWording.version, contestDays: 0, actor: world.windowsActor,
                    now: Dates.start)
            } != nil)
        let mandate = try world.database.acceptMandate(
            organisationID: world.windows.id, wordingVersion: BillingMandateWording.version, contestDays: 20, actor: world.windowsActor,
            now: Dates.start)
        #expect(mandate.wording.contains("Menuiserie Durand SARL, SIREN 732829320") && mandate.wording.contains("20 jours"))
        #expect(mandate.acceptance.acceptedOn == CivilDate(year: 2025, month: 1, day: 1))
        // Accepting the same again changes nothing; other terms need a withdrawal first.
        #expect(
            try world.database.acceptMandate(
                organisationID: world.windows.id, wordingVersion: BillingMandateWording.version, contestDays: 20, actor: world.windowsActor,
                now: Dates.at(5)) == mandate)
        #expect(
            storeError {
                try world.database.acceptMandate(
                    organisationID: world.windows.id, wordingVersion: BillingMandateWording.version, contestDays: 30, actor: world.windowsActor,
                    now: Dates.at(5))
            } == .billingMandateInForce(reference: mandate.id, contestDays: 20))
        let withdrawn = try world.database.withdrawMandate(
            organisationID: world.windows.id, reason: "  ", actor: world.windowsActor, now: Dates.at(9))
        #expect(withdrawn.withdrawnAt == Dates.at(9) && withdrawn.withdrawalReason == nil)
        #expect(try world.database.mandateInForce(organisationID: world.windows.id) == nil)
        #expect(
            storeError {
                try world.database.withdrawMandate(organisationID: world.windows.id, reason: nil, actor: world.windowsActor, now: Dates.at(10))
            }
                == .billingMandateNotInForce(organisationID: world.windows.id))
        #expect(try world.database.mandates(organisationID: world.windows.id).count == 1)
        // The schema keeps the record: no edit of what was accepted, no second withdrawal, no deletion, no acceptance by another firm.
        for sql in [
            "UPDATE billing_mandate SET contestDays = 60", "UPDATE billing_mandate SET withdrawnAt = withdrawnAt + 1", "DELETE FROM billing_mandate",
        ] {
            #expect(constraintCode { try world.raw { try $0.execute(sql: sql) } } == .SQLITE_CONSTRAINT_TRIGGER, "\(sql)")
        }
        #expect(
            constraintCode {
                try world.raw {
                    try $0.execute(
                        sql: """
                            INSERT INTO billing_mandate (id, organisationID, wordingVersion, scope, contestDays, wording, acceptedAt, acceptedByUserID)
                            VALUES ('mdt_bbbbbbbbbbbbbbbb', ?, '2026-1', 'exchange-invoices', 15, 'x', 0, ?)
                            """, arguments: [world.windows.id, world.heatingActor.userID])
                }
            } == .SQLITE_CONSTRAINT_TRIGGER)
    }

    @Test("a deal cannot be approved without both mandates, nor released after one is withdrawn")
    func mandatesGateApprovalAndRelease() throws {
        let deal = try world.acceptedDeal()
        _ = try world.database.withdrawMandate(organisationID: world.heating.id, reason: "changing bank", actor: world.heatingActor, now: Dates.at(1))
        let refusal = storeError { try world.database.approve(dealID: deal.id, actor: world.operatorActor, now: Dates.at(2)) }
        #expect(refusal == .billingMandateMissing(dealID: deal.id, firms: ["Géothermie & Fils SAS"]))
        #expect(refusal?.description.contains("troc mandate accept") == true)
        #expect(try world.database.deal(id: deal.id)?.state == .accepted)
        try world.prepareInvoicing()
        _ = try world.database.approve(dealID: deal.id, actor: world.operatorActor, now: Dates.at(3))
        _ = try world.database.withdrawMandate(organisationID: world.windows.id, reason: nil, actor: world.windowsActor, now: Dates.at(4))
        #expect(
            storeError {
                try world.database.release(dealID: deal.id, deliveries: world.deliveryDrafts(), actor: world.operatorActor, now: Dates.at(5))
            }
                == .billingMandateMissing(dealID: deal.id, firms: ["Menuiserie Durand SARL"]))
        #expect(
            storeError { try world.database.checkMandates(dealID: deal.id) }
                == .billingMandateMissing(dealID: deal.id, firms: ["Menuiserie Durand SARL"]))
        #expect(try world.database.deal(id: deal.id)?.state == .approved)
    }

    @Test("a mandate cannot be withdrawn while a deal is being invoiced under it, and invoices cite the mandate in force")
    func mandateDuringInvoicing() throws {
        let (deal, _) = try world.releasedDeal()
        let invoices = try world.invoices(for: deal, issueDate: CivilDate(year: 2025, month: 1, day: 2)!)
        let inForce = try #require(try world.database.mandateInForce(organisationID: world.heating.id))
        #expect(
            storeError {
                try world.database.withdrawMandate(organisationID: world.heating.id, reason: nil, actor: world.heatingActor, now: Dates.at(1))
            }
                == .billingMandateInUse(reference: inForce.id, dealIDs: [deal.id]))
        // A draft citing another mandate than the one in force is refused, and nothing is numbered.
        var stale = invoices.drafts
        stale[0].content.billingMandate?.reference = "mdt_zzzzzzzzzzzzzzzz"
        #expect(
            storeError {
                try world.database.issueInvoices(
                    dealID: deal.id, drafts: stale, settlement: invoices.settlement, actor: world.operatorActor, now: Dates.at(2))
            } == .billingMandateMissing(dealID: deal.id, firms: ["Géothermie & Fils SAS"]))
        let issued = try world.database.issueInvoices(
            dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: world.operatorActor, now: Dates.at(3))
        #expect(issued[0].document.billingMandate?.reference == inForce.id)
        #expect(issued[0].document.notes[0].text.contains(inForce.id))
    }

    @Test("the terms are frozen at the second acceptance and invoices follow them whatever changes before release")
    func frozenTerms() throws {
        let matched = try world.matchedDeal()
        _ = try world.database.accept(dealID: matched.id, actor: world.windowsActor, now: Dates.at(1))
        #expect(try world.database.dealTerms(dealID: matched.id) == nil)
        _ = try world.database.accept(dealID: matched.id, actor: world.heatingActor, now: Dates.at(2))
        let terms = try #require(try world.database.dealTerms(dealID: matched.id))
        #expect(terms.broker.commissionBasisPoints == 500 && terms.pricePer1000 == Money(cents: 2500) && !terms.collectionByBroker)
        #expect(terms.partnerB.bankAccount?.iban.text == "FR1420041010050500013M02606")
        // Everything changes between acceptance and release: commission, broker account, collection, a status, an account.
        _ = try world.database.updateSettings(
            SettingsChange(iban: "FR14 2004 1010 0505 0001 3M02 606", bic: "PSSTFRPPXXX", commissionBasisPoints: 1000, collectionByBroker: true),
            actor: world.operatorActor, now: Dates.at(3))
        _ = try world.database.setVATStatus(
            organisationID: world.windows.id, regime: .franchise, vatNumber: nil, reason: "now under 293 B", actor: world.operatorActor,
            now: Dates.at(3))
        _ = try world.database.setBankAccount(
            organisationID: world.heating.id, account: try BankAccount(iban: "DE89 3704 0044 0532 0130 00", bic: "COBADEFFXXX"), reason: nil,
            actor: world.heatingActor, now: Dates.at(3))
        _ = try world.database.approve(dealID: matched.id, actor: world.operatorActor, now: Dates.at(4))
        _ = try world.database.release(dealID: matched.id, deliveries: world.deliveryDrafts(), actor: world.operatorActor, now: Dates.at(5))
        #expect(try world.database.dealTerms(dealID: matched.id) == terms)
        let deal = try #require(try world.database.deal(id: matched.id))
        let invoices = try world.invoices(for: deal, issueDate: CivilDate(year: 2025, month: 1, day: 2)!)
        let exchangeToB = try #require(invoices.exchangeToB).content
        #expect(exchangeToB.seller.vatNumber?.text == "FR44732829320", "windows sells as the registered firm it was when both accepted")
        #expect(exchangeToB.vatBreakdown.map(\.treatment) == [.frenchStandard])
        let exchangeToA = try #require(invoices.exchangeToA).content
        #expect(exchangeToA.payment.iban.text == "FR1420041010050500013M02606" && exchangeToA.payment.payee == nil)
        let commission = try #require(invoices.commissionToA).content
        #expect(commission.totals.net == Money(cents: 150), "5 % of 30,00 €, not the 10 % set after acceptance")
        #expect(commission.payment.iban.text == "FR7630006000011234567890189")
        #expect(!invoices.settlement.collectionByBroker)
        // Frozen terms never change, whatever writes.
        #expect(
            constraintCode { try world.raw { try $0.execute(sql: "UPDATE deal_terms SET createdAt = createdAt + 1") } } == .SQLITE_CONSTRAINT_TRIGGER)
        #expect(constraintCode { try world.raw { try $0.execute(sql: "DELETE FROM deal_terms") } } == .SQLITE_CONSTRAINT_TRIGGER)
    }

    @Test("a deal released before terms were recorded is invoiced on terms frozen then, once")
    func termsOfADealReleasedBeforeTheMigration() throws {
        let (deal, _) = try world.releasedDeal()
        // As a database upgraded from before terms were frozen would hold it.
        try world.raw { db in
            try db.execute(sql: "DROP TRIGGER deal_terms_immutable_delete; DELETE FROM deal_terms")
        }
        #expect(try world.database.dealTerms(dealID: deal.id) == nil)
        let terms = try world.database.termsForInvoicing(dealID: deal.id, now: Dates.at(60))
        #expect(terms.agreedOn == CivilDate(year: 2025, month: 1, day: 1) && terms.partnerA.name == "Menuiserie Durand SARL")
        #expect(try world.database.termsForInvoicing(dealID: deal.id, now: Dates.at(90_000)) == terms)
        #expect(
            storeError { try world.database.termsForInvoicing(dealID: "del_aaaaaaaaaaaaaaaa", now: Dates.start) }
                == .dealNotFound(id: "del_aaaaaaaaaaaaaaaa"))
    }

    @Test("a firm without its VAT status or bank account cannot accept")
    func acceptanceNeedsAFirmReadyToInvoice() throws {
        let deal = try world.matchedDeal()
        try world.raw { try $0.execute(sql: "DELETE FROM organisation_bank_account WHERE organisationID = ?", arguments: [world.heating.id]) }
        #expect(
            storeError { try world.database.accept(dealID: deal.id, actor: world.heatingActor, now: Dates.at(1)) }
                == .partyNotReady(organisationID: world.heating.id, name: "Géothermie & Fils SAS", missing: ["bankAccount"]))
        #expect(try world.database.dealParties(dealID: deal.id).allSatisfy { $0.acceptedAt == nil })
    }

    @Test("the financial year's start cannot move once the current year has invoices")
    func financialYearLock() throws {
        let july = try FinancialYear(startMonth: 7, startDay: 1)
        // No invoice yet: the start may move (and back).
        #expect(
            try world.database.updateSettings(SettingsChange(financialYear: july), actor: world.operatorActor, now: Dates.start).financialYear == july
        )
        _ = try world.database.updateSettings(SettingsChange(financialYear: .calendar), actor: world.operatorActor, now: Dates.start)
        let (deal, _) = try world.releasedDeal()
        let invoices = try world.invoices(for: deal, issueDate: CivilDate(year: 2025, month: 1, day: 2)!)
        _ = try world.database.issueInvoices(
            dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: world.operatorActor, now: Dates.at(1))
        let today = Dates.at(40 * 86_400)
        let refusal = storeError {
            try world.database.updateSettings(SettingsChange(financialYear: july), actor: world.operatorActor, now: today)
        }
        let year = CivilDate(year: 2025, month: 1, day: 1)!...CivilDate(year: 2025, month: 12, day: 31)!
        #expect(refusal == .financialYearLocked(current: year, invoices: 4))
        #expect(refusal?.description.contains("already has 4 invoices") == true)
        #expect(try world.database.settings().financialYear == .calendar)
        // Setting it to what it is changes nothing and is not refused; the next year, before its first invoice, it may move.
        _ = try world.database.updateSettings(SettingsChange(financialYear: .calendar), actor: world.operatorActor, now: today)
        let nextYear = Date(timeIntervalSince1970: 1_767_225_600 + 86_400)
        #expect(
            try world.database.updateSettings(SettingsChange(financialYear: july), actor: world.operatorActor, now: nextYear).financialYear == july)
    }

    @Test("the broker records the money it collects, never more out than in, and only for deals it collects")
    func settlementPayments() throws {
        _ = try world.database.updateSettings(SettingsChange(collectionByBroker: true), actor: world.operatorActor, now: Dates.start)
        let (deal, _) = try world.releasedDeal()
        let invoices = try world.invoices(for: deal, issueDate: CivilDate(year: 2025, month: 1, day: 2)!)
        _ = try world.database.issueInvoices(
            dealID: deal.id, drafts: invoices.drafts, settlement: invoices.settlement, actor: world.operatorActor, now: Dates.at(1))
        let net = invoices.settlement.netAmount
        #expect(invoices.settlement.direction == .aPaysB && net == Money(cents: 300))
        let day = CivilDate(year: 2025, month: 1, day: 10)!
        #expect(
            storeError {
                try world.database.recordSettlementPayment(
                    dealID: deal.id, direction: .paidOut, amount: net, date: day, reference: "VIR 2", actor: world.operatorActor, now: Dates.at(2))
            } == .settlementPaymentRefused(.exceedsCollected(net, alreadyPaidOut: .zero, received: .zero)))
        let received = try world.database.recordSettlementPayment(
            dealID: deal.id, direction: .received, amount: net, date: day, reference: "VIR 1", actor: world.operatorActor, now: Dates.at(3))
        #expect(received.counterpartyID == world.windows.id)
        let paid = try world.database.recordSettlementPayment(
            dealID: deal.id, direction: .paidOut, amount: net, date: day, reference: "VIR 2", actor: world.operatorActor, now: Dates.at(4))
        #expect(paid.counterpartyID == world.heating.id)
        let payments = try world.database.settlementPayments(dealID: deal.id)
        #expect(payments.map(\.counterpartyID) == ["732829320", "552100554"] && payments.map(\.direction) == [.received, .paidOut])
        #expect(try world.database.settlementPayments(from: day, to: day).count == 2)
        #expect(try world.database.auditEntries(dealID: deal.id).suffix(2).map(\.action) == ["settlement.payment", "settlement.payment"])
        #expect(
            storeError {
                try world.database.recordSettlementPayment(
                    dealID: "del_aaaaaaaaaaaaaaaa", direction: .received, amount: net, date: day, reference: "X", actor: world.operatorActor,
                    now: Dates.at(5))
            } == .settlementNotFound(dealID: "del_aaaaaaaaaaaaaaaa"))
        #expect(constraintCode { try world.raw { try $0.execute(sql: "DELETE FROM settlement_payment") } } == .SQLITE_CONSTRAINT_TRIGGER)
    }
}
