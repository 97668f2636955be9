/// One NAF rév. 2 sub-class (`43.32A`) with its place in the nomenclature.
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

/// The reference tables the sector rules rest on: the NAF nomenclature, the confidential sectors
/// and the audience clusters. The defaults ship inside the binary (see `Fixtures/reference`);
/// the daemon keeps the broker's edited copy in its database.
public struct ReferenceData: Sendable {
    /// NAF sub-classes by code.
    public let subclasses: [String: NAFSubclass]
    /// Labels of the upper levels (sections, divisions, groups, classes) by code.
    public let levelLabels: [String: String]
    /// Confidential sectors by code.
    public let confidential: [String: ConfidentialSector]
    /// Audience clusters: name → NAF sub-class codes.
    public let clusters: [String: Set<String>]

    /// The tables shipped with Troc.
    public static let embedded = ReferenceData(
        subclassesCSV: nafSubclassesCSV, levelsCSV: nafLevelsCSV, confidentialCSV: confidentialSectorsCSV, clustersCSV: sectorClustersCSV)

    /// Parses the four reference CSV files (comma-separated, header first, UTF-8).
    public init(subclassesCSV: String, levelsCSV: String, confidentialCSV: String, clustersCSV: String) {
        let comma = UInt8(ascii: ",")
        var subclasses: [String: NAFSubclass] = [:]
        for row in CSVRecordScanner.records(of: subclassesCSV, delimiter: comma).dropFirst() where row.count >= 6 {
            subclasses[row[0]] = NAFSubclass(code: row[0], label: row[1], classCode: row[2], group: row[3], division: row[4], section: row[5])
        }
        var levelLabels: [String: String] = [:]
        for row in CSVRecordScanner.records(of: levelsCSV, delimiter: comma).dropFirst() where row.count >= 3 {
            levelLabels[row[1]] = row[2]
        }
        var confidential: [String: ConfidentialSector] = [:]
        for row in CSVRecordScanner.records(of: confidentialCSV, delimiter: comma).dropFirst() where row.count >= 4 {
            confidential[row[0]] = ConfidentialSector(code: row[0], label: row[1], scope: row[2], rationale: row[3])
        }
        var clusters: [String: Set<String>] = [:]
        for row in CSVRecordScanner.records(of: clustersCSV, delimiter: comma).dropFirst() where row.count >= 2 {
            clusters[row[0], default: []].insert(row[1])
        }
        self.init(subclasses: subclasses, levelLabels: levelLabels, confidential: confidential, clusters: clusters)
    }

    /// Reference data from tables already in memory (the broker's edited copy).
    public init(
        subclasses: [String: NAFSubclass], levelLabels: [String: String], confidential: [String: ConfidentialSector], clusters: [String: Set<String>]
    ) {
        self.subclasses = subclasses
        self.levelLabels = levelLabels
        self.confidential = confidential
        self.clusters = clusters
        knownCodes = NAFCodeSet(subclasses.keys.compactMap(NAFCode.packed))
    }

    /// The NAF codes as a bitmap, for the per-row check.
    let knownCodes: NAFCodeSet
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
