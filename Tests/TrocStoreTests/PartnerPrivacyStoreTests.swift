import Foundation
import GRDB
import Testing
import TrocCore
import TrocStore

/// The store's side of partner privacy: the minimum file size and reports-per-pair settings, the privacy budget spent between two firms,
/// the holds of deals that did not match, and the firm's own ingestion report.
@Suite struct PartnerPrivacyStoreTests {
    let world: DealWorld

    init() throws {
        world = try DealWorld()
    }

    /// When a spend made at `Dates.start` on a deal of 13 months' retention stops counting: 1 February 2026, midnight UTC.
    static let firstSpendEnds = Date(timeIntervalSince1970: 1_769_904_000)

    @Test("the minimum file size is 500 unless set, set within 1…1,000,000, audited, and checked by the schema too")
    func minimumSetting() throws {
        #expect(try world.database.settings().minimumExchangeable == 500)
        let updated = try world.database.updateSettings(
            SettingsChange(minimumExchangeable: 200), reason: "small firms", actor: world.operatorActor, now: Dates.start)
        #expect(updated.minimumExchangeable == 200)
        #expect(try world.database.settings().minimumExchangeable == 200)
        let entry = try #require(try world.database.auditEntries().last)
        #expect(try entry.decodedDetail()["changes"] == ["minimumExchangeable": ["before": 500, "after": 200]])
        #expect(
            storeError {
                try world.database.updateSettings(SettingsChange(minimumExchangeable: 0), actor: world.operatorActor, now: Dates.start)
            } == .invalidField(field: "minimumExchangeable", value: "0", reason: "must be 1 to 1000000 exchangeable contacts"))
        #expect(
            constraintCode { try world.raw { try $0.execute(sql: "UPDATE broker_settings SET minimumExchangeable = 0") } } == .SQLITE_CONSTRAINT_CHECK
        )
        #expect(try world.database.settings().minimumExchangeable == 200)
        #expect(try world.database.settings().privacyReportsPerPair == 2)
        #expect(
            storeError {
                try world.database.updateSettings(SettingsChange(privacyReportsPerPair: 13), actor: world.operatorActor, now: Dates.start)
            } == .invalidField(field: "privacyReportsPerPair", value: "13", reason: "must be 1 to 12 reports"))
        #expect(
            constraintCode { try world.raw { try $0.execute(sql: "UPDATE broker_settings SET privacyReportsPerPair = 0") } }
                == .SQLITE_CONSTRAINT_CHECK)
    }

    @Test("two reports between the same firms fit in the budget; a third is refused at proposal, or at match with nothing written")
    func pairBudget() throws {
        let first = try world.matchedDeal()
        let waiting = try world.proposeDeal()
        let twoDays = Dates.at(2 * 86_400)
        _ = try world.matchedDeal(now: twoDays)
        let spends = try world.database.privacySpends(organisationID: world.windows.id, counterpartID: world.heating.id, now: twoDays)
        #expect(spends.map(\.milliEpsilon) == [500, 500] && spends.first?.dealID == first.id && spends.first?.countsUntil == Self.firstSpendEnds)
        #expect(try world.database.privacySpends(organisationID: world.heating.id, counterpartID: world.windows.id, now: twoDays).count == 2)

        let refused = StoreError.privacyBudgetSpent(
            organisationID: world.windows.id, counterpartID: world.heating.id, availableFrom: Self.firstSpendEnds)
        #expect(storeError { try world.proposeDeal(now: Dates.at(3 * 86_400)) } == refused)

        // The deal proposed before the budget ran out cannot match either, and nothing of its match is written.
        let a = try world.upload(for: world.windows.id, seed: 5)
        let b = try world.upload(for: world.heating.id, seed: 6)
        _ = try world.database.attachFile(dealID: waiting.id, fileID: a.id, actor: world.windowsActor, now: Dates.at(3 * 86_400))
        _ = try world.database.attachFile(dealID: waiting.id, fileID: b.id, actor: world.heatingActor, now: Dates.at(3 * 86_400))
        #expect(
            storeError { try world.database.recordMatch(dealID: waiting.id, fileIDs: [a.id, b.id], reportJSON: "{}", now: Dates.at(3 * 86_400)) }
                == refused)
        #expect(try world.database.deal(id: waiting.id)?.state == .awaitingFiles)
        #expect(try world.raw { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM privacy_spend WHERE dealID = ?", arguments: [waiting.id]) } == 0)

        // Once the first report stops counting, a report fits again; the second still counts. An operator may also allow more.
        #expect(
            try world.database.privacySpends(organisationID: world.windows.id, counterpartID: world.heating.id, now: Self.firstSpendEnds).count == 1)
        let matched = try world.database.recordMatch(dealID: waiting.id, fileIDs: [a.id, b.id], reportJSON: "{}", now: Self.firstSpendEnds)
        #expect(matched.state == .matched)
        #expect(storeError { try world.proposeDeal(now: Self.firstSpendEnds) } != nil)
        try world.allowReports(3)
        #expect(try world.proposeDeal(now: Self.firstSpendEnds).state == .awaitingFiles)
    }

    @Test("another pair of firms has a budget of its own")
    func otherPairs() throws {
        _ = try world.matchedDeal()
        _ = try world.matchedDeal()
        let third = try world.database.createOrganisation(
            OrganisationDraft(
                kind: .partner, name: "Isolation Leroy SAS", siren: Organisations.siren(77), nafCode: "43.29A", street: "3 rue du Port",
                postcode: "44000", city: "Nantes", countryCode: "FR"), now: Dates.start)
        let verdict = try SectorRules().verdict(world.windows.nafCode, third.nafCode).get()
        let deal = try world.database.createDeal(
            DealDraft(proposerID: world.windows.id, partnerID: third.id, pricePer1000: Money(cents: 2500), verdict: verdict),
            actor: world.windowsActor,
            now: Dates.start)
        #expect(deal.partnerID == third.id)
    }

    @Test("the budget spent is append-only and only ever between a deal's parties")
    func ledgerIntegrity() throws {
        let deal = try world.matchedDeal()
        #expect(constraintCode { try world.raw { try $0.execute(sql: "DELETE FROM privacy_spend") } } == .SQLITE_CONSTRAINT_TRIGGER)
        #expect(constraintCode { try world.raw { try $0.execute(sql: "UPDATE privacy_spend SET milliEpsilon = 1") } } == .SQLITE_CONSTRAINT_TRIGGER)
        let broker = try #require(try world.raw { try String.fetchOne($0, sql: "SELECT id FROM organisation WHERE kind = 'broker'") })
        #expect(
            constraintCode {
                try world.raw {
                    try $0.execute(
                        sql: "INSERT INTO privacy_spend VALUES (?, ?, ?, 500, 0, 1)", arguments: [deal.id, broker, world.windows.id])
                }
            } == .SQLITE_CONSTRAINT_TRIGGER)
    }

    @Test("a hold records why a deal did not match, is audited, and goes when a file is attached again or the deal matches")
    func holds() throws {
        let deal = try world.proposeDeal()
        let a = try world.upload(for: world.windows.id)
        let b = try world.upload(for: world.heating.id, seed: 2)
        _ = try world.database.attachFile(dealID: deal.id, fileID: a.id, actor: world.windowsActor, now: Dates.start)
        _ = try world.database.attachFile(dealID: deal.id, fileID: b.id, actor: world.heatingActor, now: Dates.start)
        #expect(
            storeError {
                try world.database.holdMatch(
                    dealID: deal.id, .filesTooSmall(organisationIDs: [world.heating.id], minimum: 500), fileIDs: [a.id], now: Dates.start)
            } == .dealFilesChanged(dealID: deal.id))

        let hold = MatchHold.filesTooSmall(organisationIDs: [world.heating.id], minimum: 500)
        _ = try world.database.holdMatch(dealID: deal.id, hold, fileIDs: [a.id, b.id], now: Dates.at(1))
        #expect(try world.database.matchHold(dealID: deal.id)?.hold == hold)
        let entry = try #require(try world.database.auditEntries().last)
        #expect(entry.action == "deal.hold" && entry.dealID == deal.id)
        #expect(
            try entry.decodedDetail() == [
                "reason": "file-too-small", "organisationIDs": [.string(world.heating.id)], "minimumExchangeable": 500,
            ])

        // Held again for another reason: the newer one stands.
        let spent = MatchHold.privacyBudgetSpent(availableFrom: Self.firstSpendEnds)
        _ = try world.database.holdMatch(dealID: deal.id, spent, fileIDs: [a.id, b.id], now: Dates.at(2))
        #expect(try world.database.matchHold(dealID: deal.id)?.hold == spent)

        let larger = try world.upload(for: world.heating.id, seed: 3)
        _ = try world.database.attachFile(dealID: deal.id, fileID: larger.id, actor: world.heatingActor, now: Dates.at(3))
        #expect(try world.database.matchHold(dealID: deal.id) == nil)
        _ = try world.database.holdMatch(dealID: deal.id, hold, fileIDs: [a.id, larger.id], now: Dates.at(4))
        _ = try world.database.recordMatch(dealID: deal.id, fileIDs: [a.id, larger.id], reportJSON: "{}", now: Dates.at(5))
        #expect(try world.database.matchHold(dealID: deal.id) == nil)
        #expect(
            storeError { try world.database.holdMatch(dealID: deal.id, hold, fileIDs: [a.id, larger.id], now: Dates.at(6)) }
                == .dealNotAwaitingFiles(dealID: deal.id, current: .matched))
        #expect(
            constraintCode {
                try world.raw {
                    try $0.execute(
                        sql: "INSERT INTO deal_match_hold VALUES (?, 'file-too-small', '[\"x\"]', 500, NULL, 0)", arguments: [deal.id])
                }
            } == .SQLITE_CONSTRAINT_TRIGGER)
    }

    @Test("a file keeps the report its firm sees beside the exact one")
    func partnerReports() throws {
        let stored = try world.storedBlob()
        let file = try world.database.createFile(
            organisationID: world.windows.id, blob: stored, name: "a.csv", byteCount: 1, reportJSON: #"{"rows":2,"suppressed":1}"#,
            partnerReportJSON: #"{"rows":2}"#, now: Dates.start)
        #expect(try world.database.file(id: file.id)?.partnerReport == #"{"rows":2}"#)
        #expect(
            storeError {
                try world.database.createFile(
                    organisationID: world.windows.id, blob: try world.storedBlob(seed: 4), name: "b.csv", byteCount: 1, reportJSON: "{}",
                    partnerReportJSON: "{rows", now: Dates.start)
            } == .invalidField(field: "partnerReport", value: "{rows", reason: "the ingestion report is not valid JSON"))
    }
}
