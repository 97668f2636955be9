import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TrocCore
import TrocCrypto
import TrocObjectStore
import TrocServer
import TrocStore

/// The errors that used to fall through `ProblemMapping`'s `default:` each have their status and stable code, and a
/// description that may name keys, rows or request content is never sent.
@Suite struct ProblemMappingTests {
    /// The store errors a client can meet only through a race or a broker failure.
    static let storeErrors: [(StoreError, Int, String)] = [
        (.userDisabled(id: "usr_1", disabledAt: Date(timeIntervalSince1970: 0)), 401, "auth.disabled-user"),
        (.tokenMalformed, 401, "auth.invalid-token"),
        (.tokenUnknown, 401, "auth.invalid-token"),
        (.tokenExpired(id: "tok_1", expiredAt: Date(timeIntervalSince1970: 0)), 401, "auth.expired-token"),
        (.tokenRevoked(id: "tok_1", revokedAt: Date(timeIntervalSince1970: 0)), 401, "auth.revoked-token"),
        (.tokenUserDisabled(tokenID: "tok_1", userID: "usr_1", disabledAt: Date(timeIntervalSince1970: 0)), 401, "auth.disabled-user"),
        (.wrongMasterKey(expected: "mk_secret-a", loaded: "mk_secret-b"), 500, "internal"),
        (.unknownMasterKey(table: "blob", rowID: "row_secret", masterKeyID: "mk_c", old: "mk_a", new: "mk_b"), 500, "internal"),
        (.rotationToSameKey(masterKeyID: "mk_secret"), 500, "internal"),
        (.damagedWrappedKey(what: "blob row_secret", .emptyBlobID), 500, "internal"),
        (.damagedBrokerKey(id: "bk_secret", reason: "bad"), 500, "internal"),
        (.auditKeyMissing, 500, "internal"),
        (.auditTrailDamaged(AuditDamage(seq: 7, kind: .edited)), 500, "internal"),
        (.invalidInvoiceDraft(index: 0, reason: "row_secret"), 500, "internal"),
        (.database("SQLite error 19: row_secret"), 500, "internal"),
    ]

    @Test func everyStoreErrorHasItsStatusAndCode() {
        for (error, status, code) in Self.storeErrors {
            let problem = ProblemMapping.problem(for: error)
            #expect(problem.status == status && problem.code == code, "\(error) → \(problem.status) \(problem.code)")
            #expect(!problem.detail.contains("secret"), "\(error) leaks its description: \(problem.detail)")
        }
    }

    /// A disk that fills under an upload is the broker's problem, said as such (507), not a bare 500; other I/O stays 500.
    @Test func aFullDiskIsInsufficientStorage() {
        for code in [ENOSPC, EDQUOT] {
            let problem = ProblemMapping.problem(for: BlobStoreError.io(operation: "write", path: "/srv/troc/blobs/blb_secret", code: code))
            #expect(problem.status == 507 && problem.code == "storage.full", "\(code) → \(problem.status) \(problem.code)")
            #expect(!problem.detail.contains("secret"))
        }
        #expect(ProblemMapping.problem(for: BlobStoreError.io(operation: "write", path: "/x", code: EIO)).status == 500)
    }

    /// The object store holding the blobs: unreachable or failing is a 503 naming the store, answered with Retry-After;
    /// refusing the broker (credentials, bucket) is the operator's to fix, never described with the object's key.
    @Test func anObjectStoreFailureSaysWhichStoreAndWhetherToRetry() async throws {
        let unreachable = ObjectStoreError.unreachable(
            operation: "GetObject", bucket: "troc-blobs", key: "blobs/blb_secret", reason: "connection refused", attempts: 4)
        let cases: [(ObjectStoreError, Int, String)] = [
            (unreachable, 503, "blobs.unavailable"),
            (
                .service(
                    status: 503, code: "SlowDown", message: "", operation: "PutObject", bucket: "troc-blobs", key: "blobs/blb_secret", requestID: nil),
                503, "blobs.unavailable"
            ),
            (
                .service(status: 500, code: "InternalError", message: "", operation: "PutObject", bucket: "troc-blobs", key: nil, requestID: nil),
                503, "blobs.unavailable"
            ),
            (
                .service(
                    status: 403, code: "AccessDenied", message: "", operation: "PutObject", bucket: "troc-blobs", key: "blobs/blb_secret",
                    requestID: nil),
                500, "blobs.refused"
            ),
            (.malformedResponse(operation: "ListObjectsV2", bucket: "troc-blobs", key: nil, reason: "no Key"), 502, "blobs.bad-answer"),
            (.configuration("no credentials"), 500, "blobs.misconfigured"),
        ]
        for (error, status, code) in cases {
            let problem = ProblemMapping.problem(for: BlobStoreError.objectStore(error))
            #expect(problem.status == status && problem.code == code, "\(error) → \(problem.status) \(problem.code)")
            #expect(!problem.detail.contains("secret"), "\(error) leaks its key: \(problem.detail)")
            if code != "blobs.misconfigured" { #expect(problem.detail.contains("s3://troc-blobs")) }
        }
        let router = Router()
        router.add(middleware: ProblemMiddleware())
        router.get("blob") { _, _ -> String in throw BlobStoreError.objectStore(unreachable) }
        try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: "/blob", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "30")
        }
    }

    /// The database finding its disk full or read-only is said as such, as the blob store's is: 507, and 503 for a
    /// read-only data directory, which reads survive and an operator can make writable again.
    @Test func aFullOrReadOnlyStorageIsSaidAsSuch() {
        let full = ProblemMapping.problem(for: StoreError.storageFull)
        #expect(full.status == 507 && full.code == "storage.full")
        for error: any Error in [StoreError.storageReadOnly, BlobStoreError.io(operation: "create", path: "/srv/troc/blobs/blb_secret", code: EROFS)]
        {
            let problem = ProblemMapping.problem(for: error)
            #expect(problem.status == 503 && problem.code == "storage.read-only", "\(error) → \(problem.status) \(problem.code)")
            #expect(!problem.detail.contains("secret") && problem.detail.contains("read-only"))
        }
    }

    @Test func everyEnvelopeErrorHasItsCode() {
        let cases: [(EnvelopeError, String)] = [
            (.notAnEnvelope, "envelope.not-an-envelope"),
            (.unsupportedVersion(9), "envelope.unsupported"),
            (.unsupportedSuite(kem: 1, kdf: 1, aead: 1), "envelope.unsupported"),
            (.framing(.chunkSizeOutOfBounds(1)), "envelope.malformed"),
            (.invalidPurpose("empty"), "envelope.malformed"),
            (.invalidKey("low order"), "envelope.malformed"),
            (.wrongKeyOrPurpose, "envelope.wrong-key"),
            (.framing(.chunkAuthenticationFailed(index: 1, offset: 2)), "envelope.tampered"),
            (.framing(.malformedRecord(index: 1, offset: 2, reason: .unknownFlag(2))), "envelope.malformed"),
            (.framing(.truncated(completeChunks: 1, offset: 2)), "envelope.truncated"),
            (.framing(.trailingData(offset: 2)), "envelope.trailing-data"),
            (.framing(.chunkLengthMismatch(expected: 1, actual: 2)), "envelope.malformed"),
            (.framing(.lastChunkTooLong(maximum: 1, actual: 2)), "envelope.malformed"),
            (.sealingFailed("exhausted"), "envelope.malformed"),
        ]
        for (error, code) in cases {
            let problem = ProblemMapping.problem(for: error)
            #expect(problem.status == 400 && problem.code == code, "\(error) → \(problem.status) \(problem.code)")
        }
    }

    @Test func anErrorOfNoDomainTypeIsAGenericInternalError() {
        let problem = ProblemMapping.problem(for: CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: "/secret/path"]))
        #expect(problem.status == 500 && problem.code == "internal" && !problem.detail.contains("secret"))
    }
}
