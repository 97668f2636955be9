import Foundation

/// A notification systemd could not be sent (its socket is gone, or the path is too long for a socket address).
package struct SystemdNotifyError: Error, CustomStringConvertible {
    /// `NOTIFY_SOCKET` as given.
    package let socketPath: String
    /// The call that failed.
    package let operation: String
    /// Its errno.
    package let code: Int32

    package var description: String {
        "cannot notify systemd through NOTIFY_SOCKET=\(socketPath): \(operation) failed: \(String(cString: strerror(code)))"
    }
}
