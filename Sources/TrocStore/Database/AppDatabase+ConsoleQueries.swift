package import Foundation
import GRDB
package import TrocCore

/// Which deals a list shows.
package struct DealFilter: Sendable, Equatable {
    /// Only the deals of this organisation (a partner's view); nil for all (operators).
    package var organisationID: String?
    /// Only deals in this state.
    package var state: DealState?
    /// Text found in the deal id or in either party's name.
    package var text: String?

    /// A filter from its parts.
    package init(organisationID: String? = nil, state: DealState? = nil, text: String? = nil) {
        self.organisationID = organisationID
        self.state = state
        self.text = text
    }
}

/// Which invoices and credit notes a list, its totals and an export take.
package struct InvoiceFilter: Sendable, Equatable {
    /// First issue date, inclusive.
    package var from: CivilDate
    /// Last issue date, inclusive.
    package var to: CivilDate
    /// Only those this organisation sells.
    package var sellerID: String?
    /// Only those this organisation buys.
    package var buyerID: String?
    /// Only exchange or commission ones.
    package var purpose: InvoicePurpose?
    /// Only invoices, or only credit notes.
    package var kind: InvoiceKind?
    /// Only those this organisation is a party to (a partner's view).
    package var partyID: String?

    /// A filter from its parts.
    package init(
        from: CivilDate, to: CivilDate, sellerID: String? = nil, buyerID: String? = nil, purpose: InvoicePurpose? = nil, kind: InvoiceKind? = nil,
        partyID: String? = nil
    ) {
        self.from = from
        self.to = to
        self.sellerID = sellerID
        self.buyerID = buyerID
        self.purpose = purpose
        self.kind = kind
        self.partyID = partyID
    }
}

/// Net, VAT and gross summed over a set of invoices, credit notes counted negative.
package struct InvoiceTotals: Sendable, Equatable {
    /// How many documents.
    package var count: Int
    /// Net amount, in cents.
    package var netCents: Int64
    /// VAT, in cents.
    package var vatCents: Int64
    /// Gross amount, in cents.
    package var grossCents: Int64

    /// Every field given.
    package init(count: Int, netCents: Int64, vatCents: Int64, grossCents: Int64) {
        self.count = count
        self.netCents = netCents
        self.vatCents = vatCents
        self.grossCents = grossCents
    }
}

/// Which audit entries a list shows.
package struct AuditFilter: Sendable, Equatable {
    /// Actions starting with this code (`deal.`, `console.sign-in`).
    package var actionPrefix: String?
    /// Actions of this user.
    package var actorUserID: String?
    /// Actions concerning this organisation.
    package var organisationID: String?
    /// Actions concerning this deal.
    package var dealID: String?
    /// From this instant.
    package var since: Date?
    /// Before this instant.
    package var until: Date?

    /// A filter from its parts.
    package init(
        actionPrefix: String? = nil, actorUserID: String? = nil, organisationID: String? = nil, dealID: String? = nil, since: Date? = nil,
        until: Date? = nil
    ) {
        self.actionPrefix = actionPrefix
        self.actorUserID = actorUserID
        self.organisationID = organisationID
        self.dealID = dealID
        self.since = since
        self.until = until
    }
}

/// One page of a list and the size of the whole list.
package struct Page<Item: Sendable>: Sendable {
    /// The items of the page.
    package var items: [Item]
    /// Items in the whole list.
    package var total: Int

    /// Every field given.
    package init(items: [Item], total: Int) {
        self.items = items
        self.total = total
    }
}

/// An invoice or credit note as a list shows it, read without decoding its whole document.
package struct InvoiceListRow: Sendable, Equatable {
    /// Its number.
    package var number: String
    /// Invoice or credit note.
    package var kind: InvoiceKind
    /// Exchange or commission.
    package var purpose: InvoicePurpose
    /// The deal it bills, if any.
    package var dealID: String?
    /// Its issue date.
    package var issueDate: CivilDate
    /// The seller's name as printed.
    package var seller: String
    /// The buyer's name as printed.
    package var buyer: String
    /// Net amount, in cents.
    package var netCents: Int64
    /// VAT, in cents.
    package var vatCents: Int64
    /// Gross amount, in cents.
    package var grossCents: Int64
    /// The invoice a credit note credits.
    package var creditsNumber: String?

    /// Every field given.
    package init(
        number: String, kind: InvoiceKind, purpose: InvoicePurpose, dealID: String?, issueDate: CivilDate, seller: String, buyer: String,
        netCents: Int64, vatCents: Int64, grossCents: Int64, creditsNumber: String?
    ) {
        self.number = number
        self.kind = kind
        self.purpose = purpose
        self.dealID = dealID
        self.issueDate = issueDate
        self.seller = seller
        self.buyer = buyer
        self.netCents = netCents
        self.vatCents = vatCents
        self.grossCents = grossCents
        self.creditsNumber = creditsNumber
    }
}

/// A settlement statement with the deal it settles.
package struct SettlementEntry: Sendable {
    /// The deal.
    package var dealID: String
    /// The statement.
    package var statement: SettlementStatement
    /// When it was issued.
    package var createdAt: Date

    /// Every field given.
    package init(dealID: String, statement: SettlementStatement, createdAt: Date) {
        self.dealID = dealID
        self.statement = statement
        self.createdAt = createdAt
    }
}

extension AppDatabase {
    /// Deals by state, all of them or one organisation's.
    package func dealCounts(organisationID: String? = nil) throws(StoreError) -> [DealState: Int] {
        try read { db in
            var sql = "SELECT state, COUNT(*) FROM deal"
            var arguments: StatementArguments = []
            if let organisationID {
                sql += " WHERE proposerID = ? OR partnerID = ?"
                arguments = [organisationID, organisationID]
            }
            var counts: [DealState: Int] = [:]
            for row in try Row.fetchAll(db, sql: sql + " GROUP BY state", arguments: arguments) {
                if let state = DealState(rawValue: row[0]) { counts[state] = row[1] }
            }
            return counts
        }
    }

    /// One page of deals, most recently changed first.
    package func dealPage(_ filter: DealFilter, limit: Int, offset: Int) throws(StoreError) -> Page<DealRecord> {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let organisationID = filter.organisationID {
                conditions.append("(deal.proposerID = ? OR deal.partnerID = ?)")
                _ = arguments.append(contentsOf: [organisationID, organisationID])
            }
            if let state = filter.state {
                conditions.append("deal.state = ?")
                _ = arguments.append(contentsOf: [state.rawValue])
            }
            if let text = filter.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                let pattern = "%" + StoreRules.escapedLike(text) + "%"
                conditions.append(
                    """
                    (deal.id LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM organisation WHERE organisation.id IN (deal.proposerID, deal.partnerID)
                    AND organisation.name LIKE ? ESCAPE '\\'))
                    """)
                _ = arguments.append(contentsOf: [pattern, pattern])
            }
            let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deal" + whereClause, arguments: arguments) ?? 0
            var pageArguments = arguments
            _ = pageArguments.append(contentsOf: [limit, offset])
            let deals = try DealRecord.fetchAll(
                db, sql: "SELECT deal.* FROM deal" + whereClause + " ORDER BY deal.updatedAt DESC, deal.id LIMIT ? OFFSET ?",
                arguments: pageArguments)
            return Page(items: deals, total: total)
        }
    }

    /// One page of invoices and credit notes, by date then number, with the totals of the whole filtered set.
    package func invoicePage(_ filter: InvoiceFilter, limit: Int, offset: Int) throws(StoreError) -> (
        page: Page<InvoiceListRow>, totals: InvoiceTotals
    ) {
        try read { db in
            let (whereClause, arguments) = Self.invoiceConditions(filter)
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*),
                        COALESCE(SUM(CASE kind WHEN 'credit-note' THEN -netCents ELSE netCents END), 0),
                        COALESCE(SUM(CASE kind WHEN 'credit-note' THEN -vatCents ELSE vatCents END), 0),
                        COALESCE(SUM(CASE kind WHEN 'credit-note' THEN -grossCents ELSE grossCents END), 0)
                    FROM invoice
                    """ + whereClause, arguments: arguments)
            let totals = InvoiceTotals(
                count: row?[0] ?? 0, netCents: row?[1] ?? 0, vatCents: row?[2] ?? 0, grossCents: row?[3] ?? 0)
            var pageArguments = arguments
            _ = pageArguments.append(contentsOf: [limit, offset])
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT number, kind, purpose, dealID, issueDate, json_extract(document, '$.content.seller.name'),
                        json_extract(document, '$.content.buyer.name'),
                        netCents, vatCents, grossCents, creditsNumber
                    FROM invoice
                    """ + whereClause + " ORDER BY issueDate, seriesPrefix, year, sequence LIMIT ? OFFSET ?", arguments: pageArguments)
            let items = rows.compactMap { row -> InvoiceListRow? in
                guard let kind = InvoiceKind.fromDatabaseValue(row[1]), let purpose = InvoicePurpose.fromDatabaseValue(row[2]),
                    let issueDate = CivilDate.fromDatabaseValue(row[4])
                else { return nil }
                return InvoiceListRow(
                    number: row[0], kind: kind, purpose: purpose, dealID: row[3], issueDate: issueDate, seller: row[5] ?? "", buyer: row[6] ?? "",
                    netCents: row[7], vatCents: row[8], grossCents: row[9], creditsNumber: row[10])
            }
            return (Page(items: items, total: totals.count), totals)
        }
    }

    /// Every invoice and credit note of a filter, by date then number (for an export).
    package func invoices(_ filter: InvoiceFilter) throws(StoreError) -> [InvoiceRecord] {
        try read { db in
            let (whereClause, arguments) = Self.invoiceConditions(filter)
            return try InvoiceRecord.fetchAll(
                db, sql: "SELECT * FROM invoice" + whereClause + " ORDER BY issueDate, seriesPrefix, year, sequence", arguments: arguments)
        }
    }

    /// One page of the audit trail, newest first.
    package func auditPage(_ filter: AuditFilter, limit: Int, offset: Int) throws(StoreError) -> Page<AuditRecord> {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let prefix = filter.actionPrefix?.trimmingCharacters(in: .whitespaces), !prefix.isEmpty {
                // A range on the indexed column rather than LIKE, which SQLite would not run on the index.
                conditions.append("action >= ? AND action < ?")
                _ = arguments.append(contentsOf: [prefix, prefix + "\u{10FFFF}"])
            }
            for (column, value) in [("actorUserID", filter.actorUserID), ("organisationID", filter.organisationID), ("dealID", filter.dealID)] {
                guard let value, !value.isEmpty else { continue }
                conditions.append("\(column) = ?")
                _ = arguments.append(contentsOf: [value])
            }
            if let since = filter.since {
                conditions.append("at >= ?")
                _ = arguments.append(contentsOf: [Timestamp.seconds(since)])
            }
            if let until = filter.until {
                conditions.append("at < ?")
                _ = arguments.append(contentsOf: [Timestamp.seconds(until)])
            }
            let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit" + whereClause, arguments: arguments) ?? 0
            var pageArguments = arguments
            _ = pageArguments.append(contentsOf: [limit, offset])
            let entries = try AuditRecord.fetchAll(
                db, sql: "SELECT * FROM audit" + whereClause + " ORDER BY seq DESC LIMIT ? OFFSET ?", arguments: pageArguments)
            return Page(items: entries, total: total)
        }
    }

    /// One page of the settlement statements issued from `from` to `to` inclusive (UTC days), oldest first.
    package func settlementPage(from: CivilDate, to: CivilDate, limit: Int, offset: Int) throws(StoreError) -> Page<SettlementEntry> {
        let start = Int64(from.daysSinceEpoch) * 86_400
        let end = (Int64(to.daysSinceEpoch) + 1) * 86_400
        return try read { db in
            let condition = " WHERE createdAt >= ? AND createdAt < ?"
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM settlement" + condition, arguments: [start, end]) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT dealID, statement, createdAt FROM settlement" + condition + " ORDER BY createdAt, dealID LIMIT ? OFFSET ?",
                arguments: [start, end, limit, offset])
            let items = try rows.map { row in
                let json: String = row[1]
                let statement = try JSONDecoder().decode(SettlementStatement.self, from: Data(json.utf8))
                return SettlementEntry(dealID: row[0], statement: statement, createdAt: Date(timeIntervalSince1970: TimeInterval(row[2] as Int64)))
            }
            return Page(items: items, total: total)
        }
    }

    /// Organisations by id, for naming the parties of a page of records at once.
    package func organisations(ids: Set<String>) throws(StoreError) -> [String: OrganisationRecord] {
        try read { db in
            Dictionary(uniqueKeysWithValues: try OrganisationRecord.filter(keys: Array(ids)).fetchAll(db).map { ($0.id, $0) })
        }
    }

    /// Users by id, for naming the actors of a page of audit entries at once.
    package func users(ids: Set<String>) throws(StoreError) -> [String: UserRecord] {
        try read { db in
            Dictionary(uniqueKeysWithValues: try UserRecord.filter(keys: Array(ids)).fetchAll(db).map { ($0.id, $0) })
        }
    }

    /// The WHERE clause and arguments of an invoice filter.
    private static func invoiceConditions(_ filter: InvoiceFilter) -> (String, StatementArguments) {
        var conditions = ["issueDate >= ?", "issueDate <= ?"]
        var arguments: StatementArguments = [filter.from.iso8601, filter.to.iso8601]
        for (column, value) in [("sellerID", filter.sellerID), ("buyerID", filter.buyerID)] {
            guard let value else { continue }
            conditions.append("\(column) = ?")
            _ = arguments.append(contentsOf: [value])
        }
        if let partyID = filter.partyID {
            conditions.append("(sellerID = ? OR buyerID = ?)")
            _ = arguments.append(contentsOf: [partyID, partyID])
        }
        if let purpose = filter.purpose {
            conditions.append("purpose = ?")
            _ = arguments.append(contentsOf: [purpose.rawValue])
        }
        if let kind = filter.kind {
            conditions.append("kind = ?")
            _ = arguments.append(contentsOf: [kind == .invoice ? "invoice" : "credit-note"])
        }
        return (" WHERE " + conditions.joined(separator: " AND "), arguments)
    }
}
