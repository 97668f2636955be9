package import Foundation

/// A plain TCP connection driven byte by byte, for what HTTP clients will not do: stay silent, send a request head
/// one byte at a time, stream a chunked body and stop reading.
package final class RawConnection: Sendable {
    private let descriptor: Int32

    /// Connects to `host` (an IPv4 address) on `port`.
    package init(host: String = "127.0.0.1", port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawConnectionError(operation: "socket", code: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            throw RawConnectionError(operation: "connect", code: code)
        }
    }

    deinit { close(descriptor) }

    /// Sends all of `bytes`; fails once the peer has closed the connection.
    package func send(_ bytes: some Collection<UInt8>) throws {
        let array = Array(bytes)
        var offset = 0
        while offset < array.count {
            let sent = array.withUnsafeBytes { Foundation.send(descriptor, $0.baseAddress! + offset, array.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent > 0 {
                offset += sent
            } else if sent < 0, errno != EINTR {
                throw RawConnectionError(operation: "send", code: errno)
            }
        }
    }

    /// Sends `text` as UTF-8.
    package func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    /// The next bytes that arrive, empty once the peer closed, nil if nothing came within `limit` seconds.
    package func receive(limit seconds: Int) -> Data? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        var ready: Int32
        repeat { ready = poll(&poller, 1, Int32(seconds * 1000)) } while ready < 0 && errno == EINTR
        guard ready > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Data(buffer[..<count]) : Data()
    }

    /// Reads until the peer closes the connection or `limit` seconds pass without it; what arrived, and whether it closed.
    ///
    /// The limit is a safety net for a peer that never closes, not a measure: a test asserts on `closed`.
    package func readToEnd(limit seconds: Int) -> (data: Data, closed: Bool) {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        while true {
            let remaining = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, remaining)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { return (data, false) }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                data.append(contentsOf: buffer[..<count])
            } else if count == 0 || errno == ECONNRESET {
                return (data, true)
            } else if errno != EINTR {
                return (data, true)
            }
        }
    }
}

extension RawConnection {
    /// Reads one HTTP/1.1 response with a Content-Length: its head and body, or what arrived before the peer closed
    /// or `limit` seconds passed (a safety net, not a measure).
    package func readResponse(limit seconds: Int) -> Data {
        var data = Data()
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        while Date() < deadline {
            if let end = data.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).lowercased()
                let length =
                    head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if data.count - end.upperBound >= length { return data }
            }
            guard let more = receive(limit: max(1, Int(deadline.timeIntervalSinceNow.rounded(.up)))), !more.isEmpty else { return data }
            data.append(more)
        }
        return data
    }
}

/// A socket call failed.
package struct RawConnectionError: Error, CustomStringConvertible {
    package var operation: String
    package var code: Int32

    package var description: String { "\(operation): \(String(cString: strerror(code)))" }
}
