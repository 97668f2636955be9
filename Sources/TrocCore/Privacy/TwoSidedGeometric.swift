#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Two-sided geometric noise, the discrete Laplace mechanism of Ghosh, Roughgarden and Sundararajan (2009): an integer
/// k drawn with probability (1 − α)/(1 + α) · α^|k|, where α = e^(−ε/Δ). Added to a count that one person moves by at
/// most Δ, it makes the released count ε-differentially private.
public struct TwoSidedGeometric: Sendable, Hashable {
    /// The privacy budget this noise spends.
    public let epsilon: Double
    /// How much one person can move the value it is added to, in the value's own integer unit.
    public let sensitivity: Int

    /// Noise for a value of sensitivity `sensitivity` released under budget `epsilon` (both positive).
    public init(epsilon: Double, sensitivity: Int) {
        precondition(epsilon > 0 && epsilon.isFinite && sensitivity > 0, "noise needs a positive budget and sensitivity")
        self.epsilon = epsilon
        self.sensitivity = sensitivity
    }

    /// The decay α = e^(−ε/Δ): how much less likely each further step from zero is.
    public var alpha: Double { exp(-epsilon / Double(sensitivity)) }

    /// The variance 2α/(1 − α)² (the mean is 0).
    public var variance: Double { 2 * alpha / ((1 - alpha) * (1 - alpha)) }

    /// One draw. The difference of two independent geometric variables (failures before a success of probability
    /// 1 − α) is two-sided geometric.
    public func sample(using generator: inout some RandomNumberGenerator) -> Int {
        geometric(using: &generator) - geometric(using: &generator)
    }

    /// A geometric draw by inversion, ⌊ln U / ln α⌋ with U uniform in (0, 1] on 53 bits: exact up to the rounding of
    /// `log`, and cut off where the tail is below 2⁻⁵³.
    private func geometric(using generator: inout some RandomNumberGenerator) -> Int {
        let uniform = Double((generator.next() >> 11) + 1) * 0x1p-53
        return Int((log(uniform) / log(alpha)).rounded(.down))
    }
}
