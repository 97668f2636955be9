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
    /// The row's second phone is valid and differs from the first: it has two phone keys.
    static let secondPhoneKey = ContactRowFlags(rawValue: 1 << 22)
    /// The row has a valid SIRET, and so a SIRET key (a SIREN alone gives none).
    static let siretKey = ContactRowFlags(rawValue: 1 << 23)

    /// How many keys of `kind` the row has: a parsed block keeps its keys in row order without their rows, which
    /// these counts give back (`BlockKey`).
    @inline(__always)
    func keyCount(_ kind: MatchKeyKind) -> Int {
        switch kind {
        case .email: contains(.validEmail) ? 1 : 0
        case .phone: (contains(.validPhone) ? 1 : 0) + (contains(.secondPhoneKey) ? 1 : 0)
        case .siret: contains(.siretKey) ? 1 : 0
        }
    }

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
        self.init(BlockKey(key), row: row)
    }

    init(high: UInt64, low: UInt32, row: UInt32) {
        self.high = high
        self.low = low
        self.row = row
    }

    init(_ key: BlockKey, row: UInt32) {
        self.init(high: key.high, low: key.low, row: row)
    }

    @inline(__always)
    func sameKey(as other: KeyEntry) -> Bool { high == other.high && low == other.low }

    @inline(__always)
    func keyPrecedes(_ other: KeyEntry) -> Bool { high < other.high || high == other.high && low < other.low }

    /// Key order, then file order: rows are distinct within a kind, so this order is total.
    @inline(__always)
    func precedes(_ other: KeyEntry) -> Bool { keyPrecedes(other) || sameKey(as: other) && row < other.row }
}

/// A key as a parsed block holds it while the file is read: the same 96 bits as `KeyEntry`, in 12 bytes rather than 16.
/// Its row is not stored: a block's keys of one kind are in row order, and each row's flags say how many it has
/// (`ContactRowFlags.keyCount`). A whole file waits in blocks until it is read, so this is a quarter of an upload's memory.
struct BlockKey: Sendable {
    // Three 32-bit words, so that the stride is 12 bytes (a `UInt64` field would align it to 16).
    private let highWord: UInt32
    private let lowWord: UInt32
    let low: UInt32

    /// The key's top 96 bits.
    init(_ key: MatchKey) {
        self.init(high: key.high, low: UInt32(truncatingIfNeeded: key.low >> 32))
    }

    init(high: UInt64, low: UInt32) {
        highWord = UInt32(truncatingIfNeeded: high >> 32)
        lowWord = UInt32(truncatingIfNeeded: high)
        self.low = low
    }

    @inline(__always)
    var high: UInt64 { UInt64(highWord) << 32 | UInt64(lowWord) }
}
