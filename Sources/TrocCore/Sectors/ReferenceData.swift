/// One NAF sub-class (`43.32A` in rév. 2, `43.32G` in NAF 2025) with its place in its nomenclature.
public struct NAFSubclass: Hashable, Codable, Sendable {
    /// `43.32A`.
    public var code: String
    /// INSEE's label.
    public var label: String
    /// The class, `43.32`: two firms in the same class are competitors.
    public var classCode: String
    /// The group, `43.3`.
    public var group: String
    /// The division, `43`.
    public var division: String
    /// The section letter, `F`.
    public var section: String
    /// The nomenclature the code belongs to.
    public var nomenclature: NAFNomenclature

    /// A sub-class from its parts.
    init(code: String, label: String, classCode: String, group: String, division: String, section: String, nomenclature: NAFNomenclature) {
        self.code = code
        self.label = label
        self.classCode = classCode
        self.group = group
        self.division = division
        self.section = section
        self.nomenclature = nomenclature
    }

    /// Decodes a sub-class; one stored before NAF 2025 existed (no `nomenclature`) is rév. 2.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        label = try container.decode(String.self, forKey: .label)
        classCode = try container.decode(String.self, forKey: .classCode)
        group = try container.decode(String.self, forKey: .group)
        division = try container.decode(String.self, forKey: .division)
        section = try container.decode(String.self, forKey: .section)
        nomenclature = try container.decodeIfPresent(NAFNomenclature.self, forKey: .nomenclature) ?? .rev2
    }

    /// `43.32A (NAF rév. 2, Travaux de menuiserie bois et PVC)`, for the reasons the rules give.
    public var described: String { "\(code) (\(nomenclature.name), \(label))" }
}

/// A NAF sub-class excluded from file exchange, with why.
public struct ConfidentialSector: Hashable, Codable, Sendable {
    /// `64.19Z`.
    public var code: String
    /// INSEE's label.
    public var label: String
    /// `core` (always excluded) or `optional` (excluded by default, reviewable by the broker).
    public var scope: String
    /// The regulation or reason that makes the sector's customer files confidential.
    public var rationale: String
}

/// The reference tables the sector rules rest on: both NAF nomenclatures and INSEE's correspondence between them,
/// the confidential sectors, the audience clusters and the statutory renovation / home-adaptation list. The
/// defaults ship inside the binary (see `Fixtures/reference`); the daemon keeps the broker's edited copy of the last
/// three in its database.
public struct ReferenceData: Sendable {
    /// NAF rév. 2 sub-classes by code.
    public private(set) var subclasses: [String: NAFSubclass] = [:]
    /// Labels of the upper levels of NAF rév. 2 (sections, divisions, groups, classes) by code.
    public private(set) var levelLabels: [String: String] = [:]
    /// NAF 2025 sub-classes by code.
    public private(set) var naf2025Subclasses: [String: NAFSubclass] = [:]
    /// Labels of the upper levels of NAF 2025 by code (the codes overlap rév. 2's with other meanings).
    public private(set) var naf2025LevelLabels: [String: String] = [:]
    /// INSEE's correspondence between the two nomenclatures.
    public private(set) var correspondence = NAFCorrespondence(pairs: [])
    /// Confidential sectors by NAF rév. 2 code (NAF 2025 codes follow through the correspondence).
    public private(set) var confidential: [String: ConfidentialSector] = [:]
    /// Audience clusters: name → NAF rév. 2 sub-class codes (NAF 2025 codes follow through the correspondence).
    public private(set) var clusters: [String: Set<String>] = [:]
    /// The statutory renovation / home-adaptation list, in both nomenclatures.
    public private(set) var renovation: Set<RenovationSector> = []

    /// The tables shipped with Troc.
    public static let embedded = ReferenceData(files: embeddedFiles)

    /// Parses the reference CSV files by name (comma-separated, header first, UTF-8).
    init(files: [String: String]) {
        let comma = UInt8(ascii: ",")
        func rows(_ name: String, columns: Int) -> [[String]] {
            CSVRecordScanner.records(of: files[name] ?? "", delimiter: comma).dropFirst().filter { $0.count >= columns }
        }
        for row in rows("naf-rev2.csv", columns: 6) {
            subclasses[row[0]] = NAFSubclass(
                code: row[0], label: row[1], classCode: row[2], group: row[3], division: row[4], section: row[5], nomenclature: .rev2)
        }
        for row in rows("naf-rev2-levels.csv", columns: 3) { levelLabels[row[1]] = row[2] }
        // Rows come in hierarchy order, so each sub-class follows its section; the other levels are prefixes of the code.
        var section = ""
        for row in rows("naf2025.csv", columns: 3) {
            let code = row[0]
            switch row[2] {
            case "section":
                section = code
                naf2025LevelLabels[code] = row[1]
            case "subclass":
                naf2025Subclasses[code] = NAFSubclass(
                    code: code, label: row[1], classCode: String(code.prefix(5)), group: String(code.prefix(4)), division: String(code.prefix(2)),
                    section: section, nomenclature: .naf2025)
            default:
                naf2025LevelLabels[code] = row[1]
            }
        }
        correspondence = NAFCorrespondence(pairs: rows("naf-rev2-to-naf2025.csv", columns: 2).map { (rev2: $0[0], naf2025: $0[1]) })
        for row in rows("confidential-sectors.csv", columns: 4) {
            confidential[row[0]] = ConfidentialSector(code: row[0], label: row[1], scope: row[2], rationale: row[3])
        }
        for row in rows("sector-clusters.csv", columns: 2) { clusters[row[0], default: []].insert(row[1]) }
        for row in rows("renovation-sectors.csv", columns: 3) {
            if let nomenclature = NAFNomenclature(rawValue: row[0]), let ground = RenovationGround(rawValue: row[2]) {
                renovation.insert(RenovationSector(nomenclature: nomenclature, code: row[1], ground: ground))
            }
        }
        knownCodes = NAFCodeSet((Array(subclasses.keys) + Array(naf2025Subclasses.keys)).compactMap(NAFCode.packed))
    }

    /// These nomenclatures with the broker's edited tables.
    public func editing(
        confidential: [String: ConfidentialSector], clusters: [String: Set<String>], renovation: Set<RenovationSector>
    ) -> ReferenceData {
        var edited = self
        edited.confidential = confidential
        edited.clusters = clusters
        edited.renovation = renovation
        return edited
    }

    /// The sub-class `code` of `nomenclature`, or nil.
    public func subclass(_ code: String, in nomenclature: NAFNomenclature) -> NAFSubclass? {
        switch nomenclature {
        case .rev2: subclasses[code]
        case .naf2025: naf2025Subclasses[code]
        }
    }

    /// The label of an upper level (`43.32`, `F`) of `nomenclature`, or nil.
    public func levelLabel(_ code: String, in nomenclature: NAFNomenclature) -> String? {
        switch nomenclature {
        case .rev2: levelLabels[code]
        case .naf2025: naf2025LevelLabels[code]
        }
    }

    /// The NAF codes of both nomenclatures as a bitmap, for the per-row check.
    private(set) var knownCodes = NAFCodeSet([])
}

/// NAF codes packed as integers (`NAFCode.packed`) in a 40 KB bitmap: a row's check is one load.
struct NAFCodeSet: Sendable {
    private var words = [UInt64](repeating: 0, count: 10_000 * 32 / 64)

    init(_ packedCodes: [UInt32]) {
        for code in packedCodes { words[Int(code >> 6)] |= 1 << UInt64(code & 63) }
    }

    @inline(__always)
    func contains(_ code: UInt32) -> Bool {
        Int(code >> 6) < words.count && words[Int(code >> 6)] & (1 << UInt64(code & 63)) != 0
    }
}
