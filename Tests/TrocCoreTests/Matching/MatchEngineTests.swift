import Testing

@testable import TrocCore

@Suite struct MatchEngineTests {
    typealias T = TestSupport

    @Test func rowsSharingAnyKeyAreOneContact() throws {
        let file = T.file([
            T.row(email: "jean.dupont@gmail.com", phone: "06 12 34 56 78"),
            T.row(email: "JeanDupont+promo@googlemail.com"),  // same gmail key
            T.row(email: "autre@example.fr", phone: "+33612345678"),  // same phone
            T.row(email: "tiers@example.fr", siret: "73282932000074"),
            T.row(email: "quart@example.fr", siret: "732 829 320 00074"),  // same SIRET
            T.row(email: "seul@example.fr"),
        ])
        let outcome = try T.match(file, T.file([T.row(email: "b@example.fr")]))
        #expect(outcome.report.a.rows == 6)
        #expect(outcome.report.a.contacts == 3)
        #expect(outcome.report.a.duplicates == 3)
    }

    @Test func theMostCompleteThenMostRecentRowRepresentsTheContact() throws {
        let a = T.file([
            T.row(email: "jean@example.fr", company: "ACME", collected: "01/09/2026"),
            T.row(email: "jean@example.fr", phone: "0612345678", company: "ACME", collected: "01/08/2026"),
            T.row(email: "jean@example.fr", phone: "0612345678", company: "ACME", collected: "01/10/2026"),
        ])
        let outcome = try T.match(a, T.file([T.row(email: "other@example.fr")]), options: MatchOptions(rules: T.rules, policy: .all))
        #expect(outcome.toB.map(\.line) == [4])
    }

    @Test func overlapCountsDistinctKeysPerKind() throws {
        let a = T.file([
            T.row(email: "jean@example.fr", phone: "0612345678"),
            T.row(email: "j.ean+x@gmail.com"),
            T.row(email: "seul.a@example.fr", phone: "0611223344"),
            T.row(email: "x@example.fr", siret: "73282932000074"),
        ])
        let b = T.file([
            T.row(email: "JEAN@EXAMPLE.FR"),
            T.row(email: "jean@gmail.com"),
            T.row(email: "seul.b@example.fr", phone: "+33 6 11 22 33 44"),
            T.row(email: "y@example.fr", siret: "73282932000074"),
            T.row(email: "neuf@example.fr", company: "Neuf SARL"),
        ])
        let report = try T.match(a, b).report
        #expect(report.overlap.email == 2)
        #expect(report.overlap.phone == 1)
        #expect(report.overlap.siret == 1)
        #expect(report.overlap.contacts == 4)
        #expect(report.overlap.bContactsHeldByA == 4)
        #expect(report.netNew == SidePair(a: 0, b: 1))
    }

    @Test func noSideIsEverSentAContactItHolds() throws {
        let a = T.file((0..<20).map { T.row(email: "a\($0)@example.fr", company: "Société \($0)") })
        let b = T.file((10..<40).map { T.row(email: "a\($0)@example.fr", company: "Société \($0)") })
        let outcome = try T.match(a, b, options: MatchOptions(rules: T.rules, policy: .all))
        #expect(outcome.report.netNew == SidePair(a: 10, b: 20))
        #expect(outcome.toB.map(\.line) == Array(2...11).map(UInt32.init))
        #expect(outcome.toA.map(\.line) == Array(12...31).map(UInt32.init))
    }

    @Test func complianceRulesDecideWhatIsExchangeable() throws {
        let a = T.file([
            T.row(email: "ok@entreprise.fr", company: "ACME"),  // 2: B2B, exchangeable
            T.row(email: "nosource@entreprise.fr", company: "ACME", source: ""),  // 3: no source
            T.row(email: "stale@entreprise.fr", company: "ACME", collected: "01/09/2025"),  // 4: older than 13 months
            T.row(email: "undated@entreprise.fr", company: "ACME", collected: ""),  // 5: no date
            T.row(email: "refused@entreprise.fr", company: "ACME", consent: "non"),  // 6: objected
            T.row(email: "particulier@gmail.com", consent: ""),  // 7: B2C email without opt-in
            T.row(email: "particulier.ok@gmail.com", consent: "oui"),  // 8: B2C with an opt-in that does not cover partners
            T.row(phone: "0699887766", consent: ""),  // 9: B2C phone without consent, after 11/08/2026
            T.row(email: "bad date@x", phone: "0611112222", company: "ACME", collected: "32/13/2026"),  // 10: invalid date
        ])
        let report = try T.match(a, T.file([T.row(email: "b@example.fr")])).report.a
        #expect(report.contacts == 9)
        #expect(report.exchangeable == 1)
        #expect(report.withoutSource == 1)
        #expect(report.stale == 1)
        #expect(report.undated == 2)
        #expect(report.refusedConsent == 1)
        #expect(report.b2b == 6)
        #expect(report.b2c == 3)
        #expect(report.withConsent == 5)
        #expect(
            report.rejected == [
                "date.invalid": 1, "email.whitespace": 1, "consent.email-missing": 1, "consent.phone-missing": 1, "consent.partners-missing": 3,
            ])
    }

    @Test func aConsumerPhoneWithoutConsentWasExchangeableBefore11August2026() throws {
        let a = T.file([T.row(phone: "0699887766", collected: "01/07/2026", consent: "")])
        let before = ExchangeRules(asOf: CivilDate(year: 2026, month: 8, day: 10)!)
        let after = ExchangeRules(asOf: CivilDate(year: 2026, month: 8, day: 11)!)
        let b = T.file([T.row(email: "b@example.fr")])
        #expect(try T.match(a, b, options: MatchOptions(rules: before)).report.a.exchangeable == 1)
        #expect(try T.match(a, b, options: MatchOptions(rules: after)).report.a.exchangeable == 0)
    }

    @Test func aConsumerWithoutOptInIsDeliveredByPhoneOnly() throws {
        let a = T.file([T.row(email: "zoe@gmail.com", phone: "0699887766", collected: "01/07/2026", consent: "")])
        let options = MatchOptions(rules: ExchangeRules(asOf: CivilDate(year: 2026, month: 8, day: 1)!), policy: .all)
        let delivered = try T.match(a, T.file([T.row(email: "b@example.fr")]), options: options).toB
        #expect(delivered == [DeliveredContact(line: 2, email: false, phone: true)])
    }

    @Test func consumersAreNeverSentToEnergyRenovationTrades() throws {
        let a = """
            nom;email;raison_sociale;source;date_collecte;optin_email;cession_partenaires
            Zoé;zoe@gmail.com;;salon;01/10/2026;oui;oui
            Pro;pro@entreprise.fr;ACME;salon;01/10/2026;;

            """
        let b = T.file([T.row(email: "b@example.fr", company: "B")])
        let sectors = SectorRules()
        let options = MatchOptions(
            rules: T.rules, policy: .all, aAcceptsConsumers: sectors.mayReceiveConsumerContacts("43.32A"),
            bAcceptsConsumers: sectors.mayReceiveConsumerContacts("43.22B"))
        let outcome = try T.match(a, b, options: options)
        #expect(outcome.toB.map(\.line) == [3])
        let toCaterer = MatchOptions(rules: T.rules, policy: .all, bAcceptsConsumers: sectors.mayReceiveConsumerContacts("56.10A"))
        #expect(try T.match(a, b, options: toCaterer).toB.map(\.line) == [2, 3])
        #expect(sectors.mayReceiveConsumerContacts("56.10A"))
        #expect(!sectors.mayReceiveConsumerContacts("43.22B"))
    }

    @Test func suppressedContactsAreCountedAndNeverDelivered() throws {
        let a = T.file([
            T.row(email: "optout@entreprise.fr", company: "ACME"), T.row(email: "ok@entreprise.fr", phone: "0612345678", company: "ACME"),
        ])
        let suppression = SuppressionList(entries: [
            (.email, T.hasher.matchKey(.email, of: "optout@entreprise.fr")), (.phone, T.hasher.matchKey(.phone, of: "+33612345678")),
        ])
        let outcome = try T.match(
            a, T.file([T.row(email: "b@example.fr")]), options: MatchOptions(rules: T.rules, policy: .all, suppression: suppression))
        #expect(outcome.report.a.suppressed == 2)
        #expect(outcome.toB.isEmpty)
    }

    @Test func equalCountDeliversTheBestOfTheRicherSide() throws {
        let a = T.file([
            T.row(email: "low@entreprise.fr", company: "A"),
            T.row(email: "high@entreprise.fr", phone: "0612345678", company: "A"),
            T.row(email: "mid@entreprise.fr", phone: "0112345678", company: "A"),
        ])
        let b = T.file([T.row(email: "b1@entreprise.fr", company: "B"), T.row(email: "b2@entreprise.fr", company: "B")])
        let outcome = try T.match(a, b)
        #expect(outcome.report.delivery.toA == 2)
        #expect(outcome.report.delivery.toB == 2)
        #expect(outcome.toB.map(\.line) == [3, 4])
        #expect(outcome.report.balancing.candidates == SidePair(a: 3, b: 2))
    }

    @Test func qualityWeightedEqualisesSummedQuality() throws {
        let rich = (0..<4).map { T.row(email: "r\($0)@entreprise.fr", phone: "06123456\(10 + $0)", company: "R", consent: "oui") }
        let poor = (0..<6).map { T.row(email: "p\($0)@entreprise.fr", company: "P", consent: "") }
        let outcome = try T.match(T.file(rich), T.file(poor), options: MatchOptions(rules: T.rules, policy: .qualityWeighted))
        let balancing = outcome.report.balancing
        #expect(balancing.deliveredQuality.a <= balancing.candidateQuality.b)
        #expect(balancing.delivered.b == 6)
        #expect(balancing.delivered.a < 4)
        #expect(outcome.report.delivery.qualityToB <= outcome.report.delivery.qualityToA)
    }

    @Test func allDeliversEveryCandidate() throws {
        let outcome = try T.match(
            T.file((0..<5).map { T.row(email: "a\($0)@entreprise.fr", company: "A") }), T.file([T.row(email: "b@entreprise.fr", company: "B")]),
            options: MatchOptions(rules: T.rules, policy: .all))
        #expect(
            outcome.report.delivery
                == DeliveryReport(toA: 1, toB: 5, qualityToA: outcome.report.delivery.qualityToA, qualityToB: outcome.report.delivery.qualityToB))
    }

    @Test func theQualityScoreFollowsItsDefinition() throws {
        // Valid email 0.30 + mobile 0.25 + opt-in 0.15 + collected today 0.20 + all six identity parts 0.10 = 1.00.
        let header = "nom;prenom;email;telephone;adresse;code_postal;ville;raison_sociale;source;date_collecte;consentement"
        let row = "Martin;Jean;jean@entreprise.fr;0612345678;1 rue Haute;75001;Paris;ACME;salon;23/11/2026;oui"
        let outcome = try T.match(header + "\n" + row + "\n", T.file([T.row(email: "b@example.fr")]))
        #expect(outcome.report.a.qualityScore == 1.0)
        // Email only, no opt-in, collected at the very start of the window, a name and a company: 0.30 + 0 + 0 + 0 + 0.10 × 2/6.
        let sparse = "email;nom;societe;source;date_collecte\njean@entreprise.fr;Martin;ACME;salon;23/10/2025\n"
        #expect(try T.match(sparse, T.file([T.row(email: "b@example.fr")])).report.a.qualityScore == 0.3333)
    }
}
