/// The privacy parameters of everything partners see about each other's files (SECURITY.md "What a partner can learn").
public enum PartnerPrivacy {
    /// The budget ε one deal's report spends on each side's file. With ε = 0.5, a test that reads one report to tell
    /// whether a chosen person is in the other firm's file is right at most e^ε/(1 + e^ε) ≈ 62.2 % of the time, whatever
    /// the test; the figures' shares in `PartnerFigure` add up to it.
    public static let epsilonPerDealAndSide = 0.5

    /// The file size (contacts) the quality score's sensitivity is computed for: a mean over n contacts moves by at
    /// most 1/n when one contact comes or goes, so the score of a file under this size is scaled down by size/500.
    public static let scoreFloor = 500

    /// A budget in thousandths, as the store adds it up without rounding drift.
    public static func milli(_ epsilon: Double) -> Int { Int((epsilon * 1000).rounded()) }

    /// The budget one report spends on each side's file, composed over its figures: every figure of that side, the
    /// figures of the other side that a contact of this side can move, and the figures of both sides.
    public static var epsilonSpentPerSide: Double {
        PartnerFigure.allCases.reduce(0) { total, figure in
            let release = figure.release
            switch release.scope {
            case .bothSides: return total + release.epsilon
            case .eachSide: return total + release.epsilon * (release.movedByOtherSide ? 2 : 1)
            }
        }
    }
}
