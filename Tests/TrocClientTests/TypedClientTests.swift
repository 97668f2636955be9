import Foundation
import Testing
import TrocClient
import TrocCore

/// The typed methods against a real broker on a socket: each sends what the server decodes and decodes what it answers.
@Suite struct TypedClientTests {
    @Test func organisationsUsersAndTokensRoundTrip() async throws {
        let live = try await LiveBroker.make()
        defer { live.remove() }
        try await live.serve { connect, operatorClient in
            let me = try await operatorClient.me()
            #expect(me.user.role == .operator)
            let (joinery, token) = try await TwoFirms.register(TwoFirms.joinery, user: "Jeanne Durand", with: operatorClient)
            #expect(try await operatorClient.organisation(joinery.id) == joinery)
            #expect(try await operatorClient.organisations().contains(joinery))
            let users = try await operatorClient.users()
            let jeanne = try #require(users.first { $0.name == "Jeanne Durand" })
            #expect(jeanne.organisationId == joinery.id)

            let partner = try connect(token)
            defer { Task { await partner.shutdown() } }
            #expect(try await partner.me().organisation.id == joinery.id)
            let issued = try await partner.createToken(NewToken(label: "script", expiresInDays: 7))
            #expect(try await partner.tokens(userID: nil).contains { $0.id == issued.id })
            #expect(try await operatorClient.tokens(userID: jeanne.id).contains { $0.id == issued.id })
            try await partner.revokeToken(issued.id)
            #expect(try await partner.tokens(userID: nil).first { $0.id == issued.id }?.revokedAt != nil)

            let renamed = try await operatorClient.setNAF(
                organisationID: joinery.id, NAFCodeChange(nafCode: "43.32B", nafNomenclature: nil, reason: "the firm changed trade"))
            #expect(renamed.nafCode == "43.32B")
            #expect(try await partner.brokerKey().publicKey.contains("PUBLIC KEY"))
            #expect(try await partner.keyChanges(organisationID: joinery.id, state: nil).isEmpty)
            #expect(try await partner.billingMandate(organisationID: joinery.id).inForce == nil)
        }
    }

    @Test func dealsAreProposedPagedShownAndDecided() async throws {
        let live = try await LiveBroker.make()
        defer { live.remove() }
        try await live.serve { connect, operatorClient in
            let (_, joineryToken) = try await TwoFirms.register(TwoFirms.joinery, user: "Jeanne Durand", with: operatorClient)
            let (heating, _) = try await TwoFirms.register(TwoFirms.heating, user: "Marc Martin", with: operatorClient)
            let joinery = try connect(joineryToken)
            defer { Task { await joinery.shutdown() } }
            var proposed: [Deal] = []
            for price in [2500, 3000, 3500] {
                proposed.append(try await joinery.proposeDeal(NewDeal(partnerId: heating.id, pricePer1000Cents: price, policy: .equalCount)))
            }
            let first = try await joinery.deals(limit: 2, after: nil)
            let rest = try await joinery.deals(limit: 2, after: first.last?.id)
            #expect(Set((first + rest).map(\.id)) == Set(proposed.map(\.id)))
            #expect(first.count == 2 && rest.count == 1)
            #expect(try await joinery.deal(proposed[0].id).pricePer1000Cents == 2500)

            let cancelled = try await joinery.decide(.cancel, dealID: proposed[0].id, reason: "wrong price")
            #expect(cancelled.state == .cancelled)
            #expect(try await joinery.files().isEmpty)
            let audit = try await operatorClient.audit(limit: 50, dealID: proposed[0].id)
            #expect(!audit.isEmpty && audit.allSatisfy { $0.dealId == proposed[0].id })
        }
    }

    @Test func operatorTablesAndAccountsReadBack() async throws {
        let live = try await LiveBroker.make()
        defer { live.remove() }
        try await live.serve { _, operatorClient in
            let tables = try await operatorClient.sectors()
            #expect(!tables.clusters.isEmpty)
            let cluster = try #require(tables.clusters.keys.sorted().first)
            let added = try await operatorClient.addClusterCode(
                cluster: cluster, code: "43.29A", SectorChange(reason: "insulation sells with windows", rationale: nil, scope: nil))
            #expect(added.clusters[cluster]?.contains("43.29A") == true)
            let removed = try await operatorClient.removeClusterCode(
                cluster: cluster, code: "43.29A", SectorChange(reason: "undo", rationale: nil, scope: nil))
            #expect(removed.clusters[cluster]?.contains("43.29A") != true)
            #expect(!(try await operatorClient.renovation()).isEmpty)
            #expect(try await operatorClient.invoices(from: "2026-01-01", to: "2026-12-31").isEmpty)
            let suppressed = try await operatorClient.addSuppressions(NewSuppressions(values: ["jean.martin@entreprise.fr"], source: "optout"))
            #expect(suppressed.added == 1)
        }
    }
}
