public import Foundation

/// An object as a listing or a HEAD describes it.
public struct ObjectSummary: Sendable, Equatable {
    /// Its key.
    public let key: String
    /// Its size in bytes.
    public let size: Int
    /// Its ETag as S3 returns it, quotes included.
    public let etag: String
    /// When it was last written, as a listing states it (nil from a HEAD or an upload).
    public let lastModified: Date?

    /// A summary from its parts.
    public init(key: String, size: Int, etag: String, lastModified: Date? = nil) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
    }
}
