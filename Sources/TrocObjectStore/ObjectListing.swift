/// One page of a listing.
public struct ObjectListing: Sendable, Equatable {
    /// The objects on this page, in key order.
    public let objects: [ObjectSummary]
    /// The token that reads the next page, nil on the last one.
    public let nextContinuationToken: String?
}
