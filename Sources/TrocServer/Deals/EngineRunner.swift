import Dispatch

/// Runs CPU-bound engine work (reading files, matching) on Dispatch's threads, so Swift's
/// cooperative threads keep serving requests meanwhile.
enum EngineRunner {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
