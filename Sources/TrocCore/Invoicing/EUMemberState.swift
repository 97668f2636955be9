/// The 27 member states of the European Union, keyed by ISO 3166-1 alpha-2 code, for VAT decisions.
public enum EUMemberState: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    case austria = "AT"
    case belgium = "BE"
    case bulgaria = "BG"
    case cyprus = "CY"
    case czechia = "CZ"
    case germany = "DE"
    case denmark = "DK"
    case estonia = "EE"
    case spain = "ES"
    case finland = "FI"
    case france = "FR"
    case greece = "GR"
    case croatia = "HR"
    case hungary = "HU"
    case ireland = "IE"
    case italy = "IT"
    case lithuania = "LT"
    case luxembourg = "LU"
    case latvia = "LV"
    case malta = "MT"
    case netherlands = "NL"
    case poland = "PL"
    case portugal = "PT"
    case romania = "RO"
    case sweden = "SE"
    case slovenia = "SI"
    case slovakia = "SK"

    /// The member state whose ISO country code is `isoCode` (`GR` for Greece), or nil outside the EU.
    public init?(isoCode: String) {
        self.init(rawValue: isoCode)
    }

    /// The member state whose VAT numbers start with `prefix` (`EL` for Greece), or nil.
    public init?(vatPrefix prefix: String) {
        guard let state = EUMemberState.allCases.first(where: { $0.vatPrefix == prefix }) else { return nil }
        self = state
    }

    /// The ISO 3166-1 alpha-2 code, as in postal addresses.
    public var isoCode: String { rawValue }

    /// The two letters that start this state's VAT numbers: the ISO code, except `EL` for Greece.
    public var vatPrefix: String { self == .greece ? "EL" : rawValue }

    /// The English name, for error messages.
    public var name: String {
        switch self {
        case .austria: "Austria"
        case .belgium: "Belgium"
        case .bulgaria: "Bulgaria"
        case .cyprus: "Cyprus"
        case .czechia: "Czechia"
        case .germany: "Germany"
        case .denmark: "Denmark"
        case .estonia: "Estonia"
        case .spain: "Spain"
        case .finland: "Finland"
        case .france: "France"
        case .greece: "Greece"
        case .croatia: "Croatia"
        case .hungary: "Hungary"
        case .ireland: "Ireland"
        case .italy: "Italy"
        case .lithuania: "Lithuania"
        case .luxembourg: "Luxembourg"
        case .latvia: "Latvia"
        case .malta: "Malta"
        case .netherlands: "the Netherlands"
        case .poland: "Poland"
        case .portugal: "Portugal"
        case .romania: "Romania"
        case .sweden: "Sweden"
        case .slovenia: "Slovenia"
        case .slovakia: "Slovakia"
        }
    }

    public var description: String { name }
}
