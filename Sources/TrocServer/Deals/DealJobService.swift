package import Logging
import ServiceLifecycle
import TrocPostgres
import TrocStore

/// On a cluster (records in PostgreSQL), takes over the deal jobs whose instance stopped heart-beating (killed, hung,
/// cut off) and those nobody claimed: every `interval`, it claims them one by one and finishes them as their own
/// instance would have, in the name of who asked. On the embedded broker there are no such jobs and it only waits.
package struct DealJobService: Service {
    let broker: Broker
    let logger: Logger

    package init(broker: Broker, logger: Logger) {
        self.broker = broker
        self.logger = logger
    }

    package func run() async throws {
        guard let jobs = broker.jobs as? PostgresDealJobs else {
            try? await gracefulShutdown()
            return
        }
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    await takeOver(jobs)
                    try await Task.sleep(for: broker.configuration.jobPollInterval)
                }
            }
        } catch is CancellationError {
        }
    }

    /// Claims and finishes every claimable job; a failure is logged (the job is marked failed) and the next one taken.
    package func takeOver(_ jobs: PostgresDealJobs) async {
        while !Task.isCancelled {
            let claimed: PostgresJobQueue.Job?
            do {
                claimed = try await jobs.claimNext()
            } catch {
                logger.error("claiming deal jobs failed", metadata: ["error.type": "\(type(of: error))"])
                return
            }
            guard let job = claimed, let dealID = job.dealID, let kind = DealJobKind(rawValue: job.kind) else { return }
            logger.notice(
                "taking over a deal job", metadata: ["job": "\(job.id)", "kind": "\(job.kind)", "deal": "\(dealID)", "attempt": "\(job.attempts)"])
            let service = DealService(broker: broker)
            let actor = PostgresDealJobs.actor(of: job)
            do {
                try await jobs.perform(job) {
                    switch kind {
                    case .match: try await service.performMatch(dealID)
                    case .release: try await service.performRelease(dealID, actor: actor)
                    }
                }
            } catch {
                logger.error("a deal job taken over failed", metadata: ["job": "\(job.id)", "error": "\(error)"])
            }
        }
    }
}
