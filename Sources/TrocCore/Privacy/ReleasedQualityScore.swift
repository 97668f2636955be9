/// A file's quality score as partners get it: an integer in ten-thousandths, over at least `PartnerPrivacy.scoreFloor`
/// contacts, so that one contact moves it by a bounded amount.
enum ReleasedQualityScore {
    /// Ten-thousandths, the engine's own resolution.
    static let scale = 10_000

    /// A mean over n ≥ 500 contacts of scores in [0, 1] moves by at most 1/n ≤ 1/500 when one contact comes or goes,
    /// and so does the damped score of smaller files (its sum over 500). The engine's rounding of the score to 4
    /// decimals adds 1 unit, the rounding to an integer 1 more.
    static let sensitivity = (scale + PartnerPrivacy.scoreFloor - 1) / PartnerPrivacy.scoreFloor + 2

    /// The exact value: the score, scaled down by size/500 for files under 500 contacts.
    static func exact(_ file: FileReport) -> Int {
        let damping = min(1, Double(file.contacts) / Double(PartnerPrivacy.scoreFloor))
        return Int((file.qualityScore * damping * Double(scale)).rounded())
    }
}
