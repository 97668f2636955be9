package import Logging
package import PostgresNIO
package import TrocCore
import TrocStore

/// Gapless invoice numbers in PostgreSQL: each number is taken from its series' row, locked, in the transaction that
/// writes the invoice (the schema's `invoice_numbers_without_gaps` trigger refuses any other number), so a rolled-back
/// release gives its number back and two instances never take the same one.
///
/// The rule (CGI ann. II art. 242 nonies A, 7°): one continuous chronological sequence per issuer and series, no gaps, never
/// reused; `InvoiceSeries.nextNumber(after:issueDate:)` (TrocCore, shared with the SQLite store) says which number comes next.
package enum PostgresInvoiceNumbering {
    /// Takes, in one order (by prefix), the transaction's locks on every series `drafts` number in.
    ///
    /// A deal's drafts number in several series (each seller's, then the broker's); two deals between the same firms
    /// list their sellers in opposite orders, so locking series as the drafts come would let two releases on two
    /// instances each hold the series the other waits for. An advisory lock per prefix, taken sorted, covers a series'
    /// first number too, whose row does not exist yet.
    package static func lockSeries(of drafts: [InvoiceDraft], on connection: PostgresConnection, logger: Logger) async throws {
        for prefix in Set(drafts.map(\.series.prefix)).sorted() {
            try await connection.query(#"SELECT pg_advisory_xact_lock(hashtext(\#("invoice_series:" + prefix)))"#, logger: logger)
        }
    }

    /// `draft` issued under the next number of its series (draft `index` of those being issued), inside the caller's
    /// transaction.
    package static func issue(_ draft: InvoiceDraft, index: Int, on connection: PostgresConnection, logger: Logger) async throws
        -> InvoiceDocument
    {
        let number = try await allocate(draft.series, issueDate: draft.content.issueDate, index: index, on: connection, logger: logger)
        do throws(InvoiceNumberError) {
            return try draft.issued(as: number)
        } catch {
            throw StoreError.invoiceNumbering(error)
        }
    }

    /// Allocates the next number of `series` for an invoice issued on `issueDate`, inside the caller's transaction.
    ///
    /// The first number of a new series inserts the series row; a concurrent first allocation waits on that row's key
    /// and, once the first commits, finds the row and locks it. Later numbers lock the row FOR UPDATE, so allocations of
    /// one series queue behind the transaction holding it and each reads the number the previous one committed.
    package static func allocate(
        _ series: InvoiceSeries, issueDate: CivilDate, index: Int = 0, on connection: PostgresConnection, logger: Logger
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
        var last: InvoiceReference?
        for try await (issuerID, year, sequence, lastIssueDate) in rows.decode((String, Int, Int, String).self) {
            guard let date = CivilDate(iso8601: lastIssueDate) else {
                throw StoreError.database("invoice series \(series.prefix) has a last issue date that is not a date: \(lastIssueDate)")
            }
            last = try StoreRules.lastOfSeries(
                series.prefix, issuerID: issuerID, year: year, sequence: sequence, issueDate: date, drafting: series, index: index)
        }
        guard let last else { throw StoreError.database("invoice series \(series.prefix) vanished while a number was being allocated") }
        let next = try number(series.nextNumber(after: last, issueDate: issueDate))
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
