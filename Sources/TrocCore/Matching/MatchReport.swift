/// How the two deliveries are sized (DOMAIN.md "Balancing").
public enum BalancingPolicy: String, CaseIterable, Codable, Sendable {
    /// Both sides deliver min(nA, nB) contacts, best quality first.
    case equalCount = "equal-count"
    /// The richer side delivers its best contacts until its summed quality matches the other side's.
    case qualityWeighted = "quality-weighted"
    /// Everything is delivered; the invoices carry the difference.
    case all
}

/// The per-file part of the report. Counts are of contacts after in-file dedupe unless named rows.
public struct FileReport: Codable, Hashable, Sendable {
    /// Non-blank data rows, accepted or rejected.
    public var rows: Int
    /// Distinct contacts among the accepted rows.
    public var contacts: Int
    /// Accepted rows merged into another contact by a shared email, phone or SIRET.
    public var duplicates: Int
    public var validEmails: Int
    public var validPhones: Int
    /// Valid phones by class: mobile, landline, voip, foreign.
    public var phoneClasses: [String: Int]
    public var b2b: Int
    public var b2c: Int
    /// Contacts with a recorded consent to at least one channel.
    public var withConsent: Int
    /// Contacts who refused or objected (in the generic consent column).
    public var refusedConsent: Int
    /// Contacts with a consent recorded per channel, for a valid email, phone or mobile (a generic
    /// opt-in counts for email only).
    public var consentByChannel: ChannelCounts
    /// Contacts whose consent covers transfer to partners.
    public var partnerConsent: Int
    /// Contacts whose consent proof (the wording or form it was given on) is recorded.
    public var consentProof: Int
    /// Contacts whose freshest date is older than the retention window.
    public var stale: Int
    /// Contacts with no usable collection date nor contact the person initiated.
    public var undated: Int
    /// Contacts kept fresh by a contact the person initiated after the collection date.
    public var freshFromInboundContact: Int
    /// Contacts whose source is not recorded.
    public var withoutSource: Int
    /// Contacts on the suppression list.
    public var suppressed: Int
    /// Contacts that may be delivered to the other side, held or not.
    public var exchangeable: Int
    /// Exchangeable contacts by the channels that may be passed on.
    public var exchangeableByChannel: ChannelCounts
    /// The file's quality score in [0, 1] (see `ContactQuality`).
    public var qualityScore: Double
    /// Rejections by reason code (rows and values).
    public var rejected: [String: Int]
    /// The encoding, separator and column mapping found.
    public var encoding: String
    public var delimiter: String
    /// Field → header text for the columns used.
    public var columns: [String: String]
    /// Headers that no field matched.
    public var ignoredColumns: [String]
    /// How the rules read some of the columns: a generic consent counts for email only, a
    /// last-contact date that does not say who initiated it does not keep a contact fresh.
    public var notes: [String]
    /// The first rejections with their line, column and reason.
    public var rejections: [RowRejection]
}

/// A count per prospecting channel.
public struct ChannelCounts: Codable, Hashable, Sendable {
    public var email: Int
    public var phone: Int
    public var sms: Int
}

/// Distinct keys present in both files, per kind, and contacts held by the other side.
public struct OverlapReport: Codable, Hashable, Sendable {
    /// A's contacts that B already holds (by any key).
    public var contacts: Int
    public var email: Int
    public var phone: Int
    public var siret: Int
    /// B's contacts that A already holds.
    public var bContactsHeldByA: Int
}

/// Per side figures.
public struct SidePair<Value: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    public var a: Value
    public var b: Value
}

/// What each side receives.
public struct DeliveryReport: Codable, Hashable, Sendable {
    /// B's contacts delivered to A.
    public var toA: Int
    /// A's contacts delivered to B.
    public var toB: Int
    /// Summed quality of what each receives (contact scores in [0, 1]).
    public var qualityToA: Double
    public var qualityToB: Double
}

/// Before and after balancing: candidates are the exchangeable, net-new contacts of each side.
public struct BalancingReport: Codable, Hashable, Sendable {
    public var candidates: SidePair<Int>
    public var candidateQuality: SidePair<Double>
    public var delivered: SidePair<Int>
    public var deliveredQuality: SidePair<Double>
}

/// The full result of matching two files, as `troc match --json` prints it.
public struct MatchReport: Codable, Hashable, Sendable {
    public var a: FileReport
    public var b: FileReport
    public var overlap: OverlapReport
    /// Each side's exchangeable contacts that the other does not hold.
    public var netNew: SidePair<Int>
    public var delivery: DeliveryReport
    public var policy: BalancingPolicy
    public var asOf: CivilDate
    public var retentionMonths: Int
    public var balancing: BalancingReport
}

/// One delivered contact: its row, the channels that may be passed on, and what the delivery may
/// say of it (its segment, and only the consents the engine accepted).
public struct DeliveredContact: Hashable, Sendable {
    /// The line where the row starts in the supplier's file.
    public var line: UInt32
    /// The email may be delivered (a consumer's needs email consent covering partners).
    public var email: Bool
    /// The phone may be delivered for calls (a consumer's needs dated phone consent since 11 August 2026).
    public var phone: Bool
    /// The mobile may be delivered for SMS (a consumer's needs SMS consent covering partners).
    public var sms: Bool
    /// A business (B2B) contact; otherwise a consumer.
    public var business: Bool
    /// The consents the supplier recorded and the engine accepted.
    public var consents: RecordedConsents

    /// A delivered contact.
    public init(line: UInt32, email: Bool, phone: Bool, sms: Bool = false, business: Bool = false, consents: RecordedConsents = []) {
        self.line = line
        self.email = email
        self.phone = phone
        self.sms = sms
        self.business = business
        self.consents = consents
    }
}

/// The consents a delivered row records, as the delivery may state them.
public struct RecordedConsents: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let email = RecordedConsents(rawValue: 1 << 0)
    public static let phone = RecordedConsents(rawValue: 1 << 1)
    public static let sms = RecordedConsents(rawValue: 1 << 2)
    /// The consent covers transfer to partners.
    public static let partners = RecordedConsents(rawValue: 1 << 3)
}

/// The engine's answer: the report and the rows each side receives.
public struct MatchOutcome: Sendable {
    public var report: MatchReport
    /// A's contacts for B, in file order.
    public var toB: [DeliveredContact]
    /// B's contacts for A, in file order.
    public var toA: [DeliveredContact]
    /// Each file's exchangeable contacts as if nobody were on the suppression list: what the broker's minimum file
    /// size is checked against, since the owner can count it too.
    public var unsuppressedExchangeable: SidePair<Int>
}
