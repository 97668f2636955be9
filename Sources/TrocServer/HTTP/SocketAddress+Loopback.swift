package import NIOCore

extension SocketAddress {
    /// Whether the address is on the machine itself: 127.0.0.0/8, ::1, or 127.0.0.0/8 mapped into IPv6.
    package var isLoopback: Bool {
        switch self {
        case .v4:
            return ipAddress?.hasPrefix("127.") == true
        case .v6:
            guard let text = ipAddress?.lowercased() else { return false }
            return text == "::1" || text.hasPrefix("::ffff:127.")
        case .unixDomainSocket:
            return false
        }
    }
}
