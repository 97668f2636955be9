/// A figure shown to a partner: exact from 50 up, "< 50" below, so nobody can probe for individual
/// contacts by planting them in a file (DOMAIN.md "Privacy-preserving overlap").
public enum ShownCount: Codable, Hashable, Sendable, CustomStringConvertible {
    case exact(Int)
    case fewerThanThreshold

    /// Counts under this are hidden.
    public static let threshold = 50

    public init(_ value: Int) {
        self = value < ShownCount.threshold ? .fewerThanThreshold : .exact(value)
    }

    public var description: String {
        switch self {
        case .exact(let value): String(value)
        case .fewerThanThreshold: "< \(ShownCount.threshold)"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .exact(value)
        } else {
            self = .fewerThanThreshold
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .exact(let value): try container.encode(value)
        case .fewerThanThreshold: try container.encode(description)
        }
    }
}

/// A rate shown to a partner: a percentage, or "< 50" when its numerator is hidden (a rate of a
/// hidden count would give the count away).
public enum ShownRate: Codable, Hashable, Sendable, CustomStringConvertible {
    case percent(Double)
    case hidden

    /// `part` of `whole` as a percentage with one decimal, hidden when `part` is under the threshold.
    public init(_ part: Int, of whole: Int) {
        guard part >= ShownCount.threshold, whole > 0 else {
            self = .hidden
            return
        }
        self = .percent((Double(part) * 1000 / Double(whole)).rounded() / 10)
    }

    public var description: String {
        switch self {
        case .percent(let value): "\(value) %"
        case .hidden: "< \(ShownCount.threshold)"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Double.self) {
            self = .percent(value)
        } else {
            self = .hidden
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .percent(let value): try container.encode(value)
        case .hidden: try container.encode(description)
        }
    }
}

/// One side of the partner's match report: counts and rates, never a row.
public struct DealSideReport: Codable, Hashable, Sendable {
    public var rows: ShownCount
    public var contacts: ShownCount
    public var validEmails: ShownCount
    public var validPhones: ShownCount
    public var b2b: ShownCount
    public var b2c: ShownCount
    public var withConsent: ShownCount
    public var stale: ShownCount
    public var suppressed: ShownCount
    public var exchangeable: ShownCount
    public var exchangeableRate: ShownRate
    public var qualityScore: Double
    /// Exchangeable contacts the other side lacks.
    public var netNew: ShownCount
    /// What this side delivers under the deal's policy, and its summed quality.
    public var delivers: ShownCount
    public var deliveredQuality: Double

    init(_ file: FileReport, netNew: Int, delivers: Int, deliveredQuality: Double) {
        rows = ShownCount(file.rows)
        contacts = ShownCount(file.contacts)
        validEmails = ShownCount(file.validEmails)
        validPhones = ShownCount(file.validPhones)
        b2b = ShownCount(file.b2b)
        b2c = ShownCount(file.b2c)
        withConsent = ShownCount(file.withConsent)
        stale = ShownCount(file.stale)
        suppressed = ShownCount(file.suppressed)
        exchangeable = ShownCount(file.exchangeable)
        exchangeableRate = ShownRate(file.exchangeable, of: file.contacts)
        qualityScore = file.qualityScore
        self.netNew = ShownCount(netNew)
        self.delivers = ShownCount(delivers)
        self.deliveredQuality = (deliveredQuality * 10).rounded() / 10
    }
}

/// The match report partners see: aggregated, small counts hidden, overlap per key, before and
/// after balancing. Operators see the engine's full `MatchReport`.
public struct DealReport: Codable, Hashable, Sendable {
    /// The proposer's side.
    public var a: DealSideReport
    /// The invited partner's side.
    public var b: DealSideReport
    public var overlapEmails: ShownCount
    public var overlapPhones: ShownCount
    public var overlapSIRETs: ShownCount
    /// Contacts of A that B already holds (never which).
    public var overlapContacts: ShownCount
    public var policy: BalancingPolicy
    public var asOf: CivilDate

    /// The partner view of an engine report.
    public init(_ report: MatchReport) {
        a = DealSideReport(report.a, netNew: report.netNew.a, delivers: report.delivery.toB, deliveredQuality: report.delivery.qualityToB)
        b = DealSideReport(report.b, netNew: report.netNew.b, delivers: report.delivery.toA, deliveredQuality: report.delivery.qualityToA)
        overlapEmails = ShownCount(report.overlap.email)
        overlapPhones = ShownCount(report.overlap.phone)
        overlapSIRETs = ShownCount(report.overlap.siret)
        overlapContacts = ShownCount(report.overlap.contacts)
        policy = report.policy
        asOf = report.asOf
    }
}
