/// The broker's identity and invoicing terms (`trocd admin settings`), checked as a whole when built.
public struct BrokerInvoicingSettings: Hashable, Sendable, Encodable {
    /// Legal name, printed as seller of commission invoices and as issuer of mandate invoices.
    public let legalName: String
    /// Registered address; the broker is established in France.
    public let address: PostalAddress
    /// The broker's SIREN.
    public let siren: String
    /// The broker's French VAT number, matching its SIREN.
    public let vatNumber: VATNumber
    /// The account partners pay into.
    public let iban: IBAN
    /// The bank of that account.
    public let bic: BIC
    /// Commission on the exchange net a partner received, in basis points (500 = 5 %).
    public let commissionBasisPoints: Int
    /// Lowest price a deal may agree per 1,000 addresses.
    public let minimumPricePer1000: Money
    /// Highest price a deal may agree per 1,000 addresses.
    public let maximumPricePer1000: Money
    /// Days from the issue date to the due date.
    public let paymentTermsDays: Int
    /// Late-payment penalty rate printed on every invoice.
    public let latePenalty: LatePenaltyRate
    /// Start of every invoice number the broker allocates, `TR` in `TR2026-000042`.
    public let seriesPrefix: String

    /// The price bounds DOMAIN.md sets by default: 20 € to 35 € per 1,000 addresses.
    public static let defaultPriceBounds = Money(cents: 2000)...Money(cents: 3500)
    /// The commission rates the broker may set, 0 % to 50 %.
    public static let commissionRange = 0...5000
    /// Payment terms allowed by C. com. L441-10: at most 60 days from the issue date.
    public static let paymentTermsRange = 0...60
    /// A ceiling on prices that keeps every product of the invoicing arithmetic within 64 bits.
    public static let priceCeiling = Money(cents: 100_000_000)

    /// Checks every field and reports all problems at once, so an operator fixes them in one go.
    public init(
        legalName: String, address: PostalAddress, siren: String, vatNumber: String, iban: String, bic: String, commissionBasisPoints: Int,
        minimumPricePer1000: Money = defaultPriceBounds.lowerBound, maximumPricePer1000: Money = defaultPriceBounds.upperBound,
        paymentTermsDays: Int, latePenalty: LatePenaltyRate, seriesPrefix: String
    ) throws(BrokerSettingsError) {
        var problems: [BrokerSettingsProblem] = []
        for (field, value) in [("legalName", legalName), ("address.street", address.street), ("address.city", address.city)]
        where value.trimmingSpaces.isEmpty {
            problems.append(.emptyField(field))
        }
        if address.countryCode != "FR" { problems.append(.notEstablishedInFrance(countryCode: address.countryCode)) }
        if !address.postcode.isFrenchPostcode {
            problems.append(.invalidPostcode(address.postcode))
        } else if address.countryCode == "FR" {
            do { _ = try VATTerritory.of(address) } catch { problems.append(.outsideFrenchVAT(error)) }
        }
        let sirenIsWellFormed = siren.isNineDigits
        if !sirenIsWellFormed { problems.append(.invalidSIREN(siren)) }
        var checkedVAT: VATNumber?
        do {
            let number = try VATNumber(vatNumber)
            if sirenIsWellFormed, number.frenchSIREN != siren {
                problems.append(.vatNumberDoesNotMatchSIREN(vatNumber: number.text, siren: siren))
            }
            checkedVAT = number
        } catch {
            problems.append(.invalidVATNumber(error))
        }
        var checkedIBAN: IBAN?
        do { checkedIBAN = try IBAN(iban) } catch { problems.append(.invalidIBAN(error)) }
        var checkedBIC: BIC?
        do { checkedBIC = try BIC(bic) } catch { problems.append(.invalidBIC(error)) }
        if !BrokerInvoicingSettings.commissionRange.contains(commissionBasisPoints) {
            problems.append(.commissionOutOfRange(commissionBasisPoints))
        }
        if minimumPricePer1000 <= .zero || maximumPricePer1000 > BrokerInvoicingSettings.priceCeiling {
            problems.append(.priceBoundsOutOfRange(minimum: minimumPricePer1000, maximum: maximumPricePer1000))
        } else if minimumPricePer1000 > maximumPricePer1000 {
            problems.append(.priceBoundsInverted(minimum: minimumPricePer1000, maximum: maximumPricePer1000))
        }
        if !BrokerInvoicingSettings.paymentTermsRange.contains(paymentTermsDays) {
            problems.append(.paymentTermsOutOfRange(paymentTermsDays))
        }
        if let problem = latePenalty.problem { problems.append(problem) }
        if !seriesPrefix.isSeriesPrefix { problems.append(.invalidSeriesPrefix(seriesPrefix)) }
        guard problems.isEmpty, let checkedVAT, let checkedIBAN, let checkedBIC else { throw BrokerSettingsError(problems: problems) }
        self.legalName = legalName.trimmingSpaces
        self.address = address
        self.siren = siren
        self.vatNumber = checkedVAT
        self.iban = checkedIBAN
        self.bic = checkedBIC
        self.commissionBasisPoints = commissionBasisPoints
        self.minimumPricePer1000 = minimumPricePer1000
        self.maximumPricePer1000 = maximumPricePer1000
        self.paymentTermsDays = paymentTermsDays
        self.latePenalty = latePenalty
        self.seriesPrefix = seriesPrefix
    }

    /// The broker as the seller of its commission invoices and the payee of mandate invoices.
    public var party: InvoiceParty {
        InvoiceParty(name: legalName, address: address, siren: siren, foreignRegistrationID: nil, vatNumber: vatNumber)
    }
}

extension BrokerInvoicingSettings: Decodable {
    /// The stored field names, those of the properties.
    private enum CodingKeys: String, CodingKey {
        case legalName, address, siren, vatNumber, iban, bic, commissionBasisPoints, minimumPricePer1000, maximumPricePer1000
        case paymentTermsDays, latePenalty, seriesPrefix
    }

    /// Decodes stored settings and checks them again, so a hand-edited row cannot bypass the rules.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            legalName: container.decode(String.self, forKey: .legalName), address: container.decode(PostalAddress.self, forKey: .address),
            siren: container.decode(String.self, forKey: .siren), vatNumber: container.decode(String.self, forKey: .vatNumber),
            iban: container.decode(String.self, forKey: .iban), bic: container.decode(String.self, forKey: .bic),
            commissionBasisPoints: container.decode(Int.self, forKey: .commissionBasisPoints),
            minimumPricePer1000: container.decode(Money.self, forKey: .minimumPricePer1000),
            maximumPricePer1000: container.decode(Money.self, forKey: .maximumPricePer1000),
            paymentTermsDays: container.decode(Int.self, forKey: .paymentTermsDays),
            latePenalty: container.decode(LatePenaltyRate.self, forKey: .latePenalty),
            seriesPrefix: container.decode(String.self, forKey: .seriesPrefix))
    }
}

/// The late-payment penalty rate (C. com. L441-10), kept structured so that its legal floor can be checked and
/// the `#PMD#` note and the HTML print the same words.
///
/// The law sets a floor of three times the legal interest rate and, when the contract is silent, the ECB
/// refinancing rate plus 10 points; both are variable rates, so the usual mention names the rule rather
/// than a figure. A fixed annual rate is also allowed; its floor moves every half-year with the legal rate,
/// so only its positivity is checked here.
public enum LatePenaltyRate: Hashable, Sendable, Codable {
    /// `n` times the legal interest rate; n ≥ 3.
    case legalInterestMultiple(Int)
    /// The ECB main refinancing rate plus some basis points (1000 = the statutory 10 points).
    case ecbRefinancingRatePlus(basisPoints: Int)
    /// A fixed annual rate in basis points (1200 = 12 %).
    case annualRate(basisPoints: Int)

    /// The mention as printed: `3 fois le taux d'intérêt légal`.
    public var frenchText: String {
        switch self {
        case .legalInterestMultiple(let multiple):
            "\(multiple) fois le taux d'intérêt légal"
        case .ecbRefinancingRatePlus(let basisPoints):
            "taux de refinancement de la BCE majoré de \(FrenchText.percentage(basisPoints: basisPoints)) points de pourcentage"
        case .annualRate(let basisPoints):
            "\(FrenchText.percentage(basisPoints: basisPoints)) % par an"
        }
    }

    var problem: BrokerSettingsProblem? {
        switch self {
        case .legalInterestMultiple(let multiple): multiple >= 3 ? nil : .latePenaltyTooLow(self)
        case .ecbRefinancingRatePlus(let basisPoints), .annualRate(let basisPoints): basisPoints > 0 ? nil : .latePenaltyTooLow(self)
        }
    }
}

/// One thing wrong with proposed broker settings, naming the field and what to do.
public enum BrokerSettingsProblem: Hashable, Sendable, CustomStringConvertible {
    /// A required text field is empty.
    case emptyField(String)
    /// The broker's address is outside France.
    case notEstablishedInFrance(countryCode: String)
    /// Not a 5-digit French postcode.
    case invalidPostcode(String)
    /// A postcode of an overseas collectivity, outside French VAT.
    case outsideFrenchVAT(VATTerritoryError)
    /// Not 9 digits.
    case invalidSIREN(String)
    /// The VAT number does not parse.
    case invalidVATNumber(VATNumberError)
    /// The VAT number is valid but belongs to another SIREN.
    case vatNumberDoesNotMatchSIREN(vatNumber: String, siren: String)
    /// The IBAN does not parse.
    case invalidIBAN(BankAccountError)
    /// The BIC does not parse.
    case invalidBIC(BankAccountError)
    /// The commission is outside 0…5000 basis points.
    case commissionOutOfRange(Int)
    /// A bound is not positive or exceeds the ceiling.
    case priceBoundsOutOfRange(minimum: Money, maximum: Money)
    /// The minimum is above the maximum.
    case priceBoundsInverted(minimum: Money, maximum: Money)
    /// Payment terms outside 0…60 days.
    case paymentTermsOutOfRange(Int)
    /// A penalty rate below the legal floor.
    case latePenaltyTooLow(LatePenaltyRate)
    /// Not 1 to 8 upper-case letters or digits starting with a letter.
    case invalidSeriesPrefix(String)

    /// The setting the problem is about, by its field name (`commissionBasisPoints`, `address.postcode`).
    public var field: String {
        switch self {
        case .emptyField(let field): field
        case .notEstablishedInFrance: "address.countryCode"
        case .invalidPostcode, .outsideFrenchVAT: "address.postcode"
        case .invalidSIREN: "siren"
        case .invalidVATNumber, .vatNumberDoesNotMatchSIREN: "vatNumber"
        case .invalidIBAN: "iban"
        case .invalidBIC: "bic"
        case .commissionOutOfRange: "commissionBasisPoints"
        case .priceBoundsOutOfRange, .priceBoundsInverted: "minimumPricePer1000"
        case .paymentTermsOutOfRange: "paymentTermsDays"
        case .latePenaltyTooLow: "latePenalty"
        case .invalidSeriesPrefix: "seriesPrefix"
        }
    }

    /// What is wrong with that setting, without its name.
    public var detail: String {
        switch self {
        case .emptyField:
            "must not be empty"
        case .notEstablishedInFrance(let code):
            "the broker must be established in France (FR), got \"\(code)\""
        case .invalidPostcode(let postcode):
            "\"\(postcode)\" is not a French postcode; give its 5 digits, e.g. 75002"
        case .outsideFrenchVAT(let error):
            error.description
        case .invalidSIREN(let siren):
            "\"\(siren)\" is not a SIREN; give its 9 digits without spaces"
        case .invalidVATNumber(let error):
            "\(error)"
        case .vatNumberDoesNotMatchSIREN(let vatNumber, let siren):
            "\(vatNumber) belongs to SIREN \(vatNumber.suffix(9)), not to the broker's SIREN \(siren); give the broker's own VAT number"
        case .invalidIBAN(let error):
            "\(error)"
        case .invalidBIC(let error):
            "\(error)"
        case .commissionOutOfRange(let basisPoints):
            "\(basisPoints) is outside \(BrokerInvoicingSettings.commissionRange.lowerBound)…"
                + "\(BrokerInvoicingSettings.commissionRange.upperBound) (0 % to 50 %); 500 means 5 %"
        case .priceBoundsOutOfRange(let minimum, let maximum):
            "\(minimum.frenchString)…\(maximum.frenchString) (with maximumPricePer1000) must be above 0 € "
                + "and at most \(BrokerInvoicingSettings.priceCeiling.frenchString) per 1 000 addresses"
        case .priceBoundsInverted(let minimum, let maximum):
            "\(minimum.frenchString) is above maximumPricePer1000 \(maximum.frenchString); swap them"
        case .paymentTermsOutOfRange(let days):
            "\(days) is outside 0…60; C. com. L441-10 caps payment terms at 60 days from the invoice date"
        case .latePenaltyTooLow(let rate):
            "\"\(rate.frenchText)\" is below the legal floor (C. com. L441-10: at least 3 times the legal interest rate)"
        case .invalidSeriesPrefix(let prefix):
            "\"\(prefix)\" must be 1 to 8 upper-case letters or digits starting with a letter, e.g. TR"
        }
    }

    public var description: String { "\(field): \(detail)" }
}

/// Everything wrong with proposed broker settings.
public struct BrokerSettingsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The problems, in the order of the fields.
    public let problems: [BrokerSettingsProblem]

    /// An error listing `problems`.
    public init(problems: [BrokerSettingsProblem]) {
        self.problems = problems
    }

    public var description: String {
        "invalid broker settings:\n" + problems.map { "- \($0)" }.joined(separator: "\n")
    }
}
