import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import TrocCore
import TrocCrypto
import TrocObjectStore
import TrocPostgres
import TrocServer
import TrocStore

/// `trocd serve`: runs the broker until SIGTERM or SIGINT, then shuts down gracefully.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the broker over HTTPS (or loopback HTTP behind a proxy).",
        discussion: """
            With --dev, the first run creates the data directory, a master key (./troc-master.key), a self-signed
            certificate for localhost (./troc-dev-cert.pem, ./troc-dev-key.pem) and, if the broker has no organisation
            yet, a development broker organisation with a first operator whose token is printed once. Until that operator has
            enrolled in the web console, each start prints a fresh console enrolment code for it.
            """
    )

    @OptionGroup var storage: StorageOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8443

    @Option(help: "TLS certificate chain (PEM).")
    var cert: String?

    @Option(help: "TLS private key (PEM).")
    var key: String?

    @Flag(help: "Plain HTTP on a loopback address, for a TLS-terminating reverse proxy in front.")
    var http = false

    @Flag(help: "Development defaults: create the data directory, master key, a localhost certificate and a first operator.")
    var dev = false

    @Option(name: .customLong("max-upload-mb"), help: "Largest upload accepted, in MiB.")
    var maxUploadMegabytes = 1024

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Option(name: .customLong("handshake-timeout"), help: "Seconds a connection has to finish its TLS handshake.")
    var handshakeTimeout = 10

    @Option(
        name: .customLong("idle-timeout"),
        help: "Seconds a connection may go without sending a request part (idle, a slow request head, a stalled body).")
    var idleTimeout = 30

    @Option(name: .customLong("max-uploads"), help: "Uploads streaming at once, all firms together; more are answered 429.")
    var maxUploads = UploadLimits().total

    @Option(name: .customLong("max-uploads-per-firm"), help: "Uploads streaming at once for one firm; more are answered 429.")
    var maxUploadsPerFirm = UploadLimits().perFirm

    @Option(
        name: .customLong("metrics-access"),
        help: "Who reads /metrics: loopback (a local scraper, or an operator's token) or operator (a token only; the default with --http).")
    var metricsAccess: String?

    @Option(
        name: .customLong("trusted-proxy"),
        help: """
            A reverse proxy (an address or a network, such as 127.0.0.1 or 10.0.0.0/8) whose X-Forwarded-For names the client \
            in the audit trail; repeatable. Without one, the header is ignored and the connection's address is recorded.
            """)
    var trustedProxies: [String] = []

    @Option(
        help: """
            Keep the encrypted blobs in an S3-compatible object store, such as \
            s3://bucket?endpoint=http://127.0.0.1:8333&region=us-east-1, instead of the data directory's blobs/. Credentials come \
            from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, credentials-file=PATH in the URL or the systemd credential \
            troc-object-store; never from the command line.
            """)
    var blobs: String?

    @Option(
        name: .customLong("job-lease"),
        help: """
            With --database: seconds an instance holds a match or release without a heartbeat before another instance takes it \
            over (it beats every third of it).
            """)
    var jobLease = 30

    func validate() throws {
        if http {
            guard ["127.0.0.1", "::1", "localhost"].contains(host) else {
                throw ValidationError("--http serves plain HTTP and binds to loopback only (127.0.0.1 or ::1): put a TLS reverse proxy in front")
            }
            guard cert == nil, key == nil else { throw ValidationError("--http and --cert/--key exclude each other") }
        } else if !dev {
            guard cert != nil, key != nil else {
                throw ValidationError("HTTPS needs --cert and --key (or --dev for a localhost certificate, or --http behind a proxy)")
            }
        }
        guard (1...1_048_576).contains(maxUploadMegabytes) else { throw ValidationError("--max-upload-mb must be between 1 and 1048576") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level \(logLevel): not a log level") }
        guard (1...300).contains(handshakeTimeout) else { throw ValidationError("--handshake-timeout must be between 1 and 300 seconds") }
        guard (1...3600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be between 1 and 3600 seconds") }
        guard (3...3600).contains(jobLease) else { throw ValidationError("--job-lease must be between 3 and 3600 seconds") }
        guard (1...1024).contains(maxUploads) else { throw ValidationError("--max-uploads must be between 1 and 1024") }
        guard (1...maxUploads).contains(maxUploadsPerFirm) else {
            throw ValidationError("--max-uploads-per-firm must be between 1 and --max-uploads (\(maxUploads))")
        }
        if let metricsAccess, MetricsAccess(rawValue: metricsAccess) == nil {
            throw ValidationError("--metrics-access \(metricsAccess): expected loopback or operator")
        }
        do {
            _ = try TrustedProxies(trustedProxies)
        } catch {
            throw ValidationError(String(describing: error))
        }
    }

    func run() async throws {
        let logger = {
            var logger = Logger(label: "trocd")
            logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            return logger
        }()
        try WritableDataDirectory.require(storage.data)
        let descriptors = OpenFileLimit.raiseToHardLimit()
        // An upload's index (48 bytes a row) is mapped and unmapped whole, so a daemon's memory returns to where it was
        // after each file (README, "Performance").
        FreedMemory.mapLargeAllocations(from: 4 << 20)
        logger.info("open file limit", metadata: ["descriptors": .stringConvertible(descriptors)])
        let (masterKey, createdKey) = try storage.masterKey(create: dev)
        let objectStore = try blobs.map { try ObjectStoreConfiguration(url: $0) }

        var transport = ServerConfiguration.Transport.http
        var fingerprint: String?
        var certificatePath: String?
        if !http {
            let certPath = cert ?? "./troc-dev-cert.pem"
            let keyPath = key ?? "./troc-dev-key.pem"
            if dev && cert == nil {
                if try DevelopmentCertificate.ensure(certificatePath: certPath, keyPath: keyPath) {
                    print("Created a self-signed certificate for localhost: \(certPath)")
                }
            }
            transport = .https(certificatePath: certPath, keyPath: keyPath)
            fingerprint = try DevelopmentCertificate.fingerprint(certificatePEM: String(contentsOfFile: certPath, encoding: .utf8))
            certificatePath = certPath
        }
        var configuration = ServerConfiguration(
            dataDirectory: storage.data, host: host, port: port, transport: transport, masterKey: masterKey,
            maxUploadBytes: maxUploadMegabytes << 20, logLevel: logger.logLevel,
            timeouts: ConnectionTimeouts(handshake: .seconds(handshakeTimeout), idle: .seconds(idleTimeout)),
            uploadLimits: UploadLimits(perFirm: maxUploadsPerFirm, total: maxUploads),
            metricsAccess: metricsAccess.flatMap(MetricsAccess.init(rawValue:)) ?? (http ? .operatorOnly : .loopbackOrOperator))
        configuration.trustedProxies = try TrustedProxies(trustedProxies)
        configuration.jobLease = .seconds(jobLease)
        if createdKey { print("Created a master key: \(storage.masterKeyFile) (keep it outside the data directory and back it up separately)") }

        var postgres: PostgresRecords?
        if let location = try storage.postgresLocation() { postgres = try await PostgresRecords.connect(location, logger: logger) }
        var firstOperatorToken: String?
        var enrolmentCode: String?
        if dev {
            firstOperatorToken = try await BrokerSetup.initialiseIfNeeded(
                configuration: configuration, postgres: postgres?.store, identity: .development, operatorName: "Dev Operator")
            enrolmentCode = try await BrokerSetup.developmentEnrolmentCode(configuration: configuration, postgres: postgres?.store)
        }

        // Set after the development set-up above, whose short-lived brokers touch no blob.
        configuration.objectStore = objectStore

        let scheme = http ? "http" : "https"
        let (host, port, data) = (host, port, storage.data)
        let (fingerprintShown, operatorToken, caPath, consoleCode) = (fingerprint, firstOperatorToken, certificatePath, enrolmentCode)
        let troc = ClientCommand.name()
        let notifier = SystemdNotifier()
        let records = postgres?.location.description
        let app = try await buildApplication(configuration, postgres: postgres, logger: logger) { channel in
            let boundPort = channel.localAddress?.port ?? port
            let url = "\(scheme)://\(host == "127.0.0.1" ? "localhost" : host):\(boundPort)"
            var lines = ["Troc broker listening on \(url)"]
            if let fingerprintShown { lines.append("TLS certificate SHA-256 fingerprint: \(fingerprintShown)") }
            lines.append("Data directory: \(data)")
            if let records { lines.append("Records: \(records)") }
            if let bucket = objectStore?.bucket { lines.append("Blobs: object store s3://\(bucket)") }
            if let firstOperatorToken = operatorToken {
                lines.append("")
                lines.append("First operator token (shown once, store it now): \(firstOperatorToken)")
                lines.append("Next, in another terminal from this directory:")
                lines.append("  \(troc) login --server \(url) --token \(firstOperatorToken)" + (caPath.map { " --ca \($0)" } ?? ""))
                lines.append("  \(troc) orgs create …   # register two partner firms, then `\(troc) users create --role partner …`")
            } else {
                lines.append("Next: \(troc) login --server \(url) --token YOUR_TOKEN" + (caPath.map { " --ca \($0)" } ?? ""))
            }
            if let consoleCode {
                lines.append("")
                lines.append("Console: \(url)/console/ — first operator's enrolment code (valid 72 h, shown once): \(consoleCode)")
                lines.append("  open \(url)/console/enrol, type the code, choose a login name and a password, and scan the QR code")
                lines.append("  with an authenticator app (operators sign in with a TOTP code)")
            }
            // Unbuffered, so a supervisor or a test reading the pipe sees it at once.
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            do {
                try notifier?.notify("READY=1\nSTATUS=Listening on \(url)")
            } catch {
                logger.warning("systemd notification failed", metadata: ["error": "\(error)"])
            }
        }
        try await runUntilStopped(app, notifier: notifier, logger: logger)
    }
}
