import GRDB

extension AppDatabase {
    /// Per-firm quotas on stored files: two more settings, NULL meaning the running build's default.
    static func addFirmQuotas(_ db: Database) throws {
        try db.alter(table: "broker_settings") { t in
            // 1 KiB to 1 PiB, as BrokerSettings.firmStorageQuotaBytesRange.
            t.add(column: "firmStorageQuotaBytes", .integer).check(sql: "firmStorageQuotaBytes BETWEEN 1024 AND 1125899906842624")
            t.add(column: "firmFileQuota", .integer).check(sql: "firmFileQuota BETWEEN 1 AND 100000")
        }
    }
}
