import Foundation
package import TrocCore
package import TrocPostgres
import TrocStore

/// The broker's own identity and its first operator, created by `trocd admin init` (or `serve --dev`).
package enum BrokerSetup {
    /// The legal identity of the broker organisation.
    package struct Identity: Sendable {
        package var name: String
        package var siren: String
        package var vatNumber: String?
        package var nafCode: String
        package var address: PostalAddress
        /// The account partners pay invoices into; with `bic`, completes the invoicing identity so releases can invoice.
        package var iban: String?
        package var bic: String?

        package init(
            name: String, siren: String, vatNumber: String?, nafCode: String, address: PostalAddress, iban: String? = nil, bic: String? = nil
        ) {
            self.name = name
            self.siren = siren
            self.vatNumber = vatNumber
            self.nafCode = nafCode
            self.address = address
            self.iban = iban
            self.bic = bic
        }

        /// A placeholder broker for development (the SIREN is python-stdnum's documentation example with its VAT number,
        /// the IBAN and BIC the well-formed examples French banks publish), complete enough for `--dev` releases to invoice.
        package static let development = Identity(
            name: "Troc Dev Broker", siren: "303265045", vatNumber: "FR40303265045", nafCode: "63.11Z",
            address: PostalAddress(street: "1 rue de la Paix", postcode: "75002", city: "Paris", countryCode: "FR"),
            iban: "FR7630006000011234567890189", bic: "AGRIFRPP")
    }

    /// Creates the broker organisation and a first operator unless the broker exists; returns the operator's token, shown once.
    package static func initialiseIfNeeded(
        configuration: ServerConfiguration, postgres: PostgresStore? = nil, identity: Identity, operatorName: String, email: String? = nil
    ) async throws -> String? {
        let broker = try await Broker.open(configuration, postgres: postgres)
        guard try await broker.store.brokerOrganisation() == nil else { return nil }
        return try await initialise(broker, identity: identity, operatorName: operatorName, email: email)
    }

    /// Creates the broker organisation and the first operator; fails if the broker exists.
    package static func initialise(_ broker: Broker, identity: Identity, operatorName: String, email: String?) async throws -> String {
        let new = NewOrganisation(
            name: identity.name, siren: identity.siren, siret: nil, vatNumber: identity.vatNumber, nafCode: identity.nafCode,
            address: identity.address)
        let draft = try OrganisationValidation.validate(new, sectors: try await broker.sectors(), kind: .broker)
        let now = broker.clock()
        let organisation = try await broker.store.createOrganisation(draft, now: now)
        if let iban = identity.iban, let bic = identity.bic, let siren = organisation.siren {
            // The broker states its VAT number like every firm: a number derived from the SIREN may not be its own.
            let change = SettingsChange(
                legalName: organisation.name, address: identity.address, siren: siren, vatNumber: organisation.vatNumber, iban: iban, bic: bic)
            _ = try await broker.store.updateSettings(change, reason: "broker initialised", actor: .system, now: now)
        }
        let created = try await broker.store.addUser(
            UserDraft(organisationID: organisation.id, role: .operator, name: operatorName, email: email), reason: nil,
            firstTokenExpiresAt: now.addingTimeInterval(90 * 86_400), creator: .system, now: now)
        return created.token.secret
    }
}
