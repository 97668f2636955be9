import Testing
import TrocCore

/// A firm's declared VAT status against its address and SIREN: the territory from the postcode, and every inconsistency refused.
@Suite struct FirmVATStatusTests {
    static func address(_ postcode: String, _ country: String = "FR") -> PostalAddress {
        PostalAddress(street: "1 rue", postcode: postcode, city: "Ville", countryCode: country)
    }

    static let territoryCases: [(postcode: String, country: String, territory: VATTerritory?)] = [
        ("75002", "FR", .metropolitanFrance), ("20000", "FR", .metropolitanFrance), ("97100", "FR", .overseas(.guadeloupe)),
        ("97110", "FR", .overseas(.guadeloupe)), ("97200", "FR", .overseas(.martinique)), ("97300", "FR", .overseas(.guyane)),
        ("97400", "FR", .overseas(.reunion)), ("97600", "FR", .overseas(.mayotte)), ("10115", "DE", .memberState(.germany)),
        // Saint-Barthélemy and Saint-Martin share Guadeloupe's 971 but are collectivities with their own taxes.
        ("97133", "FR", nil), ("97150", "FR", nil), ("97500", "FR", nil), ("98800", "FR", nil), ("98714", "FR", nil), ("8000", "FR", nil),
        ("1000", "CH", nil),
    ]

    @Test(arguments: territoryCases)
    func derivesTheTerritoryFromThePostcode(postcode: String, country: String, territory: VATTerritory?) {
        #expect((try? VATTerritory.of(Self.address(postcode, country))) == territory, "\(postcode) \(country)")
    }

    @Test func territoriesKnowTheirRates() {
        #expect(VATTerritory.metropolitanFrance.domesticStandardRateBasisPoints == 2000)
        for department in [OverseasDepartment.guadeloupe, .martinique, .reunion] {
            #expect(VATTerritory.overseas(department).domesticStandardRateBasisPoints == 850)
        }
        for department in [OverseasDepartment.guyane, .mayotte] {
            #expect(VATTerritory.overseas(department).domesticStandardRateBasisPoints == nil)
            #expect(!VATTerritory.overseas(department).isInFrenchEInvoicing)
        }
        for territory in [VATTerritory.metropolitanFrance, .overseas(.reunion), .overseas(.mayotte), .memberState(.italy)] {
            #expect(VATTerritory(rawValue: territory.rawValue) == territory)
        }
    }

    static let validCases: [(regime: VATRegime, vatNumber: String?, postcode: String, country: String, siren: String?, territory: VATTerritory)] = [
        (.registered, "FR44732829320", "69001", "FR", "732829320", .metropolitanFrance),
        (.registered, "fr 44 732 829 320", "69001", "FR", "732829320", .metropolitanFrance),
        (.registered, "DE136695976", "10115", "DE", nil, .memberState(.germany)),
        (.franchise, nil, "44000", "FR", "404833048", .metropolitanFrance),
        (.franchise, "  ", "44000", "FR", "404833048", .metropolitanFrance),
        (.franchise, nil, "97200", "FR", "817654320", .overseas(.martinique)),
        (.overseas, "FR96412345670", "97400", "FR", "412345670", .overseas(.reunion)),
        (.overseas, nil, "97300", "FR", "321098766", .overseas(.guyane)),
        (.overseas, "FR31523456788", "97600", "FR", "523456788", .overseas(.mayotte)),
    ]

    @Test(arguments: validCases)
    func acceptsAConsistentDeclaration(
        regime: VATRegime, vatNumber: String?, postcode: String, country: String, siren: String?, territory: VATTerritory
    )
        throws
    {
        let status = try FirmVATStatus(regime: regime, vatNumber: vatNumber, address: Self.address(postcode, country), siren: siren)
        #expect(status.regime == regime && status.territory == territory)
        #expect(status.vatNumber?.text == vatNumber.flatMap { try? VATNumber($0) }?.text)
    }

    /// Each refusal with the field and the stable code a client reads.
    static let refusedCases:
        [(name: String, regime: VATRegime, vatNumber: String?, postcode: String, country: String, siren: String?, problems: [String])] = [
            ("a franchise firm with a VAT number", .franchise, "FR83404833048", "44000", "FR", "404833048", ["vatNumber:franchise-with-vat-number"]),
            (
                "an overseas postcode with the metropolitan rate", .registered, "FR96412345670", "97400", "FR", "412345670",
                ["vatStatus:overseas-postcode"]
            ),
            ("Guyane declared registered", .registered, nil, "97300", "FR", "321098766", ["vatStatus:overseas-postcode"]),
            ("a metropolitan postcode declared overseas", .overseas, "FR44732829320", "69001", "FR", "732829320", ["vatStatus:not-overseas"]),
            ("a German firm declared overseas", .overseas, "DE136695976", "10115", "DE", nil, ["vatStatus:not-overseas"]),
            ("a registered firm without its number", .registered, nil, "69001", "FR", "732829320", ["vatNumber:missing"]),
            ("La Réunion without a number", .overseas, nil, "97400", "FR", "412345670", ["vatNumber:missing"]),
            ("another company's number", .registered, "FR40303265045", "69001", "FR", "732829320", ["vatNumber:mismatch"]),
            ("a German number for a French firm", .registered, "DE136695976", "69001", "FR", "732829320", ["vatNumber:mismatch"]),
            ("a number with a wrong key", .registered, "FR45732829320", "69001", "FR", "732829320", ["vatNumber:invalid"]),
            ("the franchise abroad", .franchise, nil, "10115", "DE", nil, ["vatStatus:franchise-abroad"]),
            ("the franchise in Guyane", .franchise, nil, "97300", "FR", "321098766", ["vatStatus:no-vat-territory"]),
            ("Saint-Barthélemy", .overseas, nil, "97133", "FR", "321098766", ["address.postcode:territory"]),
            ("Switzerland", .registered, "CHE123", "8000", "CH", nil, ["address.countryCode:territory", "vatNumber:invalid"]),
        ]

    @Test(arguments: refusedCases)
    func refusesAnInconsistentDeclaration(
        name: String, regime: VATRegime, vatNumber: String?, postcode: String, country: String, siren: String?, problems: [String]
    ) {
        do {
            _ = try FirmVATStatus(regime: regime, vatNumber: vatNumber, address: Self.address(postcode, country), siren: siren)
            Issue.record("\(name): accepted")
        } catch {
            #expect(error.problems.map { "\($0.field):\($0.code)" }.sorted() == problems.sorted(), "\(name): \(error)")
            #expect(error.problems.allSatisfy { $0.detail.count > 30 }, "\(name): each problem says what to do")
        }
    }

    @Test func refusalsSayWhatToDoAndCiteTheLaw() throws {
        let franchise = #expect(throws: VATStatusError.self) {
            try FirmVATStatus(regime: .franchise, vatNumber: "FR83404833048", address: Self.address("44000"), siren: "404833048")
        }
        #expect(franchise?.description.contains("293 B") == true && franchise?.description.contains("remove the VAT number") == true)
        let reunion = #expect(throws: VATStatusError.self) {
            try FirmVATStatus(regime: .registered, vatNumber: "FR96412345670", address: Self.address("97400"), siren: "412345670")
        }
        #expect(reunion?.description.contains("8,5 %") == true && reunion?.description.contains("declare the status overseas") == true)
    }

    @Test func recordsHowEachNumberWasChecked() throws {
        #expect(try VATNumber("FR44732829320").checkMethod == .syntaxAndKey)
        #expect(try VATNumber("DE136695976").checkMethod == .syntaxAndChecksum)
        #expect(try VATNumber("IE6388047V").checkMethod == .syntax)
    }
}
