/// A contact that may be delivered, with what balancing sorts it by.
struct Candidate: Sendable {
    var delivered: DeliveredContact
    var quality: UInt16
    var freshestDay: Int32
}
