/// Why a key could not be wrapped, unwrapped or rewrapped with the master key.
public enum KeyWrapError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The blob id is empty, which would let one wrapped key match any blob that forgot its id.
    case emptyBlobID
    /// The wrapped key bytes are not the 69-byte version-1 form.
    case malformedWrappedKey(byteCount: Int)
    /// The wrapped key names a format version this code does not read.
    case unsupportedVersion(UInt8)
    /// The wrapped key was made by another master key.
    case wrongMasterKey(wrappedBy: MasterKeyID, loaded: MasterKeyID)
    /// The wrapped key failed to authenticate under the right master key: it belongs to another blob or was altered.
    case authenticationFailed(what: String)
    /// AES-GCM refused to seal.
    case sealingFailed(String)

    public var description: String {
        switch self {
        case .emptyBlobID:
            "the blob id is empty; wrap and unwrap each data key with the id of the blob it encrypts"
        case .malformedWrappedKey(let byteCount):
            "a wrapped key is \(WrappedKey.byteCount) bytes, got \(byteCount): the stored value is damaged"
        case .unsupportedVersion(let version):
            "unsupported wrapped-key version \(version): this build reads version \(WrappedKey.version)"
        case .wrongMasterKey(let wrappedBy, let loaded):
            "the key was wrapped by master key \(wrappedBy), but the loaded master key is \(loaded); "
                + "load the master key that wrapped it (an interrupted rotation needs both keys)"
        case .authenticationFailed(let what):
            "the wrapped \(what) failed to authenticate under its master key: it belongs to another blob or the stored value was altered"
        case .sealingFailed(let reason):
            "AES-GCM failed to wrap the key: \(reason)"
        }
    }
}
