import AsyncHTTPClient
public import Foundation
public import NIOCore
import NIOHTTP1

extension ObjectStoreClient {
    /// A multipart upload S3 holds open: started, neither completed nor aborted.
    public struct PendingUpload: Sendable, Equatable {
        /// The key it will create.
        public let key: String
        /// S3's name for the upload.
        public let uploadID: String
        /// When it was started, as the listing states it.
        public let initiated: Date?
    }

    /// Streams `source` into `key`: parts of `partSize` are uploaded as they fill (one part buffered at a
    /// time), then completed into one object. On any failure, the source's included, the upload is aborted
    /// and the error rethrown: the object appears whole or not at all. A source shorter than one part is
    /// sent as a single PUT. Returns the object's ETag and size.
    @discardableResult
    public func upload<Source: AsyncSequence>(
        key: String, from source: Source, contentType: String = "application/octet-stream"
    ) async throws -> ObjectSummary where Source.Element == ByteBuffer {
        var reader = PartReader(iterator: source.makeAsyncIterator(), partSize: partSize)
        let first = try await reader.nextPart()
        if reader.finished {
            return ObjectSummary(key: key, size: first.readableBytes, etag: try await put(key: key, bytes: first, contentType: contentType))
        }
        let uploadID = try await initiate(key: key, contentType: contentType)
        do {
            var etags: [String] = []
            var size = 0
            var part = first
            while true {
                guard etags.count < 10_000 else {
                    throw ObjectStoreError.configuration(
                        "\(key): more than 10,000 parts of \(partSize) bytes; S3 allows 10,000 parts, so raise the part size")
                }
                etags.append(try await uploadPart(key: key, uploadID: uploadID, number: etags.count + 1, bytes: part))
                size += part.readableBytes
                if reader.finished { break }
                part = try await reader.nextPart()
                if part.readableBytes == 0 && reader.finished { break }
            }
            let etag = try await complete(key: key, uploadID: uploadID, etags: etags)
            return ObjectSummary(key: key, size: size, etag: etag)
        } catch {
            // Detached so that the abort is sent even when the failure is this task's cancellation.
            let client = self
            await Task.detached { try? await client.abortUpload(key: key, uploadID: uploadID) }.value
            throw error
        }
    }

    /// Abandons an upload and frees its parts; aborting an upload S3 no longer knows succeeds.
    public func abortUpload(key: String, uploadID: String) async throws {
        do {
            _ = try await send("AbortMultipartUpload", method: .DELETE, key: key, query: [("uploadId", uploadID)], idempotent: true)
        } catch let error as ObjectStoreError where error.code == "NoSuchUpload" {
            return
        }
    }

    /// The multipart uploads under `prefix` that were started and neither completed nor aborted (a crashed
    /// uploader's leftovers, for orphan collection). Reads the first 1,000.
    public func pendingUploads(prefix: String = "") async throws -> [PendingUpload] {
        let response = try await send("ListMultipartUploads", method: .GET, key: nil, query: [("uploads", ""), ("prefix", prefix)], idempotent: true)
        let xml = S3XML(try await text(of: response, operation: "ListMultipartUploads", key: nil))
        return xml.elements("Upload").compactMap { upload in
            guard let key = upload.value("Key"), let uploadID = upload.value("UploadId") else { return nil }
            return PendingUpload(key: key, uploadID: uploadID, initiated: upload.value("Initiated").flatMap(S3XML.date))
        }
    }

    /// Starts a multipart upload. Not retried: a second start would leave the first one pending.
    private func initiate(key: String, contentType: String) async throws -> String {
        let response = try await send(
            "CreateMultipartUpload", method: .POST, key: key, query: [("uploads", "")], headers: [(name: "content-type", value: contentType)],
            idempotent: false)
        guard let uploadID = S3XML(try await text(of: response, operation: "CreateMultipartUpload", key: key)).value("UploadId") else {
            throw ObjectStoreError.malformedResponse(
                operation: "CreateMultipartUpload", bucket: configuration.bucket, key: key, reason: "no UploadId")
        }
        return uploadID
    }

    /// Uploads part `number`; sending the same part again replaces it, so it is retried.
    private func uploadPart(key: String, uploadID: String, number: Int, bytes: ByteBuffer) async throws -> String {
        let response = try await send(
            "UploadPart", method: .PUT, key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)], body: bytes, idempotent: true)
        return try etag(of: response, operation: "UploadPart", key: key)
    }

    /// Assembles the parts into the object. Retried: the same part list yields the same object. S3 may
    /// answer 200 and put the error in the body, which is read as the error it is.
    private func complete(key: String, uploadID: String, etags: [String]) async throws -> String {
        let parts = etags.enumerated().map { "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\(S3XML.escape($0.element))</ETag></Part>" }
        let body = ByteBuffer(
            string: "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\(parts.joined())</CompleteMultipartUpload>")
        let response = try await send(
            "CompleteMultipartUpload", method: .POST, key: key, query: [("uploadId", uploadID)],
            headers: [(name: "content-type", value: "application/xml")], body: body, idempotent: true)
        let xml = S3XML(try await text(of: response, operation: "CompleteMultipartUpload", key: key))
        if let code = xml.elements("Error").first?.value("Code") {
            throw ObjectStoreError.service(
                status: Int(response.status.code), code: code, message: xml.value("Message") ?? "", operation: "CompleteMultipartUpload",
                bucket: configuration.bucket, key: key, requestID: xml.value("RequestId"))
        }
        guard let etag = xml.value("ETag") else {
            throw ObjectStoreError.malformedResponse(operation: "CompleteMultipartUpload", bucket: configuration.bucket, key: key, reason: "no ETag")
        }
        return etag
    }
}
