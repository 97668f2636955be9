/// The French overseas departments, each with its own VAT regime (CGI art. 294 and 296).
public enum OverseasDepartment: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Guadeloupe, postcodes 971xx (except Saint-Barthélemy 97133 and Saint-Martin 97150).
    case guadeloupe = "GP"
    /// Martinique, postcodes 972xx.
    case martinique = "MQ"
    /// Guyane, postcodes 973xx.
    case guyane = "GF"
    /// La Réunion, postcodes 974xx.
    case reunion = "RE"
    /// Mayotte, postcodes 976xx.
    case mayotte = "YT"

    /// The department whose postcodes start with `prefix` (`974`), nil for any other prefix.
    public init?(postcodePrefix prefix: String) {
        guard let department = OverseasDepartment.allCases.first(where: { $0.postcodePrefix == prefix }) else { return nil }
        self = department
    }

    /// The first three digits of its postcodes.
    public var postcodePrefix: String {
        switch self {
        case .guadeloupe: "971"
        case .martinique: "972"
        case .guyane: "973"
        case .reunion: "974"
        case .mayotte: "976"
        }
    }

    /// Its name, as invoices and messages print it.
    public var name: String {
        switch self {
        case .guadeloupe: "Guadeloupe"
        case .martinique: "Martinique"
        case .guyane: "Guyane"
        case .reunion: "La Réunion"
        case .mayotte: "Mayotte"
        }
    }

    /// The standard VAT rate in basis points: 8.5 % in Guadeloupe, Martinique and La Réunion (CGI art. 296-1°); nil in
    /// Guyane and Mayotte, where VAT does not apply (CGI art. 294-1).
    public var standardRateBasisPoints: Int? {
        switch self {
        case .guadeloupe, .martinique, .reunion: 850
        case .guyane, .mayotte: nil
        }
    }

    /// Whether VAT applies there at all.
    public var appliesVAT: Bool { standardRateBasisPoints != nil }

    public var description: String { name }
}

/// Where a firm is established for VAT: metropolitan France, one of the overseas departments, or another EU member state.
///
/// For services between businesses the place of supply is where the buyer is established (CGI art. 259-1°); between
/// metropolitan France and the overseas departments that place decides the rate, with no reverse charge (BOI-TVA-GEO-20-40).
public enum VATTerritory: Hashable, Sendable, CustomStringConvertible {
    /// Metropolitan France, Corsica included: standard rate 20 % (CGI art. 278).
    case metropolitanFrance
    /// An overseas department.
    case overseas(OverseasDepartment)
    /// An EU member state other than France.
    case memberState(EUMemberState)

    /// The territory of `address`, from its country and, in France, its postcode; refuses what Troc cannot invoice.
    public static func of(_ address: PostalAddress) throws(VATTerritoryError) -> VATTerritory {
        let country = address.countryCode
        guard country == "FR" else {
            guard let state = EUMemberState(isoCode: country) else { throw .outsideTheEU(countryCode: country) }
            return .memberState(state)
        }
        let postcode = address.postcode.trimmingSpaces
        guard postcode.isFrenchPostcode else { throw .invalidPostcode(postcode) }
        let prefix = String(postcode.prefix(3))
        if let collectivity = Self.overseasCollectivities[postcode] ?? Self.overseasCollectivities[prefix] {
            throw .overseasCollectivity(postcode: postcode, name: collectivity)
        }
        if let department = OverseasDepartment(postcodePrefix: prefix) { return .overseas(department) }
        if postcode.hasPrefix("97") || postcode.hasPrefix("98") {
            throw .overseasCollectivity(postcode: postcode, name: "a collectivité d'outre-mer")
        }
        return .metropolitanFrance
    }

    /// Overseas collectivities whose postcodes look like a department's or sit next to them; each has its own tax system.
    static let overseasCollectivities = [
        "97133": "Saint-Barthélemy", "97150": "Saint-Martin", "975": "Saint-Pierre-et-Miquelon", "977": "Saint-Barthélemy",
        "978": "Saint-Martin", "984": "the Terres australes et antarctiques françaises", "986": "Wallis-et-Futuna",
        "987": "French Polynesia", "988": "New Caledonia",
    ]

    /// The standard rate a service supplied there bears, in basis points; nil where VAT does not apply or the buyer
    /// accounts for it (another member state).
    public var domesticStandardRateBasisPoints: Int? {
        switch self {
        case .metropolitanFrance: 2000
        case .overseas(let department): department.standardRateBasisPoints
        case .memberState: nil
        }
    }

    /// Whether it is part of France (metropolitan or overseas).
    public var isFrench: Bool {
        if case .memberState = self { return false }
        return true
    }

    /// Whether French e-invoicing applies between firms established there: metropolitan France and the departments
    /// where VAT applies; Guyane and Mayotte only e-report (CGI art. 289 bis).
    public var isInFrenchEInvoicing: Bool {
        switch self {
        case .metropolitanFrance: true
        case .overseas(let department): department.appliesVAT
        case .memberState: false
        }
    }

    /// `France métropolitaine`, `La Réunion`, `Allemagne`: the name a French page prints.
    public var frenchName: String {
        switch self {
        case .metropolitanFrance: "France métropolitaine"
        case .overseas(let department): department.name
        case .memberState(let state): state.frenchName
        }
    }

    /// `metropolitan France`, `La Réunion`, `Germany`.
    public var description: String {
        switch self {
        case .metropolitanFrance: "metropolitan France"
        case .overseas(let department): department.name
        case .memberState(let state): state.name
        }
    }
}

extension VATTerritory: RawRepresentable, Codable {
    /// `FR` for metropolitan France, the ISO 3166-1 code of an overseas department (`RE`) or of a member state (`DE`).
    public var rawValue: String {
        switch self {
        case .metropolitanFrance: "FR"
        case .overseas(let department): department.rawValue
        case .memberState(let state): state.isoCode
        }
    }

    /// The territory with that code.
    public init?(rawValue: String) {
        if rawValue == "FR" {
            self = .metropolitanFrance
        } else if let department = OverseasDepartment(rawValue: rawValue) {
            self = .overseas(department)
        } else if let state = EUMemberState(isoCode: rawValue) {
            self = .memberState(state)
        } else {
            return nil
        }
    }

    /// Decodes the code.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let code = try container.decode(String.self)
        guard let territory = VATTerritory(rawValue: code) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(code) is not FR, an overseas department or a member state")
        }
        self = territory
    }

    /// Encodes the code.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Why an address has no VAT territory Troc can invoice in.
public enum VATTerritoryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The country is not an EU member state.
    case outsideTheEU(countryCode: String)
    /// Not a 5-digit French postcode.
    case invalidPostcode(String)
    /// A collectivité d'outre-mer (Saint-Barthélemy, Saint-Martin, New Caledonia…): outside French VAT.
    case overseasCollectivity(postcode: String, name: String)

    public var description: String {
        switch self {
        case .outsideTheEU(let country):
            "\(country) is not an EU member state; Troc serves firms established in France or another member state"
        case .invalidPostcode(let postcode):
            "\"\(postcode)\" is not a French postcode; give its 5 digits, e.g. 69001 or 97400"
        case .overseasCollectivity(let postcode, let name):
            "postcode \(postcode) is in \(name), which has its own tax system outside French VAT (CGI art. 294); "
                + "Troc serves metropolitan France and the overseas departments (971, 972, 973, 974, 976)"
        }
    }
}
