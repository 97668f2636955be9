import TrocCore

/// The tests' SplitMix64 serves as a generator for the noise sampler.
extension SplitMix64: RandomNumberGenerator {}

/// Noise for tests that do not need a secret: each figure's stream seeded from `seed` and the FNV-1a hash of its label.
struct SeededNoise: FigureNoiseSource {
    var seed: UInt64

    func stream(for label: String) -> SplitMix64 {
        SplitMix64(seed: label.utf8.reduce(0xcbf2_9ce4_8422_2325 ^ seed) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 })
    }
}
