import Foundation
import Testing

@testable import TrocCore

/// Consent per channel with its date, proof and partner scope; consumer by default; freshness from
/// the person's own contacts (README, "The rules, in short"), each rule and each bad input.
@Suite struct ConsentRulesTests {
    typealias T = TestSupport

    /// Columns: 1 nom, 2 email, 3 telephone, 4 raison_sociale, 5 source, 6 date_collecte, 7 optin_email,
    /// 8 optin_tel, 9 optin_sms, 10 date_consentement, 11 cession_partenaires, 12 preuve_consentement.
    static let header =
        "nom;email;telephone;raison_sociale;source;date_collecte;optin_email;optin_tel;optin_sms;date_consentement;"
        + "cession_partenaires;preuve_consentement"

    /// A row under `header`.
    static func row(
        email: String = "zoe@gmail.com", phone: String = "06 12 34 56 78", company: String = "", collected: String = "01/10/2026",
        emailConsent: String = "", phoneConsent: String = "", smsConsent: String = "", consentDate: String = "", partners: String = "",
        proof: String = ""
    ) -> String {
        ["Martin", email, phone, company, "salon", collected, emailConsent, phoneConsent, smsConsent, consentDate, partners, proof]
            .joined(separator: ";")
    }

    static func file(_ rows: [String], header: String = header) -> String {
        ([header] + rows).joined(separator: "\r\n") + "\r\n"
    }

    /// Everything the engine passes of A's contacts to B (policy `all`).
    static func delivered(_ a: String, rules: ExchangeRules = T.rules) throws -> MatchOutcome {
        let b = T.file([T.row(email: "b@entreprise.fr", company: "B")])
        return try T.match(a, b, options: MatchOptions(rules: rules, policy: .all))
    }

    /// "2:7:consent.email-missing", or "2:consent.partners-missing" for a line alone.
    static func describe(_ rejections: [RowRejection]) -> Set<String> {
        Set(rejections.map { "\($0.line):" + ($0.column.map { "\($0):" } ?? "") + $0.reason.rawValue })
    }

    // MARK: - Consent per channel

    @Test func aConsumerWithDatedConsentPerChannelCoveringPartnersIsDeliveredOnEveryChannel() throws {
        let a = Self.file([
            Self.row(
                emailConsent: "oui", phoneConsent: "oui", smsConsent: "oui", consentDate: "02/10/2026", partners: "oui", proof: "Formulaire devis v3")
        ])
        let outcome = try Self.delivered(a)
        #expect(
            outcome.toB == [
                DeliveredContact(line: 2, email: true, phone: true, sms: true, business: false, consents: [.email, .phone, .sms, .partners])
            ])
        let report = outcome.report.a
        #expect(report.rejections.isEmpty)
        #expect(report.consentByChannel == ChannelCounts(email: 1, phone: 1, sms: 1))
        #expect(report.exchangeableByChannel == ChannelCounts(email: 1, phone: 1, sms: 1))
        #expect(report.partnerConsent == 1 && report.consentProof == 1)
    }

    @Test func aGenericOptInCountsForEmailOnlyAndTheReportSaysSo() throws {
        let header = "nom;email;telephone;source;date_collecte;Opt-in;cession_partenaires"
        let a = Self.file(["Martin;zoe@gmail.com;06 12 34 56 78;salon;01/10/2026;oui;oui"], header: header)
        let outcome = try Self.delivered(a)
        #expect(outcome.toB == [DeliveredContact(line: 2, email: true, phone: false, consents: [.email, .partners])])
        #expect(Self.describe(outcome.report.a.rejections) == ["2:3:consent.phone-missing"])
        #expect(outcome.report.a.consentByChannel == ChannelCounts(email: 1, phone: 0, sms: 0))
        #expect(outcome.report.a.notes.contains { $0.contains("\"Opt-in\" is a generic consent: it counts for email only") })
    }

    @Test func aPhoneOnlyConsumerWithOnlyAGenericOptInIsNotExchangeable() throws {
        // Bad input: before this rule, the generic opt-in was taken as the phone consent the law asks for.
        let header = "nom;email;telephone;source;date_collecte;consentement;cession_partenaires"
        let outcome = try Self.delivered(Self.file(["Martin;;06 12 34 56 78;salon;01/10/2026;oui;oui"], header: header))
        #expect(outcome.toB.isEmpty && outcome.report.a.exchangeable == 0)
        #expect(Self.describe(outcome.report.a.rejections) == ["2:3:consent.phone-missing", "2:7:consent.partners-without-channel"])
        #expect(outcome.report.a.withConsent == 0, "a generic opt-in on a row without email covers no channel")
    }

    @Test func aConsumerPhoneConsentWithoutItsDateIsNotEnough() throws {
        let a = Self.file([Self.row(emailConsent: "oui", phoneConsent: "oui", partners: "oui")])
        let outcome = try Self.delivered(a)
        #expect(outcome.toB == [DeliveredContact(line: 2, email: true, phone: false, consents: [.email, .partners])])
        #expect(Self.describe(outcome.report.a.rejections) == ["2:8:consent.phone-undated", "2:9:consent.sms-missing"])
        // Dated in its own cell, the same consent is enough.
        let dated = try Self.delivered(Self.file([Self.row(emailConsent: "oui", phoneConsent: "03/10/2026", partners: "oui")]))
        #expect(dated.toB.first?.phone == true)
        #expect(Self.describe(dated.report.a.rejections) == ["2:9:consent.sms-missing"])
    }

    @Test func everyMissingElementIsItsOwnReasonWithItsColumn() throws {
        let a = Self.file([
            Self.row(),  // 2: nothing recorded
            Self.row(email: "lea@orange.fr", phone: "06 22 33 44 55", emailConsent: "oui"),  // 3: no partner scope, no phone consent
        ])
        let report = try Self.delivered(a).report.a
        #expect(report.exchangeable == 0)
        #expect(
            Self.describe(report.rejections) == [
                "2:7:consent.email-missing", "2:8:consent.phone-missing", "2:9:consent.sms-missing", "2:11:consent.partners-missing",
                "3:8:consent.phone-missing", "3:9:consent.sms-missing", "3:11:consent.partners-missing",
            ])
        #expect(report.rejected["consent.partners-missing"] == 2 && report.rejected["consent.email-missing"] == 1)
    }

    @Test func withoutAnyPartnerColumnTheProblemIsTheLineAndTheNoteSaysWhy() throws {
        let header = "nom;email;source;date_collecte;optin_email"
        let report = try Self.delivered(Self.file(["Martin;zoe@gmail.com;salon;01/10/2026;oui"], header: header)).report.a
        #expect(Self.describe(report.rejections) == ["2:consent.partners-missing"])
        #expect(report.notes.contains { $0.hasPrefix("no column records consent to transfer to partners") })
    }

    @Test func partnersYesWithNoChannelConsentIsABadRow() throws {
        let report = try Self.delivered(Self.file([Self.row(phone: "", partners: "oui")])).report.a
        #expect(Self.describe(report.rejections) == ["2:7:consent.email-missing", "2:11:consent.partners-without-channel"])
        #expect(report.exchangeable == 0)
    }

    @Test func aRefusalOfTransferToPartnersStopsEvenABusinessContact() throws {
        let a = Self.file([
            Self.row(email: "achats@acme.fr", phone: "", company: "ACME", partners: "non"),
            Self.row(email: "ventes@acme.fr", phone: "", company: "ACME"),
        ])
        let outcome = try Self.delivered(a)
        #expect(outcome.toB.map(\.line) == [3])
        #expect(outcome.toB.first?.consents == [], "nothing is recorded for a business contact: nothing is claimed")
    }

    @Test func aConsentDatedInTheFutureProvesNothing() throws {
        let a = Self.file([Self.row(phone: "", emailConsent: "15/12/2026", partners: "oui")])
        let report = try Self.delivered(a).report.a
        #expect(report.exchangeable == 0)
        #expect(Self.describe(report.rejections) == ["2:7:date.future", "2:7:consent.email-missing", "2:11:consent.partners-without-channel"])
    }

    @Test func aConsentDatedBeforeTheCollectionProvesNothing() throws {
        let a = Self.file([
            Self.row(phone: "", emailConsent: "oui", consentDate: "01/09/2026", partners: "oui"),  // 2: collected 01/10/2026
            Self.row(email: "lea@free.fr", phone: "", emailConsent: "01/09/2026", partners: "oui"),  // 3
        ])
        let report = try Self.delivered(a).report.a
        #expect(report.exchangeable == 0)
        #expect(
            Self.describe(report.rejections) == [
                "2:10:consent.before-collection", "2:7:consent.email-missing", "2:11:consent.partners-without-channel",
                "3:7:consent.before-collection", "3:7:consent.email-missing", "3:11:consent.partners-without-channel",
            ])
    }

    @Test func salesforceOptOutsBlankTheirChannelOnly() throws {
        let header = "Last Name,Email,Mobile,Company,Lead Source,Created Date,HasOptedOutOfEmail,Do Not Call"
        let a = Self.file(
            [
                "Durand,p.durand@acme.fr,06 11 11 11 11,ACME,Web,2026-10-01,true,false",  // 2: no email
                "Leroy,a.leroy@acme.fr,06 22 22 22 22,ACME,Web,2026-10-01,false,true",  // 3: no calls, SMS still
                "Petit,c.petit@acme.fr,01 42 00 00 00,ACME,Web,2026-10-01,false,1",  // 4: a landline, do not call: email only
            ], header: header)
        let outcome = try Self.delivered(a)
        #expect(
            outcome.toB == [
                DeliveredContact(line: 2, email: false, phone: true, sms: true, business: true),
                DeliveredContact(line: 3, email: true, phone: false, sms: true, business: true),
                DeliveredContact(line: 4, email: true, phone: false, sms: false, business: true),
            ])
        #expect(outcome.report.a.rejections.isEmpty)
    }

    @Test func anOptOutOnAnyRowOfAContactWins() throws {
        let header = "nom;email;telephone;raison_sociale;source;date_collecte;Unsubscribed from all email"
        let a = Self.file(
            [
                "Durand;p.durand@acme.fr;06 11 11 11 11;ACME;salon;01/10/2026;", ";P.Durand@acme.fr;;ACME;newsletter;02/10/2026;true",
            ], header: header)
        let outcome = try Self.delivered(a)
        #expect(outcome.toB.map { "\($0.line):\($0.email):\($0.phone)" } == ["2:false:true"])
    }

    @Test func beforeTheLawAConsumerPhoneNeededNoConsentButItsSMSDid() throws {
        let rules = ExchangeRules(asOf: CivilDate(year: 2026, month: 8, day: 10)!)
        let outcome = try Self.delivered(Self.file([Self.row(email: "", collected: "01/07/2026")]), rules: rules)
        #expect(outcome.toB == [DeliveredContact(line: 2, email: false, phone: true, sms: false)])
        #expect(Self.describe(outcome.report.a.rejections) == ["2:9:consent.sms-missing", "2:11:consent.partners-missing"])
    }

    // MARK: - Consumer by default

    @Test(arguments: [
        ("", "zoe@gmail.com", "", false),  // a person
        ("ACME", "zoe@gmail.com", "", false),  // a company name with a webmail address: the person's own
        ("ACME", "zoe@orange.fr", "", false),  // a consumer ISP
        ("", "contact@atelier-zoe.fr", "", false),  // an unknown domain but no company: fails closed
        ("ACME", "contact@acme.fr", "", true),
        ("", "", "732829320", true),  // a SIREN and a phone
        ("", "contact@acme.fr", "73282932000074", true),
        ("", "zoe@hotmail.fr", "73282932000074", false),
    ])
    func aContactIsABusinessOnlyWithACompanyAndNoWebmail(company: String, email: String, siren: String, business: Bool) throws {
        let file = try T.read(T.file([T.row(email: email, phone: "06 12 34 56 78", company: company, siret: siren)]))
        #expect(file.rows.first?.flags.contains(.business) == business)
    }

    @Test func aContactMarkedProfessionalWithoutACompanyIsAConsumerAndTheRowSaysWhy() throws {
        let header = "nom;email;raison_sociale;source;date_collecte;type"
        let file = try T.read(
            Self.file(
                ["Reynaud;lucas.paysage@gmail.com;;salon;01/10/2026;Pro", "Blanc;h.blanc@blanc.fr;Blanc SARL;salon;01/10/2026;Pro"], header: header))
        #expect(file.rows.map { $0.flags.contains(.business) } == [false, true])
        #expect(Self.describe(file.rejections) == ["2:6:segment.not-business", "2:consent.partners-missing", "2:2:consent.email-missing"])
    }

    @Test func theWebmailListIsTheReferenceFileAndHoldsTheDomainExamples() throws {
        let file = try String(contentsOf: T.fixture("reference/webmail-domains.csv"), encoding: .utf8)
        #expect(Array(ReferenceData.webmailDomainsCSV.utf8) == Array(file.utf8))
        for domain in [
            "gmail.com", "orange.fr", "free.fr", "sfr.fr", "laposte.net", "wanadoo.fr", "hotmail.fr", "yahoo.fr", "outlook.fr", "bbox.fr",
            "neuf.fr", "icloud.com",
        ] {
            #expect(Webmail.domains.contains(domain), "\(domain)")
        }
        #expect(Webmail.domains.count == file.split(separator: "\n").count - 1)
    }

    // MARK: - Freshness

    @Test func onlyAContactThePersonInitiatedKeepsThemFresh() throws {
        let header = "nom;email;raison_sociale;source;date_collecte;dernier_contact;sens_dernier_contact;date_derniere_demande"
        let file = try T.read(
            Self.file(
                [
                    "A;a@acme.fr;ACME;salon;12/09/2024;15/10/2026;sortant;",  // 2: an outbound call: stale
                    "B;b@acme.fr;ACME;salon;12/09/2024;15/10/2026;entrant;",  // 3: the person called: fresh
                    "C;c@acme.fr;ACME;salon;12/09/2024;15/10/2026;;",  // 4: nobody says who called: stale
                    "D;d@acme.fr;ACME;salon;12/09/2024;;;15/10/2026",  // 5: the person's last request: fresh
                    "E;e@acme.fr;ACME;salon;12/09/2024;15/10/2026;peut-être;",  // 6: unreadable direction: stale
                    "F;f@acme.fr;ACME;salon;;15/10/2026;sortant;",  // 7: an outbound date alone: undated
                ], header: header))
        #expect(file.rows.map { $0.flags.contains(.fresh) } == [false, true, false, true, false, false])
        #expect(file.rows.map { $0.flags.contains(.freshFromInbound) } == [false, true, false, true, false, false])
        #expect(Self.describe(file.rejections) == ["6:7:direction.unrecognised"])
        let report = MatchEngine.fileReport(file, rules: T.rules)
        #expect((report.stale, report.undated, report.freshFromInboundContact) == (3, 1, 2))
    }

    @Test func aLastContactColumnThatDoesNotSayWhoCalledIsNoted() throws {
        let file = try T.read(
            Self.file(["A;a@acme.fr;ACME;salon;12/09/2024;15/10/2026"], header: "nom;email;societe;source;date_collecte;Last Contacted"))
        let report = MatchEngine.fileReport(file, rules: T.rules)
        #expect(report.stale == 1)
        #expect(report.notes.contains { $0.hasPrefix("column \"Last Contacted\" does not say who initiated the last contact") })
    }

    // MARK: - Headers of real exports

    @Test(arguments: [
        ("optin_email", ContactField.consentEmail), ("consentement_email", .consentEmail), ("Email opt-in", .consentEmail),
        ("Opt-in e-mail", .consentEmail), ("DOUBLE_OPT-IN", .consentEmail), ("CONFIRM_TIME", .consentEmail), ("Marketing status", .consentEmail),
        ("optin_tel", .consentPhone), ("consentement_telephone", .consentPhone), ("Opt-in téléphone", .consentPhone),
        ("optin_sms", .consentSMS), ("Opt-in SMS", .consentSMS), ("SMS opt-in", .consentSMS),
        ("HasOptedOutOfEmail", .emailOptOut), ("Email Opt Out", .emailOptOut), ("Unsubscribed from all email", .emailOptOut),
        ("EMAIL_BLACKLISTED", .emailOptOut), ("Do Not Call", .phoneOptOut), ("DoNotCall", .phoneOptOut), ("Inscrit Bloctel", .phoneOptOut),
        ("SMS_BLACKLISTED", .smsOptOut), ("SMS", .phone),
        ("cession_partenaires", .partnerConsent), ("accord_partenaires", .partnerConsent), ("Opt-in partenaires", .partnerConsent),
        ("preuve_consentement", .consentProof), ("Texte du consentement", .consentProof),
        ("date_consentement", .consentDate), ("OPTIN_TIME", .consentDate), ("Date opt-in", .consentDate),
        ("Date de consentement e-mail", .consentEmailOn), ("date_consentement_telephone", .consentPhoneOn), ("Date opt-in SMS", .consentSMSOn),
        ("date_derniere_demande", .lastInboundOn), ("dernier_contact_entrant", .lastInboundOn), ("Last inbound", .lastInboundOn),
        ("Last email received", .lastInboundOn), ("Recent conversion date", .lastInboundOn),
        ("Sens du dernier contact", .lastContactDirection), ("Direction", .lastContactDirection),
        ("Consentement RGPD", .consent), ("Opt-in", .consent), ("Last Contacted", .lastContactOn),
    ])
    func consentAndContactHeadersAreRecognised(header: String, field: ContactField) {
        #expect(ContactField.recognise(header) == field)
    }

    @Test func noHeaderSpellingNamesTwoFields() {
        var owner: [String: ContactField] = [:]
        for field in ContactField.allCases {
            for synonym in field.synonyms {
                #expect(owner[synonym] == nil || owner[synonym] == field, "\(synonym): \(owner[synonym]!) and \(field)")
                owner[synonym] = field
            }
        }
    }
}
