import Crypto
package import Foundation
package import TrocCore
package import TrocCrypto
import TrocObjectStore
package import TrocPostgres
package import TrocStore

/// What every controller shares: the record store, the blob store and the keys, opened once at start.
package struct Broker: Sendable {
    /// The broker's records, reached only through the seam so that another backend can stand behind it.
    package let store: any RecordStore
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
    /// How matches and releases run: in process, or as jobs another instance takes over (records in PostgreSQL).
    package var jobs: any DealJobs = InProcessDealJobs()

    /// Opens the data directory (creating it), migrates, sweeps interrupted writes (and blobs a crash left without their row)
    /// from a blob directory, and loads the keys. With an object store, call `blobs.shutdown()` once done.
    package static func open(_ configuration: ServerConfiguration, clock: @escaping @Sendable () -> Date = Date.init) throws -> Broker {
        try FileManager.default.createDirectory(
            atPath: configuration.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // The embedded backend, SQLite's by nature: the data directory's file is opened and migrated, a blob directory swept
        // against it before anything is served, and the keys read from it to give the handle its audit key; only then is it
        // the broker's `store`.
        let database = try AppDatabase.openOnDisk(at: configuration.databasePath)
        let blobs = try openBlobs(configuration, clock: clock) { try database.blobIDs() }
        let keys = try database.ensureBrokerKeys(masterKey: configuration.masterKey, now: clock())
        // Every audited write chains its entry with a key only the master key can unwrap.
        let audited = database.withAuditKey(try AuditKey(keys.rootHashingSecret.auditKey()))
        return Broker(
            store: audited, blobs: blobs, masterKey: configuration.masterKey, keys: keys, configuration: configuration, clock: clock,
            uploads: UploadGate(limits: configuration.uploadLimits))
    }

    /// Opens the broker on records kept in PostgreSQL (`postgres`, connected and migrated by `PostgresRecords`), or on the
    /// data directory's SQLite file when nil. The data directory still holds the blob spool, or the blobs themselves when
    /// no object store is named (one instance only: several instances share their blobs through an object store).
    package static func open(_ configuration: ServerConfiguration, postgres: PostgresStore?, clock: @escaping @Sendable () -> Date = Date.init)
        async throws -> Broker
    {
        guard let postgres else { return try open(configuration, clock: clock) }
        try FileManager.default.createDirectory(
            atPath: configuration.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let known = configuration.objectStore == nil ? try await postgres.blobIDs() : []
        let blobs = try openBlobs(configuration, clock: clock) { known }
        // Two instances starting at once create one key pair between them (the store serialises the first creation).
        let keys = try await postgres.ensureBrokerKeys(masterKey: configuration.masterKey, now: clock())
        let audited = postgres.withAuditKey(try AuditKey(keys.rootHashingSecret.auditKey()))
        var broker = Broker(
            store: audited, blobs: blobs, masterKey: configuration.masterKey, keys: keys, configuration: configuration, clock: clock,
            uploads: UploadGate(limits: configuration.uploadLimits))
        broker.jobs = PostgresDealJobs(store: audited, holder: PostgresDealJobs.holderName(), lease: configuration.jobLease, clock: clock)
        return broker
    }

    /// The blobs `configuration` names: its bucket (swept by `BlobSweepService`, at start and then periodically: the store's
    /// calls are asynchronous), or the data directory's `blobs/`, swept here of interrupted writes and of the files no
    /// record names (`known`) before anything is served.
    private static func openBlobs(
        _ configuration: ServerConfiguration, clock: @escaping @Sendable () -> Date, known: () throws -> Set<String>
    ) throws -> any BlobStorage {
        if let objectStore = configuration.objectStore {
            return try ObjectBlobStore(
                client: try ObjectStoreClient(configuration: objectStore), spoolDirectory: configuration.blobSpoolDirectory, clock: clock)
        }
        let directory = try BlobStore(directory: configuration.blobsDirectory)
        _ = try directory.sweepPartials()
        _ = try directory.sweepOrphans(known: known())
        return directory
    }

    /// The sector rules over the broker's current tables (operators edit clusters, confidential sectors and the renovation list).
    package func sectors() async throws -> SectorRules {
        SectorRules(reference: try await store.sectorReference())
    }

    /// Today, in UTC.
    package func today() -> CivilDate {
        CivilDate(daysSinceEpoch: Int32(Int(clock().timeIntervalSince1970.rounded(.down)) / 86_400))
    }

    /// The exchange rules as of today, over the broker's current tables.
    package func rules(retentionMonths: Int? = nil) async throws -> ExchangeRules {
        let months = if let retentionMonths { retentionMonths } else { try await store.settings().retentionMonths }
        return ExchangeRules(asOf: today(), retentionMonths: months, reference: try await store.sectorReference())
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
    package func suppressionCheck() async throws -> SuppressionCheck {
        SuppressionCheck(hasher: suppressionHasher(), entries: try await store.suppressionEntries())
    }
}
