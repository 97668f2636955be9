extension Array where Element == UInt8 {
    /// The slices of `self` of `sizes[0]`, `sizes[1]`, … bytes (cycling through `sizes`), the last one shorter.
    public func slices(cycling sizes: [Int]) -> [ArraySlice<UInt8>] {
        precondition(!sizes.isEmpty && sizes.allSatisfy { $0 > 0 }, "slice sizes must be positive")
        var slices: [ArraySlice<UInt8>] = []
        var start = 0
        var turn = 0
        while start < count {
            let end = Swift.min(count, start + sizes[turn % sizes.count])
            slices.append(self[start..<end])
            start = end
            turn += 1
        }
        return slices
    }

    /// The bytes before the first occurrence of `separator` and those after it, or nil when it does not occur.
    public func split(at separator: [UInt8]) -> (before: [UInt8], after: [UInt8])? {
        guard !separator.isEmpty, count >= separator.count else { return nil }
        for start in 0...(count - separator.count) where self[start..<(start + separator.count)].elementsEqual(separator) {
            return (Array(self[..<start]), Array(self[(start + separator.count)...]))
        }
        return nil
    }
}
