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

extension PostgresColumns {
    /// JSON as the SQLite store writes a structured column (GRDB's encoder sorts the keys), so both engines hold the same text.
    static let jsonEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    /// Column `name`, JSON text or NULL, decoded as `type`.
    func json<Value: Decodable>(_ name: String, as type: Value.Type = Value.self) throws(StoreError) -> Value? {
        guard let text = try value(name, as: String?.self) else { return nil }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(text.utf8))
        } catch {
            throw .database("PostgreSQL: column \(name) does not read as \(Value.self): \(error)")
        }
    }

    /// The row as the broker's settings row.
    func brokerSettings() throws(StoreError) -> BrokerSettingsRecord {
        var record = BrokerSettingsRecord()
        record.legalName = try value("legalName")
        record.street = try value("street")
        record.postcode = try value("postcode")
        record.city = try value("city")
        record.countryCode = try value("countryCode")
        record.siren = try value("siren")
        record.vatNumber = try value("vatNumber")
        record.iban = try value("iban")
        record.bic = try value("bic")
        record.commissionBasisPoints = try value("commissionBasisPoints")
        record.minimumPricePer1000Cents = try value("minimumPricePer1000Cents")
        record.maximumPricePer1000Cents = try value("maximumPricePer1000Cents")
        record.paymentTermsDays = try value("paymentTermsDays")
        record.latePenalty = try json("latePenalty")
        record.seriesPrefix = try value("seriesPrefix")
        record.deliveryDownloads = try value("deliveryDownloads")
        record.deliveryDays = try value("deliveryDays")
        record.retentionMonths = try value("retentionMonths")
        record.dealExpiryDays = try value("dealExpiryDays")
        record.keyChangeDelayHours = try value("keyChangeDelayHours")
        record.consoleIdleMinutes = try value("consoleIdleMinutes")
        record.consoleSessionHours = try value("consoleSessionHours")
        record.disputeWindowDays = try value("disputeWindowDays")
        record.unattachedFileDays = try value("unattachedFileDays")
        record.minimumExchangeable = try value("minimumExchangeable")
        record.privacyReportsPerPair = try value("privacyReportsPerPair")
        record.firmStorageQuotaBytes = try value("firmStorageQuotaBytes")
        record.firmFileQuota = try value("firmFileQuota")
        record.updatedAt = try optionalDate("updatedAt")
        record.collectionByBroker = try value("collectionByBroker")
        record.financialYearStartMonth = try value("financialYearStartMonth")
        record.financialYearStartDay = try value("financialYearStartDay")
        return record
    }
}

extension PostgresColumns {
    /// The row as a blob.
    func blob() throws(StoreError) -> BlobRecord {
        BlobRecord(
            id: try value("id"), wrappedKey: try value("wrappedKey", as: Data.self), masterKeyID: try value("masterKeyID"),
            plaintextByteCount: try value("plaintextByteCount"), storedByteCount: try value("storedByteCount"), createdAt: try date("createdAt"))
    }

    /// The row as a file.
    func file() throws(StoreError) -> FileRecord {
        FileRecord(
            id: try value("id"), organisationID: try value("organisationID"), blobID: try value("blobID"), name: try value("name"),
            byteCount: try value("byteCount"), report: try value("report"), createdAt: try date("createdAt"),
            partnerReport: try value("partnerReport"))
    }
}

extension PostgresColumns {
    /// The row as a broker key.
    func brokerKey() throws(StoreError) -> BrokerKeyRecord {
        BrokerKeyRecord(
            id: try value("id"), publicKeyPEM: try value("publicKeyPEM"), wrappedKey: try value("wrappedKey", as: Data.self),
            sealedPrivateKey: try value("sealedPrivateKey", as: Data.self), masterKeyID: try value("masterKeyID"), createdAt: try date("createdAt"),
            active: try value("active"))
    }

    /// The row as a key change.
    func keyChange() throws(StoreError) -> KeyChangeRecord {
        KeyChangeRecord(
            id: try value("id"), organisationID: try value("organisationID"), state: try raw("state"), oldFingerprint: try value("oldFingerprint"),
            newPublicKeyPEM: try value("newPublicKeyPEM"), newFingerprint: try value("newFingerprint"),
            requestedByUserID: try value("requestedByUserID"), requestedAt: try date("requestedAt"), note: try value("note"),
            decidedByUserID: try value("decidedByUserID"), decidedAt: try optionalDate("decidedAt"), decisionReason: try value("decisionReason"),
            effectiveAt: try optionalDate("effectiveAt"), cancelledByUserID: try value("cancelledByUserID"),
            cancelledAt: try optionalDate("cancelledAt"),
            cancellationReason: try value("cancellationReason"))
    }
}

extension PostgresColumns {
    /// The row as a deal.
    func deal() throws(StoreError) -> DealRecord {
        guard let verdict = try json("verdict", as: SectorVerdict.self) else { throw .database("PostgreSQL: deal without a verdict") }
        return DealRecord(
            id: try value("id"), state: try raw("state"), proposerID: try value("proposerID"), partnerID: try value("partnerID"),
            pricePer1000Cents: try value("pricePer1000Cents"), policy: try raw("policy"), verdict: verdict,
            overrideReason: try value("overrideReason"),
            reportJSON: try value("reportJSON"), retentionMonths: try value("retentionMonths"), createdAt: try date("createdAt"),
            updatedAt: try date("updatedAt"), expiresAt: try date("expiresAt"), releasedAt: try optionalDate("releasedAt"))
    }
}

extension PostgresColumns {
    /// The row as a party's answer to a deal.
    func dealParty() throws(StoreError) -> DealPartyRecord {
        DealPartyRecord(
            dealID: try value("dealID"), organisationID: try value("organisationID"), acceptedAt: try optionalDate("acceptedAt"),
            declinedAt: try optionalDate("declinedAt"))
    }

    /// The row as a file attached to a deal.
    func dealFile() throws(StoreError) -> DealFileRecord {
        DealFileRecord(
            dealID: try value("dealID"), organisationID: try value("organisationID"), fileID: try value("fileID"), attachedAt: try date("attachedAt"))
    }

    /// The row as a delivery.
    func delivery() throws(StoreError) -> DeliveryRecord {
        DeliveryRecord(
            id: try value("id"), dealID: try value("dealID"), recipientID: try value("recipientID"), supplierID: try value("supplierID"),
            blobID: try value("blobID"), rowCount: try value("rowCount"), downloadsRemaining: try value("downloadsRemaining"),
            createdAt: try date("createdAt"), expiresAt: try date("expiresAt"), purgedAt: try optionalDate("purgedAt"),
            recipientKeyPEM: try value("recipientKeyPEM"), recipientKeyFingerprint: try value("recipientKeyFingerprint"),
            firstDownloadedAt: try optionalDate("firstDownloadedAt"))
    }

    /// The row as a deal's match hold.
    func matchHold() throws(StoreError) -> MatchHoldRecord {
        MatchHoldRecord(
            dealID: try value("dealID"), reason: try value("reason"), organisationIDs: try value("organisationIDs"),
            minimumExchangeable: try value("minimumExchangeable"), availableFrom: try optionalDate("availableFrom"), heldAt: try date("heldAt"))
    }

    /// The row as the privacy budget one report spent.
    func privacySpend() throws(StoreError) -> PrivacySpendRecord {
        PrivacySpendRecord(
            dealID: try value("dealID"), organisationID: try value("organisationID"), counterpartID: try value("counterpartID"),
            milliEpsilon: try value("milliEpsilon"), spentAt: try date("spentAt"), countsUntil: try date("countsUntil"))
    }

    /// The row as a billing mandate.
    func mandate() throws(StoreError) -> BillingMandateRecord {
        BillingMandateRecord(
            id: try value("id"), organisationID: try value("organisationID"), wordingVersion: try value("wordingVersion"), scope: try value("scope"),
            contestDays: try value("contestDays"), wording: try value("wording"), acceptedAt: try date("acceptedAt"),
            acceptedByUserID: try value("acceptedByUserID"), withdrawnAt: try optionalDate("withdrawnAt"),
            withdrawnByUserID: try value("withdrawnByUserID"), withdrawalReason: try value("withdrawalReason"))
    }

    /// The row as a firm's VAT status.
    func vatStatus() throws(StoreError) -> VATStatusRecord {
        VATStatusRecord(
            organisationID: try value("organisationID"), regime: try raw("regime"), vatNumber: try value("vatNumber"),
            territory: try value("territory"),
            vatNumberCheckedAt: try optionalDate("vatNumberCheckedAt"),
            vatNumberCheckMethod: try value("vatNumberCheckMethod", as: String?.self).flatMap(VATNumberCheckMethod.init(rawValue:)),
            updatedAt: try date("updatedAt"))
    }

    /// The row as a firm's bank account.
    func bankAccount() throws(StoreError) -> BankAccountRecord {
        BankAccountRecord(
            organisationID: try value("organisationID"), iban: try value("iban"), bic: try value("bic"), updatedAt: try date("updatedAt"))
    }

    /// The row as a wrapped secret.
    func secret() throws(StoreError) -> SecretRecord {
        SecretRecord(name: try value("name"), wrapped: try value("wrapped", as: Data.self), masterKeyID: try value("masterKeyID"))
    }
}

extension PostgresColumns {
    /// The row as an issued invoice or credit note: its columns are the document's, which the schema checks.
    func invoice() throws(StoreError) -> InvoiceRecord {
        guard let document = try json("document", as: InvoiceDocument.self) else { throw .database("PostgreSQL: invoice without its document") }
        return InvoiceRecord(document, sellerID: try value("sellerID"), buyerID: try value("buyerID"), createdAt: try date("createdAt"))
    }

    /// The row as a recorded settlement payment.
    func settlementPayment() throws(StoreError) -> SettlementPaymentRecord {
        SettlementPaymentRecord(
            id: try value("id"), dealID: try value("dealID"), direction: try raw("direction"), counterpartyID: try value("counterpartyID"),
            amountCents: try value("amountCents"), paidOn: try civilDate("paidOn"), reference: try value("reference"),
            recordedAt: try date("recordedAt"), recordedByUserID: try value("recordedByUserID"))
    }
}

extension PostgresColumns {
    /// The row as an erasure carried out.
    func erasure() throws(StoreError) -> ErasureRecord {
        ErasureRecord(
            id: try value("id"), requestedAt: try date("requestedAt"), completedAt: try date("completedAt"),
            filesRewritten: try value("filesRewritten"), rowsRemoved: try value("rowsRemoved"), keysSuppressed: try value("keysSuppressed"),
            actorUserID: try value("actorUserID"), deliveriesRewritten: try value("deliveriesRewritten"),
            noticesRecorded: try value("noticesRecorded"))
    }

    /// The row as a notice of an erasure.
    func notice() throws(StoreError) -> NoticeRecord {
        NoticeRecord(
            id: try value("id"), erasureID: try value("erasureID"), organisationID: try value("organisationID"), dealID: try value("dealID"),
            deliveryID: try value("deliveryID"), createdAt: try date("createdAt"), sealed: try value("sealed"),
            keyFingerprint: try value("keyFingerprint"), acknowledgedAt: try optionalDate("acknowledgedAt"),
            acknowledgedBy: try value("acknowledgedBy"))
    }
}

extension PostgresColumns {
    /// The row as a user's console credentials.
    func consoleCredential() throws(StoreError) -> ConsoleCredentialRecord {
        ConsoleCredentialRecord(
            userID: try value("userID"), login: try value("login"), passwordHash: try value("passwordHash"),
            totpSecretSealed: try value("totpSecretSealed"), totpLastStep: try value("totpLastStep"), enrolledAt: try date("enrolledAt"))
    }

    /// The row as a console session.
    func consoleSession() throws(StoreError) -> ConsoleSessionRecord {
        ConsoleSessionRecord(
            id: try value("id"), userID: try value("userID"), hash: try value("hash"), csrfToken: try value("csrfToken"),
            verified: try value("verified"), address: try value("address"), createdAt: try date("createdAt"), lastSeenAt: try date("lastSeenAt"),
            expiresAt: try date("expiresAt"), endedAt: try optionalDate("endedAt"),
            endReason: try value("endReason", as: String?.self).flatMap(ConsoleSessionEnd.init(rawValue:)))
    }
}
