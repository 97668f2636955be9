import Foundation
package import Logging
import ServiceLifecycle
import TrocCore
import TrocStore

/// The broker's periodic duties, run at start and then every `interval` until shutdown: expire stalled
/// deals, purge spent deliveries, close deals past their retention, issue the invoices of any deal released
/// but not yet invoiced (after a crash between the two), run the match of any deal whose second file came in
/// just before a crash, purge the files the retention rules no longer
/// allow (a released deal's after its dispute window, an ended deal's at once, a file in no deal after its
/// days), and put in force the key changes whose delay has passed (requests do it too; this records it
/// even when none comes).
package struct MaintenanceService: Service {
    let broker: Broker
    let interval: Duration
    let logger: Logger

    package init(broker: Broker, interval: Duration = .seconds(600), logger: Logger) {
        self.broker = broker
        self.interval = interval
        self.logger = logger
    }

    /// Returns once shutdown begins: the whole loop is cancelled then, so a pass is never started after it.
    package func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    await runOnce()
                    await resumeInterruptedMatches()
                    try await Task.sleep(for: interval)
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// One pass; each duty's failure is logged and does not stop the others.
    package func runOnce() async {
        let now = broker.clock()
        do {
            let expired = try await broker.store.expireStalledDeals(now: now)
            if !expired.isEmpty { logger.info("stalled deals expired", metadata: ["count": .stringConvertible(expired.count)]) }
        } catch {
            logger.error("expiring stalled deals failed", metadata: ["error.type": "\(type(of: error))"])
        }
        do {
            let effective = try await broker.store.settleKeyChanges(now: now)
            if !effective.isEmpty { logger.info("key changes in force", metadata: ["count": .stringConvertible(effective.count)]) }
        } catch {
            logger.error("putting key changes in force failed", metadata: ["error.type": "\(type(of: error))"])
        }
        do {
            broker.blobs.discard(blobIDs: try await broker.store.purgeSpentDeliveries(now: now))
        } catch {
            logger.error("purging deliveries failed", metadata: ["error.type": "\(type(of: error))"])
        }
        do {
            let service = DealService(broker: broker)
            // One deal that cannot be invoiced or closed (a refusal, a lost connection) is logged and left for the next
            // pass; the deals after it still are.
            for deal in try await broker.store.dealsDueForMaintenance(now: now) {
                do {
                    if deal.state == .released {
                        try await service.invoiceReleased(deal, actor: .system)
                    } else if deal.state == .invoiced, let releasedAt = deal.releasedAt,
                        Calendar.utc.date(byAdding: .month, value: deal.retentionMonths, to: releasedAt).map({ $0 <= now }) == true
                    {
                        let closed = try await broker.store.closeDeal(dealID: deal.id, actor: .system, now: now)
                        broker.blobs.discard(blobIDs: closed.purgedBlobIDs)
                    }
                } catch {
                    logger.error(
                        "closing or invoicing a deal failed", metadata: ["deal.id": .string(deal.id), "error.type": "\(type(of: error))"])
                }
            }
        } catch {
            logger.error("listing the deals to close or invoice failed", metadata: ["error.type": "\(type(of: error))"])
        }
        do {
            let purged = try await broker.purgeExpiredFiles()
            if !purged.isEmpty { logger.info("files purged", metadata: ["count": .stringConvertible(purged.count)]) }
        } catch {
            logger.error("purging files failed", metadata: ["error.type": "\(type(of: error))"])
        }
    }
}

extension Calendar {
    /// The Gregorian calendar in UTC, for retention arithmetic.
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
