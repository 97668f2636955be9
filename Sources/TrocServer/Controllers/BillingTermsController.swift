import Foundation
import Hummingbird
import Logging
import TrocCore
import TrocStore

/// What invoices need from each firm and each deal: its VAT status (operators), its bank account (the firm or an
/// operator), its billing mandate (the firm's own users), a deal's frozen terms, and the payments the broker records when
/// it collects for the sellers (operators).
struct BillingTermsController {
    let broker: Broker
    var service: DealService { DealService(broker: broker) }

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.put("organisations/:organisationId/vat-status", use: setVATStatus)
        router.put("organisations/:organisationId/bank-account", use: setBankAccount)
        router.get("organisations/:organisationId/billing-mandate", use: showMandate)
        router.post("organisations/:organisationId/billing-mandate", use: acceptMandate)
        router.post("organisations/:organisationId/billing-mandate/withdraw", use: withdrawMandate)
        router.get("deals/:dealId/terms", use: terms)
        router.get("deals/:dealId/settlement/payments", use: payments)
        router.post("deals/:dealId/settlement/payments", use: recordPayment)
    }

    @Sendable func setVATStatus(_ request: Request, context: TrocRequestContext) async throws -> Organisation {
        let caller = try context.caller(in: .operator)
        let id = try context.parameters.require("organisationId")
        let change = try await request.decode(as: VATStatusChange.self, context: context)
        let reason = change.reason.trimmed
        guard !reason.isEmpty else { throw RequestError.invalidField("reason", "say why the status changes: it goes in the audit trail") }
        guard try await broker.store.organisation(id: id) != nil else { throw AccessError.notFound("organisation") }
        _ = try await broker.store.setVATStatus(
            organisationID: id, regime: change.vatStatus, vatNumber: change.vatNumber, reason: reason, actor: service.actor(caller),
            now: broker.clock())
        context.logger.info("VAT status recorded", metadata: ["organisation": .string(id), "status": .string(change.vatStatus.rawValue)])
        return try await broker.organisationView(id)
    }

    @Sendable func setBankAccount(_ request: Request, context: TrocRequestContext) async throws -> Organisation {
        let caller = try context.caller(in: .operator, .partner)
        let id = try context.parameters.require("organisationId")
        guard caller.role == .operator || caller.organisationID == id, try await broker.store.organisation(id: id) != nil else {
            throw AccessError.notFound("organisation")
        }
        let input = try await request.decode(as: BankAccountInput.self, context: context)
        let account: BankAccount
        do {
            account = try BankAccount(iban: input.iban, bic: input.bic)
        } catch {
            throw ValidationFailure(
                subject: "bank account", code: "organisation.invalid",
                fields: error.problems.map { FieldProblem(field: $0.field, code: "invalid", detail: $0.error.description) })
        }
        _ = try await broker.store.setBankAccount(
            organisationID: id, account: account, reason: input.reason?.trimmed, actor: service.actor(caller), now: broker.clock())
        context.logger.info("bank account recorded", metadata: ["organisation": .string(id)])
        return try await broker.organisationView(id)
    }

    @Sendable func showMandate(_ request: Request, context: TrocRequestContext) async throws -> BillingMandateState {
        let caller = try context.caller(in: .partner, .operator, .accountant)
        let id = try context.parameters.require("organisationId")
        guard caller.role != .partner || caller.organisationID == id, let organisation = try await broker.store.organisation(id: id),
            organisation.kind == .partner
        else { throw AccessError.notFound("organisation") }
        return try await mandateState(organisation)
    }

    @Sendable func acceptMandate(_ request: Request, context: TrocRequestContext) async throws -> EditedResponse<BillingMandateState> {
        let caller = try context.caller(in: .partner)
        let id = try context.parameters.require("organisationId")
        guard caller.organisationID == id, let organisation = try await broker.store.organisation(id: id) else {
            throw AccessError.notFound("organisation")
        }
        let acceptance = try await request.decode(as: MandateAcceptanceRequest.self, context: context)
        let record = try await broker.store.acceptMandate(
            organisationID: id, wordingVersion: acceptance.wordingVersion.trimmed,
            contestDays: acceptance.contestDays ?? BillingMandateWording.defaultContestDays, actor: service.actor(caller), now: broker.clock())
        context.logger.info("billing mandate accepted", metadata: ["organisation": .string(id), "mandate": .string(record.id)])
        return EditedResponse(status: .created, response: try await mandateState(organisation))
    }

    @Sendable func withdrawMandate(_ request: Request, context: TrocRequestContext) async throws -> BillingMandateState {
        let caller = try context.caller(in: .partner)
        let id = try context.parameters.require("organisationId")
        guard caller.organisationID == id, let organisation = try await broker.store.organisation(id: id) else {
            throw AccessError.notFound("organisation")
        }
        let withdrawal = try await request.decode(as: MandateWithdrawal.self, context: context)
        let record = try await broker.store.withdrawMandate(
            organisationID: id, reason: withdrawal.reason, actor: service.actor(caller), now: broker.clock())
        context.logger.info("billing mandate withdrawn", metadata: ["organisation": .string(id), "mandate": .string(record.id)])
        return try await mandateState(organisation)
    }

    @Sendable func terms(_ request: Request, context: TrocRequestContext) async throws -> DealTerms {
        let caller = try context.caller(in: .partner, .operator, .accountant)
        let dealID = try context.parameters.require("dealId")
        if caller.role == .partner { _ = try await service.visibleDeal(dealID, for: caller) }
        guard let terms = try await broker.store.dealTerms(dealID: dealID) else {
            throw Problem(
                type: ProblemMapping.typeURI("deal.no-terms"), title: "No terms yet", status: 409,
                detail: "a deal's terms are frozen when the second firm accepts its report; this one has not been agreed", code: "deal.no-terms")
        }
        return terms
    }

    @Sendable func payments(_ request: Request, context: TrocRequestContext) async throws -> [SettlementPayment] {
        let caller = try context.caller(in: .partner, .operator, .accountant)
        let dealID = try context.parameters.require("dealId")
        if caller.role == .partner { _ = try await service.visibleDeal(dealID, for: caller) }
        guard try await broker.store.settlement(dealID: dealID) != nil else { throw AccessError.notFound("settlement") }
        return try await broker.store.settlementPayments(dealID: dealID)
    }

    @Sendable func recordPayment(_ request: Request, context: TrocRequestContext) async throws -> EditedResponse<[SettlementPayment]> {
        let caller = try context.caller(in: .operator)
        let dealID = try context.parameters.require("dealId")
        let new = try await request.decode(as: NewSettlementPayment.self, context: context)
        let record = try await broker.store.recordSettlementPayment(
            dealID: dealID, direction: new.direction, amount: Money(cents: new.amountCents), date: new.date, reference: new.reference,
            actor: service.actor(caller), now: broker.clock())
        context.logger.info("settlement payment recorded", metadata: ["deal": .string(dealID), "payment": .string(record.id)])
        return EditedResponse(status: .created, response: try await broker.store.settlementPayments(dealID: dealID))
    }

    /// The firm's mandates and the wording it is offered, naming the broker as its invoicing identity does.
    private func mandateState(_ organisation: OrganisationRecord) async throws -> BillingMandateState {
        let identity = try await broker.store.brokerIdentity()
        let records = try await broker.store.mandates(organisationID: organisation.id)
        let views = records.map(BillingMandateView.init)
        return BillingMandateState(
            organisationId: organisation.id, inForce: records.first(where: \.inForce).map(BillingMandateView.init), history: views,
            offer: BillingMandateOffer(
                version: BillingMandateWording.version, scope: BillingMandateWording.scope,
                defaultContestDays: BillingMandateWording.defaultContestDays,
                minimumContestDays: BillingMandateWording.contestDaysRange.lowerBound,
                maximumContestDays: BillingMandateWording.contestDaysRange.upperBound,
                text: BillingMandateWording.text(
                    firm: organisation.name, firmSIREN: organisation.siren, broker: identity.name, brokerSIREN: identity.siren,
                    contestDays: BillingMandateWording.defaultContestDays)))
    }
}

extension BillingMandateView {
    /// The API form of a stored mandate.
    init(_ record: BillingMandateRecord) {
        self.init(
            reference: record.id, organisationId: record.organisationID, wordingVersion: record.wordingVersion, scope: record.scope,
            contestDays: record.contestDays, wording: record.wording, acceptedAt: record.acceptedAt, acceptedBy: record.acceptedByUserID,
            withdrawnAt: record.withdrawnAt, withdrawnBy: record.withdrawnByUserID, withdrawalReason: record.withdrawalReason)
    }
}

extension Broker {
    /// The API form of organisation `id`, with its VAT status and bank account.
    func organisationView(_ id: String) async throws -> Organisation {
        guard let record = try await store.organisation(id: id) else { throw AccessError.notFound("organisation") }
        return try await organisationView(record)
    }

    /// The API form of `record`, with its VAT status and bank account.
    func organisationView(_ record: OrganisationRecord) async throws -> Organisation {
        var view = Organisation(record, sectors: try await sectors())
        if let status = try await store.vatStatus(organisationID: record.id) {
            let territory = VATTerritory(rawValue: status.territory)
            view.vatStatus = OrganisationVATStatus(
                vatStatus: status.regime, vatNumber: status.vatNumber, territory: status.territory,
                standardRatePercent: territory?.domesticStandardRateBasisPoints.map { FrenchText.xmlPercentage(basisPoints: $0) },
                vatNumberCheckedAt: status.vatNumberCheckedAt,
                vatNumberCheckMethod: status.vatNumberCheckMethod, updatedAt: status.updatedAt)
        }
        if let account = try await store.bankAccount(organisationID: record.id) {
            view.bankAccount = OrganisationBankAccount(iban: account.iban, bic: account.bic, updatedAt: account.updatedAt)
        }
        return view
    }
}
