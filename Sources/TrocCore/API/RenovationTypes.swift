/// A sub-class on the statutory renovation / home-adaptation list, as `GET /v1/sectors/renovation` shows it.
public struct RenovationListing: Codable, Hashable, Sendable {
    public var code: String
    public var nomenclature: NAFNomenclature
    /// INSEE's label.
    public var label: String
    public var ground: RenovationGround

    public init(code: String, nomenclature: NAFNomenclature, label: String, ground: RenovationGround) {
        self.code = code
        self.nomenclature = nomenclature
        self.label = label
        self.ground = ground
    }
}

/// An edit of the renovation / home-adaptation list, always with its reason (audited).
public struct RenovationChange: Codable, Hashable, Sendable {
    public var reason: String
    /// Why the trade is listed; required to add one.
    public var ground: RenovationGround?
    /// `rev2` or `naf2025`, when the code alone does not say.
    public var nomenclature: NAFNomenclature?

    public init(reason: String, ground: RenovationGround?, nomenclature: NAFNomenclature?) {
        self.reason = reason
        self.ground = ground
        self.nomenclature = nomenclature
    }
}
