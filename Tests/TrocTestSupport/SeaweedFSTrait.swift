public import Testing

/// Runs a suite against one SeaweedFS started for it.
public struct SeaweedFSTrait: SuiteTrait, TestScoping {
    /// Starts the server before the suite's first test and stops it after its last; a server that cannot start fails
    /// the suite (never skips it), saying why.
    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        do {
            try await SeaweedFS.withServer { try await function() }
        } catch let error as SeaweedFS.Unavailable {
            Issue.record("\(error)")
            throw error
        }
    }
}

extension Trait where Self == SeaweedFSTrait {
    /// A SeaweedFS S3 gateway for the suite, failing (never skipping) when `weed` is missing.
    public static var seaweedFS: SeaweedFSTrait { SeaweedFSTrait() }
}
