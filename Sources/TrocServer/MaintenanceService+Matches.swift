import Logging
import TrocCore
import TrocStore

extension MaintenanceService {
    /// Runs the match of every deal whose two files are in but which still awaits them, with no recorded reason to wait:
    /// the broker stopped (a crash, a kill) after the second file's attachment committed and before its report did,
    /// and no request would run it again. Failures are logged; the next pass tries again.
    package func resumeInterruptedMatches() async {
        let service = DealService(broker: broker)
        do {
            for deal in try await broker.store.deals(in: .awaitingFiles) {
                guard try await broker.store.matchHold(dealID: deal.id) == nil else { continue }
                try await service.matchIfReady(deal.id, waitIfHeld: false)
            }
        } catch {
            logger.error("resuming interrupted matches failed", metadata: ["error.type": "\(type(of: error))"])
        }
    }
}
