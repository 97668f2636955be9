import Foundation
import GRDB
import Testing
import TrocCore
import TrocStore

/// The deal schema's frozen lists agree with TrocCore's state machine, and its rules hold for writes that bypass the store.
@Suite struct SchemaDealsTests {
    let world: DealWorld

    init() throws {
        world = try DealWorld()
    }

    /// Inserts a deal row in `state` directly, with every column any state needs (an overridden unrelated verdict, a
    /// report, a release date), so that only the state rules can refuse it.
    func insertDeal(id: String, state: String) throws {
        try world.raw { db in
            try db.execute(
                sql: """
                    INSERT INTO deal (id, state, proposerID, partnerID, pricePer1000Cents, policy, verdict, overrideReason, reportJSON,
                        retentionMonths, createdAt, updatedAt, expiresAt, releasedAt)
                    VALUES (?, ?, ?, ?, 2500, 'equal-count', '{"kind":"unrelated"}', 'test', '{}', 13, 0, 0, 1, 1)
                    """, arguments: [id, state, world.windows.id, world.heating.id])
        }
    }

    @Test("the migrations are applied in order")
    func migrations() throws {
        #expect(
            AppDatabase.migrationNames == [
                "v1-accounts-files", "v2-deals-audit", "v3-invoices", "v4-trust-accounts", "v5-lawful-records", "v6-trust-privacy",
                "v7-trust-resources", "v8-invoicing-terms", "v9-audit-client-address", "v11-console", "v12-overseas-franchise",
            ])
        #expect(try world.raw { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") } == AppDatabase.migrationNames)
    }

    @Test("a deal starts only as proposed or awaiting-files, in a state TrocCore knows")
    func initialStates() throws {
        for (index, state) in DealState.allCases.enumerated() {
            let id = "del_" + String(repeating: "a", count: 15) + String("abcdefghijklmnop".dropFirst(index).prefix(1))
            let code = constraintCode { try insertDeal(id: id, state: state.rawValue) }
            #expect(code == ([.proposed, .awaitingFiles].contains(state) ? nil : .SQLITE_CONSTRAINT_TRIGGER), "\(state)")
        }
        #expect(constraintCode { try insertDeal(id: "del_zzzzzzzzzzzzzzzz", state: "pending") } == .SQLITE_CONSTRAINT_TRIGGER)
        #expect(constraintCode { try world.raw { try $0.execute(sql: "UPDATE deal SET state = 'pending'") } } == .SQLITE_CONSTRAINT_TRIGGER)
    }

    @Test("the state trigger allows exactly TrocCore's transitions", arguments: DealState.allCases)
    func transitions(from: DealState) throws {
        let allowed = Set(DealTransition.allCases.filter { $0.from.contains(from) }.map(\.to))
        // Walk a fresh deal to `from` along allowed moves, then try every target from there.
        let path = try #require(Self.path(to: from))
        for (index, target) in DealState.allCases.enumerated() where target != from {
            let id = "del_" + String(repeating: "b", count: 15) + String("abcdefghijklmnop".dropFirst(index).prefix(1))
            try insertDeal(id: id, state: path[0].rawValue)
            for step in path.dropFirst() {
                try world.raw { try $0.execute(sql: "UPDATE deal SET state = ? WHERE id = ?", arguments: [step.rawValue, id]) }
            }
            let code = constraintCode {
                try world.raw { try $0.execute(sql: "UPDATE deal SET state = ? WHERE id = ?", arguments: [target.rawValue, id]) }
            }
            #expect(code == (allowed.contains(target) ? nil : .SQLITE_CONSTRAINT_TRIGGER), "\(from.rawValue) → \(target.rawValue)")
        }
    }

    @Test("a deal's parties never change, must be partners, and deal_party rows name only them")
    func parties() throws {
        let deal = try world.proposeDeal()
        let broker = try #require(try world.database.brokerOrganisation())
        #expect(
            constraintCode {
                try world.raw { try $0.execute(sql: "UPDATE deal SET partnerID = ? WHERE id = ?", arguments: [broker.id, deal.id]) }
            } == .SQLITE_CONSTRAINT_TRIGGER)
        #expect(
            constraintCode {
                try world.raw {
                    try $0.execute(sql: "INSERT INTO deal_party (dealID, organisationID) VALUES (?, ?)", arguments: [deal.id, broker.id])
                }
            } == .SQLITE_CONSTRAINT_TRIGGER)
        #expect(
            constraintCode {
                try world.raw { db in
                    try db.execute(
                        sql: """
                            INSERT INTO deal (id, state, proposerID, partnerID, pricePer1000Cents, policy, verdict, retentionMonths,
                                createdAt, updatedAt, expiresAt)
                            VALUES ('del_cccccccccccccccc', 'awaiting-files', ?, ?, 2500, 'all', '{"kind":"complementary"}', 13, 0, 0, 1)
                            """, arguments: [world.windows.id, broker.id])
                }
            } == .SQLITE_CONSTRAINT_TRIGGER)
        // Unrelated sectors past `proposed` need the override's reason.
        #expect(
            constraintCode {
                try world.raw { db in
                    try db.execute(
                        sql: """
                            INSERT INTO deal (id, state, proposerID, partnerID, pricePer1000Cents, policy, verdict, retentionMonths,
                                createdAt, updatedAt, expiresAt)
                            VALUES ('del_dddddddddddddddd', 'awaiting-files', ?, ?, 2500, 'all', '{"kind":"unrelated"}', 13, 0, 0, 1)
                            """, arguments: [world.windows.id, world.heating.id])
                }
            } == .SQLITE_CONSTRAINT_CHECK)
    }

    /// The shortest list of states from a starting state to `target` along TrocCore's transitions.
    static func path(to target: DealState) -> [DealState]? {
        var queue: [[DealState]] = [[.proposed], [.awaitingFiles]]
        var seen: Set<DealState> = [.proposed, .awaitingFiles]
        while !queue.isEmpty {
            let path = queue.removeFirst()
            if path.last == target { return path }
            for transition in DealTransition.allCases where transition.from.contains(path.last!) && !seen.contains(transition.to) {
                seen.insert(transition.to)
                queue.append(path + [transition.to])
            }
        }
        return nil
    }
}
