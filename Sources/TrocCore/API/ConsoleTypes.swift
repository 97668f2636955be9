public import FoundationEssentials

/// The body of `POST /v1/users/{id}/enrolment-code`: nothing to say, the user is in the path.
public struct NewEnrolmentCode: Codable, Hashable, Sendable {
    public init() {}
}

/// A one-time code with which a user sets its console password (and second factor) at `/console/enrol`: shown once.
public struct EnrolmentCode: Codable, Hashable, Sendable {
    public var userId: String
    /// `XXXX-XXXX-XXXX-XXXX-XXXX`; only its hash is stored.
    public var code: String
    /// The code stops working then (72 hours after issue); a newer code replaces it at once.
    public var expiresAt: Date
    /// Where the user types it.
    public var enrolPath: String

    public init(userId: String, code: String, expiresAt: Date, enrolPath: String = "/console/enrol") {
        self.userId = userId
        self.code = code
        self.expiresAt = expiresAt
        self.enrolPath = enrolPath
    }
}
