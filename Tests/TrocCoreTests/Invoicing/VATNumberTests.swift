import Foundation
import Testing
import TrocCore

/// VAT numbers of every member state: shapes, check digits, the French key.
@Suite struct VATNumberTests {
    /// Valid numbers of every member state (checked against python-stdnum), some typed with separators.
    static let validCases: [(typed: String, normalized: String, state: EUMemberState)] = [
        ("ATU39099603", "ATU39099603", .austria), ("BE 0403.019.261", "BE0403019261", .belgium), ("BE1753710312", "BE1753710312", .belgium),
        ("BG175074752", "BG175074752", .bulgaria), ("CY10259033P", "CY10259033P", .cyprus), ("CY95572279B", "CY95572279B", .cyprus),
        ("CZ25123891", "CZ25123891", .czechia), ("de 136 695 976", "DE136695976", .germany), ("DE187826822", "DE187826822", .germany),
        ("DK80069901", "DK80069901", .denmark), ("EE104185960", "EE104185960", .estonia), ("EL094259216", "EL094259216", .greece),
        ("GR094259216", "EL094259216", .greece), ("ESA13585625", "ESA13585625", .spain), ("ESB58378431", "ESB58378431", .spain),
        ("ESB5417551H", "ESB5417551H", .spain), ("FI26961176", "FI26961176", .finland), ("FR40303265045", "FR40303265045", .france),
        ("FR 44 732 829 320", "FR44732829320", .france), ("FR89773843263", "FR89773843263", .france), ("HR67033628582", "HR67033628582", .croatia),
        ("HU54894101", "HU54894101", .hungary), ("IE6433435F", "IE6433435F", .ireland), ("IT00743110157", "IT00743110157", .italy),
        ("IT38663220531", "IT38663220531", .italy), ("LT049138401513", "LT049138401513", .lithuania), ("LU43251766", "LU43251766", .luxembourg),
        ("LV40003521600", "LV40003521600", .latvia), ("MT85172380", "MT85172380", .malta), ("NL004495445B01", "NL004495445B01", .netherlands),
        ("NL000099998B57", "NL000099998B57", .netherlands), ("NL431711902B69", "NL431711902B69", .netherlands),
        ("PL 856-734-62-15", "PL8567346215", .poland), ("PT313318166", "PT313318166", .portugal), ("RO515362995", "RO515362995", .romania),
        ("SE788894106401", "SE788894106401", .sweden), ("SI14469618", "SI14469618", .slovenia), ("SK2022749619", "SK2022749619", .slovakia),
    ]

    @Test(arguments: validCases)
    func acceptsAndNormalizes(typed: String, normalized: String, state: EUMemberState) throws {
        let number = try VATNumber(typed)
        #expect(number.text == normalized)
        #expect(number.memberState == state)
    }

    @Test func coversEveryMemberState() {
        #expect(Set(Self.validCases.map(\.state)) == Set(EUMemberState.allCases))
        #expect(EUMemberState.allCases.count == 27)
    }

    /// Well-shaped numbers whose check digits are wrong (python-stdnum rejects them too).
    static let wrongChecksumCases: [(number: String, state: EUMemberState)] = [
        ("ATU52601815", .austria), ("BE1610388550", .belgium), ("CY45695314Q", .cyprus), ("DE737046987", .germany), ("DE136695977", .germany),
        ("DK14332763", .denmark), ("EE102275444", .estonia), ("EL775092232", .greece), ("ESC2972856J", .spain), ("ESB58378432", .spain),
        ("FI56409399", .finland), ("HR40401842727", .croatia), ("HU82807026", .hungary), ("IT30797490693", .italy),
        ("IT00743110158", .italy), ("LT329928164515", .lithuania), ("LU00744971", .luxembourg), ("MT28504250", .malta),
        ("NL312819418B51", .netherlands), ("PL9759415553", .poland), ("PT542271499", .portugal), ("RO25", .romania),
        ("SE754595887701", .sweden), ("SI10811318", .slovenia),
    ]

    @Test(arguments: wrongChecksumCases)
    func rejectsWrongCheckDigits(number: String, state: EUMemberState) {
        #expect(throws: VATNumberError.wrongChecksum(state, number: number)) { try VATNumber(number) }
    }

    static let wrongFormatCases: [(number: String, state: EUMemberState)] = [
        ("AT39099603", .austria), ("BE2403019261", .belgium), ("BE403019261", .belgium), ("BG12345678", .bulgaria), ("CY12000000A", .cyprus),
        ("CZ1234567", .czechia), ("DE036695976", .germany), ("DE13669597", .germany), ("DK0800699", .denmark), ("ES123456789", .spain),
        ("ESI1234567A", .spain), ("FRAB303265045", .france), ("FR4030326504", .france), ("IE1234567", .ireland),
        ("IT00000000157", .italy), ("IT00743112007", .italy), ("LT123456789", .lithuania), ("LV4000352160", .latvia),
        ("NL004495445001", .netherlands), ("NL004495445B00", .netherlands), ("PT013318166", .portugal), ("RO0123", .romania),
        ("SE788894106402", .sweden), ("SK0022749619", .slovakia), ("EL09425921", .greece),
    ]

    @Test(arguments: wrongFormatCases)
    func rejectsWrongShapes(number: String, state: EUMemberState) {
        #expect(throws: VATNumberError.wrongFormat(state, number: number, expected: state.vatFormat)) { try VATNumber(number) }
    }

    static let frenchKeyCases: [(siren: String, vatNumber: String)] = [
        ("303265045", "FR40303265045"), ("732829320", "FR44732829320"), ("552100554", "FR96552100554"), ("404833048", "FR83404833048"),
        ("000000000", "FR12000000000"),
    ]

    @Test(arguments: frenchKeyCases)
    func acceptsAFrenchNumberWhoseKeyMatchesItsSIREN(siren: String, vatNumber: String) throws {
        let number = try VATNumber(vatNumber)
        #expect(number.frenchSIREN == siren)
        #expect(number.checkMethod == .syntaxAndKey)
    }

    @Test func rejectsAFrenchNumberWhoseKeyDoesNotMatchItsSIREN() {
        #expect(throws: VATNumberError.wrongFrenchKey(number: "FR41303265045", expectedKey: "40")) { try VATNumber("FR41303265045") }
        #expect(throws: VATNumberError.wrongFrenchKey(number: "FR40303265046", expectedKey: "43")) { try VATNumber("FR40303265046") }
    }

    @Test func rejectsEmptyAndForeignPrefixes() {
        #expect(throws: VATNumberError.empty) { try VATNumber(" - . ") }
        #expect(throws: VATNumberError.unknownPrefix(number: "GB123456789")) { try VATNumber("GB123456789") }
        #expect(throws: VATNumberError.unknownPrefix(number: "303265045")) { try VATNumber("303265045") }
        #expect(throws: VATNumberError.unknownPrefix(number: "X")) { try VATNumber("x") }
    }

    @Test func messagesNameTheCountryAndTheProblem() {
        let format = VATNumberError.wrongFormat(.germany, number: "DE12", expected: EUMemberState.germany.vatFormat).description
        #expect(format.contains("Germany") && format.contains("DE12") && format.contains("9 digits"))
        let checksum = VATNumberError.wrongChecksum(.italy, number: "IT00743110158").description
        #expect(checksum.contains("Italy") && checksum.contains("check digits"))
        #expect(VATNumberError.wrongFrenchKey(number: "FR41303265045", expectedKey: "40").description.contains("FR40303265045"))
    }

    @Test func greeceUsesTheELPrefixAndGRInAddresses() throws {
        #expect(EUMemberState(isoCode: "GR") == .greece)
        #expect(EUMemberState(vatPrefix: "EL") == .greece)
        #expect(EUMemberState(vatPrefix: "GR") == nil)
        #expect(EUMemberState(isoCode: "CH") == nil)
        #expect(try VATNumber("GR094259216").memberState.isoCode == "GR")
    }

    @Test func formatOnlyStatesAreDeclared() {
        let formatOnly = EUMemberState.allCases.filter { !$0.vatChecksumIsVerified }
        #expect(formatOnly == [.bulgaria, .czechia, .ireland, .latvia, .slovakia])
    }

    @Test func roundTripsThroughCodableAndRejectsInvalidText() throws {
        let encoded = try JSONEncoder().encode([try VATNumber("FR40303265045")])
        #expect(String(decoding: encoded, as: UTF8.self) == "[\"FR40303265045\"]")
        #expect(try JSONDecoder().decode([VATNumber].self, from: encoded) == [try VATNumber("FR40303265045")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([VATNumber].self, from: Data("[\"FR41303265045\"]".utf8)) }
    }
}
