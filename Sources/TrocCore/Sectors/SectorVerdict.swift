/// The sector check of DOMAIN.md "Sectors": whether two partners may swap files, and why.
public struct SectorVerdict: Hashable, Codable, Sendable {
    /// The four outcomes, in the order the rules are applied.
    public enum Kind: String, Codable, Sendable {
        /// One side is in an excluded sector: refused.
        case confidential
        /// Same NAF class: refused.
        case competitor
        /// A shared audience cluster: allowed.
        case complementary
        /// Nothing shared: allowed only with an operator's recorded override.
        case unrelated
    }

    /// The outcome.
    public var kind: Kind
    /// The two NAF codes with their labels, as judged.
    public var codes: [NAFSubclass]
    /// The shared clusters (complementary only), sorted.
    public var clusters: [String]
    /// The rule that decided, in words, with codes and labels.
    public var reason: String

    /// Whether the deal may go on without an override.
    public var allowsDeal: Bool { kind == .complementary }

    /// Whether an operator override can let the deal go on.
    public var allowsOverride: Bool { kind == .unrelated }
}

/// The broker's sector rules over its reference data, for codes of either NAF nomenclature: a rule written in one
/// reaches the other through INSEE's correspondence, failing closed (a split or merged code takes the strictest).
public struct SectorRules: Sendable {
    /// The tables the rules read.
    public let reference: ReferenceData

    /// Rules over `reference` (the embedded defaults, or the broker's edited copy).
    public init(reference: ReferenceData = .embedded) {
        self.reference = reference
    }

    /// Why a NAF code cannot be registered or used in a deal, or nil if it can.
    public func refusal(of code: String, in nomenclature: NAFNomenclature = .rev2) -> SectorRefusal? {
        guard let subclass = reference.subclass(code, in: nomenclature) else { return .unknownCode(code, nomenclature) }
        if let confidential = confidentialSector(of: subclass) { return .confidential(subclass, confidential) }
        return nil
    }

    /// The verdict for a deal between firms with NAF codes `first` and `second`, each in its nomenclature.
    public func verdict(
        _ first: String, in firstNomenclature: NAFNomenclature = .rev2, _ second: String, in secondNomenclature: NAFNomenclature = .rev2
    ) -> Result<SectorVerdict, SectorRefusal> {
        guard let a = reference.subclass(first, in: firstNomenclature) else { return .failure(.unknownCode(first, firstNomenclature)) }
        guard let b = reference.subclass(second, in: secondNomenclature) else { return .failure(.unknownCode(second, secondNomenclature)) }
        let codes = [a, b]
        for subclass in codes {
            if let confidential = confidentialSector(of: subclass) {
                let through = confidential.code == subclass.code ? "" : ", through \(confidential.code) (NAF rév. 2)"
                return .success(
                    SectorVerdict(
                        kind: .confidential, codes: codes, clusters: [],
                        reason: "\(subclass.code) (\(subclass.label)) is a confidential sector\(through): \(confidential.rationale)"))
            }
        }
        if let reason = competition(a, b) {
            return .success(SectorVerdict(kind: .competitor, codes: codes, clusters: [], reason: reason))
        }
        let shared = clusters(of: a.code, in: a.nomenclature).intersection(clusters(of: b.code, in: b.nomenclature)).sorted()
        if !shared.isEmpty {
            return .success(
                SectorVerdict(
                    kind: .complementary, codes: codes, clusters: shared,
                    reason: "\(a.code) (\(a.label)) and \(b.code) (\(b.label)) share the audience cluster\(shared.count > 1 ? "s" : "") "
                        + shared.joined(separator: ", ") + throughCorrespondence(codes)))
        }
        return .success(
            SectorVerdict(
                kind: .unrelated, codes: codes, clusters: [],
                reason: "\(a.code) (\(a.label)) and \(b.code) (\(b.label)) share no audience cluster\(throughCorrespondence(codes)): "
                    + "an operator must record an override"))
    }

    /// The clusters a NAF code belongs to; a NAF 2025 code belongs to those of its rév. 2 antecedents.
    public func clusters(of code: String, in nomenclature: NAFNomenclature = .rev2) -> Set<String> {
        let rev2Codes = nomenclature == .rev2 ? [code] : reference.correspondence.correspondents(of: code, in: .naf2025)
        return Set(reference.clusters.compactMap { cluster in rev2Codes.contains(where: cluster.value.contains) ? cluster.key : nil })
    }

    /// Whether consumer (B2C) contacts may be delivered to a firm with this NAF code: not if the code, or any code it
    /// corresponds to in the other nomenclature, is on the statutory renovation / home-adaptation list.
    public func mayReceiveConsumerContacts(_ code: String, in nomenclature: NAFNomenclature = .rev2) -> Bool {
        renovationListing(of: code, in: nomenclature) == nil
    }

    /// The listing that keeps consumer contacts from a firm with this NAF code, or nil if none does.
    public func renovationListing(of code: String, in nomenclature: NAFNomenclature = .rev2) -> RenovationSector? {
        for (candidate, candidateNomenclature) in reference.correspondence.bothWays(code, in: nomenclature) {
            if let listed = reference.renovation.first(where: { $0.code == candidate && $0.nomenclature == candidateNomenclature }) { return listed }
        }
        return nil
    }

    /// The confidential sector a sub-class falls in: itself in rév. 2, any rév. 2 antecedent of a NAF 2025 code.
    private func confidentialSector(of subclass: NAFSubclass) -> ConfidentialSector? {
        let rev2Codes =
            subclass.nomenclature == .rev2 ? [subclass.code] : reference.correspondence.correspondents(of: subclass.code, in: .naf2025)
        return rev2Codes.lazy.compactMap { reference.confidential[$0] }.first
    }

    /// Why two sub-classes compete, or nil: the same class in one nomenclature; across nomenclatures, a class they
    /// share once either is mapped to the other's nomenclature.
    private func competition(_ a: NAFSubclass, _ b: NAFSubclass) -> String? {
        if a.nomenclature == b.nomenclature {
            guard a.classCode == b.classCode else { return nil }
            let classLabel = reference.levelLabel(a.classCode, in: a.nomenclature).map { " (\($0))" } ?? ""
            return "\(a.code) and \(b.code) are in the same \(a.nomenclature.name) class \(a.classCode)\(classLabel): the firms compete"
        }
        for (mapped, other) in [(a, b), (b, a)] {
            for code in reference.correspondence.correspondents(of: mapped.code, in: mapped.nomenclature) {
                guard let counterpart = reference.subclass(code, in: other.nomenclature), counterpart.classCode == other.classCode else { continue }
                let classLabel = reference.levelLabel(other.classCode, in: other.nomenclature).map { " (\($0))" } ?? ""
                return "\(mapped.described) corresponds to \(code) in \(other.nomenclature.name), in the same class \(other.classCode)\(classLabel) "
                    + "as \(other.code): the firms compete"
            }
        }
        return nil
    }

    /// A note that NAF 2025 codes were judged through their rév. 2 antecedents, when one was.
    private func throughCorrespondence(_ codes: [NAFSubclass]) -> String {
        let mapped = codes.filter { $0.nomenclature == .naf2025 }
        guard !mapped.isEmpty else { return "" }
        let antecedents = mapped.map { subclass in
            let rev2 = reference.correspondence.correspondents(of: subclass.code, in: .naf2025)
            return "\(subclass.code) → \(rev2.isEmpty ? "none" : rev2.joined(separator: ", "))"
        }
        return " (NAF 2025 codes judged through their NAF rév. 2 antecedents: " + antecedents.joined(separator: "; ") + ")"
    }
}

/// Why a NAF code is refused outright.
public enum SectorRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not a sub-class of the nomenclature.
    case unknownCode(String, NAFNomenclature)
    /// An excluded sector.
    case confidential(NAFSubclass, ConfidentialSector)

    /// A stable code for problem+json.
    public var code: String {
        switch self {
        case .unknownCode: "naf.unknown"
        case .confidential: "sector.confidential"
        }
    }

    public var description: String {
        switch self {
        case .unknownCode(let code, let nomenclature):
            return "\(code) is not a \(nomenclature.name) sub-class code (expected the form \(nomenclature == .rev2 ? "43.32A" : "43.32G"))"
        case .confidential(let subclass, let sector):
            let through = sector.code == subclass.code ? "" : ", through \(sector.code) (NAF rév. 2)"
            return "\(subclass.code) (\(subclass.label)) is a confidential sector excluded from file exchange\(through): \(sector.rationale)"
        }
    }
}
