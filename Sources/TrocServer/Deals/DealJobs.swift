package import Foundation
import TrocCore
package import TrocPostgres
package import TrocStore

/// Deal work that must finish even if the instance doing it stops half-way.
package enum DealJobKind: String, Sendable, CaseIterable {
    /// Reading both files and recording the report.
    case match
    /// Sealing the deliveries, recording the release, issuing the invoices.
    case release
}

/// How a broker runs its deal jobs. On SQLite, in process: one broker, whose restart resumes an interrupted match or
/// invoicing from the deal's state (`MaintenanceService`). On PostgreSQL, several instances: each job is recorded, run
/// under a lease its holder keeps alive, and taken over by another instance (`DealJobService`) once the lease lapses.
/// Either way a job may run more than once and its effects happen once: every step is a state-guarded transition.
package protocol DealJobs: Sendable {
    /// Runs `work` as job `kind` of deal `dealID`, asked by `actor`; when another instance holds that job already, waits
    /// for it to end instead (or, without `waitIfHeld`, returns at once: a periodic duty that will look again).
    func run(_ kind: DealJobKind, dealID: String, actor: AuditActor, waitIfHeld: Bool, _ work: @escaping @Sendable () async throws -> Void)
        async throws
}

/// Jobs run in the request that asks for them (the embedded broker).
package struct InProcessDealJobs: DealJobs {
    package init() {}

    package func run(
        _ kind: DealJobKind, dealID: String, actor: AuditActor, waitIfHeld: Bool, _ work: @escaping @Sendable () async throws -> Void
    ) async throws {
        try await work()
    }
}

/// Jobs recorded in PostgreSQL and claimed under a lease that heartbeats extend (`PostgresJobQueue`).
package struct PostgresDealJobs: DealJobs {
    let store: PostgresStore
    let queue: PostgresJobQueue
    let clock: @Sendable () -> Date
    /// How long a request waits for the same job running on another instance.
    let patience: Duration

    /// Jobs of the instance named `holder`, with leases of `lease`.
    package init(store: PostgresStore, holder: String, lease: Duration, patience: Duration = .seconds(600), clock: @escaping @Sendable () -> Date) {
        self.store = store
        queue = PostgresJobQueue(holder: holder, lease: lease)
        self.clock = clock
        self.patience = patience
    }

    /// The name of this process among the instances: host and process id.
    package static func holderName() -> String {
        "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)"
    }

    package func run(
        _ kind: DealJobKind, dealID: String, actor: AuditActor, waitIfHeld: Bool, _ work: @escaping @Sendable () async throws -> Void
    ) async throws {
        if let id = try await store.enqueueJob(kind: kind.rawValue, dealID: dealID, payload: try Self.payload(actor), now: clock()),
            let job = try await store.claimJob(id: id, kinds: [kind.rawValue], queue: queue, now: clock())
        {
            try await perform(job, work)
            return
        }
        // Another instance holds it (or took it between our record and our claim): its end is this request's answer.
        guard waitIfHeld else { return }
        let deadline = ContinuousClock.now.advanced(by: patience)
        while try await store.openJobs(kind: kind.rawValue, dealID: dealID) > 0 {
            guard ContinuousClock.now < deadline else { throw DealJobError.stillRunning(kind: kind, dealID: dealID) }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// The next job whose holder let its lease lapse (or which nobody claimed yet), claimed for this instance.
    package func claimNext() async throws -> PostgresJobQueue.Job? {
        try await store.claimNextJob(kinds: DealJobKind.allCases.map(\.rawValue), queue: queue, now: clock())
    }

    /// Runs `work` under `job`'s lease, heart-beating a third of the lease apart, and records how it ended: done, or
    /// failed with the error (a failed job is not retried; the operator asks again).
    package func perform(_ job: PostgresJobQueue.Job, _ work: @escaping @Sendable () async throws -> Void) async throws {
        let (store, queue, clock) = (store, queue, clock)
        let beat = queue.lease / 3
        let heart = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: beat)
                guard !Task.isCancelled, (try? await store.heartbeat(job, queue: queue, now: clock())) != false else { return }
            }
        }
        do {
            try await work()
        } catch {
            heart.cancel()
            _ = try? await store.completeJob(job, queue: queue, failed: true, outcome: String(describing: error), now: clock())
            throw error
        }
        heart.cancel()
        _ = try await store.completeJob(job, queue: queue, failed: false, outcome: "done", now: clock())
    }

    /// The actor a job's payload names, as it was recorded.
    package static func actor(of job: PostgresJobQueue.Job) -> AuditActor {
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8)) else { return .system }
        guard let userID = payload.userID, let role = payload.role.flatMap(Role.init(rawValue:)) else { return .system }
        return AuditActor(userID: userID, role: role, organisationID: payload.organisationID)
    }

    /// `actor` as a job's payload.
    private static func payload(_ actor: AuditActor) throws -> String {
        let payload = Payload(userID: actor.userID, role: actor.role?.rawValue, organisationID: actor.organisationID)
        return String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
    }

    /// Who asked for a job, so that whoever finishes it audits it in their name.
    private struct Payload: Codable {
        var userID: String?
        var role: String?
        var organisationID: String?
    }
}

/// A job another instance holds and did not finish in the time a request waits.
package enum DealJobError: Error, CustomStringConvertible {
    case stillRunning(kind: DealJobKind, dealID: String)

    package var description: String {
        switch self {
        case .stillRunning(let kind, let dealID): "the \(kind.rawValue) of deal \(dealID) is still running on another instance; ask again later"
        }
    }
}
