import Foundation
package import Hummingbird
import Logging
import NIOFoundationEssentialsCompat
package import TrocCore
import TrocCrypto
import TrocObjectStore
import TrocStore

/// The one place where domain errors meet HTTP: each becomes a status and an RFC 9457
/// `application/problem+json` document with a stable `code` and a sentence saying what to do.
package struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = ProblemMapping.problem(for: error)
            if problem.status >= 500 {
                // The type only: error descriptions may quote request content.
                context.logger.error("request failed", metadata: ["error.type": "\(type(of: error))"])
            }
            var response = ProblemMapping.response(problem)
            let retryAfter = (error as? UploadLimitReached)?.retryAfterSeconds ?? ProblemMapping.retryAfterSeconds[problem.code]
            if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
            return response
        }
    }
}

/// Maps errors to problems.
package enum ProblemMapping {
    /// The problem document for an error: every case of every domain error has its status and stable code, here or in
    /// the function for its type, each switch exhaustive so that a new case cannot compile until it is mapped.
    package static func problem(for error: any Error) -> Problem {
        if let problem = error as? Problem { return problem }
        if let error = error as? AccessError { return access(error) }
        if let error = error as? RequestError { return request(error) }
        if let error = error as? ValidationFailure {
            return Problem(
                type: typeURI(error.code), title: "Invalid \(error.subject)", status: 422, detail: error.detail, code: error.code,
                errors: error.fields)
        }
        if let error = error as? SectorRefusal { return make(422, error.code, "Sector refused", error.description) }
        if let error = error as? InvoicingError { return make(422, "invoice.refused", "Cannot invoice", error.description) }
        if let error = error as? EInvoiceError {
            // The invoice exists; only this format cannot carry it (a seller outside French e-invoicing).
            return make(422, "invoice.format-unavailable", "Not available as an e-invoice", error.description)
        }
        if let error = error as? ContactFileError { return make(422, error.code, "Unreadable contact file", error.description) }
        if let error = error as? ContactFileFailure {
            if let fileError = error.error { return make(422, fileError.code, "Unreadable contact file", fileError.description) }
            return make(500, "internal", "Internal error", "the file could not be read back; try again or contact the broker")
        }
        if let error = error as? EnvelopeError { return envelope(error) }
        if let error = error as? StoreError { return store(error) }
        if let error = error as? UploadLimitReached {
            let which = error.scope == .firm ? "your firm's uploads" : "uploads from all firms"
            return make(
                429, "upload.too-many", "Too many uploads at once",
                "\(which) already stream at the limit of \(error.limit) at a time; nothing was read or stored: "
                    + "retry after \(error.retryAfterSeconds) seconds, or once an upload in progress ends")
        }
        if let error = error as? BlobStoreError, case .io(_, _, let code) = error, code == ENOSPC || code == EDQUOT {
            // The broker's disk, not the firm's quota: what was written of the upload is removed with its writer.
            return storageFull
        }
        if let error = error as? BlobStoreError, case .io(_, _, let code) = error, code == EROFS { return storageReadOnly }
        if let error = error as? BlobStoreError, case .objectStore(let failure) = error { return objectStore(failure) }
        if let error = error as? any HTTPResponseError {
            let status = Int(error.status.code)
            let code = status == 404 ? "route.not-found" : status == 405 ? "route.method-not-allowed" : "http.\(status)"
            return make(status, code, error.status.reasonPhrase, status == 404 ? "no such endpoint; see /v1/openapi.yaml" : error.status.reasonPhrase)
        }
        // No domain error, but I/O or a library failing: nothing the client can act on, and its description may quote
        // request content, so it is logged by type and answered with a generic 500.
        return internalError
    }

    /// Seconds a client waits before retrying, by problem code, for the refusals that pass once the broker recovers; the
    /// answer carries it as `Retry-After`.
    static let retryAfterSeconds = [blobsUnavailableCode: blobsUnavailableRetrySeconds, storageReadOnly.code: storageReadOnlyRetrySeconds]

    /// The code of an object store that cannot be reached or is failing.
    static let blobsUnavailableCode = "blobs.unavailable"
    /// Seconds a client waits before retrying when the object store is unavailable.
    static let blobsUnavailableRetrySeconds = 30

    /// The object store holding the blobs failed: unavailable (retry later) or refusing the broker (its operator must act).
    private static func objectStore(_ error: ObjectStoreError) -> Problem {
        func unavailable(_ bucket: String, _ what: String) -> Problem {
            make(
                503, blobsUnavailableCode, "Blob store unavailable",
                "the broker's object store s3://\(bucket) \(what); nothing was changed: retry in \(blobsUnavailableRetrySeconds) seconds")
        }
        switch error {
        case .unreachable(let operation, let bucket, _, _, _):
            return unavailable(bucket, "could not be reached (\(operation))")
        case .service(let status, let code, _, let operation, let bucket, _, _) where status >= 500 || code == "SlowDown":
            return unavailable(bucket, "is failing (\(operation): \(code))")
        case .service(_, let code, _, let operation, let bucket, _, _):
            return make(
                500, "blobs.refused", "Blob store refused the broker",
                "the broker's object store s3://\(bucket) refused \(operation) (\(code)); the broker's operator must check its "
                    + "bucket and credentials")
        case .malformedResponse(let operation, let bucket, _, _):
            return make(
                502, "blobs.bad-answer", "Blob store answered wrongly",
                "the broker's object store s3://\(bucket) answered \(operation) with something that is not S3; the broker's operator "
                    + "must check its endpoint")
        case .configuration:
            return make(
                500, "blobs.misconfigured", "Blob store misconfigured", "the broker's object store is misconfigured; its operator must check --blobs")
        }
    }

    /// The answer to a failure of the broker itself: logged, not described.
    static let internalError = make(500, "internal", "Internal error", "the broker could not complete the request; it has been logged")

    /// A response carrying the problem document.
    package static func response(_ problem: Problem) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        let body = (try? StrictJSON.encoder.encode(problem)) ?? Data()
        return Response(status: .init(code: problem.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(data: body)))
    }

    private static func access(_ error: AccessError) -> Problem {
        switch error {
        case .missingToken:
            return make(
                401, "auth.missing-token", "Authentication required", "send the API token as `Authorization: Bearer troc_…` (see `troc login`)")
        case .invalidToken:
            return make(401, "auth.invalid-token", "Invalid token", "the token is not valid; ask an operator for a new one")
        case .expiredToken:
            return make(
                401, "auth.expired-token", "Expired token", "the token has expired; create a new one with `troc tokens create` or ask an operator")
        case .revokedToken:
            return make(401, "auth.revoked-token", "Revoked token", "the token was revoked; use another token")
        case .disabledUser:
            return make(401, "auth.disabled-user", "Disabled user", "this user is disabled; contact the broker")
        case .forbiddenRole(let role, let allowed):
            let roles = allowed.map(\.rawValue).joined(separator: " or ")
            return make(403, "auth.forbidden-role", "Not allowed for this role", "a \(role.rawValue) cannot do this; it needs the \(roles) role")
        case .notFound(let what):
            return make(404, "not-found", "Not found", "no \(what) with that id is visible to you")
        }
    }

    private static func request(_ error: RequestError) -> Problem {
        switch error {
        case .malformedJSON(let detail):
            return make(400, "request.malformed-json", "Malformed JSON", "the body is not valid JSON (\(detail.prefix(200)))")
        case .missingField(let field):
            return Problem(
                type: typeURI("request.missing-field"), title: "Missing field", status: 400, detail: "the field \(field) is required",
                code: "request.missing-field", errors: [FieldProblem(field: field, code: "missing", detail: "required")])
        case .invalidField(let field, let detail):
            return Problem(
                type: typeURI("request.invalid-field"), title: "Invalid field", status: 400, detail: "the field \(field) is invalid: \(detail)",
                code: "request.invalid-field", errors: [FieldProblem(field: field, code: "invalid", detail: detail)])
        case .unknownField(let field):
            return Problem(
                type: typeURI("request.unknown-field"), title: "Unknown field", status: 400,
                detail: "the field \(field) is not part of this request; check its spelling against /v1/openapi.yaml", code: "request.unknown-field",
                errors: [FieldProblem(field: field, code: "unknown", detail: "not a field of this request")])
        case .missingParameter(let name):
            return make(400, "request.missing-parameter", "Missing parameter", "the query parameter \(name) is required")
        case .invalidParameter(let name, let detail):
            return make(400, "request.invalid-parameter", "Invalid parameter", "the parameter \(name) is invalid: \(detail)")
        case .bodyTooLarge(let limit):
            return make(413, "upload.too-large", "Upload too large", "the body is larger than the broker's limit of \(limit) bytes")
        case .unsupportedMediaType(let expected):
            return make(415, "request.unsupported-media-type", "Unsupported media type", "send the body as \(expected)")
        }
    }

    private static func store(_ error: StoreError) -> Problem {
        switch error {
        case .duplicateSIREN(let siren, _):
            return make(409, "organisation.duplicate-siren", "Already registered", "an organisation with SIREN \(siren) is already registered")
        case .brokerAlreadyExists:
            return make(409, "broker.exists", "Broker exists", "the broker organisation already exists")
        case .organisationNotFound, .userNotFound, .fileNotFound, .tokenNotFound:
            return make(404, "not-found", "Not found", "no such resource is visible to you")
        case .roleNotAllowed(let role, _, let kind):
            return make(422, "user.role-not-allowed", "Role not allowed", "a \(role.rawValue) cannot belong to a \(kind.rawValue) organisation")
        case .invalidField(let field, _, let reason):
            return Problem(
                type: typeURI("request.invalid-field"), title: "Invalid field", status: 422, detail: "\(field): \(reason)",
                code: "request.invalid-field",
                errors: [FieldProblem(field: field, code: "invalid", detail: reason)])
        case .expiryNotInFuture:
            return make(422, "token.expiry-in-past", "Expiry in the past", "a token must expire in the future")
        case .dealNotFound, .deliveryNotFound, .invoiceNotFound, .noticeNotFound:
            return make(404, "not-found", "Not found", "no such resource is visible to you")
        case .dealTransitionRefused(let refusal):
            return make(409, "deal.state", "Not in this state", refusal.description)
        case .transitionNotAllowed(let transition, let role):
            return make(403, "auth.forbidden-role", "Not allowed for this role", "a \(role.rawValue) cannot \(transition.rawValue) a deal")
        case .dealRefusedBySector(let kind, let reason):
            return make(422, "sector.\(kind.rawValue)", "Sector refused", reason)
        case .priceOutOfBounds(let price, let minimum, let maximum):
            return make(
                422, "deal.price-out-of-bounds", "Price out of bounds",
                "\(price.frenchString) per 1,000 addresses is outside the broker's bounds \(minimum.frenchString)–\(maximum.frenchString)")
        case .organisationNotPartner:
            return make(422, "deal.not-a-partner", "Not a partner firm", "a deal is between two partner firms")
        case .dealNotAwaitingFiles(_, let current):
            return make(409, "deal.files-closed", "Files closed", "files are taken only while the deal awaits them; it is \(current.rawValue)")
        case .dealFilesMissing:
            return make(409, "deal.files-missing", "Files missing", "both firms' files must be in first")
        case .dealFilesChanged:
            return make(409, "deal.files-changed", "Files changed", "a file changed while the match ran; try again")
        case .privacyBudgetSpent(_, _, let availableFrom):
            return make(
                409, "deal.privacy-budget-spent", "Privacy budget spent",
                "the match reports between these two firms within the retention window have spent the privacy budget that keeps each "
                    + "firm's contacts from being singled out; propose again from \(availableFrom.formatted(.iso8601))")
        case .deliveryExpired(_, let expiredAt):
            return make(410, "delivery.expired", "Delivery expired", "the delivery expired on \(expiredAt.formatted(.iso8601)); ask the broker")
        case .deliveryExhausted:
            return make(410, "delivery.exhausted", "No downloads left", "the delivery has been downloaded as many times as allowed; ask the broker")
        case .deliveryPurged:
            return make(410, "delivery.purged", "Delivery purged", "the delivery is past its retention and was deleted")
        case .fileInUse(_, let dealID, let state):
            return make(409, "file.in-use", "File in use", "deal \(dealID) (\(state.rawValue)) still uses this file")
        case .invoicingNotConfigured(let missing):
            return make(
                409, "settings.incomplete", "Invoicing not configured",
                "set the broker's \(missing.joined(separator: ", ")) first (trocd admin settings set …): release issues the invoices")
        case .invalidSettings(let error):
            return make(422, "settings.invalid", "Invalid settings", error.description)
        case .creditNoteRefused(let refusal):
            return make(409, "invoice.credit-refused", "Credit note refused", refusal.description)
        case .invoiceNumbering(let error):
            return make(500, "invoice.numbering", "Numbering failed", error.description)
        case .account(let refusal):
            return account(refusal)
        case .console(let refusal):
            return console(refusal)
        case .quotaExceeded(let excess):
            // 413, not 507: the broker is not short of space, the request is larger than what it accepts from this firm.
            return Problem(
                type: typeURI("quota.\(excess.kind.rawValue)"), title: excess.kind == .storage ? "Storage quota reached" : "File quota reached",
                status: 413, detail: error.description + "; nothing was stored", code: "quota.\(excess.kind.rawValue)", quota: excess)
        case .fileAttachedToDeal:
            return make(409, "file.in-deal", "File in a deal", error.description)
        case .vatStatusInvalid(let error):
            return Problem(
                type: typeURI("organisation.vat-status-invalid"), title: "Invalid VAT status", status: 422, detail: error.description,
                code: "organisation.vat-status-invalid",
                errors: error.problems.map { FieldProblem(field: $0.field, code: $0.code, detail: $0.detail) })
        case .partyNotReady:
            return make(409, "deal.party-not-ready", "Firm not ready to agree", error.description)
        case .dealTermsRefused(let refusal):
            return make(422, "deal.terms-refused", "Terms cannot be invoiced", refusal.description)
        case .billingMandateWordingOutdated:
            return make(409, "billing-mandate.wording-outdated", "Outdated mandate wording", error.description)
        case .billingMandateInForce:
            return make(409, "billing-mandate.in-force", "Mandate already in force", error.description)
        case .billingMandateNotInForce:
            return make(409, "billing-mandate.not-in-force", "No mandate in force", error.description)
        case .billingMandateInUse:
            return make(409, "billing-mandate.in-use", "Mandate in use", error.description)
        case .billingMandateMissing:
            return make(409, "billing-mandate.missing", "Billing mandate missing", error.description)
        case .financialYearLocked:
            return make(409, "settings.financial-year-locked", "Financial year locked", error.description)
        case .settlementNotFound:
            return make(404, "not-found", "Not found", "no such resource is visible to you")
        case .settlementPaymentRefused(let refusal):
            return make(422, "settlement.payment-refused", "Payment refused", refusal.description)
        case .storageFull:
            return storageFull
        case .storageReadOnly:
            return storageReadOnly
        case .tokenMalformed, .tokenUnknown:
            return access(.invalidToken)
        case .tokenExpired:
            return access(.expiredToken)
        case .tokenRevoked:
            return access(.revokedToken)
        case .tokenUserDisabled, .userDisabled:
            // Tokens are issued to the caller's own user (or a new one), so a disabled user here is the caller, disabled
            // since the request was authenticated: as AuthenticationMiddleware answers it.
            return access(.disabledUser)
        case .wrongMasterKey, .unknownMasterKey, .rotationToSameKey, .damagedWrappedKey, .damagedBrokerKey, .auditKeyMissing,
            .auditTrailDamaged, .invalidInvoiceDraft, .database:
            // The broker's own keys, audit trail, invoicing or storage failed: nothing a client can fix, and the
            // description names keys and rows, so it is logged, not sent.
            return storageFailure
        }
    }

    /// The answer to a write that found the broker's disk full: nothing of it was kept.
    static let storageFull = make(
        507, "storage.full", "Broker storage full",
        "the broker's storage is full, so nothing of this request was kept and what is stored is unharmed: "
            + "retry later; the broker logged it for its operator")

    /// The answer to a write that found the broker's data directory read-only; reads go on, and writes once it is writable.
    static let storageReadOnly = make(
        503, "storage.read-only", "Broker storage read-only",
        "the broker's storage is read-only for now, so nothing of this request was kept and what is stored is unharmed; "
            + "reading works: retry the change later; the broker logged it for its operator")

    /// Seconds a client waits before retrying a write refused as `storage.read-only` (an operator must act first).
    static let storageReadOnlyRetrySeconds = 60

    /// The answer to a failure of the broker's storage: logged, not described.
    static let storageFailure = make(500, "internal", "Internal error", "the broker's storage failed; it has been logged")

    private static func envelope(_ error: EnvelopeError) -> Problem {
        let code: String
        switch error {
        case .notAnEnvelope: code = "envelope.not-an-envelope"
        case .unsupportedVersion, .unsupportedSuite: code = "envelope.unsupported"
        case .wrongKeyOrPurpose: code = "envelope.wrong-key"
        case .framing(.chunkAuthenticationFailed): code = "envelope.tampered"
        case .framing(.truncated): code = "envelope.truncated"
        case .framing(.trailingData): code = "envelope.trailing-data"
        case .framing(.chunkSizeOutOfBounds), .framing(.malformedRecord), .framing(.chunkLengthMismatch), .framing(.lastChunkTooLong),
            .invalidPurpose, .invalidKey, .sealingFailed:
            code = "envelope.malformed"
        }
        return make(400, code, "Rejected encrypted upload", "\(error); nothing was stored")
    }

    static func make(_ status: Int, _ code: String, _ title: String, _ detail: String) -> Problem {
        Problem(type: typeURI(code), title: title, status: status, detail: detail, code: code)
    }

    static func typeURI(_ code: String) -> String { "https://troc.example/problems/\(code)" }
}

/// A request body that breaks business rules, field by field.
package struct ValidationFailure: Error {
    /// What was being validated: "organisation", "user".
    package var subject: String
    package var code: String
    package var detail: String
    package var fields: [FieldProblem]

    package init(subject: String, code: String, fields: [FieldProblem]) {
        self.subject = subject
        self.code = code
        self.fields = fields
        detail = fields.map { "\($0.field): \($0.detail)" }.joined(separator: "; ")
    }
}
