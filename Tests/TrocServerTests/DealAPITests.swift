import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing
import TrocCore
import TrocCrypto
import TrocServer
import TrocStore

/// The deal workflow over the API, in-process: each step, each refusal with its status and code.
@Suite struct DealAPITests {
    @Test func aDealGoesFromProposalToDeliveriesAndEachStepOutOfTurnIsRefused() async throws {
        try await TestBroker.withParties(keys: false) { client, broker, parties in
            let proposed = try await client.call(
                .post, "/v1/deals", token: parties.joineryToken, json: #"{"partnerId": "\#(parties.heating.id)", "pricePer1000Cents": 2500}"#)
            #expect(proposed.status == .created)
            let deal = try ServerTestJSON.decoder.decode(Deal.self, from: Data(buffer: proposed.body))
            #expect(deal.state == .awaitingFiles && deal.verdict.kind == .complementary && deal.policy == .equalCount)
            #expect(deal.proposer.organisationId == parties.joinery.id && deal.partner.organisationId == parties.heating.id)

            // Out of turn: no report, no acceptance, no approval, no delivery yet.
            _ = try await client.problem(.get, "/v1/deals/\(deal.id)/report", token: parties.joineryToken, status: 409, code: "deal.no-report")
            _ = try await client.problem(
                .post, "/v1/deals/\(deal.id)/accept", token: parties.joineryToken, json: "{}", status: 409, code: "deal.state")
            _ = try await client.problem(
                .get, "/v1/deals/\(deal.id)/delivery", token: parties.joineryToken, status: 409, code: "delivery.not-released")

            // An upload sealed for the other firm's slot is refused and changes nothing.
            let misdirected = try await client.uploadToDeal(
                DealFiles.heating, deal: deal.id, as: parties.heating.id, token: parties.heatingToken, broker: broker,
                purposeOrganisation: parties.joinery.id)
            #expect(try ServerTestJSON.problem(misdirected).code == "envelope.wrong-key")
            #expect(try broker.blobFiles().isEmpty)

            let joineryUpload = try await client.uploadToDeal(
                DealFiles.joinery, deal: deal.id, as: parties.joinery.id, token: parties.joineryToken, broker: broker)
            let halfway = try ServerTestJSON.decoder.decode(Deal.self, from: Data(buffer: joineryUpload.body))
            #expect(halfway.state == .awaitingFiles && halfway.proposer.fileAttached && !halfway.partner.fileAttached)
            let heatingUpload = try await client.uploadToDeal(
                DealFiles.heating, deal: deal.id, as: parties.heating.id, token: parties.heatingToken, broker: broker)
            let matched = try ServerTestJSON.decoder.decode(Deal.self, from: Data(buffer: heatingUpload.body))
            #expect(matched.state == .matched && matched.reportReady)
            // The files are in: a third upload is out of turn.
            let late = try await client.uploadToDeal(
                DealFiles.joinery, deal: deal.id, as: parties.joinery.id, token: parties.joineryToken, broker: broker)
            #expect(late.status == .conflict)

            // Partners read the aggregated report; operators also get the exact figures.
            let partnerView = try await client.decoded(DealReportView.self, .get, "/v1/deals/\(deal.id)/report", token: parties.heatingToken)
            #expect(partnerView.full == nil && partnerView.report.policy == .equalCount)
            let operatorView = try await client.decoded(DealReportView.self, .get, "/v1/deals/\(deal.id)/report", token: broker.operatorToken)
            let full = try #require(operatorView.full)
            #expect(full.a.rows == 24 && full.b.rows == 23 && full.overlap.email == 1)
            #expect(full.a.exchangeable == 23 && full.b.exchangeable == 23 && full.netNew.a == 22 && full.netNew.b == 22)
            #expect(full.delivery.toA == 22 && full.delivery.toB == 22)

            // Partners accept; operators decide; each only in its turn and role.
            _ = try await client.problem(
                .post, "/v1/deals/\(deal.id)/approve", token: parties.joineryToken, json: "{}", status: 403, code: "auth.forbidden-role")
            _ = try await client.problem(
                .post, "/v1/deals/\(deal.id)/approve", token: broker.operatorToken, json: "{}", status: 409, code: "deal.state")
            _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/accept", token: parties.joineryToken, json: "{}")
            let accepted = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/accept", token: parties.heatingToken, json: "{}")
            #expect(accepted.state == .accepted && accepted.proposer.acceptedAt != nil && accepted.partner.acceptedAt != nil)
            _ = try await client.problem(
                .post, "/v1/deals/\(deal.id)/reject", token: broker.operatorToken, json: #"{"reason": "  "}"#, status: 422,
                code: "deal.reason-required")
            _ = try await client.problem(
                .post, "/v1/deals/\(deal.id)/release", token: broker.operatorToken, json: "{}", status: 409, code: "deal.state")
            let approved = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/approve", token: broker.operatorToken, json: "{}")
            #expect(approved.state == .approved)
            _ = try await client.problem(
                .post, "/v1/deals/\(deal.id)/approve", token: broker.operatorToken, json: "{}", status: 409, code: "deal.state")

            // Release issues the invoices; a second release is refused.
            let released = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/release", token: broker.operatorToken, json: "{}")
            #expect(released.state == .invoiced)
            _ = try await client.problem(
                .post, "/v1/deals/\(deal.id)/release", token: broker.operatorToken, json: "{}", status: 409, code: "deal.state")
            #expect(try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices", token: broker.operatorToken).count == 4)

            // Deliveries: only to a registered key, each sealed to its firm, counted, then expired.
            _ = try await client.problem(.get, "/v1/deals/\(deal.id)/delivery", token: parties.joineryToken, status: 409, code: "delivery.no-key")
            try await parties.registerKey(client, for: parties.joinery.id)
            try await parties.registerKey(client, for: parties.heating.id)
            let toJoinery = try await parties.download(client, deal: deal.id, for: parties.joinery.id)
            let joineryRows = deliveryRows(toJoinery)
            #expect(joineryRows.count == 22)
            #expect(toJoinery.contains("luc.bernard@chauffage-bernard.fr") && toJoinery.contains("anne.roux@batiment-roux.fr"))
            #expect(!toJoinery.contains("jean.martin"), "the joinery already holds Jean Martin")
            let toHeating = try await parties.download(client, deal: deal.id, for: parties.heating.id)
            #expect(deliveryRows(toHeating).count == 22 && !toHeating.contains("zoe.petit"), "refused consent never travels")
            let shown = try await client.decoded(Deal.self, .get, "/v1/deals/\(deal.id)", token: parties.joineryToken)
            #expect(shown.delivery?.rows == 22 && shown.delivery?.downloadsRemaining == 2)

            broker.clock.advance(days: 31)
            _ = try await client.problem(.get, "/v1/deals/\(deal.id)/delivery", token: parties.joineryToken, status: 410, code: "delivery.expired")
        }
    }

    @Test func aDeliveryIsDownloadedAtMostThreeTimesAndOnlyByItsRecipient() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await parties.releasedDeal(client, broker)
            let (_, stranger) = try await registerPartner(
                client, broker,
                organisation: """
                    {"name": "Saveurs du Rhône SAS", "siren": "817654320", "nafCode": "56.21Z",
                     "address": {"street": "8 quai Saint-Antoine", "postcode": "69002", "city": "Lyon", "countryCode": "FR"},
                     "vatStatus": "franchise", "bankAccount": {"iban": "FR7630006000011234567890189", "bic": "AGRIFRPP"}}
                    """, userName: "Camille")
            #expect(try await client.call(.get, "/v1/deals/\(deal.id)/delivery", token: stranger).status == .notFound)
            #expect(try await client.call(.get, "/v1/deals/\(deal.id)", token: stranger).status == .notFound)
            #expect(try await client.call(.get, "/v1/deals/\(deal.id)/delivery", token: broker.operatorToken).status == .forbidden)
            let first = try await parties.download(client, deal: deal.id, for: parties.heating.id)
            for _ in 2...3 { #expect(try await parties.download(client, deal: deal.id, for: parties.heating.id) == first) }
            _ = try await client.problem(.get, "/v1/deals/\(deal.id)/delivery", token: parties.heatingToken, status: 410, code: "delivery.exhausted")
            // The other firm's delivery is its own count.
            #expect(try await client.decoded(Deal.self, .get, "/v1/deals/\(deal.id)", token: parties.joineryToken).delivery?.downloadsRemaining == 3)
        }
    }

    /// Approve and reject sent together: exactly one wins, the other is told the deal moved on.
    @Test(arguments: 1...5) func approveRacingRejectHasExactlyOneWinner(round: Int) async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await parties.acceptedDeal(client, broker)
            async let approve = client.call(.post, "/v1/deals/\(deal.id)/approve", token: broker.operatorToken, json: "{}")
            async let reject = client.call(.post, "/v1/deals/\(deal.id)/reject", token: broker.operatorToken, json: #"{"reason": "duplicate"}"#)
            let (approval, rejection) = try await (approve, reject)
            #expect([approval.status.code, rejection.status.code].sorted() == [200, 409], "round \(round)")
            let final = try await client.decoded(Deal.self, .get, "/v1/deals/\(deal.id)", token: broker.operatorToken)
            #expect(final.state == (approval.status == .ok ? .approved : .rejected))
            let decisions = try await client.decoded(
                [AuditEntryView].self, .get, "/v1/audit?dealId=\(deal.id)&limit=1000", token: broker.operatorToken
            )
            .filter { $0.action == "deal.approve" || $0.action == "deal.reject" }
            #expect(decisions.count == 1, "only the winner is audited: \(decisions.map(\.action))")
        }
    }

    /// The suppression list applies when the files are matched, and again at release for what was added since.
    @Test func suppressionsApplyAtMatchAndAgainAtRelease() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let before = try await client.call(
                .post, "/v1/suppressions", token: broker.operatorToken, json: #"{"values": ["Marc.Leroy@fenetres-leroy.fr"], "source": "optout"}"#)
            #expect(before.status == .created)
            let deal = try await parties.acceptedDeal(client, broker)
            let report = try #require(
                try await client.decoded(DealReportView.self, .get, "/v1/deals/\(deal.id)/report", token: broker.operatorToken).full)
            #expect(report.a.suppressed == 1 && report.delivery.toB == 21 && report.delivery.toA == 22)

            // Anne Roux objects after the report: she is kept out of the release.
            let added = try await client.decoded(
                SuppressionResult.self, .post, "/v1/suppressions", token: broker.operatorToken,
                json: #"{"values": ["04 78 42 12 34", "not a value"]}"#)
            #expect(added.added == 1 && added.rejected.map(\.field) == ["values[1]"] && added.total == 2, "\(added)")
            _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/approve", token: broker.operatorToken, json: "{}")
            _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/release", token: broker.operatorToken, json: "{}")
            let toJoinery = try await parties.download(client, deal: deal.id, for: parties.joinery.id)
            #expect(deliveryRows(toJoinery).count == 21 && !toJoinery.contains("anne.roux"))
            let toHeating = try await parties.download(client, deal: deal.id, for: parties.heating.id)
            #expect(deliveryRows(toHeating).count == 21 && !toHeating.contains("marc.leroy"))
            // Invoices follow what was delivered, not the report.
            let exchange = try await client.decoded([InvoiceSummary].self, .get, "/v1/invoices", token: broker.operatorToken)
                .filter { $0.purpose == "exchange" }
            #expect(
                exchange.count == 2 && exchange.allSatisfy { $0.netCents == 53 }, "21 addresses at 25 € per 1,000 is 0,525 € → 0,53 €: \(exchange)")
        }
    }

    /// GRDB binds a string to SQLite up to its first NUL: a field holding one would be stored cut short, unlike what was
    /// accepted and audited (the audit's JSON escapes it). Refused in any JSON body, naming the field.
    @Test func aNULInAnyStringFieldIsRefusedAndNothingIsStored() async throws {
        try await TestBroker.withParties(keys: false) { client, broker, parties in
            let nul = try await client.problem(
                .put, "/v1/sectors/confidential/43.22B", token: broker.operatorToken,
                json: #"{"reason": "test", "rationale": "sensitive\u0000 files"}"#, status: 400, code: "request.invalid-field")
            #expect(nul.errors?.map(\.field) == ["rationale"] && nul.detail.contains("U+0000"))
            let nested = try await client.problem(
                .post, "/v1/deals", token: parties.joineryToken, json: #"{"partnerId": "\#(parties.heating.id)\u0000", "pricePer1000Cents": 2500}"#,
                status: 400, code: "request.invalid-field")
            #expect(nested.errors?.map(\.field) == ["partnerId"])
            let tables = try await client.decoded(SectorTables.self, .get, "/v1/sectors", token: broker.operatorToken)
            #expect(!tables.confidential.contains { $0.code == "43.22B" })
            // Other control characters are not cut by SQLite: a tab in a rationale is kept as sent.
            _ = try await client.decoded(
                SectorTables.self, .put, "/v1/sectors/confidential/43.22B", token: broker.operatorToken,
                json: #"{"reason": "test", "rationale": "sensitive\tfiles"}"#)
        }
    }

    @Test func proposalsAreRefusedForSectorsPricesAndPartners() async throws {
        try await TestBroker.withParties(keys: false) { client, broker, parties in
            let heating = parties.heating.id
            let token = parties.joineryToken
            _ = try await client.problem(
                .post, "/v1/deals", token: token, json: #"{"partnerId": "\#(heating)", "pricePer1000Cents": 1999}"#, status: 422,
                code: "deal.price-out-of-bounds")
            _ = try await client.problem(
                .post, "/v1/deals", token: token, json: #"{"partnerId": "\#(heating)", "pricePer1000Cents": 3501}"#, status: 422,
                code: "deal.price-out-of-bounds")
            _ = try await client.problem(
                .post, "/v1/deals", token: token, json: #"{"partnerId": "\#(parties.joinery.id)", "pricePer1000Cents": 2500}"#, status: 422,
                code: "deal.invalid")
            _ = try await client.problem(
                .post, "/v1/deals", token: token, json: #"{"partnerId": "org_nobody", "pricePer1000Cents": 2500}"#, status: 404, code: "not-found")
            _ = try await client.problem(
                .post, "/v1/deals", token: broker.operatorToken, json: #"{"partnerId": "\#(heating)", "pricePer1000Cents": 2500}"#, status: 403,
                code: "auth.forbidden-role")
            let unknownField = try await client.call(
                .post, "/v1/deals", token: token, json: #"{"partnerId": "\#(heating)", "pricePer1000Cents": 2500, "discount": 10}"#)
            #expect(unknownField.status == .badRequest)

            // The operator declares heating confidential: refused from then on, with the rationale kept.
            _ = try await client.problem(
                .put, "/v1/sectors/confidential/43.22B", token: broker.operatorToken, json: #"{"reason": "test"}"#, status: 400,
                code: "request.invalid-field")
            _ = try await client.problem(
                .put, "/v1/sectors/confidential/43.22B", token: token, json: #"{"reason": "mine", "rationale": "x"}"#, status: 403,
                code: "auth.forbidden-role")
            _ = try await client.problem(
                .put, "/v1/sectors/confidential/99.99Z", token: broker.operatorToken, json: #"{"reason": "test", "rationale": "x"}"#, status: 400,
                code: "request.invalid-parameter")
            let tables = try await client.decoded(
                SectorTables.self, .put, "/v1/sectors/confidential/43.22B", token: broker.operatorToken,
                json: #"{"reason": "test", "rationale": "heating installers' files are sensitive"}"#)
            #expect(tables.confidential.contains { $0.code == "43.22B" })
            _ = try await client.problem(
                .post, "/v1/deals", token: token, json: #"{"partnerId": "\#(heating)", "pricePer1000Cents": 2500}"#, status: 422,
                code: "sector.confidential")
            _ = try await client.decoded(
                SectorTables.self, .post, "/v1/sectors/confidential/43.22B/remove", token: broker.operatorToken, json: #"{"reason": "end of test"}"#)
            let allowed = try await client.call(.post, "/v1/deals", token: token, json: #"{"partnerId": "\#(heating)", "pricePer1000Cents": 2500}"#)
            #expect(allowed.status == .created)
            let edits = try await client.decoded([AuditEntryView].self, .get, "/v1/audit?limit=1000", token: broker.operatorToken)
                .filter { $0.action.hasPrefix("sector") }
            #expect(edits.count == 2 && edits.allSatisfy { $0.reason != nil })
        }
    }

    @Test func erasureRemovesAPersonFromStoredFilesAndTheAuditPagesWithoutPersonalData() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await parties.matchedDeal(client, broker)
            _ = try await client.problem(
                .post, "/v1/erasure-requests", token: parties.joineryToken, json: #"{"emails": ["jean.martin@entreprise.fr"]}"#, status: 403,
                code: "auth.forbidden-role")
            _ = try await client.problem(
                .post, "/v1/erasure-requests", token: broker.operatorToken, json: #"{"emails": ["not an email"]}"#, status: 422,
                code: "erasure.invalid")
            // Jean Martin is in both files.
            let erased = try await client.decoded(
                ErasureResult.self, .post, "/v1/erasure-requests", token: broker.operatorToken, json: #"{"phones": ["+33 6 12 34 56 78"]}"#)
            #expect(erased.filesRewritten == 2 && erased.rowsRemoved == 2 && erased.suppressed)
            let again = try await client.call(.post, "/v1/erasure-requests", token: broker.operatorToken, json: #"{"phones": ["06 12 34 56 78"]}"#)
            #expect(again.status == .accepted, "erased already: nothing left to find, suppressed all the same")
            #expect(try await client.decoded([String: Int].self, .get, "/v1/suppressions", token: broker.operatorToken)["total"] == 1)

            // The audit trail pages in order and never holds the person's data.
            _ = try await client.problem(.get, "/v1/audit?limit=0", token: broker.operatorToken, status: 400, code: "request.invalid-parameter")
            _ = try await client.problem(.get, "/v1/audit", token: parties.joineryToken, status: 403, code: "auth.forbidden-role")
            let all = try await client.decoded([AuditEntryView].self, .get, "/v1/audit?limit=1000", token: broker.operatorToken)
            #expect(all.count > 4 && all.map(\.seq) == all.map(\.seq).sorted())
            var paged: [AuditEntryView] = []
            var after: Int64 = 0
            while true {
                let page = try await client.decoded([AuditEntryView].self, .get, "/v1/audit?limit=3&after=\(after)", token: broker.operatorToken)
                guard let last = page.last else { break }
                #expect(page.count <= 3)
                paged += page
                after = last.seq
            }
            #expect(paged == all)
            let dealOnly = try await client.decoded([AuditEntryView].self, .get, "/v1/audit?dealId=\(deal.id)", token: broker.operatorToken)
            #expect(!dealOnly.isEmpty && dealOnly.allSatisfy { $0.dealId == deal.id })
            let text = String(decoding: try JSONEncoder().encode(all), as: UTF8.self)
            for needle in ["jean.martin", "612345678", "06 12 34", "entreprise.fr"] {
                #expect(!text.contains(needle), "\(needle) in the audit trail")
            }
        }
    }
}
