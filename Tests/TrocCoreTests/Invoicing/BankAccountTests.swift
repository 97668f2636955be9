import Testing
import TrocCore

/// IBAN (mod 97, SEPA lengths) and BIC checks.
@Suite struct BankAccountTests {
    static let validIBANCases: [(typed: String, normalized: String, grouped: String)] = [
        ("FR76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189", "FR76 3000 6000 0112 3456 7890 189"),
        ("de89370400440532013000", "DE89370400440532013000", "DE89 3704 0044 0532 0130 00"),
        ("ES91-2100-0418-4502-0005-1332", "ES9121000418450200051332", "ES91 2100 0418 4502 0005 1332"),
        ("NL91ABNA0417164300", "NL91ABNA0417164300", "NL91 ABNA 0417 1643 00"),
        ("IT60X0542811101000000123456", "IT60X0542811101000000123456", "IT60 X054 2811 1010 0000 0123 456"),
        ("GB29NWBK60161331926819", "GB29NWBK60161331926819", "GB29 NWBK 6016 1331 9268 19"),
    ]

    @Test(arguments: validIBANCases)
    func acceptsIBANs(typed: String, normalized: String, grouped: String) throws {
        let iban = try IBAN(typed)
        #expect(iban.text == normalized)
        #expect(iban.grouped == grouped)
    }

    static let invalidIBANCases: [(typed: String, error: BankAccountError)] = [
        ("FR7630006000011234567890188", .ibanWrongChecksum("FR7630006000011234567890188")),
        ("FR7730006000011234567890189", .ibanWrongChecksum("FR7730006000011234567890189")),
        ("FR763000600001123456789018", .ibanWrongLength("FR763000600001123456789018", country: "FR", expected: 27)),
        ("DE8937040044053201300", .ibanWrongLength("DE8937040044053201300", country: "DE", expected: 22)),
        ("7630006000011234567890189", .ibanWrongFormat("7630006000011234567890189")),
        ("FRAB30006000011234567890189", .ibanWrongFormat("FRAB30006000011234567890189")),
        ("FR76", .ibanWrongFormat("FR76")),
        ("FR76 3000 6000 0112 3456 7890 18É", .ibanWrongFormat("FR763000600001123456789018É")),
    ]

    @Test(arguments: invalidIBANCases)
    func rejectsIBANs(typed: String, error: BankAccountError) {
        #expect(throws: error) { try IBAN(typed) }
    }

    @Test(arguments: ["BNPAFRPP", "bnpafrppxxx", "AGRIFRPP882", "DEUTDEFF500"])
    func acceptsBICs(typed: String) throws {
        #expect(try BIC(typed).text == typed.uppercased())
    }

    @Test(arguments: ["BNPAFRP", "BNPAFRPPXX", "BNP1FRPP", "BNPAF1PP", "BNPAFRPP-XX", ""])
    func rejectsBICs(typed: String) {
        #expect(throws: BankAccountError.bicWrongFormat(typed.uppercased())) { try BIC(typed) }
    }

    @Test func messagesSayWhatIsExpected() {
        #expect(BankAccountError.ibanWrongLength("FR76", country: "FR", expected: 27).description.contains("27 characters"))
        #expect(BankAccountError.ibanWrongChecksum("FR76").description.contains("mod 97"))
        #expect(BankAccountError.bicWrongFormat("X").description.contains("8 or 11 characters"))
    }
}
