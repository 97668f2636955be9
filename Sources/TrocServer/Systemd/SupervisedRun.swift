package import Hummingbird
package import Logging
import ServiceLifecycle
import UnixSignals

/// Runs the broker until SIGTERM or SIGINT, then shuts down gracefully (requests in flight finish, the store closes);
/// under systemd it also reports the stop (`STOPPING=1`). `READY=1` is sent by the caller once the server listens.
package func runUntilStopped(_ app: some ApplicationProtocol, notifier: SystemdNotifier?, logger: Logger) async throws {
    var services: [any Service] = [app]
    // Last in the group, so the first to hear the shutdown.
    if let notifier { services.append(SystemdStoppingService(notifier: notifier, logger: logger)) }
    let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
}
