package import Logging
package import PostgresNIO
package import TrocCore
import TrocStore

/// Gapless invoice numbers in PostgreSQL: each number is taken from its series' row, locked, in the transaction that
/// writes the invoice (the schema's `invoice_numbers_without_gaps` trigger refuses any other number), so a rolled-back release gives its number back and two instances never take the same one.
///
/// The rule (CGI ann. II art. 242 nonies A, 7°): one continuous chronological sequence per issuer and series, no gaps, never
/// reused; `InvoiceSeries.nextNumber(after:issueDate:)` (TrocCore, shared with the SQLite store) says which number comes next.
package enum PostgresInvoiceNumbering {
    /// Allocates the next number of `series` for an invoice issued on `issueDate`, inside the caller's transaction.
    ///
    /// The first number of a new series inserts the series row; a concurrent first allocation waits on that row's key
    /// and, once the first commits, finds the row and locks it. Later numbers lock the row FOR UPDATE, so allocations of
    /// one series queue behind the transaction holding it and each reads the number the previous one committed.
    package static func allocate(
        _ series: InvoiceSeries, issueDate: CivilDate, on connection: PostgresConnection, logger: Logger
    ) async throws -> InvoiceNumber {
        let first = try number(series.nextNumber(after: nil, issueDate: issueDate))
        let inserted = try await connection.query(
            #"""
            INSERT INTO "invoice_series" ("seriesPrefix", "issuerID", "year", "lastSequence", "lastIssueDate")
            VALUES (\#(series.prefix), \#(series.issuerID), \#(first.year), \#(first.sequence), \#(issueDate.iso8601))
            ON CONFLICT ("seriesPrefix") DO NOTHING RETURNING "seriesPrefix"
            """#, logger: logger
        ).collect()
        if !inserted.isEmpty { return first }
        let rows = try await connection.query(
            #"""
            SELECT "issuerID", "year", "lastSequence", "lastIssueDate" FROM "invoice_series" WHERE "seriesPrefix" = \#(series.prefix) FOR UPDATE
            """#, logger: logger)
        var last: (issuerID: String, reference: InvoiceReference)?
        for try await (issuerID, year, sequence, lastIssueDate) in rows.decode((String, Int, Int, String).self) {
            guard let date = CivilDate(iso8601: lastIssueDate) else {
                throw StoreError.database("invoice series \(series.prefix) has a last issue date that is not a date: \(lastIssueDate)")
            }
            last = (
                issuerID, InvoiceReference(number: try number(InvoiceNumber(prefix: series.prefix, year: year, sequence: sequence)), issueDate: date)
            )
        }
        guard let last else { throw StoreError.database("invoice series \(series.prefix) vanished while a number was being allocated") }
        guard last.issuerID == series.issuerID else {
            throw StoreError.invalidInvoiceDraft(
                index: 0, reason: "series \(series.prefix) belongs to issuer \(last.issuerID), not \(series.issuerID)")
        }
        let next = try number(series.nextNumber(after: last.reference, issueDate: issueDate))
        try await connection.query(
            #"""
            UPDATE "invoice_series" SET "year" = \#(next.year), "lastSequence" = \#(next.sequence), "lastIssueDate" = \#(issueDate.iso8601)
            WHERE "seriesPrefix" = \#(series.prefix)
            """#, logger: logger)
        return next
    }

    /// `body`'s number, with a numbering refusal as the store's error.
    private static func number(_ body: @autoclosure () throws(InvoiceNumberError) -> InvoiceNumber) throws(StoreError) -> InvoiceNumber {
        do { return try body() } catch { throw .invoiceNumbering(error) }
    }
}
