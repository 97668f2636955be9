package import Foundation
package import Logging
package import PostgresNIO
package import TrocCore
package import TrocStore

/// Deal lifecycle transitions in PostgreSQL, with exactly one winner when several instances try the same one.
///
/// The deal row is locked FOR UPDATE, the transition checked against the state read, and the UPDATE guarded by that
/// state as well: a second approver waits for the first to commit, then reads `approved` and is refused with the state
/// it found, as the SQLite store refuses it (`StoreError.dealTransitionRefused`). The change and its audit entry commit
/// together. Ported so far: the guard, the expiry pushed back and the audit entry; approve's mandate check and terms
/// snapshot come with the port of `AppDatabase.approve`.
package enum PostgresDealTransitions {
    /// Applies `transition` to deal `dealID` for `actor` inside the caller's transaction and returns the state it left.
    package static func apply(
        _ transition: DealTransition, dealID: String, actor: AuditActor, key: AuditKey, now: Date, on connection: PostgresConnection,
        logger: Logger
    ) async throws -> DealState {
        if let role = actor.role {
            // Transitions with no listed actor are the services'; an operator may run them by hand, nobody else.
            let allowed = transition.actors.isEmpty ? role == .operator : transition.actors.contains(role)
            guard allowed else { throw StoreError.transitionNotAllowed(transition: transition, role: role) }
        }
        let rows = try await connection.query(#"SELECT "state" FROM "deal" WHERE "id" = \#(dealID) FOR UPDATE"#, logger: logger)
        var current: DealState?
        for try await state in rows.decode(String.self) { current = DealState(rawValue: state) }
        guard let current else { throw StoreError.dealNotFound(id: dealID) }
        guard transition.from.contains(current) else {
            throw StoreError.dealTransitionRefused(DealTransitionError(transition: transition, current: current))
        }
        // A deal that can still stall gets its full idle period again from this move, as in the SQLite store.
        let stalls = DealTransition.expire.from.contains(transition.to)
        let seconds = Timestamp.seconds(now)
        let changed = try await connection.query(
            #"""
            UPDATE "deal" SET "state" = \#(transition.to.rawValue), "updatedAt" = \#(seconds),
                "expiresAt" = CASE WHEN \#(stalls) THEN \#(seconds) + 86400 * COALESCE(
                    (SELECT "dealExpiryDays" FROM "broker_settings" WHERE "id" = 1), \#(BrokerSettings.defaults.dealExpiryDays)) ELSE "expiresAt" END
            WHERE "id" = \#(dealID) AND "state" = \#(current.rawValue) RETURNING "id"
            """#, logger: logger
        ).collect()
        guard changed.count == 1 else {
            throw StoreError.dealTransitionRefused(DealTransitionError(transition: transition, current: current))
        }
        try await PostgresAuditTrail.append(
            AuditDraft(
                action: .deal(transition), actor: actor, dealID: dealID,
                detail: ["from": .string(current.rawValue), "to": .string(transition.to.rawValue)]),
            key: key, now: now, on: connection, logger: logger)
        return current
    }
}
