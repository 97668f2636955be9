import Foundation
import Logging
import TrocCore
import TrocStore

extension DealService {
    /// The steps of a deal a partner or an operator takes by name, through the API or the console.
    static let decisions: [DealTransition] = [.accept, .decline, .override, .approve, .reject, .release, .cancel]

    /// Takes `transition` on a deal the caller can see: one transaction in the store (the release also runs the engine and
    /// issues the invoices), after the caller's role and the deal's state are checked. Overrides and rejections need a
    /// reason; a deal that ends unreleased has its files purged at once.
    func decide(_ transition: DealTransition, dealID: String, reason: String?, caller: Identity, logger: Logger) async throws -> DealRecord {
        let deal = try await visibleDeal(dealID, for: caller)
        try authorise(transition, on: deal, caller: caller)
        let reason = reason?.trimmed
        let actor = actor(caller)
        let now = broker.clock()
        func requireReason() throws -> String {
            guard let reason, !reason.isEmpty else {
                throw ValidationFailure(
                    subject: "decision", code: "deal.reason-required",
                    fields: [FieldProblem(field: "reason", code: "missing", detail: "say why: it goes in the audit trail")])
            }
            return reason
        }
        switch transition {
        case .accept: _ = try await broker.store.accept(dealID: deal.id, actor: actor, now: now)
        case .decline: _ = try await broker.store.decline(dealID: deal.id, reason: reason, actor: actor, now: now)
        case .override: _ = try await broker.store.overrideDeal(id: deal.id, reason: try requireReason(), actor: actor, now: now)
        case .approve: _ = try await broker.store.approve(dealID: deal.id, actor: actor, now: now)
        case .reject: _ = try await broker.store.reject(dealID: deal.id, reason: try requireReason(), actor: actor, now: now)
        case .release: _ = try await release(deal.id, caller: caller)
        default: _ = try await broker.store.cancel(dealID: deal.id, reason: reason, actor: actor, now: now)
        }
        if [.decline, .reject, .cancel].contains(transition) {
            // The deal ended unreleased: its files go now, not at the next maintenance pass.
            do {
                try await broker.purgeExpiredFiles()
            } catch {
                logger.error("purging files failed", metadata: ["error.type": "\(type(of: error))"])
            }
        }
        return try await visibleDeal(deal.id, for: caller)
    }

    /// The report of a matched deal as `caller` may see it: the figures under differential privacy for everyone (the same
    /// ones every time), the engine's exact figures for operators only. A deal held before matching says why.
    func reportView(_ deal: DealRecord, for caller: Identity) async throws -> DealReportView {
        guard let json = deal.reportJSON else {
            if let hold = try await broker.store.matchHold(dealID: deal.id) { throw try await broker.dealHold(hold, for: caller).problem }
            throw Problem(
                type: ProblemMapping.typeURI("deal.no-report"), title: "No report yet", status: 409,
                detail: "the report is computed once both firms' files are in; the deal is \(deal.state.rawValue)", code: "deal.no-report")
        }
        let full = try StrictJSON.decoder.decode(MatchReport.self, from: Data(json.utf8))
        let report = DealReport(full, noise: broker.dealNoise(deal.id))
        return DealReportView(dealId: deal.id, report: report, full: caller.role == .operator ? full : nil)
    }
}
