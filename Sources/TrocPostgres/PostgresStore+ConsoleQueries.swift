import Foundation
import PostgresNIO
package import TrocCore
package import TrocStore

/// The console's lists in PostgreSQL: deals, invoices with their totals, the audit trail and settlements, a page at a
/// time with the size of the whole list. A filter's unset parts are bound as NULL and read `(… IS NULL OR …)`, so each
/// list is one statement whatever the filter.
extension PostgresStore {
    /// Deals by state, all of them or one organisation's.
    package func dealCounts(organisationID: String?) async throws(StoreError) -> [DealState: Int] {
        try await withConnection { connection in
            let rows = try await connection.query(
                #"""
                SELECT "state", count(*) FROM "deal"
                WHERE (\#(organisationID)::text IS NULL OR \#(organisationID) IN ("proposerID", "partnerID"))
                GROUP BY "state"
                """#, logger: logger)
            var counts: [DealState: Int] = [:]
            for try await (state, count) in rows.decode((String, Int).self) {
                if let state = DealState(rawValue: state) { counts[state] = count }
            }
            return counts
        }
    }

    /// One page of deals, most recently changed first.
    package func dealPage(_ filter: DealFilter, limit: Int, offset: Int) async throws(StoreError) -> Page<DealRecord> {
        let organisationID = filter.organisationID
        let state = filter.state?.rawValue
        let pattern = filter.text?.trimmingCharacters(in: .whitespaces).nonEmpty.map { "%" + StoreRules.escapedLike($0) + "%" }
        let condition: PostgresQuery = #"""
            (\#(organisationID)::text IS NULL OR \#(organisationID) IN ("deal"."proposerID", "deal"."partnerID"))
            AND (\#(state)::text IS NULL OR "deal"."state" = \#(state))
            AND (\#(pattern)::text IS NULL OR "deal"."id" ILIKE \#(pattern) ESCAPE '\' OR EXISTS (
                SELECT 1 FROM "organisation" WHERE "organisation"."id" IN ("deal"."proposerID", "deal"."partnerID")
                AND "organisation"."name" ILIKE \#(pattern) ESCAPE '\'))
            """#
        return try await withConnection { connection in
            let total = try await count("deal", where: condition, on: connection)
            let page = Self.paged(condition, order: #""updatedAt" DESC, "id" COLLATE "C""#, limit: limit, offset: offset)
            return Page(items: try await deals(where: page, on: connection), total: total)
        }
    }

    /// One page of invoices and credit notes, by date then number, with the totals of the whole filtered set.
    package func invoicePage(_ filter: InvoiceFilter, limit: Int, offset: Int) async throws(StoreError) -> (
        page: Page<InvoiceListRow>, totals: TrocStore.InvoiceTotals
    ) {
        let condition = Self.invoiceCondition(filter)
        return try await withConnection { connection in
            let sums = Self.query(
                #"""
                SELECT count(*),
                    COALESCE(sum(CASE "kind" WHEN 'credit-note' THEN -"netCents" ELSE "netCents" END), 0)::bigint,
                    COALESCE(sum(CASE "kind" WHEN 'credit-note' THEN -"vatCents" ELSE "vatCents" END), 0)::bigint,
                    COALESCE(sum(CASE "kind" WHEN 'credit-note' THEN -"grossCents" ELSE "grossCents" END), 0)::bigint
                FROM "invoice"
                """#, where: condition)
            var totals = TrocStore.InvoiceTotals(count: 0, netCents: 0, vatCents: 0, grossCents: 0)
            for try await (count, net, vat, gross) in try await connection.query(sums, logger: logger).decode((Int, Int64, Int64, Int64).self) {
                totals = TrocStore.InvoiceTotals(count: count, netCents: net, vatCents: vat, grossCents: gross)
            }
            let page = Self.paged(
                Self.query(
                    #"""
                    SELECT "number", "kind", "purpose", "dealID", "issueDate", "document"::jsonb #>> '{content,seller,name}',
                        "document"::jsonb #>> '{content,buyer,name}', "netCents", "vatCents", "grossCents", "creditsNumber"
                    FROM "invoice"
                    """#, where: condition), order: Self.invoiceOrder, limit: limit, offset: offset)
            var items: [InvoiceListRow] = []
            let rows = try await connection.query(page, logger: logger).decode(
                (String, String, String, String?, String, String?, String?, Int64, Int64, Int64, String?).self)
            for try await (number, kind, purpose, dealID, issueDate, seller, buyer, net, vat, gross, credits) in rows {
                guard let purpose = InvoicePurpose(rawValue: purpose), let issueDate = CivilDate(iso8601: issueDate) else { continue }
                items.append(
                    InvoiceListRow(
                        number: number, kind: kind == "credit-note" ? .creditNote : .invoice, purpose: purpose, dealID: dealID, issueDate: issueDate,
                        seller: seller ?? "", buyer: buyer ?? "", netCents: net, vatCents: vat, grossCents: gross, creditsNumber: credits))
            }
            return (Page(items: items, total: totals.count), totals)
        }
    }

    /// Every invoice and credit note of a filter, by date then number (for an export).
    package func invoices(_ filter: InvoiceFilter) async throws(StoreError) -> [InvoiceRecord] {
        var condition = Self.invoiceCondition(filter)
        condition.sql += " ORDER BY " + Self.invoiceOrder
        return try await withConnection { connection in
            try await select("invoice", where: condition, on: connection) { columns throws(StoreError) in try columns.invoice() }
        }
    }

    /// One page of the audit trail, newest first.
    package func auditPage(_ filter: AuditFilter, limit: Int, offset: Int) async throws(StoreError) -> Page<AuditRecord> {
        let prefix = filter.actionPrefix?.trimmingCharacters(in: .whitespaces).nonEmpty
        let (actor, organisation, deal) = (filter.actorUserID?.nonEmpty, filter.organisationID?.nonEmpty, filter.dealID?.nonEmpty)
        let (since, until) = (filter.since.map(Timestamp.seconds), filter.until.map(Timestamp.seconds))
        let condition: PostgresQuery = #"""
            (\#(prefix)::text IS NULL OR starts_with("action", \#(prefix)))
            AND (\#(actor)::text IS NULL OR "actorUserID" = \#(actor))
            AND (\#(organisation)::text IS NULL OR "organisationID" = \#(organisation))
            AND (\#(deal)::text IS NULL OR "dealID" = \#(deal))
            AND (\#(since)::bigint IS NULL OR "at" >= \#(since))
            AND (\#(until)::bigint IS NULL OR "at" < \#(until))
            """#
        return try await withConnection { connection in
            let total = try await count("audit", where: condition, on: connection)
            let page = Self.paged(
                Self.query(#"SELECT \#(PostgresAuditTrail.columns) FROM "audit""#, where: condition), order: #""seq" DESC"#, limit: limit,
                offset: offset)
            var entries: [AuditRecord] = []
            for try await row in try await connection.query(page, logger: logger) { entries.append(try PostgresAuditTrail.record(row)) }
            return Page(items: entries, total: total)
        }
    }

    /// One page of the settlement statements issued from `from` to `to` inclusive (UTC days), oldest first.
    package func settlementPage(from: CivilDate, to: CivilDate, limit: Int, offset: Int) async throws(StoreError) -> Page<SettlementEntry> {
        let start = Int64(from.daysSinceEpoch) * 86_400
        let end = (Int64(to.daysSinceEpoch) + 1) * 86_400
        return try await withConnection { connection in
            let total = try await count("settlement", where: #""createdAt" >= \#(start) AND "createdAt" < \#(end)"#, on: connection)
            let rows = try await connection.query(
                #"""
                SELECT "dealID", "statement", "createdAt" FROM "settlement" WHERE "createdAt" >= \#(start) AND "createdAt" < \#(end)
                ORDER BY "createdAt", "dealID" COLLATE "C" LIMIT \#(limit) OFFSET \#(offset)
                """#, logger: logger)
            var items: [SettlementEntry] = []
            for try await (dealID, json, createdAt) in rows.decode((String, String, Int64).self) {
                let statement = try JSONDecoder().decode(SettlementStatement.self, from: Data(json.utf8))
                items.append(SettlementEntry(dealID: dealID, statement: statement, createdAt: Date(timeIntervalSince1970: TimeInterval(createdAt))))
            }
            return Page(items: items, total: total)
        }
    }

    /// Organisations by id, for naming the parties of a page of records at once.
    package func organisations(ids: Set<String>) async throws(StoreError) -> [String: OrganisationRecord] {
        try await withConnection { connection in
            let found = try await select("organisation", where: #""id" = ANY(\#(Array(ids)))"#, on: connection) { columns throws(StoreError) in
                try columns.organisation()
            }
            return Dictionary(uniqueKeysWithValues: found.map { ($0.id, $0) })
        }
    }

    /// Users by id, for naming the actors of a page of audit entries at once.
    package func users(ids: Set<String>) async throws(StoreError) -> [String: UserRecord] {
        try await withConnection { connection in
            let found = try await select("user", where: #""id" = ANY(\#(Array(ids)))"#, on: connection) { columns throws(StoreError) in
                try columns.user()
            }
            return Dictionary(uniqueKeysWithValues: found.map { ($0.id, $0) })
        }
    }

    /// How many rows of `table` `condition` selects.
    private func count(_ table: String, where condition: PostgresQuery, on connection: PostgresConnection) async throws -> Int {
        try await count(Self.query(#"SELECT count(*) FROM "\#(table)""#, where: condition), on: connection)
    }

    /// The order of invoice lists: by date, then series and number.
    private static let invoiceOrder = #""issueDate", "seriesPrefix" COLLATE "C", "year", "sequence""#

    /// `select` (a statement up to its FROM) restricted by `condition`.
    private static func query(_ select: String, where condition: PostgresQuery) -> PostgresQuery {
        var query = PostgresQuery(unsafeSQL: select + " WHERE " + condition.sql)
        query.binds = condition.binds
        return query
    }

    /// `query` in `order`, the page of `limit` rows after `offset`.
    private static func paged(_ query: PostgresQuery, order: String, limit: Int, offset: Int) -> PostgresQuery {
        var paged = query
        paged.sql += " ORDER BY \(order) LIMIT $\(paged.binds.count + 1) OFFSET $\(paged.binds.count + 2)"
        paged.binds.append(limit)
        paged.binds.append(offset)
        return paged
    }

    /// The WHERE condition of an invoice filter.
    private static func invoiceCondition(_ filter: InvoiceFilter) -> PostgresQuery {
        let kind = filter.kind.map { $0 == .invoice ? "invoice" : "credit-note" }
        return #"""
            "issueDate" BETWEEN \#(filter.from.iso8601) AND \#(filter.to.iso8601)
            AND (\#(filter.sellerID)::text IS NULL OR "sellerID" = \#(filter.sellerID))
            AND (\#(filter.buyerID)::text IS NULL OR "buyerID" = \#(filter.buyerID))
            AND (\#(filter.partyID)::text IS NULL OR \#(filter.partyID) IN ("sellerID", "buyerID"))
            AND (\#(filter.purpose?.rawValue)::text IS NULL OR "purpose" = \#(filter.purpose?.rawValue))
            AND (\#(kind)::text IS NULL OR "kind" = \#(kind))
            """#
    }
}

extension PostgresStore: ConsoleStore {}

extension String {
    /// The string, or nil when it is empty.
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}

extension PostgresStore: RecordStore {}
