import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TrocServer
import TrocStore

/// A write refused because the data directory is read-only is a 503 that tells the client when to try again.
@Suite struct StorageReadOnlyAnswerTests {
    @Test func aReadOnlyDataDirectoryIsAnswered503WithRetryAfter() async throws {
        let router = Router(context: BasicRequestContext.self)
        router.middlewares.add(ProblemMiddleware())
        router.post("/v1/files") { _, _ -> Response in
            throw BlobStoreError.io(operation: "create", path: "/srv/troc/blobs/blb_x.partial", code: EROFS)
        }
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/v1/files", method: .post) { response in
                #expect(response.status.code == 503)
                #expect(response.headers[.retryAfter] == "60")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
    }
}
