package import Foundation
import PostgresNIO
import TrocCore
package import TrocStore

extension PostgresStore {
    /// The settings in force: what operators set, over the defaults.
    package func settings() async throws(StoreError) -> BrokerSettings {
        try await withConnection { connection in try await settingsRow(on: connection, locking: false).settings }
    }

    /// Applies `change` after checking the merged settings with TrocCore's rules, and audits each changed setting's
    /// before and after; a change that changes nothing writes nothing.
    ///
    /// The row is locked for the transaction, so that two instances changing settings at once apply one change after the
    /// other, each audited against what the other left.
    package func updateSettings(_ change: SettingsChange, reason: String?, actor: AuditActor, now: Date) async throws(StoreError) -> BrokerSettings {
        let key = try requireAuditKey()
        return try await transaction { connection in
            let current = try await settingsRow(on: connection, locking: true)
            let before = current.settings
            if StoreRules.movedFinancialYear(change, from: before.financialYear) != nil {
                let period = before.financialYear.period(containing: Timestamp.day(now))
                let rows = try await connection.query(
                    #"""
                    SELECT count(*) FROM "invoice" WHERE "issueDate" BETWEEN \#(period.lowerBound.description) AND \#(period.upperBound.description)
                    """#, logger: logger)
                var issued = 0
                for try await (count) in rows.decode(Int.self) { issued = count }
                try StoreRules.refuseFinancialYearMove(current: period, invoices: issued)
            }
            var record = try StoreRules.applying(change, to: current)
            let after = record.settings
            guard let entry = AuditDraft.settingsUpdated(from: before, to: after, by: actor, reason: reason) else { return before }
            record.updatedAt = now
            try await write(record, on: connection)
            try await PostgresAuditTrail.append(entry, key: key, now: now, on: connection, logger: logger)
            return after
        }
    }

    /// The settings row (there is always one: the first migration inserts it), locked for the transaction when `locking`.
    func settingsRow(on connection: PostgresConnection, locking: Bool) async throws -> BrokerSettingsRecord {
        let query: PostgresQuery =
            locking ? #"SELECT * FROM "broker_settings" WHERE "id" = 1 FOR UPDATE"# : #"SELECT * FROM "broker_settings" WHERE "id" = 1"#
        for try await row in try await connection.query(query, logger: logger) { return try PostgresColumns(row).brokerSettings() }
        throw StoreError.database("PostgreSQL: the broker_settings row is missing (was the database migrated?)")
    }

    /// Writes every column of the settings row.
    private func write(_ record: BrokerSettingsRecord, on connection: PostgresConnection) async throws {
        let latePenalty = try record.latePenalty.map { String(decoding: try PostgresColumns.jsonEncoder.encode($0), as: UTF8.self) }
        try await connection.query(
            #"""
            UPDATE "broker_settings" SET "legalName" = \#(record.legalName), "street" = \#(record.street), "postcode" = \#(record.postcode),
                "city" = \#(record.city), "countryCode" = \#(record.countryCode), "siren" = \#(record.siren), "vatNumber" = \#(record.vatNumber),
                "iban" = \#(record.iban), "bic" = \#(record.bic), "commissionBasisPoints" = \#(record.commissionBasisPoints),
                "minimumPricePer1000Cents" = \#(record.minimumPricePer1000Cents), "maximumPricePer1000Cents" = \#(record.maximumPricePer1000Cents),
                "paymentTermsDays" = \#(record.paymentTermsDays), "latePenalty" = \#(latePenalty), "seriesPrefix" = \#(record.seriesPrefix),
                "deliveryDownloads" = \#(record.deliveryDownloads), "deliveryDays" = \#(record.deliveryDays),
                "retentionMonths" = \#(record.retentionMonths), "dealExpiryDays" = \#(record.dealExpiryDays),
                "updatedAt" = \#(record.updatedAt.map(Timestamp.seconds)), "keyChangeDelayHours" = \#(record.keyChangeDelayHours),
                "disputeWindowDays" = \#(record.disputeWindowDays), "unattachedFileDays" = \#(record.unattachedFileDays),
                "minimumExchangeable" = \#(record.minimumExchangeable), "privacyReportsPerPair" = \#(record.privacyReportsPerPair),
                "firmStorageQuotaBytes" = \#(record.firmStorageQuotaBytes), "firmFileQuota" = \#(record.firmFileQuota),
                "collectionByBroker" = \#(record.collectionByBroker), "financialYearStartMonth" = \#(record.financialYearStartMonth),
                "financialYearStartDay" = \#(record.financialYearStartDay), "consoleIdleMinutes" = \#(record.consoleIdleMinutes),
                "consoleSessionHours" = \#(record.consoleSessionHours)
            WHERE "id" = 1
            """#, logger: logger)
    }
}
