package import Foundation
package import GRDB
package import TrocCore

/// A row of `audit`: one action, chained to the entry before it by an HMAC (see `AuditChain`).
package struct AuditRecord: StoreRecord {
    package static let databaseTableName = "audit"

    /// Position in the trail, from 1, without gaps.
    package var seq: Int64
    /// When the action was recorded.
    package var at: Date
    /// The acting user, nil for the system.
    package var actorUserID: String?
    /// The acting user's role, nil for the system.
    package var actorRole: Role?
    /// The organisation the action concerns.
    package var organisationID: String?
    /// The deal the action concerns.
    package var dealID: String?
    /// The action's code.
    package var action: String
    /// Aggregated facts as JSON text with sorted keys.
    package var detail: String
    /// Why, when a reason was given.
    package var reason: String?
    /// The client's IP address for an action a request made (entries from migration `v9-audit-client-address` on); nil for the system.
    package var clientAddress: String? = nil
    /// The MAC of the entry before (32 zero bytes for the first).
    package var previous: Data
    /// HMAC-SHA-256 under the audit key of `previous` and the canonical encoding of the fields above.
    package var mac: Data

    /// The detail, decoded.
    package func decodedDetail() throws(StoreError) -> [String: AuditValue] {
        do {
            return try JSONDecoder().decode([String: AuditValue].self, from: Data(detail.utf8))
        } catch {
            throw .database("audit entry \(seq) has a detail that is not a JSON object: \(error)")
        }
    }

    /// Column references for queries.
    package enum Columns {
        /// Sequence number.
        package static let seq = Column(CodingKeys.seq)
        /// The deal concerned.
        package static let dealID = Column(CodingKeys.dealID)
    }
}

/// The single row of `audit_head`: how many entries the trail has and the last MAC, itself MAC'ed, so a removed tail shows.
struct AuditHeadRecord: StoreRecord {
    static let databaseTableName = "audit_head"

    /// Always 1: the table has one row.
    var id: Int64
    /// Entries in the trail, which is also the last sequence number.
    var count: Int64
    /// The last entry's MAC.
    var lastMAC: Data
    /// HMAC-SHA-256 of the head (see `AuditChain.headMAC`).
    var mac: Data
}
