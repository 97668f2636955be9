import Foundation
package import TrocCrypto
package import TrocObjectStore

/// Why the blob store could not write, read or remove a blob.
package enum BlobStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed.
    case io(operation: String, path: String, code: Int32)
    /// The id is not a blob id, so it cannot name a file.
    case invalidBlobID(String)
    /// No file holds this blob.
    case blobNotFound(id: String)
    /// The blob's data key could not be wrapped or unwrapped with the loaded master key.
    case keyWrapFailed(id: String, KeyWrapError)
    /// The blob file failed to decrypt or authenticate.
    case damaged(id: String, BlobError)
    /// The sealer refused.
    case sealingFailed(BlobError)
    /// `append` or `finish` was called after `finish` or `abort`.
    case writerClosed(id: String)
    /// The object store holding the blobs failed (unreachable, refused, or answering something that is not S3).
    case objectStore(ObjectStoreError)

    package var description: String {
        switch self {
        case .io(let operation, let path, let code):
            "cannot \(operation) \(path): \(String(cString: strerror(code)))"
        case .invalidBlobID(let id):
            "\"\(id)\" is not a blob id (blb_ and 16 base32 characters)"
        case .blobNotFound(let id):
            "blob \(id) has no file in the blob store; restore the data directory from a backup"
        case .keyWrapFailed(let id, let error):
            "the data key of blob \(id) cannot be used with the loaded master key: \(error)"
        case .damaged(let id, let error):
            "blob \(id) is damaged: \(error)"
        case .sealingFailed(let error):
            "cannot encrypt the blob: \(error)"
        case .writerClosed(let id):
            "blob writer \(id) was already finished or aborted"
        case .objectStore(let error):
            "blob store: \(error)"
        }
    }
}
