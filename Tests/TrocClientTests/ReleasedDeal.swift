import Foundation
import TrocClient
import TrocCore
import TrocCrypto
import TrocServer
import TrocStore

/// A deal taken through the typed client from proposal to release (keys, mandates, both sealed uploads, both
/// acceptances, the operator's approval and release), so its deliveries and invoices exist.
struct ReleasedDeal {
    let deal: Deal
    let joinery: TrocAPIClient
    let heating: TrocAPIClient

    /// Runs the whole lifecycle on `live` with `operatorClient`; `connect` opens the firms' clients.
    static func make(
        _ live: LiveBroker, operatorClient: TrocAPIClient, connect: @Sendable (String?) throws -> TrocAPIClient, files directory: URL
    ) async throws -> ReleasedDeal {
        // The test files are small: one exchangeable contact per file is enough for a deal.
        _ = try await live.broker.store.updateSettings(
            SettingsChange(minimumExchangeable: 1), reason: "test files are small", actor: .system, now: Date())
        let (joineryFirm, joineryToken) = try await TwoFirms.register(TwoFirms.joinery, user: "Jeanne Durand", with: operatorClient)
        let (heatingFirm, heatingToken) = try await TwoFirms.register(TwoFirms.heating, user: "Marc Martin", with: operatorClient)
        let joinery = try connect(joineryToken)
        let heating = try connect(heatingToken)
        for (client, firm) in [(joinery, joineryFirm), (heating, heatingFirm)] {
            _ = try await client.registerPublicKey(
                organisationID: firm.id, PublicKeyRegistration(publicKey: EnvelopePrivateKey.generate().publicKey.pemText))
            let offer = try await client.billingMandate(organisationID: firm.id)
            _ = try await client.acceptBillingMandate(
                organisationID: firm.id, MandateAcceptanceRequest(wordingVersion: offer.offer.version, contestDays: nil))
        }
        let proposed = try await joinery.proposeDeal(NewDeal(partnerId: heatingFirm.id, pricePer1000Cents: 2500, policy: .all))
        let brokerKey = try EnvelopePublicKey(pemText: try await joinery.brokerKey().publicKey)
        for (client, firm, domain) in [(joinery, joineryFirm, "menuiserie-client"), (heating, heatingFirm, "chauffage-client")] {
            let file = directory.appendingPathComponent("\(domain).csv")
            let text = Self.header + "Martin;Jean;jean.martin@entreprise.fr;06 12 34 56 78;ACME;salon;01/10/2026;oui\n" + Self.prospects(domain)
            try Data(text.utf8).write(to: file)
            let purpose = try EnvelopePurpose(TransferPurpose.dealUpload(dealID: proposed.id, organisationID: firm.id))
            let body = SealedFileStream(path: file.path, recipient: brokerKey, purpose: purpose) { _ in }
            _ = try await client.uploadDealFile(
                dealID: proposed.id, name: "\(domain).csv", body: body, length: EnvelopeLength.of(plaintextBytes: Int64(text.utf8.count)))
        }
        _ = try await joinery.decide(.accept, dealID: proposed.id, reason: nil)
        _ = try await heating.decide(.accept, dealID: proposed.id, reason: nil)
        _ = try await operatorClient.decide(.approve, dealID: proposed.id, reason: "checked")
        let released = try await operatorClient.decide(.release, dealID: proposed.id, reason: nil)
        return ReleasedDeal(deal: released, joinery: joinery, heating: heating)
    }

    /// Closes the firms' connections.
    func shutdown() async {
        await joinery.shutdown()
        await heating.shutdown()
    }

    private static let header = "nom;prenom;email;telephone;raison_sociale;source;date_collecte;consentement\n"

    /// Twenty exchangeable business contacts at `domain`.
    private static func prospects(_ domain: String) -> String {
        (1...20).map { "Client;N°\($0);contact\($0)@\(domain).fr;;Client \($0) SARL;salon;02/11/2026;oui\n" }.joined()
    }
}
