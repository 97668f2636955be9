/// How long the server waits on a connection before closing it (SECURITY.md "Resources and limits").
///
/// Together they bound what a slow or silent peer holds: a connection that never completes its TLS handshake, sends
/// its request head a byte at a time, stalls in the middle of a body, or idles between requests is closed, so
/// such peers cannot pile up until the daemon runs out of file descriptors.
package struct ConnectionTimeouts: Sendable, Hashable {
    /// From accept to the end of the TLS handshake.
    package var handshake: Duration
    /// The longest time without a request part arriving: a keep-alive connection between requests, a request head
    /// still incomplete, or a body that stopped. A response being computed or written is not idle.
    package var idle: Duration

    /// Defaults: 10 s for the handshake (a real client needs well under a second), 30 s idle.
    package init(handshake: Duration = .seconds(10), idle: Duration = .seconds(30)) {
        self.handshake = handshake
        self.idle = idle
    }
}
