import Foundation
import Testing

@testable import TrocCore

/// The noise has the distribution the privacy analysis assumes: centred, symmetric, P(k) ∝ α^|k|, variance 2α/(1 − α)².
@Suite struct TwoSidedGeometricTests {
    /// Budgets and sensitivities of the figure table, and a large budget for a narrow distribution.
    @Test(arguments: [(0.02, 1), (0.07, 4), (0.05, 22), (0.5, 1), (2.0, 1)])
    func samplesFollowTheDistribution(epsilon: Double, sensitivity: Int) {
        let noise = TwoSidedGeometric(epsilon: epsilon, sensitivity: sensitivity)
        let alpha = noise.alpha
        #expect(abs(alpha - exp(-epsilon / Double(sensitivity))) < 1e-12)
        #expect(abs(noise.variance - 2 * alpha / ((1 - alpha) * (1 - alpha))) < 1e-9 * noise.variance)

        var generator = SplitMix64(seed: UInt64(epsilon * 1000) &* 31 &+ UInt64(sensitivity))
        let count = 200_000
        var sum = 0.0
        var squares = 0.0
        var positive = 0
        var negative = 0
        var zeros = 0
        var ones = 0
        for _ in 0..<count {
            let value = noise.sample(using: &generator)
            sum += Double(value)
            squares += Double(value) * Double(value)
            if value > 0 { positive += 1 } else if value < 0 { negative += 1 } else { zeros += 1 }
            if abs(value) == 1 { ones += 1 }
        }
        let n = Double(count)
        let mean = sum / n
        let variance = squares / n - mean * mean
        let sd = noise.variance.squareRoot()
        // Five standard errors: these fail on a biased or mis-scaled sampler, not by chance.
        #expect(abs(mean) < 5 * sd / n.squareRoot(), "mean \(mean), sd \(sd)")
        // The sample variance of a discrete Laplace variable has a relative standard error of about √(5/n) ≈ 0.5 %.
        #expect(abs(variance / noise.variance - 1) < 0.03, "variance \(variance), expected \(noise.variance)")
        #expect(abs(Double(positive - negative)) < 5 * n.squareRoot(), "positive \(positive), negative \(negative)")
        let pZero = (1 - alpha) / (1 + alpha)
        #expect(abs(Double(zeros) / n - pZero) < 5 * (pZero * (1 - pZero) / n).squareRoot(), "P(0) \(Double(zeros) / n), expected \(pZero)")
        let pOne = 2 * pZero * alpha
        #expect(abs(Double(ones) / n - pOne) < 5 * (pOne * (1 - pOne) / n).squareRoot(), "P(|k| = 1) \(Double(ones) / n), expected \(pOne)")
    }

    @Test func theSameGeneratorGivesTheSameNoise() {
        let noise = TwoSidedGeometric(epsilon: 0.03, sensitivity: 1)
        var first = SplitMix64(seed: 7)
        var second = SplitMix64(seed: 7)
        let a = (0..<100).map { _ in noise.sample(using: &first) }
        let b = (0..<100).map { _ in noise.sample(using: &second) }
        #expect(a == b && Set(a).count > 10)
    }
}
