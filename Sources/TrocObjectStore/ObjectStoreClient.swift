import AsyncHTTPClient
public import Foundation
public import NIOCore
import NIOHTTP1

/// An S3 client for one bucket: put, streamed multipart upload, streamed get, head, delete and list, every
/// request signed with Signature V4 and every idempotent step retried with backoff.
public final class ObjectStoreClient: Sendable {
    /// The bucket, endpoint and credentials.
    public let configuration: ObjectStoreConfiguration
    /// Bytes per multipart part (S3's minimum, 5 MiB, for all but the last); also the most an upload buffers.
    public let partSize: Int
    /// How idempotent steps are retried.
    public let retry: RetryPolicy
    let http: HTTPClient
    private let signer: SigV4Signer
    private let clock: @Sendable () -> Date

    /// S3's smallest part but the last.
    public static let minimumPartSize = 5 * 1024 * 1024

    /// A client for `configuration`'s bucket; `clock` dates the signatures. A refused connection is
    /// retried by the connection pool until `connectTimeout`, which then counts as one failed attempt.
    public init(
        configuration: ObjectStoreConfiguration, partSize: Int = 8 * 1024 * 1024, retry: RetryPolicy = .standard,
        connectTimeout: TimeAmount = .seconds(10), clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(ObjectStoreError) {
        guard partSize >= Self.minimumPartSize else {
            throw .configuration("part size \(partSize) is below S3's minimum of \(Self.minimumPartSize) bytes (5 MiB)")
        }
        self.configuration = configuration
        self.partSize = partSize
        self.retry = retry
        self.clock = clock
        signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region)
        var httpConfiguration = HTTPClient.Configuration()
        // A stalled store fails a request after a minute of silence, whatever the object's size.
        httpConfiguration.timeout = .init(connect: connectTimeout, read: .seconds(60))
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
    }

    /// Closes connections; call once done.
    public func shutdown() async {
        try? await http.shutdown()
    }

    // MARK: Single requests

    /// Stores `bytes` under `key` in one request, replacing any object there; returns its ETag.
    @discardableResult
    public func put(key: String, bytes: ByteBuffer, contentType: String = "application/octet-stream") async throws -> String {
        let response = try await send(
            "PutObject", method: .PUT, key: key, headers: [(name: "content-type", value: contentType)], body: bytes, idempotent: true)
        return try etag(of: response, operation: "PutObject", key: key)
    }

    /// The object under `key` as a stream of buffers, or `ObjectStoreError.service` with code `NoSuchKey`.
    public func get(key: String) async throws -> ObjectDownload {
        let response = try await send("GetObject", method: .GET, key: key, idempotent: true)
        return ObjectDownload(
            contentLength: response.headers.first(name: "content-length").flatMap(Int.init), etag: response.headers.first(name: "etag"),
            body: ObjectBody(base: response.body))
    }

    /// The size and ETag of the object under `key`, or nil when there is none.
    public func head(key: String) async throws -> ObjectSummary? {
        let response = try await send("HeadObject", method: .HEAD, key: key, idempotent: true, absentIsAnswer: true)
        guard response.status != .notFound else { return nil }
        guard let size = response.headers.first(name: "content-length").flatMap(Int.init) else {
            throw ObjectStoreError.malformedResponse(
                operation: "HeadObject", bucket: configuration.bucket, key: key, reason: "no Content-Length")
        }
        return ObjectSummary(key: key, size: size, etag: response.headers.first(name: "etag") ?? "")
    }

    /// Removes the object under `key`; removing an absent object succeeds, as in S3.
    public func delete(key: String) async throws {
        _ = try await send("DeleteObject", method: .DELETE, key: key, idempotent: true)
    }

    /// One page of the objects whose keys start with `prefix`, in key order; pass the page's
    /// `nextContinuationToken` back to read the next one.
    public func list(prefix: String = "", continuationToken: String? = nil, maxKeys: Int = 1000) async throws -> ObjectListing {
        var query: [(name: String, value: String)] = [("list-type", "2"), ("max-keys", String(maxKeys)), ("prefix", prefix)]
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        let response = try await send("ListObjectsV2", method: .GET, key: nil, query: query, idempotent: true)
        let xml = S3XML(try await text(of: response, operation: "ListObjectsV2", key: nil))
        var objects: [ObjectSummary] = []
        for entry in xml.elements("Contents") {
            guard let key = entry.value("Key"), let size = entry.value("Size").flatMap(Int.init) else {
                throw ObjectStoreError.malformedResponse(
                    operation: "ListObjectsV2", bucket: configuration.bucket, key: nil, reason: "a Contents entry without Key or Size")
            }
            objects.append(
                ObjectSummary(key: key, size: size, etag: entry.value("ETag") ?? "", lastModified: entry.value("LastModified").flatMap(S3XML.date)))
        }
        let truncated = xml.value("IsTruncated") == "true"
        let next = truncated ? xml.value("NextContinuationToken") : nil
        if truncated && next == nil {
            throw ObjectStoreError.malformedResponse(
                operation: "ListObjectsV2", bucket: configuration.bucket, key: nil, reason: "a truncated listing without NextContinuationToken")
        }
        return ObjectListing(objects: objects, nextContinuationToken: next)
    }

    /// Creates the bucket; a bucket this account already owns is not an error.
    public func createBucket() async throws {
        // Outside us-east-1, S3 wants the region restated in the body.
        let body =
            configuration.region == "us-east-1"
            ? nil
            : ByteBuffer(
                string: "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>"
                    + "\(S3XML.escape(configuration.region))</LocationConstraint></CreateBucketConfiguration>")
        do {
            _ = try await send("CreateBucket", method: .PUT, key: nil, body: body, idempotent: true)
        } catch let error as ObjectStoreError where error.code == "BucketAlreadyOwnedByYou" {
            return
        }
    }

    // MARK: Plumbing

    /// Signs and sends one request, retrying idempotent ones; returns a 2xx answer (or a 404 when
    /// `absentIsAnswer`), else throws the S3 error it carried.
    func send(
        _ operation: String, method: HTTPMethod, key: String?, query: [(name: String, value: String)] = [],
        headers extraHeaders: [(name: String, value: String)] = [], body: ByteBuffer? = nil, idempotent: Bool, absentIsAnswer: Bool = false
    ) async throws -> HTTPClientResponse {
        if let key { try validate(key: key) }
        let path = configuration.pathStyle ? "/\(configuration.bucket)" + (key.map { "/\($0)" } ?? "") : "/" + (key ?? "")
        let encodedQuery = query.map {
            "\(SigV4Signer.uriEncode($0.name, encodingSlash: true))=\(SigV4Signer.uriEncode($0.value, encodingSlash: true))"
        }
        let url =
            "\(configuration.scheme)://\(configuration.hostHeader)\(SigV4Signer.uriEncode(path, encodingSlash: false))"
            + (encodedQuery.isEmpty ? "" : "?" + encodedQuery.joined(separator: "&"))
        let payload = body.map { SigV4Signer.Payload.of($0.readableBytesView) } ?? .empty
        var generator = SystemRandomNumberGenerator()
        var attempt = 0
        while true {
            attempt += 1
            let signature = signer.sign(
                SigV4Signer.Request(
                    method: method.rawValue, path: path, query: query, headers: [(name: "host", value: configuration.hostHeader)] + extraHeaders),
                payload: payload, date: clock())
            var request = HTTPClientRequest(url: url)
            request.method = method
            for header in signature.headers { request.headers.add(name: header.name, value: header.value) }
            if let body { request.body = .bytes(body) }
            do {
                let response = try await http.execute(request, timeout: .hours(1))
                if (200..<300).contains(response.status.code) || (absentIsAnswer && response.status == .notFound) {
                    return response
                }
                let failure = try await serviceError(response, operation: operation, key: key)
                guard idempotent, attempt < retry.maxAttempts, RetryPolicy.isRetryable(status: failure.status ?? 0, code: failure.code ?? "") else {
                    throw failure
                }
            } catch let error as ObjectStoreError {
                throw error
            } catch let error as CancellationError {
                throw error
            } catch {
                guard idempotent, attempt < retry.maxAttempts else {
                    throw ObjectStoreError.unreachable(
                        operation: operation, bucket: configuration.bucket, key: key, reason: String(describing: error), attempts: attempt)
                }
            }
            try await Task.sleep(for: retry.delay(after: attempt, using: &generator))
        }
    }

    /// The typed error an S3 error answer describes (HEAD answers carry no body: the status names it).
    func serviceError(_ response: HTTPClientResponse, operation: String, key: String?) async throws -> ObjectStoreError {
        let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
        let xml = S3XML(body)
        let fallback =
            switch response.status.code {
            case 403: "AccessDenied"
            case 404: key == nil ? "NoSuchBucket" : "NoSuchKey"
            default: "HTTP\(response.status.code)"
            }
        return .service(
            status: Int(response.status.code), code: xml.value("Code") ?? fallback,
            message: xml.value("Message") ?? (body.isEmpty ? response.status.reasonPhrase : String(body.prefix(200))), operation: operation,
            bucket: configuration.bucket, key: key, requestID: xml.value("RequestId") ?? response.headers.first(name: "x-amz-request-id"))
    }

    /// The whole (small, XML) body of a successful answer.
    func text(of response: HTTPClientResponse, operation: String, key: String?) async throws -> String {
        do {
            return String(buffer: try await response.body.collect(upTo: 16 << 20))
        } catch {
            throw ObjectStoreError.unreachable(
                operation: operation, bucket: configuration.bucket, key: key, reason: String(describing: error), attempts: 1)
        }
    }

    /// The ETag header S3 returns for a stored object or part.
    func etag(of response: HTTPClientResponse, operation: String, key: String) throws -> String {
        guard let etag = response.headers.first(name: "etag"), !etag.isEmpty else {
            throw ObjectStoreError.malformedResponse(operation: operation, bucket: configuration.bucket, key: key, reason: "no ETag header")
        }
        return etag
    }

    /// S3 keys are 1 to 1024 bytes of UTF-8.
    private func validate(key: String) throws {
        guard (1...1024).contains(key.utf8.count) else {
            throw ObjectStoreError.configuration("object key of \(key.utf8.count) bytes: S3 keys are 1 to 1024 bytes of UTF-8")
        }
    }
}
