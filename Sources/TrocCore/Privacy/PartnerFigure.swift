/// The figures partners see about a deal's two files, each released with its own noise. This is the one table of them:
/// a new figure is a case here and a line in `release`, and the budget test checks the shares still add up.
///
/// Sensitivities are for one contact added to or removed from one file, a contact being one row sharing no email,
/// phone or SIRET with the other rows of its file (a person listed once). Such a row moves each count of its own file
/// by at most 1. It carries at most four keys (an email, two phones, a SIRET), each of which can make a different
/// contact of the other file "already held": so the other side's net-new count and the overlap of contacts move by
/// at most 4, the overlap of phones by at most 2.
public enum PartnerFigure: String, CaseIterable, Sendable {
    // Each side's file. Wholes come before their parts: noised parts are clamped into [0, whole].
    case contacts
    case validEmails
    case validPhones
    case b2b
    case withConsent
    case stale
    case exchangeable
    case qualityScore
    case netNew
    // Both files.
    case overlapContacts
    case overlapEmails
    case overlapPhones
    case overlapSIRETs

    /// How the figure is read from the engine's exact report and released.
    public var release: FigureRelease {
        switch self {
        case .contacts: FigureRelease(.eachSide, sensitivity: 1, epsilon: 0.03) { $0.contacts }
        case .validEmails: FigureRelease(.eachSide, sensitivity: 1, epsilon: 0.02, whole: .contacts) { $0.validEmails }
        case .validPhones: FigureRelease(.eachSide, sensitivity: 1, epsilon: 0.02, whole: .contacts) { $0.validPhones }
        case .b2b: FigureRelease(.eachSide, sensitivity: 1, epsilon: 0.02, whole: .contacts) { $0.b2b }
        case .withConsent: FigureRelease(.eachSide, sensitivity: 1, epsilon: 0.02, whole: .contacts) { $0.withConsent }
        case .stale: FigureRelease(.eachSide, sensitivity: 1, epsilon: 0.02, whole: .contacts) { $0.stale }
        case .exchangeable: FigureRelease(.eachSide, sensitivity: 1, epsilon: 0.04, whole: .contacts) { $0.exchangeable }
        case .qualityScore:
            FigureRelease(.eachSide, sensitivity: ReleasedQualityScore.sensitivity, epsilon: 0.05, upperBound: ReleasedQualityScore.scale) {
                ReleasedQualityScore.exact($0)
            }
        case .netNew:
            FigureRelease(.eachSide, sensitivity: 4, epsilon: 0.07, movedByOtherSide: true, whole: .exchangeable) { report, side in
                side == .a ? report.netNew.a : report.netNew.b
            }
        case .overlapContacts:
            // A's contacts that B holds: a part of A's contacts.
            FigureRelease(.bothSides, sensitivity: 4, epsilon: 0.06, whole: .contacts) { report, _ in report.overlap.contacts }
        case .overlapEmails: FigureRelease(.bothSides, sensitivity: 1, epsilon: 0.02) { report, _ in report.overlap.email }
        case .overlapPhones: FigureRelease(.bothSides, sensitivity: 2, epsilon: 0.03) { report, _ in report.overlap.phone }
        case .overlapSIRETs: FigureRelease(.bothSides, sensitivity: 1, epsilon: 0.03) { report, _ in report.overlap.siret }
        }
    }
}

/// How one figure is released: its exact value, its sensitivity Δ in its own integer unit, the share ε of the budget
/// its noise spends, and the bounds it is clamped into after noise.
public struct FigureRelease: Sendable {
    /// Whether a figure describes each side's file (it appears twice) or both files at once.
    public enum Scope: Sendable {
        case eachSide
        case bothSides
    }

    public let scope: Scope
    /// The most one contact moves the exact value.
    public let sensitivity: Int
    /// The budget its noise spends (per side it appears on).
    public let epsilon: Double
    /// Whether a contact of the other side's file can move it too (a side's net-new count depends on what the other holds).
    public let movedByOtherSide: Bool
    /// The figure it is a part of: the same side's for side figures, side A's for figures of both files.
    public let whole: PartnerFigure?
    /// The largest value it can take, if not its whole.
    public let upperBound: Int?
    /// The exact value for a side (figures of both files ignore the side).
    let exact: @Sendable (MatchReport, DealSide) -> Int

    /// A figure read by `exact` from the report and the side.
    init(
        _ scope: Scope, sensitivity: Int, epsilon: Double, movedByOtherSide: Bool = false, whole: PartnerFigure? = nil, upperBound: Int? = nil,
        exact: @escaping @Sendable (MatchReport, DealSide) -> Int
    ) {
        self.scope = scope
        self.sensitivity = sensitivity
        self.epsilon = epsilon
        self.movedByOtherSide = movedByOtherSide
        self.whole = whole
        self.upperBound = upperBound
        self.exact = exact
    }

    /// A figure of each side's file, read from that file's report.
    init(
        _ scope: Scope, sensitivity: Int, epsilon: Double, whole: PartnerFigure? = nil, upperBound: Int? = nil,
        file: @escaping @Sendable (FileReport) -> Int
    ) {
        self.init(scope, sensitivity: sensitivity, epsilon: epsilon, whole: whole, upperBound: upperBound) { report, side in
            file(side == .a ? report.a : report.b)
        }
    }

    /// The noise its release adds.
    public var noise: TwoSidedGeometric { TwoSidedGeometric(epsilon: epsilon, sensitivity: sensitivity) }
}
