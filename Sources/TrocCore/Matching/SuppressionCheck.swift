/// The broker's suppression list applied while a deal's files are read: a deal hashes its files
/// under its own key, but the list is kept under the broker-wide suppression key, so each valid
/// value is also hashed under that key and looked up. A row that matches is flagged suppressed,
/// and a contact with any suppressed row is never exchangeable.
public struct SuppressionCheck: Sendable {
    let hasher: any MatchKeyHasher
    let keys: PerKeyKind<Set<MatchKey>>

    /// A check of `entries` (hashed with `hasher`, the suppression key).
    public init(hasher: any MatchKeyHasher, entries: [(MatchKeyKind, MatchKey)]) {
        self.hasher = hasher
        var keys = PerKeyKind<Set<MatchKey>> { _ in [] }
        for (kind, key) in entries { keys[kind].insert(key) }
        self.keys = keys
    }

    /// Whether the list is empty (then nothing is hashed twice).
    var isEmpty: Bool { keys.all.allSatisfy(\.isEmpty) }

    /// Whether the canonical value of `kind` is on the list.
    func contains(_ kind: MatchKeyKind, _ canonical: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !keys[kind].isEmpty else { return false }
        return keys[kind].contains(hasher.matchKey(kind, of: UnsafeRawBufferPointer(canonical)))
    }
}
