import Foundation
import Hummingbird
import NIOFoundationCompat
import Prometheus
import TrocCore
import TrocCrypto
import TrocStore

/// The OpenAPI document shipped beside the binary (SwiftPM resource).
enum OpenAPIDocument {
    static func data() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw Problem(
                type: ProblemMapping.typeURI("internal"), title: "Missing document", status: 500, detail: "openapi.yaml is not installed",
                code: "internal")
        }
        return try Data(contentsOf: url)
    }
}
