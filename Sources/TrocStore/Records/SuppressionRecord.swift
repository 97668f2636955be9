package import Foundation
public import GRDB
public import TrocCore

/// Why a key is on the suppression list.
package enum SuppressionSource: String, Codable, Sendable, CaseIterable, DatabaseValueConvertible {
    /// The contact opted out with a partner or the broker.
    case optout
    /// The contact unsubscribed from a mailing.
    case unsubscribe
    /// The contact asked for erasure.
    case erasure
    /// An imported opposition list (Bloctel and the like).
    case oppositionList = "opposition-list"
}

extension MatchKeyKind: DatabaseValueConvertible {
    /// Stored by name (`email`, `phone`, `siret`) rather than by the engine's index, so the table reads on its own.
    public var databaseValue: DatabaseValue { name.databaseValue }

    /// The kind with that stored name.
    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> MatchKeyKind? {
        String.fromDatabaseValue(dbValue).flatMap { name in allCases.first { $0.name == name } }
    }
}

/// A row of `suppression`: the 128-bit keyed hash of an email, phone or SIRET that is never delivered again.
package struct SuppressionRecord: StoreRecord {
    package static let databaseTableName = "suppression"

    /// Which kind of value was hashed.
    package var kind: MatchKeyKind
    /// The 16 bytes of the match key, big-endian.
    package var key: Data
    /// Why it is suppressed.
    package var source: SuppressionSource
    /// When it was first added.
    package var addedAt: Date
}

/// A row of `erasure`: an erasure request carried out, in counts only, with no personal data.
package struct ErasureRecord: StoreRecord, Identifiable {
    package static let databaseTableName = "erasure"

    /// `era_` and 16 base32 characters.
    package var id: String
    /// When the person asked.
    package var requestedAt: Date
    /// When the broker finished carrying it out.
    package var completedAt: Date
    /// Stored files rewritten without the person's rows.
    package var filesRewritten: Int
    /// Rows removed across those files.
    package var rowsRemoved: Int
    /// Keys added to the suppression list.
    package var keysSuppressed: Int
    /// The operator who carried it out.
    package var actorUserID: String?
    /// Deliveries still held rewritten without the person.
    package var deliveriesRewritten: Int
    /// Notices recorded for firms that had already received the person.
    package var noticesRecorded: Int

    /// An erasure row with every column.
    package init(
        id: String, requestedAt: Date, completedAt: Date, filesRewritten: Int, rowsRemoved: Int, keysSuppressed: Int, actorUserID: String?,
        deliveriesRewritten: Int, noticesRecorded: Int
    ) {
        self.id = id
        self.requestedAt = requestedAt
        self.completedAt = completedAt
        self.filesRewritten = filesRewritten
        self.rowsRemoved = rowsRemoved
        self.keysSuppressed = keysSuppressed
        self.actorUserID = actorUserID
        self.deliveriesRewritten = deliveriesRewritten
        self.noticesRecorded = noticesRecorded
    }

    /// Column references for queries.
    package enum Columns {
        /// Completion date.
        package static let completedAt = Column(CodingKeys.completedAt)
        /// The id, which breaks ties in listing order.
        package static let id = Column(CodingKeys.id)
    }
}
