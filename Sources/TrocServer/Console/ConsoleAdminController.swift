import Foundation
import Hummingbird
import Logging
import NIOCore
import TrocCore
import TrocCrypto
import TrocStore

/// The operator's administration pages: firms and users (creation, enrolment codes, disabling), delivery-key changes,
/// the suppression list and erasures, the sector tables, the broker settings, and the audit trail with its verification.
/// Every change goes through the same store and service methods as the API, which hold the rules and audit.
struct ConsoleAdminController {
    let console: ConsoleContext
    var broker: Broker { console.broker }
    var actorOf: (Identity) -> AuditActor { DealService(broker: broker).actor }

    /// Audit entries on one page.
    static let auditPageSize = 100

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get("firms", use: firms)
        router.post("firms", use: createFirm)
        router.get("firms/:organisationId", use: firm)
        router.post("firms/:organisationId/users", use: createUser)
        router.post("users/:userId/enrolment-code", use: enrolmentCode)
        router.post("users/:userId/disable", use: disableUser)
        router.post("users/:userId/sign-out", use: signOutUser)
        router.get("key-changes", use: keyChanges)
        router.post("key-changes/:keyChangeId/approve", use: approveKeyChange)
        router.post("key-changes/:keyChangeId/refuse", use: refuseKeyChange)
        router.get("privacy", use: privacy)
        router.post("privacy/suppressions", use: suppress)
        router.post("privacy/import", use: importSuppressions)
        router.post("privacy/erasure", use: erase)
        router.get("sectors", use: sectors)
        router.post("sectors", use: editSectors)
        router.get("settings", use: settings)
        router.post("settings", use: updateSettings)
        router.get("audit", use: audit)
        router.post("audit/verify", use: verifyAudit)
    }

    // MARK: Firms and users

    @Sendable func firms(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try console.caller(context, in: .operator)
        return try await firmsPage(request, context, fields: FormFields(encoded: ""), error: nil)
    }

    private func firmsPage(
        _ request: Request, _ context: TrocRequestContext, fields: FormFields, error: String?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let format = ConsoleFormat(language: console.language(request))
        let text = ConsoleText(format.language)
        let users = try await broker.store.users(organisationID: nil)
        let rows = try await broker.store.organisations().map { record in
            [
                "id": record.id, "href": "/console/firms/\(record.id)", "name": record.name, "siren": record.siren, "naf": record.nafCode,
                "city": record.city, "kind": text["kind_" + record.kind.rawValue], "key": record.publicKeyFingerprint ?? "—",
                "users": format.integer(users.filter { $0.organisationID == record.id }.count),
            ] as [String: Any?]
        }
        let values: [String: Any?] = [
            "firms": rows, "error": error, "name": fields["name"], "siren": fields["siren"], "siret": fields["siret"], "naf": fields["naf"],
            "street": fields["street"], "postcode": fields["postcode"], "city": fields["city"], "vat": fields["vat"],
            "country": fields["country"] ?? "FR",
        ]
        return console.page("firms", request, context, titleKey: "firms_title", section: "firms", values: values, status: status)
    }

    @Sendable func createFirm(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .operator)
        let fields = try await console.form(request)
        let new = NewOrganisation(
            name: fields["name"] ?? "", siren: fields.text("siren"), siret: fields.text("siret"), vatNumber: fields.text("vat"),
            nafCode: fields["naf"] ?? "",
            address: PostalAddress(
                street: fields["street"] ?? "", postcode: fields["postcode"] ?? "", city: fields["city"] ?? "", countryCode: fields["country"] ?? "FR"
            ),
            vatStatus: fields.text("vatStatus").flatMap(VATRegime.init(rawValue:)),
            bankAccount: fields.text("iban").map { BankAccountInput(iban: $0, bic: fields.text("bic") ?? "") })
        do {
            let record = try await AccountService(broker: broker).createOrganisation(new, caller: caller)
            return ConsoleRenderer.redirect("/console/firms/\(record.id)?done=firm")
        } catch let failure as ValidationFailure {
            return try await firmsPage(request, context, fields: fields, error: failure.detail, status: .unprocessableContent)
        } catch let refusal as SectorRefusal {
            return try await firmsPage(request, context, fields: fields, error: refusal.description, status: .unprocessableContent)
        }
    }

    @Sendable func firm(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try console.caller(context, in: .operator)
        return try await firmPage(request, context, organisationID: try context.parameters.require("organisationId"), issued: nil)
    }

    /// A firm's page; `issued` shows, once, what was just issued for a user (an enrolment code, a first API token).
    private func firmPage(
        _ request: Request, _ context: TrocRequestContext, organisationID id: String, issued: [String: Any?]?, error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let organisation = try await broker.store.organisation(id: id) else { throw AccessError.notFound("organisation") }
        let format = ConsoleFormat(language: console.language(request))
        let text = ConsoleText(format.language)
        let users = try await broker.store.users(organisationID: id)
        let creators = try await broker.store.users(ids: Set(users.compactMap(\.createdByUserID)))
        var userRows: [[String: Any?]] = []
        for user in users {
            let credential = try await broker.store.consoleCredential(userID: user.id)
            userRows.append([
                "id": user.id, "name": user.name, "email": user.email, "role": text["role_" + user.role.rawValue], "firmAdmin": user.firmAdmin,
                "created": format.dateTime(user.createdAt), "createdBy": user.createdByUserID.flatMap { creators[$0]?.name },
                "reason": user.creationReason, "disabled": user.disabledAt.map(format.dateTime), "login": credential?.login,
                "enrolled": credential != nil, "enabled": user.disabledAt == nil,
            ])
        }
        let delay = try await broker.store.settings().keyChangeDelayHours
        let changes = try await broker.store.keyChanges(organisationID: id).map { keyChangeRow($0, format: format, text: text, delay: delay) }
        let roles: [Role] = organisation.kind == .partner ? [.partner] : [.operator, .accountant]
        let view = try await broker.organisationView(organisation)
        let mandate = organisation.kind == .partner ? try await broker.store.mandateInForce(organisationID: id) : nil
        return console.page(
            "firm", request, context, titleKey: "firm_title", title: organisation.name, section: "firms",
            values: [
                "firm": [
                    "id": organisation.id, "name": organisation.name, "kind": text["kind_" + organisation.kind.rawValue], "siren": organisation.siren,
                    "siret": organisation.siret, "vat": organisation.vatNumber, "naf": organisation.nafCode,
                    "address": "\(organisation.street), \(organisation.postcode) \(organisation.city) (\(organisation.countryCode))",
                    "key": organisation.publicKeyFingerprint, "partner": organisation.kind == .partner,
                    "vatStatus": view.vatStatus.map { status in
                        text["vat_" + status.vatStatus.rawValue] + " — " + text.territory(status.territory)
                            + (status.standardRatePercent.map { " (\(text.decimal($0)) %)" } ?? "")
                    },
                    "bank": view.bankAccount.map { "\($0.iban) — \($0.bic)" },
                    "mandate": mandate.map { "\($0.id), \(format.dateTime($0.acceptedAt))" } ?? text["firm_mandate_none"],
                ] as [String: Any?],
                "users": userRows, "hasUsers": !users.isEmpty, "roles": roles.map { ["value": $0.rawValue, "label": text["role_" + $0.rawValue]] },
                "keyChanges": changes, "hasKeyChanges": !changes.isEmpty, "issued": issued, "error": error,
                "reasonRequired": organisation.kind == .partner && !users.isEmpty,
            ], status: status)
    }

    @Sendable func createUser(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .operator)
        let id = try context.parameters.require("organisationId")
        let fields = try await console.form(request)
        guard let role = fields["role"].flatMap(Role.init(rawValue:)) else { throw ConsoleError.invalidField("role") }
        let new = NewUser(
            name: fields["name"] ?? "", email: fields.text("email"), role: role, organisationId: id, firmAdmin: fields["firmAdmin"] == "on",
            reason: fields.text("reason"))
        let created: CreatedAccount
        do {
            created = try await AccountService(broker: broker).createUser(new, caller: caller)
        } catch let failure as ValidationFailure {
            return try await firmPage(request, context, organisationID: id, issued: nil, error: failure.detail, status: .unprocessableContent)
        } catch StoreError.account(let refusal) {
            return try await firmPage(request, context, organisationID: id, issued: nil, error: refusal.description, status: .unprocessableContent)
        }
        let code = try await broker.store.issueEnrolmentCode(userID: created.user.id, actor: actorOf(caller), now: broker.clock())
        return try await firmPage(
            request, context, organisationID: id, issued: issuedValues(created.user, code: code, token: created.token.secret, request: request))
    }

    @Sendable func enrolmentCode(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .operator)
        let userID = try context.parameters.require("userId")
        let code = try await broker.store.issueEnrolmentCode(userID: userID, actor: actorOf(caller), now: broker.clock())
        guard let user = try await broker.store.user(id: userID) else { throw AccessError.notFound("user") }
        return try await firmPage(
            request, context, organisationID: user.organisationID, issued: issuedValues(user, code: code, token: nil, request: request))
    }

    private func issuedValues(_ user: UserRecord, code: IssuedEnrolmentCode, token: String?, request: Request) -> [String: Any?] {
        let format = ConsoleFormat(language: console.language(request))
        return ["name": user.name, "code": code.code, "expires": format.dateTime(code.record.expiresAt), "token": token]
    }

    @Sendable func disableUser(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .operator)
        let userID = try context.parameters.require("userId")
        let fields = try await console.form(request)
        let user = try await broker.store.disableUser(id: userID, reason: fields["reason"], actor: actorOf(caller), now: broker.clock())
        context.logger.info("user disabled", metadata: ["disabled": .string(userID)])
        return ConsoleRenderer.redirect("/console/firms/\(user.organisationID)?done=disable")
    }

    @Sendable func signOutUser(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .operator)
        let userID = try context.parameters.require("userId")
        _ = try await broker.store.endConsoleSessions(userID: userID, actor: actorOf(caller), now: broker.clock())
        guard let user = try await broker.store.user(id: userID) else { throw AccessError.notFound("user") }
        return ConsoleRenderer.redirect("/console/firms/\(user.organisationID)?done=sign-out")
    }

    // MARK: Key changes

    private func keyChangeRow(_ change: KeyChangeRecord, format: ConsoleFormat, text: ConsoleText, delay: Int) -> [String: Any?] {
        [
            "id": change.id, "organisation": change.organisationID, "state": text["key_state_" + change.state.rawValue],
            "requested": format.dateTime(change.requestedAt), "old": change.oldFingerprint, "new": change.newFingerprint, "note": change.note,
            "effective": change.effectiveAt.map(format.dateTime), "open": change.state == .requested,
            "approve": "/console/key-changes/\(change.id)/approve", "refuse": "/console/key-changes/\(change.id)/refuse",
            "delay": text.format("key_delay", String(delay)),
        ]
    }

    @Sendable func keyChanges(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try console.caller(context, in: .operator)
        let format = ConsoleFormat(language: console.language(request))
        let text = ConsoleText(format.language)
        let delay = try await broker.store.settings().keyChangeDelayHours
        let all = try await broker.store.keyChanges(organisationID: nil)
        let names = try await broker.store.organisations(ids: Set(all.map(\.organisationID)))
        let rows = all.map { change in
            var row = keyChangeRow(change, format: format, text: text, delay: delay)
            row["organisationName"] = names[change.organisationID]?.name
            return row
        }
        return console.page(
            "key-changes", request, context, titleKey: "keys_title", section: "keys",
            values: ["open": rows.filter { $0["open"] as? Bool == true }, "closed": rows.filter { $0["open"] as? Bool != true }])
    }

    @Sendable func approveKeyChange(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .operator)
        let fields = try await console.form(request)
        _ = try await broker.store.approveKeyChange(
            id: try context.parameters.require("keyChangeId"), confirmedFingerprint: fields["fingerprint"] ?? "", reason: fields.text("reason"),
            actor: actorOf(caller), now: broker.clock())
        return ConsoleRenderer.redirect("/console/key-changes?done=key-approve")
    }

    @Sendable func refuseKeyChange(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .operator)
        let fields = try await console.form(request)
        _ = try await broker.store.refuseKeyChange(
            id: try context.parameters.require("keyChangeId"), reason: fields.text("reason"), actor: actorOf(caller), now: broker.clock())
        return ConsoleRenderer.redirect("/console/key-changes?done=key-refuse")
    }

    // MARK: Privacy

    @Sendable func privacy(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try console.caller(context, in: .operator)
        return try await privacyPage(request, context, result: nil)
    }

    private func privacyPage(_ request: Request, _ context: TrocRequestContext, result: [String: Any?]?) async throws -> Response {
        let format = ConsoleFormat(language: console.language(request))
        let text = ConsoleText(format.language)
        let erasures = try await broker.store.erasures().map { record in
            [
                "id": record.id, "requested": format.dateTime(record.requestedAt), "files": format.integer(Int(record.filesRewritten)),
                "rows": format.integer(Int(record.rowsRemoved)),
            ] as [String: Any?]
        }
        return console.page(
            "privacy", request, context, titleKey: "privacy_title", section: "privacy",
            values: [
                "total": format.integer(try await broker.store.suppressionCount()), "erasures": erasures, "hasErasures": !erasures.isEmpty,
                "sources": [SuppressionSource.optout, .unsubscribe, .oppositionList].map {
                    ["value": $0.rawValue, "label": text["source_" + $0.rawValue]]
                },
                "result": result,
            ])
    }

    private func suppressionResult(_ result: SuppressionResult, request: Request) -> [String: Any?] {
        let format = ConsoleFormat(language: console.language(request))
        let text = ConsoleText(format.language)
        return [
            "summary": text.format(
                "suppress_result", format.integer(result.added), format.integer(result.alreadyListed), format.integer(result.rejected.count)),
            "rejected": result.rejected.prefix(100).map { ["field": $0.field, "detail": $0.detail] },
        ]
    }

    @Sendable func suppress(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .operator)
        let fields = try await console.form(request)
        let values = (fields["values"] ?? "").split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmed.isEmpty }
        guard let source = fields["source"].flatMap(SuppressionSource.init(rawValue:)) else { throw ConsoleError.invalidField("source") }
        let text = ConsoleText(console.language(request))
        let result = try await PrivacyService(broker: broker).suppress(values, source: source, caller: caller) {
            text.format("suppress_line", String($0 + 1))
        }
        return try await privacyPage(request, context, result: suppressionResult(result, request: request))
    }

    @Sendable func importSuppressions(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .operator)
        guard let boundary = request.headers[.contentType].flatMap(MultipartForm.boundary(contentType:)) else {
            throw ConsoleError.invalidField("file")
        }
        let form = try MultipartForm(
            body: Array(buffer: try await request.body.collect(upTo: ConsoleSessionMiddleware.multipartLimit)), boundary: boundary)
        guard let file = form.file("file"), let source = form.fields["source"].flatMap(SuppressionSource.init(rawValue:)) else {
            throw ConsoleError.invalidField("file")
        }
        let name = file.fileName ?? "file"
        // One value per line, as `troc suppress import` reads it; blank lines and `#` comments are skipped, others keep their line.
        var values: [String] = []
        var lines: [Int] = []
        for (index, line) in String(decoding: file.body, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated()
        {
            let value = String(line).trimmed
            guard !value.isEmpty, !value.hasPrefix("#") else { continue }
            values.append(value)
            lines.append(index + 1)
        }
        let result = try await PrivacyService(broker: broker).suppress(values, source: source, caller: caller) { "\(name):\(lines[$0])" }
        return try await privacyPage(request, context, result: suppressionResult(result, request: request))
    }

    @Sendable func erase(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .operator)
        let fields = try await console.form(request)
        func lines(_ name: String) -> [String] {
            (fields[name] ?? "").split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter { !$0.isEmpty }
        }
        let result = try await PrivacyService(broker: broker).erase(
            NewErasureRequest(emails: lines("emails"), phones: lines("phones"), sirets: lines("sirets")), caller: caller)
        let format = ConsoleFormat(language: console.language(request))
        let text = ConsoleText(format.language)
        return try await privacyPage(
            request, context,
            result: [
                "summary": text.format(
                    "erasure_result", result.id, format.integer(result.filesRewritten), format.integer(result.deliveriesRewritten),
                    format.integer(result.rowsRemoved), format.integer(result.noticesRecorded))
            ])
    }

    // MARK: Sectors

    @Sendable func sectors(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try console.caller(context, in: .operator)
        let reference = try await broker.store.sectorReference()
        let clusters = reference.clusters.keys.sorted().map { name in
            [
                "name": name,
                "codes": (reference.clusters[name] ?? []).sorted().map { code in
                    ["code": code, "label": reference.subclasses[code]?.label] as [String: Any?]
                },
            ] as [String: Any?]
        }
        let confidential = reference.confidential.values.sorted { $0.code < $1.code }.map { sector in
            ["code": sector.code, "label": sector.label, "scope": sector.scope, "rationale": sector.rationale] as [String: Any?]
        }
        return console.page(
            "sectors", request, context, titleKey: "sectors_title", section: "sectors",
            values: ["clusters": clusters, "clusterNames": reference.clusters.keys.sorted(), "confidential": confidential])
    }

    @Sendable func editSectors(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .operator)
        let fields = try await console.form(request)
        let change = SectorChange(reason: fields["reason"] ?? "", rationale: fields.text("rationale"), scope: fields.text("scope"))
        let code = fields["code"] ?? ""
        switch fields["operation"] {
        case "cluster-add", "cluster-remove":
            guard let cluster = fields.text("cluster") else { throw ConsoleError.invalidField("cluster") }
            try await SectorService(broker: broker).edit(
                code: code, cluster: cluster, add: fields["operation"] == "cluster-add", change: change, caller: caller)
        case "confidential-add", "confidential-remove":
            try await SectorService(broker: broker).edit(
                code: code, cluster: nil, add: fields["operation"] == "confidential-add", change: change, caller: caller)
        default:
            throw ConsoleError.invalidField("operation")
        }
        return ConsoleRenderer.redirect("/console/sectors?done=sectors")
    }

    // MARK: Settings

    @Sendable func settings(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try console.caller(context, in: .operator)
        return try await settingsPage(request, context, error: nil)
    }

    private func settingsPage(_ request: Request, _ context: TrocRequestContext, error: String?, status: HTTPResponse.Status = .ok) async throws
        -> Response
    {
        let format = ConsoleFormat(language: console.language(request))
        let settings = try await broker.store.settings()
        let identity = settings.identity
        func euros(_ money: Money) -> String { format.decimal(Double(money.cents) / 100) }
        let text = ConsoleText(format.language)
        let ranges: [(String, Int, ClosedRange<Int>)] = [
            ("deliveryDownloads", settings.deliveryDownloads, BrokerSettings.deliveryDownloadsRange),
            ("deliveryDays", settings.deliveryDays, BrokerSettings.deliveryDaysRange),
            ("retentionMonths", settings.retentionMonths, BrokerSettings.retentionMonthsRange),
            ("dealExpiryDays", settings.dealExpiryDays, BrokerSettings.dealExpiryDaysRange),
            ("keyChangeDelayHours", settings.keyChangeDelayHours, BrokerSettings.keyChangeDelayHoursRange),
            ("consoleIdleMinutes", settings.consoleIdleMinutes, BrokerSettings.consoleIdleMinutesRange),
            ("consoleSessionHours", settings.consoleSessionHours, BrokerSettings.consoleSessionHoursRange),
            ("disputeWindowDays", settings.disputeWindowDays, BrokerSettings.disputeWindowDaysRange),
            ("unattachedFileDays", settings.unattachedFileDays, BrokerSettings.unattachedFileDaysRange),
            ("minimumExchangeable", settings.minimumExchangeable, BrokerSettings.minimumExchangeableRange),
            ("privacyReportsPerPair", settings.privacyReportsPerPair, BrokerSettings.privacyReportsPerPairRange),
            ("firmFileQuota", settings.firmFileQuota, BrokerSettings.firmFileQuotaRange),
        ]
        let integers: [[String: Any?]] = ranges.map { name, value, range in
            [
                "name": name, "label": text["setting_" + name], "value": String(value), "min": String(range.lowerBound),
                "max": String(range.upperBound),
            ]
        }
        var values: [String: Any?] = [
            "error": error, "legalName": identity?.legalName, "street": identity?.address.street, "postcode": identity?.address.postcode,
            "city": identity?.address.city, "siren": identity?.siren, "vatNumber": identity?.vatNumber, "iban": identity?.iban,
            "bic": identity?.bic,
        ]
        values["commission"] = format.decimal(Double(settings.commissionBasisPoints) / 100)
        values["priceMin"] = euros(settings.minimumPricePer1000)
        values["priceMax"] = euros(settings.maximumPricePer1000)
        values["paymentTermsDays"] = String(settings.paymentTermsDays)
        values["latePenalty"] = settings.latePenalty.frenchText
        values["seriesPrefix"] = settings.seriesPrefix
        values["integers"] = integers
        return console.page(
            "settings", request, context, titleKey: "settings_title", section: "settings", values: values, status: status)
    }

    @Sendable func updateSettings(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .operator)
        let fields = try await console.form(request)
        let text = ConsoleText(console.language(request))
        var change = SettingsChange()
        func integer(_ name: String) throws -> Int? {
            guard let value = fields.text(name) else { return nil }
            guard let number = Int(value) else { throw ConsoleError.invalidField(name) }
            return number
        }
        func cents(_ name: String) throws -> Money? {
            guard let value = fields.text(name) else { return nil }
            guard let cents = ConsoleDealController.cents(value) else { throw ConsoleError.invalidField(name) }
            return Money(cents: Int64(cents))
        }
        change.legalName = fields.text("legalName")
        if let street = fields.text("street"), let postcode = fields.text("postcode"), let city = fields.text("city") {
            change.address = PostalAddress(street: street, postcode: postcode, city: city, countryCode: "FR")
        }
        change.siren = fields.text("siren")
        change.vatNumber = fields.text("vatNumber")
        change.iban = fields.text("iban")
        change.bic = fields.text("bic")
        if let commission = fields.text("commission") {
            guard let cents = ConsoleDealController.cents(commission) else { throw ConsoleError.invalidField("commission") }
            change.commissionBasisPoints = cents
        }
        change.minimumPricePer1000 = try cents("priceMin")
        change.maximumPricePer1000 = try cents("priceMax")
        change.paymentTermsDays = try integer("paymentTermsDays")
        change.seriesPrefix = fields.text("seriesPrefix")
        change.deliveryDownloads = try integer("deliveryDownloads")
        change.deliveryDays = try integer("deliveryDays")
        change.retentionMonths = try integer("retentionMonths")
        change.dealExpiryDays = try integer("dealExpiryDays")
        change.keyChangeDelayHours = try integer("keyChangeDelayHours")
        change.consoleIdleMinutes = try integer("consoleIdleMinutes")
        change.consoleSessionHours = try integer("consoleSessionHours")
        change.disputeWindowDays = try integer("disputeWindowDays")
        change.unattachedFileDays = try integer("unattachedFileDays")
        change.minimumExchangeable = try integer("minimumExchangeable")
        change.privacyReportsPerPair = try integer("privacyReportsPerPair")
        change.firmFileQuota = try integer("firmFileQuota")
        guard let reason = fields.text("reason") else {
            return try await settingsPage(request, context, error: text["settings_reason_required"], status: .unprocessableContent)
        }
        do {
            _ = try await broker.store.updateSettings(change, reason: reason, actor: actorOf(caller), now: broker.clock())
        } catch {
            return try await settingsPage(request, context, error: error.description, status: .unprocessableContent)
        }
        return ConsoleRenderer.redirect("/console/settings?done=settings")
    }

    // MARK: Audit

    @Sendable func audit(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try console.caller(context, in: .operator)
        return try await auditPage(request, context, verification: nil)
    }

    private func auditPage(_ request: Request, _ context: TrocRequestContext, verification: [String: Any?]?) async throws -> Response {
        let format = ConsoleFormat(language: console.language(request))
        let text = ConsoleText(format.language)
        let query = request.uri.queryParameters
        func day(_ name: String) throws -> Date? {
            guard let value = query.get(name), !value.isEmpty else { return nil }
            guard let date = CivilDate(iso8601: value) else { throw ConsoleError.invalidField(name) }
            return Date(timeIntervalSince1970: TimeInterval(date.daysSinceEpoch) * 86_400)
        }
        let until = try day("to").map { $0.addingTimeInterval(86_400) }
        let filter = AuditFilter(
            actionPrefix: query.get("action"), actorUserID: query.get("actor"), organisationID: query.get("organisation"), dealID: query.get("deal"),
            since: try day("from"), until: until)
        let number = ConsoleContext.pageNumber(request)
        let page = try await broker.store.auditPage(filter, limit: Self.auditPageSize, offset: (number - 1) * Self.auditPageSize)
        let actors = try await broker.store.users(ids: Set(page.items.compactMap(\.actorUserID)))
        let rows = try page.items.map { entry in
            [
                "seq": String(entry.seq), "at": format.dateTime(entry.at), "action": entry.action,
                "actor": entry.actorUserID.map { actors[$0]?.name ?? $0 } ?? text["audit_system"],
                "role": entry.actorRole.map { text["role_" + $0.rawValue] }, "organisation": entry.organisationID, "deal": entry.dealID,
                "detail": try entry.decodedDetail().sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.text)" }.joined(separator: " · "),
                "reason": entry.reason,
            ] as [String: Any?]
        }
        return console.page(
            "audit", request, context, titleKey: "audit_title", section: "audit",
            values: [
                "entries": rows, "empty": rows.isEmpty, "action": query.get("action"), "actor": query.get("actor"),
                "organisation": query.get("organisation"), "deal": query.get("deal"), "from": query.get("from"), "to": query.get("to"),
                "pager": ConsoleContext.pager(request, page: number, pageSize: Self.auditPageSize, total: page.total, text: text),
                "verification": verification,
            ])
    }

    @Sendable func verifyAudit(_ request: Request, context: TrocRequestContext) async throws -> Response {
        _ = try console.caller(context, in: .operator)
        let format = ConsoleFormat(language: console.language(request))
        let text = ConsoleText(format.language)
        let key = try AuditKey(broker.keys.rootHashingSecret.auditKey())
        let result = try await broker.store.verifyAudit(key: key, expecting: nil)
        let head = result.lastMAC.map { $0.map { String(format: "%02x", $0) }.joined() }
        return try await auditPage(
            request, context,
            verification: [
                "intact": result.isIntact, "entries": format.integer(result.entryCount),
                "summary": result.isIntact
                    ? text.format("audit_intact", format.integer(result.entryCount)) : text.format("audit_damaged", result.damage?.description ?? ""),
                "head": head.map { "\(result.entryCount):\($0)" },
            ])
    }
}
