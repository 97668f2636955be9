package import Foundation
import GRDB

/// Why a deal with both files in did not match.
package enum MatchHold: Sendable, Hashable {
    /// The files of these parties have fewer exchangeable contacts (before the suppression list) than `minimum`.
    case filesTooSmall(organisationIDs: [String], minimum: Int)
    /// The two firms' reports within the retention window have spent the budget between them until `availableFrom`.
    case privacyBudgetSpent(availableFrom: Date)
}

/// A row of `deal_match_hold`: a deal awaiting files whose match was refused, and why; gone once a file is attached
/// again or the deal matches.
package struct MatchHoldRecord: StoreRecord {
    package static let databaseTableName = "deal_match_hold"

    /// The deal.
    package var dealID: String
    /// `file-too-small` or `privacy-budget`.
    package var reason: String
    /// The parties whose file is too small, as a JSON array.
    package var organisationIDs: String
    /// The minimum in force, for a file too small.
    package var minimumExchangeable: Int?
    /// When the budget allows a report again, for a spent budget.
    package var availableFrom: Date?
    /// When the match was refused.
    package var heldAt: Date

    /// The hold it records.
    package var hold: MatchHold {
        if reason == "privacy-budget", let availableFrom { return .privacyBudgetSpent(availableFrom: availableFrom) }
        let parties = (try? JSONDecoder().decode([String].self, from: Data(organisationIDs.utf8))) ?? []
        return .filesTooSmall(organisationIDs: parties, minimum: minimumExchangeable ?? 0)
    }

    /// The row recording `hold` on deal `dealID` at `now`.
    /// A record with every column given (the other stores build it from their rows).
    package init(dealID: String, reason: String, organisationIDs: String, minimumExchangeable: Int?, availableFrom: Date?, heldAt: Date) {
        self.dealID = dealID
        self.reason = reason
        self.organisationIDs = organisationIDs
        self.minimumExchangeable = minimumExchangeable
        self.availableFrom = availableFrom
        self.heldAt = heldAt
    }

    package init(dealID: String, hold: MatchHold, now: Date) {
        self.dealID = dealID
        heldAt = Timestamp.stored(now)
        switch hold {
        case .filesTooSmall(let parties, let minimum):
            reason = "file-too-small"
            organisationIDs = String(decoding: (try? JSONEncoder().encode(parties)) ?? Data("[]".utf8), as: UTF8.self)
            minimumExchangeable = minimum
            availableFrom = nil
        case .privacyBudgetSpent(let availableFrom):
            reason = "privacy-budget"
            organisationIDs = "[]"
            minimumExchangeable = nil
            self.availableFrom = Timestamp.stored(availableFrom)
        }
    }
}
