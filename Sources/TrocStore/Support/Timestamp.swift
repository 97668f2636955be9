package import Foundation

/// How the store keeps instants: whole seconds since 1970-01-01 UTC in INTEGER columns, rounded down.
package enum Timestamp {
    /// The stored form of `date`; rounding down only ever makes an expiry earlier, never later.
    package static func seconds(_ date: Date) -> Int64 {
        Int64(date.timeIntervalSince1970.rounded(.down))
    }

    /// `date` as the store will read it back.
    package static func stored(_ date: Date) -> Date {
        Date(timeIntervalSince1970: TimeInterval(seconds(date)))
    }
}
