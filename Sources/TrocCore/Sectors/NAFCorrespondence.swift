/// INSEE's correspondence table NAF rév. 2 → NAF 2025 (January 2026), read both ways. A rév. 2 sub-class that was
/// split maps to several NAF 2025 sub-classes, and several rév. 2 sub-classes may merge into one.
public struct NAFCorrespondence: Hashable, Sendable {
    /// NAF 2025 sub-classes of each rév. 2 sub-class, in the table's order.
    public let toNAF2025: [String: [String]]
    /// Rév. 2 antecedents of each NAF 2025 sub-class, sorted (46.89Y has none).
    public let toRev2: [String: [String]]

    /// The table from its `(naf_rev2, naf2025)` rows.
    init(pairs: [(rev2: String, naf2025: String)]) {
        var forward: [String: [String]] = [:]
        var backward: [String: [String]] = [:]
        for (rev2, naf2025) in pairs {
            forward[rev2, default: []].append(naf2025)
            backward[naf2025, default: []].append(rev2)
        }
        toNAF2025 = forward
        toRev2 = backward.mapValues { $0.sorted() }
    }

    /// The sub-classes of the other nomenclature that `code` of `nomenclature` corresponds to.
    public func correspondents(of code: String, in nomenclature: NAFNomenclature) -> [String] {
        switch nomenclature {
        case .rev2: toNAF2025[code] ?? []
        case .naf2025: toRev2[code] ?? []
        }
    }

    /// `code` with its correspondents, each in its own nomenclature: the codes a rule written in either one may name.
    public func bothWays(_ code: String, in nomenclature: NAFNomenclature) -> [(code: String, nomenclature: NAFNomenclature)] {
        [(code, nomenclature)] + correspondents(of: code, in: nomenclature).map { ($0, nomenclature.other) }
    }
}
