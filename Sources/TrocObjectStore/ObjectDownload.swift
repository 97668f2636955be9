/// An object being read: its length and ETag as the store announced them, and its bytes as they arrive.
public struct ObjectDownload: Sendable {
    /// The length the store announced, when it did.
    public let contentLength: Int?
    /// The ETag the store announced, when it did.
    public let etag: String?
    /// The bytes, read once, as they come off the connection.
    public let body: ObjectBody
}
