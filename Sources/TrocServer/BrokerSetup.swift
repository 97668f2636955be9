import Foundation
package import TrocCore
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

        package init(name: String, siren: String, vatNumber: String?, nafCode: String, address: PostalAddress) {
            self.name = name
            self.siren = siren
            self.vatNumber = vatNumber
            self.nafCode = nafCode
            self.address = address
        }

        /// A placeholder broker for development (the SIREN is python-stdnum's documentation example).
        package static let development = Identity(
            name: "Troc Dev Broker", siren: "303265045", vatNumber: nil, nafCode: "63.11Z",
            address: PostalAddress(street: "1 rue de la Paix", postcode: "75002", city: "Paris", countryCode: "FR"))
    }

    /// Creates the broker organisation and a first operator unless the broker exists; returns the operator's token, shown once.
    package static func initialiseIfNeeded(configuration: ServerConfiguration, identity: Identity, operatorName: String, email: String? = nil) throws
        -> String?
    {
        let broker = try Broker.open(configuration)
        guard try broker.database.brokerOrganisation() == nil else { return nil }
        return try initialise(broker, identity: identity, operatorName: operatorName, email: email)
    }

    /// Creates the broker organisation and the first operator; fails if the broker exists.
    package static func initialise(_ broker: Broker, identity: Identity, operatorName: String, email: String?) throws -> String {
        let new = NewOrganisation(
            name: identity.name, siren: identity.siren, siret: nil, vatNumber: identity.vatNumber, nafCode: identity.nafCode,
            address: identity.address)
        var draft = try OrganisationValidation.validate(new, sectors: broker.sectors)
        draft.kind = .broker
        let now = broker.clock()
        let organisation = try broker.database.createOrganisation(draft, now: now)
        let user = try broker.database.createUser(organisationID: organisation.id, role: .operator, name: operatorName, email: email, now: now)
        let issued = try broker.database.issueToken(
            userID: user.id, label: "first operator token", expiresAt: now.addingTimeInterval(90 * 86_400), now: now)
        return issued.secret
    }
}
