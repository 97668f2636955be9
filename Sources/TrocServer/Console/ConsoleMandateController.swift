import Foundation
import Hummingbird
import TrocCore
import TrocStore

/// A partner firm's billing mandate in the console: the wording the broker offers, the mandate in force, and its
/// acceptance, as `GET` and `POST /v1/organisations/{id}/billing-mandate` (the broker issues the firm's exchange invoices
/// in its name only under it, CGI art. 289, I-2).
struct ConsoleMandateController {
    let console: ConsoleContext
    var broker: Broker { console.broker }

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get("mandate", use: show)
        router.post("mandate", use: accept)
    }

    @Sendable func show(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .partner)
        guard let organisation = try await broker.store.organisation(id: caller.organisationID) else { throw AccessError.notFound("organisation") }
        let format = ConsoleFormat(language: console.language(request))
        let identity = try await broker.store.brokerIdentity()
        let inForce = try await broker.store.mandateInForce(organisationID: organisation.id)
        let offer = BillingMandateWording.text(
            firm: organisation.name, firmSIREN: organisation.siren, broker: identity.name, brokerSIREN: identity.siren,
            contestDays: BillingMandateWording.defaultContestDays)
        return console.page(
            "mandate", request, context, titleKey: "mandate_title", section: "mandate",
            values: [
                "inForce": inForce.map { record in
                    [
                        "reference": record.id, "accepted": format.dateTime(record.acceptedAt), "contestDays": String(record.contestDays),
                        "wording": record.wording,
                    ] as [String: Any?]
                },
                "offer": inForce == nil ? offer : nil, "version": BillingMandateWording.version,
                "contestDays": String(BillingMandateWording.defaultContestDays),
                "minimumDays": String(BillingMandateWording.contestDaysRange.lowerBound),
                "maximumDays": String(BillingMandateWording.contestDaysRange.upperBound),
            ])
    }

    @Sendable func accept(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try console.caller(context, in: .partner)
        let fields = try await console.form(request)
        guard let contestDays = Int(fields["contestDays"] ?? ""), BillingMandateWording.contestDaysRange.contains(contestDays) else {
            throw RequestError.invalidField(
                "contestDays",
                "\(BillingMandateWording.contestDaysRange.lowerBound) to \(BillingMandateWording.contestDaysRange.upperBound) days")
        }
        _ = try await broker.store.acceptMandate(
            organisationID: caller.organisationID, wordingVersion: (fields["version"] ?? "").trimmed, contestDays: contestDays,
            actor: DealService(broker: broker).actor(caller), now: broker.clock())
        return ConsoleRenderer.redirect("/console/mandate?done=mandate")
    }
}
