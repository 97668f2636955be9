import Foundation
package import GRDB
import Synchronization
import TrocCore

extension DealRecord {
    /// Reads a `deal` row column by column, as the `Decodable` default would, each distinct verdict text decoded once.
    ///
    /// A page of deals read through `Decodable` spent most of its time decoding the verdicts' JSON (a fresh decoder per
    /// row), although a firm's deals mostly share a few verdicts: the same pair of sectors gives the same text.
    package init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"), state: try row.decode(forColumn: "state"), proposerID: try row.decode(forColumn: "proposerID"),
            partnerID: try row.decode(forColumn: "partnerID"), pricePer1000Cents: try row.decode(forColumn: "pricePer1000Cents"),
            policy: try row.decode(forColumn: "policy"), verdict: try VerdictTexts.shared.verdict(try row.decode(forColumn: "verdict")),
            overrideReason: try row.decode(forColumn: "overrideReason"), reportJSON: try row.decode(forColumn: "reportJSON"),
            retentionMonths: try row.decode(forColumn: "retentionMonths"), createdAt: try row.decode(forColumn: "createdAt"),
            updatedAt: try row.decode(forColumn: "updatedAt"), expiresAt: try row.decode(forColumn: "expiresAt"),
            releasedAt: try row.decode(forColumn: "releasedAt"))
    }
}

/// The verdicts decoded from their stored JSON, by text: a text always decodes to the same verdict, so nothing goes stale.
private final class VerdictTexts: Sendable {
    static let shared = VerdictTexts()
    /// More distinct texts than any broker's sector pairs; past it the memo starts again rather than grow.
    private static let capacity = 4096
    private let decoded = Mutex<[String: SectorVerdict]>([:])

    /// The verdict `text` holds, decoded as GRDB decodes a JSON column.
    func verdict(_ text: String) throws -> SectorVerdict {
        if let known = decoded.withLock({ $0[text] }) { return known }
        let verdict = try DealRecord.databaseJSONDecoder(for: "verdict").decode(SectorVerdict.self, from: Data(text.utf8))
        decoded.withLock { memo in
            if memo.count >= Self.capacity { memo.removeAll() }
            memo[text] = verdict
        }
        return verdict
    }
}
