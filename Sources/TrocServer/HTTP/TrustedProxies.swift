/// The reverse proxies whose `X-Forwarded-For` the broker believes (`trocd serve --trusted-proxy`), and the rule that
/// turns a connection and that header into the client's address for the audit trail.
///
/// A request straight from a client carries whatever `X-Forwarded-For` the client wrote, so the header counts only when
/// the connection comes from a listed proxy. Each proxy appends the address it saw, so the list is read from the right:
/// the first address that is not itself a trusted proxy is the client. An entry that is not an address ends the walk at
/// the last hop that could be checked.
package struct TrustedProxies: Sendable, Equatable {
    /// An address or a network (`address/prefix-length`).
    package struct Range: Sendable, Equatable, CustomStringConvertible {
        /// The network's first address (host bits as given).
        package let address: IPAddress
        /// Leading bits that must match: 32 (IPv4) or 128 (IPv6) for one address.
        package let prefixLength: Int

        /// Parses `127.0.0.1`, `10.0.0.0/8`, `::1` or `fd00::/8`; throws a message naming the value and the expected form.
        package init(_ text: String) throws(TrustedProxyError) {
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let address = IPAddress(parts[0]) else { throw TrustedProxyError(value: text, reason: "not an IPv4 or IPv6 address") }
            let bits = address.bytes.count * 8
            var prefixLength = bits
            if parts.count == 2 {
                guard let length = Int(parts[1]), (0...bits).contains(length) else {
                    throw TrustedProxyError(value: text, reason: "the prefix length after / must be 0 to \(bits)")
                }
                prefixLength = length
            }
            self.address = address
            self.prefixLength = prefixLength
        }

        /// Whether `candidate` is in this range (never across IPv4 and IPv6).
        package func contains(_ candidate: IPAddress) -> Bool {
            guard candidate.bytes.count == address.bytes.count else { return false }
            var remaining = prefixLength
            for (mine, theirs) in zip(address.bytes, candidate.bytes) where remaining > 0 {
                let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
                guard mine & mask == theirs & mask else { return false }
                remaining -= 8
            }
            return true
        }

        package var description: String {
            prefixLength == address.bytes.count * 8 ? address.description : "\(address)/\(prefixLength)"
        }
    }

    /// The trusted ranges; empty trusts no header (the default).
    package let ranges: [Range]

    /// Nobody's `X-Forwarded-For` is believed.
    package static let none = TrustedProxies(ranges: [])

    /// The ranges as given on the command line.
    package init(_ specifications: [String]) throws(TrustedProxyError) {
        var ranges: [Range] = []
        for specification in specifications { ranges.append(try Range(specification)) }
        self.init(ranges: ranges)
    }

    /// Trusts exactly `ranges`.
    package init(ranges: [Range]) {
        self.ranges = ranges
    }

    /// Whether `address` is one of the trusted proxies.
    package func trusts(_ address: IPAddress) -> Bool {
        ranges.contains { $0.contains(address) }
    }

    /// The client's address: the peer's, unless the peer is a trusted proxy; then the nearest `X-Forwarded-For` hop that is
    /// not a trusted proxy (or the last one that parsed). `forwardedFor` holds the header's field values in arrival order.
    package func clientAddress(peer: IPAddress?, forwardedFor: [String]) -> IPAddress? {
        guard let peer, trusts(peer) else { return peer }
        var client = peer
        for hop in forwardedFor.flatMap({ $0.split(separator: ",") }).reversed() {
            guard let address = IPAddress(hop) else { break }
            client = address
            if !trusts(address) { break }
        }
        return client
    }
}
