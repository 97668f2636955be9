import Synchronization

/// How many uploads may stream at once (`trocd serve --max-uploads`, `--max-uploads-per-firm`).
///
/// Each upload holds a reader thread pool, an 8 MiB queue and the ingestion report's index: bounding them bounds the
/// daemon's memory and CPU, and the per-firm bound keeps one firm from taking every slot.
package struct UploadLimits: Sendable, Hashable {
    /// Uploads of one firm at a time.
    package var perFirm: Int
    /// Uploads of all firms at a time.
    package var total: Int
    /// What a refused caller is told to wait, in seconds (`Retry-After`).
    package var retryAfterSeconds: Int

    /// Defaults: 2 per firm, 4 in all (two cores, a few hundred MB of memory each at most), retry after 15 s.
    package init(perFirm: Int = 2, total: Int = 4, retryAfterSeconds: Int = 15) {
        self.perFirm = perFirm
        self.total = total
        self.retryAfterSeconds = retryAfterSeconds
    }
}

/// Why an upload was not let in: a limit on uploads streaming at once was reached.
package struct UploadLimitReached: Error, Equatable, Sendable {
    /// Which limit.
    package enum Scope: String, Sendable {
        /// The firm's own uploads.
        case firm
        /// All firms' uploads together.
        case broker
    }

    package var scope: Scope
    /// The limit reached.
    package var limit: Int
    /// Seconds to wait before trying again.
    package var retryAfterSeconds: Int

    package init(scope: Scope, limit: Int, retryAfterSeconds: Int) {
        self.scope = scope
        self.limit = limit
        self.retryAfterSeconds = retryAfterSeconds
    }
}

/// Admits uploads within `UploadLimits`, before any byte of their body is read.
package final class UploadGate: Sendable {
    private let limits: UploadLimits
    private let running = Mutex(Running())

    /// Uploads in flight, in all and by firm.
    private struct Running {
        var total = 0
        var byFirm: [String: Int] = [:]
    }

    package init(limits: UploadLimits) {
        self.limits = limits
    }

    /// Takes a slot for one upload of `organisationID`, or refuses if a limit is reached; pair with `release(_:)`.
    package func admit(_ organisationID: String) throws(UploadLimitReached) {
        let refusal: UploadLimitReached? = running.withLock { running in
            let firm = running.byFirm[organisationID, default: 0]
            if firm >= limits.perFirm {
                return UploadLimitReached(scope: .firm, limit: limits.perFirm, retryAfterSeconds: limits.retryAfterSeconds)
            }
            if running.total >= limits.total {
                return UploadLimitReached(scope: .broker, limit: limits.total, retryAfterSeconds: limits.retryAfterSeconds)
            }
            running.total += 1
            running.byFirm[organisationID] = firm + 1
            return nil
        }
        if let refusal { throw refusal }
    }

    /// Gives back the slot `admit(_:)` took.
    package func release(_ organisationID: String) {
        running.withLock { running in
            running.total -= 1
            let firm = running.byFirm[organisationID, default: 1] - 1
            running.byFirm[organisationID] = firm > 0 ? firm : nil
        }
    }

    /// Runs `body` holding a slot for `organisationID`, refusing at once if none is free.
    package func withSlot<T>(for organisationID: String, _ body: () async throws -> T) async throws -> T {
        try admit(organisationID)
        defer { release(organisationID) }
        return try await body()
    }
}
