import Testing

@testable import TrocCore

@Suite struct CompanyIdentifierTests {
    // Valid numbers checked with python-stdnum (stdnum.fr.siren / stdnum.fr.siret).
    @Test(arguments: [
        ("732829320", CompanyIdentifier.siren("732829320")),
        ("732 829 320", .siren("732829320")),
        ("303265045", .siren("303265045")),
        ("73282932000074", .siret("73282932000074")),
        ("732 829 320 00074", .siret("73282932000074")),
        ("732.829.320.00074", .siret("73282932000074")),
        ("35600000000048", .siret("35600000000048")),
        ("35600000049837", .siret("35600000049837")),
        ("356000000", .siren("356000000")),
    ])
    func validIdentifiers(raw: String, expected: CompanyIdentifier) {
        #expect(CompanyIdentifier.parse(raw) == .success(expected))
    }

    @Test(arguments: [
        ("732829321", RejectionReason.siretChecksum),
        ("73282932000075", .siretChecksum),
        ("35600000049838", .siretChecksum),
        ("12345678", .siretLength),
        ("1234567890", .siretLength),
        ("123456789012345", .siretLength),
        ("73282932O", .siretInvalidCharacter),
        ("", .siretLength),
    ])
    func invalidIdentifiersSayWhy(raw: String, reason: RejectionReason) {
        #expect(CompanyIdentifier.parse(raw) == .failure(reason))
    }

    @Test func theSirenOfASiretIsItsFirstNineDigits() {
        #expect(CompanyIdentifier.siret("73282932000074").siren == "732829320")
        #expect(CompanyIdentifier.siren("732829320").siret == nil)
    }
}
