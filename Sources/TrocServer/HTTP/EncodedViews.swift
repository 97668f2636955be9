import Foundation
import Synchronization

/// The API's JSON of views that are listed again and again, by value: a view equal to one already written gives back
/// the same bytes without encoding it again.
///
/// A partner polling its deals while it waits for the other firm reads the same page many times, and encoding the deals
/// (parties, sector verdict with its NAF labels and reason, dates) was a third of the server's time for such a request.
/// The memo is keyed by the whole value, so a changed deal is a new key and nothing can be stale.
package final class EncodedViews<View: Encodable & Hashable & Sendable>: Sendable {
    /// More views than a broker's deals in flight; past it the memo starts again rather than grow.
    private let capacity: Int
    private let written = Mutex<[View: [UInt8]]>([:])

    /// An empty memo holding at most `capacity` views.
    package init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// `view` as the API's encoder writes it (`StrictJSON.encoder`).
    package func json(_ view: View) throws -> [UInt8] {
        if let known = written.withLock({ $0[view] }) { return known }
        let bytes = Array(try StrictJSON.encoder.encode(view))
        written.withLock { memo in
            if memo.count >= capacity { memo.removeAll() }
            memo[view] = bytes
        }
        return bytes
    }

    /// `views` as a JSON array, byte for byte what `StrictJSON.encoder` writes for `[View]`.
    package func jsonArray(_ views: [View]) throws -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for (index, view) in views.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += try json(view)
        }
        bytes.append(UInt8(ascii: "]"))
        return bytes
    }
}
