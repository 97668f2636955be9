import Foundation
import Hummingbird
import Logging
import NIOCore
import TrocCore
import TrocCrypto
import TrocStore

/// Deals: proposal with its sector verdict, files, the report, acceptances, the operator's decision,
/// release and the deliveries. Partners act on their own deals; another firm's deal answers 404.
struct DealController {
    let broker: Broker
    var service: DealService { DealService(broker: broker) }
    /// The deals' JSON as last listed, so that a page read again costs no encoding.
    let listed = EncodedViews<Deal>(capacity: 2048)

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get("deals", use: list)
        router.post("deals", use: propose)
        router.get("deals/:dealId", use: show)
        router.post("deals/:dealId/files", use: addFile)
        router.get("deals/:dealId/report", use: report)
        router.get("deals/:dealId/delivery", use: delivery)
        for transition in DealService.decisions {
            router.post("deals/:dealId/\(transition.rawValue)") { request, context in try await decide(transition, request: request, context: context)
            }
        }
    }

    /// One page of the caller's deals, oldest first (`limit`, `after`); a full page links to the next one (`Link: rel="next"`).
    @Sendable func list(_ request: Request, context: TrocRequestContext) async throws -> EditedResponse<JSONArrayResponse> {
        let caller = try context.caller(in: .partner, .operator)
        let query = request.uri.queryParameters
        let limit =
            try query.get("limit").map { text in
                guard let limit = Int(text), (1...AppDatabase.dealPageLimit).contains(limit) else {
                    throw RequestError.invalidParameter("limit", "a number of deals between 1 and \(AppDatabase.dealPageLimit)")
                }
                return limit
            } ?? Self.defaultPageSize
        let after = query.get("after")
        guard
            let page = try await broker.store.dealPage(
                organisationID: caller.role == .operator ? nil : caller.organisationID, after: after, limit: limit,
                recipientID: caller.role == .partner ? caller.organisationID : nil)
        else {
            throw RequestError.invalidParameter("after", "the id of one of your deals, such as the last one of the previous page")
        }
        var headers = HTTPFields()
        if page.deals.count == limit, let last = page.deals.last {
            headers[.link] = "</v1/deals?limit=\(limit)&after=\(last.id)>; rel=\"next\""
        }
        var deals: [Deal] = []
        deals.reserveCapacity(page.deals.count)
        for deal in page.deals { deals.append(try await view(deal, in: page, for: caller)) }
        return EditedResponse(headers: headers, response: JSONArrayResponse(bytes: try listed.jsonArray(deals)))
    }

    /// Deals per page when the caller does not say.
    static let defaultPageSize = 100

    @Sendable func propose(_ request: Request, context: TrocRequestContext) async throws -> EditedResponse<Deal> {
        let caller = try context.caller(in: .partner)
        let new = try await request.decode(as: NewDeal.self, context: context)
        let deal = try await service.propose(new, caller: caller)
        context.logger.info("deal proposed", metadata: ["deal": .string(deal.id), "verdict": .string(deal.verdict.kind.rawValue)])
        return EditedResponse(status: .created, response: try await view(deal, for: caller))
    }

    @Sendable func show(_ request: Request, context: TrocRequestContext) async throws -> Deal {
        let caller = try context.caller(in: .partner, .operator)
        return try await view(try await service.visibleDeal(try context.parameters.require("dealId"), for: caller), for: caller)
    }

    /// An upload into the deal (an envelope), or an already stored file attached by id (JSON).
    @Sendable func addFile(_ request: Request, context: TrocRequestContext) async throws -> Deal {
        let caller = try context.caller(in: .partner)
        let deal = try await service.visibleDeal(try context.parameters.require("dealId"), for: caller)
        let fileID: String
        if request.headers[.contentType]?.hasPrefix("application/json") == true {
            fileID = try await request.decode(as: AttachFile.self, context: context).fileId
            guard let file = try await broker.store.file(id: fileID), file.organisationID == caller.organisationID else {
                throw AccessError.notFound("file")
            }
        } else {
            guard deal.state == .awaitingFiles else { throw StoreError.dealNotAwaitingFiles(dealID: deal.id, current: deal.state) }
            let purpose = try EnvelopePurpose(TransferPurpose.dealUpload(dealID: deal.id, organisationID: caller.organisationID))
            fileID = try await FileController(broker: broker).receive(request, context: context, caller: caller, purpose: purpose).id
        }
        _ = try await broker.store.attachFile(dealID: deal.id, fileID: fileID, actor: service.actor(caller), now: broker.clock())
        try await service.matchIfReady(deal.id)
        return try await view(try await service.visibleDeal(deal.id, for: caller), for: caller)
    }

    @Sendable func report(_ request: Request, context: TrocRequestContext) async throws -> DealReportView {
        let caller = try context.caller(in: .partner, .operator)
        let deal = try await service.visibleDeal(try context.parameters.require("dealId"), for: caller)
        return try await service.reportView(deal, for: caller)
    }

    /// The caller's delivery, sealed to the firm's key bound at release (`Troc-Key-Fingerprint` names it); each download counts.
    @Sendable func delivery(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try context.caller(in: .partner)
        let deal = try await service.visibleDeal(try context.parameters.require("dealId"), for: caller)
        guard let delivery = try await broker.store.deliveries(dealID: deal.id, recipientID: caller.organisationID).first else {
            throw Problem(
                type: ProblemMapping.typeURI("delivery.not-released"), title: "Not released", status: 409,
                detail: "the deal is \(deal.state.rawValue): deliveries exist once an operator has released it", code: "delivery.not-released")
        }
        let claimed = try await broker.store.claimDownload(deliveryID: delivery.id, actor: service.actor(caller), now: broker.clock())
        guard let pem = claimed.delivery.recipientKeyPEM, let fingerprint = claimed.delivery.recipientKeyFingerprint else {
            throw StoreError.account(.deliveryKeyMissing(organisationID: caller.organisationID))
        }
        let recipient = try EnvelopePublicKey(pemText: pem)
        let reader = try await broker.blobs.openReader(
            blobID: claimed.blob.id, wrappedKey: try claimed.blob.parsedWrappedKey(), masterKey: broker.masterKey)
        let purpose = try EnvelopePurpose(TransferPurpose.delivery(dealID: deal.id, organisationID: caller.organisationID))
        let length = EnvelopeLength.of(plaintextBytes: claimed.blob.plaintextByteCount)
        var response = EnvelopeResponse.stream(from: reader, to: recipient, purpose: purpose, length: length)
        response.headers[.trocKeyFingerprint] = fingerprint
        return response
    }

    /// Accept, decline, override, approve, reject, release, cancel: each one transaction in the store.
    ///
    /// Role and state are checked before the body is read or anything runs: a partner asking for a release is refused
    /// before the match would run again.
    func decide(_ transition: DealTransition, request: Request, context: TrocRequestContext) async throws -> Deal {
        let caller = try context.caller(in: .partner, .operator)
        let dealID = try context.parameters.require("dealId")
        try service.authorise(transition, on: try await service.visibleDeal(dealID, for: caller), caller: caller)
        let reason = try await request.decode(as: DealDecision.self, context: context).reason
        let deal = try await service.decide(transition, dealID: dealID, reason: reason, caller: caller, logger: context.logger)
        context.logger.info("deal decision", metadata: ["deal": .string(deal.id), "action": .string(transition.rawValue)])
        return try await view(deal, for: caller)
    }

    /// The API form of a deal for `caller` (a partner also sees its delivery).
    func view(_ deal: DealRecord, for caller: Identity) async throws -> Deal {
        try await view(
            deal, in: try await broker.store.listing(of: [deal], recipientID: caller.role == .partner ? caller.organisationID : nil), for: caller)
    }

    /// The API form of a deal of `listing`, from the rows it already holds.
    func view(_ deal: DealRecord, in listing: DealListing, for caller: Identity) async throws -> Deal {
        let parties = listing.parties[deal.id] ?? []
        let files = listing.files[deal.id] ?? []
        func party(_ id: String) throws -> DealPartyView {
            guard let organisation = listing.organisations[id] else { throw AccessError.notFound("organisation") }
            let record = parties.first { $0.organisationID == id }
            return DealPartyView(
                organisationId: id, name: organisation.name, nafCode: organisation.nafCode,
                fileAttached: files.contains { $0.organisationID == id && $0.fileID != nil }, acceptedAt: record?.acceptedAt,
                declinedAt: record?.declinedAt)
        }
        var hold: DealHold?
        if let record = listing.holds[deal.id] { hold = try await broker.dealHold(record, for: caller) }
        var delivery: DeliveryView?
        if caller.role == .partner, let record = listing.deliveries[deal.id] {
            delivery = DeliveryView(
                rows: Int(record.rowCount), downloadsRemaining: record.downloadsRemaining, expiresAt: record.expiresAt,
                keyFingerprint: record.recipientKeyFingerprint)
        }
        return Deal(
            id: deal.id, state: deal.state, proposer: try party(deal.proposerID), partner: try party(deal.partnerID),
            pricePer1000Cents: Int(deal.pricePer1000Cents),
            policy: deal.policy, verdict: deal.verdict, overrideReason: deal.overrideReason, reportReady: deal.reportJSON != nil, delivery: delivery,
            createdAt: deal.createdAt, updatedAt: deal.updatedAt, expiresAt: deal.expiresAt,
            hold: hold)
    }
}
