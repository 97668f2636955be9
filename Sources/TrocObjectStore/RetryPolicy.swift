/// How often and how patiently an idempotent step is retried after a 5xx answer or a broken connection.
///
/// Delays grow exponentially and carry "equal jitter" (half fixed, half random), so that instances retrying
/// after the same outage spread out instead of arriving together, while each wait still grows.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The ceiling of the first wait.
    public var baseDelay: Duration
    /// The ceiling no wait exceeds.
    public var maxDelay: Duration

    /// Five attempts, waits from up to 0.2 s to at most 5 s: about 10 s of patience in all.
    public static let standard = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(200), maxDelay: .seconds(5))

    /// A policy from its parts.
    public init(maxAttempts: Int, baseDelay: Duration, maxDelay: Duration) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait before attempt `attempt + 1`, `attempt` counting from 1: between half and all of
    /// `min(maxDelay, baseDelay × 2^(attempt − 1))`.
    public func delay(after attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let base = Self.nanoseconds(baseDelay)
        let ceiling = Self.nanoseconds(maxDelay)
        let doublings = min(max(attempt - 1, 0), 32)
        let (scaled, overflow) = base.multipliedReportingOverflow(by: Int64(1) << doublings)
        let cap = overflow ? ceiling : min(ceiling, scaled)
        let half = cap / 2
        return .nanoseconds(half + Int64.random(in: 0...(cap - half), using: &generator))
    }

    /// Whether an S3 error answer may succeed if sent again: server errors, throttling and timeouts.
    public static func isRetryable(status: Int, code: String) -> Bool {
        (500...599).contains(status) || ["SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable"].contains(code)
    }

    /// A duration in whole nanoseconds (durations here are far below Int64's range).
    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
