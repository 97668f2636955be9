/// Who may read the Prometheus exposition at `/metrics` (request counts, routes, timings: not for the internet).
package enum MetricsAccess: String, Sendable, CaseIterable {
    /// A peer on a loopback address (a scraper on the same machine), or anyone with an operator's token.
    case loopbackOrOperator = "loopback"
    /// Only an operator's token. Behind a reverse proxy on the same machine every request comes from loopback, so
    /// `--http` uses this.
    case operatorOnly = "operator"
}
