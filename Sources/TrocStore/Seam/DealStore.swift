package import Foundation
package import TrocCore

/// Deals through their lifecycle, with their parties, attached files, deliveries and the pages the API lists.
///
/// Every transition is one state-guarded transaction (the deal must be in the state it leaves, so of two racing
/// transitions exactly one wins) that appends its audit entry in the same transaction; a read sees one consistent snapshot.
package protocol DealStore: Sendable {
    /// Proposes a deal: `awaiting-files` for complementary sectors, `proposed` (waiting for an override) for unrelated ones;
    /// confidential and competing sectors are refused. Price bounds, expiry and retention come from the settings in force.
    func createDeal(_ draft: DealDraft, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord

    /// Records an operator's reason to let unrelated sectors trade: `proposed` → `awaiting-files`.
    func overrideDeal(id: String, reason: String, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord

    /// Attaches a party's file to a deal awaiting files, replacing the file that party attached before; returns the deal's files.
    ///
    /// The party is the file's organisation; a partner attaches only its own files to its own deals.
    func attachFile(dealID: String, fileID: String, actor: AuditActor, now: Date) async throws(StoreError) -> [DealFileRecord]

    /// Records the engine's report once both files are in: `awaiting-files` → `matched`, spending the privacy budget of
    /// one report on each party's file towards the other (refused with `privacyBudgetSpent` when it is spent).
    ///
    /// `fileIDs` are the files the engine read; if a party replaced its file meanwhile the match is refused and must run again.
    func recordMatch(dealID: String, fileIDs: Set<String>, reportJSON: String, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord

    /// Records a party's acceptance of the report; the second acceptance moves the deal `matched` → `accepted` and
    /// freezes its terms (`DealTerms`), in the same transaction.
    ///
    /// The party is the actor's organisation; accepting again changes nothing. A firm that has not registered its VAT
    /// status and bank account cannot accept, nor can the second firm when the terms could not be invoiced.
    func accept(dealID: String, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord

    /// Records a party's refusal of the report: `matched` → `cancelled`.
    func decline(dealID: String, reason: String?, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord

    /// An operator approves a deal both parties accepted: `accepted` → `approved`, once both firms have a billing mandate
    /// in force (the broker issues their exchange invoices in their names at release).
    func approve(dealID: String, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord

    /// An operator rejects a deal, saying why: `accepted` → `rejected`.
    func reject(dealID: String, reason: String, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord

    /// Records the deliveries the server sealed and stored, and moves the deal `approved` → `released`; refused while a
    /// party has no billing mandate in force.
    ///
    /// At most one delivery per party, each to a party from the other; downloads and expiry come from the settings. When
    /// the release is refused (another release won the race), nothing is recorded and the caller deletes its blob files.
    func release(dealID: String, deliveries: [DeliveryDraft], actor: AuditActor, now: Date) async throws(StoreError) -> [DeliveryRecord]

    /// A party or an operator withdraws before release: → `cancelled`.
    func cancel(dealID: String, reason: String?, actor: AuditActor, now: Date) async throws(StoreError) -> DealRecord

    /// Ends every deal not released whose expiry has come: → `expired`, one audit entry each, all in one transaction.
    func expireStalledDeals(now: Date) async throws(StoreError) -> [DealRecord]

    /// Closes an invoiced deal at the end of retention: `invoiced` → `closed`, purging its deliveries, the record of who
    /// received whom, and the source files no other deal still holds. Rows go first; the caller then deletes the returned
    /// blob files.
    func closeDeal(dealID: String, actor: AuditActor, now: Date) async throws(StoreError) -> ClosedDeal

    /// The deal with `id`, or nil.
    func deal(id: String) async throws(StoreError) -> DealRecord?

    /// Deals in `state`, oldest first: what a maintenance duty looks for, without reading every deal the broker holds.
    func deals(in state: DealState) async throws(StoreError) -> [DealRecord]

    /// The deals the maintenance pass may have to finish by `now`: released ones (a crash may have left their invoices
    /// unissued) and invoiced ones whose retention may have run out. A month is at least 28 days, so an invoiced deal
    /// released less than `retentionMonths` × 28 days ago cannot be due; the caller's calendar decides for the rest.
    /// A pass then reads what may be due, not every deal the broker ever held.
    func dealsDueForMaintenance(now: Date) async throws(StoreError) -> [DealRecord]

    /// The two parties' answers, proposer first.
    func dealParties(dealID: String) async throws(StoreError) -> [DealPartyRecord]

    /// The files attached to a deal, first attached first.
    func dealFiles(dealID: String) async throws(StoreError) -> [DealFileRecord]

    /// Up to `limit` deals that `organisationID` is a party of (every deal when nil), oldest first, starting after the deal
    /// `afterID`, with what their views need and `recipientID`'s deliveries; nil when `afterID` names no such deal.
    func dealPage(organisationID: String?, after afterID: String?, limit: Int, recipientID: String?) async throws(StoreError) -> DealListing?

    /// `deals` with what their views need, read in one transaction.
    func listing(of deals: [DealRecord], recipientID: String?) async throws(StoreError) -> DealListing

    /// Grants one download of a delivery to its recipient, the actor's organisation, in one transaction: refuses another
    /// organisation (as not found), a purged or expired delivery, one with no key to seal to and one with no downloads
    /// left; otherwise counts the download and audits it.
    ///
    /// The delivery is sealed to the key bound at release. One released to a firm that had no key then is bound here, to
    /// the firm's first key: any later key is an approved change, so a token alone cannot redirect a delivery.
    func claimDownload(deliveryID: String, actor: AuditActor, now: Date) async throws(StoreError) -> ClaimedDownload

    /// The delivery with `id`, or nil.
    func delivery(id: String) async throws(StoreError) -> DeliveryRecord?

    /// The deliveries of a deal, or only those to `recipientID`.
    func deliveries(dealID: String, recipientID: String?) async throws(StoreError) -> [DeliveryRecord]

    /// Purges deliveries that can no longer be downloaded (expired, or no downloads left) before their deal
    /// closes: rows first, in one transaction; the caller then deletes the returned blob files.
    func purgeSpentDeliveries(now: Date) async throws(StoreError) -> [String]
}
