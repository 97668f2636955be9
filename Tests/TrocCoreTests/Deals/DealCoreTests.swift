import Foundation
import Testing
import TrocCrypto

@testable import TrocCore

@Suite struct DealCoreTests {
    typealias T = TestSupport

    @Test(arguments: [(0, "< 50"), (49, "< 50"), (50, "50"), (1234, "1234")])
    func smallCountsAreHidden(value: Int, shown: String) throws {
        #expect(ShownCount(value).description == shown)
        let json = String(decoding: try JSONEncoder().encode(ShownCount(value)), as: UTF8.self)
        #expect(json == (value < 50 ? "\"< 50\"" : String(value)))
    }

    @Test func aRateOfAHiddenCountIsHiddenToo() {
        #expect(ShownRate(49, of: 1000) == .hidden)
        #expect(ShownRate(250, of: 1000) == .percent(25.0))
        #expect(ShownRate(50, of: 0) == .hidden)
    }

    @Test func theSuppressionListAppliesUnderItsOwnKeyWhileADealIsRead() throws {
        // The deal hashes under one key, the list is kept under another: the check hashes twice.
        let dealHasher = HMACMatchKeyHasher(secret: [UInt8](repeating: 1, count: 32))
        let suppressionHasher = HMACMatchKeyHasher(secret: [UInt8](repeating: 2, count: 32))
        let check = SuppressionCheck(hasher: suppressionHasher, entries: [(.email, suppressionHasher.matchKey(.email, of: "optout@entreprise.fr"))])
        let text = T.file([T.row(email: "optout@entreprise.fr", company: "A"), T.row(email: "ok@entreprise.fr", company: "A")])
        let read = { (suppression: SuppressionCheck?) in
            try ContactFileIngest.read(
                [MemorySource(text)], mappings: [[]], rules: T.rules, hasher: dealHasher, parallelism: 1, suppression: suppression)[0]
        }
        let checked = MatchEngine.fileReport(try read(check), rules: T.rules)
        #expect(checked.suppressed == 1 && checked.exchangeable == 1)
        let unchecked = MatchEngine.fileReport(try read(nil), rules: T.rules)
        #expect(unchecked.suppressed == 0 && unchecked.exchangeable == 2)
    }

    @Test func anErasureRemovesEveryRowOfThePersonAndKeepsTheRest() throws {
        let text =
            "Nom;E-mail;Téléphone;SIRET\r\n" + "Martin;jean.martin@gmail.com;0612345678;\r\n" + "\"Durand; fils\";paul@exemple.fr;;\r\n"
            + "Martin;J.Ean.Martin+promo@googlemail.com;;\r\n" + "Petit;zoe@exemple.fr;+33 6 12 34 56 78;\r\n"
            + "Leroy;leo@exemple.fr;;73282932000074\r\n"
        let person = try ErasedPerson(emails: ["jean.martin@gmail.com"], sirets: ["732 829 320 00074"])
        var output: [UInt8] = []
        let removed = try ContactFileFilter.remove(person, from: MemorySource(text)) { output.append(contentsOf: $0) }
        #expect(removed.rows == 3)
        #expect(
            removed.found == [PersonValue(kind: .email, canonical: "jeanmartin@gmail.com"), PersonValue(kind: .siret, canonical: "73282932000074")])
        #expect(person.shown(PersonValue(kind: .email, canonical: "jeanmartin@gmail.com")) == "jean.martin@gmail.com")
        #expect(
            String(decoding: output, as: UTF8.self)
                == "Nom;E-mail;Téléphone;SIRET\r\n\"Durand; fils\";paul@exemple.fr;;\r\nPetit;zoe@exemple.fr;+33 6 12 34 56 78;\r\n")
        #expect(throws: ErasureRequestError.nothingToErase) { try ErasedPerson() }
        #expect(throws: ErasureRequestError.self) { try ErasedPerson(phones: ["12"]) }
    }

    @Test func theStateMachineOnlyMovesForward() {
        #expect(DealTransition.approve.from == [.accepted])
        #expect(DealTransition.release.to == .released)
        #expect(DealState.rejected.isFinal && DealState.closed.isFinal && !DealState.matched.isFinal)
        #expect(DealTransition.approve.actors == [.operator])
        #expect(DealTransitionError(transition: .approve, current: .rejected).description.contains("rejected"))
    }
}
