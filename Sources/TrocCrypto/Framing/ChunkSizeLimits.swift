/// Bounds on the chunk size of envelopes and at-rest blobs, shared so both formats stream the same way.
public enum ChunkSizeLimits {
    /// Smallest chunk size: below it, the 21 bytes of per-record overhead and per-record CPU cost dominate.
    public static let minimum = 1024
    /// Largest chunk size: bounds what an opener buffers for one stream.
    public static let maximum = 16 * 1024 * 1024
    /// The default, 32 KiB: the per-record buffers swift-crypto allocates then stay within glibc's 128 KiB heap-trim
    /// margin, so sealing and opening never fall into grow-and-trim page faults (measured in docs/envelope.md).
    public static let standard = 32 * 1024

    /// Whether `chunkSize` is within the bounds.
    static func contains(_ chunkSize: Int) -> Bool {
        (minimum...maximum).contains(chunkSize)
    }
}
