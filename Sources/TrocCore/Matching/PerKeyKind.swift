/// One value for each kind of match key, read and written by the kind, so that no position (`[0]`, `rawValue`) stands
/// for a kind in the engine.
struct PerKeyKind<Value> {
    /// The values in `MatchKeyKind.allCases` order.
    private var values: [Value]

    /// The value `make` gives each kind, made in `MatchKeyKind.allCases` order.
    init(_ make: (MatchKeyKind) -> Value) {
        values = MatchKeyKind.allCases.map(make)
    }

    /// The value of `kind`.
    subscript(kind: MatchKeyKind) -> Value {
        get { values[kind.rawValue] }
        set { values[kind.rawValue] = newValue }
    }

    /// Every value, in `MatchKeyKind.allCases` order.
    var all: [Value] { values }

    /// Every value transformed, in `MatchKeyKind.allCases` order.
    func map<T>(_ transform: (Value) throws -> T) rethrows -> [T] { try values.map(transform) }
}

extension PerKeyKind: Sendable where Value: Sendable {
    /// The value `make` gives each kind, the kinds made concurrently.
    static func concurrently(_ make: @Sendable (MatchKeyKind) -> Value) -> PerKeyKind {
        let made = Parallel.map(MatchKeyKind.allCases.count) { make(MatchKeyKind.allCases[$0]) }
        return PerKeyKind { made[$0.rawValue] }
    }
}
