/// The ingestion report a partner sees of its own upload: the engine's `FileReport` of the file read without the
/// broker's suppression list, and without a count of suppressed contacts. Everything in it follows from the firm's own
/// rows and the published rules (`troc match` computes the same figures offline), so it says nothing about anyone
/// else, and nothing about who objected or asked for erasure. Operators also see the exact report.
public struct PartnerFileReport: Codable, Hashable, Sendable {
    /// Non-blank data rows, accepted or rejected.
    public var rows: Int
    /// Distinct contacts among the accepted rows.
    public var contacts: Int
    /// Accepted rows merged into another contact by a shared email, phone or SIRET.
    public var duplicates: Int
    public var validEmails: Int
    public var validPhones: Int
    /// Valid phones by class: mobile, landline, voip, foreign.
    public var phoneClasses: [String: Int]
    public var b2b: Int
    public var b2c: Int
    /// Contacts with a recorded opt-in.
    public var withConsent: Int
    /// Contacts who refused or objected in the file.
    public var refusedConsent: Int
    /// Contacts with a consent recorded per channel (a generic opt-in counts for email only).
    public var consentByChannel: ChannelCounts
    /// Contacts whose consent covers transfer to partners.
    public var partnerConsent: Int
    /// Contacts whose consent proof (the wording or form it was given on) is recorded.
    public var consentProof: Int
    /// Contacts whose freshest date is older than the retention window.
    public var stale: Int
    /// Contacts with no usable collection date nor contact the person initiated.
    public var undated: Int
    /// Contacts kept fresh by a contact the person initiated after the collection date.
    public var freshFromInboundContact: Int
    /// Contacts whose source is not recorded.
    public var withoutSource: Int
    /// Contacts that may be delivered under the rules, before the broker's suppression list (applied at the match).
    public var exchangeable: Int
    /// Exchangeable contacts by the channels that may be passed on, before the suppression list.
    public var exchangeableByChannel: ChannelCounts
    /// The file's quality score in [0, 1], before the suppression list.
    public var qualityScore: Double
    /// Rejections by reason code (rows and values).
    public var rejected: [String: Int]
    /// The encoding, separator and column mapping found.
    public var encoding: String
    public var delimiter: String
    /// Field → header text for the columns used.
    public var columns: [String: String]
    /// Headers that no field matched.
    public var ignoredColumns: [String]
    /// How the rules read some of the columns (a generic consent counts for email only, …).
    public var notes: [String]
    /// The first rejections with their line, column and reason.
    public var rejections: [RowRejection]

    /// The partner view of `report`, which must be the report of the file read without the suppression list.
    public init(unsuppressed report: FileReport) {
        rows = report.rows
        contacts = report.contacts
        duplicates = report.duplicates
        validEmails = report.validEmails
        validPhones = report.validPhones
        phoneClasses = report.phoneClasses
        b2b = report.b2b
        b2c = report.b2c
        withConsent = report.withConsent
        refusedConsent = report.refusedConsent
        consentByChannel = report.consentByChannel
        partnerConsent = report.partnerConsent
        consentProof = report.consentProof
        stale = report.stale
        undated = report.undated
        freshFromInboundContact = report.freshFromInboundContact
        withoutSource = report.withoutSource
        exchangeable = report.exchangeable
        exchangeableByChannel = report.exchangeableByChannel
        qualityScore = report.qualityScore
        rejected = report.rejected
        encoding = report.encoding
        delimiter = report.delimiter
        columns = report.columns
        ignoredColumns = report.ignoredColumns
        notes = report.notes
        rejections = report.rejections
    }
}
