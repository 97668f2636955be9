/// A contact's consent to prospecting, as the file records it.
public enum Consent: Hashable, Sendable {
    /// Nothing recorded.
    case unknown
    /// An opt-in, possibly with the date it was given.
    case given(on: CivilDate?)
    /// The person refused or objected: never exchangeable.
    case refused
}

/// Who initiated a contact the file records.
public enum ContactDirection: Sendable {
    /// The person did (a request, a reply): it restarts the freshness window.
    case inbound
    /// The firm did (a call, a mailing): it does not.
    case outbound
}

/// Whether a contact is a business (professional address, company) or a consumer.
public enum Segment: UInt8, Codable, Sendable {
    case b2b = 1
    case b2c = 2

    /// Failing closed (README, "The rules, in short"): a business names a company (name, SIREN or SIRET) and its email,
    /// if any, is not at a webmail or consumer ISP; everyone else is a consumer.
    static func derive(hasCompany: Bool, hasCompanyIdentifier: Bool, consumerDomain: Bool) -> Segment {
        (hasCompany || hasCompanyIdentifier) && !consumerDomain ? .b2b : .b2c
    }
}

/// Parsers for the smaller values of a row: consent, dates, the B2B/B2C column.
public enum ValueParsers {
    /// Parses a consent cell: oui/non, yes/no, 1/0, true/false, vrai/faux, x, opt-in/opt-out, a CRM's
    /// subscribed/unsubscribed, or a date (an opt-in on that date). "No consent", "pending" or "unknown"
    /// record nothing: a pending double opt-in is not a consent.
    static func consent(_ raw: UnsafeBufferPointer<UInt8>) -> Result<Consent, RejectionReason> {
        let value = ByteText.trimmed(raw)
        if value.isEmpty { return .success(.unknown) }
        for word in yesWords where ByteText.equalsIgnoringCase(value, word) { return .success(.given(on: nil)) }
        for word in noWords where ByteText.equalsIgnoringCase(value, word) { return .success(.refused) }
        for word in nothingWords where ByteText.equalsIgnoringCase(value, word) { return .success(.unknown) }
        if case .success(let date) = self.date(value) { return .success(.given(on: date)) }
        return .failure(.consentUnrecognised)
    }

    private static let yesWords: [StaticString] = [
        "oui", "o", "yes", "y", "1", "true", "vrai", "x", "opt-in", "optin", "opt in", "ok", "accepte", "accepté", "d'accord",
        "subscribed", "opted in", "granted", "inscrit", "abonné", "abonne", "consenti",
    ]
    private static let noWords: [StaticString] = [
        "non", "n", "no", "0", "false", "faux", "opt-out", "optout", "opt out", "refus", "refuse", "refusé", "opposé", "oppose",
        "unsubscribed", "opted out", "revoked", "désinscrit", "desinscrit", "désabonné", "desabonne", "retiré", "retire",
    ]
    private static let nothingWords: [StaticString] = [
        "no consent", "non renseigné", "non renseigne", "nc", "n/a", "inconnu", "unknown", "pending", "en attente", "archived", "archivé",
    ]

    /// Parses who initiated a contact: the person (inbound: a request, a reply) or the firm (outbound).
    static func direction(_ raw: UnsafeBufferPointer<UInt8>) -> Result<ContactDirection?, RejectionReason> {
        let value = ByteText.trimmed(raw)
        if value.isEmpty { return .success(nil) }
        for word in inboundWords where ByteText.equalsIgnoringCase(value, word) { return .success(.inbound) }
        for word in outboundWords where ByteText.equalsIgnoringCase(value, word) { return .success(.outbound) }
        return .failure(.directionUnrecognised)
    }

    private static let inboundWords: [StaticString] = [
        "entrant", "entrante", "inbound", "incoming", "in", "reçu", "recu", "reçue", "recue", "demande", "réponse", "reponse", "appel entrant",
        "email reçu", "email recu", "mail reçu", "mail recu", "demande de devis", "demande client", "formulaire", "à l'initiative du client",
        "client", "prospect",
    ]
    private static let outboundWords: [StaticString] = [
        "sortant", "sortante", "outbound", "outgoing", "out", "émis", "emis", "envoyé", "envoye", "relance", "appel sortant",
        "email envoyé", "email envoye", "mail envoyé", "mail envoye", "prospection", "à notre initiative", "commercial",
    ]

    /// Parses a date cell: dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, dd/mm/yy, yyyy-mm-dd, yyyy/mm/dd,
    /// any of them followed by a time, or an Excel serial day number (1950–2100).
    static func date(_ raw: UnsafeBufferPointer<UInt8>) -> Result<CivilDate, RejectionReason> {
        let value = ByteText.trimmed(raw)
        return fixedWidthDate(value) ?? anyDate(value)
    }

    /// The two forms nearly every file uses, `dd/mm/yyyy` (or with `-` or `.`) and `yyyy-mm-dd`, read at fixed
    /// positions; nil for anything else, which `anyDate` reads. Both give the same result on these forms
    /// (`ValueParsersTests` holds them to it).
    @inline(__always)
    static func fixedWidthDate(_ value: UnsafeBufferPointer<UInt8>) -> Result<CivilDate, RejectionReason>? {
        guard value.count == 10 else { return nil }
        @inline(__always) func number(_ from: Int, _ count: Int) -> Int? {
            var result = 0
            for index in from..<(from + count) {
                let digit = value[index] &- 0x30
                guard digit < 10 else { return nil }
                result = result &* 10 &+ Int(digit)
            }
            return result
        }
        /// The same separator (`/`, `-` or `.`) at both places.
        @inline(__always) func separated(_ first: Int, _ second: Int) -> Bool {
            let byte = value[first]
            return byte == value[second] && (byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "."))
        }
        let date: CivilDate?
        if separated(2, 5), let day = number(0, 2), let month = number(3, 2), let year = number(6, 4) {
            date = CivilDate(year: year, month: month, day: day)
        } else if separated(4, 7), let year = number(0, 4), let month = number(5, 2), let day = number(8, 2) {
            date = CivilDate(year: year, month: month, day: day)
        } else {
            return nil
        }
        guard let date else { return .failure(.dateInvalid) }
        return .success(date)
    }

    /// Any date form the rules accept (docs/RULES.md "Normalisation"), `value` already trimmed.
    static func anyDate(_ value: UnsafeBufferPointer<UInt8>) -> Result<CivilDate, RejectionReason> {
        var numbers = InlineArray<3, Int>(repeating: 0)
        var widths = InlineArray<3, Int>(repeating: 0)
        var separators = InlineArray<2, UInt8>(repeating: 0)
        var part = 0
        var index = 0
        while index < value.count {
            let byte = value[index]
            if ByteText.isDigit(byte) {
                guard widths[part] < 9 else { return .failure(.dateInvalid) }
                numbers[part] = numbers[part] * 10 + Int(byte - 0x30)
                widths[part] += 1
            } else if (byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")) && part < 2 && widths[part] > 0 {
                // "45234.5" is an Excel serial with a time fraction, not d.m.
                if byte == UInt8(ascii: "."), part == 0, widths[0] == 5 { break }
                separators[part] = byte
                part += 1
            } else if (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "T")) && part == 2 && widths[2] > 0 {
                break  // A time follows the date: ignore it.
            } else {
                return .failure(.dateInvalid)
            }
            index += 1
        }
        if part == 0 {
            // Excel serial: days since 1899-12-30 (Excel's 1900 leap-year bug makes that the right origin after March 1900).
            guard widths[0] == 5, (18_264...73_050).contains(numbers[0]) else { return .failure(.dateInvalid) }
            return .success(CivilDate(daysSinceEpoch: Int32(numbers[0] - 25_569)))
        }
        guard part == 2, separators[0] == separators[1], widths[2] > 0 else { return .failure(.dateInvalid) }
        let date: CivilDate?
        if widths[0] == 4 {
            date = CivilDate(year: numbers[0], month: numbers[1], day: numbers[2])
        } else if widths[0] <= 2, widths[1] <= 2, widths[2] == 4 {
            date = CivilDate(year: numbers[2], month: numbers[1], day: numbers[0])
        } else if widths[0] <= 2, widths[1] <= 2, widths[2] == 2 {
            // Two-digit years: 00–69 are 2000–2069, 70–99 are 1970–1999.
            let year = numbers[2] < 70 ? 2000 + numbers[2] : 1900 + numbers[2]
            date = CivilDate(year: year, month: numbers[1], day: numbers[0])
        } else {
            date = nil
        }
        guard let date else { return .failure(.dateInvalid) }
        return .success(date)
    }

    /// Parses an explicit contact type column.
    static func segment(_ raw: UnsafeBufferPointer<UInt8>) -> Result<Segment?, RejectionReason> {
        let value = ByteText.trimmed(raw)
        if value.isEmpty { return .success(nil) }
        for word in businessWords where ByteText.equalsIgnoringCase(value, word) { return .success(.b2b) }
        for word in consumerWords where ByteText.equalsIgnoringCase(value, word) { return .success(.b2c) }
        return .failure(.segmentUnrecognised)
    }

    private static let businessWords: [StaticString] = [
        "b2b", "pro", "professionnel", "professionnelle", "professional", "entreprise", "business", "société", "societe",
    ]
    private static let consumerWords: [StaticString] = [
        "b2c", "particulier", "perso", "personnel", "consommateur", "consumer", "private", "individual",
    ]

    /// Parses a date given as text (command-line options, API fields).
    public static func date(_ text: String) -> CivilDate? {
        ByteText.withBytes(of: text) { try? date($0).get() }
    }

    /// Parses an explicit contact type given as text; nil when empty or not recognised.
    public static func segment(_ text: String) -> Segment? {
        ByteText.withBytes(of: text) { (try? segment($0).get()) ?? nil }
    }

    /// Parses a consent given as text.
    public static func consent(_ text: String) -> Consent? {
        ByteText.withBytes(of: text) { try? consent($0).get() }
    }

    /// Parses a contact direction given as text; nil when empty or not recognised.
    public static func direction(_ text: String) -> ContactDirection? {
        ByteText.withBytes(of: text) { (try? direction($0).get()) ?? nil }
    }
}
