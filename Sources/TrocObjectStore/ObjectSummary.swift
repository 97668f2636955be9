/// An object as a listing or a HEAD describes it.
public struct ObjectSummary: Sendable, Equatable {
    /// Its key.
    public let key: String
    /// Its size in bytes.
    public let size: Int
    /// Its ETag as S3 returns it, quotes included.
    public let etag: String

    /// A summary from its parts.
    public init(key: String, size: Int, etag: String) {
        self.key = key
        self.size = size
        self.etag = etag
    }
}
