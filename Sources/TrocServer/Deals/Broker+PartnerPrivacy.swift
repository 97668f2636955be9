import Foundation
import TrocCore
import TrocCrypto
import TrocStore

extension Broker {
    /// The noise of deal `dealID`'s partner figures, from its own key derived from the root hashing secret.
    func dealNoise(_ dealID: String) -> DealNoise {
        DealNoise(key: keys.rootHashingSecret.dealNoiseKey(dealID: dealID))
    }

    /// How a deal's match hold reads in the API, naming the parties by name; the caller's own firm is "your firm".
    func dealHold(_ record: MatchHoldRecord, for caller: Identity) async throws -> DealHold {
        switch record.hold {
        case .filesTooSmall(let parties, let minimum):
            var names: [String] = []
            for id in parties {
                names.append(id == caller.organisationID ? "your firm" : try await store.organisation(id: id)?.name ?? id)
            }
            return DealHold(
                code: "deal.file-too-small",
                detail: "the file of \(names.joined(separator: " and ")) has fewer exchangeable contacts than the broker's minimum of \(minimum) "
                    + "(counted before the suppression list, as `troc match` counts them); attach a larger file to the deal",
                organisationIds: parties, minimumExchangeable: minimum, availableFrom: nil)
        case .privacyBudgetSpent(let availableFrom):
            return DealHold(
                code: "deal.privacy-budget-spent",
                detail: "the match reports between these two firms within the retention window have spent the privacy budget that keeps "
                    + "each firm's contacts from being singled out; a report can be released from \(availableFrom.ISO8601Format()): "
                    + "cancel this deal, or attach a file again from then",
                organisationIds: [], minimumExchangeable: nil, availableFrom: availableFrom)
        }
    }
}

extension DealHold {
    /// The 409 problem the report endpoint answers while the deal is held.
    var problem: Problem {
        Problem(
            type: ProblemMapping.typeURI(code), title: code == "deal.file-too-small" ? "File too small" : "Privacy budget spent", status: 409,
            detail: detail, code: code)
    }
}
