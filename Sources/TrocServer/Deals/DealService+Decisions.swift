import Foundation
import TrocCore
import TrocStore

extension DealService {
    /// The steps of a deal a partner or an operator takes by name, through the API or the console.
    enum Decision: String, CaseIterable, Sendable {
        case accept, decline, override, approve, reject, release, cancel
    }

    /// Takes `decision` on a deal the caller can see: one transaction in the store (the release also runs the engine and
    /// issues the invoices), which checks the state and the caller's role. Overrides and rejections need a reason.
    func decide(_ decision: Decision, dealID: String, reason: String?, caller: Identity) async throws -> DealRecord {
        let deal = try visibleDeal(dealID, for: caller)
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
        switch decision {
        case .accept: _ = try broker.database.accept(dealID: deal.id, actor: actor, now: now)
        case .decline: _ = try broker.database.decline(dealID: deal.id, reason: reason, actor: actor, now: now)
        case .override: _ = try broker.database.overrideDeal(id: deal.id, reason: try requireReason(), actor: actor, now: now)
        case .approve: _ = try broker.database.approve(dealID: deal.id, actor: actor, now: now)
        case .reject: _ = try broker.database.reject(dealID: deal.id, reason: try requireReason(), actor: actor, now: now)
        case .release: _ = try await release(deal.id, caller: caller)
        case .cancel: _ = try broker.database.cancel(dealID: deal.id, reason: reason, actor: actor, now: now)
        }
        return try visibleDeal(deal.id, for: caller)
    }

    /// The report of a matched deal as `caller` may see it: the partner view for everyone, the engine's exact figures for
    /// operators only.
    func reportView(_ deal: DealRecord, for caller: Identity) throws -> DealReportView {
        guard let json = deal.reportJSON else {
            throw Problem(
                type: ProblemMapping.typeURI("deal.no-report"), title: "No report yet", status: 409,
                detail: "the report is computed once both firms' files are in; the deal is \(deal.state.rawValue)", code: "deal.no-report")
        }
        let full = try StrictJSON.decoder.decode(MatchReport.self, from: Data(json.utf8))
        return DealReportView(dealId: deal.id, report: DealReport(full), full: caller.role == .operator ? full : nil)
    }
}
