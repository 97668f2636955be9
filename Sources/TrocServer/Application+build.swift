package import Hummingbird
import HummingbirdCore
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
    _ configuration: ServerConfiguration, postgres: PostgresRecords? = nil, logger: Logger,
    onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let broker = try await Broker.open(configuration, postgres: postgres?.store)
    let router = try buildRouter(broker)
    // The idle timeout also bounds a request head sent byte by byte and a stalled body: Hummingbird counts it from the
    // last request part received, and a head becomes a part only once complete.
    let http1 = HTTP1Channel.Configuration(idleTimeout: TimeAmount(configuration.timeouts.idle))
    let server: HTTPServerBuilder
    switch configuration.transport {
    case .https(let certificatePath, let keyPath):
        let sslContext = try NIOSSLContext(configuration: TLSProfile.server(certificatePath: certificatePath, keyPath: keyPath))
        let handshakeTimeout = TimeAmount(configuration.timeouts.handshake)
        server = HTTPServerBuilder { responder in
            HandshakeDeadlineChannel(
                base: HTTP1Channel(responder: responder, configuration: http1), sslContext: sslContext, handshakeTimeout: handshakeTimeout)
        }
    case .http:
        server = .http1(configuration: http1)
    }
    // The pool first, so that it stops last, once the duties and the server have finished with it.
    var services: [any Service] = postgres.map { [$0] } ?? []
    services += [
        MaintenanceService(broker: broker, logger: logger), BlobSweepService(broker: broker, logger: logger),
        DealJobService(broker: broker, logger: logger),
    ]
    return Application(
        router: router, server: server,
        configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "trocd"),
        services: services,
        onServerRunning: onServerRunning, logger: logger)
}

/// The routes and the middleware around them (outermost first: HSTS over HTTPS, metrics, problem documents, logs, the
/// client's address; then authentication on the private API, sessions on the console). Metrics sit outside the problem documents so that they
/// count the status actually sent (a 401 as a 401, not as the 500 of an unmapped error).
package func buildRouter(_ broker: Broker) throws -> Router<TrocRequestContext> {
    let router = Router(context: TrocRequestContext.self)
    if case .https = broker.configuration.transport { router.add(middleware: StrictTransportSecurityMiddleware()) }
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: RequestLogMiddleware(.info))
    router.add(middleware: ClientAddressMiddleware(trustedProxies: broker.configuration.trustedProxies))
    router.add(middleware: RefusalAfterBodyMiddleware(limit: broker.configuration.maxUploadBytes))
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
    NoticeController(broker: broker).addRoutes(to: api)
    InvoiceController(broker: broker).addRoutes(to: api)
    BillingTermsController(broker: broker).addRoutes(to: api)
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
