import Foundation
package import Logging
import ServiceLifecycle
import TrocStore

/// Collects what interrupted writes and crashes leave in an object store: at start, then every `interval` (the store's
/// grace period keeps uploads in flight on any instance safe); closes the store's connections at shutdown. A blob
/// directory is swept by `Broker.open` instead, while nothing writes to it.
package struct BlobSweepService: Service {
    let broker: Broker
    let interval: Duration
    let logger: Logger

    package init(broker: Broker, interval: Duration = .seconds(600), logger: Logger) {
        self.broker = broker
        self.interval = interval
        self.logger = logger
    }

    /// Sweeps until shutdown begins, then releases the store.
    package func run() async throws {
        if broker.blobs.sweepsWhileRunning {
            do {
                try await cancelWhenGracefulShutdown {
                    while true {
                        await sweepOnce()
                        try await Task.sleep(for: interval)
                    }
                }
            } catch is CancellationError {
            }
        } else {
            try? await gracefulShutdown()
        }
        await broker.blobs.shutdown()
    }

    /// One sweep; a failure is logged and retried at the next.
    package func sweepOnce() async {
        do {
            let partials = try await broker.blobs.sweepPartials()
            let orphans = try await broker.blobs.sweepOrphans(known: try await broker.store.blobIDs())
            if !partials.isEmpty || !orphans.isEmpty {
                logger.info("blob sweep", metadata: ["partials": .stringConvertible(partials.count), "orphans": .stringConvertible(orphans.count)])
            }
        } catch {
            logger.error("blob sweep failed", metadata: ["error": "\(error)"])
        }
    }
}
