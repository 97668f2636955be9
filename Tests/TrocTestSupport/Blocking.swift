import Foundation

/// Blocking work (socket reads, polls) run on a thread of its own, off Swift's cooperative pool.
///
/// The pool has one thread per core, two on CI: a test that blocks one of them in `poll` while a server in the same
/// process must answer leaves that server one thread, or none while another test blocks too, and its answer never
/// comes within the read's limit.
package enum Blocking {
    /// Runs `work` on a new thread and returns what it returned or threw.
    package static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}
