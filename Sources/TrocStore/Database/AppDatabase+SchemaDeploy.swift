import GRDB

extension AppDatabase {
    /// `v9-audit-client-address`: audit entries record the client's IP address. The column is nullable, so the entries before it keep
    /// their bytes and their MACs (`AuditChain` covers the address only when there is one); the append-only triggers of
    /// `v2-deals-audit` already refuse any later edit of it.
    static func addAuditClientAddress(_ db: Database) throws {
        // Canonical text of an IPv4 or IPv6 address (inet_ntop): at most 45 characters of digits, hex, dots and colons.
        try db.alter(table: "audit") { t in
            t.add(column: "clientAddress", .text)
                .check(sql: "clientAddress IS NULL OR (length(clientAddress) BETWEEN 2 AND 45 AND clientAddress NOT GLOB '*[^0-9a-f.:]*')")
        }
    }
}
