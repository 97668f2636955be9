public import Foundation

/// Files that hold secrets (the master key, TLS and firm private keys): readable by their owner only from the first
/// byte, written in full and flushed under a temporary name, then renamed into place.
///
/// The mode goes to open(2) itself. Creating a file with the default mode and tightening it with chmod afterwards
/// leaves a window in which another local user can open it, and a descriptor opened then keeps reading after the
/// chmod. The umask can only remove bits from 0600.
public enum SecretFile {
    /// Writes `data` to `path` (0600), replacing any file there in one rename.
    public static func write(_ data: Data, to path: String) throws(SecretFileError) {
        let temporary = path + ".tmp-" + UUID().uuidString
        let descriptor = Foundation.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SecretFileError(operation: "create", path: temporary, code: errno) }
        var failure = data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> SecretFileError? in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno != EINTR {
                    return SecretFileError(operation: "write", path: temporary, code: errno)
                }
            }
            return nil
        }
        if failure == nil, fsync(descriptor) != 0 { failure = SecretFileError(operation: "flush", path: temporary, code: errno) }
        // Closed exactly once, whatever failed: a second close could hit a descriptor another thread just opened.
        if close(descriptor) != 0, failure == nil { failure = SecretFileError(operation: "close", path: temporary, code: errno) }
        if let failure {
            unlink(temporary)
            throw failure
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw SecretFileError(operation: "rename into place", path: path, code: code)
        }
    }
}

/// A secret file could not be written; says which step failed on which path, and why.
public struct SecretFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The step that failed: create, write, flush, close, rename into place.
    public var operation: String
    public var path: String
    /// The `errno` of the failure.
    public var code: Int32

    public var description: String {
        "cannot \(operation) \(path): \(String(cString: strerror(code))); check that its directory exists and is writable by this user"
    }
}
