import Crypto
package import Foundation
package import TrocCore
package import TrocCrypto
package import TrocStore

/// What every controller shares: the database, the blob store and the keys, opened once at start.
package struct Broker: Sendable {
    package let database: AppDatabase
    package let blobs: BlobStore
    package let masterKey: MasterKey
    /// The broker's HPKE key pair (uploads are encrypted to it) and the root of every keyed hash.
    package let keys: BrokerKeys
    package let configuration: ServerConfiguration
    /// Sector rules over the embedded reference data.
    package let sectors: SectorRules
    /// Reads the clock: the one place the server does, so tests can pin time.
    package let clock: @Sendable () -> Date

    /// Opens the data directory (creating it), migrates, sweeps interrupted writes and loads the keys.
    package static func open(_ configuration: ServerConfiguration, clock: @escaping @Sendable () -> Date = Date.init) throws -> Broker {
        try FileManager.default.createDirectory(
            atPath: configuration.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let database = try AppDatabase.openOnDisk(at: configuration.databasePath)
        let blobs = try BlobStore(directory: configuration.blobsDirectory)
        try blobs.sweepPartials()
        let keys = try database.ensureBrokerKeys(masterKey: configuration.masterKey, now: clock())
        return Broker(
            database: database, blobs: blobs, masterKey: configuration.masterKey, keys: keys, configuration: configuration, sectors: SectorRules(),
            clock: clock)
    }

    /// The exchange rules as of today.
    package func rules() -> ExchangeRules {
        ExchangeRules(
            asOf: CivilDate(daysSinceEpoch: Int32(Int(clock().timeIntervalSince1970) / 86_400)), retentionMonths: configuration.retentionMonths)
    }

    /// The keyed hasher for the broker-wide suppression list (and single-file ingestion reports).
    package func suppressionHasher() -> HMACMatchKeyHasher {
        HMACMatchKeyHasher(secret: keys.rootHashingSecret.suppressionKey().withUnsafeBytes { Array($0) })
    }
}
