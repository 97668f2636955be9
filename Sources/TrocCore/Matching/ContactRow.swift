/// What the engine keeps of one accepted row: 16 bytes of facts, no clear value.
struct ContactRow: Sendable {
    /// Physical line (1-based) where the row starts: its identity for delivery and error messages.
    var line: UInt32
    /// The most recent of the collection date and of the last contact the person initiated, in days
    /// since 1970, or `Int32.min`.
    var freshestDay: Int32
    /// Validity, consent, segment and freshness bits.
    var flags: ContactRowFlags
    /// The contact quality in ten-thousandths (see `ContactQuality`).
    var quality: UInt16
    /// How many of the identity fields are filled, for choosing the most complete duplicate.
    var completeness: UInt8
    /// `PhoneClass` raw value, 0 when no valid phone.
    var phoneClass: UInt8
}

/// Facts about a row that the compliance rules read.
struct ContactRowFlags: OptionSet, Sendable {
    let rawValue: UInt32

    static let validEmail = ContactRowFlags(rawValue: 1 << 0)
    static let validPhone = ContactRowFlags(rawValue: 1 << 1)
    static let business = ContactRowFlags(rawValue: 1 << 2)
    /// A consent to at least one channel.
    static let consentGiven = ContactRowFlags(rawValue: 1 << 3)
    /// An objection in the generic consent column: the person refused prospecting altogether.
    static let consentRefused = ContactRowFlags(rawValue: 1 << 4)
    static let hasSource = ContactRowFlags(rawValue: 1 << 5)
    static let dated = ContactRowFlags(rawValue: 1 << 6)
    static let fresh = ContactRowFlags(rawValue: 1 << 7)
    static let overseasPhone = ContactRowFlags(rawValue: 1 << 8)
    /// One of the row's values is on the suppression list (checked while parsing a deal's file).
    static let suppressed = ContactRowFlags(rawValue: 1 << 9)
    /// Consent to email prospecting, from the email column or the generic one, with a possible date.
    static let emailConsent = ContactRowFlags(rawValue: 1 << 10)
    /// Phone-specific consent.
    static let phoneConsent = ContactRowFlags(rawValue: 1 << 11)
    /// The phone consent has a date (loi 2025-594 wants it provable).
    static let phoneConsentDated = ContactRowFlags(rawValue: 1 << 12)
    static let smsConsent = ContactRowFlags(rawValue: 1 << 13)
    /// The consent covers transfer to partners.
    static let partnerConsent = ContactRowFlags(rawValue: 1 << 14)
    static let emailRefused = ContactRowFlags(rawValue: 1 << 15)
    static let phoneRefused = ContactRowFlags(rawValue: 1 << 16)
    static let smsRefused = ContactRowFlags(rawValue: 1 << 17)
    /// The person refused transfer to partners.
    static let partnerRefused = ContactRowFlags(rawValue: 1 << 18)
    /// The wording or form the consent was given on is recorded.
    static let consentProof = ContactRowFlags(rawValue: 1 << 19)
    /// One of the row's valid phones is a mobile (the SMS channel).
    static let mobilePhone = ContactRowFlags(rawValue: 1 << 20)
    /// The freshest date is a contact the person initiated, later than the collection date.
    static let freshFromInbound = ContactRowFlags(rawValue: 1 << 21)

    // The consents that reach a person only with the channel they cover, as constants: a set literal at the call site
    // builds an array for each row it tests (one allocation per row on the ingest's hot path).
    /// An email consent on a row with a valid email.
    static let emailReachable: ContactRowFlags = [.emailConsent, .validEmail]
    /// A phone consent on a row with a valid phone.
    static let phoneReachable: ContactRowFlags = [.phoneConsent, .validPhone]
    /// An SMS consent on a row with a mobile phone.
    static let smsReachable: ContactRowFlags = [.smsConsent, .mobilePhone]
}

/// A match key and the row it came from, sorted by key for dedupe and overlap.
///
/// Only 96 of the key's 128 bits are kept in memory: the chance that two different values share
/// them among 10⁷ keys is about 10⁻¹⁵, and it halves the engine's largest arrays.
struct KeyEntry: Sendable {
    var high: UInt64
    var low: UInt32
    var row: UInt32

    init(_ key: MatchKey, row: UInt32) {
        high = key.high
        low = UInt32(truncatingIfNeeded: key.low >> 32)
        self.row = row
    }

    init(high: UInt64, low: UInt32, row: UInt32) {
        self.high = high
        self.low = low
        self.row = row
    }

    @inline(__always)
    func sameKey(as other: KeyEntry) -> Bool { high == other.high && low == other.low }

    @inline(__always)
    func keyPrecedes(_ other: KeyEntry) -> Bool { high < other.high || high == other.high && low < other.low }
}
