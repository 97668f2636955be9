import Foundation
import TrocCore
import TrocStore

extension PostgresColumns {
    /// The row as an organisation.
    func organisation() throws(StoreError) -> OrganisationRecord {
        OrganisationRecord(
            id: try value("id"), kind: try raw("kind"), name: try value("name"), siren: try value("siren"), siret: try value("siret"),
            vatNumber: try value("vatNumber"), nafCode: try value("nafCode"), street: try value("street"), postcode: try value("postcode"),
            city: try value("city"), countryCode: try value("countryCode"), publicKeyPEM: try value("publicKeyPEM"),
            publicKeyFingerprint: try value("publicKeyFingerprint"), createdAt: try date("createdAt"), nafNomenclature: try raw("nafNomenclature"))
    }

    /// The row as a user.
    func user() throws(StoreError) -> UserRecord {
        UserRecord(
            id: try value("id"), organisationID: try value("organisationID"), role: try raw("role"), name: try value("name"),
            email: try value("email"), createdAt: try date("createdAt"), disabledAt: try optionalDate("disabledAt"),
            firmAdmin: try value("firmAdmin"), createdByUserID: try value("createdByUserID"), creationReason: try value("creationReason"))
    }

    /// The row as a token.
    func token() throws(StoreError) -> TokenRecord {
        TokenRecord(
            id: try value("id"), userID: try value("userID"), hash: try value("hash", as: Data.self), label: try value("label"),
            createdAt: try date("createdAt"), expiresAt: try date("expiresAt"), revokedAt: try optionalDate("revokedAt"),
            lastUsedAt: try optionalDate("lastUsedAt"), parentID: try value("parentID"))
    }
}

extension PostgresColumns {
    /// The row as a console enrolment code.
    func enrolmentCode() throws(StoreError) -> EnrolmentCodeRecord {
        EnrolmentCodeRecord(
            id: try value("id"), userID: try value("userID"), hash: try value("hash", as: Data.self), createdByUserID: try value("createdByUserID"),
            createdAt: try date("createdAt"), expiresAt: try date("expiresAt"), usedAt: try optionalDate("usedAt"),
            revokedAt: try optionalDate("revokedAt"))
    }
}
