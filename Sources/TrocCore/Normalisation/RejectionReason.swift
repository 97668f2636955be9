/// Why a row or one of its values was rejected. The raw value is the stable code that reports,
/// JSON and problem+json carry; the codes never change meaning once shipped.
public enum RejectionReason: String, CaseIterable, Codable, Sendable, Comparable, Error {
    // Whole rows.
    case rowRagged = "row.ragged"
    case rowUnterminatedQuote = "row.unterminated-quote"
    case rowTooLong = "row.too-long"
    case rowInvalidEncoding = "row.invalid-encoding"
    case rowNulByte = "row.nul-byte"
    case rowNoContact = "row.no-email-or-phone"
    // Email.
    case emailMissingAt = "email.missing-at"
    case emailMultipleAt = "email.multiple-at"
    case emailWhitespace = "email.whitespace"
    case emailMissingDomain = "email.missing-domain"
    case emailLocalLength = "email.local-length"
    case emailDomainLength = "email.domain-length"
    case emailDoubleDot = "email.double-dot"
    case emailDotPosition = "email.dot-position"
    case emailInvalidCharacter = "email.invalid-character"
    case emailInvalidDomain = "email.invalid-domain"
    case emailNoTLD = "email.no-tld"
    // Phone.
    case phoneTooShort = "phone.too-short"
    case phoneTooLong = "phone.too-long"
    case phoneInvalidCharacter = "phone.invalid-character"
    case phoneUnknownCountry = "phone.unknown-country"
    case phoneSpecialRate = "phone.special-rate"
    case phoneImplausible = "phone.implausible"
    // SIREN / SIRET.
    case siretLength = "siret.length"
    case siretChecksum = "siret.checksum"
    case siretInvalidCharacter = "siret.invalid-character"
    case siretSirenOnly = "siret.siren-only"
    // NAF code.
    case nafFormat = "naf.format"
    case nafUnknown = "naf.unknown"
    // Other values.
    case consentUnrecognised = "consent.unrecognised"
    case dateInvalid = "date.invalid"
    case dateFuture = "date.future"
    case segmentUnrecognised = "segment.unrecognised"
    case segmentNotBusiness = "segment.not-business"
    case directionUnrecognised = "direction.unrecognised"
    // Consent of a consumer (B2C) contact, one code per missing element.
    case consentEmailMissing = "consent.email-missing"
    case consentPhoneMissing = "consent.phone-missing"
    case consentPhoneUndated = "consent.phone-undated"
    case consentSMSMissing = "consent.sms-missing"
    case consentPartnersMissing = "consent.partners-missing"
    case consentPartnersWithoutChannel = "consent.partners-without-channel"
    case consentBeforeCollection = "consent.before-collection"

    /// A sentence a person can act on.
    public var explanation: String {
        switch self {
        case .rowRagged: "the row does not have as many fields as the header (an unquoted separator or line break?)"
        case .rowUnterminatedQuote: "a quoted field opened here is never closed"
        case .rowTooLong: "the row is longer than the limit; the reader skipped to the next line"
        case .rowInvalidEncoding:
            "the row holds bytes that are not valid text in the file's encoding, or U+FFFD, the mark an earlier conversion left for such bytes"
        case .rowNulByte: "the row holds NUL bytes (binary data)"
        case .rowNoContact: "the row has neither a valid email nor a valid phone"
        case .emailMissingAt: "the email has no @"
        case .emailMultipleAt: "the email has more than one @"
        case .emailWhitespace: "the email contains a space"
        case .emailMissingDomain: "nothing follows the @"
        case .emailLocalLength: "the part before @ is empty or longer than 64 characters"
        case .emailDomainLength: "the address is longer than an email can be (domain over 253 characters)"
        case .emailDoubleDot: "the email contains two dots in a row"
        case .emailDotPosition: "a dot starts or ends the part before @"
        case .emailInvalidCharacter: "the email contains a character not allowed in an address"
        case .emailInvalidDomain: "the domain is not a valid host name"
        case .emailNoTLD: "the domain has no top-level domain (such as .fr)"
        case .phoneTooShort: "the phone number has too few digits"
        case .phoneTooLong: "the phone number has too many digits"
        case .phoneInvalidCharacter: "the phone number contains letters or symbols"
        case .phoneUnknownCountry: "the +country code is not an assigned one"
        case .phoneSpecialRate: "08 special-rate numbers are never prospected"
        case .phoneImplausible: "the phone number is a placeholder (all digits the same)"
        case .siretLength: "a SIREN has 9 digits and a SIRET 14"
        case .siretChecksum: "the SIREN/SIRET fails its check digit (Luhn)"
        case .siretInvalidCharacter: "the SIREN/SIRET contains characters other than digits"
        case .siretSirenOnly: "a SIREN names a company, not a contact: list its SIRETs, emails or phones (phones with their leading 0 or +33)"
        case .nafFormat: "a NAF code looks like 43.32A"
        case .nafUnknown: "the NAF code is in neither NAF rév. 2 nor NAF 2025"
        case .consentUnrecognised: "consent must be oui/non, yes/no, 1/0, true/false, x, or a date"
        case .dateInvalid: "dates must be dd/mm/yyyy, yyyy-mm-dd, dd/mm/yy or an Excel serial number"
        case .dateFuture: "the date is after the reference date"
        case .segmentUnrecognised: "the contact type must be B2B/professionnel or B2C/particulier"
        case .segmentNotBusiness:
            "marked as a business contact but it names no company (name, SIREN or SIRET) or its email is at a webmail or consumer ISP: "
                + "it is treated as a consumer"
        case .directionUnrecognised: "who initiated the last contact must be entrant/inbound (the person) or sortant/outbound (the firm)"
        case .consentEmailMissing:
            "a consumer's email is passed on only with their consent to email prospecting (CPCE L34-5): no email consent is recorded"
        case .consentPhoneMissing:
            "since 11 August 2026 a consumer's phone is passed on only with their phone-specific prior consent (C. conso L223-1, "
                + "loi 2025-594); a generic opt-in counts for email only"
        case .consentPhoneUndated: "the consumer's phone consent has no date: consent to phone canvassing must be provable, with its date"
        case .consentSMSMissing: "a consumer's mobile is passed on for SMS only with their consent to SMS prospecting (CPCE L34-5)"
        case .consentPartnersMissing:
            "a consumer's consent must cover transfer to partners (CNIL): consent to a firm's own offers is not consent to be handed to others"
        case .consentPartnersWithoutChannel:
            "transfer to partners is agreed but no consent to any channel (email, phone, SMS) is recorded: say which channels the person accepted"
        case .consentBeforeCollection: "the consent is dated before the contact was collected: it cannot be the consent this data was collected with"
        }
    }

    /// Whether the reason rejects the whole row rather than one value.
    public var rejectsRow: Bool { rawValue.hasPrefix("row.") }

    /// Whether the reason is an element a consumer's consent lacks (the row is read, some or all of
    /// its channels are not passed on), rather than a value that could not be read.
    public var isMissingConsent: Bool {
        switch self {
        case .consentEmailMissing, .consentPhoneMissing, .consentPhoneUndated, .consentSMSMissing, .consentPartnersMissing,
            .consentPartnersWithoutChannel:
            true
        default: false
        }
    }

    public static func < (lhs: RejectionReason, rhs: RejectionReason) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Position in `allCases`, for tally arrays on the hot path.
    var index: Int { RejectionReason.indexByReason[self]! }

    private static let indexByReason: [RejectionReason: Int] = Dictionary(
        uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })
}

/// One rejection with its place in the file, as shown to the partner.
public struct RowRejection: Hashable, Codable, Sendable {
    /// The physical line (1-based) where the row starts.
    public var line: Int
    /// The column (1-based field position) the problem is in, if it is one value.
    public var column: Int?
    /// The column's header text, if known.
    public var field: String?
    /// The stable reason code.
    public var reason: RejectionReason
    /// More detail where it helps (field counts, the offending character).
    public var detail: String?

    /// A rejection at a line, optionally in a column.
    public init(line: Int, column: Int? = nil, field: String? = nil, reason: RejectionReason, detail: String? = nil) {
        self.line = line
        self.column = column
        self.field = field
        self.reason = reason
        self.detail = detail
    }

    /// "line 12, column 4 (email): the email has no @".
    public var message: String {
        var place = "line \(line)"
        if let column { place += ", column \(column)" }
        if let field { place += " (\(field))" }
        return "\(place): \(reason.explanation)" + (detail.map { " — \($0)" } ?? "")
    }
}
