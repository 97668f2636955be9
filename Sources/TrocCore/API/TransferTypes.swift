public import FoundationEssentials

/// `GET /v1/broker-key`: what a partner encrypts uploads to.
public struct BrokerKey: Codable, Hashable, Sendable {
    /// The broker's X25519 public key, PEM (SPKI `PUBLIC KEY`).
    public var publicKey: String
    /// Short fingerprint to compare out of band.
    public var fingerprint: String
    /// The HPKE suite, in RFC 9180 words.
    public var suite: String
    /// The envelope purpose an upload of organisation `{organisation}` must carry (see docs/envelope.md).
    public var uploadPurpose: String

    public init(publicKey: String, fingerprint: String, suite: String, uploadPurpose: String) {
        self.publicKey = publicKey
        self.fingerprint = fingerprint
        self.suite = suite
        self.uploadPurpose = uploadPurpose
    }
}

/// A stored prospect file, with the report the engine's reader produced at upload.
public struct StoredFile: Codable, Hashable, Sendable {
    public var id: String
    public var organisationId: String
    public var name: String
    /// Plaintext size in bytes.
    public var byteCount: Int
    public var createdAt: Date
    /// The ingestion report as its firm sees it: the file on its own, without the broker's suppression list.
    public var report: PartnerFileReport
    /// The exact report, with the suppression list applied, for operators only.
    public var full: FileReport?

    public init(id: String, organisationId: String, name: String, byteCount: Int, createdAt: Date, report: PartnerFileReport, full: FileReport?) {
        self.id = id
        self.organisationId = organisationId
        self.name = name
        self.byteCount = byteCount
        self.createdAt = createdAt
        self.report = report
        self.full = full
    }
}

/// Envelope purposes: bound into HPKE `info` so a ciphertext made for one use cannot serve another.
public enum TransferPurpose {
    /// An upload by organisation `organisationID` of a plain file.
    public static func upload(organisationID: String) -> String { "upload:\(organisationID)" }

    /// A download of stored file `fileID` by its owner.
    public static func download(fileID: String) -> String { "download:\(fileID)" }

    /// An upload by organisation `organisationID` into deal `dealID`.
    public static func dealUpload(dealID: String, organisationID: String) -> String { "upload:\(dealID):\(organisationID)" }

    /// The delivery of deal `dealID` to organisation `organisationID`.
    public static func delivery(dealID: String, organisationID: String) -> String { "delivery:\(dealID):\(organisationID)" }
}

/// An RFC 9457 problem document, as every error is sent.
public struct Problem: Codable, Hashable, Sendable, Error {
    /// A URI naming the problem type (`https://troc.example/problems/<code>`).
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    /// A stable code scripts can switch on, such as `auth.expired-token`.
    public var code: String
    /// The fields at fault, for invalid bodies.
    public var errors: [FieldProblem]?
    /// The quota an upload would exceed, its use and what the upload adds (`quota.storage`, `quota.files`).
    public var quota: QuotaExcess?

    public init(
        type: String, title: String, status: Int, detail: String, code: String, errors: [FieldProblem]? = nil, quota: QuotaExcess? = nil
    ) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.code = code
        self.errors = errors
        self.quota = quota
    }
}

/// One field of a request body and what is wrong with it.
public struct FieldProblem: Codable, Hashable, Sendable {
    /// A JSON pointer-like path, `address.postcode`.
    public var field: String
    public var code: String
    public var detail: String

    public init(field: String, code: String, detail: String) {
        self.field = field
        self.code = code
        self.detail = detail
    }
}
