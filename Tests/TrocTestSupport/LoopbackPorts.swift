import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `count` distinct TCP ports on 127.0.0.1 that were free a moment ago: each is the kernel's choice for an ephemeral
/// bind, all held open together (so no two are the same), then released for a server the test starts.
public func freeLoopbackPorts(_ count: Int) throws -> [Int] {
    var sockets: [Int32] = []
    defer {
        for fd in sockets { close(fd) }
    }
    var ports: [Int] = []
    for _ in 0..<count {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        sockets.append(fd)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        ports.append(Int(UInt16(bigEndian: address.sin_port)))
    }
    return ports
}

/// A free loopback port `port` whose `port + offset` is free too, both below the kernel's ephemeral range (32768 and up)
/// so that no client connection takes them meanwhile: for a server that derives a second port from the first (SeaweedFS
/// 4.48 listens for the S3 gateway's gRPC on its port + 10000, whatever `-s3.port.grpc` says).
public func freeLoopbackPort(withFree offset: Int, in range: ClosedRange<Int> = 20_000...22_700) throws -> Int {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<500 {
        let port = Int.random(in: range, using: &generator)
        if isFreeLoopbackPort(port), isFreeLoopbackPort(port + offset) { return port }
    }
    throw POSIXError(.EADDRINUSE)
}

/// Whether a TCP socket can bind 127.0.0.1:`port` now.
func isFreeLoopbackPort(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}
