/// The fields of a contact that the reader recognises, whatever the file calls them.
public enum ContactField: String, CaseIterable, Codable, Sendable {
    case civility
    case lastName
    case firstName
    case fullName
    case email
    case phone
    case secondPhone
    case address
    case postalCode
    case city
    case country
    case company
    case siret
    case naf
    case source
    case collectedOn
    case consent
    case lastContactOn
    case segment
    case consentEmail
    case consentPhone
    case consentSMS
    case emailOptOut
    case phoneOptOut
    case smsOptOut
    case consentEmailOn
    case consentPhoneOn
    case consentSMSOn
    case consentDate
    case consentProof
    case partnerConsent
    case lastInboundOn
    case lastContactDirection

    /// The column name in the canonical files Troc writes (`to-a.csv`, `to-b.csv`, deliveries).
    public var canonicalHeader: String {
        switch self {
        case .civility: "civilite"
        case .lastName: "nom"
        case .firstName: "prenom"
        case .fullName: "nom_complet"
        case .email: "email"
        case .phone: "telephone"
        case .secondPhone: "telephone_2"
        case .address: "adresse"
        case .postalCode: "code_postal"
        case .city: "ville"
        case .country: "pays"
        case .company: "raison_sociale"
        case .siret: "siret"
        case .naf: "code_naf"
        case .source: "source"
        case .collectedOn: "date_collecte"
        case .consent: "consentement"
        case .lastContactOn: "date_dernier_contact"
        case .segment: "type_contact"
        case .consentEmail: "consentement_email"
        case .consentPhone: "consentement_telephone"
        case .consentSMS: "consentement_sms"
        case .emailOptOut: "opposition_email"
        case .phoneOptOut: "opposition_telephone"
        case .smsOptOut: "opposition_sms"
        case .consentEmailOn: "date_consentement_email"
        case .consentPhoneOn: "date_consentement_telephone"
        case .consentSMSOn: "date_consentement_sms"
        case .consentDate: "date_consentement"
        case .consentProof: "preuve_consentement"
        case .partnerConsent: "cession_partenaires"
        case .lastInboundOn: "date_dernier_contact_entrant"
        case .lastContactDirection: "sens_dernier_contact"
        }
    }

    /// Whether a yes in this column means the person refused the channel (opt-out, do-not-call, blacklisted).
    public var isNegated: Bool { self == .emailOptOut || self == .phoneOptOut || self == .smsOptOut }

    /// Folds a header for comparison: accents removed, lowercase, and only letters and digits kept,
    /// so `Téléphone`, `TELEPHONE` and `télé-phone` meet.
    static func fold(_ header: String) -> String {
        var result = ""
        for scalar in header.unicodeScalars {
            let base = accentFolding[scalar] ?? scalar
            for lower in String(base).lowercased().unicodeScalars where lower.properties.isAlphabetic || lower.properties.numericType != nil {
                result.unicodeScalars.append(lower)
            }
        }
        return result
    }

    private static let accentFolding: [Unicode.Scalar: Unicode.Scalar] = {
        let pairs = [
            ("àâäáãå", "a"), ("ÀÂÄÁÃÅ", "A"), ("çć", "c"), ("ÇĆ", "C"), ("éèêë", "e"), ("ÉÈÊË", "E"), ("îïíì", "i"), ("ÎÏÍÌ", "I"),
            ("ôöóòõ", "o"), ("ÔÖÓÒÕ", "O"), ("ûüúù", "u"), ("ÛÜÚÙ", "U"), ("ÿ", "y"), ("Ÿ", "Y"), ("ñ", "n"), ("Ñ", "N"), ("°", "o"),
            ("œ", "o"), ("Œ", "O"),
        ]
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (accented, base) in pairs {
            for scalar in accented.unicodeScalars { table[scalar] = base.unicodeScalars.first! }
        }
        return table
    }()

    private static let fieldBySynonym: [String: ContactField] = {
        var table: [String: ContactField] = [:]
        for field in allCases {
            for synonym in field.synonyms where table[synonym] == nil { table[synonym] = field }
            table[fold(field.canonicalHeader)] = table[fold(field.canonicalHeader)] ?? field
            table[fold(field.rawValue)] = table[fold(field.rawValue)] ?? field
        }
        return table
    }()

    /// The field a header names, if any.
    public static func recognise(_ header: String) -> ContactField? {
        fieldBySynonym[fold(header)]
    }

    /// Parses a field name given in a `--map` override (its raw value, canonical header or a synonym).
    public static func named(_ name: String) -> ContactField? {
        allCases.first { $0.rawValue.lowercased() == name.lowercased() } ?? recognise(name)
    }
}
