import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import TrocCore
import TrocCrypto
import TrocStore

/// Prospect files: encrypted uploads decrypted as they stream in, read by the engine for the
/// ingestion report and stored re-encrypted at rest; downloads re-encrypted to the owner's key.
struct FileController {
    let broker: Broker

    func addRoutes(to router: RouterGroup<TrocRequestContext>) {
        router.get("files", use: list)
        router.post("files", use: upload)
        router.get("files/:fileId", use: show)
        router.delete("files/:fileId", use: delete)
        router.get("files/:fileId/content", use: download)
    }

    @Sendable func list(_ request: Request, context: TrocRequestContext) async throws -> [StoredFile] {
        let caller = try context.caller(in: .partner, .operator)
        let records = try await broker.store.files(organisationID: caller.role == .operator ? nil : caller.organisationID)
        return try records.map { try StoredFile($0, exact: caller.role == .operator) }
    }

    @Sendable func show(_ request: Request, context: TrocRequestContext) async throws -> StoredFile {
        try await StoredFile(visibleFile(context), exact: context.caller().role == .operator)
    }

    /// The file named in the path, if the caller may see it (its owner, or an operator).
    private func visibleFile(_ context: TrocRequestContext) async throws -> FileRecord {
        let caller = try context.caller(in: .partner, .operator)
        let id = try context.parameters.require("fileId")
        guard let file = try await broker.store.file(id: id), caller.role == .operator || file.organisationID == caller.organisationID else {
            throw AccessError.notFound("file")
        }
        return file
    }

    @Sendable func upload(_ request: Request, context: TrocRequestContext) async throws -> EditedResponse<StoredFile> {
        let caller = try context.caller(in: .partner)
        let purpose = try EnvelopePurpose(TransferPurpose.upload(organisationID: caller.organisationID))
        let record = try await receive(request, context: context, caller: caller, purpose: purpose)
        return EditedResponse(status: .created, response: try StoredFile(record, exact: false))
    }

    /// A firm deletes one of its files that no deal refers to: audited, then its blob removed.
    @Sendable func delete(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let caller = try context.caller(in: .partner)
        let id = try context.parameters.require("fileId")
        let file = try await broker.store.deleteUnattachedFile(id: id, actor: DealService(broker: broker).actor(caller), now: broker.clock())
        do {
            _ = try await broker.blobs.delete(blobID: file.blobID)
        } catch {
            // The rows are gone and the deletion audited: what is left is unreferenced ciphertext, for the operator to remove.
            context.logger.warning(
                "blob of a deleted file not removed", metadata: ["blob": .string(file.blobID), "error.type": "\(type(of: error))"])
        }
        context.logger.info("file deleted", metadata: ["file": .string(file.id)])
        return Response(status: .noContent)
    }

    /// Receives an envelope sealed for `purpose`: decrypted as it streams, stored re-encrypted, read for
    /// the ingestion report. Nothing is kept unless all of it succeeds.
    ///
    /// Before any byte of the body is read, the firm's quotas (a declared size that cannot fit) and the upload
    /// concurrency limits are checked; while it streams, an upload that outgrows the storage quota is cut.
    func receive(_ request: Request, context: TrocRequestContext, caller: Identity, purpose: EnvelopePurpose) async throws -> FileRecord {
        let name = try Self.fileName(request)
        guard request.headers[.contentType].map({ $0.hasPrefix("application/octet-stream") }) ?? false else {
            throw RequestError.unsupportedMediaType("application/octet-stream (an HPKE envelope, see docs/envelope.md)")
        }
        let limit = broker.configuration.maxUploadBytes
        let declared = request.headers[.contentLength].flatMap(Int64.init)
        if let declared, declared > Int64(limit) { throw RequestError.bodyTooLarge(limit: limit) }
        let storage = try await broker.store.storage(organisationID: caller.organisationID)
        try storage.admitFile()
        if let declared { try storage.admit(bytes: EnvelopeLength.minimumPlaintext(ofEnvelopeBytes: declared)) }
        return try await broker.uploads.withSlot(for: caller.organisationID) {
            try await store(request, context: context, caller: caller, purpose: purpose, name: name, storage: storage)
        }
    }

    /// Streams the body through the upload pipeline within `storage`'s quota, then records the file.
    private func store(
        _ request: Request, context: TrocRequestContext, caller: Identity, purpose: EnvelopePurpose, name: String, storage: FirmStorage
    ) async throws -> FileRecord {
        let limit = broker.configuration.maxUploadBytes
        let rules = try await broker.rules()
        let upload = try UploadPipeline(broker: broker, purpose: purpose, rules: rules)
        do {
            var received = 0
            for try await buffer in request.body {
                received += buffer.readableBytes
                guard received <= limit else { throw RequestError.bodyTooLarge(limit: limit) }
                try await upload.feed(buffer)
                try storage.admit(bytes: upload.plaintextByteCount)
            }
            let (blob, report, unsuppressed) = try await finish(upload, rules: rules)
            // The file's index (48 bytes a row, 85 MB for 200 MiB) is freed by now. glibc keeps freed pages for reuse, but
            // the next upload is read on other threads, from other malloc arenas, and would add its own on top.
            FreedMemory.returnToSystem()
            do {
                let record = try await broker.store.createFile(
                    organisationID: caller.organisationID, blob: blob, name: name, byteCount: blob.plaintextByteCount,
                    reportJSON: String(decoding: try StrictJSON.encoder.encode(report), as: UTF8.self),
                    partnerReportJSON: String(decoding: try StrictJSON.encoder.encode(PartnerFileReport(unsuppressed: unsuppressed)), as: UTF8.self),
                    now: broker.clock())
                _ = try await broker.store.recordAudit(
                    AuditDraft(
                        action: .fileUpload, actor: DealService(broker: broker).actor(caller),
                        detail: ["file": .string(record.id), "bytes": .integer(blob.plaintextByteCount), "rows": AuditValue(report.rows)]),
                    now: broker.clock())
                context.logger.info("file stored", metadata: ["file": .string(record.id), "bytes": .stringConvertible(blob.plaintextByteCount)])
                return record
            } catch {
                _ = try? await broker.blobs.delete(blobID: blob.id)
                throw error
            }
        } catch {
            upload.abort()
            throw error
        }
    }

    /// Ends the upload and judges the file. Operators keep the exact report; the firm's own leaves out the suppression list,
    /// so it never learns which of its contacts objected or asked for erasure. The parsed file ends with this function.
    private func finish(_ upload: UploadPipeline, rules: ExchangeRules) async throws -> (StoredBlob, FileReport, FileReport) {
        let (blob, contacts) = try await upload.finish()
        let (report, unsuppressed) = MatchEngine.fileReports(
            contacts, rules: rules, suppression: SuppressionList(entries: try await broker.store.suppressionEntries()))
        return (blob, report, unsuppressed)
    }

    @Sendable func download(_ request: Request, context: TrocRequestContext) async throws -> Response {
        let role = try context.caller().role
        guard role == .partner else { throw AccessError.forbiddenRole(role, allowed: [.partner]) }
        let file = try await visibleFile(context)
        guard let owner = try await broker.store.organisation(id: file.organisationID), let pem = owner.publicKeyPEM else {
            throw Problem(
                type: ProblemMapping.typeURI("delivery.no-key"), title: "No delivery key", status: 409,
                detail: "the organisation has no registered public key: run `troc keygen` first", code: "delivery.no-key")
        }
        let recipient = try EnvelopePublicKey(pemText: pem)
        guard let blob = try await broker.store.blob(id: file.blobID) else { throw AccessError.notFound("file") }
        let reader = try await broker.blobs.openReader(blobID: blob.id, wrappedKey: try blob.parsedWrappedKey(), masterKey: broker.masterKey)
        let purpose = try EnvelopePurpose(TransferPurpose.download(fileID: file.id))
        let length = EnvelopeLength.of(plaintextBytes: Int64(file.byteCount), chunkSize: ChunkSizeLimits.standard)
        var response = EnvelopeResponse.stream(from: reader, to: recipient, purpose: purpose, length: length)
        response.headers[.trocKeyFingerprint] = recipient.fingerprint
        return response
    }

    /// The `name` query parameter: a bare file name, as the partner knows it.
    static func fileName(_ request: Request) throws -> String {
        guard let name = request.uri.queryParameters.get("name"), !name.isEmpty else { throw RequestError.missingParameter("name") }
        guard name.utf8.count <= 255, !name.contains("/"), !name.contains("\\"), !name.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw RequestError.invalidParameter("name", "a file name of at most 255 bytes, without path separators or control characters")
        }
        return name
    }
}

extension StoredFile {
    /// The API form of a stored file, with its firm's report and, when `exact` (operators), the exact one.
    init(_ record: FileRecord, exact: Bool) throws {
        let full = try StrictJSON.decoder.decode(FileReport.self, from: Data(record.report.utf8))
        // Files stored before firms had a report of their own showed the exact one at upload: showing it again tells
        // the firm nothing new.
        let report = try record.partnerReport.map { try StrictJSON.decoder.decode(PartnerFileReport.self, from: Data($0.utf8)) }
        self.init(
            id: record.id, organisationId: record.organisationID, name: record.name, byteCount: Int(record.byteCount), createdAt: record.createdAt,
            report: report ?? PartnerFileReport(unsuppressed: full), full: exact ? full : nil)
    }
}
