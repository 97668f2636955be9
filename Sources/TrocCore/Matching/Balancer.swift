/// The three balancing policies of docs/RULES.md "Balancing".
enum Balancer {
    /// Chooses what A gives B (`fromA`) and B gives A (`fromB`); both inputs and outputs are in line order.
    static func balance(_ fromA: [Candidate], _ fromB: [Candidate], policy: BalancingPolicy) -> (toB: [Candidate], toA: [Candidate]) {
        switch policy {
        case .all:
            return (fromA, fromB)
        case .equalCount:
            let count = min(fromA.count, fromB.count)
            return (best(fromA, count: count), best(fromB, count: count))
        case .qualityWeighted:
            let target = min(fromA.reduce(0) { $0 + Int($1.quality) }, fromB.reduce(0) { $0 + Int($1.quality) })
            return (best(fromA, qualityUpTo: target), best(fromB, qualityUpTo: target))
        }
    }

    /// The `count` best candidates (quality, then freshness, then file order), in line order.
    ///
    /// A histogram of the scores finds the threshold quality in one pass; only the candidates tied at
    /// the threshold are sorted, so selection stays linear.
    static func best(_ candidates: [Candidate], count: Int) -> [Candidate] {
        guard count < candidates.count else { return candidates }
        var histogram = [Int](repeating: 0, count: 10_001)
        for candidate in candidates { histogram[Int(candidate.quality)] += 1 }
        var remaining = count
        var threshold = 10_000
        while threshold > 0, histogram[threshold] <= remaining {
            remaining -= histogram[threshold]
            threshold -= 1
        }
        return select(candidates, above: threshold, tiesToTake: remaining)
    }

    /// The longest best-first run of candidates whose summed quality does not exceed `target`, in line order.
    static func best(_ candidates: [Candidate], qualityUpTo target: Int) -> [Candidate] {
        var histogram = [Int](repeating: 0, count: 10_001)
        for candidate in candidates { histogram[Int(candidate.quality)] += 1 }
        var sum = 0
        var threshold = 10_000
        while threshold >= 0 {
            let group = histogram[threshold] * threshold
            guard sum + group <= target else {
                return select(candidates, above: threshold, tiesToTake: (target - sum) / threshold)
            }
            sum += group
            threshold -= 1
        }
        return candidates
    }

    /// Every candidate above `threshold`, plus the `tiesToTake` freshest (then earliest) at it, in line order.
    private static func select(_ candidates: [Candidate], above threshold: Int, tiesToTake: Int) -> [Candidate] {
        let ties = candidates.indices.filter { Int(candidates[$0].quality) == threshold }
            .sorted { (candidates[$1].freshestDay, $0) < (candidates[$0].freshestDay, $1) }
        var chosen = [Bool](repeating: false, count: candidates.count)
        for index in ties.prefix(tiesToTake) { chosen[index] = true }
        return candidates.indices.compactMap { Int(candidates[$0].quality) > threshold || chosen[$0] ? candidates[$0] : nil }
    }

    /// Summed quality in [0, 1] units, rounded to 4 decimals.
    static func quality(_ candidates: [Candidate]) -> Double {
        rounded(Double(candidates.reduce(0) { $0 + Int($1.quality) }) / 10_000)
    }

    static func rounded(_ value: Double) -> Double {
        (value * 10_000).rounded() / 10_000
    }
}
