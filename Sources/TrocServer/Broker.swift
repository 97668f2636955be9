import Crypto
package import Foundation
package import TrocCore
package import TrocCrypto
import TrocObjectStore
package import TrocStore

/// What every controller shares: the database, the blob store and the keys, opened once at start.
package struct Broker: Sendable {
    package let database: AppDatabase
    /// The data directory's `blobs/`, or the object store `--blobs` names.
    package let blobs: any BlobStorage
    package let masterKey: MasterKey
    /// The broker's HPKE key pair (uploads are encrypted to it) and the root of every keyed hash.
    package let keys: BrokerKeys
    package let configuration: ServerConfiguration
    /// Reads the clock: the one place the server does, so tests can pin time.
    package let clock: @Sendable () -> Date
    /// Admits uploads within the configured concurrency limits.
    package let uploads: UploadGate

    /// Opens the data directory (creating it), migrates, sweeps interrupted writes (and blobs a crash left without their row)
    /// from a blob directory, and loads the keys. With an object store, call `blobs.shutdown()` once done.
    package static func open(_ configuration: ServerConfiguration, clock: @escaping @Sendable () -> Date = Date.init) throws -> Broker {
        try FileManager.default.createDirectory(
            atPath: configuration.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let database = try AppDatabase.openOnDisk(at: configuration.databasePath)
        let blobs: any BlobStorage
        if let objectStore = configuration.objectStore {
            // Swept by `BlobSweepService`, at start and then periodically: the store's calls are asynchronous.
            blobs = try ObjectBlobStore(
                client: try ObjectStoreClient(configuration: objectStore), spoolDirectory: configuration.blobSpoolDirectory, clock: clock)
        } else {
            let directory = try BlobStore(directory: configuration.blobsDirectory)
            _ = try directory.sweepPartials()
            _ = try directory.sweepOrphans(known: database.blobIDs())
            blobs = directory
        }
        let keys = try database.ensureBrokerKeys(masterKey: configuration.masterKey, now: clock())
        // Every audited write chains its entry with a key only the master key can unwrap.
        let audited = database.withAuditKey(try AuditKey(keys.rootHashingSecret.auditKey()))
        return Broker(
            database: audited, blobs: blobs, masterKey: configuration.masterKey, keys: keys, configuration: configuration, clock: clock,
            uploads: UploadGate(limits: configuration.uploadLimits))
    }

    /// The sector rules over the broker's current tables (operators edit clusters, confidential sectors and the renovation list).
    package func sectors() throws -> SectorRules {
        SectorRules(reference: try database.sectorReference())
    }

    /// Today, in UTC.
    package func today() -> CivilDate {
        CivilDate(daysSinceEpoch: Int32(Int(clock().timeIntervalSince1970.rounded(.down)) / 86_400))
    }

    /// The exchange rules as of today, over the broker's current tables.
    package func rules(retentionMonths: Int? = nil) throws -> ExchangeRules {
        ExchangeRules(
            asOf: today(), retentionMonths: try retentionMonths ?? database.settings().retentionMonths, reference: try database.sectorReference())
    }

    /// The keyed hasher for the broker-wide suppression list (and single-file ingestion reports).
    package func suppressionHasher() -> HMACMatchKeyHasher {
        HMACMatchKeyHasher(secret: keys.rootHashingSecret.suppressionKey().withUnsafeBytes { Array($0) })
    }

    /// The keyed hasher of the record of who received whom (erasure notices, GDPR art. 19).
    package func recipientHasher() -> HMACMatchKeyHasher {
        HMACMatchKeyHasher(secret: keys.rootHashingSecret.recipientKey().withUnsafeBytes { Array($0) })
    }

    /// The keyed hasher of one deal: its match keys mean nothing outside it.
    package func dealHasher(_ dealID: String) -> HMACMatchKeyHasher {
        HMACMatchKeyHasher(secret: keys.rootHashingSecret.dealMatchKey(dealID: dealID).withUnsafeBytes { Array($0) })
    }

    /// The suppression list as the engine checks it while reading a deal's files.
    package func suppressionCheck() throws -> SuppressionCheck {
        SuppressionCheck(hasher: suppressionHasher(), entries: try database.suppressionEntries())
    }
}
