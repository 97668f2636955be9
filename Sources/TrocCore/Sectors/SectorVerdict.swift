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

/// The broker's sector rules over its reference data.
public struct SectorRules: Sendable {
    /// Clusters whose consumers may not be canvassed (energy renovation, home adaptation: C. consom. L223-1,
    /// loi n° 2020-901): B2C contacts are never delivered to a firm in one of them.
    public static let consumerCanvassingBannedClusters: Set<String> = ["energie-confort-habitat", "seniors-maintien-a-domicile"]

    /// The tables the rules read.
    public let reference: ReferenceData

    /// Rules over `reference` (the embedded defaults, or the broker's edited copy).
    public init(reference: ReferenceData = .embedded) {
        self.reference = reference
    }

    /// Why a NAF code cannot be registered or used in a deal, or nil if it can.
    public func refusal(of code: String) -> SectorRefusal? {
        guard let subclass = reference.subclasses[code] else { return .unknownCode(code) }
        if let confidential = reference.confidential[code] { return .confidential(subclass, confidential) }
        return nil
    }

    /// The verdict for a deal between firms with NAF codes `first` and `second`.
    public func verdict(_ first: String, _ second: String) -> Result<SectorVerdict, SectorRefusal> {
        guard let a = reference.subclasses[first] else { return .failure(.unknownCode(first)) }
        guard let b = reference.subclasses[second] else { return .failure(.unknownCode(second)) }
        let codes = [a, b]
        for subclass in codes {
            if let confidential = reference.confidential[subclass.code] {
                return .success(
                    SectorVerdict(
                        kind: .confidential, codes: codes, clusters: [],
                        reason: "\(subclass.code) (\(subclass.label)) is a confidential sector: \(confidential.rationale)"))
            }
        }
        if a.classCode == b.classCode {
            let classLabel = reference.levelLabels[a.classCode].map { " (\($0))" } ?? ""
            return .success(
                SectorVerdict(
                    kind: .competitor, codes: codes, clusters: [],
                    reason: "\(a.code) and \(b.code) are in the same NAF class \(a.classCode)\(classLabel): the firms compete"))
        }
        let shared = clusters(of: a.code).intersection(clusters(of: b.code)).sorted()
        if !shared.isEmpty {
            return .success(
                SectorVerdict(
                    kind: .complementary, codes: codes, clusters: shared,
                    reason: "\(a.code) (\(a.label)) and \(b.code) (\(b.label)) share the audience cluster\(shared.count > 1 ? "s" : "") "
                        + shared.joined(separator: ", ")))
        }
        return .success(
            SectorVerdict(
                kind: .unrelated, codes: codes, clusters: [],
                reason: "\(a.code) (\(a.label)) and \(b.code) (\(b.label)) share no audience cluster: an operator must record an override"))
    }

    /// The clusters a NAF code belongs to.
    public func clusters(of code: String) -> Set<String> {
        Set(reference.clusters.compactMap { $0.value.contains(code) ? $0.key : nil })
    }

    /// Whether consumer (B2C) contacts may be delivered to a firm with this NAF code.
    public func mayReceiveConsumerContacts(_ code: String) -> Bool {
        clusters(of: code).isDisjoint(with: SectorRules.consumerCanvassingBannedClusters)
    }
}

/// Why a NAF code is refused outright.
public enum SectorRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not a NAF rév. 2 sub-class.
    case unknownCode(String)
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
        case .unknownCode(let code):
            return "\(code) is not a NAF rév. 2 sub-class code (expected the form 43.32A)"
        case .confidential(let subclass, let sector):
            return "\(subclass.code) (\(subclass.label)) is a confidential sector excluded from file exchange: \(sector.rationale)"
        }
    }
}
