import Synchronization
import TrocCore

/// The sector reference as last read from the database, kept until a sector edit of this process invalidates it.
///
/// Every authenticated view that names an organisation's sector needs it, and decoding it from the tables on each
/// request cost more than the rest of the request. Only `AppDatabase`'s sector edits change those tables, so they
/// invalidate it after their commit. Several broker processes on one database would each need to hear of the others'
/// edits: that signal (a version row the edits bump, compared on read) belongs in `invalidate()`'s callers.
final class SectorReferenceCache: Sendable {
    private let state = Mutex(State())

    /// The cached value and the count of invalidations so far, which tells a load that raced an edit to keep its result to itself.
    private struct State {
        var reference: ReferenceData?
        var generation: UInt64 = 0
    }

    /// The cached reference, or the one `load` reads, cached unless an edit was committed while it read.
    func reference(load: () throws(StoreError) -> ReferenceData) throws(StoreError) -> ReferenceData {
        let (cached, generation) = state.withLock { ($0.reference, $0.generation) }
        if let cached { return cached }
        let loaded = try load()
        state.withLock { state in
            if state.generation == generation { state.reference = loaded }
        }
        return loaded
    }

    /// Forgets the cached reference; called once an edit of the sector tables has committed.
    func invalidate() {
        state.withLock { state in
            state.reference = nil
            state.generation &+= 1
        }
    }
}
