/// A firm's stored files would go over one of its quotas (broker settings `firm-storage-quota`, `firm-file-quota`);
/// sent as the `quota` member of the `quota.storage` and `quota.files` problems.
public struct QuotaExcess: Codable, Hashable, Sendable {
    /// Which quota.
    public enum Kind: String, Codable, Hashable, Sendable {
        /// Bytes of stored files (their plaintext size, as `troc files list` shows them).
        case storage
        /// Number of stored files.
        case files
    }

    public var kind: Kind
    /// The quota: bytes for `storage`, files for `files`.
    public var limit: Int64
    /// What the firm's stored files already take.
    public var used: Int64
    /// What the refused upload would add: at least this many bytes (what was declared or received), or 1 file.
    public var requested: Int64

    public init(kind: Kind, limit: Int64, used: Int64, requested: Int64) {
        self.kind = kind
        self.limit = limit
        self.used = used
        self.requested = requested
    }

    /// A byte count for people, in binary units: `512 B`, `1.5 KiB`, `10 GiB`.
    public static func text(bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var unit = 0
        var scaled = Double(bytes)
        while scaled >= 1024, unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        if unit == 0 || scaled == scaled.rounded() { return "\(Int64(scaled.rounded())) \(units[unit])" }
        let tenths = Int64((scaled * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
