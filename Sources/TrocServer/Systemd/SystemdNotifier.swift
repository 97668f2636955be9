import Foundation

/// Tells systemd how the daemon is doing, as `sd_notify(3)` does: one datagram of `KEY=VALUE` lines to the socket named by
/// `NOTIFY_SOCKET`. With `Type=notify`, systemd considers `trocd.service` started only at `READY=1` (sent once the server
/// listens), and shows it stopping at `STOPPING=1`. Outside systemd there is no socket and no notifier.
package struct SystemdNotifier: Sendable {
    /// The socket's address as systemd gave it: a file path, or `@name` for Linux's abstract namespace.
    package let socketPath: String

    /// The notifier systemd asked for in `environment`, or nil (not started by systemd, or not on Linux).
    package init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        #if os(Linux)
            guard let path = environment["NOTIFY_SOCKET"], path.hasPrefix("/") || path.hasPrefix("@") else { return nil }
            socketPath = path
        #else
            return nil
        #endif
    }

    /// Sends `state`, such as `READY=1` or `STOPPING=1` (several assignments separated by newlines).
    package func notify(_ state: String) throws(SystemdNotifyError) {
        #if os(Linux)
            var path = Array(socketPath.utf8)
            // An abstract socket's name starts with a NUL byte where systemd writes '@'.
            let isAbstract = path.first == UInt8(ascii: "@")
            if isAbstract { path[0] = 0 }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            guard path.count < MemoryLayout.size(ofValue: address.sun_path) else {
                throw SystemdNotifyError(socketPath: socketPath, operation: "address", code: ENAMETOOLONG)
            }
            withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
            // A path's length counts its terminating NUL; an abstract name is exactly its bytes.
            let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count + (isAbstract ? 0 : 1))
            let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { throw SystemdNotifyError(socketPath: socketPath, operation: "socket", code: errno) }
            defer { close(descriptor) }
            let message = Array(state.utf8)
            let sent = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    message.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), socketAddress, length) }
                }
            }
            guard sent == message.count else { throw SystemdNotifyError(socketPath: socketPath, operation: "sendto", code: errno) }
        #endif
    }
}
