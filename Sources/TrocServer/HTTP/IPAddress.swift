import Foundation

/// An IPv4 or IPv6 address, parsed and printed by the C library (`inet_pton`, `inet_ntop`), so that the
/// audit trail stores one canonical text per address whatever spelling a proxy or a socket used.
package struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// Network-order bytes: 4 for IPv4 (an IPv4-mapped IPv6 address is stored as its IPv4 address), 16 for IPv6.
    package let bytes: [UInt8]

    /// Parses `a.b.c.d`, an IPv6 address, or an IPv6 address in brackets; nil for anything else (a port, a name, junk).
    package init?(_ text: some StringProtocol) {
        var text = text.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let all = withUnsafeBytes(of: &v6) { Array($0) }
        // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d: they are the same clients as a.b.c.d.
        bytes = all.prefix(12).elementsEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]) ? Array(all.suffix(4)) : all
    }

    /// Whether this is an IPv4 address.
    package var isIPv4: Bool { bytes.count == 4 }

    /// Whether the address is on the machine itself: 127.0.0.0/8 or ::1 (IPv4-mapped addresses are stored as IPv4).
    package var isLoopback: Bool { isIPv4 ? bytes[0] == 127 : bytes == Array(repeating: 0, count: 15) + [1] }

    /// Dotted decimal for IPv4, RFC 5952 text for IPv6 (lowercase, longest run of zeros compressed).
    package var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        let written = bytes.withUnsafeBytes { source in inet_ntop(family, source.baseAddress, &text, socklen_t(text.count)) }
        // inet_ntop only fails for an unknown family or a short buffer, neither of which can happen here.
        guard written != nil else { return "" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
