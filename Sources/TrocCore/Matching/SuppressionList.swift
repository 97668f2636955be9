/// The broker's suppression list (opt-outs, erasures, opposition lists) as keyed hashes.
public struct SuppressionList: Sendable {
    let keys: PerKeyKind<[KeyEntry]>

    /// An empty list.
    public static let empty = SuppressionList(entries: [])

    /// A list of keys, each of one kind (hashed with the same hasher as the files).
    public init(entries: [(MatchKeyKind, MatchKey)]) {
        var keys = PerKeyKind<[KeyEntry]> { _ in [] }
        for (kind, key) in entries { keys[kind].append(KeyEntry(key, row: 0)) }
        self.keys = PerKeyKind { keys[$0].sorted { $0.keyPrecedes($1) } }
    }

    /// Number of entries.
    public var count: Int { keys.all.reduce(0) { $0 + $1.count } }
}

extension SuppressionList {
    /// The kind and canonical form of one suppression value: an email, a phone or a 14-digit SIRET.
    ///
    /// Nine bare digits are a SIREN, which names a company rather than a contact, so they are refused
    /// rather than read as a phone that lost its leading 0.
    public static func canonical(_ value: String) -> Result<(MatchKeyKind, String), RejectionReason>? {
        let text = value.trimmingSpaces
        guard !text.isEmpty else { return nil }
        if text.contains("@") {
            return EmailNormaliser.normalise(text).map { $0.map { (.email, $0.matchKey) } }
        }
        switch CompanyIdentifier.parse(text) {
        case .success(.siret(let siret)): return .success((.siret, siret))
        case .success(.siren): return .failure(.siretSirenOnly)
        case .failure: break
        }
        if !text.hasPrefix("+") && !text.hasPrefix("0") && text.filter(\.isNumber).count == 9 { return .failure(.siretSirenOnly) }
        return PhoneNormaliser.normalise(text).map { $0.map { (.phone, $0.e164) } }
    }
}
