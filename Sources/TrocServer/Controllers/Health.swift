import Foundation
import Hummingbird
import NIOFoundationCompat
import Prometheus
import TrocCore
import TrocCrypto
import TrocStore

/// `GET /healthz`.
struct Health: Codable {
    var status: String
}
