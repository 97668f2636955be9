import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing
import TrocCore
import TrocServer
import TrocStore

/// VAT statuses, bank accounts, billing mandates, frozen terms, payments collected by the broker and the financial
/// year, over the API: each bad input refused with its stable code and reason.
@Suite struct InvoicingTermsAPITests {
    /// A sole trader under the franchise in Nantes.
    static let franchise = """
        {"name": "Atelier Leroy EI", "siren": "404833048", "nafCode": "43.32A", "vatStatus": "franchise",
         "address": {"street": "3 quai Ceineray", "postcode": "44000", "city": "Nantes", "countryCode": "FR"},
         "bankAccount": {"iban": "FR76 3000 4000 0312 3456 7890 143", "bic": "BNPAFRPP"}}
        """
    /// A VAT-registered firm in La Réunion.
    static let reunion = """
        {"name": "Solaire Bourbon SAS", "siren": "412345670", "nafCode": "43.22B", "vatStatus": "overseas", "vatNumber": "FR96412345670",
         "address": {"street": "14 rue de Paris", "postcode": "97400", "city": "Saint-Denis", "countryCode": "FR"},
         "bankAccount": {"iban": "FR14 2004 1010 0505 0001 3M02 606", "bic": "PSSTFRPPXXX"}}
        """

    @Test func registrationStatesTheVATStatusAndBankAccountAndRefusesInconsistencies() async throws {
        let broker = try await TestBroker.make()
        defer { broker.remove() }
        try await broker.withClient { client in
            func problem(_ json: String) async throws -> Problem {
                try ServerTestJSON.problem(try await client.call(.post, "/v1/organisations", token: broker.operatorToken, json: json))
            }
            func codes(_ problem: Problem) -> [String] { (problem.errors ?? []).map { "\($0.field):\($0.code)" } }
            // Bad input: a franchise firm with a VAT number.
            let franchiseWithNumber = try await problem(
                Self.franchise.replacingOccurrences(
                    of: #""vatStatus": "franchise""#, with: #""vatStatus": "franchise", "vatNumber": "FR83404833048""#))
            #expect(franchiseWithNumber.status == 422 && franchiseWithNumber.code == "organisation.invalid")
            #expect(codes(franchiseWithNumber) == ["vatNumber:franchise-with-vat-number"])
            #expect(franchiseWithNumber.detail.contains("293 B"))
            // Bad input: an overseas postcode with the metropolitan rate.
            let metropolitanRate = try await problem(
                Self.reunion.replacingOccurrences(of: #""vatStatus": "overseas""#, with: #""vatStatus": "registered""#))
            #expect(codes(metropolitanRate) == ["vatStatus:overseas-postcode"] && metropolitanRate.detail.contains("8,5 %"))
            let notOverseas = try await problem(Self.reunion.replacingOccurrences(of: "97400", with: "69001"))
            #expect(codes(notOverseas) == ["vatStatus:not-overseas"])
            let noStatus = try await problem(Self.franchise.replacingOccurrences(of: #""vatStatus": "franchise","#, with: ""))
            #expect(codes(noStatus) == ["vatStatus:missing"])
            let noNumber = try await problem(Partners.joinery.replacingOccurrences(of: #""vatNumber": "FR44732829320","#, with: ""))
            #expect(codes(noNumber) == ["vatNumber:missing"], "Troc never derives the number from the SIREN")
            let badAccount = try await problem(Self.franchise.replacingOccurrences(of: "7890 143", with: "7890 144"))
            #expect(codes(badAccount) == ["bankAccount.iban:invalid"])
            let foreignBIC = try await problem(Self.franchise.replacingOccurrences(of: "BNPAFRPP", with: "DEUTDEFF"))
            #expect(codes(foreignBIC) == ["bankAccount.bic:invalid"])
            let noAccount = try await problem(
                Self.franchise.replacingOccurrences(
                    of: #""bankAccount": {"iban": "FR76 3000 4000 0312 3456 7890 143", "bic": "BNPAFRPP"}"#, with: #""vatNumber": null"#))
            #expect(codes(noAccount) == ["bankAccount:missing"])
            let collectivity = try await problem(Self.reunion.replacingOccurrences(of: "97400", with: "97133"))
            #expect(codes(collectivity) == ["address.postcode:territory"] && collectivity.detail.contains("Saint-Barthélemy"))

            let franchise = try await client.decoded(Organisation.self, .post, "/v1/organisations", token: broker.operatorToken, json: Self.franchise)
            #expect(franchise.vatNumber == nil && franchise.vatStatus?.vatStatus == .franchise && franchise.vatStatus?.territory == "FR")
            #expect(franchise.bankAccount?.iban == "FR7630004000031234567890143")
            let reunion = try await client.decoded(Organisation.self, .post, "/v1/organisations", token: broker.operatorToken, json: Self.reunion)
            let status = try #require(reunion.vatStatus)
            #expect(status.vatStatus == .overseas && status.territory == "RE" && status.standardRatePercent == "8.5")
            #expect(status.vatNumber == "FR96412345670" && status.vatNumberCheckMethod == .syntaxAndKey && status.vatNumberCheckedAt != nil)
            let guyane = try await client.decoded(
                Organisation.self, .post, "/v1/organisations", token: broker.operatorToken,
                json: Self.reunion.replacingOccurrences(of: "412345670", with: "321098766").replacingOccurrences(of: "97400", with: "97300")
                    .replacingOccurrences(of: #", "vatNumber": "FR96321098766""#, with: ""))
            #expect(guyane.vatStatus?.territory == "GF" && guyane.vatStatus?.standardRatePercent == nil && guyane.vatNumber == nil)
        }
    }

    @Test func operatorsChangeStatusesFirmsTheirAccountsAuditedAndChecked() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let uri = "/v1/organisations/\(parties.joinery.id)/vat-status"
            _ = try await client.problem(
                .put, uri, token: parties.joineryToken, json: #"{"vatStatus": "franchise", "reason": "x"}"#, status: 403, code: "auth.forbidden-role")
            let refused = try await client.problem(
                .put, uri, token: broker.operatorToken, json: #"{"vatStatus": "franchise", "vatNumber": "FR44732829320", "reason": "293 B"}"#,
                status: 422, code: "organisation.vat-status-invalid")
            #expect(refused.errors?.map(\.code) == ["franchise-with-vat-number"])
            _ = try await client.problem(
                .put, uri, token: broker.operatorToken, json: #"{"vatStatus": "franchise", "reason": " "}"#, status: 400,
                code: "request.invalid-field")
            let changed = try await client.decoded(
                Organisation.self, .put, uri, token: broker.operatorToken, json: #"{"vatStatus": "franchise", "reason": "sole trader, 293 B"}"#)
            #expect(changed.vatStatus?.vatStatus == .franchise && changed.vatNumber == nil)

            let account = "/v1/organisations/\(parties.heating.id)/bank-account"
            _ = try await client.problem(
                .put, account, token: parties.joineryToken, json: #"{"iban": "DE89370400440532013000", "bic": "COBADEFFXXX"}"#, status: 404,
                code: "not-found")
            let invalid = try await client.problem(
                .put, account, token: parties.heatingToken, json: #"{"iban": "DE89370400440532013001", "bic": "COBADEFFXXX"}"#, status: 422,
                code: "organisation.invalid")
            #expect(invalid.errors?.map(\.field) == ["iban"])
            let moved = try await client.decoded(
                Organisation.self, .put, account, token: parties.heatingToken,
                json: #"{"iban": "DE89 3704 0044 0532 0130 00", "bic": "COBADEFFXXX", "reason": "new bank"}"#)
            #expect(moved.bankAccount?.iban == "DE89370400440532013000")
            let audit = try await client.decoded([AuditEntryView].self, .get, "/v1/audit?limit=1000", token: broker.operatorToken)
            #expect(audit.contains { $0.action == "organisation.vat-status" && $0.reason == "sole trader, 293 B" })
            #expect(audit.contains { $0.action == "organisation.bank-account" && $0.reason == "new bank" })
        }
    }

    @Test func aFirmAcceptsAndWithdrawsItsOwnBillingMandate() async throws {
        try await TestBroker.withParties(mandates: false) { client, broker, parties in
            let uri = "/v1/organisations/\(parties.joinery.id)/billing-mandate"
            let offered = try await client.decoded(BillingMandateState.self, .get, uri, token: parties.joineryToken)
            #expect(offered.inForce == nil && offered.history.isEmpty && offered.offer.version == BillingMandateWording.version)
            #expect(offered.offer.text.contains("Menuiseries Durand SARL, SIREN 732829320") && offered.offer.text.contains("Troc Dev Broker"))
            #expect(try await client.call(.get, uri, token: broker.operatorToken).status == .ok)
            _ = try await client.problem(.get, uri, token: parties.heatingToken, status: 404, code: "not-found")
            let accept = #"{"wordingVersion": "\#(BillingMandateWording.version)", "contestDays": 10}"#
            _ = try await client.problem(.post, uri, token: broker.operatorToken, json: accept, status: 403, code: "auth.forbidden-role")
            _ = try await client.problem(.post, uri, token: parties.heatingToken, json: accept, status: 404, code: "not-found")
            _ = try await client.problem(
                .post, uri, token: parties.joineryToken, json: #"{"wordingVersion": "2019-1"}"#, status: 409, code: "billing-mandate.wording-outdated"
            )
            let created = try await client.call(.post, uri, token: parties.joineryToken, json: accept)
            #expect(created.status == .created)
            let state = try ServerTestJSON.decoder.decode(BillingMandateState.self, from: Data(buffer: created.body))
            let mandate = try #require(state.inForce)
            #expect(mandate.contestDays == 10 && mandate.reference.hasPrefix("mdt_") && mandate.wording.contains("10 jours"))
            _ = try await client.problem(
                .post, uri, token: parties.joineryToken, json: #"{"wordingVersion": "\#(BillingMandateWording.version)", "contestDays": 20}"#,
                status: 409, code: "billing-mandate.in-force")
            let withdrawn = try await client.decoded(
                BillingMandateState.self, .post, uri + "/withdraw", token: parties.joineryToken, json: #"{"reason": "changing accountant"}"#)
            #expect(withdrawn.inForce == nil && withdrawn.history.first?.withdrawalReason == "changing accountant")
            _ = try await client.problem(
                .post, uri + "/withdraw", token: parties.joineryToken, json: "{}", status: 409, code: "billing-mandate.not-in-force")
        }
    }

    @Test func aDealIsNotApprovedWithoutBothMandatesNorReleasedAfterAWithdrawal() async throws {
        try await TestBroker.withParties(mandates: false) { client, broker, parties in
            let deal = try await parties.acceptedDeal(client, broker)
            // Bad input: a deal approved without mandates.
            let refusal = try await client.problem(
                .post, "/v1/deals/\(deal.id)/approve", token: broker.operatorToken, json: "{}", status: 409, code: "billing-mandate.missing")
            #expect(refusal.detail.contains("Menuiseries Durand SARL and Géothermie Martin SAS") && refusal.detail.contains("troc mandate accept"))
            try await parties.acceptMandates(client)
            _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/approve", token: broker.operatorToken, json: "{}")
            // Bad input: a mandate withdrawn before release; nothing is delivered or invoiced.
            _ = try await client.decoded(
                BillingMandateState.self, .post, "/v1/organisations/\(parties.heating.id)/billing-mandate/withdraw", token: parties.heatingToken,
                json: "{}")
            let blobsBefore = try broker.blobFiles().count
            let release = try await client.problem(
                .post, "/v1/deals/\(deal.id)/release", token: broker.operatorToken, json: "{}", status: 409, code: "billing-mandate.missing")
            #expect(release.detail.contains("Géothermie Martin SAS has no billing mandate in force"))
            #expect(try broker.blobFiles().count == blobsBefore)
            #expect(try await client.decoded(Deal.self, .get, "/v1/deals/\(deal.id)", token: broker.operatorToken).state == .approved)
            #expect(try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices", token: broker.operatorToken).isEmpty)
            // Accepted again, the release goes through and every exchange invoice cites its seller's mandate.
            try await parties.acceptMandates(client)
            _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/release", token: broker.operatorToken, json: "{}")
            let heatingMandate = try #require(
                try await client.decoded(
                    BillingMandateState.self, .get, "/v1/organisations/\(parties.heating.id)/billing-mandate", token: parties.heatingToken
                ).inForce)
            let invoices = try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices", token: broker.operatorToken)
            let sale = try #require(invoices.first { $0.purpose == "exchange" && $0.seller == "Géothermie Martin SAS" })
            let cii = String(buffer: try await client.call(.get, "/v1/invoices/\(sale.number)?format=cii", token: broker.operatorToken).body)
            #expect(cii.contains(heatingMandate.reference))
        }
    }

    /// Terms frozen at the second acceptance: settings, statuses and accounts changed before release do not reach the invoices.
    @Test func invoicesFollowTheTermsAgreedNotTheSettingsAtRelease() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await parties.matchedDeal(client, broker)
            _ = try await client.problem(.get, "/v1/deals/\(deal.id)/terms", token: parties.joineryToken, status: 409, code: "deal.no-terms")
            _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/accept", token: parties.joineryToken, json: "{}")
            _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/accept", token: parties.heatingToken, json: "{}")
            let terms = try await client.decoded(DealTerms.self, .get, "/v1/deals/\(deal.id)/terms", token: parties.heatingToken)
            #expect(terms.broker.commissionBasisPoints == 500 && terms.partnerB.vatStatus.vatNumber?.text == "FR96552100554")
            #expect(try await client.call(.get, "/v1/deals/\(deal.id)/terms", token: broker.operatorToken).status == .ok)
            // After acceptance: a 10 % commission, collection by the broker, the joinery now under the franchise, a new account.
            _ = try await broker.broker.store.updateSettings(
                SettingsChange(commissionBasisPoints: 1000, collectionByBroker: true), reason: nil, actor: .system, now: broker.clock.now)
            _ = try await client.decoded(
                Organisation.self, .put, "/v1/organisations/\(parties.joinery.id)/vat-status", token: broker.operatorToken,
                json: #"{"vatStatus": "franchise", "reason": "now under 293 B"}"#)
            _ = try await client.decoded(
                Organisation.self, .put, "/v1/organisations/\(parties.heating.id)/bank-account", token: parties.heatingToken,
                json: #"{"iban": "DE89 3704 0044 0532 0130 00", "bic": "COBADEFFXXX"}"#)
            _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/approve", token: broker.operatorToken, json: "{}")
            _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/release", token: broker.operatorToken, json: "{}")
            let invoices = try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices", token: broker.operatorToken)
            let joinerySale = try #require(invoices.first { $0.seller == "Menuiseries Durand SARL" })
            #expect(joinerySale.vatCents == (joinerySale.netCents * 20 + 50) / 100, "the joinery sells as the VAT-registered firm it was")
            let heatingSale = try #require(invoices.first { $0.seller == "Géothermie Martin SAS" })
            let ubl = String(buffer: try await client.call(.get, "/v1/invoices/\(heatingSale.number)?format=ubl", token: broker.operatorToken).body)
            #expect(ubl.contains("FR1420041010050500013M02606") && !ubl.contains("DE89370400440532013000") && !ubl.contains("<cac:PayeeParty>"))
            for commission in invoices where commission.purpose == "commission" {
                let exchange = try #require(invoices.first { $0.purpose == "exchange" && $0.buyer == commission.buyer })
                #expect(commission.netCents == (exchange.netCents * 5 * 2 + 100) / 200, "5 % as agreed, not the 10 % set afterwards")
            }
            let settlement = try await client.decoded(SettlementStatement.self, .get, "/v1/deals/\(deal.id)/settlement", token: parties.joineryToken)
            #expect(!settlement.collectionByBroker && settlement.transfers.allSatisfy { $0.purpose != .collection })
        }
    }

    @Test func theBrokerRecordsWhatItCollectsAndTheFECBooksIt() async throws {
        try await TestBroker.withParties { client, broker, parties in
            _ = try await broker.broker.store.updateSettings(
                SettingsChange(collectionByBroker: true), reason: nil, actor: .system, now: broker.clock.now)
            // The joinery brings 20 more prospects than the heating firm, so the heating firm owes the net.
            let deal = try await client.decoded(
                Deal.self, .post, "/v1/deals", token: parties.joineryToken,
                json: #"{"partnerId": "\#(parties.heating.id)", "pricePer1000Cents": 2500, "policy": "all"}"#)
            _ = try await client.uploadToDeal(
                DealFiles.joinery + DealFiles.prospects("menuiserie-export"), deal: deal.id, as: parties.joinery.id, token: parties.joineryToken,
                broker: broker)
            _ = try await client.uploadToDeal(DealFiles.heating, deal: deal.id, as: parties.heating.id, token: parties.heatingToken, broker: broker)
            for token in [parties.joineryToken, parties.heatingToken] {
                _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/accept", token: token, json: "{}")
            }
            for action in ["approve", "release"] {
                _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/\(action)", token: broker.operatorToken, json: "{}")
            }
            let settlement = try await client.decoded(SettlementStatement.self, .get, "/v1/deals/\(deal.id)/settlement", token: broker.operatorToken)
            #expect(settlement.collectionByBroker && settlement.direction == .bPaysA, "\(settlement)")
            #expect(settlement.transfers.map(\.purpose) == [.collection, .payout, .commission, .commission])
            #expect(settlement.transfers[1].account.iban.text == "FR7630004000031234567890143", "paid out to the joinery's own account")
            let uri = "/v1/deals/\(deal.id)/settlement/payments"
            let today = broker.broker.today().iso8601
            let net = settlement.netAmount.cents
            _ = try await client.problem(
                .post, uri, token: parties.joineryToken, json: #"{"direction": "received", "amountCents": 1, "date": "\#(today)", "reference": "V"}"#,
                status: 403, code: "auth.forbidden-role")
            _ = try await client.problem(
                .post, uri, token: broker.operatorToken,
                json: #"{"direction": "paid-out", "amountCents": \#(net), "date": "\#(today)", "reference": "V2"}"#,
                status: 422, code: "settlement.payment-refused")
            _ = try await client.decoded(
                [SettlementPayment].self, .post, uri, token: broker.operatorToken,
                json: #"{"direction": "received", "amountCents": \#(net), "date": "\#(today)", "reference": "VIR 1"}"#)
            let payments = try await client.decoded(
                [SettlementPayment].self, .post, uri, token: broker.operatorToken,
                json: #"{"direction": "paid-out", "amountCents": \#(net), "date": "\#(today)", "reference": "VIR 2"}"#)
            #expect(payments.map(\.direction) == [.received, .paidOut])
            #expect(try await client.decoded([SettlementPayment].self, .get, uri, token: parties.heatingToken).count == 2)
            let year = String(today.prefix(4))
            let fec = String(buffer: try await client.call(.get, "/v1/ledger/fec?year=\(year)", token: broker.operatorToken).body)
            let rows = fec.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
            #expect(Set(rows.map { String($0[0]) }) == ["VT", "MD", "BQ"])
            let cents = { (text: Substring) -> Int64 in Int64(text.replacingOccurrences(of: ",", with: "")) ?? -1 }
            #expect(rows.reduce(0) { $0 + cents($1[11]) } == rows.reduce(0) { $0 + cents($1[12]) }, "debits equal credits")
            let thirdParty = rows.filter { $0[4] == "46700000" }
            #expect(thirdParty.reduce(0) { $0 + cents($1[11]) - cents($1[12]) } == 0, "every firm's account is settled")
        }
    }

    @Test func theFECCoversTheFinancialYearAndItsStartLocksOnceItHasInvoices() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let july = try FinancialYear(startMonth: 7, startDay: 1)
            _ = try await broker.broker.store.updateSettings(SettingsChange(financialYear: july), reason: nil, actor: .system, now: broker.clock.now)
            _ = try await parties.releasedDeal(client, broker)
            let today = broker.broker.today()
            let period = july.period(containing: today)
            let closing = period.upperBound
            let response = try await client.call(.get, "/v1/ledger/fec?year=\(closing.components.year)", token: broker.operatorToken)
            #expect(response.headers[.contentDisposition] == "attachment; filename=\"303265045FEC\(closing.compact).txt\"")
            #expect(String(buffer: response.body).split(whereSeparator: \.isNewline).count > 1)
            let before = try await client.call(.get, "/v1/ledger/fec?year=\(closing.components.year - 1)", token: broker.operatorToken)
            #expect(String(buffer: before.body).split(whereSeparator: \.isNewline).count == 1)
            // Bad input: the financial year changed after invoices were issued in it.
            #expect(
                await storeError {
                    try await broker.broker.store.updateSettings(
                        SettingsChange(financialYear: .calendar), reason: nil, actor: .system, now: broker.clock.now)
                }
                    == .financialYearLocked(current: period, invoices: 4))
            let problem = ProblemMapping.problem(for: StoreError.financialYearLocked(current: period, invoices: 4))
            #expect(problem.status == 409 && problem.code == "settings.financial-year-locked")
        }
    }
}

/// The store error `body` throws, nil if it throws none.
func storeError<T>(_ body: () async throws -> T) async -> StoreError? {
    do {
        _ = try await body()
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        return .database("not a store error: \(error)")
    }
}
