package import Foundation
package import TrocCore

/// The checks every record store makes before it writes, whatever its engine: the SQLite store and the PostgreSQL
/// store call these, so a field is refused with the same words by both.
package enum StoreRules {
    /// `reason` trimmed, or the error saying one is needed.
    package static func requiredReason(_ reason: String) throws(StoreError) -> String {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw .invalidField(field: "reason", value: reason, reason: "a reason is required and recorded in the audit trail")
        }
        return trimmed
    }

    /// Checks the shapes the schema also checks, to say which field is wrong and why.
    package static func validate(_ new: OrganisationDraft) throws(StoreError) {
        func digits(_ text: String, count: Int) -> Bool { text.utf8.count == count && text.utf8.allSatisfy { (0x30...0x39).contains($0) } }
        func isUppercase(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) }
        guard !new.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidField(field: "name", value: new.name, reason: "the legal name is empty")
        }
        let country = Array(new.countryCode.utf8)
        guard country.count == 2, country.allSatisfy(isUppercase) else {
            throw .invalidField(
                field: "countryCode", value: new.countryCode, reason: "an ISO 3166-1 alpha-2 code is two uppercase letters, such as FR")
        }
        if let siren = new.siren, !digits(siren, count: 9) {
            throw .invalidField(field: "siren", value: siren, reason: "a SIREN is 9 digits, without spaces")
        }
        if new.countryCode == "FR", new.siren == nil {
            throw .invalidField(field: "siren", value: "", reason: "a French organisation needs its SIREN")
        }
        if let siret = new.siret {
            guard digits(siret, count: 14) else {
                throw .invalidField(field: "siret", value: siret, reason: "a SIRET is 14 digits, without spaces")
            }
            guard let siren = new.siren, siret.hasPrefix(siren) else {
                throw .invalidField(
                    field: "siret", value: siret, reason: "a SIRET starts with the organisation's SIREN (\(new.siren ?? "none given"))")
            }
        }
        try validateNAF(new.nafCode, new.nafNomenclature)
    }

    /// Checks that `code` is a sub-class of `nomenclature`.
    package static func validateNAF(_ code: String, _ nomenclature: NAFNomenclature) throws(StoreError) {
        guard ReferenceData.embedded.subclass(code, in: nomenclature) != nil else {
            throw .invalidField(
                field: "nafCode", value: code,
                reason: "not a \(nomenclature.name) sub-class code (expected the form \(nomenclature == .rev2 ? "62.01Z" : "62.01Y"))")
        }
    }

    /// Checks a user's name (the schema refuses a blank one too, without saying which field).
    package static func validateUserName(_ name: String) throws(StoreError) {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidField(field: "name", value: name, reason: "a user needs a name")
        }
    }

    /// Checks that a token would expire after it is issued.
    package static func validateExpiry(_ expiresAt: Date, now: Date) throws(StoreError) {
        guard Timestamp.seconds(expiresAt) > Timestamp.seconds(now) else { throw .expiryNotInFuture(expiresAt: expiresAt, now: now) }
    }

    /// The firm-admin right of a new user: a partner firm's first user holds it, later ones when asked.
    package static func firmAdmin(_ draft: UserDraft, isFirstOfOrganisation: Bool) -> Bool {
        draft.role == .partner && (isFirstOfOrganisation || draft.firmAdmin)
    }
}
