import Foundation
import Testing
import TrocCore

/// Broker settings validation, one problem at a time and all at once.
@Suite struct BrokerInvoicingSettingsTests {
    @Test func acceptsValidSettingsWithTheDefaultPriceBounds() throws {
        let settings = try BrokerInvoicingSettings(
            legalName: "  Courtier Fichiers SAS ", address: InvoicingFixtures.brokerAddress, siren: "303265045", vatNumber: "fr 40 303 265 045",
            iban: "FR76 3000 6000 0112 3456 7890 189", bic: "agrifrpp", commissionBasisPoints: 500, paymentTermsDays: 30,
            latePenalty: .legalInterestMultiple(3), seriesPrefix: "TR")
        #expect(settings.legalName == "Courtier Fichiers SAS")
        #expect(settings.vatNumber.text == "FR40303265045")
        #expect(settings.iban.text == "FR7630006000011234567890189")
        #expect(settings.bic.text == "AGRIFRPP")
        #expect(settings.minimumPricePer1000 == Money(cents: 2000))
        #expect(settings.maximumPricePer1000 == Money(cents: 3500))
        #expect(settings.party.siren == "303265045")
    }

    static let problemCases: [(name: String, problem: BrokerSettingsProblem)] = [
        ("commission above 50 %", .commissionOutOfRange(5001)),
        ("negative commission", .commissionOutOfRange(-1)),
        ("inverted bounds", .priceBoundsInverted(minimum: Money(cents: 3500), maximum: Money(cents: 2000))),
        ("zero minimum", .priceBoundsOutOfRange(minimum: .zero, maximum: Money(cents: 3500))),
        ("bad IBAN", .invalidIBAN(.ibanWrongChecksum("FR7630006000011234567890188"))),
        ("bad BIC", .invalidBIC(.bicWrongFormat("AGRI"))),
        ("VAT of another company", .vatNumberDoesNotMatchSIREN(vatNumber: "FR44732829320", siren: "303265045")),
        ("bad VAT key", .invalidVATNumber(.wrongFrenchKey(number: "FR41303265045", expectedKey: "40"))),
        ("SIREN not 9 digits", .invalidSIREN("30326504")),
        ("terms above 60 days", .paymentTermsOutOfRange(61)),
        ("penalty below the floor", .latePenaltyTooLow(.legalInterestMultiple(2))),
        ("zero fixed penalty", .latePenaltyTooLow(.annualRate(basisPoints: 0))),
        ("lower-case prefix", .invalidSeriesPrefix("tr")),
        ("prefix too long", .invalidSeriesPrefix("TROCTROCT")),
        ("prefix starting with a digit", .invalidSeriesPrefix("2TR")),
        ("empty name", .emptyField("legalName")),
        ("broker abroad", .notEstablishedInFrance(countryCode: "BE")),
        ("bad postcode", .invalidPostcode("7502")),
    ]

    @Test(arguments: problemCases)
    func reportsEachProblem(name: String, problem: BrokerSettingsProblem) {
        var legalName = "Courtier Fichiers SAS"
        var address = InvoicingFixtures.brokerAddress
        var siren = "303265045"
        var vatNumber = "FR40303265045"
        var iban = "FR7630006000011234567890189"
        var bic = "AGRIFRPP"
        var commission = 500
        var bounds = (Money(cents: 2000), Money(cents: 3500))
        var terms = 30
        var penalty = LatePenaltyRate.legalInterestMultiple(3)
        var prefix = "TR"
        switch problem {
        case .commissionOutOfRange(let value): commission = value
        case .priceBoundsInverted(let minimum, let maximum), .priceBoundsOutOfRange(let minimum, let maximum): bounds = (minimum, maximum)
        case .invalidIBAN(.ibanWrongChecksum(let value)): iban = value
        case .invalidBIC(.bicWrongFormat(let value)): bic = value
        case .vatNumberDoesNotMatchSIREN(let value, _): vatNumber = value
        case .invalidVATNumber(.wrongFrenchKey(let value, _)): vatNumber = value
        case .invalidSIREN(let value):
            siren = value
            vatNumber = "FR23030326504"
        case .paymentTermsOutOfRange(let value): terms = value
        case .latePenaltyTooLow(let value): penalty = value
        case .invalidSeriesPrefix(let value): prefix = value
        case .emptyField: legalName = " "
        case .notEstablishedInFrance(let code): address.countryCode = code
        case .invalidPostcode(let value): address.postcode = value
        default: Issue.record("no input for \(problem)")
        }
        #expect(throws: BrokerSettingsError(problems: [problem]), "\(name)") {
            try BrokerInvoicingSettings(
                legalName: legalName, address: address, siren: siren, vatNumber: vatNumber, iban: iban, bic: bic, commissionBasisPoints: commission,
                minimumPricePer1000: bounds.0, maximumPricePer1000: bounds.1, paymentTermsDays: terms, latePenalty: penalty, seriesPrefix: prefix)
        }
    }

    @Test func reportsEveryProblemAtOnce() throws {
        let error = try #require(throws: BrokerSettingsError.self) {
            try BrokerInvoicingSettings(
                legalName: "", address: InvoicingFixtures.brokerAddress, siren: "303265045", vatNumber: "FR00", iban: "FR00", bic: "X",
                commissionBasisPoints: 9000, paymentTermsDays: 90, latePenalty: .legalInterestMultiple(3), seriesPrefix: "TR")
        }
        #expect(error.problems.count == 6)
        #expect(error.description.contains("commissionBasisPoints: 9000"))
        #expect(error.description.contains("paymentTermsDays: 90"))
        #expect(error.description.contains("iban:"))
    }

    static let penaltyCases: [(rate: LatePenaltyRate, text: String)] = [
        (.legalInterestMultiple(3), "3 fois le taux d'intérêt légal"),
        (.ecbRefinancingRatePlus(basisPoints: 1000), "taux de refinancement de la BCE majoré de 10 points de pourcentage"),
        (.annualRate(basisPoints: 1250), "12,5 % par an"),
    ]

    @Test(arguments: penaltyCases)
    func printsThePenaltyRate(rate: LatePenaltyRate, text: String) {
        #expect(rate.frenchText == text)
    }

    @Test func decodingChecksTheStoredSettingsAgain() throws {
        let settings = try InvoicingFixtures.settings()
        let json = try JSONEncoder().encode(settings)
        #expect(try JSONDecoder().decode(BrokerInvoicingSettings.self, from: json) == settings)
        let tampered = String(decoding: json, as: UTF8.self).replacingOccurrences(
            of: "\"commissionBasisPoints\":500", with: "\"commissionBasisPoints\":7000")
        #expect(tampered != String(decoding: json, as: UTF8.self))
        #expect(throws: BrokerSettingsError(problems: [.commissionOutOfRange(7000)])) {
            try JSONDecoder().decode(BrokerInvoicingSettings.self, from: Data(tampered.utf8))
        }
    }
}
