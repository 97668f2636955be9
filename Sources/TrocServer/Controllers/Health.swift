import Foundation
import Hummingbird
import NIOFoundationCompat
import Prometheus
import TrocCore
import TrocCrypto
import TrocStore

/// `GET /healthz`.
struct Health: Codable, ResponseEncodable {
    var status: String
}
