package import Foundation
public import GRDB
package import TrocCore

extension VATRegime: DatabaseValueConvertible {}
extension VATNumberCheckMethod: DatabaseValueConvertible {}

/// A row of `organisation_vat_status`: a firm's VAT status as it declared it and the broker checked it.
package struct VATStatusRecord: StoreRecord {
    package static let databaseTableName = "organisation_vat_status"

    /// The firm.
    package var organisationID: String
    /// Registered, franchise or overseas.
    package var regime: VATRegime
    /// The declared VAT number, normalised; nil under the franchise.
    package var vatNumber: String?
    /// `FR` (metropolitan France), an overseas department's code (`RE`) or a member state's (`DE`).
    package var territory: String
    /// When the VAT number was checked: VIES is not reachable, so this is when its structure was.
    package var vatNumberCheckedAt: Date?
    /// How it was checked.
    package var vatNumberCheckMethod: VATNumberCheckMethod?
    /// When the status was declared or last changed.
    package var updatedAt: Date

    /// A record with every column given (the other stores build it from their rows).
    package init(
        organisationID: String, regime: VATRegime, vatNumber: String?, territory: String, vatNumberCheckedAt: Date?,
        vatNumberCheckMethod: VATNumberCheckMethod?, updatedAt: Date
    ) {
        self.organisationID = organisationID
        self.regime = regime
        self.vatNumber = vatNumber
        self.territory = territory
        self.vatNumberCheckedAt = vatNumberCheckedAt
        self.vatNumberCheckMethod = vatNumberCheckMethod
        self.updatedAt = updatedAt
    }

    /// The row of `status` for `organisationID`, its number checked at `now`.
    package init(organisationID: String, status: FirmVATStatus, now: Date) {
        self.organisationID = organisationID
        regime = status.regime
        vatNumber = status.vatNumber?.text
        territory = status.territory.rawValue
        vatNumberCheckedAt = status.vatNumber == nil ? nil : Timestamp.stored(now)
        vatNumberCheckMethod = status.vatNumber?.checkMethod
        updatedAt = Timestamp.stored(now)
    }

    /// The status again, checked against the firm's address and SIREN as they are now.
    package func status(of organisation: OrganisationRecord) throws(VATStatusError) -> FirmVATStatus {
        try FirmVATStatus(regime: regime, vatNumber: vatNumber, address: organisation.address, siren: organisation.siren)
    }
}

extension OrganisationRecord {
    /// The registered address.
    package var address: PostalAddress { PostalAddress(street: street, postcode: postcode, city: city, countryCode: countryCode) }
}
