import Synchronization
import TrocCore

/// The sector reference one instance decoded, with the version of the sector tables it was read at
/// (`sector_reference_version`, which every edit of those tables moves, whichever instance makes it).
final class PostgresSectorCache: Sendable {
    private let state = Mutex<(version: Int64, reference: ReferenceData)?>(nil)

    /// The reference kept, if it was read at `version`.
    func reference(at version: Int64) -> ReferenceData? {
        state.withLock { kept in kept.flatMap { $0.version == version ? $0.reference : nil } }
    }

    /// Keeps `reference`, read at `version`, unless a reading at a later version is kept already (two calls raced).
    func keep(_ reference: ReferenceData, at version: Int64) {
        state.withLock { kept in
            if (kept?.version ?? .min) <= version { kept = (version, reference) }
        }
    }
}
