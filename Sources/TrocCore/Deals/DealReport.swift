/// A count shown to a partner, after its noise: the number from 50 up, "< 50" below.
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

/// One side of the partner's match report: figures released under differential privacy (see `PartnerFigure`), never a
/// row, never an exact count, and nothing about the suppression list.
public struct DealSideReport: Codable, Hashable, Sendable {
    public var contacts: ShownCount
    public var validEmails: ShownCount
    public var validPhones: ShownCount
    public var b2b: ShownCount
    public var b2c: ShownCount
    public var withConsent: ShownCount
    public var stale: ShownCount
    public var exchangeable: ShownCount
    public var exchangeableRate: ShownRate
    /// The file's quality score in [0, 1], to 2 decimals (scaled down by size/500 under 500 contacts).
    public var qualityScore: Double
    /// Exchangeable contacts the other side lacks.
    public var netNew: ShownCount
    /// What this side delivers under the deal's policy, and its summed quality, estimated from the figures above.
    public var delivers: ShownCount
    public var deliveredQuality: Double

    init(_ figures: ReleasedFigures, side: DealSide, delivery: EstimatedDelivery) {
        let count = { (figure: PartnerFigure) in figures[figure, side: side] }
        contacts = ShownCount(count(.contacts))
        validEmails = ShownCount(count(.validEmails))
        validPhones = ShownCount(count(.validPhones))
        b2b = ShownCount(count(.b2b))
        b2c = ShownCount(count(.contacts) - count(.b2b))
        withConsent = ShownCount(count(.withConsent))
        stale = ShownCount(count(.stale))
        exchangeable = ShownCount(count(.exchangeable))
        exchangeableRate = ShownRate(count(.exchangeable), of: count(.contacts))
        qualityScore = (Double(count(.qualityScore)) / Double(ReleasedQualityScore.scale) * 100).rounded() / 100
        netNew = ShownCount(count(.netNew))
        delivers = ShownCount(delivery.count)
        deliveredQuality = (delivery.quality * 10).rounded() / 10
    }
}

/// The match report partners see: released under differential privacy with budget `epsilon` per side, counts under 50
/// hidden, overlap per key, before and after balancing. Operators see the engine's exact `MatchReport`.
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
    /// The privacy budget these figures spend on each side's file.
    public var epsilon: Double

    /// The partner view of an engine report, its noise drawn from `noise` (derived from the deal's secret).
    public init(_ report: MatchReport, noise: some FigureNoiseSource) {
        let figures = ReleasedFigures(report, noise: noise)
        let delivery = EstimatedDelivery.both(figures, policy: report.policy)
        a = DealSideReport(figures, side: .a, delivery: delivery.a)
        b = DealSideReport(figures, side: .b, delivery: delivery.b)
        overlapEmails = ShownCount(figures[.overlapEmails])
        overlapPhones = ShownCount(figures[.overlapPhones])
        overlapSIRETs = ShownCount(figures[.overlapSIRETs])
        overlapContacts = ShownCount(figures[.overlapContacts])
        policy = report.policy
        asOf = report.asOf
        epsilon = PartnerPrivacy.epsilonPerDealAndSide
    }
}
