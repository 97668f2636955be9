/// What a match needs beyond the two files.
public struct MatchOptions: Sendable {
    public var rules: ExchangeRules
    public var policy: BalancingPolicy
    public var suppression: SuppressionList
    /// Whether A's sector may receive consumer (B2C) contacts; false for energy renovation and home adaptation.
    public var aAcceptsConsumers: Bool
    /// Whether B's sector may receive consumer contacts.
    public var bAcceptsConsumers: Bool

    /// Options with the default policy, no suppression and both sides accepting consumer contacts.
    public init(
        rules: ExchangeRules, policy: BalancingPolicy = .equalCount, suppression: SuppressionList = .empty, aAcceptsConsumers: Bool = true,
        bAcceptsConsumers: Bool = true
    ) {
        self.rules = rules
        self.policy = policy
        self.suppression = suppression
        self.aAcceptsConsumers = aAcceptsConsumers
        self.bAcceptsConsumers = bAcceptsConsumers
    }
}
