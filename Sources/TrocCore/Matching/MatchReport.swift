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
    /// Contacts with a recorded opt-in.
    public var withConsent: Int
    /// Contacts who refused or objected.
    public var refusedConsent: Int
    /// Contacts whose freshest date is older than the retention window.
    public var stale: Int
    /// Contacts with no usable collection or last-contact date.
    public var undated: Int
    /// Contacts whose source is not recorded.
    public var withoutSource: Int
    /// Contacts on the suppression list.
    public var suppressed: Int
    /// Contacts that may be delivered to the other side, held or not.
    public var exchangeable: Int
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
    /// The first rejections with their line, column and reason.
    public var rejections: [RowRejection]
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

/// One delivered contact: its row and the channels that may be passed on.
public struct DeliveredContact: Hashable, Sendable {
    /// The line where the row starts in the supplier's file.
    public var line: UInt32
    /// The email may be delivered (B2C needs an opt-in).
    public var email: Bool
    /// The phone may be delivered (B2C needs consent since 11 August 2026).
    public var phone: Bool
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
