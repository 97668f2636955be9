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
        }
    }

    /// Header spellings seen in French and English exports, compared after folding (see `fold`).
    var synonyms: [String] {
        switch self {
        case .civility: ["civilite", "civ", "titre", "title", "salutation", "genre", "gender", "mmemr", "mme/m"]
        case .lastName: ["nom", "nomdefamille", "lastname", "surname", "familyname", "nomcontact", "nomdenaissance"]
        case .firstName: ["prenom", "firstname", "givenname", "prenomcontact"]
        case .fullName: ["nomcomplet", "fullname", "name", "contact", "nomprenom", "prenomnom", "nometprenom"]
        case .email:
            [
                "email", "mail", "courriel", "adresseemail", "adressemail", "adresseelectronique", "emailaddress", "mailaddress",
                "adressecourriel", "emailcontact", "emailpro", "emailprofessionnel", "emailperso",
            ]
        case .phone:
            [
                "telephone", "tel", "phone", "phonenumber", "numerodetelephone", "numerotelephone", "notelephone", "portable", "mobile",
                "gsm", "telportable", "telephoneportable", "telephonemobile", "telmobile", "cellulaire", "mobilephone", "cellphone",
                "tel1", "telephone1", "fixe", "telfixe", "telephonefixe", "landline", "mobilephonenumber",
            ]
        case .secondPhone: ["telephone2", "tel2", "phone2", "autretelephone", "telephonesecondaire"]
        case .address:
            [
                "adresse", "adressepostale", "address", "rue", "street", "streetaddress", "adresse1", "adresseligne1", "addressline1", "voie",
                "numeroetrue",
            ]
        case .postalCode: ["codepostal", "cp", "postalcode", "zip", "zipcode", "postcode"]
        case .city: ["ville", "commune", "city", "localite", "town"]
        case .country: ["pays", "country"]
        case .company:
            [
                "raisonsociale", "societe", "entreprise", "company", "companyname", "organisation", "organization", "denomination",
                "nomentreprise", "nomsociete", "enseigne", "etablissement",
            ]
        case .siret: ["siret", "siren", "sirensiret", "siretsiren", "nsiret", "nosiret", "numerosiret", "numerosiren", "companyid"]
        case .naf: ["naf", "codenaf", "ape", "codeape", "nafape", "apenaf", "codenafape", "activitycode", "nace"]
        case .source: ["source", "origine", "provenance", "canal", "origin", "sourcecontact", "sourcedecollecte", "leadsource", "originalsource"]
        case .collectedOn:
            [
                "datedecollecte", "datecollecte", "collecte", "datedinscription", "dateinscription", "datedecreation", "datecreation",
                "collectiondate", "collectedon", "createdat", "createdate", "dateajout", "datedajout", "dateoptin",
            ]
        case .consent:
            ["consentement", "optin", "consent", "accord", "rgpd", "optinemail", "accepte", "consentementrgpd", "optinmail", "gdprconsent"]
        case .lastContactOn:
            [
                "datederniercontact", "dateduderniercontact", "datedederniercontact", "derniercontact", "lastcontact", "lastcontacted",
                "lastcontactdate", "datedernierechange", "datedederniereinteraction", "lastactivitydate", "datedernieractivite",
            ]
        case .segment: ["typecontact", "typedecontact", "type", "segment", "b2bb2c", "cible", "particulierprofessionnel", "clientele"]
        }
    }

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
