package import NIOCore
package import TrocCore

/// Stored files and deals: upload, list, decide, download.
extension TrocAPIClient {
    /// `GET /v1/files`.
    package func files() async throws(ClientError) -> [StoredFile] { try await call(Endpoint(.listFiles)) }

    /// `GET /v1/files/{fileId}`.
    package func file(_ id: String) async throws(ClientError) -> StoredFile { try await call(Endpoint(.file, id)) }

    /// `DELETE /v1/files/{fileId}`.
    package func deleteFile(_ id: String) async throws(ClientError) { try await callExpectingNoContent(Endpoint(.deleteFile, id)) }

    /// `POST /v1/files?name=`: streams an envelope the broker stores under `name`.
    package func uploadFile<Bytes: AsyncSequence & Sendable>(name: String, body: Bytes, length: Int64?) async throws(ClientError) -> StoredFile
    where Bytes.Element == ByteBuffer {
        try await upload(Endpoint(.uploadFile, query: ["name": name]), body: body, length: length)
    }

    /// `GET /v1/deals?limit=&after=`: one page of deals.
    package func deals(limit: Int, after: String?) async throws(ClientError) -> [Deal] {
        try await call(Endpoint(.listDeals, query: ["limit": String(limit), "after": after]))
    }

    /// `POST /v1/deals`.
    package func proposeDeal(_ new: NewDeal) async throws(ClientError) -> Deal { try await call(Endpoint(.proposeDeal), new) }

    /// `GET /v1/deals/{dealId}`.
    package func deal(_ id: String) async throws(ClientError) -> Deal { try await call(Endpoint(.deal, id)) }

    /// `POST /v1/deals/{dealId}/files?name=`: streams the caller's envelope into the deal.
    package func uploadDealFile<Bytes: AsyncSequence & Sendable>(dealID: String, name: String, body: Bytes, length: Int64?) async throws(ClientError)
        -> Deal where Bytes.Element == ByteBuffer
    {
        try await upload(Endpoint(.addDealFile, dealID, query: ["name": name]), body: body, length: length)
    }

    /// `POST /v1/deals/{dealId}/files` with a JSON body: attaches a file already stored.
    package func attachFile(dealID: String, fileID: String) async throws(ClientError) -> Deal {
        try await call(Endpoint(.addDealFile, dealID), AttachFile(fileId: fileID))
    }

    /// `GET /v1/deals/{dealId}/report`.
    package func dealReport(_ id: String) async throws(ClientError) -> DealReportView { try await call(Endpoint(.dealReport, id)) }

    /// `GET /v1/deals/{dealId}/terms`.
    package func dealTerms(_ id: String) async throws(ClientError) -> DealTerms { try await call(Endpoint(.dealTerms, id)) }

    /// `POST /v1/deals/{dealId}/{accept|decline|override|approve|reject|release|cancel}`.
    package func decide(_ decision: DealAction, dealID: String, reason: String?) async throws(ClientError) -> Deal {
        try await call(Endpoint(decision.operation, dealID), DealDecision(reason: reason))
    }

    /// `GET /v1/deals/{dealId}/settlement`.
    package func settlement(dealID: String) async throws(ClientError) -> SettlementStatement { try await call(Endpoint(.settlement, dealID)) }

    /// `POST /v1/deals/{dealId}/settlement/payments`: the deal's payments so far.
    package func recordSettlementPayment(dealID: String, _ payment: NewSettlementPayment) async throws(ClientError) -> [SettlementPayment] {
        try await call(Endpoint(.recordSettlementPayment, dealID), payment)
    }
}

/// The decisions posted to a deal, each its own operation.
package enum DealAction: String, CaseIterable, Sendable {
    case accept, decline, override, approve, reject, release, cancel

    /// The operation that posts it.
    package var operation: APIOperation {
        switch self {
        case .accept: .acceptDeal
        case .decline: .declineDeal
        case .override: .overrideDeal
        case .approve: .approveDeal
        case .reject: .rejectDeal
        case .release: .releaseDeal
        case .cancel: .cancelDeal
        }
    }
}
