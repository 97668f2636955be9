/// Why a blob could not be encrypted or decrypted; at rest every failure means damage or the wrong key, never user error.
public enum BlobError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data does not start with the blob magic.
    case notABlob
    /// The header names a format version this code does not read.
    case unsupportedVersion(UInt8)
    /// The first record did not authenticate: the data key is not this blob's, or the header was altered.
    case wrongDataKey
    /// The record stream failed: a chunk size out of bounds, a chunk that does not authenticate, a malformed record, a cut or
    /// extra data, or chunks of the wrong size given to the sealer.
    case framing(FramingFailure)
    /// AES-GCM refused to seal.
    case sealingFailed(String)

    public var description: String {
        switch self {
        case .notABlob:
            "not a Troc blob: it does not start with the magic bytes \"TROCBLOB\"; the blob store holds a foreign or damaged file"
        case .unsupportedVersion(let version):
            "unsupported blob version \(version): this build reads version \(BlobHeader.version); run a build that wrote it"
        case .wrongDataKey:
            "the blob's first chunk failed to authenticate: the data key belongs to another blob or the blob header is damaged; "
                + "check the blob id used to unwrap the key, or restore the blob from a backup"
        case .framing(let failure):
            failure.description(in: Self.wording)
        case .sealingFailed(let reason):
            "AES-GCM failed to seal a blob chunk: \(reason)"
        }
    }

    /// How a blob's framing failures are worded: the broker's own file at rest, which only a backup can repair.
    static let wording = FramingWording(
        unit: "blob ",
        stream: "blob",
        tampered: "the stored blob is damaged; restore it from a backup",
        malformed: "the stored blob is damaged, restore it from a backup",
        truncated: "chunk(s) without its final record; restore it from a backup",
        trailing: "the stored blob is damaged"
    )
}
