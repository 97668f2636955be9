import Testing
import TrocObjectStore

/// Backoff grows, stays jittered within its bounds, and only transient answers are retried.
@Suite struct RetryPolicyTests {
    /// SplitMix64: a seeded generator, so the jitter drawn is the same on every run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func delaysDoubleWithinEqualJitterUpToTheCeiling() {
        let policy = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        var generator = SeededGenerator(state: 14)
        let ceilings: [Duration] = [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)]
        var delays: [Duration] = []
        for (index, ceiling) in ceilings.enumerated() {
            let delay = policy.delay(after: index + 1, using: &generator)
            #expect(delay >= ceiling / 2 && delay <= ceiling, "attempt \(index + 1): \(delay) outside [\(ceiling / 2), \(ceiling)]")
            delays.append(delay)
        }
        // Jitter: a second instance with another seed waits differently.
        var other = SeededGenerator(state: 15)
        #expect((1...6).map { policy.delay(after: $0, using: &other) } != delays)
    }

    @Test func aHugeAttemptCountStaysAtTheCeiling() {
        var generator = SeededGenerator(state: 1)
        let delay = RetryPolicy.standard.delay(after: 1_000, using: &generator)
        #expect(delay <= .seconds(5) && delay >= .milliseconds(2_500))
    }

    @Test func onlyTransientAnswersAreRetryable() {
        #expect(RetryPolicy.isRetryable(status: 503, code: "SlowDown"))
        #expect(RetryPolicy.isRetryable(status: 500, code: "InternalError"))
        #expect(RetryPolicy.isRetryable(status: 400, code: "RequestTimeout"))
        #expect(!RetryPolicy.isRetryable(status: 403, code: "SignatureDoesNotMatch"))
        #expect(!RetryPolicy.isRetryable(status: 404, code: "NoSuchKey"))
    }
}
