package import NIOCore
package import TrocCore

/// Operators' and accountants' calls: suppressions, erasure, notices, audit, sector tables, invoices and the ledger.
extension TrocAPIClient {
    /// `POST /v1/suppressions`.
    package func addSuppressions(_ new: NewSuppressions) async throws(ClientError) -> SuppressionResult {
        try await call(Endpoint(.addSuppressions), new)
    }

    /// `POST /v1/erasure-requests`.
    package func requestErasure(_ request: NewErasureRequest) async throws(ClientError) -> ErasureResult {
        try await call(Endpoint(.requestErasure), request)
    }

    /// `GET /v1/notices`: erasure notices to the caller's firm.
    package func notices() async throws(ClientError) -> [ErasureNotice] { try await call(Endpoint(.notices)) }

    /// `POST /v1/notices/{noticeId}/ack`.
    package func acknowledgeNotice(_ id: String) async throws(ClientError) -> ErasureNotice {
        try await call(Endpoint(.acknowledgeNotice, id), [String: String]())
    }

    /// `GET /v1/audit?limit=&dealId=`.
    package func audit(limit: Int, dealID: String?) async throws(ClientError) -> [AuditEntryView] {
        try await call(Endpoint(.audit, query: ["limit": String(limit), "dealId": dealID]))
    }

    /// `GET /v1/sectors`.
    package func sectors() async throws(ClientError) -> SectorTables { try await call(Endpoint(.sectors)) }

    /// `PUT /v1/sectors/clusters/{cluster}/codes/{code}`.
    package func addClusterCode(cluster: String, code: String, _ change: SectorChange) async throws(ClientError) -> SectorTables {
        try await call(Endpoint(.addClusterCode, cluster, code), change)
    }

    /// `POST /v1/sectors/clusters/{cluster}/codes/{code}/remove`.
    package func removeClusterCode(cluster: String, code: String, _ change: SectorChange) async throws(ClientError) -> SectorTables {
        try await call(Endpoint(.removeClusterCode, cluster, code), change)
    }

    /// `PUT /v1/sectors/confidential/{code}`.
    package func setConfidential(code: String, _ change: SectorChange) async throws(ClientError) -> SectorTables {
        try await call(Endpoint(.setConfidential, code), change)
    }

    /// `POST /v1/sectors/confidential/{code}/remove`.
    package func removeConfidential(code: String, _ change: SectorChange) async throws(ClientError) -> SectorTables {
        try await call(Endpoint(.removeConfidential, code), change)
    }

    /// `GET /v1/sectors/renovation`.
    package func renovation() async throws(ClientError) -> [RenovationListing] { try await call(Endpoint(.renovation)) }

    /// `PUT /v1/sectors/renovation/{code}`.
    package func addRenovation(code: String, _ change: RenovationChange) async throws(ClientError) -> [RenovationListing] {
        try await call(Endpoint(.addRenovation, code), change)
    }

    /// `POST /v1/sectors/renovation/{code}/remove`.
    package func removeRenovation(code: String, _ change: RenovationChange) async throws(ClientError) -> [RenovationListing] {
        try await call(Endpoint(.removeRenovation, code), change)
    }

    /// `GET /v1/invoices?from=&to=`: invoices and credit notes issued in the period (both dates included).
    package func invoices(from: String?, to: String?) async throws(ClientError) -> [InvoiceSummary] {
        try await call(Endpoint(.invoices, query: ["from": from, "to": to]))
    }

    /// `GET /v1/invoices/{number}?format=`: one invoice rendered, with the file name the broker suggests.
    package func invoiceDocument(number: String, format: String) async throws(ClientError) -> (body: ByteBuffer, fileName: String?) {
        try await file(Endpoint(.invoice, number, query: ["format": format]))
    }

    /// `POST /v1/invoices/{number}/credit-notes`.
    package func creditInvoice(number: String, _ note: NewCreditNote) async throws(ClientError) -> InvoiceSummary {
        try await call(Endpoint(.creditInvoice, number), note)
    }

    /// `GET /v1/ledger/fec?year=`: the FEC of the financial year ending in `year`, with its legal file name.
    package func fec(year: Int) async throws(ClientError) -> (body: ByteBuffer, fileName: String?) {
        try await file(Endpoint(.fec, query: ["year": String(year)]))
    }
}
