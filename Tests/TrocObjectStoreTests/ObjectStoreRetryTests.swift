import NIOCore
import Testing
import TrocObjectStore
import TrocTestSupport

/// Idempotent steps are retried when the store cannot be reached; starting a multipart upload is not.
@Suite struct ObjectStoreRetryTests {
    /// A client of a loopback port nothing listens on, retrying three times with short waits.
    func unreachableClient() throws -> ObjectStoreClient {
        let port = try #require(try freeLoopbackPorts(1).first)
        let configuration = try ObjectStoreConfiguration(
            url: "s3://troc-test?endpoint=http://127.0.0.1:\(port)", environment: ["AWS_ACCESS_KEY_ID": "K", "AWS_SECRET_ACCESS_KEY": "S"])
        return try ObjectStoreClient(
            configuration: configuration, retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(2)),
            connectTimeout: .milliseconds(300))
    }

    @Test func anIdempotentPutIsRetriedThenReportedUnreachable() async throws {
        let client = try unreachableClient()
        defer { Task { await client.shutdown() } }
        let error = try await #require(throws: ObjectStoreError.self) {
            try await client.put(key: "k", bytes: ByteBuffer(string: "x"))
        }
        guard case .unreachable(let operation, let bucket, let key, _, let attempts) = error else {
            Issue.record("expected unreachable, got \(error)")
            return
        }
        #expect(operation == "PutObject" && bucket == "troc-test" && key == "k")
        #expect(attempts == 3)
    }

    @Test func startingAMultipartUploadIsNotRetried() async throws {
        let client = try unreachableClient()
        defer { Task { await client.shutdown() } }
        let parts = [ByteBuffer(repeating: 1, count: client.partSize), ByteBuffer(repeating: 2, count: 1)]
        let error = try await #require(throws: ObjectStoreError.self) {
            try await client.upload(key: "k", from: parts.async)
        }
        guard case .unreachable(let operation, _, _, _, let attempts) = error else {
            Issue.record("expected unreachable, got \(error)")
            return
        }
        #expect(operation == "CreateMultipartUpload")
        #expect(attempts == 1)
    }
}
