package import Hummingbird
import HummingbirdCore
import HummingbirdTLS
package import Logging
import Metrics
package import NIOCore
import NIOSSL
import Prometheus
import ServiceLifecycle
import Synchronization

/// Builds the broker's application: opens the data directory, assembles the routes and the
/// HTTPS (or loopback HTTP) server. `trocd serve` runs it; tests run it on a free port.
package func buildApplication(
    _ configuration: ServerConfiguration, logger: Logger, onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let broker = try Broker.open(configuration)
    let router = try buildRouter(broker)
    let server: HTTPServerBuilder
    switch configuration.transport {
    case .https(let certificatePath, let keyPath):
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificatePath).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem)))
        server = try .tls(.http1(), tlsConfiguration: tls)
    case .http:
        server = .http1()
    }
    return Application(
        router: router, server: server,
        configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "trocd"),
        services: [MaintenanceService(broker: broker, logger: logger)], onServerRunning: onServerRunning, logger: logger)
}

/// The routes and the middleware around them (outermost first: problem documents, metrics, logs; then authentication on the
/// private API, sessions on the console).
package func buildRouter(_ broker: Broker) throws -> Router<TrocRequestContext> {
    let router = Router(context: TrocRequestContext.self)
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: LogRequestsMiddleware(.info))
    SystemController(broker: broker, metrics: Telemetry.registry).addRoutes(to: router)
    let api = router.group("v1").add(middleware: AuthenticationMiddleware(broker: broker))
    AccountController(broker: broker).addRoutes(to: api)
    KeyChangeController(broker: broker).addRoutes(to: api)
    EnrolmentController(broker: broker).addRoutes(to: api)
    FileController(broker: broker).addRoutes(to: api)
    DealController(broker: broker).addRoutes(to: api)
    PrivacyController(broker: broker).addRoutes(to: api)
    AuditController(broker: broker).addRoutes(to: api)
    SectorController(broker: broker).addRoutes(to: api)
    InvoiceController(broker: broker).addRoutes(to: api)
    try ConsoleRoutes.add(to: router, broker: broker)
    return router
}

/// The process-wide metrics registry, bootstrapped once however many applications a process builds.
enum Telemetry {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
