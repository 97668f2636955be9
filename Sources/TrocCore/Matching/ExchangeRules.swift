/// The parameters of DOMAIN.md "Quality and compliance" that vary by deal or by run.
public struct ExchangeRules: Sendable {
    /// The reference date ("today" for the run: Core never reads the clock).
    public var asOf: CivilDate
    /// Months a collection date, or the last contact the person initiated, stays fresh: 13 by default (the CNIL's outer limit is 36).
    public var retentionMonths: Int
    /// Reference tables (NAF codes, clusters).
    public var reference: ReferenceData

    /// Since 11 August 2026 a consumer's phone may be passed for canvassing only with prior consent.
    public static let consumerPhoneConsentRequiredFrom = CivilDate(year: 2026, month: 8, day: 11)!

    /// Rules as of a date with a retention window in months.
    public init(asOf: CivilDate, retentionMonths: Int = 13, reference: ReferenceData = .embedded) {
        self.asOf = asOf
        self.retentionMonths = retentionMonths
        self.reference = reference
    }

    /// The oldest date still inside the retention window.
    public var freshSince: CivilDate { asOf.adding(months: -retentionMonths) }

    /// Whether a consumer phone without consent may still be exchanged on this date.
    var consumerPhoneNeedsConsent: Bool { asOf >= ExchangeRules.consumerPhoneConsentRequiredFrom }
}

/// The contact quality score, in [0, 1], that the report defines:
///
/// | part | weight |
/// | --- | --- |
/// | a valid email | 0.30 |
/// | a valid phone: mobile 0.25, landline or VoIP 0.20, foreign 0.15 | ≤ 0.25 |
/// | a recorded consent to any channel (email, phone or SMS) | 0.15 |
/// | freshness: 0.20 on the collection day, falling linearly to 0 at the end of the retention window | ≤ 0.20 |
/// | identity: name, first name, street address, postal code, city, company or SIRET, 1/6 of 0.10 each | ≤ 0.10 |
///
/// A file's score is the average over its contacts (after dedupe) of the score of those that are
/// exchangeable, the others counting 0: it rewards both rich and lawful files.
public enum ContactQuality {
    /// The score in ten-thousandths.
    static func score(
        flags: ContactRowFlags, phoneClass: PhoneClass?, freshestDay: Int32, identityFields: Int, asOfDay: Int32, freshSinceDay: Int32
    ) -> UInt16 {
        var score = 0
        if flags.contains(.validEmail) { score += 3000 }
        switch phoneClass {
        case .mobile: score += 2500
        case .landline, .voip: score += 2000
        case .foreign: score += 1500
        case .special, nil: break
        }
        if flags.contains(.consentGiven) { score += 1500 }
        if flags.contains(.fresh) {
            let window = max(1, Int(asOfDay) - Int(freshSinceDay))
            let age = max(0, Int(asOfDay) - Int(freshestDay))
            score += 2000 * max(0, window - age) / window
        }
        score += 1000 * min(identityFields, 6) / 6
        return UInt16(min(score, 10000))
    }
}
