/// Who supplied a delivery's rows, and under which deal: written on every delivered row.
public struct DeliveryProvenance: Sendable, Hashable {
    /// The supplying firm's legal name.
    public var supplierName: String
    /// Its SIREN, empty for a firm established outside France.
    public var supplierSIREN: String
    /// The deal the rows were exchanged under (`del_…`).
    public var dealID: String

    /// Provenance for one side's delivery.
    public init(supplierName: String, supplierSIREN: String?, dealID: String) {
        self.supplierName = supplierName
        self.supplierSIREN = supplierSIREN ?? ""
        self.dealID = dealID
    }
}
