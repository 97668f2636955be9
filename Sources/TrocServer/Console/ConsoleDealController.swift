import Foundation
import Hummingbird
import Logging
import NIOCore
import TrocCore
import TrocCrypto
import TrocStore

/// The console's deal pages: the operator's dashboard, the deal lists and pages with their report and charts, the
/// decisions, a partner's proposal, its files, and the browser-encrypted uploads and deliveries (the page seals and
/// opens the envelopes; the server sees what the API sees).
struct ConsoleDealController {
    let console: ConsoleContext
    var broker: Broker { console.broker }
    var service: DealService { DealService(broker: broker) }

    /// Deals on one page of a list.
    static let pageSize = 50

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get("", use: home)
        router.get("deals", use: list)
        router.get("deals/new", use: proposePage)
        router.post("deals/new", use: propose)
        router.get("deals/:dealId", use: show)
        router.post("deals/:dealId/upload", use: upload)
        router.get("deals/:dealId/delivery", use: delivery)
        router.post("deals/:dealId/:decision", use: decide)
        router.get("files", use: files)
        router.post("files/upload", use: uploadFile)
        router.get("key", use: keyPage)
        router.post("key", use: registerKey)
    }

    /// The operator's dashboard; the others' first page.
    @Sendable func home(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context)
        switch caller.role {
        case .partner: return ConsoleRenderer.redirect("/console/deals")
        case .accountant: return ConsoleRenderer.redirect("/console/invoices")
        case .operator: break
        }
        let format = ConsoleFormat(language: console.language(request))
        let text = ConsoleText(format.language)
        let counts = try await broker.store.dealCounts(organisationID: nil)
        let states = DealState.allCases.map { state in
            [
                "label": text["state_" + state.rawValue], "count": format.integer(counts[state] ?? 0),
                "href": "/console/deals?state=\(state.rawValue)",
            ] as [String: Any?]
        }
        func waiting(_ state: DealState, _ key: String) async throws -> [String: Any?] {
            let page = try await broker.store.dealPage(DealFilter(state: state), limit: 10, offset: 0)
            return [
                "title": text[key], "total": format.integer(page.total), "deals": try await rows(page.items, format: format, text: text),
                "more": page.total > page.items.count ? "/console/deals?state=\(state.rawValue)" : nil, "empty": page.items.isEmpty,
            ]
        }
        let keyChanges = try await broker.store.keyChanges(organisationID: nil).filter { $0.state == .requested }
        return console.page(
            "dashboard", request, context, titleKey: "dashboard_title", section: "dashboard",
            values: [
                "states": states,
                "forOperators": [
                    try await waiting(.proposed, "wait_override"), try await waiting(.accepted, "wait_approval"),
                    try await waiting(.approved, "wait_release"),
                ],
                "forPartners": [try await waiting(.awaitingFiles, "wait_files"), try await waiting(.matched, "wait_acceptance")],
                "keyChanges": format.integer(keyChanges.count), "hasKeyChanges": !keyChanges.isEmpty,
            ])
    }

    @Sendable func list(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .operator, .partner)
        let format = ConsoleFormat(language: console.language(request))
        let text = ConsoleText(format.language)
        let query = request.uri.queryParameters
        let state = query.get("state").flatMap(DealState.init(rawValue:))
        let search = query.get("q")?.trimmed
        let number = ConsoleContext.pageNumber(request)
        let organisationID = caller.role == .partner ? caller.organisationID : nil
        let page = try await broker.store.dealPage(
            DealFilter(organisationID: organisationID, state: state, text: search), limit: Self.pageSize, offset: (number - 1) * Self.pageSize)
        var values: [String: Any?] = [
            "deals": try await rows(page.items, format: format, text: text), "empty": page.items.isEmpty, "q": search,
            "states": DealState.allCases.map { ["value": $0.rawValue, "label": text["state_" + $0.rawValue], "selected": $0 == state] },
            "pager": ConsoleContext.pager(request, page: number, pageSize: Self.pageSize, total: page.total, text: text),
            "partner": caller.role == .partner,
        ]
        if caller.role == .partner {
            // What waits for this firm: a file to upload, a report to accept.
            var waiting: [DealRecord] = []
            for state in [DealState.awaitingFiles, .matched] {
                let candidates = try await broker.store.dealPage(
                    DealFilter(organisationID: caller.organisationID, state: state), limit: 100, offset: 0)
                for deal in candidates.items {
                    if try await waitsFor(deal, organisationID: caller.organisationID) { waiting.append(deal) }
                }
            }
            values["waiting"] = try await rows(waiting, format: format, text: text)
            values["hasWaiting"] = !waiting.isEmpty
        }
        return console.page(
            "deals", request, context, titleKey: caller.role == .partner ? "deals_title_partner" : "deals_title", section: "deals", values: values)
    }

    /// Whether a deal awaits `organisationID`'s file or acceptance.
    private func waitsFor(_ deal: DealRecord, organisationID: String) async throws -> Bool {
        switch deal.state {
        case .awaitingFiles:
            return !(try await broker.store.dealFiles(dealID: deal.id).contains { $0.organisationID == organisationID && $0.fileID != nil })
        case .matched:
            return try await broker.store.dealParties(dealID: deal.id).first { $0.organisationID == organisationID }?.acceptedAt == nil
        default:
            return false
        }
    }

    /// Rows of a deal table.
    private func rows(_ deals: [DealRecord], format: ConsoleFormat, text: ConsoleText) async throws -> [[String: Any?]] {
        let names = try await broker.store.organisations(ids: Set(deals.flatMap(\.partyIDs)))
        return deals.map { deal in
            [
                "id": deal.id, "href": "/console/deals/\(deal.id)", "state": text["state_" + deal.state.rawValue], "stateCode": deal.state.rawValue,
                "proposer": names[deal.proposerID]?.name ?? deal.proposerID, "partner": names[deal.partnerID]?.name ?? deal.partnerID,
                "price": format.money(deal.pricePer1000Cents), "updated": format.dateTime(deal.updatedAt),
            ]
        }
    }

    @Sendable func show(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .operator, .partner)
        let deal = try await service.visibleDeal(try context.parameters.require("dealId"), for: caller)
        let format = ConsoleFormat(language: console.language(request))
        let text = ConsoleText(format.language)
        let parties = try await broker.store.dealParties(dealID: deal.id)
        let files = try await broker.store.dealFiles(dealID: deal.id)
        let organisations = try await broker.store.organisations(ids: Set(deal.partyIDs))
        let sides = deal.partyIDs.map { organisations[$0]?.name ?? $0 }
        let partyValues = deal.partyIDs.enumerated().map { index, id in
            let party = parties.first { $0.organisationID == id }
            return [
                "name": sides[index], "naf": organisations[id]?.nafCode, "role": text[index == 0 ? "deal_proposer" : "deal_partner"],
                "file": files.contains { $0.organisationID == id && $0.fileID != nil } ? text["yes"] : text["no"],
                "accepted": party?.acceptedAt.map(format.dateTime) ?? "—", "declined": party?.declinedAt.map(format.dateTime),
                "isCaller": id == caller.organisationID,
            ] as [String: Any?]
        }
        var values: [String: Any?] = [
            "deal": [
                "id": deal.id, "state": text["state_" + deal.state.rawValue], "stateCode": deal.state.rawValue,
                "verdict": text["verdict_" + deal.verdict.kind.rawValue], "verdictReason": text.verdictReason(deal.verdict),
                "overrideReason": deal.overrideReason,
                "price": format.money(deal.pricePer1000Cents), "policy": text["policy_" + deal.policy.rawValue],
                "created": format.dateTime(deal.createdAt), "updated": format.dateTime(deal.updatedAt), "expires": format.dateTime(deal.expiresAt),
            ],
            "parties": partyValues,
        ]
        if deal.reportJSON != nil {
            values["report"] =
                ConsoleReportView(view: try await service.reportView(deal, for: caller), text: text, format: format, sides: sides)
                .templateValues
        }
        values["actions"] = actions(deal, caller: caller, parties: parties, text: text)
        if caller.role == .partner {
            let mine = files.first { $0.organisationID == caller.organisationID }
            if deal.state == .awaitingFiles, mine?.fileID == nil {
                let key = broker.keys.publicKey
                values["upload"] = [
                    "action": "/console/deals/\(deal.id)/upload",
                    "purpose": TransferPurpose.dealUpload(dealID: deal.id, organisationID: caller.organisationID), "brokerKey": key.pemText,
                    "fingerprint": key.fingerprint,
                ]
            }
            if let delivery = try await broker.store.deliveries(dealID: deal.id, recipientID: caller.organisationID).first {
                values["delivery"] = [
                    "href": "/console/deals/\(deal.id)/delivery",
                    "purpose": TransferPurpose.delivery(dealID: deal.id, organisationID: caller.organisationID),
                    "rows": format.integer(Int(delivery.rowCount)), "remaining": format.integer(delivery.downloadsRemaining),
                    "expires": format.dateTime(delivery.expiresAt), "fingerprint": delivery.recipientKeyFingerprint,
                    "fileName": "troc-\(deal.id).csv",
                ]
            }
        }
        return console.page(
            "deal", request, context, titleKey: "deal_title", title: text.format("deal_title", deal.id), section: "deals", values: values)
    }

    /// The decisions the caller may take on the deal now, by the core's transition table.
    private func actions(_ deal: DealRecord, caller: Identity, parties: [DealPartyRecord], text: ConsoleText) -> [String: Any?] {
        func allowed(_ transition: DealTransition) -> Bool {
            transition.from.contains(deal.state) && transition.actors.contains(caller.role)
        }
        let mine = parties.first { $0.organisationID == caller.organisationID }
        let base = "/console/deals/\(deal.id)/"
        var actions: [String: Any?] = [:]
        if caller.role == .operator {
            if allowed(.override) { actions["override"] = base + "override" }
            if allowed(.approve) { actions["approve"] = base + "approve" }
            if allowed(.reject) { actions["reject"] = base + "reject" }
            if allowed(.release) { actions["release"] = base + "release" }
        } else if allowed(.accept), mine?.acceptedAt == nil {
            actions["accept"] = base + "accept"
            actions["decline"] = base + "decline"
        }
        if allowed(.cancel) { actions["cancel"] = base + "cancel" }
        actions["any"] = !actions.isEmpty
        return actions
    }

    @Sendable func decide(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .operator, .partner)
        let dealID = try context.parameters.require("dealId")
        guard let decision = DealTransition(rawValue: try context.parameters.require("decision")), DealService.decisions.contains(decision) else {
            throw AccessError.notFound("action")
        }
        let fields = try await console.form(request)
        let deal = try await service.decide(decision, dealID: dealID, reason: fields["reason"], caller: caller, logger: context.logger)
        context.logger.info("deal decision", metadata: ["deal": .string(deal.id), "action": .string(decision.rawValue)])
        return ConsoleRenderer.redirect("/console/deals/\(deal.id)?done=\(decision.rawValue)")
    }

    @Sendable func proposePage(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try console.caller(context, in: .partner)
        return await proposeForm(request, context, fields: FormFields(encoded: ""), error: nil)
    }

    @Sendable func propose(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .partner)
        let fields = try await console.form(request)
        let text = ConsoleText(console.language(request))
        guard let partner = fields.text("partner"), RecordID.isValid(partner, prefix: RecordID.organisation) else {
            return await proposeForm(request, context, fields: fields, error: text["propose_partner_invalid"], status: .unprocessableContent)
        }
        guard let cents = Self.cents(fields["price"] ?? ""), cents > 0, cents <= Int(Int32.max) else {
            return await proposeForm(request, context, fields: fields, error: text["propose_price_invalid"], status: .unprocessableContent)
        }
        let policy = fields["policy"].flatMap(BalancingPolicy.init(rawValue:))
        let deal = try await service.propose(NewDeal(partnerId: partner, pricePer1000Cents: cents, policy: policy), caller: caller)
        context.logger.info("deal proposed", metadata: ["deal": .string(deal.id)])
        return ConsoleRenderer.redirect("/console/deals/\(deal.id)?done=propose")
    }

    private func proposeForm(
        _ request: Request, _ context: TrocRequestContext, fields: FormFields, error: String?, status: HTTPResponse.Status = .ok
    ) async -> Response {
        let text = ConsoleText(console.language(request))
        let settings = try? await broker.store.settings()
        let format = ConsoleFormat(language: text.language)
        let bounds = settings.map {
            text.format("propose_price_help", format.money($0.minimumPricePer1000.cents), format.money($0.maximumPricePer1000.cents))
        }
        return console.page(
            "propose", request, context, titleKey: "propose_title", section: "propose",
            values: [
                "partner": fields["partner"], "price": fields["price"], "error": error, "priceHelp": bounds,
                "policies": BalancingPolicy.allCases.map { policy in
                    [
                        "value": policy.rawValue, "label": text["policy_" + policy.rawValue],
                        "selected": (fields["policy"] ?? "equal-count") == policy.rawValue,
                    ]
                },
            ], status: status)
    }

    /// Euros typed the French or English way (`25`, `25,50`, `25.50`) as cents.
    static func cents(_ typed: String) -> Int? {
        let compact = typed.filter { !$0.isWhitespace && $0 != "€" && $0 != "\u{202F}" && $0 != "\u{00A0}" }.replacingOccurrences(of: ",", with: ".")
        let parts = compact.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let units = Int(parts[0]), units >= 0 else { return nil }
        guard parts.count == 2 else { return units * 100 }
        guard (1...2).contains(parts[1].count), parts[1].allSatisfy(\.isNumber), let fraction = Int(parts[1]) else { return nil }
        return units * 100 + (parts[1].count == 1 ? fraction * 10 : fraction)
    }

    /// The page's sealed upload into the deal (sent by its script with the form token in a header): the same path as
    /// `POST /v1/deals/{id}/files`, then the match runs once both files are in.
    @Sendable func upload(_ request: Request, context: TrocRequestContext) async throws -> EditedResponse<[String: String]> {
        let caller = try console.caller(context, in: .partner)
        let deal = try await service.visibleDeal(try context.parameters.require("dealId"), for: caller)
        guard deal.state == .awaitingFiles else { throw StoreError.dealNotAwaitingFiles(dealID: deal.id, current: deal.state) }
        let purpose = try EnvelopePurpose(TransferPurpose.dealUpload(dealID: deal.id, organisationID: caller.organisationID))
        let file = try await FileController(broker: broker).receive(request, context: context, caller: caller, purpose: purpose)
        _ = try await broker.store.attachFile(dealID: deal.id, fileID: file.id, actor: service.actor(caller), now: broker.clock())
        try await service.matchIfReady(deal.id)
        return EditedResponse(status: .created, response: ["file": file.id, "next": "/console/deals/\(deal.id)?done=upload"])
    }

    /// The firm's delivery, sealed to its registered key, for the page to open with the private key file.
    @Sendable func delivery(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try console.caller(context, in: .partner)
        return try await DealController(broker: broker).delivery(request, context: context)
    }

    @Sendable func files(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .partner)
        let format = ConsoleFormat(language: console.language(request))
        let text = ConsoleText(format.language)
        let records = try await broker.store.files(organisationID: caller.organisationID)
        let rows = try records.map { record in
            let stored = try StoredFile(record, exact: false)
            return [
                "id": record.id, "name": record.name, "size": format.integer(Int(record.byteCount)), "created": format.dateTime(record.createdAt),
                "rows": format.integer(stored.report.rows), "contacts": format.integer(stored.report.contacts),
                "exchangeable": format.integer(stored.report.exchangeable), "quality": format.decimal(stored.report.qualityScore),
                "rejected": format.integer(stored.report.rejected.values.reduce(0, +)),
            ] as [String: Any?]
        }
        let key = broker.keys.publicKey
        return console.page(
            "files", request, context, titleKey: "files_title", section: "files",
            values: [
                "files": rows, "empty": rows.isEmpty,
                "upload": [
                    "action": "/console/files/upload", "purpose": TransferPurpose.upload(organisationID: caller.organisationID),
                    "brokerKey": key.pemText, "fingerprint": key.fingerprint,
                ],
                "hint": text["files_hint"],
            ])
    }

    /// A sealed upload of a plain file (not yet in a deal), as `POST /v1/files`.
    @Sendable func uploadFile(_ request: Request, context: TrocRequestContext) async throws -> EditedResponse<[String: String]> {
        let caller = try console.caller(context, in: .partner)
        let purpose = try EnvelopePurpose(TransferPurpose.upload(organisationID: caller.organisationID))
        let file = try await FileController(broker: broker).receive(request, context: context, caller: caller, purpose: purpose)
        return EditedResponse(status: .created, response: ["file": file.id, "next": "/console/files?done=upload"])
    }

    /// The firm's delivery key: its fingerprint, a pending change, and a form to register a first key or ask for a change
    /// (a key pair the page generates, or the public key of `troc keygen` pasted in).
    @Sendable func keyPage(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .partner)
        guard let organisation = try await broker.store.organisation(id: caller.organisationID) else { throw AccessError.notFound("organisation") }
        let format = ConsoleFormat(language: console.language(request))
        let text = ConsoleText(format.language)
        let pending = try await broker.store.openKeyChange(organisationID: organisation.id)
        return console.page(
            "key", request, context, titleKey: "key_title", section: "key",
            values: [
                "fingerprint": organisation.publicKeyFingerprint, "hasKey": organisation.publicKeyFingerprint != nil,
                "pending": pending.map { change in
                    [
                        "id": change.id, "state": text["key_state_" + change.state.rawValue], "new": change.newFingerprint,
                        "requested": format.dateTime(change.requestedAt), "effective": change.effectiveAt.map(format.dateTime),
                    ] as [String: Any?]
                },
                "fileName": "\(organisation.id).key.pem",
            ])
    }

    @Sendable func registerKey(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .partner)
        let fields = try await console.form(request)
        let key = try AccountController.publicKey(fields["publicKey"] ?? "")
        guard let organisation = try await broker.store.organisation(id: caller.organisationID) else { throw AccessError.notFound("organisation") }
        if organisation.publicKeyFingerprint == nil {
            _ = try await broker.store.registerFirstPublicKey(
                organisationID: organisation.id, publicKey: key, actor: service.actor(caller), now: broker.clock())
            return ConsoleRenderer.redirect("/console/key?done=key-registered")
        }
        _ = try await broker.store.requestKeyChange(
            organisationID: organisation.id, publicKey: key, note: fields.text("note"), actor: service.actor(caller), now: broker.clock())
        return ConsoleRenderer.redirect("/console/key?done=key-requested")
    }
}
