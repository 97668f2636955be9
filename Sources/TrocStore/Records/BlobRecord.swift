package import Foundation
package import GRDB
package import TrocCrypto

/// A row of `blob`: an encrypted file under `blobs/`, with its data key wrapped by the master key.
package struct BlobRecord: StoreRecord, Identifiable {
    package static let databaseTableName = "blob"

    /// `blb_` and 16 base32 characters; also the file name under `blobs/` and the wrapping context of the data key.
    package var id: String
    /// The data key, as `WrappedKey.bytes` (69 bytes).
    package var wrappedKey: Data
    /// Hex id of the master key that wrapped it; the schema checks it matches the id inside `wrappedKey`.
    package var masterKeyID: String
    /// Bytes before encryption.
    package var plaintextByteCount: Int64
    /// Bytes of the file on disk.
    package var storedByteCount: Int64
    /// When the blob was stored.
    package var createdAt: Date

    /// A record with every column given (the other stores build it from their rows).
    package init(id: String, wrappedKey: Data, masterKeyID: String, plaintextByteCount: Int64, storedByteCount: Int64, createdAt: Date) {
        self.id = id
        self.wrappedKey = wrappedKey
        self.masterKeyID = masterKeyID
        self.plaintextByteCount = plaintextByteCount
        self.storedByteCount = storedByteCount
        self.createdAt = createdAt
    }

    /// The row for a blob that `BlobWriter.finish()` has just put in place.
    package init(_ stored: StoredBlob, createdAt: Date) {
        id = stored.id
        wrappedKey = stored.wrappedKey.bytes
        masterKeyID = stored.wrappedKey.masterKeyID.description
        plaintextByteCount = stored.plaintextByteCount
        storedByteCount = stored.storedByteCount
        self.createdAt = createdAt
    }

    /// The parsed wrapped data key.
    package func parsedWrappedKey() throws(StoreError) -> WrappedKey {
        do {
            return try WrappedKey(bytes: wrappedKey)
        } catch {
            throw .damagedWrappedKey(what: "blob \(id)", error)
        }
    }

    /// Column references for queries.
    package enum Columns {
        /// The id.
        package static let id = Column(CodingKeys.id)
        /// The wrapped key.
        package static let wrappedKey = Column(CodingKeys.wrappedKey)
        /// The master key that wrapped it.
        package static let masterKeyID = Column(CodingKeys.masterKeyID)
    }
}

/// A row of `file`: a contact file a partner uploaded, stored as one blob, with its ingestion report.
package struct FileRecord: StoreRecord, Identifiable {
    package static let databaseTableName = "file"

    /// `fil_` and 16 base32 characters.
    package var id: String
    /// The organisation that uploaded it.
    package var organisationID: String
    /// The blob holding its bytes (one blob per file).
    package var blobID: String
    /// The name it was uploaded under: no path separator, at most 255 UTF-8 bytes.
    package var name: String
    /// Size of the uploaded file in bytes.
    package var byteCount: Int64
    /// The ingestion report as JSON text; the store keeps it opaque.
    package var report: String
    /// When the file was stored.
    package var createdAt: Date
    /// The report its firm sees (the file read without the suppression list) as JSON text; nil for files stored before
    /// firms got a report of their own.
    package var partnerReport: String?

    /// A record with every column given (the other stores build it from their rows).
    package init(
        id: String, organisationID: String, blobID: String, name: String, byteCount: Int64, report: String, createdAt: Date, partnerReport: String?
    ) {
        self.id = id
        self.organisationID = organisationID
        self.blobID = blobID
        self.name = name
        self.byteCount = byteCount
        self.report = report
        self.createdAt = createdAt
        self.partnerReport = partnerReport
    }

    /// Column references for queries.
    package enum Columns {
        /// The owning organisation.
        package static let organisationID = Column(CodingKeys.organisationID)
        /// Creation date, for listing order.
        package static let createdAt = Column(CodingKeys.createdAt)
        /// The id, which breaks ties in listing order.
        package static let id = Column(CodingKeys.id)
    }
}
