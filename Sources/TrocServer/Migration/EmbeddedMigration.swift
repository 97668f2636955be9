import Crypto
import Foundation
import TrocCore
package import TrocCrypto
package import TrocObjectStore
package import TrocPostgres
package import TrocStore

/// Moves an embedded broker (a data directory: SQLite records, a blob directory) onto PostgreSQL and, optionally, an
/// object store, then checks what arrived (`trocd admin migrate --from DATA_DIR`).
///
/// In order: the embedded broker is opened (and migrated to this build's schema) and its audit trail verified; a
/// snapshot of its records is taken; every blob the snapshot names is uploaded as it is (the sealed bytes: nothing is
/// decrypted; an object already there with the same size is kept, so a migration run again resumes); the records are
/// copied in one transaction (`PostgresImport`). Objects uploaded by a run that then fails name no record: the sweeps
/// collect them. The checks: every table counts what the snapshot counts (inside the transaction), the trail in
/// PostgreSQL verifies and extends the head the embedded trail had, and the newest blob decrypts from its new place to
/// the same bytes as from the old.
package struct EmbeddedMigration {
    /// The embedded broker's data directory.
    package var source: String
    /// The master key of both (the records keep their keys wrapped under it).
    package var masterKey: MasterKey
    /// Where the blobs go; nil to leave them in the source's `blobs/`, for one instance started with `--data` on it.
    package var objectStore: ObjectStoreConfiguration?

    package init(source: String, masterKey: MasterKey, objectStore: ObjectStoreConfiguration?) {
        self.source = source
        self.masterKey = masterKey
        self.objectStore = objectStore
    }

    /// What a migration did and checked.
    package struct Report: Sendable {
        /// Each table and its rows.
        package var tables: [(table: String, rows: Int)]
        /// Blobs uploaded, and those found in the bucket already; their stored bytes.
        package var blobsUploaded = 0
        package var blobsPresent = 0
        package var blobBytes: Int64 = 0
        /// The trail in PostgreSQL, verified.
        package var audit: AuditVerification
        /// The blob decrypted from both places, with its plaintext size; nil when the broker has none.
        package var checkedBlob: (id: String, bytes: Int64)?
    }

    /// Migrates into `postgres` (connected and migrated by `PostgresRecords`).
    package func run(into postgres: PostgresStore) async throws -> Report {
        let configuration = ServerConfiguration(dataDirectory: source, host: "127.0.0.1", port: 0, transport: .http, masterKey: masterKey)
        guard FileManager.default.fileExists(atPath: configuration.databasePath) else { throw EmbeddedMigrationError.noBroker(source) }
        let embedded = try Broker.open(configuration)
        guard let database = embedded.store as? AppDatabase, let brokerID = try await embedded.store.brokerOrganisation()?.id else {
            throw EmbeddedMigrationError.noBroker(source)
        }
        let auditKey = try AuditKey(embedded.keys.rootHashingSecret.auditKey())
        let before = try await embedded.store.verifyAudit(key: auditKey, expecting: nil)
        if let damage = before.damage { throw EmbeddedMigrationError.sourceTrailDamaged(entries: before.entryCount, damage: damage) }
        let checkpoint = before.lastMAC.map {
            AuditCheckpoint(brokerOrganisationID: brokerID, count: Int64(before.entryCount), mac: $0, recordedAt: Date())
        }
        let snapshot = try database.recordSnapshot()
        let blobs = try Self.blobRows(snapshot)

        // The object store gets the sealed files before any record names them; the spool is only for the check's read.
        let spool = (source as NSString).appendingPathComponent("migration-spool-\(UUID().uuidString.lowercased())")
        defer { try? FileManager.default.removeItem(atPath: spool) }
        let directory = try BlobStore(directory: configuration.blobsDirectory)
        let bucket = try objectStore.map { try ObjectBlobStore(client: try ObjectStoreClient(configuration: $0), spoolDirectory: spool) }
        do {
            var report = Report(tables: [], audit: before)
            if let bucket {
                for blob in blobs {
                    let path = directory.path(of: blob.id)
                    guard FileManager.default.fileExists(atPath: path) else { throw EmbeddedMigrationError.blobFileMissing(id: blob.id, path: path) }
                    if try await bucket.put(blobID: blob.id, sealedFile: path, storedByteCount: blob.storedByteCount) {
                        report.blobsUploaded += 1
                    } else {
                        report.blobsPresent += 1
                    }
                    report.blobBytes += blob.storedByteCount
                }
            }
            report.tables = try await postgres.importRecords(from: snapshot)

            // The checks, on the records and blobs as the cluster will read them.
            let after = try await postgres.withAuditKey(auditKey).verifyAudit(key: auditKey, expecting: checkpoint)
            if let damage = after.damage { throw EmbeddedMigrationError.copiedTrailDamaged(entries: after.entryCount, damage: damage) }
            report.audit = after
            if let newest = blobs.last {
                let wrappedKey = try WrappedKey(bytes: newest.wrappedKey)
                let old = try directory.openReader(blobID: newest.id, wrappedKey: wrappedKey, masterKey: masterKey)
                let new: BlobReader =
                    if let bucket {
                        try await bucket.openReader(blobID: newest.id, wrappedKey: wrappedKey, masterKey: masterKey)
                    } else {
                        try directory.openReader(blobID: newest.id, wrappedKey: wrappedKey, masterKey: masterKey)
                    }
                let (oldDigest, oldBytes) = try Self.digest(old)
                let (newDigest, newBytes) = try Self.digest(new)
                guard oldDigest == newDigest, oldBytes == newBytes else { throw EmbeddedMigrationError.blobDiffers(id: newest.id) }
                report.checkedBlob = (newest.id, newBytes)
            }
            await bucket?.shutdown()
            return report
        } catch {
            await bucket?.shutdown()
            throw error
        }
    }

    /// The snapshot's blob rows, oldest first.
    private static func blobRows(_ snapshot: RecordSnapshot) throws -> [(id: String, storedByteCount: Int64, wrappedKey: Data)] {
        var rows: [(id: String, storedByteCount: Int64, wrappedKey: Data)] = []
        var position: RecordSnapshot.Position?
        repeat {
            let page = try snapshot.rows(of: "blob", columns: ["id", "storedByteCount", "wrappedKey"], from: position, limit: 10_000)
            for row in page.rows {
                guard case .text(let id) = row[0], case .integer(let size) = row[1], case .blob(let key) = row[2] else {
                    throw EmbeddedMigrationError.malformedBlobRow(row.map(\.storageClass).joined(separator: ", "))
                }
                rows.append((id, size, key))
            }
            position = page.next
        } while position != nil
        return rows
    }

    /// The SHA-256 of a blob's plaintext and its length, read to the end (which authenticates the last chunk).
    private static func digest(_ reader: BlobReader) throws -> (Data, Int64) {
        var hash = SHA256()
        var total: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let count = try reader.read(into: buffer)
            if count == 0 { break }
            hash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            total += Int64(count)
        }
        return (Data(hash.finalize()), total)
    }
}

/// Why a migration stopped; with the records, nothing was copied.
package enum EmbeddedMigrationError: Error, CustomStringConvertible {
    case noBroker(String)
    case sourceTrailDamaged(entries: Int, damage: AuditDamage)
    case blobFileMissing(id: String, path: String)
    case malformedBlobRow(String)
    case copiedTrailDamaged(entries: Int, damage: AuditDamage)
    case blobDiffers(id: String)

    package var description: String {
        switch self {
        case .noBroker(let directory):
            "\(directory) holds no initialised broker (troc.sqlite with a broker organisation): name the embedded broker's data directory"
        case .sourceTrailDamaged(let entries, let damage):
            "the embedded broker's audit trail is damaged after \(entries) entries (\(damage)); nothing was copied: restore a backup first"
        case .blobFileMissing(let id, let path):
            "blob \(id) has its record but no file at \(path); nothing was copied: restore the blob from a backup first"
        case .malformedBlobRow(let classes): "a blob row of unexpected types (\(classes)); nothing was copied"
        case .copiedTrailDamaged(let entries, let damage):
            "the records were copied, but the audit trail in PostgreSQL does not verify after \(entries) entries (\(damage)): do not serve from it"
        case .blobDiffers(let id): "blob \(id) decrypts to other bytes from the object store than from the data directory: do not serve from it"
        }
    }
}
