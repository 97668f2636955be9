/// A NAF sub-class on the statutory renovation / home-adaptation list: consumers may not be canvassed for energy-saving
/// or renewable-energy equipment and works in their homes, nor (since loi n° 2025-594) for adapting homes to ageing or
/// disability (C. consom. L223-1, loi n° 2020-901), so consumer contacts are never delivered to a firm of such a trade.
/// The list is kept apart from the audience clusters and edited on its own, with a reason.
public struct RenovationSector: Hashable, Codable, Sendable, Comparable {
    /// The nomenclature of `code`.
    public var nomenclature: NAFNomenclature
    /// The sub-class, `43.22B` or `43.22H`.
    public var code: String
    /// Which part of the ban the trade falls under.
    public var ground: RenovationGround

    /// A listed sub-class.
    public init(nomenclature: NAFNomenclature, code: String, ground: RenovationGround) {
        self.nomenclature = nomenclature
        self.code = code
        self.ground = ground
    }

    public static func < (lhs: RenovationSector, rhs: RenovationSector) -> Bool {
        (lhs.nomenclature, lhs.code) < (rhs.nomenclature, rhs.code)
    }
}

/// Why a trade is on the renovation / home-adaptation list.
public enum RenovationGround: String, Codable, Sendable, CaseIterable {
    /// Equipment or works for energy savings or renewable energy in homes (L223-1 as worded by loi n° 2020-901).
    case energyRenovation = "energy-renovation"
    /// Adapting homes to ageing or disability (the 2025 extension, loi n° 2025-594).
    case homeAdaptation = "home-adaptation"

    /// The ground in words.
    public var description: String {
        switch self {
        case .energyRenovation: "energy-saving or renewable-energy equipment and works in homes"
        case .homeAdaptation: "adapting homes to ageing or disability"
        }
    }
}
