import Foundation
package import Logging
package import TrocCrypto
package import TrocObjectStore

/// Everything `trocd serve` needs to start, resolved from its flags.
package struct ServerConfiguration: Sendable {
    /// How clients reach the broker.
    package enum Transport: Sendable {
        /// HTTPS with a certificate chain and key, PEM files.
        case https(certificatePath: String, keyPath: String)
        /// Plain HTTP on loopback only, behind a TLS-terminating reverse proxy.
        case http
    }

    /// The data directory: `troc.sqlite` and `blobs/`.
    package var dataDirectory: String
    package var host: String
    /// 0 picks a free port (tests).
    package var port: Int
    package var transport: Transport
    /// The key that wraps every data key; lives outside the data directory.
    package var masterKey: MasterKey
    /// Uploads larger than this are refused with 413.
    package var maxUploadBytes: Int
    /// Worker threads for the engine's reader.
    package var ingestThreads: Int
    package var logLevel: Logger.Level
    /// How long a connection may take to finish its TLS handshake, or stay without sending a request part.
    package var timeouts: ConnectionTimeouts
    /// How many uploads may stream at once, per firm and in all.
    package var uploadLimits: UploadLimits
    /// Who may read `/metrics`.
    package var metricsAccess: MetricsAccess
    /// Reverse proxies whose `X-Forwarded-For` names the client (none by default).
    package var trustedProxies: TrustedProxies = .none
    /// The S3 bucket holding the blobs (`--blobs s3://…`); nil keeps them in the data directory's `blobs/`.
    package var objectStore: ObjectStoreConfiguration?
    /// With records in PostgreSQL, how long an instance holds a deal job without a heartbeat before another takes it over.
    package var jobLease: Duration = .seconds(30)
    /// With records in PostgreSQL, how often each instance looks for jobs to take over.
    package var jobPollInterval: Duration = .seconds(2)

    package init(
        dataDirectory: String, host: String, port: Int, transport: Transport, masterKey: MasterKey, maxUploadBytes: Int = 1 << 30,
        ingestThreads: Int = ProcessInfo.processInfo.activeProcessorCount, logLevel: Logger.Level = .info,
        timeouts: ConnectionTimeouts = ConnectionTimeouts(), uploadLimits: UploadLimits = UploadLimits(),
        metricsAccess: MetricsAccess = .loopbackOrOperator
    ) {
        self.dataDirectory = dataDirectory
        self.host = host
        self.port = port
        self.transport = transport
        self.masterKey = masterKey
        self.maxUploadBytes = maxUploadBytes
        self.ingestThreads = ingestThreads
        self.logLevel = logLevel
        self.timeouts = timeouts
        self.uploadLimits = uploadLimits
        self.metricsAccess = metricsAccess
    }

    /// `<data>/troc.sqlite`.
    package var databasePath: String { (dataDirectory as NSString).appendingPathComponent("troc.sqlite") }
    /// `<data>/blobs`.
    package var blobsDirectory: String { (dataDirectory as NSString).appendingPathComponent("blobs") }
    /// `<data>/blobs-spool`: blobs on their way to and from the object store, when there is one.
    package var blobSpoolDirectory: String { (dataDirectory as NSString).appendingPathComponent("blobs-spool") }
}
