/// What one side delivers under the deal's policy, estimated from released figures only (the exact deliveries depend
/// on every contact's score): the count, and its summed quality at the side's mean exchangeable quality.
struct EstimatedDelivery: Sendable, Hashable {
    var count: Int
    var quality: Double

    /// Both sides' deliveries, balanced as the engine balances them but on noised net-new counts and mean qualities.
    static func both(_ figures: ReleasedFigures, policy: BalancingPolicy) -> (a: EstimatedDelivery, b: EstimatedDelivery) {
        let netNew = (a: figures[.netNew, side: .a], b: figures[.netNew, side: .b])
        let mean = (a: meanQuality(figures, .a), b: meanQuality(figures, .b))
        let counts: (a: Int, b: Int)
        switch policy {
        case .all:
            counts = netNew
        case .equalCount:
            counts = (min(netNew.a, netNew.b), min(netNew.a, netNew.b))
        case .qualityWeighted:
            let target = min(Double(netNew.a) * mean.a, Double(netNew.b) * mean.b)
            // Contacts of no quality fit under any target, as in the engine.
            func count(_ netNew: Int, _ mean: Double) -> Int { mean > 0 ? min(netNew, Int((target / mean).rounded(.down))) : netNew }
            counts = (count(netNew.a, mean.a), count(netNew.b, mean.b))
        }
        return (
            EstimatedDelivery(count: counts.a, quality: Double(counts.a) * mean.a),
            EstimatedDelivery(count: counts.b, quality: Double(counts.b) * mean.b)
        )
    }

    /// The mean quality of a side's exchangeable contacts: its file score counts the others as 0.
    static func meanQuality(_ figures: ReleasedFigures, _ side: DealSide) -> Double {
        let exchangeable = figures[.exchangeable, side: side]
        guard exchangeable > 0 else { return 0 }
        let score = Double(figures[.qualityScore, side: side]) / Double(ReleasedQualityScore.scale)
        return min(1, score * Double(figures[.contacts, side: side]) / Double(exchangeable))
    }
}
