import Dispatch

/// Data parallelism for the engine: the work is CPU-bound and split into a few large pieces, so
/// Dispatch's thread pool is used directly rather than Swift tasks.
enum Parallel {
    /// `body(0..<count)` run concurrently, results in order.
    static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(body) }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        // Each iteration writes only its own slot.
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: count) { index in
            slots[index] = body(index)
        }
        return results.map { $0! }
    }
}
